/**
 * What each trace event means, in words: one clause per record, and how much it matters for
 * the caption of its step.
 *
 * The argument layout of every event is documented in `core-rs/src/trace/mod.rs`; this module
 * is the one place the UI decodes `a` and `b`.
 *
 * @see core-rs/src/trace/mod.rs
 */
import { EAGAIN, EIOCBQUEUED, IO_URING_F_IOWQ } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { cqeFlagNames, hex, issueFlagNames, opcodeName, plural, resName, sqeFlagNames, userDataText } from './format';

/** How much an event matters for the one-sentence caption of its step. */
export const Weight = {
  /** Bookkeeping: only mentioned when nothing else happened. */
  Noise: 0,
  Normal: 1,
  /** A turning point of the request's life (issue result, completion, CQE). */
  Key: 2,
  /** A sanitizer report. */
  Alarm: 3,
} as const;
export type Weight = (typeof Weight)[keyof typeof Weight];

const lo32 = (v: bigint) => Number(BigInt.asUintN(32, v));
const hi32 = (v: bigint) => Number(BigInt.asUintN(32, v >> 32n));
const s32 = (v: bigint) => Number(BigInt.asIntN(32, v));

/**
 * `request #42`: requests go by their user_data, as their tokens and ring slots are labelled
 * (the serial number means nothing to a reader); `the request` when the record names none.
 */
function who(e: TraceEvent): string {
  if (!e.req) return 'the request';
  return `request #${userDataText(e.userData)}`;
}

/** A number as people read it: decimal when small, hex otherwise. */
function num(v: number): string {
  return v < 10 ? String(v) : hex(v);
}

function ud(e: TraceEvent): string {
  return `user_data ${userDataText(e.userData)}`;
}

/** Whether the step issued request `req` from an io-wq worker (issue flags with IO_URING_F_IOWQ). */
export function issuedFromIoWq(req: number, step: readonly TraceEvent[]): boolean {
  return step.some((x) => x.event === 'sim_uring_cmd_issue' && x.req === req && (lo32(x.a) & IO_URING_F_IOWQ) !== 0);
}

/** Describes what a `->uring_cmd()` return value makes the core do (`fromIoWq`: the call came from io-wq). */
export function uringCmdRetClause(ret: number, fromIoWq = false): string {
  if (ret === -EAGAIN && fromIoWq) return '->uring_cmd() returns -EAGAIN again: from io-wq that is final without IOPOLL, so the request fails with -EAGAIN through task_work';
  if (ret === -EIOCBQUEUED) return "->uring_cmd() returns -EIOCBQUEUED: the command stays in flight until the driver completes it";
  if (ret === -EAGAIN) return '->uring_cmd() returns -EAGAIN, so the core marks the command REISSUE, copies its SQE and punts it to io-wq';
  if (ret < 0) return `->uring_cmd() returns ${resName(ret)}: the core fails the request with that error`;
  return `->uring_cmd() returns ${ret}: the core completes the request at once with that result`;
}

interface EventInfo {
  weight: Weight;
  /** The clause, in the present tense, starting lower-case (`step`: every record of its step). */
  text(e: TraceEvent, step: readonly TraceEvent[]): string;
}

/**
 * Keyed by event name. Typed by string rather than `EventName` so a core that adds events
 * still builds; `events.test.ts` checks that every event of abi.generated.ts is described.
 */
