/**
 * The simulator's trace records written as the kernel's io_uring tracepoints (format section
 * 10.5, docs/tracepoints.md): the records named after a kernel tracepoint become tracepoint
 * objects with the kernel's field names, the simulator's contexts become thread kinds, and the
 * simulator's ring and request ids become names in order of first appearance, as a recording
 * names kernel pointers. Records of the simulator's own (`sim_*`, `sanitizer_*`) stay out.
 */
import { IORING_CQE_F_MORE } from '../wasm/abi.generated';
import { eventArgs, opcodeText } from '../wasm/events.generated';
import type { TraceEvent } from '../wasm/decode';

type Json = Record<string, unknown>;

/**
 * The kernel tracepoints the simulator writes. `task_add` is written for a
 * poll wake-up or cancel that queues task_work (`__io_poll_execute`), the only place the kernel
 * fires it; `poll_arm` for an async poll armed after `-EAGAIN`.
 */
export const SIM_TRACEPOINTS = [
  'create',
  'register',
  'submit_req',
  'complete',
  'queue_async_work',
  'req_failed',
  'cqring_wait',
  'fail_link',
  'link',
  'defer',
  'cqe_overflow',
  'local_work_run',
  'file_get',
  'task_work_run',
  'task_add',
  'poll_arm',
  'short_write',
];

/** The kind of kernel thread each simulator context runs as. */
const THREAD_KIND: Record<string, string> = {
  user: 'task',
  io_uring: 'task',
  driver: 'task',
  task_work: 'task',
  'io-wq': 'iowq',
  device: 'kworker',
  'sq-thread': 'sqpoll',
};

/** u64 as the kernel-trace format writes it. */
function u64(v: bigint): number | string {
  const x = BigInt.asUintN(64, v);
  return x < 2n ** 53n ? Number(x) : x.toString();
}

/**
 * Names rings, task contexts and io-wq work items in order of first appearance, and request
 * objects as the kernel's request cache hands them out: a freed request's object goes on top of
 * its ring's cache and the next request takes the top one (io_uring/io_uring.c:io_alloc_req,
 * io_req_add_to_cache), so the simulator's `sim_req_free` records decide which object a request
 * reuses, as the kernel's frees do.
 */
export class TracepointNamer {
  private readonly names = new Map<string, string>();
  /** The object each live request serial uses. */
  private readonly objects = new Map<number, string>();
  /** Per ring, the cache of freed objects (top last). */
  private readonly cache = new Map<number, string[]>();
  private fresh = 0;
  /** Each request id's opcode, from its submission (later records do not carry it). */
  readonly opcodes = new Map<number, string>();
  /** Each request id's user_data, for records about another request (`fail_link`). */
  readonly userData = new Map<number, bigint>();
  private readonly counts = new Map<string, number>();

  /** The request object of serial `req` on `ring`, taken from the cache on first sight. */
  req(ring: number, req: number): string {
    let n = this.objects.get(req);
    if (!n) {
      n = this.cache.get(ring)?.pop() ?? `req${++this.fresh}`;
      this.objects.set(req, n);
    }
    return n;
  }

  /** The request was freed: its object goes on top of its ring's cache. */
  free(ring: number, req: number): void {
    const n = this.objects.get(req);
    if (!n) return;
    this.objects.delete(req);
    const c = this.cache.get(ring) ?? [];
    c.push(n);
    this.cache.set(ring, c);
  }

  name(prefix: string, id: number | string): string {
    const key = `${prefix}:${id}`;
    let n = this.names.get(key);
    if (!n) {
      const c = (this.counts.get(prefix) ?? 0) + 1;
      this.counts.set(prefix, c);
      n = `${prefix}${c}`;
      this.names.set(key, n);
    }
    return n;
  }
}

/**
 * The tracepoint object of one simulator record, or null for a record the kernel has no
 * tracepoint for. The fields the simulator does not model (`extra1`/`extra2` of a CQE,
 * `queue_async_work`'s internal flags) are written as the kernel writes them for the requests
 * the recordings use: zero extras.
 */
