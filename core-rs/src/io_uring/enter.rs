//! `io_uring_enter(2)` as a resumable state machine: submit, flush, publish, wait, return.
//!
//! Mirrors: `io_uring/io_uring.c` (`SYSCALL_DEFINE6(io_uring_enter)`, `io_submit_sqes`,
//! `io_get_sqe`, `io_submit_sqe`, `io_init_req`, `io_submit_fail_init`, `io_queue_sqe_fallback`,
//! `io_submit_state_end`, `io_commit_sqring`) and `io_uring/wait.c` (`io_cqring_wait`,
//! `io_should_wake`, `io_get_ext_arg`).
//!
//! Each call of [`run_step`] performs one unit of the syscall's work, so a viewer can stop
//! between consuming two SQEs, or between the CQE flush and the SQ head store.

use super::types::*;
use super::*;

/// Where an `io_uring_enter` call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Argument and descriptor checks.
    Start,
    /// Consume the next SQE (`io_get_sqe` + `io_submit_sqe`).
    Submit,
    /// Issue a request inline (`io_queue_sqe(req, IO_URING_F_INLINE)`).
    Issue(u32),
    /// `io_submit_state_end`: queue an unterminated link, flush deferred completions.
    SubmitEnd,
    /// `io_commit_sqring`: publish the SQ head.
    CommitSq,
    /// DEFER_TASKRUN: run local work after submitting (`io_run_local_work_locked`).
    LocalWork,
    /// `io_cqring_wait`: run task_work, flush overflow, check the wake condition.
    WaitCheck,
    /// Asleep until a CQE, task_work, or the timeout wakes the task.
    Sleeping,
    /// Returning to user mode: run pending task_work (`tctx_task_work`).
    ExitTw,
}

/// An `io_uring_enter` in progress.
#[derive(Clone, Copy, Debug)]
pub struct EnterCall {
    pub fd: i32,
    pub ring: u32,
    pub to_submit: u32,
    pub min_complete: u32,
    pub flags: u32,
    pub arg: u64,
    pub argsz: u32,
    pub phase: Phase,
    pub entries: u32,
    pub left: u32,
    /// The submit part's result (`io_submit_sqes`), or the early error.
    pub ret: i32,
    pub waited: bool,
    pub wait_ret: i32,
    pub min_events: u32,
    /// `iowq.cq_tail`: CQ head at wait start plus `min_events`.
    pub wait_target: u32,
    pub deadline: Option<u64>,
    /// task_work ran since the last completion flush.
    pub flush_pending: bool,
}

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
    if s.task.sys.is_some() {
        return -EBUSY;
    }
    s.task.last_ret = None;
    s.task.sys = Some(EnterCall {
        fd,
        ring: 0,
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
        deadline: None,
        flush_pending: false,
    });
    0
}

fn call(s: &mut Sim) -> &mut EnterCall {
    s.task.sys.as_mut().expect("no syscall in progress")
}

/// Finishes the syscall with `ret` (the task returns to user mode).
fn finish(s: &mut Sim, ret: i32) {
    let c = s.task.sys.take().expect("no syscall in progress");
    s.cur_ctx = Ctx::Core;
    s.emit(Event::sim_sys_exit, c.ring, 0, 0, ret as i64, 0);
    s.task.last_ret = Some(ret);
    s.cur_ctx = Ctx::User;
}