const INFO: Record<string, EventInfo> = {
  io_uring_create: {
    weight: Weight.Normal,
    text: (e) => `io_uring_setup creates a ring with ${plural(lo32(e.a), 'SQ entry', 'SQ entries')} and ${plural(lo32(e.b), 'CQ entry', 'CQ entries')}`,
  },
  io_uring_submit_req: {
    weight: Weight.Normal,
    text: (e) => `the kernel consumes the SQE at SQ index ${hi32(e.b)} and starts ${who(e)}, a ${opcodeName(lo32(e.a))}${lo32(e.b) & 0xff ? ` with ${sqeFlagNames(lo32(e.b) & 0xff)}` : ''}`,
  },
  io_uring_complete: {
    weight: Weight.Key,
    text: (e) => `the kernel writes the CQE for ${ud(e)} (res ${resName(s32(e.a))}${lo32(e.b) ? `, flags ${cqeFlagNames(lo32(e.b))}` : ''}) into CQ slot ${hi32(e.b)}`,
  },
  io_uring_queue_async_work: {
    weight: Weight.Key,
    text: (e) => `the core punts ${who(e)} to an io-wq worker`,
  },
  io_uring_req_failed: {
    weight: Weight.Key,
    text: (e) => `${who(e)} fails before issue with ${resName(-Math.abs(s32(e.a)))}`,
  },
  io_uring_task_add: {
    weight: Weight.Key,
    text: (e) => `task_work is queued for the submitting task to finish ${who(e)}${e.a ? ' (lazy wake)' : ''}`,
  },
  io_uring_cqring_wait: {
    weight: Weight.Normal,
    text: (e) =>
      lo32(e.a) === 0
        ? 'the task enters io_cqring_wait without waiting for any CQE: it runs pending task_work and flushes the overflow list'
        : `the task waits for ${plural(lo32(e.a), 'CQE')}`,
  },
  io_uring_fail_link: {
    weight: Weight.Key,
    text: (e) => `${who(e)} is cancelled because the request it was linked to failed`,
  },
  io_uring_link: {
    weight: Weight.Normal,
    text: (e) => `${who(e)} is linked behind request ${lo32(e.a)}`,
  },
  io_uring_defer: {
    weight: Weight.Normal,
    text: (e) => `${who(e)} is deferred until every earlier request has completed (IO_DRAIN)`,
  },
  io_uring_cqe_overflow: {
    weight: Weight.Key,
    text: (e) => `the CQ ring is full, so the CQE for ${ud(e)} (res ${resName(s32(e.a))}) goes to the overflow list`,
  },
  io_uring_local_work_run: {
    weight: Weight.Normal,
    text: (e) => `the task runs ${plural(lo32(e.a), 'item')} of DEFER_TASKRUN local work`,
  },
  io_uring_file_get: {
    weight: Weight.Noise,
    text: (e) => `the kernel looks up fd ${s32(e.a)} for ${who(e)}`,
  },
  io_uring_poll_arm: {
    weight: Weight.Key,
    text: (e) => `the file is not ready, so ${who(e)} waits on its wait queue (async poll for ${pollText(lo32(e.a))}) instead of blocking`,
  },
  sim_not_modelled: {
    weight: Weight.Key,
    text: (e) => `not modelled: the simulator has no model for ${notModelledWhat(e)} of ${opcodeName(Number(e.a))}, so ${who(e)} fails with -4096, an answer Linux never gives (it is not an errno)`,
  },
  sim_rw_done: {
    weight: Weight.Key,
    text: (e) => {
      const b = Number(BigInt.asIntN(64, e.b));
      const at = b >> 1 < 0 ? '' : ` at offset ${b >> 1}`;
      return `${who(e)} ${b & 1 ? 'writes' : 'reads'} ${plural(Number(e.a), 'byte')}${at}`;
    },
  },
  sim_poll_wake: {
    weight: Weight.Key,
    text: (e) => `the file becomes ready (${pollText(lo32(e.a))}) and wakes ${who(e)}; its retry is queued as task_work`,
  },
  sim_poll_cancel: {
    weight: Weight.Key,
    text: (e) => `${who(e)} is taken off its file's wait queue: cancelled`,
  },
  sim_timeout_arm: {
    weight: Weight.Normal,
    text: (e) => {
      const ms = Number(e.a) / 1e6;
      const count = lo32(e.b);
      const what = hi32(e.b) ? 'the linked timeout' : 'the timeout';
      return `${what} ${who(e)} starts its timer: ${ms.toLocaleString('en-US')} ms${count ? `, or ${plural(count, 'completion')}` : ''}`;
    },
  },
  sim_timeout_fire: {
    weight: Weight.Key,
    text: (e) => {
      const how = Number(e.b);
      if (how === 1) return `enough completions were posted: timeout ${who(e)} ends with 0`;
      if (how === 2) return `timeout ${who(e)} is stopped before its timer fired: -ECANCELED`;
      return `the timer of ${who(e)} fires: -ETIME`;
    },
  },
  sim_cancel: {
    weight: Weight.Key,
    text: (e) => `${who(e)} looks for user_data ${userDataText(BigInt.asUintN(64, e.b))}: ${s32(e.a) === 0 ? 'found and cancelled' : resName(s32(e.a))}`,
  },
  sim_sys_enter: {
    weight: Weight.Normal,
    text: (e) => {
      const flags = hi32(e.b);
      return `the task enters io_uring_enter(to_submit ${lo32(e.a)}, min_complete ${lo32(e.b)}${flags & 1 ? ', GETEVENTS' : ''})`;
    },
  },
  sim_sys_exit: {
    weight: Weight.Normal,
    text: (e) => `io_uring_enter returns ${resName(s32(e.a))} to the application`,
  },
  sim_sq_head_commit: {
    weight: Weight.Normal,
    text: (e) => `the kernel publishes SQ head ${lo32(e.a)}, handing the consumed SQE slots back to the application`,
  },
  sim_cq_tail_commit: {
    weight: Weight.Normal,
    text: (e) => `the kernel publishes CQ tail ${lo32(e.a)}, so the application can see ${plural((lo32(e.a) - lo32(e.b)) >>> 0, 'new CQE')}`,
  },
  sim_sqe_dropped: {
    weight: Weight.Key,
    text: (e) => `SQ array entry ${lo32(e.a)} is out of range, so the kernel drops that SQE without a CQE (sq_dropped = ${lo32(e.b)})`,
  },
  sim_uring_cmd_issue: {
    weight: Weight.Key,
    text: (e) => `the core calls the driver's ->uring_cmd() for ${who(e)} (cmd_op ${num(lo32(e.b))}, issue flags ${issueFlagNames(lo32(e.a))})`,
  },
  sim_uring_cmd_ret: {
    weight: Weight.Key,
    text: (e, step) => uringCmdRetClause(s32(e.a), issuedFromIoWq(e.req, step)),
  },
  sim_uring_cmd_done: {
    weight: Weight.Key,
    text: (e) => `the driver completes ${who(e)} with io_uring_cmd_done(ret ${resName(s32(e.a))}, issue flags ${issueFlagNames(lo32(e.b))})`,
  },
  sim_task_work_run: {
    weight: Weight.Key,
    text: (e) => `${e.a ? 'DEFER_TASKRUN local work' : 'task_work'} runs in the submitting task for ${who(e)}`,
  },
  sim_work_run: {
    weight: Weight.Key,
    text: (e) => (e.req ? `a workqueue item runs for ${who(e)}: the device has finished its part` : 'a workqueue item runs'),
  },
  sim_wait_sleep: {
    weight: Weight.Normal,
    text: (e) => `the task sleeps until ${plural(lo32(e.a), 'CQE')} ${lo32(e.a) === 1 ? 'is' : 'are'} ready`,
  },
  sim_wait_wake: {
    weight: Weight.Normal,
    text: () => 'the waiting task wakes up',
  },
  sim_overflow_flush: {
    weight: Weight.Key,
    text: (e) => `${plural(lo32(e.a), 'CQE')} ${lo32(e.a) === 1 ? 'moves' : 'move'} from the overflow list into the CQ ring, in order`,
  },
  sim_pdu_write: {
    weight: Weight.Normal,
    text: (e) => `the driver writes ${plural(lo32(e.b), 'byte')} of the PDU at offset ${lo32(e.a)}`,
  },
  sim_pdu_read: {
    weight: Weight.Normal,
    text: (e) => `the driver reads ${plural(lo32(e.b), 'byte')} of the PDU at offset ${lo32(e.a)}`,
  },
  sim_sqe_copy: {
    weight: Weight.Normal,
    text: (e) => `the core copies the ${lo32(e.a) || 64}-byte SQE into the request's async data, because userspace may reuse the ring slot`,
  },
  sim_iowq_run: {
    weight: Weight.Key,
    text: (e) => `an io-wq worker picks up ${who(e)}`,
  },
  sim_driver_log: {
    weight: Weight.Normal,
    text: (e) => `the driver logs message ${lo32(e.a)}`,
  },
  sim_timer_fire: {
    weight: Weight.Normal,
    text: (e) => `the device's timer fires at ${(Number(e.a) / 1000).toLocaleString('en-US')} µs`,
  },
  sim_wait_deadlock: {
    weight: Weight.Key,
    text: () => 'nothing could ever wake the waiting task, so the simulator interrupts the wait',
  },
  sim_user_sq_tail: {
    weight: Weight.Normal,
    text: (e) => `the application stores SQ tail ${lo32(e.a)}, publishing its SQEs`,
  },
  sim_user_cq_head: {
    weight: Weight.Normal,
    text: (e) => `the application stores CQ head ${lo32(e.a)} after reading its CQEs`,
  },
  sim_req_free: {
    weight: Weight.Noise,
    text: (e) => `${who(e)} goes back to the request cache`,
  },
  sim_uring_cmd_cancel: {
    weight: Weight.Key,
    text: (e) => `the core asks the driver to cancel ${who(e)} (IO_URING_F_CANCEL)`,
  },
  sim_pdu_zero: {
    weight: Weight.Normal,
    text: (e) =>
      lo32(e.a) === 1
        ? 'io_uring_cmd_prep zeroes the 32-byte PDU (RFC v3 patch 2/5)'
        : "the Rust wrapper zeroes the 32-byte PDU before the driver's first issue",
  },
  sim_ring_exit: {
    weight: Weight.Key,
    text: (e) => `the ring is torn down${lo32(e.a) ? ` and ${plural(lo32(e.a), 'in-flight request')} ${lo32(e.a) === 1 ? 'is' : 'are'} cancelled` : ''}`,
  },
  sim_issue: {
    weight: Weight.Noise,
    text: (e) => `the core issues ${who(e)}, a ${opcodeName(lo32(e.b))}, with issue flags ${issueFlagNames(lo32(e.a))}`,
  },
  sanitizer_double_done: {
    weight: Weight.Alarm,
    text: (e) => `the sanitizer reports that ${who(e)} is completed a second time`,
  },
  sanitizer_done_bad_flags: {
    weight: Weight.Alarm,
    text: (e) => `the sanitizer reports that done() got issue flags ${issueFlagNames(lo32(e.a))} where the core handed out ${issueFlagNames(lo32(e.b))}`,
  },
  sanitizer_done_unlocked: {
    weight: Weight.Alarm,
    text: () => 'the sanitizer reports that done() runs without uring_lock and without IO_URING_F_UNLOCKED',
  },
  sanitizer_pdu_uninit_read: {
    weight: Weight.Alarm,
    text: () => "the sanitizer reports that the driver reads PDU bytes nobody wrote during this request's life",
  },
  sanitizer_sqe_after_issue: {
    weight: Weight.Alarm,
    text: () => 'the sanitizer reports that the driver reads the SQE after ->uring_cmd() returned, when userspace may already have reused the slot',
  },
  sanitizer_pdu_too_big: {
    weight: Weight.Alarm,
    text: () => 'the sanitizer reports that the driver uses a PDU type larger than the 32-byte PDU',
  },
  sim_uring_cmd_no_hook: {
    weight: Weight.Key,
    text: (e) => `the file behind fd ${s32(e.a)} has no ->uring_cmd() handler, so the core fails ${who(e)} with -EOPNOTSUPP`,
  },
  sim_sqe_read: {
    weight: Weight.Normal,
    text: (e) => `the driver reads ${plural(lo32(e.b), 'byte')} of the SQE at offset ${lo32(e.a)}${hi32(e.b) & 1 ? ' with a volatile read' : ''}`,
  },
  sim_dev_register: {
    weight: Weight.Normal,
    text: (e) => `a misc device is registered with minor ${lo32(e.a)}`,
  },
  sim_dev_open: {
    weight: Weight.Normal,
    text: (e) => `the misc device is opened as fd ${s32(e.a)}`,
  },
  sim_dev_release: {
    weight: Weight.Normal,
    text: () => 'the device file is released (its last reference went away)',
  },
  sim_dev_ctl: {
    weight: Weight.Normal,
    text: (e) => `the scenario pokes the device behind fd ${s32(e.b)} (argument ${e.a})`,
  },
  sim_uring_cmd_do_in_task: {
    weight: Weight.Key,
    text: (e) => `the driver asks for a task_work callback to finish ${who(e)}${e.a ? ' (lazy wake)' : ''}`,
  },
  sim_work_queue: {
    weight: Weight.Normal,
    text: (e) => (e.b ? `the driver queues delayed work, due in ${(Number(e.a) / 1000).toLocaleString('en-US')} µs` : 'the driver queues work on the system workqueue'),
  },
  sim_uring_cmd_cancelable: {
    weight: Weight.Normal,
    text: (e) => `the driver marks ${who(e)} cancelable`,
  },
  sim_copy_from_user: {
    weight: Weight.Normal,
    text: (e) => `the driver copies ${plural(lo32(e.b), 'byte')} from user memory at ${hex(e.a)}`,
  },
  sim_copy_to_user: {
    weight: Weight.Normal,
    text: (e) => `the driver copies ${plural(lo32(e.b), 'byte')} to user memory at ${hex(e.a)}`,
  },
  io_uring_task_work_run: {
    weight: Weight.Noise,
    text: (e) => `the task finishes a batch of ${plural(Number(e.a), 'task_work item')} and flushes its completions`,
  },
  sim_cqe_skip_filler: {
    weight: Weight.Normal,
    text: (e) => `only one slot is left before the CQ ring wraps, so the kernel fills slot ${hi32(e.b)} with a CQE marked IORING_CQE_F_SKIP and puts the 32-byte CQE after the wrap`,
  },
  sim_register: {
    weight: Weight.Normal,
    text: (e) => `the program calls io_uring_register (opcode ${num(Number(e.a))}), which returns ${resName(s32(e.b))}`,
  },
  sim_sys_call: {
    weight: Weight.Normal,
    text: (e) => `the program calls ${syscallName(Number(e.a))}(), which returns ${resName(s32(e.b))}`,
  },
  sim_cqe_cache_quirk: {
    weight: Weight.Normal,
    text: (e) =>
      Number(e.a) === 1
        ? `the kernel's cached CQ range is one slot behind after a filler CQE, so this CQE lands on the filler in slot ${hi32(e.b) || lo32(e.b)} (as Linux 6.18 does on CQE_MIXED rings)`
        : `a CQE is written from the cached CQ range while older CQEs still wait on the overflow list (as Linux 6.18 does on CQE_MIXED rings)`,
  },
  sim_submit_flush: {
    weight: Weight.Noise,
    text: (e) => (e.a ? `the end of the submit batch flushes ${plural(Number(e.a), 'deferred completion')}` : 'the submit batch ends with no deferred completion to flush'),
  },
};