export function toTracepoint(e: TraceEvent, names: TracepointNamer): Json | null {
  const f = eventArgs(e);
  if (f?.event === 'sim_req_free') names.free(e.ring, e.req);
  if (!f) return null;
  // Of the simulator's own records, only a poll wake-up or cancel stands for a tracepoint.
  const pollTask = f.event === 'sim_poll_wake' || f.event === 'sim_poll_cancel';
  if (!f.event.startsWith('io_uring_') && !pollTask) return null;
  if (e.req && !names.userData.has(e.req)) names.userData.set(e.req, e.userData);
  const ctx = THREAD_KIND[e.ctx] ?? 'other';
  const ring = () => names.name('ring', e.ring);
  const req = () => names.req(e.ring, e.req);
  const ud = () => u64(e.userData);
  const op = (id = e.req) => names.opcodes.get(id) ?? '?';
  switch (f.event) {
    case 'io_uring_create':
      return { event: 'create', ctx, ring: ring(), sq_entries: f.sq_entries, cq_entries: f.cq_entries, flags: f.flags };
    case 'io_uring_submit_req':
      names.opcodes.set(e.req, opcodeText(f.opcode));
      return {
        event: 'submit_req',
        ctx,
        ring: ring(),
        req: req(),
        user_data: ud(),
        opcode: opcodeText(f.opcode),
        flags: f.sqe_flags,
        // `__entry->sq_thread = req->ctx->flags & IORING_SETUP_SQPOLL` (a bool): submitted
        // by the SQPOLL thread.
        sq_thread: e.ctx === 'sq-thread' ? 1 : 0,
      };
    case 'io_uring_complete':
      return {
        event: 'complete',
        ctx,
        ring: ring(),
        // A CQE with IORING_CQE_F_MORE is an extra CQE of a request that stays in flight
        // (io_req_post_cqe → io_fill_cqe_aux), whose tracepoint names no request.
        req: f.cflags & IORING_CQE_F_MORE ? null : req(),
        user_data: ud(),
        result: f.res,
        cflags: f.cflags,
        extra1: 0,
        extra2: 0,
      };
    case 'io_uring_queue_async_work':
      return {
        event: 'queue_async_work',
        ctx,
        ring: ring(),
        req: req(),
        user_data: ud(),
        opcode: opcodeText(f.opcode),
        queue: f.hashed ? 'hashed' : 'normal',
        work: names.name('work', req()),
      };
    case 'io_uring_req_failed':
      return { event: 'req_failed', ctx, ring: ring(), req: req(), user_data: ud(), opcode: op(), error: f.error };
    case 'io_uring_task_add':
      // The kernel fires io_uring:task_add only when a poll wake-up queues task_work
      // (io_uring/poll.c:__io_poll_execute); the simulator records every task_work add, and
      // writes the tracepoint from its poll wake-up and poll cancel records instead.
      return null;
    case 'sim_poll_wake':
      return { event: 'task_add', ctx, ring: ring(), req: req(), user_data: ud(), opcode: op(), mask: f.mask };
    case 'sim_poll_cancel':
      return { event: 'task_add', ctx, ring: ring(), req: req(), user_data: ud(), opcode: op(), mask: 0 };
    case 'io_uring_poll_arm':
      return {
        event: 'poll_arm',
        ctx,
        ring: ring(),
        req: req(),
        user_data: ud(),
        opcode: op(),
        mask: f.mask,
        events: f.events,
      };
    case 'io_uring_cqring_wait':
      return { event: 'cqring_wait', ctx, ring: ring(), min_events: f.min_events };
    case 'io_uring_fail_link':
      return {
        event: 'fail_link',
        ctx,
        ring: ring(),
        req: names.req(e.ring, f.head),
        user_data: u64(names.userData.get(f.head) ?? 0n),
        opcode: op(f.head),
        link: req(),
      };
    case 'io_uring_link':
      return { event: 'link', ctx, ring: ring(), req: req(), target_req: names.req(e.ring, f.head) };
    case 'io_uring_defer':
      return { event: 'defer', ctx, ring: ring(), req: req(), user_data: ud(), opcode: op() };
    case 'io_uring_cqe_overflow':
      return { event: 'cqe_overflow', ctx, ring: ring(), user_data: ud(), res: f.res, cflags: f.cflags };
    case 'io_uring_local_work_run':
      return { event: 'local_work_run', ctx, ring: ring(), count: f.items, loops: 1 };
    case 'io_uring_file_get':
      return { event: 'file_get', ctx, ring: ring(), req: req(), user_data: ud(), fd: f.fd };
    case 'io_uring_register':
      return {
        event: 'register',
        ctx,
        ring: ring(),
        opcode: f.opcode,
        nr_user_files: f.nr_user_files,
        nr_user_bufs: f.nr_user_bufs,
        ret: f.ret,
      };
    case 'io_uring_short_write':
      return { event: 'short_write', ctx, ring: ring(), fpos: f.fpos, wanted: f.wanted, got: f.got };
    case 'io_uring_task_work_run':
      return { event: 'task_work_run', ctx, tctx: names.name('tctx', 0), count: f.items };
    default:
      return null;
  }
}
