/**
 * Short outlines of the upstream C functions the simulator models, for the code panel's third
 * layer. They are NOT the kernel's source text: each is a pseudo-C summary written for Ringside
 * from reading the function (and docs/uring-cmd.md), naming the same calls in the same order so a
 * reader can follow along, with a link to the definition in the kernel the model follows
 * (`kernelTag()` in app/kernelVersion.ts). Comments in each outline say what is left out.
 */

export interface COutline {
  /** The file in torvalds/linux. */
  file: string;
  /** The outline, one line per entry (pseudo-C, indented with two spaces). */
  lines: string[];
}

const UC = 'io_uring/uring_cmd.c';
const IO = 'io_uring/io_uring.c';
const TW = 'io_uring/tw.c';
const RW = 'io_uring/rw.c';
const POLL = 'io_uring/poll.c';
const TO = 'io_uring/timeout.c';
const NET = 'io_uring/net.c';
const KBUF = 'io_uring/kbuf.c';

/** Outlines by C identifier (the `ident` of captions/kernelFunctions.ts). */
export const C_OUTLINES: Record<string, COutline> = {
  __do_sys_io_uring_register: {
    file: 'io_uring/register.c',
    lines: [
      '__do_sys_io_uring_register(fd, opcode, arg, nr_args) {   /* the ring behind fd, uring_lock */',
      '  switch (opcode) {',
      '  case IORING_REGISTER_BUFFERS:   /* NULL arg: -EFAULT */',
      '    io_sqe_buffers_register(ctx, arg, nr_args);   /* -EBUSY if a table exists; pins pages */',
      '  case IORING_UNREGISTER_BUFFERS:   /* arg, nr_args must be 0 */',
      '    io_sqe_buffers_unregister(ctx);   /* -ENXIO if none; in-flight requests keep theirs */',
      '  case IORING_REGISTER_PROBE:  io_probe(ctx, arg, nr_args);',
      '  case IORING_REGISTER_ENABLE_RINGS:  io_register_enable_rings(ctx);   /* else -EBADFD */',
      '  case IORING_REGISTER_PBUF_RING:   /* arg needed, nr_args 1 */',
      '    io_register_pbuf_ring(ctx, arg);',
      '  case IORING_UNREGISTER_PBUF_RING:  io_unregister_pbuf_ring(ctx, arg);',
      '  }',
      '  trace_io_uring_register(ctx, opcode, nr_user_files, nr_user_bufs, ret);',
      '}',
    ],
  },
  io_iopoll_req_issued: {
    file: IO,
    lines: [
      'static void io_iopoll_req_issued(req, issue_flags) {',
      '  /* io_issue_sqe: IOU_ISSUE_SKIP_COMPLETE on an IOPOLL ring, op with iopoll_queue */',
      '  lock uring_lock unless the caller holds it;',
      '  wq_list_add_tail(&req->comp_list, &ctx->iopoll_list);',
      '  /* only polling finds its completion from now on */',
      '}',
    ],
  },
  io_uring_classic_poll: {
    file: RW,
    lines: [
      'static int io_uring_classic_poll(req, iob, poll_flags) {',
      '  if (req->opcode == IORING_OP_URING_CMD)',
      '    return file->f_op->uring_cmd_iopoll(ioucmd, iob, poll_flags);   /* the driver */',
      '  return file->f_op->iopoll(&rw->kiocb, iob, poll_flags);   /* reads and writes */',
      '}',
    ],
  },
  io_do_iopoll: {
    file: RW,
    lines: [
      'int io_do_iopoll(ctx, force_nonspin) {',
      '  for each req on ctx->iopoll_list {',
      '    if (READ_ONCE(req->iopoll_completed)) break;',
      '    if (io_uring_classic_poll(req, &iob, poll_flags) > 0) poll_flags |= ONESHOT;',
      '    if (READ_ONCE(req->iopoll_completed)) break;',
      '  }',
      '  nr_events = completed requests at the head of the list (smp_load_acquire);',
      '  cut them off the list into the completion list;',
      '  __io_submit_flush_completions(ctx);   /* the CQEs appear here */',
      '  return nr_events;',
      '}',
    ],
  },
  io_iopoll_check: {
    file: IO,
    lines: [
      'static int io_iopoll_check(ctx, min_events) {',
      '  /* GETEVENTS on an IOPOLL ring, uring_lock held; overflow flushed first */',
      '  if (io_cqring_events(ctx)) return 0;   /* CQEs already waiting */',
      '  do {',
      '    if (list empty || task_work pending) { run task_work;',
      '      if (a CQE was posted || list empty) break; }',
      '    nr_events += io_do_iopoll(ctx, !min_events);',
      '    if (need_resched()) break;',
      '  } while (nr_events < min_events);',
      '  return 0;',
      '}',
    ],
  },
  io_uring_cmd: {
    file: UC,
    lines: [
      'int io_uring_cmd(req, issue_flags) {',
      '  if (!file->f_op->uring_cmd) return -EOPNOTSUPP;',
      '  /* LSM hook: security_uring_cmd() */',
      '  add SQE128 / CQE32 / COMPAT / IOPOLL bits of the ring to issue_flags;',
      '  if (IOPOLL ring && !file->f_op->uring_cmd_iopoll) return -EOPNOTSUPP;',
      '  ret = file->f_op->uring_cmd(ioucmd, issue_flags);   /* the driver */',
      '  if (ret == -EAGAIN) { flags |= REISSUE; return -EAGAIN; }  /* punt to io-wq */',
      '  if (ret == -EIOCBQUEUED) return ret;               /* stays in flight */',
      '  /* 6.18.44, 6.19: MULTISHOT and ret >= 0: no CQE ever (fixed for 7.3) */',
      '  if (ret < 0) req_set_fail(req); io_req_set_res(req, ret, 0);   /* CQE at the next flush */',
      '  return IOU_COMPLETE;',
      '}',
    ],
  },
  io_uring_cmd_prep: {
    file: UC,
    lines: [
      'int io_uring_cmd_prep(req, sqe) {',
      '  if (sqe->__pad1) return -EINVAL;',
      '  ioucmd->flags = READ_ONCE(sqe->uring_cmd_flags);   /* unknown bits: -EINVAL */',
      '  ioucmd->cmd_op = READ_ONCE(sqe->cmd_op);',
      '  allocate the async data (room for a copied SQE);',
      '  ioucmd->sqe = sqe;   /* still points into the SQ ring: no copy here */',
      '  /* the pdu[32] area is NOT cleared (RFC v3 patch 2/5 proposed a memset here) */',
      '}',
    ],
  },
  __io_uring_cmd_done: {
    file: UC,
    lines: [
      'void __io_uring_cmd_done(cmd, ret, res2, issue_flags, is_cqe32) {',
      '  io_uring_cmd_del_cancelable(cmd, issue_flags);',
      '  if (ret < 0) req_set_fail(req);',
      '  io_req_set_res(req, ret, 0);   /* big CQE: extra1 = res2 */',
      '  if (ring is IOPOLL)',
      '    smp_store_release(&req->iopoll_completed, 1);   /* the poller posts the CQE */',
      '  else if (issue_flags & IO_URING_F_COMPLETE_DEFER)',
      '    io_req_complete_defer(req);   /* caller holds uring_lock (WARN and return if UNLOCKED) */',
      '  else',
      '    queue task_work io_req_task_complete;',
      '}',
    ],
  },
  io_uring_cmd_done: {
    file: 'include/linux/io_uring/cmd.h',
    lines: [
      'static inline void io_uring_cmd_done(cmd, ret, issue_flags) {',
      '  /* issue_flags: only the mask the core handed out */',
      '  __io_uring_cmd_done(cmd, ret, 0, issue_flags, false);',
      '}',
    ],
  },
  __io_uring_cmd_do_in_task: {
    file: UC,
    lines: [
      'void __io_uring_cmd_do_in_task(ioucmd, cb, flags) {',
      '  ioucmd->task_work_cb = cb;',
      '  req->io_task_work.func = io_uring_cmd_work;   /* calls cb(cmd, COMPLETE_DEFER) */',
      '  __io_req_task_work_add(req, flags);   /* flags: lazy wake or not */',
      '}',
    ],
  },
  io_uring_cmd_mark_cancelable: {
    file: UC,
    lines: [
      'void io_uring_cmd_mark_cancelable(cmd, issue_flags) {',
      '  if (!(cmd->flags & IORING_URING_CMD_CANCELABLE)) {',
      '    cmd->flags |= IORING_URING_CMD_CANCELABLE;',
      '    under uring_lock: add req to ctx->cancelable_uring_cmd;',
      '  }',
      '}',
    ],
  },
  io_uring_try_cancel_uring_cmd: {
    file: UC,
    lines: [
      'bool io_uring_try_cancel_uring_cmd(ctx, tctx, cancel_all) {',
      '  /* uring_lock held */',
      '  for each req on ctx->cancelable_uring_cmd (of this task unless cancel_all):',
      '    if (cmd->flags & IORING_URING_CMD_CANCELABLE)',
      '      file->f_op->uring_cmd(cmd, IO_URING_F_CANCEL | IO_URING_F_COMPLETE_DEFER);',
      '  io_submit_flush_completions(ctx);',
      '}',
    ],
  },
  io_uring_cmd_sqe_copy: {
    file: UC,
    lines: [
      'void io_uring_cmd_sqe_copy(req) {',
      '  /* only when the request will be issued later (-EAGAIN punt, IOSQE_ASYNC, links) */',
      '  memcpy(async_data->sqes, ioucmd->sqe, SQE size of the ring);',
      '  ioucmd->sqe = async_data->sqes;',
      '}',
    ],
  },
  io_uring_cmd_to_pdu: {
    file: 'include/linux/io_uring/cmd.h',
    lines: [
      '#define io_uring_cmd_to_pdu(cmd, pdu_type) (',
      '  BUILD_BUG_ON(sizeof(pdu_type) > sizeof((cmd)->pdu)),   /* 32 bytes */',
      '  ((pdu_type *)&(cmd)->pdu)',
      ')',
    ],
  },
  io_issue_sqe: {
    file: IO,
    lines: [
      'static int io_issue_sqe(req, issue_flags) {',
      '  if (!io_assign_file(req, def, issue_flags)) return -EBADF;',
      '  ret = def->issue(req, issue_flags);   /* io_uring_cmd() for URING_CMD */',
      '  if (ret == IOU_COMPLETE) io_req_complete_defer(req);   /* with COMPLETE_DEFER */',
      '  return ret;   /* -EAGAIN and other errors: io_queue_async() */',
      '}',
    ],
  },
  io_submit_sqe: {
    file: IO,
    lines: [
      'static int io_submit_sqe(ctx, req, sqe) {',
      '  ret = io_init_req(ctx, req, sqe);   /* opcode, flags, fd, then the prep handler */',
      '  if (ret) return io_submit_fail_init(sqe, req, ret);   /* error CQE */',
      '  links / drain / IOSQE_ASYNC: io_queue_sqe_fallback(req);',
      '  else io_queue_sqe(req, IO_URING_F_INLINE);   /* NONBLOCK|COMPLETE_DEFER|INLINE */',
      '}',
    ],
  },
  io_submit_fail_init: {
    file: IO,
    lines: [
      'static int io_submit_fail_init(sqe, req, ret) {',
      '  req_fail_link_node(req, ret);   /* the CQE carries ret */',
      '  fail the current link head with -ECANCELED, if any;',
      '  io_queue_sqe_fallback(req);   /* posts the CQE at the batch flush */',
      '  return ret;',
      '}',
    ],
  },
  io_queue_iowq: {
    file: IO,
    lines: [
      'static void io_queue_iowq(req) {',
      '  /* an io-wq worker will call io_wq_submit_work() */',
      '  io_prep_async_link(req);',
      '  io_wq_enqueue(tctx->io_wq, &req->work);',
      '}',
    ],
  },
  io_wq_submit_work: {
    file: IO,
    lines: [
      'void io_wq_submit_work(work) {',
      '  issue_flags = IO_URING_F_UNLOCKED | IO_URING_F_IOWQ;   /* may block now */',
      '  do {',
      '    ret = io_issue_sqe(req, issue_flags);',
      '  } while (ret == -EAGAIN && ring is IOPOLL);',
      '  if (ret < 0) io_req_task_queue_fail(req, ret);   /* a second -EAGAIN is final */',
      '}',
    ],
  },
  io_fill_cqe_req: {
    file: 'io_uring/io_uring.h',
    lines: [
      'static inline bool io_fill_cqe_req(ctx, req) {',
      '  cqe = next free CQ slot (cached range; refilled from cq.head);',
      '  if (!cqe) return false;   /* caller puts it on the overflow list */',
      '  memcpy(cqe, &req->cqe, sizeof(*cqe));   /* user_data, res, flags */',
      '  big CQE ring: also copy req->big_cqe;',
      '  ctx->cached_cq_tail++;   /* userspace sees it at io_commit_cqring() */',
      '}',
    ],
  },
  io_commit_cqring: {
    file: 'io_uring/io_uring.h',
    lines: [
      'static inline void io_commit_cqring(ctx) {',
      '  /* order the CQE stores before the new tail */',
      '  smp_store_release(&ctx->rings->cq.tail, ctx->cached_cq_tail);',
      '}',
    ],
  },
  io_commit_sqring: {
    file: IO,
    lines: [
      'static void io_commit_sqring(ctx) {',
      '  /* once per batch, after every SQE was consumed */',
      '  smp_store_release(&rings->sq.head, ctx->cached_sq_head);',
      '}',
    ],
  },
  io_get_sqe: {
    file: IO,
    lines: [
      'static bool io_get_sqe(ctx, &sqe) {',
      '  head = ctx->cached_sq_head++ & ctx->sq_entries - 1;',
      '  head = READ_ONCE(ctx->sq_array[head]);   /* unless NO_SQARRAY */',
      '  if (head >= ctx->sq_entries) { sq_dropped++; return false; }',
      '  *sqe = &ctx->sq_sqes[head];',
      '}',
    ],
  },
  io_file_get_normal: {
    file: IO,
    lines: [
      'struct file *io_file_get_normal(req, fd) {',
      '  file = fget(fd);   /* NULL: the issue fails with -EBADF */',
      '  return file;',
      '}',
    ],
  },
  __io_req_task_work_add: {
    file: TW,
    lines: [
      'void __io_req_task_work_add(req, flags) {',
      '  if (ctx->flags & IORING_SETUP_DEFER_TASKRUN)',
      '    io_req_local_work_add(req, flags);   /* ctx->work_llist; lazy wake counts */',
      '  else',
      '    io_req_normal_work_add(req);   /* tctx list + task_work_add(TWA_SIGNAL) */',
      '}',
    ],
  },
  tctx_task_work: {
    file: TW,
    lines: [
      'void tctx_task_work(cb) {',
      '  /* runs when the task returns to user mode or waits in io_cqring_wait */',
      '  node = llist_del_all(&tctx->task_list);',
      '  tctx_task_work_run(tctx, node);',
      '}',
    ],
  },
  tctx_task_work_run: {
    file: TW,
    lines: [
      'struct llist_node *tctx_task_work_run(tctx, ...) {',
      '  for each queued req: req->io_task_work.func(req, tw);   /* uring_lock held */',
      '  ctx_flush_and_put(ctx, tw);   /* flush the deferred completions: CQEs appear */',
      '}',
    ],
  },
  __io_run_local_work: {
    file: TW,
    lines: [
      'static int __io_run_local_work(ctx, tw, min_events, max_events) {',
      '  /* DEFER_TASKRUN: only the submitter task, in io_uring_enter / io_cqring_wait */',
      '  node = llist_del_all(&ctx->work_llist), oldest first;',
      '  for each req: req->io_task_work.func(req, tw);',
      '  flush the deferred completions;',
      '}',
    ],
  },
  io_cqring_wait: {
    file: 'io_uring/wait.c',
    lines: [
      'static int io_cqring_wait(ctx, min_events, flags, ext_arg) {',
      '  run pending task_work; flush the CQ overflow list;',
      '  if (cq.tail - cq.head >= min_events) return 0;',
      '  do {',
      '    sleep on ctx->cq_wait until woken (task_work, a CQE, a timeout, a signal);',
      '    run task_work;',
      '  } while (not enough CQEs);',
      '}',
    ],
  },
  io_uring_enter: {
    file: IO,
    lines: [
      'SYSCALL_DEFINE6(io_uring_enter, fd, to_submit, min_complete, flags, argp, argsz) {',
      '  if (to_submit) {',
      '    under uring_lock: ret = io_submit_sqes(ctx, to_submit);',
      '    if (ret != to_submit) goto out;   /* no wait */',
      '  }',
      '  if (flags & IORING_ENTER_GETEVENTS)',
      '    ret2 = io_cqring_wait(ctx, min_complete, flags, &ext_arg);',
      'out: return ret ? ret : ret2;',
      '}',
    ],
  },
  io_uring_create: {
    file: IO,
    lines: [
      'static int io_uring_create(entries, p, params) {',
      '  sq_entries = roundup_pow_of_two(entries); cq_entries = 2 * sq_entries (or CQSIZE);',
      '  ctx = io_ring_ctx_alloc(p);',
      '  allocate the rings and the SQE array (zeroed), fill the offsets in p;',
      '  return a new fd for the ring;',
      '}',
    ],
  },
  io_cqe_overflow: {
    file: IO,
    lines: [
      'static bool io_cqe_overflow(ctx, cqe, big_cqe) {',
      '  ocqe = allocate an overflow entry;   /* failure: the CQE is dropped, cq_overflow++ */',
      '  copy the CQE into it; append to ctx->cq_overflow_list;',
      '  first entry: set IORING_SQ_CQ_OVERFLOW in sq_flags;',
      '}',
    ],
  },
  __io_cqring_overflow_flush: {
    file: IO,
    lines: [
      'static void __io_cqring_overflow_flush(ctx, dying) {',
      '  while (overflow list not empty && a CQ slot is free)',
      '    move the oldest entry into the ring;',
      '  list empty: clear IORING_SQ_CQ_OVERFLOW;',
      '  io_commit_cqring(ctx);',
      '}',
    ],
  },
  __io_submit_flush_completions: {
    file: IO,
    lines: [
      'void __io_submit_flush_completions(ctx) {',
      '  /* the requests completed with COMPLETE_DEFER during this batch */',
      '  for each req in state->compl_reqs:',
      '    if (!io_fill_cqe_req(ctx, req)) io_cqe_overflow(...);',
      '  __io_cq_unlock_post(ctx);   /* io_commit_cqring + wake waiters */',
      '  io_free_batch_list(ctx, state->compl_reqs.first);',
      '}',
    ],
  },
  io_free_batch_list: {
    file: IO,
    lines: [
      'static void io_free_batch_list(ctx, node) {',
      '  for each finished req:',
      '    drop its file and resources;',
      '    io_req_add_to_cache(req, ctx);   /* reused later: cmd.pdu keeps stale bytes */',
      '}',
    ],
  },
  io_send: {
    file: NET,
    lines: [
      'int io_send(req, issue_flags) {',
      '  sock = sock_from_file(req->file);       /* not a socket: -ENOTSOCK */',
      '  flags = sr->msg_flags | (NONBLOCK ? MSG_DONTWAIT : 0);',
      '  if (buffer select) pick a provided buffer (io_send_select_buffer);',
      '  ret = sock_sendmsg(sock, &msg);          /* tcp/udp/unix ->sendmsg */',
      '  if (ret < min_ret) {                     /* MSG_WAITALL: min_ret = len */',
      '    if (ret == -EAGAIN && NONBLOCK) return -EAGAIN;   /* poll for POLLOUT */',
      '    if (ret > 0 && stream socket) { keep ret in done_io; return -EAGAIN; }',
      '    req_set_fail(req);',
      '  }',
      '  io_req_set_res(req, ret + done_io, cflags);',
      '}',
    ],
  },
  io_recv: {
    file: NET,
    lines: [
      'int io_recv(req, issue_flags) {',
      '  sock = sock_from_file(req->file);       /* not a socket: -ENOTSOCK */',
      'retry_multishot:',
      '  if (IOSQE_BUFFER_SELECT) buf = io_buffer_select(req, &len);  /* none: -ENOBUFS */',
      '  ret = sock_recvmsg(sock, &msg, flags | MSG_DONTWAIT);',
      '  if (ret == -EAGAIN) { give the buffer back (io_kbuf_recycle); wait through poll; }',
      '  if (ret > 0 && short && MSG_WAITALL on a stream) { done_io += ret; return -EAGAIN; }',
      '  cflags = (msg_inq > 0 ? F_SOCK_NONEMPTY : 0) | io_put_kbuf(req);  /* F_BUFFER | bid << 16 */',
      '  if (multishot && ret > 0 && io_req_post_cqe(req, ret, cflags | F_MORE))',
      '    bytes left (or unknown)? goto retry_multishot : stay armed;',
      '  io_req_set_res(req, ret, cflags);        /* the last CQE, without F_MORE */',
      '}',
    ],
  },
  io_accept: {
    file: NET,
    lines: [
      'int io_accept(req, issue_flags) {',
      'retry:',
      '  fd = __get_unused_fd_flags(accept->flags);',
      '  file = do_accept(req->file, &arg, ...);   /* not a socket: -ENOTSOCK; not listening: -EINVAL */',
      '  if (file == -EAGAIN && NONBLOCK && !DONTWAIT) return -EAGAIN;   /* poll the listener */',
      '  fd_install(fd, file);',
      '  if (multishot && io_req_post_cqe(req, fd, cflags | F_MORE))',
      '    more queued? goto retry : stay armed;',
      '  io_req_set_res(req, fd, cflags);',
      '}',
    ],
  },
  io_manage_buffers_legacy: {
    file: KBUF,
    lines: [
      'int io_manage_buffers_legacy(req, issue_flags) {',
      '  bl = io_buffer_get_list(ctx, p->bgid);',
      '  if (!bl) { REMOVE: -ENOENT; PROVIDE: create the group; }',
      '  if (bl is a registered ring) ret = -EINVAL;',
      '  else if (PROVIDE) ret = io_add_buffers(...);  /* nbufs buffers of len, ids from bid, at the end */',
      '  else ret = io_remove_buffers_legacy(...);      /* from the front; how many were removed */',
      '  io_req_set_res(req, ret, 0);',
      '}',
    ],
  },
  io_provided_buffer_select: {
    file: KBUF,
    lines: [
      'static void __user *io_provided_buffer_select(req, len, bl) {',
      '  if (list_empty(&bl->buf_list)) return NULL;   /* the caller answers -ENOBUFS */',
      '  kbuf = list_first_entry(&bl->buf_list, ...);  /* buffers go in the order provided */',
      '  list_del(&kbuf->list);',
      '  if (*len == 0 || *len > kbuf->len) *len = kbuf->len;',
      '  req->flags |= REQ_F_BUFFER_SELECTED; req->kbuf = kbuf;',
      '  return kbuf->addr;',
      '  /* a registered ring instead: io_ring_buffer_select, the entry at bl->head if the',
      '     tail the program published (load-acquire) is past it; committed at the CQE */',
      '}',
    ],
  },
  io_kbuf_recycle_legacy: {
    file: KBUF,
    lines: [
      'bool io_kbuf_recycle_legacy(req, issue_flags) {',
      '  /* the request got no data into its buffer (it will wait, or it saw end of file) */',
      '  bl = io_buffer_get_list(ctx, buf->bgid);',
      '  list_add(&buf->list, &bl->buf_list);      /* back at the front */',
      '  req->flags &= ~REQ_F_BUFFER_SELECTED;',
      '}',
    ],
  },
  io_register_pbuf_ring: {
    file: KBUF,
    lines: [
      'int io_register_pbuf_ring(ctx, arg) {',
      '  copy_from_user(&reg, arg);                 /* struct io_uring_buf_reg */',
      '  if (resv set || unknown flags || !is_power_of_2(entries) || entries >= 65536) return -EINVAL;',
      '  if (group has a ring or classic buffers) return -EEXIST;',
      "  io_create_region(...);     /* pins the program's pages: unaligned -EINVAL, unmapped -EFAULT */",
      '  bl->nr_entries = entries; bl->mask = entries - 1; bl->head = 0;',
      '  bl->flags |= IOBL_BUF_RING;  /* the tail lives in the ring, the head in the kernel */',
      '}',
    ],
  },
  io_read: {
    file: RW,
    lines: [
      'int io_read(req, issue_flags) {',
      '  ret = __io_read(req, issue_flags);   /* ->read_iter with IOCB_NOWAIT when NONBLOCK */',
      '  if (ret == -EAGAIN && file can poll && !(rw_flags & RWF_NOWAIT))',
      '    return -EAGAIN;   /* the core arms poll: io_arm_poll_handler */',
      '  if (ret >= 0 && short read on a regular file) retry the rest from io-wq;',
      '  return kiocb_done(req, ret, issue_flags);   /* res = bytes read or -errno */',
      '}',
    ],
  },
  io_write: {
    file: RW,
    lines: [
      'int io_write(req, issue_flags) {',
      '  if (NONBLOCK && buffered write the file cannot try without blocking)',
      '    return -EAGAIN;   /* ext4, shmem: no FOP_BUFFER_WASYNC, so io-wq */',
      '  ret = ->write_iter(kiocb, iter);',
      '  if (ret == -EAGAIN && file can poll) return -EAGAIN;   /* a full pipe: poll */',
      '  return kiocb_done(req, ret, issue_flags);   /* a short write is a success */',
      '}',
    ],
  },
  io_arm_poll_handler: {
    file: POLL,
    lines: [
      'int io_arm_poll_handler(req, issue_flags) {',
      '  if (!file_can_poll(req->file)) return IO_APOLL_ABORTED;   /* io-wq instead */',
      '  mask = def->pollin ? EPOLLIN : EPOLLOUT;   /* plus EPOLLONESHOT */',
      '  trace_io_uring_poll_arm(req, mask, apoll->poll.events);',
      '  ret = __io_arm_poll_handler(req, &apoll->poll, &ipt, mask);',
      "  /* vfs_poll() adds io_poll_wake to the file's wait queue; */",
      '  /* if the file is ready already, the retry is queued at once */',
      '  return ret ? IO_APOLL_READY : IO_APOLL_OK;',
      '}',
    ],
  },
  io_poll_wake: {
    file: POLL,
    lines: [
      'static int io_poll_wake(wait, mode, sync, key) {',
      '  mask = key_to_poll(key);',
      '  if (mask && !(mask & poll->events)) return 0;   /* not what it waits for */',
      '  if (io_poll_get_ownership(req)) {',
      '    if (oneshot) take the entry off the wait queue;',
      '    __io_poll_execute(req, mask);   /* queue task_work: io_apoll_task_func */',
      '  }',
      '  return 1;',
      '}',
    ],
  },
  io_poll_cancel: {
    file: POLL,
    lines: [
      'int io_poll_cancel(ctx, cd, issue_flags) {',
      '  req = io_poll_find(ctx, false, cd);   /* the cancel hash, by user_data */',
      '  if (!req) return -ENOENT;',
      '  io_poll_cancel_req(req);   /* mark cancelled, kick task_work */',
      '  return 0;   /* the request then completes with -ECANCELED */',
      '}',
    ],
  },
  io_fail_links: {
    file: IO,
    lines: [
      'static void io_fail_links(req) {',
      '  link = req->link; req->link = NULL;',
      '  while (link) {',
      '    trace_io_uring_fail_link(req, link);',
      '    io_req_set_res(link, -ECANCELED, 0);   /* the head failed: the rest never runs */',
      '    queue its completion; link = link->link;',
      '  }',
      '}',
    ],
  },
  io_timeout: {
    file: TO,
    lines: [
      'int io_timeout(req, issue_flags) {',
      '  if (!off) { add to the end of ctx->timeout_list; goto add; }   /* a pure timer */',
      '  data->target_seq = cq tail now + off;   /* counted: ends after off CQEs */',
      '  insert into ctx->timeout_list in target order;',
      'add:',
      '  hrtimer_start(&data->timer, timespec64_to_ktime(data->ts), data->mode);',
      '  return IOU_ISSUE_SKIP_COMPLETE;   /* completes later */',
      '}',
    ],
  },
  io_timeout_fn: {
    file: TO,
    lines: [
      'static enum hrtimer_restart io_timeout_fn(timer) {',
      '  take the request off ctx->timeout_list;',
      '  if (!(flags & IORING_TIMEOUT_ETIME_SUCCESS)) req_set_fail(req);',
      '  io_req_set_res(req, -ETIME, 0);',
      '  req->io_task_work.func = io_req_task_complete;',
      '  io_req_task_work_add(req);   /* the CQE is posted from task_work */',
      '  return HRTIMER_NORESTART;',
      '}',
    ],
  },
  io_flush_timeouts: {
    file: TO,
    lines: [
      '__cold void io_flush_timeouts(ctx) {',
      '  seq = ctx->cached_cq_tail - atomic_read(&ctx->cq_timeouts);',
      '  for each counted timeout on ctx->timeout_list:',
      '    if (seq has not reached its target) break;   /* the list is in target order */',
      '    io_kill_timeout(req, 0);   /* cancel the timer, res 0 */',
      '  ctx->cq_last_tm_flush = seq;',
      '}',
    ],
  },
  io_timeout_cancel: {
    file: TO,
    lines: [
      'int io_timeout_cancel(ctx, cd) {',
      '  req = io_timeout_extract(ctx, cd);   /* by user_data; its timer cancelled */',
      '  if (IS_ERR(req)) return PTR_ERR(req);   /* -ENOENT, or -EALREADY if it is firing */',
      '  req_set_fail(req);',
      '  io_req_set_res(req, -ECANCELED, 0);',
      '  io_req_queue_tw_complete(req, -ECANCELED);',
      '  return 0;',
      '}',
    ],
  },
  io_queue_linked_timeout: {
    file: TO,
    lines: [
      'void io_queue_linked_timeout(req) {',
      '  /* the guarded request went async: start the clock now */',
      '  if (timeout->head) {   /* the guarded request has not completed yet */',
      '    hrtimer_start(&data->timer, timespec64_to_ktime(data->ts), data->mode);',
      '    list_add_tail(&timeout->list, &ctx->ltimeout_list);',
      '  }',
      '  io_put_req(req);   /* drop the submission reference */',
      '}',
    ],
  },
  io_try_cancel: {
    file: 'io_uring/cancel.c',
    lines: [
      'int io_try_cancel(tctx, cd, issue_flags) {',
      '  ret = io_async_cancel_one(tctx, cd);   /* queued or running in io-wq */',
      '  if (!ret || ret == -EALREADY) return ret;   /* -EALREADY: a worker runs it */',
      '  ret = io_poll_cancel(ctx, cd, issue_flags);   /* parked on a wait queue */',
      '  if (ret != -ENOENT) return ret;',
      '  ret = io_waitid_cancel(...) / io_futex_cancel(...);',
      '  if (!(cd->flags & IORING_ASYNC_CANCEL_FD)) ret = io_timeout_cancel(ctx, cd);',
      '  return ret;   /* -ENOENT: nothing matched */',
      '}',
    ],
  },
  io_poll_add: {
    file: POLL,
    lines: [
      'int io_poll_add(req, issue_flags) {',
      '  ret = __io_arm_poll_handler(req, poll, &ipt, poll->events, issue_flags);',
      "  /* vfs_poll() puts io_poll_wake on the file's wait queue (at the head) */",
      '  if (ret > 0) {   /* ready now and one-shot: no waiting */',
      '    io_req_set_res(req, ipt.result_mask, 0);',
      '    return IOU_COMPLETE;',
      '  }',
      '  return ret ?: IOU_ISSUE_SKIP_COMPLETE;   /* waits; multishot ready now: tw queued */',
      '}',
    ],
  },
  io_poll_remove: {
    file: POLL,
    lines: [
      'int io_poll_remove(req, issue_flags) {',
      '  preq = io_poll_find(ctx, true, &cd, ...);   /* POLL_ADD only, by user_data */',
      '  ret = io_poll_disarm(preq);   /* -ENOENT; -EALREADY if a wake-up owns it */',
      '  if (!ret) {',
      '    req_set_fail(preq);',
      '    io_req_set_res(preq, -ECANCELED, 0);',
      "    io_req_task_work_add(preq);   /* its CQE comes after this request's */",
      '  }',
      '  io_req_set_res(req, ret, 0);',
      '}',
    ],
  },
  io_ring_exit_work: {
    file: IO,
    lines: [
      'static void io_ring_exit_work(work) {',
      '  do {',
      '    io_uring_try_cancel_requests(ctx, NULL, true, false);   /* io-wq, uring_cmd, poll */',
      '    run pending task_work;',
      '  } while (requests remain);',
      '  free the ring;',
      '}',
    ],
  },
};

/** The outline of a C function, if Ringside has one. */
export function cOutline(ident: string): COutline | null {
  return C_OUTLINES[ident] ?? null;
}
