/**
 * Semantic stops: the moments of a request's life a viewer wants to land on (an SQE becomes
 * visible to the kernel, the driver queues the command, the device finishes, task_work runs, a
 * CQE appears, a sanitizer fires). The timeline marks them and playback can break on them.
 */
import { EAGAIN, EIOCBQUEUED } from '../wasm/abi.generated';
import type { Frame } from '../sim/frame';
import { eventArgs } from '../wasm/events.generated';

export const STOP_KINDS = [
  'sqe_published',
  'eiocbqueued',
  'eagain',
  'device_done',
  'task_work_ran',
  'cqe_posted',
  'sanitizer',
] as const;
export type StopKind = (typeof STOP_KINDS)[number];

/** Short labels (buttons, legends). */
export const STOP_LABELS: Record<StopKind, string> = {
  sqe_published: 'SQE published',
  eiocbqueued: '-EIOCBQUEUED',
  eagain: '-EAGAIN → io-wq',
  device_done: 'device done',
  task_work_ran: 'task_work ran',
  cqe_posted: 'CQE posted',
  sanitizer: 'sanitizer report',
};

/** The stops a frame is. */
export function stopsOf(frame: Frame, prev: Frame | undefined): StopKind[] {
  const out = new Set<StopKind>();
  if (prev && frame.ring.sqTail !== prev.ring.sqTail) out.add('sqe_published');
  for (const e of frame.events) {
    const f = eventArgs(e);
    switch (f?.event) {
      case 'sim_user_sq_tail':
        out.add('sqe_published');
        break;
      case 'sim_uring_cmd_ret':
        if (f.ret === -EIOCBQUEUED) out.add('eiocbqueued');
        if (f.ret === -EAGAIN) out.add('eagain');
        break;
      case 'sim_work_run':
      case 'sim_timer_fire':
        out.add('device_done');
        break;
      case 'sim_task_work_run':
      case 'io_uring_local_work_run':
        out.add('task_work_ran');
        break;
      case 'io_uring_complete':
        out.add('cqe_posted');
        break;
      default:
        if (e.event.startsWith('sanitizer_')) out.add('sanitizer');
    }
  }
  return STOP_KINDS.filter((k) => out.has(k));
}