/** `POLLIN|POLLOUT...` for a poll mask. */
function pollText(mask: number): string {
  const names: [number, string][] = [
    [0x1, 'POLLIN'],
    [0x4, 'POLLOUT'],
    [0x8, 'POLLERR'],
    [0x10, 'POLLHUP'],
  ];
  const got = names.filter(([b]) => mask & b).map(([, n]) => n);
  return got.length ? got.join('|') : hex(mask);
}

/** What `sim_not_modelled` says was not modelled (its `b`). */
function notModelledWhat(e: TraceEvent): string {
  const b = Number(e.b);
  if (b === 1) return 'a field value';
  if (b === 2) return 'the file kind';
  return 'the opcode';
}

/** x86-64 system call names for the calls the simulator models. */
function syscallName(nr: number): string {
  const names: Record<number, string> = { 0: 'read', 1: 'write', 3: 'close', 16: 'ioctl', 44: 'sendto', 45: 'recvfrom', 54: 'setsockopt', 55: 'getsockopt', 257: 'openat', 293: 'pipe2' };
  return names[nr] ?? `system call ${nr}`;
}

/** Every event name the UI knows how to put into words. */
export const DESCRIBED_EVENTS: readonly string[] = Object.keys(INFO);

function info(e: TraceEvent): EventInfo | undefined {
  return INFO[e.event];
}

