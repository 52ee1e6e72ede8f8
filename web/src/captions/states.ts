/**
 * How trace records move a request through the uring_cmd state machine (KERNEL-NOTES §3.10):
 * the box of the state diagram each record leads to.
 */
import { EAGAIN, EIOCBQUEUED, IO_URING_F_COMPLETE_DEFER } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { issuedFromIoWq } from './events';
import type { DiagramState } from '../viz/stateDiagram';

/** The box a trace record moves its request into, if it moves it (`step`: every record of its step). */
export function stateAfter(e: TraceEvent, step: readonly TraceEvent[] = [e]): DiagramState | null {
  switch (e.event as string) {
    case 'io_uring_submit_req':
      return 'prepped';
    case 'io_uring_link':
      return 'linked';
    case 'io_uring_req_failed':
      return 'failed_prep';
    case 'sim_issue':
    case 'sim_uring_cmd_issue':
      return 'issuing';
    case 'sim_uring_cmd_ret': {
      const ret = Number(e.a);
      // A second -EAGAIN, from io-wq, is final: the request fails through task_work.
      if (ret === -EAGAIN) return issuedFromIoWq(e.req, step) ? 'tw_pending' : 'iowq_queued';
      return ret === -EIOCBQUEUED ? 'inflight' : 'complete_pending';
    }
    case 'io_uring_queue_async_work':
      return 'iowq_queued';
    case 'io_uring_task_add':
    case 'sim_uring_cmd_do_in_task':
      return 'tw_pending';
    case 'sim_uring_cmd_done':
      return Number(e.b) & IO_URING_F_COMPLETE_DEFER ? 'complete_pending' : 'tw_pending';
    case 'io_uring_complete':
    case 'io_uring_cqe_overflow':
      return 'done';
    default:
      return null;
  }
}