/// Performs one unit of the current syscall. Called with no simulator borrow held.
pub fn run_step() {
    let (phase, ring) = sim::with(|s| {
        s.cur_ctx = Ctx::Core;
        let c = call(s);
        (c.phase, c.ring)
    });
    match phase {
        Phase::Start => sim::with(start),
        Phase::Submit => sim::with(submit_one),
        Phase::Issue(idx) => {
            sim::with(|s| s.ring_mut(ring).expect("ring").req_mut(idx).state = ReqState::Issuing);
            io_issue_sqe(
                ring,
                idx,
                IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER | IO_URING_F_INLINE,
            );
            sim::with(|s| {
                s.cur_ctx = Ctx::Core;
                let c = call(s);
                c.phase = if c.left > 0 {
                    Phase::Submit
                } else {
                    Phase::SubmitEnd
                };
            });
        }
        Phase::SubmitEnd => sim::with(submit_end),
        Phase::CommitSq => sim::with(commit_sq),
        Phase::LocalWork => {
            if !run_pending_tw(ring, true, false) {
                sim::with(|s| call(s).phase = Phase::WaitCheck);
                wait_check();
            }
        }
        Phase::WaitCheck => wait_check(),
        Phase::Sleeping => sim::with(|s| {
            s.emit(Event::sim_wait_wake, ring, 0, 0, 0, 0);
            call(s).phase = Phase::WaitCheck;
        }),
        Phase::ExitTw => {
            if !run_pending_tw(ring, false, true) {
                sim::with(|s| {
                    let c = *call(s);
                    let mut ret = c.ret;
                    if ret == 0 && c.waited {
                        ret = c.wait_ret;
                    }
                    finish(s, ret);
                });
            }
        }
    }
}

/// Runs one pending task_work item, or flushes the completions task_work produced.
///
/// Returns false when there was nothing to do.
fn run_pending_tw(ring: u32, local: bool, normal: bool) -> bool {
    enum Next {
        Item(TwItem, bool),
        Flush,
        Nothing,
    }
    let next = sim::with(|s| {
        if normal {
            if let Some(it) = s.task.tw.pop_front() {
                return Next::Item(it, false);
            }
        }
        if local {
            if let Some(it) = s.ring_mut(ring).and_then(|c| c.local_work.pop_front()) {
                return Next::Item(it, true);
            }
        }
        let c = call(s);
        if c.flush_pending {
            c.flush_pending = false;
            return Next::Flush;
        }
        Next::Nothing
    });
    match next {
        Next::Item(it, l) => {
            tw::run_tw_item(it, l);
            sim::with(|s| {
                s.cur_ctx = Ctx::Core;
                call(s).flush_pending = true;
            });
            true
        }
        Next::Flush => {
            sim::with(|s| {
                s.cur_ctx = Ctx::TaskWork;
                flush_all_rings(s);
                s.cur_ctx = Ctx::Core;
            });
            true
        }
        Next::Nothing => false,
    }
}

/// Flushes deferred completions of every ring (task_work may complete requests of any ring).
pub fn flush_all_rings(s: &mut Sim) {
    let ids: Vec<u32> = s.rings.iter().flatten().map(|r| r.id).collect();
    for id in ids {
        if !s.ring(id).expect("ring").compl_reqs.is_empty() {
            io_submit_flush_completions(s, id);
        }
    }
}

fn start(s: &mut Sim) {
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
        return finish(s, -EINVAL);
    }
    if c.flags & IORING_ENTER_REGISTERED_RING != 0 {
        // No ring is ever registered (IORING_REGISTER_RING_FDS is not modelled).
        return finish(s, if c.fd as u32 >= 16 { -EINVAL } else { -EBADF });
    }
    let f = match s.fds.fget(c.fd) {
        Some(f) => f,
        None => return finish(s, -EBADF),
    };
    let ring = match s.fds.file(f).kind {
        FileKind::IoUring(id) => id,
        _ => return finish(s, -EOPNOTSUPP),
    };
    call(s).ring = ring;
    if c.to_submit > 0 {
        let ctx = s.ring(ring).expect("ring");
        let tail = ctx.rings.load_acquire_u32(rings_off::SQ_TAIL);
        let avail = tail.wrapping_sub(ctx.cached_sq_head);
        let entries = c.to_submit.min(avail).min(ctx.layout.sq_entries);
        let cl = call(s);
        cl.entries = entries;
        cl.left = entries;
        cl.ret = entries as i32;
        if entries == 0 {
            // `io_submit_sqes` returns 0 at once; 0 != to_submit, so no wait.
            cl.phase = Phase::ExitTw;
        } else {
            cl.phase = Phase::Submit;
        }
    } else if c.flags & IORING_ENTER_GETEVENTS != 0 {
        call(s).phase = Phase::WaitCheck;
    } else {
        call(s).phase = Phase::ExitTw;
    }
}

