//! `io_uring_enter(2)` as a resumable state machine: submit, flush, publish, wait, return.
//!
//! Mirrors: `io_uring/io_uring.c` (`SYSCALL_DEFINE6(io_uring_enter)`, `io_submit_sqes`,
//! `io_get_sqe`, `io_submit_sqe`, `io_init_req`, `io_init_drain`, `io_init_fail_req`,
//! `io_submit_fail_init`, `io_submit_state_end`, `io_commit_sqring`, `io_get_ext_arg`) and the
//! wait side (`io_cqring_wait`, `io_cqring_wait_schedule`, `io_should_wake`,
//! `io_cqring_min_timer_wakeup`, in `io_uring/wait.c` on newer trees).
//!
//! Each call of [`run_step`] performs one unit of the syscall's work (consume one SQE, issue
//! one request, run one task_work item, flush completions, publish the SQ head, go to sleep,
//! wake up, ...), so a viewer can stop between any two of them. Phases that find nothing to do
//! fall through to the next phase within the same step, so every step emits trace records.
//!
//! Differences from upstream: signals do not exist, so a sigmask is only validated
//! (`set_user_sigmask`: size 8, readable); a wait that nothing can ever end is interrupted by
//! the scheduler as a signal would (`-EINTR`), see [`interrupt_deadlocked_wait`].

use super::types::*;
use super::*;
pub use crate::include::io_uring_types::{EnterCall, Phase};

/// Starts an `io_uring_enter` call for the task (the work happens in later steps).
///
/// Returns `-EBUSY` if the task is already inside a syscall (a userspace program is one
/// thread in this simulator).
pub fn begin(
    s: &mut Sim,
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: u64,
    argsz: u32,
) -> i32 {
    if s.linux.task.sys.is_some() {
        return -EBUSY;
    }
    s.linux.task.last_ret = None;
    s.linux.task.sys = Some(EnterCall::new(
        fd,
        0,
        to_submit,
        min_complete,
        flags,
        arg,
        argsz,
    ));
    0
}

impl EnterCall {
    /// A call that has not started: `io_uring_enter(fd, to_submit, min_complete, flags, arg,
    /// argsz)` on `ring` (0 until the descriptor is resolved), every later phase's state empty.
    pub fn new(
        fd: i32,
        ring: u32,
        to_submit: u32,
        min_complete: u32,
        flags: u32,
        arg: u64,
        argsz: u32,
    ) -> EnterCall {
        EnterCall {
            fd,
            ring,
            to_submit,
            min_complete,
            flags,
            arg,
            argsz,
            phase: Phase::Start,
            entries: 0,
            left: 0,
            ret: 0,
            waited: false,
            wait_ret: 0,
            min_events: 0,
            wait_target: 0,
            cq_min_tail: 0,
            deadline: None,
            min_deadline: None,
            hit_timeout: false,
            min_time: 0,
            sig: 0,
            sigsz: 0,
            tw_batch: 0,
            tw_batch_local: false,
            tw_ran: 0,
            flush_pending: false,
            iop_events: 0,
            iop_passes: 0,
            iop_tail: None,
        }
    }

    /// The SQPOLL thread's pass over `ring` (`__io_sq_thread` → `io_submit_sqes(ctx, n)`),
    /// run by the same phases as a submitting `io_uring_enter`, ending with its task_work
    /// (`io_run_task_work` in `io_sq_thread`).
    pub fn sq_thread_pass(ring: u32, n: u32) -> EnterCall {
        EnterCall {
            phase: if n > 0 { Phase::Submit } else { Phase::ExitTw },
            entries: n,
            left: n,
            ret: n as i32,
            ..EnterCall::new(-1, ring, n, 0, 0, 0, 0)
        }
    }
}

fn call(s: &mut Sim) -> &mut EnterCall {
    s.linux.task.sys.as_mut().expect("no syscall in progress")
}

/// Finishes the syscall with `ret` (the task returns to user mode).
fn finish(s: &mut Sim, ret: i32) {
    let c = s.linux.task.sys.take().expect("no syscall in progress");
    set_ctx(s, Ctx::Core);
    if s.linux.sqt_running.is_some() {
        sqpoll::pass_done(s, c.ring, ret);
        s.linux.task.last_ret = Some(ret);
        return;
    }
    s.emit(Event::sim_sys_exit, c.ring, 0, 0, ret as i64, 0);
    s.linux.task.last_ret = Some(ret);
    s.cur_ctx = Ctx::User;
}

/// Performs one unit of the current syscall. Called with no simulator borrow held.
///
/// Phases that have nothing to do pass on to the next one within the same step, so a step
/// always does something visible (and the syscall always progresses).
pub fn run_step() {
    for _ in 0..64 {
        let (phase, ring) = sim::with(|s| {
            set_ctx(s, Ctx::Core);
            s.linux.task.sys.as_ref().map(|c| (c.phase, c.ring))
        })
        .unwrap_or((Phase::ExitTw, 0));
        if sim::with(|s| s.linux.task.sys.is_none()) {
            return;
        }
        if run_phase(phase, ring) {
            return;
        }
    }
}