/** One clause describing a trace record (lower-case, no final period), read within its step. */
export function describeEvent(e: TraceEvent, step: readonly TraceEvent[] = [e]): string {
  const i = info(e);
  return i ? i.text(e, step) : `an event the page does not know (${e.event})`;
}

/** How much a record matters for its step's caption. */
export function eventWeight(e: TraceEvent): Weight {
  return info(e)?.weight ?? Weight.Normal;
}

/** Whether a record is a sanitizer report. */
export function isSanitizer(e: TraceEvent): boolean {
  return e.event.startsWith('sanitizer_');
}

/** A few words for a record, for tight spots (the lane diagram's "now" column). */
export function shortName(e: TraceEvent): string {
  switch (e.event) {
    case 'io_uring_submit_req':
      return 'consume SQE';
    case 'io_uring_complete':
      return `CQE ${resName(s32(e.a))}`;
    case 'io_uring_cqe_overflow':
      return 'CQE → overflow';
    case 'io_uring_queue_async_work':
      return 'punt to io-wq';
    case 'io_uring_req_failed':
      return 'prep failed';
    case 'io_uring_task_add':
      return 'task_work_add';
    case 'io_uring_cqring_wait':
      return 'wait';
    case 'sim_sys_enter':
      return 'io_uring_enter';
    case 'sim_sys_exit':
      return `return ${resName(s32(e.a))}`;
    case 'sim_sq_head_commit':
      return `SQ head = ${lo32(e.a)}`;
    case 'sim_cq_tail_commit':
      return `CQ tail = ${lo32(e.a)}`;
    case 'sim_uring_cmd_issue':
      return '->uring_cmd()';
    case 'sim_uring_cmd_ret':
      return `→ ${resName(s32(e.a))}`;
    case 'sim_uring_cmd_done':
      return 'done()';
    case 'sim_task_work_run':
      return 'task_work runs';
    case 'sim_work_run':
      return 'work item';
    case 'sim_timer_fire':
      return 'device timer';
    case 'io_uring_poll_arm':
      return 'poll armed';
    case 'sim_not_modelled':
      return 'not modelled';
    case 'sim_rw_done':
      return `${Number(BigInt.asIntN(64, e.b)) & 1 ? 'wrote' : 'read'} ${Number(e.a)} B`;
    case 'sim_poll_wake':
      return 'poll wake-up';
    case 'sim_poll_cancel':
      return 'poll cancelled';
    case 'sim_timeout_arm':
      return 'timer armed';
    case 'sim_timeout_fire':
      return Number(e.b) === 1 ? 'count reached' : Number(e.b) === 2 ? 'timeout stopped' : 'timer fires';
    case 'sim_cancel':
      return `cancel → ${resName(s32(e.a))}`;
    case 'sim_iowq_run':
      return 'io-wq worker';
    case 'sim_wait_sleep':
      return 'sleep';
    case 'sim_wait_wake':
      return 'wake';
    case 'sim_overflow_flush':
      return 'flush overflow';
    case 'sim_pdu_write':
      return 'write_pdu';
    case 'sim_pdu_read':
      return 'read_pdu';
    case 'sim_pdu_zero':
      return 'zero PDU';
    case 'sim_sqe_copy':
      return 'copy SQE';
    case 'sim_issue':
      return 'issue';
    case 'sim_req_free':
      return 'free';
    case 'sim_sqe_dropped':
      return 'SQE dropped';
    case 'sim_uring_cmd_cancel':
      return 'cancel';
    case 'sim_ring_exit':
      return 'ring exit';
    default:
      return e.event.startsWith('sanitizer_') ? '⚠ sanitizer' : e.event.replace(/^(io_uring_|sim_)/, '');
  }
}