/// Why `io_submit_sqe` stopped the batch.
fn stop_batch(s: &mut Sim) {
    let c = call(s);
    c.ret = (c.entries - c.left) as i32;
    c.left = 0;
    c.phase = Phase::SubmitEnd;
}

fn submit_one(s: &mut Sim) {
    let ring = call(s).ring;
    let ctx = s.ring_mut(ring).expect("ring");
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
            let c = call(s);
            c.ret = (c.entries - c.left) as i32;
            c.left = 0;
            c.phase = Phase::SubmitEnd;
            return;
        }
    }
    let sqe_len = ctx.layout.sqe_size as usize;
    let sqe_off = slot as usize * sqe_len;
    let mut sqe = [0u8; 128];
    ctx.sqes.read_bytes(sqe_off, &mut sqe[..sqe_len]);
    call(s).left -= 1;
    let idx = io_alloc_req(s, ring);
    let opcode = sqe[sqe_off::OPCODE];
    let sqe_flags = sqe[sqe_off::FLAGS];
    let user_data = u64::from_le_bytes([
        sqe[32], sqe[33], sqe[34], sqe[35], sqe[36], sqe[37], sqe[38], sqe[39],
    ]);
    let serial = {
        let r = s.ring_mut(ring).expect("ring").req_mut(idx);
        r.opcode = opcode;
        r.sqe_flags = sqe_flags;
        r.user_data = user_data;
        r.sqe_off = sqe_off;
        r.sqe_len = sqe_len;
        r.fd = -1;
        r.serial
    };
    s.emit(
        Event::io_uring_submit_req,
        ring,
        serial,
        user_data,
        opcode as i64,
        sqe_flags as i64 | (head as i64) << 32,
    );
    match io_init_req(s, ring, idx, &sqe[..sqe_len]) {
        Err(e) => {
            if io_submit_fail_init(s, ring, idx, e)
                && s.ring(ring).expect("ring").flags & IORING_SETUP_SUBMIT_ALL == 0
            {
                stop_batch(s);
            } else if call(s).left == 0 {
                call(s).phase = Phase::SubmitEnd;
            }
        }
        Ok(()) => {
            let issue = io_submit_sqe_linked(s, ring, idx);
            let c = call(s);
            c.phase = match issue {
                Some(i) => Phase::Issue(i),
                None if c.left > 0 => Phase::Submit,
                None => Phase::SubmitEnd,
            };
        }
    }
}