/// Runs one phase; returns whether it did something (and so ends the step).
fn run_phase(phase: Phase, ring: u32) -> bool {
    match phase {
        Phase::Start => sim::with(start),
        Phase::Submit => sim::with(submit_one),
        Phase::Issue(idx) => {
            io_queue_sqe(Req::new(ring, idx), IO_URING_F_INLINE);
            sim::with(|s| {
                set_ctx(s, Ctx::Core);
                let c = call(s);
                c.phase = if c.left > 0 {
                    Phase::Submit
                } else {
                    Phase::SubmitEnd
                };
            });
            true
        }
        Phase::SubmitEnd => sim::with(submit_end),
        Phase::CommitSq => sim::with(commit_sq),
        Phase::LocalWork => {
            if tw_run_one(ring, true, false) {
                return true;
            }
            sim::with(|s| call(s).phase = Phase::WaitArgs);
            false
        }
        Phase::WaitArgs => sim::with(wait_args),
        Phase::WaitTw => {
            let defer = sim::with(|s| live!(s.ring(ring)).defer_taskrun());
            if tw_run_one(ring, defer, true) {
                return true;
            }
            sim::with(|s| call(s).phase = Phase::WaitOverflow);
            false
        }
        Phase::WaitOverflow => sim::with(|s| {
            call(s).phase = Phase::WaitInit;
            if live!(s.ring(ring)).overflow.is_empty() {
                return false;
            }
            io_cqring_overflow_flush(s, ring);
            true
        }),
        Phase::WaitInit => sim::with(wait_init),
        Phase::WaitCheck => sim::with(wait_check),
        Phase::Sleeping => sim::with(wake_up),
        Phase::WaitAfter => {
            let defer = sim::with(|s| live!(s.ring(ring)).defer_taskrun());
            if tw_run_one(ring, defer, true) {
                return true;
            }
            sim::with(wait_after)
        }
        Phase::WaitDone => sim::with(|s| {
            let ring = call(s).ring;
            let empty = cq_events_user(live!(s.ring(ring))) == 0;
            let c = call(s);
            c.waited = true;
            if !empty {
                c.wait_ret = 0;
            }
            c.phase = Phase::ExitTw;
            false
        }),
        Phase::IoPollInit => sim::with(iopoll_init),
        Phase::IoPoll => iopoll_step(ring),
        Phase::SqWait => sim::with(|s| {
            let full = sqpoll::sq_wait_blocks(s, ring);
            if full && !call(s).waited {
                // First look: the ring is full, the task sleeps on `ctx->sqo_sq_wait` (the
                // scheduler does not run it until the thread made room).
                call(s).waited = true;
                s.emit(Event::sim_sqpoll_sq_wait, ring, 0, 0, 1, 0);
                return true;
            }
            if !full && !call(s).waited {
                s.emit(Event::sim_sqpoll_sq_wait, ring, 0, 0, 0, 0);
            }
            let cl = call(s);
            cl.waited = false;
            cl.phase = if cl.flags & IORING_ENTER_GETEVENTS != 0 {
                Phase::WaitArgs
            } else {
                Phase::ExitTw
            };
            true
        }),
        Phase::ExitTw => {
            if tw_run_one(ring, false, true) {
                return true;
            }
            sim::with(|s| {
                let c = *call(s);
                let mut ret = c.ret;
                if ret == 0 && c.waited {
                    ret = c.wait_ret;
                }
                finish(s, ret);
            });
            true
        }
    }
}

/// Runs one unit of pending task_work for the task inside the syscall: one item of the
/// current batch, or the completion flush that ends a batch (`ctx_flush_and_put`). With
/// `local`, the ring's DEFER_TASKRUN list is run before the task's list.
///
/// Returns false when there was nothing to do.
fn tw_run_one(ring: u32, local: bool, normal: bool) -> bool {
    enum Next {
        Item(TwItem, bool),
        Flush,
        Nothing,
    }
    let next = sim::with(|s| {
        let c = *call(s);
        if c.tw_batch > 0 {
            let it = if c.tw_batch_local {
                s.ring_mut(ring).and_then(|x| x.local_work.pop_front())
            } else {
                s.linux.task.tw.pop_front()
            };
            if let Some(it) = it {
                return Next::Item(it, c.tw_batch_local);
            }
            call(s).tw_batch = 0;
        }
        if c.flush_pending {
            return Next::Flush;
        }
        if local {
            let n = s.ring(ring).map_or(0, |x| x.local_work.len() as u32);
            if n > 0 {
                let cl = call(s);
                cl.tw_batch = n;
                cl.tw_batch_local = true;
                let it = s
                    .ring_mut(ring)
                    .and_then(|x| x.local_work.pop_front())
                    .expect("non-empty");
                return Next::Item(it, true);
            }
        }
        if normal && !s.linux.task.tw.is_empty() {
            let n = s.linux.task.tw.len() as u32;
            let cl = call(s);
            cl.tw_batch = n;
            cl.tw_batch_local = false;
            let it = s.linux.task.tw.pop_front().expect("non-empty");
            return Next::Item(it, false);
        }
        Next::Nothing
    });
    match next {
        Next::Item(it, l) => {
            tw::run_tw_item(it, l);
            sim::with(|s| {
                set_ctx(s, Ctx::Core);
                let c = call(s);
                c.tw_batch = c.tw_batch.saturating_sub(1);
                c.tw_ran += 1;
                if c.tw_batch == 0 {
                    c.flush_pending = true;
                }
            });
            true
        }
        Next::Flush => {
            sim::with(|s| {
                set_ctx(s, Ctx::TaskWork);
                let n = call(s).tw_ran;
                let local = call(s).tw_batch_local;
                // Traced after the batch's completions are flushed, as `tctx_task_work_run`
                // and, for a DEFER_TASKRUN ring's local list, `__io_run_local_work` do
                // (io_uring/io_uring.c).
                flush_all_rings(s);
                let ev = if local {
                    Event::io_uring_local_work_run
                } else {
                    Event::io_uring_task_work_run
                };
                // The SQPOLL thread's own run of its task_work fires no `task_work_run`
                // tracepoint on 6.18 (recording `sqpoll_pipe_read`).
                if s.linux.sqt_running.is_none() {
                    s.emit(ev, ring, 0, 0, n as i64, 0);
                }
                let c = call(s);
                c.flush_pending = false;
                c.tw_ran = 0;
                set_ctx(s, Ctx::Core);
            });
            true
        }
        Next::Nothing => false,
    }
}

