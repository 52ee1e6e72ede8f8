/**
 * Why each step happens: the caption says what the step did; this module says why the kernel
 * (or the program) does it that way. One sentence per kind of step, chosen from the step's
 * program operation (application steps) or from the record the caption leads with (kernel
 * steps). Kept apart from the event decoding (captions/events.ts) on purpose: it reads only
 * event names and, for `->uring_cmd()` returns, the returned value.
 */
import { captionEvents } from '../captions/caption';
import type { Op } from '../scenario/format';
import type { Frame } from '../sim/frame';
import { EAGAIN, EIOCBQUEUED } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { eventArgs } from '../wasm/events.generated';

const APP: Record<Op['op'], string> = {
  pipe: 'A pipe is the simplest file that can be empty: a READ on it may have to wait, which is what makes it a good first io_uring file.',
  socketpair:
    'A connected pair of sockets is a network connection without a network: what one end sends, the other end can RECV, and a RECV on an empty socket waits like a READ on an empty pipe.',
  buf_ring:
    'With a buffer ring the program lends the kernel its buffers up front: a RECV picks one only when data arrives, so a server does not pin one buffer per idle connection.',
  buf_ring_add:
    'The kernel takes buffers at its own head and the program adds them at the tail: publishing the tail is what hands a buffer (back) to the kernel, and the kernel never writes a buffer again after the CQE that returned it.',
  write:
    'A write() from the program (standing for another process) puts data in the pipe, which wakes whatever waits on it.',
  open: "A uring_cmd goes to a file: the SQE's fd names the device whose driver receives the command, so the program opens it first.",
  alloc:
    "The driver can only reach the program's data through addresses in the program's own memory, so the program sets a buffer aside first.",
  write_user:
    'The driver reads these bytes through the pointer in the command, so they must be in place before the SQE is submitted.',
  register_buffers:
    'Registering buffers pins their pages once, so READ_FIXED and WRITE_FIXED name a buffer by index instead of having every request map and pin user memory again.',
  unregister_buffers:
    'Unregistering drops the table: new fixed requests fail with -EFAULT, while one already in flight keeps the buffer it looked up.',
  prep: 'Filling the SQE and only then storing the SQ tail is what makes a complete entry visible to the kernel; nothing runs yet, because the kernel looks at the SQ only when asked.',
  submit:
    'Publishing the tail is not enough: without SQPOLL, only io_uring_enter makes the kernel consume the SQEs (with SQPOLL, only when the thread sleeps).',
  wait: 'Waiting in the kernel lets pending task_work run and saves a busy loop: the task sleeps until enough CQEs are there.',
  reap: 'Storing the CQ head tells the kernel which CQ slots it may reuse; until userspace moves it, the CQEs stay in the ring.',
  sleep: 'Completion is asynchronous: the kernel and the device carry on while the program does other work.',
  spin: 'Computing in user mode makes no system call, so with COOP_TASKRUN queued task_work waits for the next timer tick to run.',
  device:
    'A poke stands for what the hardware or another thread would do, so the scenario controls timing a real machine would not let it choose.',
  close:
    "Closing drops the program's reference to the file; requests in flight hold their own, so they can still complete.",
  exit: 'Tearing the ring down must finish or cancel every request, because the memory they would complete into goes away.',
};