/// `io_init_req`: validate the SQE and run the opcode's prep.
fn io_init_req(s: &mut Sim, ring: u32, idx: u32, sqe: &[u8]) -> Result<(), i32> {
    let opcode = sqe[sqe_off::OPCODE];
    let flags = sqe[sqe_off::FLAGS];
    if opcode >= IORING_OP_LAST {
        s.ring_mut(ring).expect("ring").req_mut(idx).opcode = 0;
        return Err(EINVAL);
    }
    if opcode == IORING_OP_URING_CMD128 || opcode == IORING_OP_NOP128 {
        // 128-byte opcodes need SQE_MIXED (not modelled) unless the ring is SQE128.
        if s.ring(ring).expect("ring").flags & IORING_SETUP_SQE128 == 0 {
            return Err(EINVAL);
        }
    }
    {
        let r = s.ring_mut(ring).expect("ring").req_mut(idx);
        if flags & IOSQE_IO_LINK != 0 {
            r.flags |= REQ_F_LINK;
        }
        if flags & IOSQE_IO_HARDLINK != 0 {
            r.flags |= REQ_F_HARDLINK | REQ_F_LINK;
        }
        if flags & IOSQE_ASYNC != 0 {
            r.flags |= REQ_F_FORCE_ASYNC;
        }
        if flags & IOSQE_CQE_SKIP_SUCCESS != 0 {
            r.flags |= REQ_F_CQE_SKIP;
        }
    }
    if flags & !SQE_VALID_FLAGS != 0 {
        return Err(EINVAL);
    }
    let supported = matches!(
        opcode,
        IORING_OP_NOP | IORING_OP_URING_CMD | IORING_OP_URING_CMD128
    );
    if flags & IOSQE_BUFFER_SELECT != 0
        && !matches!(opcode, IORING_OP_URING_CMD | IORING_OP_URING_CMD128)
    {
        return Err(EOPNOTSUPP);
    }
    if flags & IOSQE_CQE_SKIP_SUCCESS != 0 {
        s.ring_mut(ring).expect("ring").drain_disabled = true;
    }
    if flags & IOSQE_IO_DRAIN != 0 {
        if s.ring(ring).expect("ring").drain_disabled {
            return Err(EOPNOTSUPP);
        }
        s.ring_mut(ring).expect("ring").req_mut(idx).flags |= REQ_F_IO_DRAIN;
    }
    let ioprio = u16::from_le_bytes([sqe[2], sqe[3]]);
    // Neither NOP nor URING_CMD has `.ioprio` in opdef.c.
    if ioprio != 0 {
        return Err(EINVAL);
    }
    let personality = u16::from_le_bytes([sqe[42], sqe[43]]);
    if personality != 0 {
        return Err(EINVAL);
    }
    if flags & IOSQE_FIXED_FILE != 0
        && matches!(opcode, IORING_OP_URING_CMD | IORING_OP_URING_CMD128)
    {
        // No registered file table: a fixed index never resolves (checked at issue upstream;
        // the result is the same -EBADF CQE).
        s.ring_mut(ring).expect("ring").req_mut(idx).fd = i32::MIN;
    }
    if !supported {
        // Opcodes outside the model: refuse the same way a kernel built without them would
        // (`io_eopnotsupp_prep`).
        return Err(EOPNOTSUPP);
    }
    match opcode {
        IORING_OP_NOP => nop::io_nop_prep(s, ring, idx, sqe),
        _ => uring_cmd::io_uring_cmd_prep(s, ring, idx, sqe),
    }
}

/// `io_submit_fail_init`. Returns true if the batch must stop.
fn io_submit_fail_init(s: &mut Sim, ring: u32, idx: u32, err: i32) -> bool {
    let (serial, ud) = {
        let r = s.ring(ring).expect("ring").req(idx);
        (r.serial, r.user_data)
    };
    s.emit(Event::io_uring_req_failed, ring, serial, ud, -err as i64, 0);
    req_set_fail(s, ring, idx);
    io_req_set_res(s, ring, idx, -err, 0);
    s.ring_mut(ring).expect("ring").req_mut(idx).state = ReqState::FailedPrep;
    let head = s.ring(ring).expect("ring").link_head;
    if let Some(h) = head {
        if s.ring(ring).expect("ring").req(h).flags & REQ_F_FAIL == 0 {
            req_set_fail(s, ring, h);
            io_req_set_res(s, ring, h, -ECANCELED, 0);
        }
    }
    let is_link = s.ring(ring).expect("ring").req(idx).flags & REQ_F_LINK != 0;
    let ctx = s.ring_mut(ring).expect("ring");
    if !is_link {
        let target = match head {
            Some(h) => {
                let last = ctx.link_last.take().expect("link last");
                ctx.req_mut(last).link = Some(idx);
                ctx.link_head = None;
                h
            }
            None => idx,
        };
        io_queue_sqe_fallback(s, ring, target);
        return true;
    }
    match head {
        Some(_) => {
            let last = ctx.link_last.expect("link last");
            ctx.req_mut(last).link = Some(idx);
        }
        None => ctx.link_head = Some(idx),
    }
    ctx.link_last = Some(idx);
    false
}

