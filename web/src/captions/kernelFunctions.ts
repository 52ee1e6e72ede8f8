/**
 * The upstream function each step corresponds to: the kernel C function behind a trace event,
 * the liburing call behind an application step, or the Rust abstraction method of the uring_cmd
 * series (which is not in mainline), with links to read it.
 *
 * Function names and files follow docs/kernel-notes.md (mainline ≈ v6.18/v6.19: `io_uring/tw.c` and
 * `io_uring/wait.c` are split out of `io_uring.c`). Links to function names go to Elixir's
 * identifier search, which survives code moving between files and releases.
 */
import type { TraceEvent } from '../wasm/decode';
import { eventArgs, fieldsOf } from '../wasm/events.generated';

/** Where a function lives. */
export type Origin = 'kernel' | 'rust-mainline' | 'liburing' | 'rust-series' | 'simulator';

export interface UpstreamFunction {
  /** The function as it is written (`io_uring_cmd`, `IoUringCmd::write_pdu`). */
  name: string;
  /** The identifier to look up (for C: the function name). */
  ident: string;
  /** The file in its repository (`io_uring/uring_cmd.c`). */
  file: string;
  origin: Origin;
  /** What it does, in a few words. */
  what: string;
}

/** The series the Rust abstraction comes from (not merged: docs/kernel-notes.md §5.3). */
export const RUST_SERIES_URL = 'https://lore.kernel.org/all/?q=s%3A%22abstraction+for+uring_cmd%22';

/** A link to read the function. */
export function functionUrl(f: UpstreamFunction): string {
  switch (f.origin) {
    case 'kernel':
      return `https://elixir.bootlin.com/linux/latest/A/ident/${encodeURIComponent(f.ident)}`;
    case 'rust-mainline':
      return `https://github.com/torvalds/linux/blob/master/${f.file}`;
    case 'liburing':
      return `https://github.com/axboe/liburing/blob/master/${f.file}`;
    case 'rust-series':
      return RUST_SERIES_URL;
    case 'simulator':
      return '';
  }
}

/** A link to the whole file (GitHub), when it is upstream. */
export function fileUrl(f: UpstreamFunction): string {
  if (f.origin === 'kernel' || f.origin === 'rust-mainline')
    return `https://github.com/torvalds/linux/blob/master/${f.file}`;
  if (f.origin === 'liburing') return `https://github.com/axboe/liburing/blob/master/${f.file}`;
  return '';
}

const k = (name: string, file: string, what: string, ident = name): UpstreamFunction => ({
  name,
  ident,
  file,
  origin: 'kernel',
  what,
});
const lu = (name: string, file: string, what: string): UpstreamFunction => ({
  name,
  ident: name,
  file,
  origin: 'liburing',
  what,
});
const rm = (name: string, file: string, what: string): UpstreamFunction => ({
  name,
  ident: name,
  file,
  origin: 'rust-mainline',
  what,
});
const rs = (name: string, file: string, what: string): UpstreamFunction => ({
  name,
  ident: name,
  file,
  origin: 'rust-series',
  what,
});
const sim = (name: string, what: string): UpstreamFunction => ({
  name,
  ident: name,
  file: '',
  origin: 'simulator',
  what,
});

const URING_CMD_C = 'io_uring/uring_cmd.c';
const IO_URING_C = 'io_uring/io_uring.c';
const CMD_H = 'include/linux/io_uring/cmd.h';
const RW_C = 'io_uring/rw.c';

const ENTER = k('io_uring_enter', IO_URING_C, 'the io_uring_enter(2) system call', 'io_uring_enter');
const CMD = k(
  'io_uring_cmd',
  URING_CMD_C,
  'the uring_cmd issue handler: calls f_op->uring_cmd() and acts on its result',
);
const WAIT = k(
  'io_cqring_wait',
  'io_uring/wait.c',
  'waits until enough CQEs are ready, running task_work and flushing overflow first',
);