/// Ends a task_work batch: `ctx_flush_and_put` for every ring (task_work may complete
/// requests of any ring) clears `IORING_SQ_TASKRUN` unless more normal task_work of that ring
/// is already queued, and flushes the deferred completions.
pub fn flush_all_rings(s: &mut Sim) {
    let ids: Vec<u32> = s.io_uring.rings.iter().flatten().map(|r| r.id).collect();
    for id in ids {
        if !s.linux.task.tw.iter().any(|it| it.req.ring == id) {
            tw::clear_taskrun_flag(s, id);
        }
        if !live!(s.ring(id)).compl_reqs.is_empty() || live!(s.ring(id)).ops.cq_flush {
            io_submit_flush_completions(s, id);
        }
    }
}

fn start(s: &mut Sim) -> bool {
    let c = *call(s);
    s.emit(
        Event::sim_sys_enter,
        0,
        0,
        0,
        c.to_submit as i64,
        c.min_complete as i64 | (c.flags as i64) << 32,
    );
    if c.flags & !IORING_ENTER_FLAGS != 0 {
        finish(s, -EINVAL);
        return true;
    }
    if c.flags & IORING_ENTER_REGISTERED_RING != 0 {
        // The task has an io_uring context once it created a ring; no ring is ever registered
        // (IORING_REGISTER_RING_FDS is not modelled).
        let has_tctx = !s.io_uring.rings.is_empty();
        finish(
            s,
            if !has_tctx || c.fd as u32 >= 16 {
                -EINVAL
            } else {
                -EBADF
            },
        );
        return true;
    }
    let f = match s.linux.fds.fget(c.fd) {
        Some(f) => f,
        None => {
            finish(s, -EBADF);
            return true;
        }
    };
    let ring = match s.linux.fds.file(f).kind {
        FileKind::IoUring(id) => id,
        _ => {
            finish(s, -EOPNOTSUPP);
            return true;
        }
    };
    // A ring created with IORING_SETUP_R_DISABLED takes no call until
    // IORING_REGISTER_ENABLE_RINGS (`io_uring/io_uring.c:io_uring_enter`).
    if live!(s.ring(ring)).flags & IORING_SETUP_R_DISABLED != 0 {
        finish(s, -EBADFD);
        return true;
    }
    call(s).ring = ring;
    if live!(s.ring(ring)).flags & IORING_SETUP_SQPOLL != 0 {
        // The thread does all submissions: wake it if asked, wait for SQ room if asked, and
        // return `to_submit` as passed (then wait for CQEs with GETEVENTS, as any ring).
        if c.flags & IORING_ENTER_SQ_WAKEUP != 0 {
            sqpoll::enter_wakeup(s, ring);
        }
        let cl = call(s);
        cl.ret = c.to_submit as i32;
        cl.phase = sqpoll::after_branch(c.flags);
        return true;
    }
    if c.to_submit > 0 {
        // `io_submit_sqes`: at most the published entries, at most the SQ size.
        let ctx = live!(s.ring(ring));
        let tail = ctx.rings.load_acquire_u32(rings_off::SQ_TAIL);
        let avail = tail
            .wrapping_sub(ctx.cached_sq_head)
            .min(ctx.layout.sq_entries);
        let entries = c.to_submit.min(avail);
        let cl = call(s);
        cl.entries = entries;
        cl.left = entries;
        cl.ret = entries as i32;
        // 0 SQEs: `io_submit_sqes` returns 0 at once; 0 != to_submit, so no wait.
        cl.phase = if entries == 0 {
            Phase::ExitTw
        } else {
            Phase::Submit
        };
    } else if c.flags & IORING_ENTER_GETEVENTS != 0 {
        call(s).phase = Phase::WaitArgs;
    } else {
        call(s).phase = Phase::ExitTw;
    }
    true
}

/// Ends the batch early (the SQE at hand was dropped or failed and is not counted further).
fn stop_batch(s: &mut Sim) {
    let c = call(s);
    c.ret = (c.entries - c.left) as i32;
    c.left = 0;
    c.phase = Phase::SubmitEnd;
}