/// The link-assembly part of `io_submit_sqe`. Returns a request to issue inline, if any.
fn io_submit_sqe_linked(s: &mut Sim, ring: u32, idx: u32) -> Option<u32> {
    let ctx = s.ring_mut(ring).expect("ring");
    let rflags = ctx.req(idx).flags;
    if let Some(head) = ctx.link_head {
        let last = ctx.link_last.expect("link last");
        let (serial, ud) = (ctx.req(idx).serial, ctx.req(idx).user_data);
        let head_serial = ctx.req(head).serial;
        s.emit(
            Event::io_uring_link,
            ring,
            serial,
            ud,
            head_serial as i64,
            0,
        );
        uring_cmd::io_req_sqe_copy(s, ring, idx);
        let ctx = s.ring_mut(ring).expect("ring");
        ctx.req_mut(last).link = Some(idx);
        ctx.link_last = Some(idx);
        ctx.req_mut(idx).state = ReqState::Linked;
        if rflags & REQ_F_LINK != 0 {
            return None;
        }
        ctx.link_head = None;
        ctx.link_last = None;
        if ctx.req(head).flags & (REQ_F_FORCE_ASYNC | REQ_F_FAIL) != 0 {
            io_queue_sqe_fallback(s, ring, head);
            return None;
        }
        return Some(head);
    }
    if rflags & REQ_F_LINK != 0 {
        ctx.link_head = Some(idx);
        ctx.link_last = Some(idx);
        ctx.req_mut(idx).state = ReqState::Linked;
        return None;
    }
    if rflags & (REQ_F_FORCE_ASYNC | REQ_F_FAIL) != 0 {
        io_queue_sqe_fallback(s, ring, idx);
        return None;
    }
    Some(idx)
}

/// `io_queue_sqe_fallback`: fail a failed chain, or send the request to io-wq.
fn io_queue_sqe_fallback(s: &mut Sim, ring: u32, idx: u32) {
    let r = s.ring_mut(ring).expect("ring").req_mut(idx);
    if r.flags & REQ_F_FAIL != 0 {
        r.flags &= !REQ_F_HARDLINK;
        r.flags |= REQ_F_LINK;
        let res = r.cqe.res;
        io_req_defer_failed(s, ring, idx, res);
    } else {
        uring_cmd::io_req_sqe_copy(s, ring, idx);
        io_queue_iowq(s, ring, idx);
    }
}

fn submit_end(s: &mut Sim) {
    let ring = call(s).ring;
    let ctx = s.ring_mut(ring).expect("ring");
    if let Some(h) = ctx.link_head.take() {
        ctx.link_last = None;
        io_queue_sqe_fallback(s, ring, h);
    }
    io_submit_flush_completions(s, ring);
    call(s).phase = Phase::CommitSq;
}

fn commit_sq(s: &mut Sim) {
    let c = *call(s);
    let ctx = s.ring(c.ring).expect("ring");
    let head = ctx.cached_sq_head;
    ctx.rings.store_release_u32(rings_off::SQ_HEAD, head);
    s.emit(Event::sim_sq_head_commit, c.ring, 0, 0, head as i64, 0);
    let defer = s.ring(c.ring).expect("ring").defer_taskrun();
    let cl = call(s);
    cl.phase = if c.ret != c.to_submit as i32 {
        Phase::ExitTw
    } else if c.flags & IORING_ENTER_GETEVENTS != 0 {
        if defer {
            Phase::LocalWork
        } else {
            Phase::WaitCheck
        }
    } else {
        Phase::ExitTw
    };
}

/// Reads the EXT_ARG timeout (`io_get_ext_arg`); returns the deadline or an errno.
fn ext_arg_deadline(s: &Sim, c: &EnterCall) -> Result<Option<u64>, i32> {
    if c.flags & IORING_ENTER_EXT_ARG == 0 {
        return Ok(None);
    }
    if c.argsz != 24 {
        return Err(EINVAL);
    }
    let mut a = [0u8; 24];
    s.user.copy_from_user(&mut a, c.arg)?;
    let ts = u64::from_le_bytes([a[16], a[17], a[18], a[19], a[20], a[21], a[22], a[23]]);
    if ts == 0 {
        return Ok(None);
    }
    let mut t = [0u8; 16];
    s.user.copy_from_user(&mut t, ts)?;
    let sec = i64::from_le_bytes([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]]);
    let nsec = i64::from_le_bytes([t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15]]);
    if sec < 0 || !(0..1_000_000_000).contains(&nsec) {
        return Err(EINVAL);
    }
    let rel = (sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(nsec as u64);
    if c.flags & IORING_ENTER_ABS_TIMER != 0 {
        Ok(Some(rel))
    } else {
        Ok(Some(s.clock_ns.saturating_add(rel)))
    }
}