/** Keyed by event name (string, so a core with new events still builds; tests check coverage). */
const BY_EVENT: Record<string, UpstreamFunction | ((e: TraceEvent) => UpstreamFunction)> = {
  io_uring_create: k('io_uring_create', IO_URING_C, 'allocates the ring context and the shared regions'),
  io_uring_submit_req: k(
    'io_submit_sqe',
    IO_URING_C,
    'reads one SQE (io_get_sqe) and initialises its request (io_init_req)',
  ),
  io_uring_complete: k(
    'io_fill_cqe_req',
    'io_uring/io_uring.h',
    "copies the request's result into the next free CQE slot",
  ),
  io_uring_queue_async_work: k('io_queue_iowq', IO_URING_C, 'hands a request to an io-wq worker'),
  io_uring_req_failed: k('io_submit_fail_init', IO_URING_C, 'fails a request whose SQE could not be initialised'),
  io_uring_task_add: k('__io_req_task_work_add', 'io_uring/tw.c', 'queues task_work for the submitting task'),
  io_uring_cqring_wait: WAIT,
  io_uring_fail_link: k('io_fail_links', IO_URING_C, 'cancels the rest of a link chain'),
  io_uring_link: k('io_submit_sqe', IO_URING_C, 'appends a request to the current link chain'),
  io_uring_defer: k('io_drain_req', IO_URING_C, 'defers an IO_DRAIN request'),
  io_uring_cqe_overflow: k('io_cqe_overflow', IO_URING_C, 'keeps a CQE on the overflow list when the CQ ring is full'),
  io_uring_local_work_run: k('__io_run_local_work', 'io_uring/tw.c', 'runs DEFER_TASKRUN local work'),
  io_uring_file_get: k('io_file_get_normal', IO_URING_C, "resolves the request's file descriptor"),
  sim_sys_enter: ENTER,
  sim_sys_exit: ENTER,
  sim_sq_head_commit: k('io_commit_sqring', IO_URING_C, 'publishes the SQ head with a store-release'),
  sim_cq_tail_commit: k('io_commit_cqring', 'io_uring/io_uring.h', 'publishes the CQ tail with a store-release'),
  sim_sqe_dropped: k('io_get_sqe', IO_URING_C, 'maps an SQ index to an SQE; drops out-of-range indices'),
  sim_uring_cmd_issue: CMD,
  sim_uring_cmd_ret: CMD,
  sim_uring_cmd_done: k('__io_uring_cmd_done', URING_CMD_C, 'completes a queued uring_cmd'),
  sim_task_work_run: (e) =>
    fieldsOf(e as TraceEvent & { event: 'sim_task_work_run' }).local
      ? k('__io_run_local_work', 'io_uring/tw.c', 'runs DEFER_TASKRUN local work')
      : k('tctx_task_work', 'io_uring/tw.c', "runs the task's io_uring task_work"),
  sim_work_run: k('process_one_work', 'kernel/workqueue.c', 'runs one workqueue item'),
  sim_wait_sleep: WAIT,
  sim_wait_wake: WAIT,
  sim_overflow_flush: k(
    '__io_cqring_overflow_flush',
    IO_URING_C,
    'moves overflowed CQEs into the ring while there is room',
  ),
  sim_pdu_write: rs('IoUringCmd::write_pdu', 'rust/kernel/io_uring.rs', 'copies a value into the 32-byte PDU'),
  sim_pdu_read: rs('IoUringCmd::read_pdu', 'rust/kernel/io_uring.rs', 'copies a value out of the 32-byte PDU'),
  sim_sqe_copy: k('io_uring_cmd_sqe_copy', URING_CMD_C, 'copies the SQE into async data before a deferred issue'),
  sim_iowq_run: k('io_wq_submit_work', IO_URING_C, 'issues a request from an io-wq worker (UNLOCKED|IOWQ)'),
  sim_driver_log: sim('dev_info!', 'a message from the driver'),
  sim_timer_fire: sim('device timer', 'the simulated device finishes its work (no upstream counterpart)'),
  sim_wait_deadlock: sim('deadlock check', 'the simulator ends a wait nothing could ever end'),
  sim_user_sq_tail: lu('io_uring_submit', 'src/queue.c', 'publishes the SQ tail (__io_uring_flush_sq)'),
  sim_user_cq_head: lu('io_uring_cq_advance', 'src/include/liburing.h', 'stores the CQ head after reading CQEs'),
  sim_req_free: k('io_free_batch_list', IO_URING_C, 'returns finished requests to the request cache'),
  sim_uring_cmd_cancel: k(
    'io_uring_try_cancel_uring_cmd',
    URING_CMD_C,
    'calls cancelable commands with IO_URING_F_CANCEL',
  ),
  sim_pdu_zero: (e) =>
    fieldsOf(e as TraceEvent & { event: 'sim_pdu_zero' }).by === 1
      ? k('io_uring_cmd_prep', URING_CMD_C, 'with RFC v3 patch 2/5: memset()s the PDU at prep')
      : rs(
          'MiscdeviceVTable::uring_cmd',
          'rust/kernel/miscdevice.rs',
          'the v5 trampoline: zeroes the PDU unless IORING_URING_CMD_REISSUE is set',
        ),
  sim_ring_exit: k('io_ring_exit_work', IO_URING_C, 'tears a ring down and cancels what is in flight'),
  sim_issue: k('io_issue_sqe', IO_URING_C, "calls the opcode's issue handler"),
  sim_req_state: sim('request state', 'the simulator records the request entering another state of its life'),
  sanitizer_double_done: k('__io_uring_cmd_done', URING_CMD_C, 'may run once per command'),
  sanitizer_done_bad_flags: k('io_uring_cmd_done', CMD_H, 'must get the issue_flags the core handed out'),
  sanitizer_done_unlocked: k('io_uring_cmd_done', CMD_H, 'needs uring_lock unless IO_URING_F_UNLOCKED is passed'),
  sanitizer_pdu_stale_read: k('io_uring_cmd_prep', URING_CMD_C, 'does not clear the PDU of a recycled request'),
  sanitizer_res2_lost: k('io_uring_cmd_done', CMD_H, 'has no res2 since 6.18 (io_uring_cmd_done32 has)'),
  sanitizer_cmd_lost: k('io_ring_exit_work', IO_URING_C, 'waits for every request, forever'),
  sanitizer_pdu_misaligned: k('io_uring_cmd_to_pdu', CMD_H, 'casts the byte array to a struct pointer'),
  sim_warn: (e) =>
    fieldsOf(e as TraceEvent & { event: 'sim_warn' }).site === 1
      ? k('__io_uring_cmd_done', URING_CMD_C, 'WARN_ON_ONCE(issue_flags & IO_URING_F_UNLOCKED) with COMPLETE_DEFER')
      : k('io_ring_exit_work', IO_URING_C, 'WARN_ON_ONCE(time_after(jiffies, timeout)) after 5 minutes'),
  sim_ring_freed: k('io_ring_exit_work', IO_URING_C, 'ends when ctx->ref_comp completes'),
  sanitizer_sqe_after_issue: k('io_uring_cmd_sqe_copy', URING_CMD_C, 'copies the SQE only when the issue is deferred'),
  sanitizer_pdu_too_big: k('io_uring_cmd_to_pdu', CMD_H, 'BUILD_BUG_ON(sizeof(T) > 32)'),
  sim_uring_cmd_no_hook: CMD,
  sim_iopoll_no_hook: k('io_uring_cmd', URING_CMD_C, 'refuses a file without ->uring_cmd_iopoll on an IOPOLL ring'),
  sim_iopoll_queue: k('io_iopoll_req_issued', IO_URING_C, 'adds the request to ctx->iopoll_list'),
  sim_iopoll_completed: k('__io_uring_cmd_done', URING_CMD_C, 'only sets iopoll_completed on an IOPOLL ring'),
  sim_iopoll_hook: k('io_uring_classic_poll', RW_C, "calls the file's ->uring_cmd_iopoll()"),
  sim_iopoll_pass: k('io_do_iopoll', RW_C, 'polls the iopoll list and reaps completed requests'),
  sim_iopoll_check_done: k('io_iopoll_check', IO_URING_C, 'polls until min_complete events, for GETEVENTS'),
  sim_sqe_read: rs('IoUringSqe::cmd_data', 'rust/kernel/io_uring.rs', 'reads the command area of the SQE'),
  sim_dev_register: k('misc_register', 'drivers/char/misc.c', 'registers a misc device'),
  sim_dev_open: k('misc_open', 'drivers/char/misc.c', "opens a misc device and calls the driver's open"),
  sim_dev_release: rm(
    'MiscdeviceVTable::release',
    'rust/kernel/miscdevice.rs',
    "gives the driver's data back on the last close",
  ),
  sim_dev_ctl: sim('device control', 'the scenario pokes the simulated device'),
  sim_uring_cmd_do_in_task: k('__io_uring_cmd_do_in_task', URING_CMD_C, 'queues a driver callback as task_work'),
  sim_work_queue: (e) =>
    fieldsOf(e as TraceEvent & { event: 'sim_work_queue' }).delayed
      ? k('queue_delayed_work_on', 'kernel/workqueue.c', 'queues work to run after a delay')
      : k('queue_work_on', 'kernel/workqueue.c', 'queues work on a workqueue'),
  sim_uring_cmd_cancelable: k(
    'io_uring_cmd_mark_cancelable',
    URING_CMD_C,
    "puts the command on the ring's cancel list",
  ),
  sim_copy_from_user: k('_copy_from_user', 'lib/usercopy.c', 'copies bytes from user memory'),
  sim_copy_to_user: k('_copy_to_user', 'lib/usercopy.c', 'copies bytes to user memory'),
  io_uring_task_work_run: k(
    'tctx_task_work_run',
    'io_uring/tw.c',
    "runs the task's io_uring task_work and flushes the completions",
  ),
  sim_cqe_skip_filler: k(
    'io_fill_nop_cqe',
    IO_URING_C,
    'writes a filler CQE so a 32-byte CQE does not straddle the wrap',
  ),
  io_uring_register: k(
    'io_uring_register',
    'io_uring/register.c',
    'traces a register call on a ring',
    '__do_sys_io_uring_register',
  ),
  sim_register: k(
    'io_uring_register',
    'io_uring/register.c',
    'registers files or buffers, probes opcodes, enables a disabled ring',
    '__do_sys_io_uring_register',
  ),
  io_uring_short_write: k('io_write', RW_C, 'a short write to a regular file: keep the bytes done, retry'),
  sim_sys_call: sim('syscall', 'a plain system call of the program (read, write, close, socket calls)'),
  sim_cqe_cache_quirk: k(
    'io_get_cqe_overflow',
    'io_uring/io_uring.h',
    'hands out CQ slots from the cached free range (cqe_cached/cqe_sentinel)',
  ),
  sim_submit_flush: k('__io_submit_flush_completions', IO_URING_C, 'posts the CQEs deferred during the submit batch'),
  io_uring_poll_arm: k(
    'io_arm_poll_handler',
    'io_uring/poll.c',
    'after -EAGAIN, waits on the file through async poll instead of io-wq',
  ),
  sim_not_modelled: sim(
    'not modelled',
    'the simulator has no model for this request and says so (res -4096, never an errno)',
  ),
  sim_rw_done: (e) => {
    const f = eventArgs(e);
    return f?.event === 'sim_rw_done' && f.dir === 1
      ? k('io_write', 'io_uring/rw.c', 'writes the user buffer to the file (->write_iter)')
      : k('io_read', 'io_uring/rw.c', 'reads from the file into the user buffer (->read_iter)');
  },
  sim_poll_wake: k(
    'io_poll_wake',
    'io_uring/poll.c',
    'wait-queue callback: queues the retry of a woken request as task_work',
  ),
  sim_poll_cancel: k(
    'io_poll_cancel',
    'io_uring/poll.c',
    'takes an armed request off its wait queue and fails it with -ECANCELED',
  ),
  sim_timeout_arm: (e) => {
    const f = eventArgs(e);
    return f?.event === 'sim_timeout_arm' && f.link
      ? k('io_queue_linked_timeout', 'io_uring/timeout.c', 'starts the hrtimer of a LINK_TIMEOUT')
      : k('io_timeout', 'io_uring/timeout.c', 'queues a TIMEOUT and starts its hrtimer');
  },
  sim_timeout_fire: (e) => {
    const f = eventArgs(e);
    const how = f?.event === 'sim_timeout_fire' ? f.how : 0;
    if (how === 1)
      return k('io_flush_timeouts', 'io_uring/timeout.c', 'ends counted timeouts whose completion count was reached');
    if (how === 2) return k('io_timeout_cancel', 'io_uring/timeout.c', 'stops a timeout before its timer fires');
    return k('io_timeout_fn', 'io_uring/timeout.c', 'the hrtimer callback: the timeout ends with -ETIME');
  },
  sim_poll_arm: k('io_poll_add', 'io_uring/poll.c', 'arms a POLL_ADD on the file (__io_arm_poll_handler)'),
  sim_poll_remove: k('io_poll_remove', 'io_uring/poll.c', 'finds a POLL_ADD by user_data and disarms it'),
  sim_sqpoll_create: k('io_sq_offload_create', 'io_uring/sqpoll.c', 'creates the SQPOLL thread for the ring'),
  sim_sqpoll_pass: k('__io_sq_thread', 'io_uring/sqpoll.c', 'submits what the application published (io_submit_sqes)'),
  sim_sqpoll_pass_done: k('__io_sq_thread', 'io_uring/sqpoll.c', 'ends one pass of the SQ thread over the ring'),
  sim_sqpoll_idle: k('io_sq_thread', 'io_uring/sqpoll.c', 'sets IORING_SQ_NEED_WAKEUP and sleeps once idle'),
  sim_sqpoll_wake: k('io_sq_thread', 'io_uring/sqpoll.c', 'wakes, clears IORING_SQ_NEED_WAKEUP, polls again'),
  sim_sqpoll_wakeup: k('io_uring_enter', IO_URING_C, 'wakes the SQ thread for IORING_ENTER_SQ_WAKEUP'),
  sim_sqpoll_sq_wait: k(
    'io_sqpoll_wait_sq',
    'io_uring/sqpoll.c',
    'waits for room in the SQ ring (IORING_ENTER_SQ_WAIT)',
  ),
  sim_sqpoll_stop: k('io_sq_thread_stop', 'io_uring/sqpoll.c', 'stops the SQ thread when its ring goes away'),
  sim_net_xfer: (e) => {
    const f = eventArgs(e);
    return f?.event === 'sim_net_xfer' && f.dir === 1
      ? k('io_send', 'io_uring/net.c', 'sends from the user buffer through sock_sendmsg')
      : k(
          'io_recv',
          'io_uring/net.c',
          'receives through sock_recvmsg, into a provided buffer with IOSQE_BUFFER_SELECT',
        );
  },
  sim_accept: k(
    'io_accept',
    'io_uring/net.c',
    'takes a connection from the accept queue (do_accept) and installs a descriptor',
  ),
  sim_kbuf_manage: k(
    'io_manage_buffers_legacy',
    'io_uring/kbuf.c',
    'adds buffers to a provided-buffer group (io_add_buffers) or removes some',
  ),
  sim_kbuf_select: k(
    'io_provided_buffer_select',
    'io_uring/kbuf.c',
    "takes the first buffer of the request's group (io_buffer_select)",
  ),
  sim_kbuf_ring: k(
    'io_register_pbuf_ring',
    'io_uring/kbuf.c',
    'registers a provided-buffer ring that lives in user memory (io_unregister_pbuf_ring removes it)',
  ),
  sim_kbuf_recycle: k(
    'io_kbuf_recycle_legacy',
    'io_uring/kbuf.c',
    'puts a selected buffer that got no data back at the front of its group',
  ),
  sim_cancel: k(
    'io_try_cancel',
    'io_uring/cancel.c',
    'looks for a request by user_data in io-wq, async poll and timeouts',
  ),
};

