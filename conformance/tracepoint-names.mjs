// The io_uring tracepoints of Linux 6.18 (`include/trace/events/io_uring.h`), names without the
// `io_uring_` prefix: the one list the tracefs reader (conformance/tracefs.mjs) enables and the
// app's recording format (web/src/recording/format.ts) accepts. No imports, so both Node and the
// browser bundle can load it.

/** Every io_uring tracepoint Ringside reads and shows. */
export const TRACEPOINT_NAMES = Object.freeze([
  'complete',
  'cqe_overflow',
  'cqring_wait',
  'create',
  'defer',
  'fail_link',
  'file_get',
  'link',
  'local_work_run',
  'poll_arm',
  'queue_async_work',
  'register',
  'req_failed',
  'short_write',
  'submit_req',
  'task_add',
  'task_work_run',
]);
