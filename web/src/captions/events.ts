/**
 * What each trace event means, in words: one clause per record, and how much it matters for
 * the caption of its step.
 *
 * Each event's named fields come from the schema in `core-rs/src/trace/mod.rs`, decoded by
 * `eventArgs` of `events.generated.ts`; this module only puts them into words.
 *
 * @see core-rs/src/trace/mod.rs
 */
import { EAGAIN, EIOCBQUEUED, IO_URING_F_IOWQ, IORING_ENTER_GETEVENTS, REQ_STATE_NAMES } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { type EventFields, type EventName, eventArgs, fieldsOf, SYSCALL_NAMES } from '../wasm/events.generated';
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

/** A 64-bit word from its two 32-bit halves, in hex. */
function word64(hi: number, lo: number): string {
  return hex((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

function ud(e: TraceEvent): string {
  return `user_data ${userDataText(e.userData)}`;
}

/** Whether the step issued request `req` from an io-wq worker (issue flags with IO_URING_F_IOWQ). */
export function issuedFromIoWq(req: number, step: readonly TraceEvent[]): boolean {
  return step.some((x) => {
    const f = eventArgs(x);
    return f?.event === 'sim_uring_cmd_issue' && x.req === req && (f.issue_flags & IO_URING_F_IOWQ) !== 0;
  });
}

/** Describes what a `->uring_cmd()` return value makes the core do (`fromIoWq`: the call came from io-wq). */
export function uringCmdRetClause(ret: number, fromIoWq = false): string {
  if (ret === -EAGAIN && fromIoWq)
    return '->uring_cmd() returns -EAGAIN again: from io-wq that is final without IOPOLL, so the request fails with -EAGAIN through task_work';
  if (ret === -EIOCBQUEUED)
    return '->uring_cmd() returns -EIOCBQUEUED: the command stays in flight until the driver completes it';
  if (ret === -EAGAIN)
    return '->uring_cmd() returns -EAGAIN, so the core marks the command REISSUE, copies its SQE and punts it to io-wq';
  if (ret < 0) return `->uring_cmd() returns ${resName(ret)}: the core fails the request with that error`;
  return `->uring_cmd() returns ${ret}: the core completes the request at once with that result`;
}

interface EventInfo<K extends EventName> {
  weight: Weight;
  /** The clause, in the present tense, starting lower-case (`f`: the record's fields; `step`: every record of its step). */
  text(f: EventFields[K], e: TraceEvent, step: readonly TraceEvent[]): string;
}

/** Keyed by event name; `events.test.ts` checks that every event of the schema is described. */
const INFO: { [K in EventName]: EventInfo<K> } = {
  io_uring_create: {
    weight: Weight.Normal,
    text: (f) =>
      `io_uring_setup creates a ring with ${plural(f.sq_entries, 'SQ entry', 'SQ entries')} and ${plural(f.cq_entries, 'CQ entry', 'CQ entries')}`,
  },
  io_uring_submit_req: {
    weight: Weight.Normal,
    text: (f, e) =>
      `the kernel consumes the SQE at SQ index ${f.sq_index} and starts ${who(e)}, a ${opcodeName(f.opcode)}${f.sqe_flags ? ` with ${sqeFlagNames(f.sqe_flags)}` : ''}`,
  },
  io_uring_complete: {
    weight: Weight.Key,
    text: (f, e) =>
      `the kernel writes the CQE for ${ud(e)} (res ${resName(f.res)}${f.cflags ? `, flags ${cqeFlagNames(f.cflags)}` : ''}) into CQ slot ${f.slot}`,
  },
  io_uring_queue_async_work: {
    weight: Weight.Key,
    text: (_f, e) => `the core punts ${who(e)} to an io-wq worker`,
  },
  io_uring_req_failed: {
    weight: Weight.Key,
    text: (f, e) => `${who(e)} fails before issue with ${resName(-Math.abs(f.error))}`,
  },
  io_uring_task_add: {
    weight: Weight.Key,
    text: (f, e) => `task_work is queued for the submitting task to finish ${who(e)}${f.lazy ? ' (lazy wake)' : ''}`,
  },
  io_uring_cqring_wait: {
    weight: Weight.Normal,
    text: (f) =>
      f.min_events === 0
        ? 'the task enters io_cqring_wait without waiting for any CQE: it runs pending task_work and flushes the overflow list'
        : `the task waits for ${plural(f.min_events, 'CQE')}`,
  },
  io_uring_fail_link: {
    weight: Weight.Key,
    text: (_f, e) => `${who(e)} is cancelled because the request it was linked to failed`,
  },
  io_uring_link: {
    weight: Weight.Normal,
    text: (f, e) => `${who(e)} is linked behind request ${f.head}`,
  },
  io_uring_defer: {
    weight: Weight.Normal,
    text: (_f, e) => `${who(e)} is deferred until every earlier request has completed (IO_DRAIN)`,
  },
  io_uring_cqe_overflow: {
    weight: Weight.Key,
    text: (f, e) => `the CQ ring is full, so the CQE for ${ud(e)} (res ${resName(f.res)}) goes to the overflow list`,
  },
  io_uring_local_work_run: {
    weight: Weight.Normal,
    text: (f) => `the task runs ${plural(f.items, 'item')} of DEFER_TASKRUN local work`,
  },
  io_uring_file_get: {
    weight: Weight.Noise,
    text: (f, e) => `the kernel looks up fd ${f.fd} for ${who(e)}`,
  },
  sim_sys_enter: {
    weight: Weight.Normal,
    text: (f) =>
      `the task enters io_uring_enter(to_submit ${f.to_submit}, min_complete ${f.min_complete}${f.flags & IORING_ENTER_GETEVENTS ? ', GETEVENTS' : ''})`,
  },
  sim_sys_exit: {
    weight: Weight.Normal,
    text: (f) => `io_uring_enter returns ${resName(f.ret)} to the application`,
  },
  sim_sq_head_commit: {
    weight: Weight.Normal,
    text: (f) => `the kernel publishes SQ head ${f.head}, handing the consumed SQE slots back to the application`,
  },
  sim_cq_tail_commit: {
    weight: Weight.Normal,
    text: (f) =>
      `the kernel publishes CQ tail ${f.tail}, so the application can see ${plural((f.tail - f.prev_tail) >>> 0, 'new CQE')}`,
  },
  sim_sqe_dropped: {
    weight: Weight.Key,
    text: (f) =>
      `SQ array entry ${f.index} is out of range, so the kernel drops that SQE without a CQE (sq_dropped = ${f.dropped})`,
  },
  sim_uring_cmd_issue: {
    weight: Weight.Key,
    text: (f, e) =>
      `the core calls the driver's ->uring_cmd() for ${who(e)} (cmd_op ${num(f.cmd_op)}, issue flags ${issueFlagNames(f.issue_flags)})`,
  },
  sim_uring_cmd_ret: {
    weight: Weight.Key,
    text: (f, e, step) => uringCmdRetClause(f.ret, issuedFromIoWq(e.req, step)),
  },
  sim_uring_cmd_done: {
    weight: Weight.Key,
    text: (f, e) =>
      `the driver completes ${who(e)} with io_uring_cmd_done(ret ${resName(f.ret)}, issue flags ${issueFlagNames(f.issue_flags)})`,
  },
  sim_task_work_run: {
    weight: Weight.Key,
    text: (f, e) => `${f.local ? 'DEFER_TASKRUN local work' : 'task_work'} runs in the submitting task for ${who(e)}`,
  },
  sim_work_run: {
    weight: Weight.Key,
    text: (_f, e) =>
      e.req ? `a workqueue item runs for ${who(e)}: the device has finished its part` : 'a workqueue item runs',
  },
  sim_wait_sleep: {
    weight: Weight.Normal,
    text: (f) => `the task sleeps until ${plural(f.min_events, 'CQE')} ${f.min_events === 1 ? 'is' : 'are'} ready`,
  },
  sim_wait_wake: {
    weight: Weight.Normal,
    text: () => 'the waiting task wakes up',
  },
  sim_overflow_flush: {
    weight: Weight.Key,
    text: (f) =>
      `${plural(f.moved, 'CQE')} ${f.moved === 1 ? 'moves' : 'move'} from the overflow list into the CQ ring, in order`,
  },
  sim_pdu_write: {
    weight: Weight.Normal,
    text: (f) => `the driver writes ${plural(f.len, 'byte')} of the PDU at offset ${f.offset}`,
  },
  sim_pdu_read: {
    weight: Weight.Normal,
    text: (f) => `the driver reads ${plural(f.len, 'byte')} of the PDU at offset ${f.offset}`,
  },
  sim_sqe_copy: {
    weight: Weight.Normal,
    text: (f) =>
      `the core copies the ${f.bytes || 64}-byte SQE into the request's async data, because userspace may reuse the ring slot`,
  },
  sim_iowq_run: {
    weight: Weight.Key,
    text: (_f, e) => `an io-wq worker picks up ${who(e)}`,
  },
  sim_driver_log: {
    weight: Weight.Normal,
    text: (f) => `the driver logs message ${f.msg}`,
  },
  sim_timer_fire: {
    weight: Weight.Normal,
    text: (f) => `the device's timer fires at ${(f.now_ns / 1000).toLocaleString('en-US')} µs`,
  },
  sim_wait_deadlock: {
    weight: Weight.Key,
    text: () => 'nothing could ever wake the waiting task, so the simulator interrupts the wait',
  },
  sim_user_sq_tail: {
    weight: Weight.Normal,
    text: (f) => `the application stores SQ tail ${f.tail}, publishing its SQEs`,
  },
  sim_user_cq_head: {
    weight: Weight.Normal,
    text: (f) => `the application stores CQ head ${f.head} after reading its CQEs`,
  },
  sim_req_free: {
    weight: Weight.Noise,
    text: (_f, e) => `${who(e)} goes back to the request cache`,
  },
  sim_uring_cmd_cancel: {
    weight: Weight.Key,
    text: (_f, e) => `the core asks the driver to cancel ${who(e)} (IO_URING_F_CANCEL)`,
  },
  sim_pdu_zero: {
    weight: Weight.Normal,
    text: (f) =>
      f.by === 1
        ? 'io_uring_cmd_prep zeroes the 32-byte PDU (RFC v3 patch 2/5)'
        : "the Rust wrapper zeroes the 32-byte PDU before the driver's first issue",
  },
  sim_ring_exit: {
    weight: Weight.Key,
    text: (f) =>
      `the ring is torn down${f.cancelable ? ` and ${plural(f.cancelable, 'in-flight request')} ${f.cancelable === 1 ? 'is' : 'are'} cancelled` : ''}`,
  },
  sim_issue: {
    weight: Weight.Noise,
    text: (f, e) =>
      `the core issues ${who(e)}, a ${opcodeName(f.opcode)}, with issue flags ${issueFlagNames(f.issue_flags)}`,
  },
  sim_req_state: {
    weight: Weight.Noise,
    text: (f, e) =>
      `${who(e)} moves from state ${REQ_STATE_NAMES[f.from] ?? f.from} to ${REQ_STATE_NAMES[f.to] ?? f.to}`,
  },
  sanitizer_double_done: {
    weight: Weight.Alarm,
    text: (_f, e) => `the sanitizer reports that ${who(e)} is completed a second time`,
  },
  sanitizer_done_bad_flags: {
    weight: Weight.Alarm,
    text: (f) =>
      `the sanitizer reports that done() got issue flags ${issueFlagNames(f.passed)} where the core handed out ${issueFlagNames(f.allowed)}`,
  },
  sanitizer_done_unlocked: {
    weight: Weight.Alarm,
    text: () => 'the sanitizer reports that done() runs without uring_lock and without IO_URING_F_UNLOCKED',
  },
  sanitizer_pdu_stale_read: {
    weight: Weight.Alarm,
    text: (f) =>
      `the sanitizer reports that the driver reads PDU bytes the previous command left in this recycled request (${word64(f.word_hi, f.word_lo)})`,
  },
  sanitizer_res2_lost: {
    weight: Weight.Alarm,
    text: (f) =>
      `the sanitizer reports that res2 ${word64(f.res2_hi, f.res2_lo)} is dropped: v3's done(ret, res2) must call 6.18's io_uring_cmd_done(cmd, ret, flags), which has no res2`,
  },
  sanitizer_cmd_lost: {
    weight: Weight.Alarm,
    text: (f, e) =>
      `the sanitizer reports that ${who(e)} is in flight with nothing left to complete it (${f.how === 1 ? 'the driver returned complete(-EIOCBQUEUED)' : 'the driver dropped its QueuedIoUringCmd'})`,
  },
  sanitizer_pdu_misaligned: {
    weight: Weight.Alarm,
    text: (f) =>
      `the sanitizer reports a reference into the PDU as a type needing ${f.align}-byte alignment, where this kernel's PDU is only ${f.pdu_align}-byte aligned`,
  },
  sim_warn: {
    weight: Weight.Alarm,
    text: (f, e) =>
      f.site === 1
        ? `the kernel warns (WARN_ON_ONCE): done() with IO_URING_F_UNLOCKED and IO_URING_F_COMPLETE_DEFER; it returns without a CQE and ${who(e)} leaks`
        : `the kernel warns (WARN_ON_ONCE): the ring's exit work has waited 5 minutes for ${plural(f.waiting, 'request')}; it keeps waiting, once a minute`,
  },
  sim_ring_freed: {
    weight: Weight.Key,
    text: (f) =>
      `the last request is gone: the exit work finishes after ${plural(f.passes, 'pass', 'passes')} and ${plural(f.cancels, 'cancel call')}, and the ring is freed`,
  },
  sanitizer_sqe_after_issue: {
    weight: Weight.Alarm,
    text: () =>
      'the sanitizer reports that the driver reads the SQE after ->uring_cmd() returned, when userspace may already have reused the slot',
  },
  sanitizer_pdu_too_big: {
    weight: Weight.Alarm,
    text: () => 'the sanitizer reports that the driver uses a PDU type larger than the 32-byte PDU',
  },
  sim_iopoll_no_hook: {
    weight: Weight.Key,
    text: (f, e) =>
      `the ring polls for completions (IOPOLL) but the file behind fd ${f.fd} has no ->uring_cmd_iopoll(), so the core fails ${who(e)} with -EOPNOTSUPP without calling its driver`,
  },
  sim_iopoll_queue: {
    weight: Weight.Normal,
    text: (f, e) =>
      `${who(e)} goes on the ring's iopoll list (${plural(f.listed, 'request')} there): on an IOPOLL ring only polling finds its completion`,
  },
  sim_iopoll_completed: {
    weight: Weight.Key,
    text: (f, e) =>
      `done() on an IOPOLL ring only sets iopoll_completed for ${who(e)} (result ${resName(f.res)}): no CQE yet, the poller posts it`,
  },
  sim_iopoll_hook: {
    weight: Weight.Normal,
    text: (f, e) =>
      f.found > 0
        ? `the poller calls the driver's ->uring_cmd_iopoll() for ${who(e)}: the device has finished it`
        : `the poller calls the driver's ->uring_cmd_iopoll() for ${who(e)}: not finished yet`,
  },
  sim_iopoll_pass: {
    weight: Weight.Noise,
    text: (f) =>
      f.reaped > 0
        ? `io_do_iopoll reaps ${plural(f.reaped, 'completed request')} from the iopoll list into CQEs`
        : `io_do_iopoll polls ${plural(f.listed, 'request')} and reaps nothing`,
  },
  sim_iopoll_check_done: {
    weight: Weight.Normal,
    text: (f) =>
      `io_iopoll_check returns to userspace with ${plural(f.events, 'event')} after ${plural(f.passes, 'polling pass', 'polling passes')}`,
  },
  sim_uring_cmd_no_hook: {
    weight: Weight.Key,
    text: (f, e) =>
      `the file behind fd ${f.fd} has no ->uring_cmd() handler, so the core fails ${who(e)} with -EOPNOTSUPP`,
  },
  sim_sqe_read: {
    weight: Weight.Normal,
    text: (f) =>
      `the driver reads ${plural(f.len, 'byte')} of the SQE at offset ${f.offset}${f.volatile & 1 ? ' with a volatile read' : ''}`,
  },
  sim_dev_register: {
    weight: Weight.Normal,
    text: (f) => `a misc device is registered with minor ${f.minor}`,
  },
  sim_dev_open: {
    weight: Weight.Normal,
    text: (f) => `the misc device is opened as fd ${f.fd}`,
  },
  sim_dev_release: {
    weight: Weight.Normal,
    text: () => 'the device file is released (its last reference went away)',
  },
  sim_dev_ctl: {
    weight: Weight.Normal,
    text: (f) => `the scenario pokes the device behind fd ${f.fd} (argument ${f.arg})`,
  },
  sim_uring_cmd_do_in_task: {
    weight: Weight.Key,
    text: (f, e) => `the driver asks for a task_work callback to finish ${who(e)}${f.lazy ? ' (lazy wake)' : ''}`,
  },
  sim_work_queue: {
    weight: Weight.Normal,
    text: (f) =>
      f.delayed
        ? `the driver queues delayed work, due in ${(f.delay_ns / 1000).toLocaleString('en-US')} µs`
        : 'the driver queues work on the system workqueue',
  },
  sim_uring_cmd_cancelable: {
    weight: Weight.Normal,
    text: (_f, e) => `the driver marks ${who(e)} cancelable`,
  },
  sim_copy_from_user: {
    weight: Weight.Normal,
    text: (f) => `the driver copies ${plural(f.len, 'byte')} from user memory at ${hex(f.addr)}`,
  },
  sim_copy_to_user: {
    weight: Weight.Normal,
    text: (f) => `the driver copies ${plural(f.len, 'byte')} to user memory at ${hex(f.addr)}`,
  },
  io_uring_task_work_run: {
    weight: Weight.Noise,
    text: (f) => `the task finishes a batch of ${plural(f.items, 'task_work item')} and flushes its completions`,
  },
  sim_cqe_skip_filler: {
    weight: Weight.Normal,
    text: (f) =>
      `only one slot is left before the CQ ring wraps, so the kernel fills slot ${f.slot} with a CQE marked IORING_CQE_F_SKIP and puts the 32-byte CQE after the wrap`,
  },
  io_uring_register: {
    weight: Weight.Noise,
    text: (f) =>
      `io_uring_register (opcode ${num(f.opcode)}) returns ${resName(f.ret)}; the ring has ${plural(f.nr_user_files, 'registered file')} and ${plural(f.nr_user_bufs, 'registered buffer')}`,
  },
  io_uring_short_write: {
    weight: Weight.Key,
    text: (f, e) =>
      `${who(e)} wrote only ${plural(f.got, 'byte')} of ${f.wanted} at file position ${f.fpos} (a fault part-way through its buffers): it keeps the bytes done and answers -EAGAIN, so its CQE will report ${f.got}`,
  },
  sim_register: {
    weight: Weight.Normal,
    text: (f) => `the program calls io_uring_register (opcode ${num(f.opcode)}), which returns ${resName(f.ret)}`,
  },
  sim_sys_call: {
    weight: Weight.Normal,
    text: (f) => `the program calls ${SYSCALL_NAMES[f.nr] ?? `system call ${f.nr}`}(), which returns ${resName(f.ret)}`,
  },
  sim_cqe_cache_quirk: {
    weight: Weight.Normal,
    text: (f) =>
      f.quirk === 1
        ? `the kernel's cached CQ range is one slot behind after a filler CQE, so this CQE lands on the filler in slot ${f.slot} (as Linux 6.18 does on CQE_MIXED rings)`
        : `a CQE is written from the cached CQ range while older CQEs still wait on the overflow list (as Linux 6.18 does on CQE_MIXED rings)`,
  },
  sim_submit_flush: {
    weight: Weight.Noise,
    text: (f) =>
      f.reqs
        ? `the end of the submit batch flushes ${plural(f.reqs, 'deferred completion')}`
        : 'the submit batch ends with no deferred completion to flush',
  },
  io_uring_poll_arm: {
    weight: Weight.Key,
    text: (f, e) =>
      `the file is not ready, so ${who(e)} waits on its wait queue (async poll for ${pollText(f.mask)}) instead of blocking`,
  },
  sim_not_modelled: {
    weight: Weight.Key,
    text: (f, e) =>
      `not modelled: the simulator has no model for ${notModelledWhat(f.what)} of ${opcodeName(f.opcode)}, so ${who(e)} fails with -4096, an answer Linux never gives (it is not an errno)`,
  },
  sim_rw_done: {
    weight: Weight.Key,
    text: (f, e) =>
      `${who(e)} ${f.dir === 1 ? 'writes' : 'reads'} ${plural(f.bytes, 'byte')}${f.pos === 0xffffffff ? '' : ` at offset ${f.pos}`}`,
  },
  sim_poll_wake: {
    weight: Weight.Key,
    text: (f, e) =>
      `the file becomes ready (${pollText(f.mask)}) and wakes ${who(e)}; its retry is queued as task_work`,
  },
  sim_poll_cancel: {
    weight: Weight.Key,
    text: (_f, e) => `${who(e)} is taken off its file's wait queue: cancelled`,
  },
  sim_timeout_arm: {
    weight: Weight.Normal,
    text: (f, e) =>
      `${f.link ? 'the linked timeout' : 'the timeout'} ${who(e)} starts its timer: ${(f.ns / 1e6).toLocaleString('en-US')} ms${f.count ? `, or ${plural(f.count, 'completion')}` : ''}`,
  },
  sim_timeout_fire: {
    weight: Weight.Key,
    text: (f, e) =>
      f.how === 1
        ? `enough completions were posted: timeout ${who(e)} ends with 0`
        : f.how === 2
          ? `timeout ${who(e)} is stopped before its timer fired: ${resName(f.res)}`
          : `the timer of ${who(e)} fires: ${resName(f.res)}`,
  },
  sim_poll_arm: {
    weight: Weight.Key,
    text: (f, e) =>
      `${who(e)} waits on the file's wait queue for ${pollText(f.events & 0xffff)}${f.multishot ? ': multishot, one CQE with IORING_CQE_F_MORE per wake-up' : ''}`,
  },
  sim_poll_remove: {
    weight: Weight.Key,
    text: (f, e) =>
      `POLL_REMOVE ${who(e)} looks for the poll with user_data ${userDataText(BigInt.asUintN(64, BigInt(f.target)))}: ${f.res === 0 ? 'found; it will end with -ECANCELED' : resName(f.res)}`,
  },
  sim_sqpoll_create: {
    weight: Weight.Key,
    text: (f) =>
      `io_sq_offload_create starts the SQPOLL thread${f.cpu >= 0 ? ` bound to CPU ${f.cpu}` : ''}; it may spin idle for ${plural(f.idle_jiffies, 'jiffy', 'jiffies')} (${f.idle_jiffies * 4} ms) before it sleeps`,
  },
  sim_sqpoll_pass: {
    weight: Weight.Key,
    text: (f) =>
      f.to_submit
        ? `the SQ thread sees the new SQ tail and submits ${plural(f.to_submit, 'SQE')} itself: no system call from the application`
        : `the SQ thread runs ${plural(f.task_work, 'task_work item')} queued for the requests it submitted`,
  },
  sim_sqpoll_pass_done: {
    weight: Weight.Normal,
    text: (f) => `the SQ thread's pass ends (${plural(f.submitted, 'SQE')} submitted); its idle clock restarts`,
  },
  sim_sqpoll_idle: {
    weight: Weight.Key,
    text: (f) =>
      f.slept
        ? 'the SQ thread found nothing to do for sq_thread_idle: it sets IORING_SQ_NEED_WAKEUP and goes to sleep'
        : 'the SQ thread sets IORING_SQ_NEED_WAKEUP, but its last look finds new SQEs, so it stays awake',
  },
  sim_sqpoll_wake: {
    weight: Weight.Key,
    text: () => 'the SQ thread wakes up, clears IORING_SQ_NEED_WAKEUP and starts polling the SQ ring again',
  },
  sim_sqpoll_wakeup: {
    weight: Weight.Normal,
    text: (f) =>
      f.was_asleep
        ? 'io_uring_enter(IORING_ENTER_SQ_WAKEUP) wakes the sleeping SQ thread'
        : 'io_uring_enter(IORING_ENTER_SQ_WAKEUP): the SQ thread is awake already, nothing to wake',
  },
  sim_sqpoll_sq_wait: {
    weight: Weight.Normal,
    text: (f) =>
      f.full
        ? 'IORING_ENTER_SQ_WAIT: the SQ ring is full, so the task sleeps until the SQ thread consumes entries'
        : 'IORING_ENTER_SQ_WAIT: the SQ ring has room, nothing to wait for',
  },
  sim_sqpoll_stop: {
    weight: Weight.Normal,
    text: () => 'the ring goes away: its SQ thread is stopped (io_sq_thread_stop)',
  },
  sim_cancel: {
    weight: Weight.Key,
    text: (f, e) =>
      `${who(e)} looks for user_data ${userDataText(BigInt.asUintN(64, BigInt(f.target)))}: ${f.res === 0 ? 'found and cancelled' : resName(f.res)}`,
  },
  sim_net_xfer: {
    weight: Weight.Key,
    text: (f, e) =>
      `${who(e)} ${f.dir === 1 ? 'sends' : 'receives'}${f.buffer ? ` through provided buffer ${f.buffer - 1}` : ''}: ${f.bytes >= 0 ? plural(f.bytes, 'byte') : `${resName(f.bytes)}${f.bytes === -11 ? ' (nothing there yet: it will wait on the socket)' : ''}`}`,
  },
  sim_accept: {
    weight: Weight.Key,
    text: (f, e) =>
      f.fd >= 0
        ? `${who(e)} takes a connection from the listener's accept queue: new descriptor ${f.fd}`
        : `${who(e)} accepts nothing: ${resName(f.fd)}${f.fd === -11 ? ' (no connection yet: it will wait on the listener)' : ''}`,
  },
  sim_kbuf_manage: {
    weight: Weight.Key,
    text: (f, e) =>
      f.op === 1
        ? `${who(e)} provides buffers to group ${f.bgid}: ${f.res === 0 ? 'added at the end of the group' : resName(f.res)}`
        : `${who(e)} removes buffers from group ${f.bgid}: ${f.res >= 0 ? `${plural(f.res, 'buffer')} removed` : resName(f.res)}`,
  },
  sim_kbuf_select: {
    weight: Weight.Key,
    text: (f, e) =>
      `${who(e)} takes buffer ${f.bid}, the first of group ${f.bgid}; its CQE will name it (IORING_CQE_F_BUFFER, id in flags >> 16) and the kernel never writes it after that CQE`,
  },
  sim_kbuf_ring: {
    weight: Weight.Key,
    text: (f) =>
      f.entries > 0
        ? `a ${f.entries}-entry buffer ring in the program's memory now feeds group ${f.bgid}: the program adds buffers and publishes the tail, the kernel takes them at its head`
        : `the buffer ring of group ${f.bgid} is unregistered`,
  },
  sim_kbuf_recycle: {
    weight: Weight.Normal,
    text: (f, e) => `buffer ${f.bid} got no data from ${who(e)}: it goes back to the front of group ${f.bgid}`,
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

/** What `sim_not_modelled` says was not modelled. */
function notModelledWhat(what: number): string {
  if (what === 1) return 'a field value';
  if (what === 2) return 'the file kind';
  return 'the opcode';
}

/** Every event name the UI knows how to put into words. */
export const DESCRIBED_EVENTS: readonly string[] = Object.keys(INFO);

function info(e: TraceEvent): EventInfo<EventName> | undefined {
  return Object.prototype.hasOwnProperty.call(INFO, e.event)
    ? (INFO[e.event as EventName] as EventInfo<EventName>)
    : undefined;
}

/** One clause describing a trace record (lower-case, no final period), read within its step. */
export function describeEvent(e: TraceEvent, step: readonly TraceEvent[] = [e]): string {
  const i = info(e);
  const f = eventArgs(e);
  return i && f ? i.text(f as never, e, step) : `an event the page does not know (${e.event})`;
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
  const f = eventArgs(e);
  switch (f?.event) {
    case 'io_uring_submit_req':
      return 'consume SQE';
    case 'io_uring_complete':
      return `CQE ${resName(f.res)}`;
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
      return `return ${resName(f.ret)}`;
    case 'sim_sq_head_commit':
      return `SQ head = ${f.head}`;
    case 'sim_cq_tail_commit':
      return `CQ tail = ${f.tail}`;
    case 'sim_uring_cmd_issue':
      return '->uring_cmd()';
    case 'sim_uring_cmd_ret':
      return `→ ${resName(f.ret)}`;
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
      return `${f.dir === 1 ? 'wrote' : 'read'} ${f.bytes} B`;
    case 'sim_poll_wake':
      return 'poll wake-up';
    case 'sim_poll_cancel':
      return 'poll cancelled';
    case 'sim_timeout_arm':
      return 'timer armed';
    case 'sim_timeout_fire':
      return f.how === 1 ? 'count reached' : f.how === 2 ? 'timeout stopped' : 'timer fires';
    case 'sim_cancel':
      return `cancel → ${resName(f.res)}`;
    case 'sim_sqpoll_create':
      return 'SQ thread started';
    case 'sim_sqpoll_pass':
      return f.to_submit ? `SQ thread submits ${f.to_submit}` : 'SQ thread task_work';
    case 'sim_sqpoll_pass_done':
      return 'SQ pass done';
    case 'sim_sqpoll_idle':
      return f.slept ? 'NEED_WAKEUP, sleeps' : 'NEED_WAKEUP, stays';
    case 'sim_sqpoll_wake':
      return 'SQ thread wakes';
    case 'sim_sqpoll_wakeup':
      return 'SQ_WAKEUP';
    case 'sim_sqpoll_sq_wait':
      return f.full ? 'SQ_WAIT: full' : 'SQ_WAIT';
    case 'sim_sqpoll_stop':
      return 'SQ thread stops';
    case 'sim_poll_arm':
      return f.multishot ? 'multishot poll' : 'poll armed';
    case 'sim_poll_remove':
      return `poll remove → ${resName(f.res)}`;
    case 'sim_net_xfer':
      return `${f.dir === 1 ? 'send' : 'recv'} → ${f.bytes >= 0 ? f.bytes : resName(f.bytes)}`;
    case 'sim_accept':
      return `accept → ${f.fd >= 0 ? `fd ${f.fd}` : resName(f.fd)}`;
    case 'sim_kbuf_manage':
      return `${f.op === 1 ? 'provide' : 'remove'} buffers → ${f.res >= 0 ? f.res : resName(f.res)}`;
    case 'sim_kbuf_select':
      return `buffer ${f.bid}`;
    case 'sim_kbuf_ring':
      return f.entries > 0 ? `buffer ring ${f.bgid}` : `ring ${f.bgid} gone`;
    case 'sim_kbuf_recycle':
      return `buffer ${f.bid} back`;
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
  io_uring_complete: (es) =>
    `the kernel writes ${es.length} CQEs into the CQ ring: ${listWords(es.map((e) => `user_data ${userDataText(e.userData)} → ${resName(fieldsOf(e as TraceEvent & { event: 'io_uring_complete' }).res)}`))}`,
  io_uring_cqe_overflow: (es) =>
    `the CQ ring is full, so the CQEs for user_data ${listWords(es.map((e) => userDataText(e.userData)))} go to the overflow list`,
  io_uring_submit_req: (es) =>
    `the kernel consumes ${es.length} SQEs and starts their requests (user_data ${listWords(es.map((e) => userDataText(e.userData)))})`,
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
