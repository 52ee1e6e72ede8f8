//! `IORING_OP_URING_CMD`: pass a command to the file's `->uring_cmd()` handler.
//!
//! Mirrors: `io_uring/uring_cmd.c` (`io_uring_cmd_prep`, `io_uring_cmd`, `io_uring_cmd_sqe_copy`,
//! `__io_uring_cmd_done`, `__io_uring_cmd_do_in_task`, `io_uring_cmd_mark_cancelable`,
//! `io_uring_cmd_del_cancelable`, `io_uring_try_cancel_uring_cmd`) and
//! `include/linux/io_uring/cmd.h` (`io_uring_cmd_done`, `io_uring_cmd_done32`,
//! `io_uring_cmd_complete_in_task`, `io_uring_cmd_do_in_task_lazy`).
//!
//! Besides the kernel's behaviour this module hosts the simulator's uring_cmd *sanitizers*:
//! checks for what would be undefined behaviour or a locking bug in the kernel (double
//! completion, `done()` with issue flags the core never handed out, completion without
//! `uring_lock`, SQE access after the issue call returned). They report trace events and never
//! change the outcome, so a hazard scenario shows exactly what the kernel would do.

use super::types::*;
use super::*;
use crate::linux::fs::UringCmdTwFn;

/// `io_uring_cmd_prep`: validates the SQE and points `ioucmd->sqe` at the ring slot.
///
/// With [`crate::sim::Config::patch2_zero_pdu`] the PDU is zeroed here, as RFC v3 patch 2/5
/// proposed (the patch was dropped after review; v5 zeroes in the Rust wrapper instead).
pub fn io_uring_cmd_prep(s: &mut Sim, ring: u32, idx: u32, sqe: &[u8]) -> Result<(), i32> {
    let rd32 = |o: usize| u32::from_le_bytes([sqe[o], sqe[o + 1], sqe[o + 2], sqe[o + 3]]);
    let rd16 = |o: usize| u16::from_le_bytes([sqe[o], sqe[o + 1]]);
    if rd32(sqe_off::PAD1) != 0 {
        return Err(EINVAL);
    }
    let flags = rd32(sqe_off::OP_FLAGS);
    if flags & !IORING_URING_CMD_MASK != 0 {
        return Err(EINVAL);
    }
    let sqe_flags = sqe[sqe_off::FLAGS];
    if flags & IORING_URING_CMD_FIXED != 0 && flags & IORING_URING_CMD_MULTISHOT != 0 {
        return Err(EINVAL);
    }
    let mshot = flags & IORING_URING_CMD_MULTISHOT != 0;
    let bsel = sqe_flags & IOSQE_BUFFER_SELECT != 0;
    if mshot != bsel {
        return Err(EINVAL);
    }
    let _buf_index = rd16(sqe_off::BUF_INDEX);
    let zero = s.cfg.patch2_zero_pdu;
    let ctx = s.ring_mut(ring).expect("ring");
    let sqe_ptr = ctx.sqes.byte_ptr(ctx.req(idx).sqe_off);
    let r = ctx.req_mut(idx);
    r.cmd.flags = flags;
    r.cmd.cmd_op = rd32(sqe_off::CMD_OP);
    r.cmd.sqe = sqe_ptr;
    r.fd = rd32(sqe_off::FD) as i32;
    let (serial, ud) = (r.serial, r.user_data);
    if zero {
        r.cmd.pdu = [0; PDU_SIZE];
        r.pdu_prov = [Prov::Zeroed; PDU_SIZE];
        r.pdu_src = [0; PDU_SIZE];
        s.emit(Event::sim_pdu_zero, ring, serial, ud, 1, 0);
    }
    Ok(())
}

/// `io_uring_cmd_sqe_copy` (via `io_req_sqe_copy`): copy the SQE into async data so the
/// request can be issued after userspace reuses the ring slot.
pub fn io_req_sqe_copy(s: &mut Sim, ring: u32, idx: u32) {
    let ctx = s.ring_mut(ring).expect("ring");
    let r = ctx.req(idx);
    if !matches!(r.opcode, IORING_OP_URING_CMD | IORING_OP_URING_CMD128)
        || r.flags & REQ_F_SQE_COPIED != 0
    {
        return;
    }
    let (off, len) = (r.sqe_off, r.sqe_len);
    let mut b = [0u8; 128];
    ctx.sqes.read_bytes(off, &mut b[..len]);
    let r = ctx.req_mut(idx);
    r.async_sqe = b;
    r.flags |= REQ_F_SQE_COPIED;
    r.cmd.sqe = r.async_sqe.as_ptr();
    let (serial, ud) = (r.serial, r.user_data);
    s.emit(Event::sim_sqe_copy, ring, serial, ud, len as i64, 0);
}