/** The upstream function behind a trace record. */
export function functionForEvent(e: TraceEvent): UpstreamFunction | null {
  const f = BY_EVENT[e.event];
  if (!f) return null;
  return typeof f === 'function' ? f(e) : f;
}

const BY_OP: Record<string, UpstreamFunction> = {
  open: k('open', 'fs/open.c', 'opens the device node', 'do_sys_open'),
  alloc: sim('malloc', 'userspace allocates a buffer'),
  write_user: sim('memcpy', 'userspace writes its own memory'),
  prep: lu('io_uring_get_sqe', 'src/include/liburing.h', 'hands out the next SQE slot; the prep helper fills it'),
  submit: lu('io_uring_submit_and_wait', 'src/queue.c', 'publishes the SQ tail and calls io_uring_enter(2)'),
  wait: lu('io_uring_wait_cqe_nr', 'src/include/liburing.h', 'calls io_uring_enter(2) with IORING_ENTER_GETEVENTS'),
  reap: lu(
    'io_uring_cq_advance',
    'src/include/liburing.h',
    'reads CQEs (io_uring_for_each_cqe) and stores the CQ head',
  ),
  sleep: sim('nanosleep', 'userspace sleeps interruptibly'),
  spin: sim('busy loop', 'userspace computes without system calls'),
  device: sim('device control', 'the scenario pokes the simulated device'),
  close: k('close', 'fs/open.c', 'closes the descriptor', 'close_fd'),
  exit: lu('io_uring_queue_exit', 'src/setup.c', 'unmaps the rings and closes the ring fd'),
};

/** The liburing (or libc) call behind an application step. */
export function functionForOp(op: string): UpstreamFunction | null {
  return BY_OP[op] ?? null;
}

/**
 * The distinct functions a step ran through, in order. The simulator's own stand-ins (a
 * device timer, a driver message) are listed only when nothing upstream ran.
 */
export function functionsOfStep(events: readonly TraceEvent[]): UpstreamFunction[] {
  const out: UpstreamFunction[] = [];
  for (const e of events) {
    const f = functionForEvent(e);
    if (f && !out.some((o) => o.name === f.name)) out.push(f);
  }
  const upstream = out.filter((f) => f.origin !== 'simulator');
  return upstream.length ? upstream : out;
}