fn submit_one(s: &mut Sim) -> bool {
    let ring = call(s).ring;
    let ctx = live!(s.ring_mut(ring));
    // io_get_sqe.
    let head = ctx.cached_sq_head;
    ctx.cached_sq_head = head.wrapping_add(1);
    let mut slot = head & ctx.sq_mask;
    if let Some(arr) = ctx.layout.sq_array {
        slot = ctx.rings.read_once_u32(arr + 4 * slot);
        if slot >= ctx.layout.sq_entries {
            let d = ctx
                .rings
                .read_once_u32(rings_off::SQ_DROPPED)
                .wrapping_add(1);
            ctx.rings.write_once_u32(rings_off::SQ_DROPPED, d);
            s.emit(Event::sim_sqe_dropped, ring, 0, 0, slot as i64, d as i64);
            // The request allocated for it goes back to the cache; `left` still counts it.
            stop_batch(s);
            return true;
        }
    }
    let sqe_len = ctx.layout.sqe_size as usize;
    let sqe_off = slot as usize * sqe_len;
    let mut sqe = [0u8; 128];
    ctx.sqes.read_bytes(sqe_off, &mut sqe[..sqe_len]);
    let idx = io_alloc_req(s, ring);
    {
        let r = live!(s.req_mut(Req::new(ring, idx)));
        r.sqe_off = sqe_off;
        r.sqe_len = sqe_len;
        r.sqe_flags = sqe[sqe_off::FLAGS];
    }
    let res = io_init_req(s, Req::new(ring, idx), &sqe[..sqe_len]);
    call(s).left -= 1;
    match res {
        Err(e) => {
            if io_submit_fail_init(s, Req::new(ring, idx), e)
                && live!(s.ring(ring)).flags & IORING_SETUP_SUBMIT_ALL == 0
            {
                stop_batch(s);
            } else if call(s).left == 0 {
                call(s).phase = Phase::SubmitEnd;
            }
        }
        Ok(()) => {
            let issue = io_submit_sqe_linked(s, Req::new(ring, idx), head);
            let c = call(s);
            c.phase = match issue {
                Some(i) => Phase::Issue(i),
                None if c.left > 0 => Phase::Submit,
                None => Phase::SubmitEnd,
            };
        }
    }
    true
}

/// `io_init_req`: copies the SQE's flags into the request, validates them and the opcode,
/// handles drain bookkeeping and runs the opcode's prep.
fn io_init_req(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let Req { ring, idx } = req;
    let opcode = sqe[sqe_off::OPCODE];
    let sqe_flags = sqe[sqe_off::FLAGS];
    let user_data = u64::from_le_bytes([
        sqe[32], sqe[33], sqe[34], sqe[35], sqe[36], sqe[37], sqe[38], sqe[39],
    ]);
    {
        let r = live!(s.req_mut(req));
        r.opcode = opcode;
        // The low REQ_F_* bits have the IOSQE_* values.
        r.flags = u32::from(sqe_flags);
        r.user_data = user_data;
        r.file = None;
    }
    if opcode >= IORING_OP_LAST {
        live!(s.req_mut(req)).opcode = 0;
        return Err(EINVAL);
    }
    let def = opdef::io_issue_def(opcode);
    if !def.supported {
        // No model for this opcode: refused before any other check, with an answer the
        // kernel never gives (`sim_not_modelled`).
        return Err(rw::not_modelled(s, req, opdata::not_modelled::OPCODE));
    }
    let ctx_flags = live!(s.ring(ring)).flags;
    if def.is_128 && ctx_flags & IORING_SETUP_SQE128 == 0 {
        // A 128-byte opcode needs IORING_SETUP_SQE_MIXED, which is not modelled.
        return Err(EINVAL);
    }
    const SQE_COMMON_FLAGS: u8 = IOSQE_FIXED_FILE | IOSQE_IO_LINK | IOSQE_IO_HARDLINK | IOSQE_ASYNC;
    if sqe_flags & !SQE_COMMON_FLAGS != 0 {
        if sqe_flags & !SQE_VALID_FLAGS != 0 {
            return Err(EINVAL);
        }
        if sqe_flags & IOSQE_BUFFER_SELECT != 0 && !def.buffer_select {
            return Err(EOPNOTSUPP);
        }
        if sqe_flags & IOSQE_CQE_SKIP_SUCCESS != 0 {
            live!(s.ring_mut(ring)).drain_disabled = true;
        }
        if sqe_flags & IOSQE_IO_DRAIN != 0 {
            if live!(s.ring(ring)).drain_disabled {
                return Err(EOPNOTSUPP);
            }
            io_init_drain(s, ring);
        }
    }
    {
        let ctx = live!(s.ring_mut(ring));
        if ctx.drain_active || ctx.drain_next {
            // Knock it to the slow path, where it is drained.
            if ctx.drain_active {
                live!(ctx.req_mut(idx)).flags |= REQ_F_FORCE_ASYNC;
            }
            if ctx.drain_next && ctx.link_head.is_none() {
                ctx.drain_next = false;
                ctx.drain_active = true;
                live!(ctx.req_mut(idx)).flags |= REQ_F_IO_DRAIN | REQ_F_FORCE_ASYNC;
            }
        }
    }
    let ioprio = u16::from_le_bytes([sqe[2], sqe[3]]);
    if !def.ioprio && ioprio != 0 {
        return Err(EINVAL);
    }
    if !def.iopoll && ctx_flags & IORING_SETUP_IOPOLL != 0 {
        return Err(EINVAL);
    }
    if def.needs_file {
        let fd = i32::from_le_bytes([sqe[4], sqe[5], sqe[6], sqe[7]]);
        live!(s.req_mut(req)).fd = fd;
    }
    // No personality is ever registered (IORING_REGISTER_PERSONALITY is not modelled).
    let personality = u16::from_le_bytes([sqe[42], sqe[43]]);
    if personality != 0 {
        return Err(EINVAL);
    }
    match opcode {
        IORING_OP_NOP | IORING_OP_NOP128 => nop::io_nop_prep(s, req, sqe),
        IORING_OP_URING_CMD | IORING_OP_URING_CMD128 => uring_cmd::io_uring_cmd_prep(s, req, sqe),
        IORING_OP_READ
        | IORING_OP_WRITE
        | IORING_OP_READV
        | IORING_OP_WRITEV
        | IORING_OP_READ_FIXED
        | IORING_OP_WRITE_FIXED => rw::io_prep_rw(s, req, sqe),
        IORING_OP_TIMEOUT => timeout::io_timeout_prep(s, req, sqe, false),
        IORING_OP_LINK_TIMEOUT => timeout::io_timeout_prep(s, req, sqe, true),
        IORING_OP_TIMEOUT_REMOVE => timeout::io_timeout_remove_prep(s, req, sqe),
        IORING_OP_ASYNC_CANCEL => cancel::io_async_cancel_prep(s, req, sqe),
        IORING_OP_POLL_ADD => poll::io_poll_add_prep(s, req, sqe),
        IORING_OP_POLL_REMOVE => poll::io_poll_remove_prep(s, req, sqe),
        IORING_OP_SEND => super::net::io_send_prep(s, req, sqe),
        IORING_OP_RECV => super::net::io_recv_prep(s, req, sqe),
        IORING_OP_ACCEPT => super::net::io_accept_prep(s, req, sqe),
        IORING_OP_PROVIDE_BUFFERS => super::kbuf::io_provide_buffers_prep(s, req, sqe),
        IORING_OP_REMOVE_BUFFERS => super::kbuf::io_remove_buffers_prep(s, req, sqe),
        _ => Err(rw::not_modelled(s, req, opdata::not_modelled::OPCODE)),
    }
}