/// `io_uring_cmd`: the issue handler. Called with no simulator borrow held.
pub fn io_uring_cmd(ring: u32, idx: u32, issue_flags: u32) -> i32 {
    let prep = sim::with(|s| {
        let ctx = s.ring(ring).expect("ring");
        let ctx_flags = ctx.ctx_issue_flags();
        let r = ctx.req(idx);
        let (serial, ud, op) = (r.serial, r.user_data, r.cmd.cmd_op);
        // SAFETY: `r.cmd.file` was set by `io_assign_file` from a live boxed file that the
        // request holds a reference to.
        let f_op = unsafe { (*r.cmd.file).f_op };
        let handler = match f_op.uring_cmd {
            Some(h) => h,
            None => return Err(-EOPNOTSUPP),
        };
        let flags = issue_flags | ctx_flags;
        let cmd = &r.cmd as *const io_uring_cmd as *mut io_uring_cmd;
        let r = s.ring_mut(ring).expect("ring").req_mut(idx);
        r.state = ReqState::Issuing;
        r.in_issue = true;
        r.issues += 1;
        r.live_issue_flags = Some(flags);
        set_ctx(s, Ctx::Driver);
        s.emit(
            Event::sim_uring_cmd_issue,
            ring,
            serial,
            ud,
            flags as i64,
            op as i64,
        );
        Ok((handler, cmd, flags, serial, ud))
    });
    let (handler, cmd, flags, serial, ud) = match prep {
        Ok(v) => v,
        Err(e) => return e,
    };
    // SAFETY: `cmd` points into a boxed request that stays allocated for the whole call; the
    // handler is the file's own `->uring_cmd()`.
    let ret = unsafe { handler(cmd, flags) };
    sim::with(|s| {
        s.cur_src = 0;
        let back = if flags & IO_URING_F_IOWQ != 0 {
            Ctx::IoWq
        } else {
            Ctx::Core
        };
        s.emit(Event::sim_uring_cmd_ret, ring, serial, ud, ret as i64, 0);
        set_ctx(s, back);
        let ctx = s.ring_mut(ring).expect("ring");
        let r = ctx.req_mut(idx);
        if r.serial == serial {
            r.in_issue = false;
            r.live_issue_flags = None;
        }
        if ret == -EAGAIN {
            r.cmd.flags |= IORING_URING_CMD_REISSUE;
            return -EAGAIN;
        }
        if ret == -EIOCBQUEUED {
            return ret;
        }
        if r.cmd.flags & IORING_URING_CMD_MULTISHOT != 0 && ret >= 0 {
            return -EIOCBQUEUED;
        }
        if r.done_called {
            // The driver completed the command itself *and* returned a result: the core
            // completes it a second time.
            s.emit(
                Event::sanitizer_double_done,
                ring,
                serial,
                ud,
                ret as i64,
                1,
            );
        }
        if ret < 0 {
            req_set_fail(s, ring, idx);
        }
        io_req_set_res(s, ring, idx, ret, 0);
        0
    })
}

/// Looks up the request behind a driver's `*mut io_uring_cmd` (`cmd_to_io_kiocb`).
///
/// # Safety
///
/// `cmd` must point to the `cmd` field of a live boxed [`IoKiocb`].
pub unsafe fn cmd_to_req(cmd: *mut io_uring_cmd) -> (u32, u32, u32) {
    // SAFETY: `cmd` is the first field of a `#[repr(C)]` `IoKiocb` (type invariant), so the
    // cast recovers the request; the caller guarantees it is live.
    let r = unsafe { &*(cmd as *const IoKiocb) };
    (r.ring, r.index, r.serial)
}