/** Lists words as `a`, `a and b`, `a, b and c`. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const GROUPS: Record<string, (es: readonly TraceEvent[]) => string> = {
  io_uring_complete: (es) => `the kernel writes ${es.length} CQEs into the CQ ring: ${listWords(es.map((e) => `user_data ${userDataText(e.userData)} → ${resName(s32(e.a))}`))}`,
  io_uring_cqe_overflow: (es) => `the CQ ring is full, so the CQEs for user_data ${listWords(es.map((e) => userDataText(e.userData)))} go to the overflow list`,
  io_uring_submit_req: (es) => `the kernel consumes ${es.length} SQEs and starts their requests (user_data ${listWords(es.map((e) => userDataText(e.userData)))})`,
  io_uring_task_add: (es) => `task_work is queued for ${es.length} requests`,
  sim_req_free: (es) => `${es.length} requests go back to the request cache`,
};

/** One clause for several records of the same event, in the order they ran, read within their step. */
export function describeGroup(es: readonly TraceEvent[], step: readonly TraceEvent[] = es): string {
  const first = es[0];
  if (!first) return '';
  if (es.length === 1) return describeEvent(first, step);
  const g = GROUPS[first.event];
  if (g) return g(es);
  const text = describeEvent(first, step);
  return es.every((e) => describeEvent(e, step) === text) ? text : `${text}, and ${es.length - 1} more like it`;
}