/// `io_init_drain`: from now on requests are drained; a drain inside a link drains the head
/// and the request after the link.
fn io_init_drain(s: &mut Sim, ring: u32) {
    let ctx = live!(s.ring_mut(ring));
    ctx.drain_active = true;
    if let Some(h) = ctx.link_head {
        live!(ctx.req_mut(h)).flags |= REQ_F_IO_DRAIN | REQ_F_FORCE_ASYNC;
        ctx.drain_next = true;
    }
}

/// `io_submit_fail_init`. Returns true if the batch must stop.
///
/// A failing SQE is completed with its error; a link under construction keeps being
/// assembled (its head is failed with `-ECANCELED`) and is failed as a whole when it ends, so
/// a failing SQE that carries a link flag does not stop the batch.
fn io_submit_fail_init(s: &mut Sim, req: Req, err: i32) -> bool {
    let Req { ring, idx } = req;
    let (serial, ud) = {
        let r = live!(s.req_mut(req));
        // `io_init_fail_req`: the per-opcode data (the PDU included) is cleared.
        r.cmd.pdu = [0; PDU_SIZE];
        r.pdu_prov = [Prov::Zeroed; PDU_SIZE];
        r.pdu_src = [0; PDU_SIZE];
        r.cmd.cmd_op = 0;
        r.cmd.flags = 0;
        (r.serial, r.user_data)
    };
    s.emit(Event::io_uring_req_failed, ring, serial, ud, -err as i64, 0);
    // `req_fail_link_node`.
    req_set_fail(s, req);
    io_req_set_res(s, req, -err, 0);
    req_set_state(s, req, ReqState::FailedPrep);
    let head = live!(s.ring(ring)).link_head;
    if let Some(h) = head {
        if live!(s.req(Req::new(ring, h))).flags & REQ_F_FAIL == 0 {
            req_set_fail(s, Req::new(ring, h));
            io_req_set_res(s, Req::new(ring, h), -ECANCELED, 0);
        }
    }
    let is_link = live!(s.req(req)).flags & IO_REQ_LINK_FLAGS != 0;
    let ctx = live!(s.ring_mut(ring));
    if !is_link {
        let target = match head {
            Some(h) => {
                let last = live!(ctx.link_last.take());
                live!(ctx.req_mut(last)).link = Some(idx);
                ctx.link_head = None;
                h
            }
            None => idx,
        };
        io_queue_sqe_fallback(s, Req::new(ring, target));
        return true;
    }
    match head {
        Some(_) => {
            let last = live!(ctx.link_last);
            live!(ctx.req_mut(last)).link = Some(idx);
        }
        None => ctx.link_head = Some(idx),
    }
    ctx.link_last = Some(idx);
    false
}

/// The part of `io_submit_sqe` after a successful init: link assembly, the slow path, or an
/// inline issue. Returns a request to issue inline, if any.
fn io_submit_sqe_linked(s: &mut Sim, req: Req, sq_index: u32) -> Option<u32> {
    let Req { ring, idx } = req;
    let (serial, ud, opcode, rflags) = {
        let r = live!(s.req(req));
        (r.serial, r.user_data, r.opcode, r.flags)
    };
    s.emit(
        Event::io_uring_submit_req,
        ring,
        serial,
        ud,
        opcode as i64,
        (rflags & 0xff) as i64 | (sq_index as i64) << 32,
    );
    req_set_state(s, req, ReqState::Prepped);
    let ctx = live!(s.ring_mut(ring));
    if let Some(head) = ctx.link_head {
        let last = live!(ctx.link_last);
        let last_serial = live!(ctx.req(last)).serial;
        s.emit(
            Event::io_uring_link,
            ring,
            serial,
            ud,
            last_serial as i64,
            0,
        );
        uring_cmd::io_req_sqe_copy(s, req);
        let ctx = live!(s.ring_mut(ring));
        live!(ctx.req_mut(last)).link = Some(idx);
        ctx.link_last = Some(idx);
        req_set_state(s, req, ReqState::Linked);
        if rflags & IO_REQ_LINK_FLAGS != 0 {
            return None;
        }
        // The last request of the link: flush the chain.
        let ctx = live!(s.ring_mut(ring));
        ctx.link_head = None;
        ctx.link_last = None;
        if live!(ctx.req(head)).flags & (REQ_F_FORCE_ASYNC | REQ_F_FAIL) != 0 {
            io_queue_sqe_fallback(s, Req::new(ring, head));
            return None;
        }
        return Some(head);
    }
    if rflags & (IO_REQ_LINK_FLAGS | REQ_F_FORCE_ASYNC | REQ_F_FAIL) != 0 {
        if rflags & IO_REQ_LINK_FLAGS != 0 {
            ctx.link_head = Some(idx);
            ctx.link_last = Some(idx);
            req_set_state(s, req, ReqState::Linked);
        } else {
            io_queue_sqe_fallback(s, req);
        }
        return None;
    }
    Some(idx)
}