fn cq_events_user(ctx: &IoRingCtx) -> u32 {
    let tail = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
    let head = ctx.rings.read_once_u32(rings_off::CQ_HEAD);
    tail.wrapping_sub(head)
}

/// One step of `io_cqring_wait`.
fn wait_check() {
    let ring = sim::with(|s| {
        let c = *call(s);
        if !c.waited {
            match ext_arg_deadline(s, &c) {
                Ok(d) => {
                    let ctx = s.ring(c.ring).expect("ring");
                    let min = c.min_complete.min(ctx.layout.cq_entries);
                    let head = ctx.rings.read_once_u32(rings_off::CQ_HEAD);
                    let cl = call(s);
                    cl.waited = true;
                    cl.deadline = d;
                    cl.min_events = min;
                    cl.wait_target = head.wrapping_add(min);
                }
                Err(e) => {
                    let cl = call(s);
                    cl.waited = true;
                    cl.wait_ret = -e;
                    cl.phase = Phase::ExitTw;
                    return None;
                }
            }
        }
        Some(c.ring)
    });
    let ring = match ring {
        Some(r) => r,
        None => return,
    };
    // io_run_task_work / io_run_local_work, one item per step.
    if run_pending_tw(ring, true, true) {
        return;
    }
    sim::with(|s| {
        let has_overflow = !s.ring(ring).expect("ring").overflow.is_empty();
        if has_overflow && io_cqring_overflow_flush(s, ring) > 0 {
            return;
        }
        let c = *call(s);
        let ctx = s.ring(ring).expect("ring");
        let events = cq_events_user(ctx);
        s.emit(
            Event::io_uring_cqring_wait,
            ring,
            0,
            0,
            c.min_events as i64,
            events as i64,
        );
        let expired = c.deadline.map_or(false, |d| s.clock_ns >= d);
        if events >= c.min_events {
            let cl = call(s);
            cl.wait_ret = 0;
            cl.phase = Phase::ExitTw;
        } else if expired {
            let ctx = s.ring(ring).expect("ring");
            let empty = cq_events_user(ctx) == 0;
            let cl = call(s);
            cl.wait_ret = if empty { -ETIME } else { 0 };
            cl.phase = Phase::ExitTw;
        } else {
            s.emit(Event::sim_wait_sleep, ring, 0, 0, c.min_events as i64, 0);
            call(s).phase = Phase::Sleeping;
        }
    });
}

/// Returns whether a sleeping waiter must wake (`io_should_wake`, task_work, timeout).
pub fn should_wake(s: &Sim) -> bool {
    let c = match &s.task.sys {
        Some(c) if c.phase == Phase::Sleeping => c,
        _ => return false,
    };
    let ctx = match s.ring(c.ring) {
        Some(x) => x,
        None => return true,
    };
    if !s.task.tw.is_empty() {
        return true;
    }
    let lazy_n = ctx.local_work.iter().filter(|i| i.lazy).count() as u32;
    if ctx.local_work.iter().any(|i| !i.lazy) || (lazy_n > 0 && lazy_n >= c.min_events.max(1)) {
        return true;
    }
    let tail = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
    if (tail.wrapping_sub(c.wait_target) as i32) >= 0 {
        return true;
    }
    c.deadline.map_or(false, |d| s.clock_ns >= d)
}

/// Ends a wait that nothing can ever satisfy: the simulator interrupts it (as a signal would)
/// instead of hanging, and says so in the trace.
pub fn interrupt_deadlocked_wait(s: &mut Sim) {
    let ring = call(s).ring;
    s.emit(Event::sim_wait_deadlock, ring, 0, 0, 0, 0);
    let ctx = s.ring(ring).expect("ring");
    let empty = cq_events_user(ctx) == 0;
    let cl = call(s);
    cl.wait_ret = if empty { -EINTR } else { 0 };
    cl.phase = Phase::ExitTw;
}

/// Advances the clock to a sleeping waiter's deadline.
pub fn deadline(s: &Sim) -> Option<u64> {
    s.task
        .sys
        .as_ref()
        .filter(|c| c.phase == Phase::Sleeping)
        .and_then(|c| c.deadline)
}