/// `__io_uring_cmd_done`: complete a queued command with `ret` (and `res2` for a 32-byte CQE).
///
/// `issue_flags` decides how the CQE is posted: with `IO_URING_F_COMPLETE_DEFER` at the next
/// completion flush (the caller holds `uring_lock`), otherwise through task_work.
///
/// # Safety
///
/// `cmd` must point to a live request's `io_uring_cmd`.
pub unsafe fn __io_uring_cmd_done(
    cmd: *mut io_uring_cmd,
    ret: i32,
    res2: u64,
    issue_flags: u32,
    is_cqe32: bool,
) {
    // SAFETY: forwarded from the caller.
    let (ring, idx, serial) = unsafe { cmd_to_req(cmd) };
    sim::with(|s| {
        let ud = s.ring(ring).expect("ring").req(idx).user_data;
        s.emit(
            Event::sim_uring_cmd_done,
            ring,
            serial,
            ud,
            ret as i64,
            issue_flags as i64,
        );
        let (state, live, done_before) = {
            let r = s.ring(ring).expect("ring").req(idx);
            (r.state, r.live_issue_flags, r.done_called)
        };
        // Sanitizer: a command completes once, and only while it is in flight.
        let ended = matches!(
            state,
            ReqState::Free | ReqState::Done | ReqState::CompletePending | ReqState::FailedPrep
        );
        if done_before || ended {
            s.emit(
                Event::sanitizer_double_done,
                ring,
                serial,
                ud,
                ret as i64,
                state as i64,
            );
            if ended {
                return;
            }
        }
        // Sanitizer: issue_flags must be exactly what the core handed to this context.
        match live {
            Some(f) if f != issue_flags => s.emit(
                Event::sanitizer_done_bad_flags,
                ring,
                serial,
                ud,
                issue_flags as i64,
                f as i64,
            ),
            None if issue_flags & IO_URING_F_UNLOCKED == 0 => {
                s.emit(
                    Event::sanitizer_done_unlocked,
                    ring,
                    serial,
                    ud,
                    issue_flags as i64,
                    0,
                );
            }
            _ => {}
        }
        let ctx = s.ring_mut(ring).expect("ring");
        let mixed = ctx.flags & IORING_SETUP_CQE_MIXED != 0;
        let cqe32_ring = ctx.flags & (IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED) != 0;
        ctx.cancelable.retain(|&c| c != idx);
        let r = ctx.req_mut(idx);
        r.done_called = true;
        r.cmd.flags &= !IORING_URING_CMD_CANCELABLE;
        if ret < 0 {
            r.flags |= REQ_F_FAIL;
            r.flags &= !REQ_F_CQE_SKIP;
        }
        r.cqe.res = ret;
        r.cqe.flags = 0;
        if is_cqe32 && cqe32_ring {
            if mixed {
                r.cqe.flags |= IORING_CQE_F_32;
            }
            r.big_cqe = [res2, 0];
            r.flags |= REQ_F_BIG_CQE;
        }
        if issue_flags & IO_URING_F_COMPLETE_DEFER != 0 {
            io_req_complete_defer(s, ring, idx);
        } else {
            tw::io_req_task_work_add(s, ring, idx, TwFunc::Complete, false);
        }
    });
}

/// `__io_uring_cmd_do_in_task`: run `cb` for the command in the submitting task.
///
/// # Safety
///
/// `cmd` must point to a live request's `io_uring_cmd`.
pub unsafe fn __io_uring_cmd_do_in_task(cmd: *mut io_uring_cmd, cb: UringCmdTwFn, flags: u32) {
    // SAFETY: forwarded from the caller.
    let (ring, idx, _) = unsafe { cmd_to_req(cmd) };
    sim::with(|s| {
        tw::io_req_task_work_add(
            s,
            ring,
            idx,
            TwFunc::UringCmd(cb),
            flags & IOU_F_TWQ_LAZY_WAKE != 0,
        )
    });
}

/// `io_uring_cmd_mark_cancelable`: have the core call the driver with `IO_URING_F_CANCEL`
/// if the ring goes away while the command is in flight.
///
/// # Safety
///
/// `cmd` must point to a live request's `io_uring_cmd`.
pub unsafe fn io_uring_cmd_mark_cancelable(cmd: *mut io_uring_cmd, _issue_flags: u32) {
    // SAFETY: forwarded from the caller.
    let (ring, idx, _) = unsafe { cmd_to_req(cmd) };
    sim::with(|s| {
        let ctx = s.ring_mut(ring).expect("ring");
        let r = ctx.req_mut(idx);
        if r.cmd.flags & IORING_URING_CMD_CANCELABLE == 0 {
            r.cmd.flags |= IORING_URING_CMD_CANCELABLE;
            ctx.cancelable.push(idx);
        }
    });
}

/// Checks an SQE access by a driver: after the issue call returned, the ring slot may already
/// hold another SQE (`ioucmd->sqe` aliases the ring until the SQE is copied).
///
/// # Safety
///
/// `cmd` must point to a live request's `io_uring_cmd`.
pub unsafe fn check_sqe_access(cmd: *mut io_uring_cmd) {
    // SAFETY: forwarded from the caller.
    let (ring, idx, serial) = unsafe { cmd_to_req(cmd) };
    sim::with(|s| {
        let r = s.ring(ring).expect("ring").req(idx);
        if !r.in_issue && r.flags & REQ_F_SQE_COPIED == 0 {
            let ud = r.user_data;
            s.emit(Event::sanitizer_sqe_after_issue, ring, serial, ud, 0, 0);
        }
    });
}