fn submit_end(s: &mut Sim) -> bool {
    let ring = call(s).ring;
    let ctx = live!(s.ring_mut(ring));
    ctx.link_last = None;
    if let Some(h) = ctx.link_head.take() {
        io_queue_sqe_fallback(s, Req::new(ring, h));
    }
    // Flush only after queuing links, as they can generate completions.
    let n = live!(s.ring(ring)).compl_reqs.len();
    s.emit(Event::sim_submit_flush, ring, 0, 0, n as i64, 0);
    io_submit_flush_completions(s, ring);
    call(s).phase = Phase::CommitSq;
    true
}

fn commit_sq(s: &mut Sim) -> bool {
    let c = *call(s);
    let ctx = live!(s.ring(c.ring));
    let head = ctx.cached_sq_head;
    ctx.rings.store_release_u32(rings_off::SQ_HEAD, head);
    s.emit(Event::sim_sq_head_commit, c.ring, 0, 0, head as i64, 0);
    // `ctx->syscall_iopoll` jumps to `iopoll_locked` before DEFER_TASKRUN's local work.
    let defer = live!(s.ring(c.ring)).defer_taskrun()
        && live!(s.ring(c.ring)).flags & IORING_SETUP_IOPOLL == 0;
    let cl = call(s);
    cl.phase = if c.ret != c.to_submit as i32 {
        Phase::ExitTw
    } else if c.flags & IORING_ENTER_GETEVENTS != 0 {
        if defer {
            Phase::LocalWork
        } else {
            Phase::WaitArgs
        }
    } else {
        Phase::ExitTw
    };
    true
}

fn rd_u64(b: &[u8], o: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[o..o + 8]);
    u64::from_le_bytes(w)
}

/// `io_get_ext_arg`: without `EXT_ARG` the argument is the sigmask; with it, a
/// `struct io_uring_getevents_arg` of exactly 24 bytes (`-EINVAL`) that must be readable
/// (`-EFAULT`, also for a NULL pointer), whose `ts` points to a `__kernel_timespec`.
fn io_get_ext_arg(s: &Sim, c: &mut EnterCall) -> Result<(), i32> {
    if c.flags & IORING_ENTER_EXT_ARG == 0 {
        c.sig = c.arg;
        c.sigsz = c.argsz;
        return Ok(());
    }
    if c.flags & IORING_ENTER_EXT_ARG_REG != 0 {
        // No wait region is ever registered (IORING_REGISTER_MEM_REGION is not modelled):
        // `io_get_ext_arg_reg` finds nothing at any offset.
        return Err(if c.argsz != 64 { EINVAL } else { EFAULT });
    }
    if c.argsz != IO_URING_GETEVENTS_ARG_SIZE {
        return Err(EINVAL);
    }
    let mut a = [0u8; 24];
    s.linux.user.copy_from_user(&mut a, c.arg)?;
    c.sig = rd_u64(&a, 0);
    c.sigsz = u32::from_le_bytes([a[8], a[9], a[10], a[11]]);
    let min_wait_usec = u32::from_le_bytes([a[12], a[13], a[14], a[15]]);
    c.min_time = u64::from(min_wait_usec) * 1000;
    let ts = rd_u64(&a, 16);
    if ts != 0 {
        let mut t = [0u8; 16];
        s.linux.user.copy_from_user(&mut t, ts)?;
        let sec = rd_u64(&t, 0) as i64;
        let nsec = rd_u64(&t, 8) as i64;
        // `timespec64_to_ktime`: no validation; huge values saturate, negative ones are in
        // the past.
        let ns = (sec as i128) * 1_000_000_000 + nsec as i128;
        let abs = c.flags & IORING_ENTER_ABS_TIMER != 0;
        let base = if abs { 0i128 } else { s.clock_ns as i128 };
        let d = (base + ns).max(0).min(u64::MAX as i128) as u64;
        c.deadline = Some(d);
    }
    Ok(())
}

fn wait_args(s: &mut Sim) -> bool {
    let mut c = *call(s);
    let r = io_get_ext_arg(s, &mut c);
    let iopoll = live!(s.ring(c.ring)).flags & IORING_SETUP_IOPOLL != 0;
    let cl = call(s);
    *cl = c;
    match r {
        Ok(()) if iopoll => cl.phase = Phase::IoPollInit,
        Ok(()) => cl.phase = Phase::WaitTw,
        Err(e) => {
            cl.waited = true;
            cl.wait_ret = -e;
            cl.phase = Phase::ExitTw;
        }
    }
    false
}