/** Why a kernel record happens (null: no sentence of its own). */
function eventWhy(e: TraceEvent): string | null {
  const name = e.event as string;
  if (name.startsWith('sanitizer_'))
    return 'A sanitizer report flags a rule of the uring_cmd API the driver broke; a real kernel may not crash here, which is what makes such bugs dangerous.';
  switch (name) {
    case 'io_uring_create':
      return 'The rings live in memory shared by the program and the kernel, so requests and results cross without a copy or a system call per entry.';
    case 'io_uring_submit_req':
      return 'Each consumed SQE becomes a request object that holds what the kernel needs, so the SQE slot can be reused as soon as the SQ head moves.';
    case 'io_uring_complete':
      return "The CQE is how the result reaches userspace; it carries the SQE's user_data back so the program can tell which request finished.";
    case 'io_uring_cqe_overflow':
      return 'The kernel never drops a completion: when the CQ ring is full it keeps the CQE on the overflow list and flags the SQ ring until there is room.';
    case 'io_uring_queue_async_work':
      return "A request that would block cannot wait inside the submitting task's system call, so the core hands it to io-wq, where blocking is allowed.";
    case 'io_uring_req_failed':
      return 'A problem found while preparing the SQE fails the request at once with a negative res; the driver never sees it.';
    case 'io_uring_task_add':
    case 'sim_uring_cmd_do_in_task':
      return 'Code running outside the submitting task (a workqueue, an interrupt) must not post the completion itself; task_work runs it later in the task, where the ring lock can be taken.';
    case 'io_uring_cqring_wait':
    case 'sim_wait_sleep':
      return 'Nothing the task waits for is ready, so it sleeps in the kernel instead of spinning; a posted CQE or queued task_work wakes it.';
    case 'sim_wait_wake':
      return 'The waiter is woken because something it waits for may be ready; it checks the CQ again before returning.';
    case 'sim_sys_enter':
      return 'Kernel work tied to the task runs only while it is inside a system call or on its way back to user mode.';
    case 'sim_sys_exit':
      return 'The system call returns once its work is done or handed off; what is still in flight completes later on its own.';
    case 'sim_sq_head_commit':
      return 'Storing the SQ head tells userspace which SQ slots it may fill again.';
    case 'sim_cq_tail_commit':
      return 'The CQ tail is stored after the CQE bytes, so userspace never reads a slot before its contents are complete.';
    case 'sim_uring_cmd_issue':
    case 'sim_issue':
      return "The core calls the driver's ->uring_cmd() with issue flags that say what the driver may do here: whether it may block and whether the ring lock is held.";
    case 'sim_uring_cmd_ret': {
      const f = eventArgs(e);
      const ret = f?.event === 'sim_uring_cmd_ret' ? f.ret : 0;
      if (ret === -EIOCBQUEUED)
        return 'The driver cannot finish now (it waits for its device or a workqueue), so it keeps the command and promises to call done() later.';
      if (ret === -EAGAIN)
        return 'The driver must not sleep under NONBLOCK; -EAGAIN asks the core to try again where sleeping is allowed.';
      return 'A driver that can answer at once returns the result, and the core posts the CQE itself: no done() is needed.';
    }
    case 'sim_uring_cmd_done':
      return 'done() hands the result to the core; with the ring lock held (COMPLETE_DEFER) it joins the completion batch, otherwise it has to go through task_work.';
    case 'sim_task_work_run':
    case 'io_uring_task_work_run':
    case 'io_uring_local_work_run':
      return 'task_work runs in the submitting task, where the ring lock can be taken and completions flushed in one batch.';
    case 'sim_work_run':
    case 'sim_work_queue':
      return "The workqueue stands for the device's completion path: it runs on a kernel thread, outside the submitting task.";
    case 'sim_timer_fire':
      return 'The simulated device finishes when its timer fires, the way hardware raises an interrupt when it is done.';
    case 'sim_iowq_run':
      return 'An io-wq worker is a kernel thread that may block, so it can retry the request with blocking allowed.';
    case 'sim_overflow_flush':
      return 'Once the CQ has room, the kernel moves overflowed CQEs into the ring in order, so none is lost.';
    case 'sim_pdu_write':
    case 'sim_pdu_read':
      return 'The driver keeps its per-command state in the PDU because the request, not the driver, owns that memory for the command’s whole life.';
    case 'sim_pdu_zero':
      return 'A PDU that is not zeroed still holds the bytes of an earlier request; zeroing it makes the first read safe.';
    case 'sim_sqe_copy':
    case 'sim_sqe_read':
      return 'The SQE slot may be reused once the SQ head moves, so a command that runs later must work from a copy taken at issue.';
    case 'sim_copy_from_user':
    case 'sim_copy_to_user':
      return "The driver reaches the program's memory only through checked copies, so a bad pointer fails with -EFAULT instead of crashing the kernel.";
    case 'sim_req_free':
      return 'The request object goes back to the cache for reuse once its CQE is posted and nothing refers to it any more.';
    case 'sim_sqe_dropped':
      return 'An SQ entry that names no valid SQE is dropped and counted, rather than run.';
    case 'sim_uring_cmd_cancel':
    case 'sim_uring_cmd_cancelable':
      return 'A command that may wait forever must be cancelable, or the ring could never be torn down.';
    case 'sim_ring_exit':
      return 'Exit work runs after the last reference to the ring goes, and must finish or cancel everything still in flight.';
    case 'sim_uring_cmd_no_hook':
      return 'A driver without a uring_cmd hook cannot take commands, so the core answers -EOPNOTSUPP itself.';
    case 'sim_dev_register':
    case 'sim_dev_open':
    case 'sim_dev_release':
      return "The device's file operations, ->uring_cmd() among them, are what io_uring calls into.";
    case 'io_uring_poll_arm':
      return "Blocking inside io_uring_enter would stall every other request, so a READ that finds no data parks on the file's wait queue and is retried when the file says it is ready.";
    case 'sim_poll_wake':
      return 'The file calls the wait-queue callback when its state changes; io_uring only queues task_work there, because the waker may be another process in any context.';
    case 'sim_poll_cancel':
      return 'A parked request holds a place on a wait queue; cancelling it must take it off first, so no later wake-up touches a finished request.';
    case 'sim_rw_done':
      return 'A READ or WRITE completes with the number of bytes it moved, which may be fewer than asked: a short transfer is a success, not an error.';
    case 'sim_timeout_arm':
      return 'A timeout is a request too: it sits on a timer and completes when the time runs out, so a program can bound how long it waits without a signal.';
    case 'sim_timeout_fire':
      return 'A timeout ends once: by its timer (-ETIME), by the completion count it waits for (0), or removed by another request (-ECANCELED).';
    case 'sim_poll_arm':
      return 'A program that serves many files wants to know which one is ready before it reads; POLL_ADD reports readiness as a CQE, and multishot keeps reporting without a new SQE each time.';
    case 'sim_poll_remove':
      return 'A multishot poll never ends by itself: the program must remove it (or cancel it) when it no longer wants the events.';
    case 'sim_cancel':
      return 'Cancellation finds requests by the user_data the program gave them, because that is the only name userspace has for a request; CANCEL_FD, CANCEL_OP and CANCEL_ANY widen the match, CANCEL_ALL takes every match.';
    case 'sim_sqpoll_create':
    case 'sim_sqpoll_pass':
    case 'sim_sqpoll_pass_done':
      return 'With SQPOLL a kernel thread polls the SQ ring on its own CPU, so storing the SQ tail is the whole submission: the program saves the system call, and pays for a CPU that spins.';
    case 'sim_sqpoll_idle':
      return 'A thread spinning on an idle ring would burn a CPU forever, so after sq_thread_idle it sleeps and raises IORING_SQ_NEED_WAKEUP, telling the program that the next submission needs a system call.';
    case 'sim_sqpoll_wake':
    case 'sim_sqpoll_wakeup':
      return 'A sleeping SQ thread cannot see new SQEs; io_uring_enter with IORING_ENTER_SQ_WAKEUP (or task_work queued for it) wakes it, and it polls again for another idle period.';
    case 'sim_sqpoll_sq_wait':
      return 'With SQPOLL the program cannot submit to make room in a full SQ ring; IORING_ENTER_SQ_WAIT lets it sleep until the thread has consumed entries.';
    case 'sim_sqpoll_stop':
      return 'The SQ thread belongs to its ring: when the ring goes away the thread is stopped, after cancelling what it had submitted.';
    case 'sim_not_modelled':
      return 'Ringside does not model this request, and says so with a value Linux never returns, rather than inventing a kernel answer.';
    case 'sim_submit_flush':
      return 'Completions made while the ring lock was held are flushed together, so userspace sees them with one tail update.';
    default:
      return null;
  }
}

/** The bookkeeping explanation: every step says something. */
export const BOOKKEEPING_WHY =
  'Between the visible steps the kernel does bookkeeping (locks, reference counts, state flags); it is a step of its own so that nothing is hidden.';

/** Why the step of `frame` happens. Never empty. */
export function whyFor(frame: Frame, op: Op | undefined): string {
  if (frame.index === 0) return eventWhy({ event: 'io_uring_create' } as TraceEvent) as string;
  if (frame.actor === 'app' && op) return APP[op.op];
  const chosen = captionEvents(frame.events);
  for (const e of chosen) {
    const w = eventWhy(e);
    if (w) return w;
  }
  for (const e of frame.events) {
    const w = eventWhy(e);
    if (w) return w;
  }
  return BOOKKEEPING_WHY;
}
