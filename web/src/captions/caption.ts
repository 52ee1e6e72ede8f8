/**
 * One plain sentence per step: what the application did (from its program operation), or what
 * the kernel did (from the step's trace records). A scenario's `note` on an operation replaces
 * the generated sentence.
 */
import type { Op } from '../scenario/format';
import type { Frame } from '../sim/frame';
import { EAGAIN } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { eventArgs } from '../wasm/events.generated';
import { Weight, describeEvent, describeGroup, eventWeight, issuedFromIoWq } from './events';
import { opcodeName, plural, resName } from './format';

/** The caption of a kernel step that left no record. */
export const NOTHING = 'A bookkeeping step of the kernel: nothing visible changes.';

/** The most clauses a caption strings together. */
const MAX_CLAUSES = 3;

function sentence(clauses: string[]): string {
  if (clauses.length === 0) return '';
  let s: string;
  if (clauses.length === 1) s = clauses[0] as string;
  else if (clauses.length === 2) s = `${clauses[0]}, then ${clauses[1]}`;
  else s = `${clauses.slice(0, -1).join(', ')}, then ${clauses[clauses.length - 1]}`;
  // Capitalise a plain first word, never an identifier (io_uring_enter, task_work, ->uring_cmd()).
  if (/^[a-z]+\b(?![_(])/.test(s)) s = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** Whether `x` is request `req`'s `->uring_cmd()` returning -EAGAIN. */
function eagainRet(x: TraceEvent, req: number): boolean {
  const f = eventArgs(x);
  return f?.event === 'sim_uring_cmd_ret' && x.req === req && f.ret === -EAGAIN;
}

/** Records another record of the same step already says (the -EAGAIN clause tells of the punt). */
function redundant(e: TraceEvent, all: readonly TraceEvent[]): boolean {
  switch (e.event) {
    case 'io_uring_queue_async_work':
      return all.some((x) => eagainRet(x, e.req));
    case 'io_uring_task_add':
      // The driver's request for a task_work callback (or a final -EAGAIN) already says it.
      return all.some(
        (x) =>
          ((x.event as string) === 'sim_uring_cmd_do_in_task' && x.req === e.req) ||
          (eagainRet(x, e.req) && issuedFromIoWq(x.req, all)),
      );
    case 'io_uring_cqring_wait':
      return all.some((x) => x.event === 'sim_wait_sleep');
    default:
      return false;
  }
}

/**
 * The records worth a clause, in the order they ran: the turning points (and sanitizer
 * reports) first; ordinary records only fill up to two clauses; bookkeeping only when nothing
 * else happened. At most three.
 */
export function captionEvents(events: readonly TraceEvent[]): TraceEvent[] {
  const all = events.filter((e) => !redundant(e, events));
  if (all.length === 0) return [];
  // Skip a repeat of the same clause (two identical records in one step).
  const distinct = all.filter((e, i) => i === 0 || describeEvent(e) !== describeEvent(all[i - 1] as TraceEvent));
  const key = distinct.filter((e) => eventWeight(e) >= Weight.Key).length;
  const top = Math.max(...distinct.map(eventWeight));
  const limit = key >= 2 ? Math.min(key, MAX_CLAUSES) : 2;
  const floor = top >= Weight.Normal ? Weight.Normal : Weight.Noise;
  const ranked = distinct
    .map((e, i) => ({ e, i, w: eventWeight(e) }))
    .filter((r) => r.w >= floor)
    .sort((a, b) => b.w - a.w || a.i - b.i)
    .slice(0, limit);
  const chosen = new Set(ranked.map((r) => r.i));
  return distinct.filter((_, i) => chosen.has(i));
}

/** Looks up the user_data of a request by its serial (records of deferred work carry none). */
export type UserDataOf = (req: number) => bigint | undefined;

/** The sentence for a kernel step. */
export function kernelCaption(records: readonly TraceEvent[], userDataOf?: UserDataOf): string {
  const events = userDataOf
    ? records.map((e) => {
        const ud = e.req && e.userData === 0n ? userDataOf(e.req) : undefined;
        return ud === undefined ? e : { ...e, userData: ud };
      })
    : records;
  // Records of the same event become one clause, where the first of them ran (a flush posting
  // three CQEs is one thing that happens, even with bookkeeping records between them).
  const groups: TraceEvent[][] = [];
  const byName = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const g = byName.get(e.event);
    if (g) g.push(e);
    else {
      const fresh = [e];
      byName.set(e.event, fresh);
      groups.push(fresh);
    }
  }
  const keep = new Set(captionEvents(groups.map((g) => g.reduce((a, b) => (eventWeight(b) > eventWeight(a) ? b : a)))));
  const chosen = groups.filter((g) => g.some((e) => keep.has(e)));
  if (chosen.length === 0) return NOTHING;
  return sentence(chosen.map((g) => describeGroup(g, events)));
}

/** The sentence for an application step. */
export function appCaption(op: Op | undefined, frame: Frame, prev: Frame | undefined, label: string): string {
  if (op?.note) return op.note;
  const r = frame.ring;
  const p = prev?.ring;
  switch (op?.op) {
    case 'open':
      return sentence([
        `the application opens /dev/${op.device}${/^fd (\d+)/.test(label) ? ` and gets fd ${/^fd (\d+)/.exec(label)?.[1]}` : ''}`,
      ]);
    case 'pipe':
      return sentence([`the application creates a pipe: ${op.read_as} is its read end, ${op.write_as} its write end`]);
    case 'socketpair':
      return sentence([`the application creates a connected AF_UNIX socket pair: ${op.a_as} and ${op.b_as}`]);
    case 'buf_ring':
      return sentence([
        `the application registers a ${op.entries}-entry buffer ring ${op.as} in its own memory for buffer group ${op.bgid}`,
      ]);
    case 'buf_ring_add':
      return sentence([
        `the application puts buffer ${op.bid} (${plural(op.len, 'byte')} of ${op.buf}) in ring ${op.ring} and publishes the new tail`,
      ]);
    case 'write':
      return sentence([
        `the application calls write() on ${op.fd} with ${op.len !== undefined ? plural(op.len, 'byte') : 'the bytes'} of ${op.buf}`,
      ]);
    case 'alloc':
      return sentence([`the application allocates ${plural(op.size, 'byte')} of its own memory for ${op.as}`]);
    case 'write_user':
      return sentence([`the application writes into its buffer ${op.target}`]);
    case 'register_buffers':
      return sentence([
        `the application registers ${op.bufs.join(' and ')} as fixed buffers ${op.bufs.map((_, i) => i).join(', ')} with io_uring_register(IORING_REGISTER_BUFFERS)`,
      ]);
    case 'unregister_buffers':
      return sentence([`the application unregisters its fixed buffers (IORING_UNREGISTER_BUFFERS)`]);
    case 'prep': {
      const slot = ((r.sqeTail - 1) >>> 0) & (r.sqEntries - 1);
      const name = typeof op.sqe.opcode === 'number' ? opcodeName(op.sqe.opcode) : op.sqe.opcode;
      const ud = op.sqe.user_data ?? 0;
      return sentence([
        `the application fills a ${name} SQE (user_data ${ud}) in SQE slot ${slot} and publishes SQ tail ${r.sqTail}`,
      ]);
    }
    case 'submit': {
      const n = p ? (p.sqTail - p.sqHead) >>> 0 : 0;
      const wait = op.wait ?? 0;
      return sentence([
        `the application calls io_uring_enter to submit ${plural(n, 'SQE')}${wait ? ` and wait for ${plural(wait, 'completion')}` : ''}`,
      ]);
    }
    case 'wait':
      return sentence([
        `the application calls io_uring_enter with GETEVENTS to wait for ${plural(op.min, 'completion')}`,
      ]);
    case 'reap':
      return reapCaption(frame, prev);
    case 'sleep':
      return sentence([
        `the application sleeps for ${op.ms} ms (nanosleep, interruptible) while the kernel and the device carry on`,
      ]);
    case 'spin':
      return sentence([
        `the application computes for ${op.ms} ms without a system call; the kernel only gets the CPU at interrupts such as the 4 ms timer tick`,
      ]);
    case 'device':
      return sentence([`the scenario pokes the device: ${op.action}`]);
    case 'close':
      return sentence([`the application closes ${op.fd}`]);
    case 'exit':
      return sentence(['the application tears the ring down with io_uring_queue_exit()']);
    case undefined:
      return label ? sentence([label]) : '';
  }
}

function reapCaption(frame: Frame, prev: Frame | undefined): string {
  const r = frame.ring;
  const from = prev?.ring.cqHead ?? r.cqHead;
  const n = (r.cqHead - from) >>> 0;
  if (n === 0) return 'The application looks for CQEs, but none is ready.';
  const parts: string[] = [];
  for (let i = from; i !== r.cqHead && parts.length < 4; i = (i + 1) >>> 0) {
    const c = r.cqes[i & (r.cqEntries - 1)];
    if (c) parts.push(`${c.userData} → ${resName(c.res)}`);
  }
  const more = n > parts.length ? ', …' : '';
  return sentence([
    `the application reads ${plural(n, 'CQE')} (user_data ${parts.join(', ')}${more}) and stores CQ head ${r.cqHead}`,
  ]);
}

/** The caption of a frame. */
export function captionFor(frame: Frame, prev: Frame | undefined, op: Op | undefined, userDataOf?: UserDataOf): string {
  if (frame.index === 0)
    return `The application sets up a ring with io_uring_setup: ${plural(frame.ring.sqEntries, 'SQ entry', 'SQ entries')} and ${plural(frame.ring.cqEntries, 'CQ entry', 'CQ entries')}, shared with the kernel.`;
  if (frame.actor === 'app') {
    // A program operation may also leave kernel records (opening a device registers it).
    const text = appCaption(op, frame, prev, frame.label);
    return text || kernelCaption(frame.events, userDataOf);
  }
  return kernelCaption(frame.events, userDataOf);
}