/// The start of `io_iopoll_check` (`io_uring/io_uring.c`): `min_events` is capped at the CQ
/// size; the overflow list is flushed; if any CQE is already waiting the call returns 0 at
/// once ("we can potentially be spinning for commands that already triggered a completion").
fn iopoll_init(s: &mut Sim) -> bool {
    let c = *call(s);
    let ctx = live!(s.ring(c.ring));
    let min = c.min_complete.min(ctx.layout.cq_entries);
    let overflow = !ctx.overflow.is_empty();
    if overflow {
        io_cqring_overflow_flush(s, c.ring);
    }
    let waiting = cq_events_user(live!(s.ring(c.ring))) > 0;
    let cl = call(s);
    cl.min_events = min;
    cl.iop_events = 0;
    cl.iop_passes = 0;
    cl.iop_tail = None;
    if waiting {
        cl.waited = true;
        cl.wait_ret = 0;
        cl.phase = Phase::ExitTw;
        s.emit(Event::sim_iopoll_check_done, c.ring, 0, 0, 0, 0);
    } else {
        cl.phase = Phase::IoPoll;
    }
    overflow
}

/// Ends `io_iopoll_check` with 0.
fn iopoll_done(s: &mut Sim) {
    let c = *call(s);
    let cl = call(s);
    cl.waited = true;
    cl.wait_ret = 0;
    cl.phase = Phase::ExitTw;
    s.emit(
        Event::sim_iopoll_check_done,
        c.ring,
        0,
        0,
        i64::from(c.iop_events),
        i64::from(c.iop_passes),
    );
}

/// One unit of the `io_iopoll_check` loop: while the iopoll list is empty or task_work is
/// pending, run task_work one item at a time; then stop if that posted a CQE or nothing is
/// left to poll ("some requests don't go through iopoll_list"); else one `io_do_iopoll`
/// pass, until `min_events` were reaped.
fn iopoll_step(ring: u32) -> bool {
    let (list_empty, tw_pending, in_tw) = sim::with(|s| {
        let ctx = live!(s.ring(ring));
        let tw = !ctx.local_work.is_empty() || !s.linux.task.tw.is_empty();
        (ctx.iopoll_list.is_empty(), tw, call(s).iop_tail.is_some())
    });
    if list_empty || tw_pending || in_tw {
        if !in_tw {
            sim::with(|s| {
                let tail = live!(s.ring(ring)).cached_cq_tail;
                call(s).iop_tail = Some(tail);
            });
        }
        let defer = sim::with(|s| live!(s.ring(ring)).defer_taskrun());
        if tw_run_one(ring, defer, true) {
            return true;
        }
        let stop = sim::with(|s| {
            let ctx = live!(s.ring(ring));
            let (tail, empty) = (ctx.cached_cq_tail, ctx.iopoll_list.is_empty());
            let cl = call(s);
            let moved = cl.iop_tail.take().map_or(false, |t| t != tail);
            moved || empty
        });
        if stop {
            sim::with(iopoll_done);
            return true;
        }
    }
    let force_nonspin = sim::with(|s| call(s).min_events == 0);
    let (_, reaped) = iopoll::io_do_iopoll(ring, force_nonspin);
    sim::with(|s| {
        let cl = call(s);
        cl.iop_events += reaped;
        cl.iop_passes += 1;
        let (ev, min, passes) = (cl.iop_events, cl.min_events, cl.iop_passes);
        if ev >= min || passes >= iopoll::MAX_PASSES {
            iopoll_done(s);
        }
    });
    true
}

fn cq_events_user(ctx: &IoRingCtx) -> u32 {
    let tail = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
    let head = ctx.rings.read_once_u32(rings_off::CQ_HEAD);
    tail.wrapping_sub(head)
}

/// The start of `io_cqring_wait` after task_work and the overflow flush: return at once when
/// enough CQEs are unreaped (all of them count, not only new ones), else set up the wait.
fn wait_init(s: &mut Sim) -> bool {
    let c = *call(s);
    let ctx = live!(s.ring(c.ring));
    let min = c.min_complete.min(ctx.layout.cq_entries);
    if cq_events_user(ctx) >= min {
        let cl = call(s);
        cl.waited = true;
        cl.wait_ret = 0;
        cl.phase = Phase::ExitTw;
        return false;
    }
    let head = ctx.rings.read_once_u32(rings_off::CQ_HEAD);
    let tail = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
    // `set_user_sigmask`: signals are not modelled, the mask is only checked.
    if c.sig != 0 {
        let mut m = [0u8; 8];
        let r = if c.sigsz != 8 {
            Err(EINVAL)
        } else {
            s.linux.user.copy_from_user(&mut m, c.sig)
        };
        if let Err(e) = r {
            let cl = call(s);
            cl.waited = true;
            cl.wait_ret = -e;
            cl.phase = Phase::ExitTw;
            return false;
        }
    }
    let now = s.clock_ns;
    let cl = call(s);
    cl.min_events = min;
    cl.wait_target = head.wrapping_add(min);
    cl.cq_min_tail = tail;
    cl.hit_timeout = false;
    cl.min_deadline = if c.min_time > 0 {
        Some(now.saturating_add(c.min_time))
    } else {
        None
    };
    cl.phase = Phase::WaitCheck;
    s.emit(Event::io_uring_cqring_wait, c.ring, 0, 0, min as i64, 0);
    true
}

/// `io_should_wake`: the CQ tail reached the target.
fn io_should_wake(ctx: &IoRingCtx, c: &EnterCall) -> bool {
    let tail = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
    (tail.wrapping_sub(c.wait_target) as i32) >= 0
}

/// `io_cqring_wait_schedule`: retry at once if there is overflow to flush or task_work to
/// run, stop if the wait is satisfied, else go to sleep.
fn wait_check(s: &mut Sim) -> bool {
    let c = *call(s);
    let ctx = live!(s.ring(c.ring));
    let pending =
        !ctx.overflow.is_empty() || !ctx.local_work.is_empty() || !s.linux.task.tw.is_empty();
    if pending || io_should_wake(ctx, &c) {
        call(s).phase = Phase::WaitAfter;
        return false;
    }
    s.emit(Event::sim_wait_sleep, c.ring, 0, 0, c.min_events as i64, 0);
    call(s).phase = Phase::Sleeping;
    true
}

/// The task is woken (by a CQE, task_work or a timer): handles the `min_wait_usec` timer
/// (`io_cqring_min_timer_wakeup`) and the timeout (`io_cqring_timer_wakeup`).
fn wake_up(s: &mut Sim) -> bool {
    let c = *call(s);
    let now = s.clock_ns;
    if let Some(md) = c.min_deadline {
        if now >= md {
            let ctx = live!(s.ring(c.ring));
            let tail = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
            let has_work = !ctx.overflow.is_empty() || !ctx.local_work.is_empty();
            let hit = c.deadline.map_or(true, |d| md >= d)
                || has_work
                || tail != c.cq_min_tail
                || cq_events_user(ctx) > 0;
            let cl = call(s);
            cl.min_deadline = None;
            if !hit {
                // Switch to the normal timeout and keep sleeping.
                s.emit(Event::sim_timer_fire, c.ring, 0, 0, now as i64, 0);
                return true;
            }
            cl.hit_timeout = true;
        }
    }
    if let Some(d) = c.deadline {
        if now >= d {
            call(s).hit_timeout = true;
        }
    }
    let hit = call(s).hit_timeout;
    s.emit(Event::sim_wait_wake, c.ring, 0, 0, hit as i64, 0);
    call(s).phase = Phase::WaitAfter;
    true
}

/// The rest of the `io_cqring_wait` loop after task_work ran: a timeout ends the wait; else
/// flush overflow and stop once the target is reached.
fn wait_after(s: &mut Sim) -> bool {
    let c = *call(s);
    if c.hit_timeout {
        let cl = call(s);
        cl.wait_ret = -ETIME;
        cl.phase = Phase::WaitDone;
        return false;
    }
    let mut did = false;
    let mut stuck = false;
    if !live!(s.ring(c.ring)).overflow.is_empty() {
        stuck = io_cqring_overflow_flush(s, c.ring) == 0;
        did = true;
    }
    let ctx = live!(s.ring(c.ring));
    let wake = io_should_wake(ctx, &c);
    let tw_pending = !ctx.local_work.is_empty() || !s.linux.task.tw.is_empty();
    let cl = call(s);
    if wake {
        cl.wait_ret = 0;
        cl.phase = Phase::WaitDone;
    } else if stuck && !tw_pending {
        // The overflow list holds a CQE that cannot move (a 32-byte CQE on a CQE_MIXED ring
        // with one free slot before the head), so `check_cq` stays set and
        // `io_cqring_wait_schedule` never sleeps: the kernel spins here, and its timeout is
        // never armed. The simulator ends the wait as a signal would, and says so.
        cl.wait_ret = -EINTR;
        cl.phase = Phase::WaitDone;
        s.emit(Event::sim_wait_deadlock, c.ring, 0, 0, 0, 1);
    } else {
        cl.phase = Phase::WaitCheck;
    }
    did
}

/// Returns whether a sleeping waiter must wake: task_work was queued (`TWA_SIGNAL` or
/// `TWA_SIGNAL_NO_IPI` both wake a sleeping task), DEFER_TASKRUN work reached the waiter's
/// count, the CQ tail reached the target, overflow can be flushed, or a timer expired.
pub fn should_wake(s: &Sim) -> bool {
    let c = match &s.linux.task.sys {
        Some(c) if c.phase == Phase::Sleeping => c,
        _ => return false,
    };
    let ctx = match s.ring(c.ring) {
        Some(x) => x,
        None => return true,
    };
    if !s.linux.task.tw.is_empty() {
        return true;
    }
    let lazy_n = ctx.local_work.iter().filter(|i| i.lazy).count() as u32;
    let tail = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
    let nr_wait = c.wait_target.wrapping_sub(tail).max(1);
    if ctx.local_work.iter().any(|i| !i.lazy) || (lazy_n > 0 && lazy_n >= nr_wait) {
        return true;
    }
    if io_should_wake(ctx, c) {
        return true;
    }
    if !ctx.overflow.is_empty() && cq_events_user(ctx) < ctx.layout.cq_entries {
        return true;
    }
    let now = s.clock_ns;
    c.deadline.map_or(false, |d| now >= d) || c.min_deadline.map_or(false, |d| now >= d)
}

/// Ends a wait that nothing can ever satisfy: the simulator interrupts it (as a signal would)
/// instead of hanging, and says so in the trace.
pub fn interrupt_deadlocked_wait(s: &mut Sim) {
    let ring = call(s).ring;
    if call(s).phase == Phase::SqWait {
        // `io_sqpoll_wait_sq` ends on a signal and returns 0: the call goes on.
        s.emit(Event::sim_wait_deadlock, ring, 0, 0, 0, 0);
        let cl = call(s);
        cl.waited = false;
        cl.phase = Phase::ExitTw;
        return;
    }
    s.emit(Event::sim_wait_deadlock, ring, 0, 0, 0, 0);
    let cl = call(s);
    cl.wait_ret = -EINTR;
    cl.phase = Phase::WaitDone;
}

/// Returns the next moment a sleeping waiter's timer fires, if it has one.
pub fn deadline(s: &Sim) -> Option<u64> {
    let c = s
        .linux
        .task
        .sys
        .as_ref()
        .filter(|c| c.phase == Phase::Sleeping)?;
    match (c.min_deadline, c.deadline) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
