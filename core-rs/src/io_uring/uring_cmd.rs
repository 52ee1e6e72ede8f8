//! `IORING_OP_URING_CMD`: pass a command to the file's `->uring_cmd()` handler.
//!
//! Mirrors: `io_uring/uring_cmd.c` (`io_uring_cmd_prep`, `io_uring_cmd`, `io_uring_cmd_sqe_copy`,
//! `__io_uring_cmd_done`, `__io_uring_cmd_do_in_task`, `io_uring_cmd_mark_cancelable`,
//! `io_uring_cmd_del_cancelable`, `io_uring_try_cancel_uring_cmd`) and
//! `include/linux/io_uring/cmd.h` (`io_uring_cmd_done`, `io_uring_cmd_done32`,
//! `io_uring_cmd_complete_in_task`, `io_uring_cmd_do_in_task_lazy`,
//! `IO_URING_CMD_TASK_WORK_ISSUE_FLAGS`), as of ≈ v6.18/v6.19 (docs/kernel-notes.md §3).
//!
//! # The state machine (docs/kernel-notes.md §3.10)
//!
//! | transition | [`ReqState`] | trace events |
//! |---|---|---|
//! | prep ok / prep error | `Prepped` / `FailedPrep` | `io_uring_submit_req`, `io_uring_req_failed` |
//! | inline issue | `Issuing` (NONBLOCK\|COMPLETE_DEFER\|INLINE) | `sim_uring_cmd_issue` |
//! | no `f_op->uring_cmd` | `CompletePending` → `Done` (`-EOPNOTSUPP`) | `sim_uring_cmd_no_hook` |
//! | driver returns `v` | `CompletePending` → `Done` | `sim_uring_cmd_ret`, `io_uring_complete` |
//! | `-EAGAIN` inline | `IowqQueued` (REISSUE set, SQE copied) | `sim_sqe_copy`, `io_uring_queue_async_work` |
//! | io-wq issue | `Issuing` (UNLOCKED\|IOWQ) | `sim_iowq_run`, `sim_uring_cmd_issue` |
//! | `-EAGAIN` from io-wq | `TwPending` → `Done` (`-EAGAIN`) | `io_uring_task_add` |
//! | `-EIOCBQUEUED` | `Inflight` | `sim_uring_cmd_ret` |
//! | `done()` with COMPLETE_DEFER | `CompletePending` → `Done` at the next flush | `sim_uring_cmd_done` |
//! | `done()` without it | `TwPending` → `Done` when task_work runs | `sim_uring_cmd_done`, `io_uring_task_add` |
//! | `complete_in_task` / `do_in_task_lazy` | `TwPending` → `Inflight` while the callback runs | `sim_uring_cmd_do_in_task`, `sim_task_work_run` |
//! | mark cancelable | `Inflight` (CANCELABLE) | `sim_uring_cmd_cancelable` |
//! | ring teardown | driver called with CANCEL\|COMPLETE_DEFER | `sim_ring_exit`, `sim_uring_cmd_cancel` |
//!
//! # Sanitizers
//!
//! Besides the kernel's behaviour this module hosts the simulator's uring_cmd *sanitizers*:
//! checks for what would be undefined behaviour or a locking bug in the kernel. They emit
//! `sanitizer_*` trace records:
//!
//! - `sanitizer_double_done`: a command is completed twice (`done()` twice, `done()` and a
//!   returned result, `done()` while the core reissues it) or after it ended. The kernel would
//!   corrupt its completion list or free the request twice; the simulator reports it and drops
//!   the extra completion so the rest of the run stays meaningful.
//! - `sanitizer_done_bad_flags`: `done()` got issue flags the core did not hand to the running
//!   context (the comment on `io_uring_cmd_done` in `cmd.h`: callers must only pass the mask
//!   the core provided).
//! - `sanitizer_done_unlocked`: `done()` ran without this ring's `uring_lock` and without
//!   `IO_URING_F_UNLOCKED` (a workqueue, a timer, another ring's callback).
//! - `sanitizer_sqe_after_issue`: `sqe()` after the issue call returned while `ioucmd->sqe`
//!   still aliases the SQ ring slot userspace may have reused (docs/kernel-notes.md §3.3).
//! - `sanitizer_pdu_stale_read`: PDU bytes read that the previous user of the recycled
//!   request left there (fresh bytes are zeroes, so defined, and not reported).
//! - `sanitizer_pdu_too_big`: a PDU type over 32 bytes (a `BUILD_BUG_ON` in C's
//!   `io_uring_cmd_to_pdu`).
//!
//! Apart from dropping a second completion, the sanitizers never change the outcome.

use super::types::*;
use super::*;
pub use crate::include::io_uring_types::{IssueCtx, UringCmdCtx};
use crate::linux::fs::{TwToken, UringCmdTwFn};

/// `IO_URING_F_*` bits that describe the ring, not the calling context.
const CTX_BITS: u32 = IO_URING_F_SQE128 | IO_URING_F_CQE32 | IO_URING_F_IOPOLL | IO_URING_F_COMPAT;

/// `io_uring_cmd_prep`: validates the SQE and points `ioucmd->sqe` at the ring slot.
///
/// Order of checks as upstream (docs/kernel-notes.md §3.2): `__pad1`, unknown `uring_cmd_flags`, FIXED
/// with MULTISHOT, MULTISHOT without `IOSQE_BUFFER_SELECT` (and the reverse). `ioprio` is
/// checked earlier by `io_init_req` (uring_cmd has no `.ioprio` in opdef.c).
///
/// With [`crate::sim::Config::patch2_zero_pdu`] the PDU is zeroed here, as RFC v3 patch 2/5
/// proposed (the patch was dropped after review; v5 zeroes in the Rust wrapper instead).
/// Without it the PDU keeps the bytes of the previous request that used the recycled object.
pub fn io_uring_cmd_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let Req { ring, idx } = req;
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
    // `req->buf_index`: the registered buffer is looked up at issue (`io_uring_cmd_import_fixed`);
    // no buffer is ever registered in the simulator.
    let _buf_index = rd16(sqe_off::BUF_INDEX);
    let zero = s.cfg.patch2_zero_pdu;
    let ctx = live!(s.ring_mut(ring));
    let sqe_ptr = ctx.sqes.byte_ptr(live!(ctx.req(idx)).sqe_off);
    let r = live!(ctx.req_mut(idx));
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
pub fn io_req_sqe_copy(s: &mut Sim, req: Req) {
    let Req { ring, idx } = req;
    let ctx = live!(s.ring_mut(ring));
    let r = live!(ctx.req(idx));
    if !matches!(r.opcode, IORING_OP_URING_CMD | IORING_OP_URING_CMD128)
        || r.flags & REQ_F_SQE_COPIED != 0
    {
        return;
    }
    let (off, len) = (r.sqe_off, r.sqe_len);
    let mut b = [0u8; 128];
    ctx.sqes.read_bytes(off, &mut b[..len]);
    let r = live!(ctx.req_mut(idx));
    r.async_sqe = b;
    r.flags |= REQ_F_SQE_COPIED;
    r.cmd.sqe = r.async_sqe.as_ptr();
    let (serial, ud) = (r.serial, r.user_data);
    s.emit(Event::sim_sqe_copy, ring, serial, ud, len as i64, 0);
}

/// `io_uring_cmd`: the issue handler. Called with no simulator borrow held.
///
/// Adds the ring's bits to `issue_flags` (SQE128, CQE32 for CQE32 or CQE_MIXED rings), calls
/// `file->f_op->uring_cmd(ioucmd, issue_flags)` and maps the result: `-EAGAIN` sets
/// `IORING_URING_CMD_REISSUE` and goes back to the core (which copies the SQE and punts to
/// io-wq), `-EIOCBQUEUED` leaves the request in flight, anything else is its result.
pub fn io_uring_cmd(req: Req, issue_flags: u32) -> i32 {
    let Req { ring, idx } = req;
    let prep = sim::with(|s| {
        let ctx = live!(s.ring(ring));
        let ctx_flags = ctx.ctx_issue_flags();
        let r = live!(ctx.req(idx));
        let (serial, ud, op, fd) = (r.serial, r.user_data, r.cmd.cmd_op, r.fd);
        // SAFETY: `r.cmd.file` was set by `io_assign_file` from a live boxed file that the
        // request holds a reference to.
        let f_op = unsafe { (*r.cmd.file).f_op };
        let handler = match f_op.uring_cmd {
            Some(h) => h,
            None => {
                s.emit(Event::sim_uring_cmd_no_hook, ring, serial, ud, fd as i64, 0);
                return Err(-EOPNOTSUPP);
            }
        };
        // An IOPOLL ring polls for completions, so the file must have the hook the poller
        // calls (`io_uring/uring_cmd.c:io_uring_cmd`); `iopoll_completed` starts at 0.
        if ctx_flags & IO_URING_F_IOPOLL != 0 && f_op.uring_cmd_iopoll.is_none() {
            s.emit(Event::sim_iopoll_no_hook, ring, serial, ud, fd as i64, 0);
            return Err(-EOPNOTSUPP);
        }
        let flags = issue_flags | ctx_flags;
        req_set_state(s, req, ReqState::Issuing);
        let r = live!(s.req_mut(req));
        r.iopoll_completed = false;
        let cmd = &mut r.cmd as *mut io_uring_cmd;
        r.in_issue = true;
        r.issues += 1;
        r.live_issue_flags = Some(flags);
        let prev = s.io_uring.ucmd.cur_issue.replace(IssueCtx {
            ring,
            serial,
            flags,
        });
        set_ctx(s, Ctx::Driver);
        s.emit(
            Event::sim_uring_cmd_issue,
            ring,
            serial,
            ud,
            flags as i64,
            op as i64,
        );
        Ok((handler, cmd, flags, serial, ud, prev))
    });
    let (handler, cmd, flags, serial, ud, prev) = match prep {
        Ok(v) => v,
        Err(e) => return e,
    };
    // SAFETY: `cmd` points into a boxed request that stays allocated for the whole call; the
    // handler is the file's own `->uring_cmd()`.
    let ret = unsafe { handler(cmd, flags) };
    sim::with(|s| {
        s.cur_src = 0;
        s.io_uring.ucmd.cur_issue = prev;
        let back = if flags & IO_URING_F_IOWQ != 0 {
            Ctx::IoWq
        } else {
            Ctx::Core
        };
        s.emit(Event::sim_uring_cmd_ret, ring, serial, ud, ret as i64, 0);
        set_ctx(s, back);
        let ctx = live!(s.ring_mut(ring));
        let r = live!(ctx.req_mut(idx));
        if r.serial != serial {
            // The request was completed and recycled during the call (only possible after a
            // sanitizer report); nothing of it is left to act on.
            return -EIOCBQUEUED;
        }
        r.in_issue = false;
        r.live_issue_flags = None;
        if r.done_called && ret != -EIOCBQUEUED {
            // The driver completed the command itself *and* returned a result (or -EAGAIN,
            // asking the core to issue a completed request again): the core would complete
            // it a second time.
            s.emit(
                Event::sanitizer_double_done,
                ring,
                serial,
                ud,
                ret as i64,
                -1,
            );
            return -EIOCBQUEUED;
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
        if ret < 0 {
            req_set_fail(s, req);
        }
        io_req_set_res(s, req, ret, 0);
        0
    })
}

/// Looks up the request behind a driver's `*mut io_uring_cmd` (`cmd_to_io_kiocb`).
///
/// Returns the request's handle and its serial.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to the `cmd` field of a live boxed [`IoKiocb`].
pub unsafe fn cmd_to_req(cmd: *mut io_uring_cmd) -> (Req, u32) {
    // SAFETY: `cmd` is the first field of a `#[repr(C)]` `IoKiocb` (type invariant), so the
    // cast recovers the request; the caller guarantees it is live.
    let r = unsafe { &*(cmd as *const IoKiocb) };
    (Req::new(r.ring, r.index), r.serial)
}

/// Reports a completion of a request that cannot be completed now; returns whether it must be
/// dropped. Allowed states: in the issue call, in flight, or in its own task_work callback.
fn completion_allowed(s: &mut Sim, req: Req, ret: i32) -> bool {
    let ring = req.ring;
    let (state, done_before, serial, ud) = {
        let r = live!(s.req(req));
        (r.state, r.done_called, r.serial, r.user_data)
    };
    let live = matches!(
        state,
        ReqState::Issuing | ReqState::Inflight | ReqState::TwPending
    );
    if done_before || !live {
        s.emit(
            Event::sanitizer_double_done,
            ring,
            serial,
            ud,
            ret as i64,
            state as i64,
        );
        return false;
    }
    true
}

/// Checks `done()`'s issue flags against what the core handed to the running context.
fn check_done_flags(s: &mut Sim, ring: u32, serial: u32, ud: u64, issue_flags: u32) {
    match s.io_uring.ucmd.cur_issue {
        Some(c) if c.ring == ring => {
            // `IO_URING_F_TASK_DEAD` only informs the callback (6.18); passing the flags on
            // with or without it changes nothing in `__io_uring_cmd_done`.
            if c.flags & !IO_URING_F_TASK_DEAD != issue_flags & !IO_URING_F_TASK_DEAD {
                s.emit(
                    Event::sanitizer_done_bad_flags,
                    ring,
                    serial,
                    ud,
                    issue_flags as i64,
                    c.flags as i64,
                );
            }
        }
        _ => {
            // No uring_lock of this ring is held here. The only flags the core allows from
            // such a context are IO_URING_F_UNLOCKED (plus the ring's own bits).
            if issue_flags & IO_URING_F_UNLOCKED == 0 {
                s.emit(
                    Event::sanitizer_done_unlocked,
                    ring,
                    serial,
                    ud,
                    issue_flags as i64,
                    0,
                );
            }
            if issue_flags & !(IO_URING_F_UNLOCKED | CTX_BITS) != 0 {
                s.emit(
                    Event::sanitizer_done_bad_flags,
                    ring,
                    serial,
                    ud,
                    issue_flags as i64,
                    IO_URING_F_UNLOCKED as i64,
                );
            }
        }
    }
}

/// `__io_uring_cmd_done`: complete a queued command with `ret` (and `res2` for a 32-byte CQE).
///
/// `issue_flags` decides how the CQE is posted: with `IO_URING_F_COMPLETE_DEFER` at the next
/// completion flush (the caller holds `uring_lock`), otherwise through task_work
/// (`io_req_task_complete`). Without `COMPLETE_DEFER` on a ring being torn down the CQE is
/// flushed at once (upstream the exit work's retry loop flushes it within 50 ms).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn __io_uring_cmd_done(
    cmd: *mut io_uring_cmd,
    ret: i32,
    res2: u64,
    issue_flags: u32,
    is_cqe32: bool,
) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let Req { ring, idx } = req;
    sim::with(|s| {
        let ud = live!(s.req(req)).user_data;
        s.emit(
            Event::sim_uring_cmd_done,
            ring,
            serial,
            ud,
            ret as i64,
            issue_flags as i64,
        );
        if !completion_allowed(s, req, ret) {
            return;
        }
        check_done_flags(s, ring, serial, ud, issue_flags);
        let ctx = live!(s.ring_mut(ring));
        let mixed = ctx.flags & IORING_SETUP_CQE_MIXED != 0;
        let cqe32_ring = ctx.flags & (IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED) != 0;
        let dead = ctx.dead;
        let iopoll = ctx.flags & IORING_SETUP_IOPOLL != 0;
        // io_uring_cmd_del_cancelable.
        ctx.cancelable.retain(|&c| c != idx);
        let r = live!(ctx.req_mut(idx));
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
        if iopoll {
            // IOPOLL ring: no CQE here whatever the flags; `smp_store_release(iopoll_completed,
            // 1)` and the poller (`io_do_iopoll`) posts it. Completed during the issue call,
            // the request is still put on the iopoll list and reaped by the next pass.
            r.iopoll_completed = true;
            if r.state != ReqState::Issuing {
                r.state = ReqState::Inflight;
            }
            s.emit(Event::sim_iopoll_completed, ring, serial, ud, ret as i64, 0);
        } else if issue_flags & IO_URING_F_COMPLETE_DEFER != 0
            && issue_flags & IO_URING_F_UNLOCKED != 0
        {
            // `WARN_ON_ONCE(issue_flags & IO_URING_F_UNLOCKED)` in the COMPLETE_DEFER branch:
            // the kernel warns and returns. No CQE is ever posted and nothing else will
            // complete the request, so it (and the ring's reference it holds) leaks.
            r.state = ReqState::Inflight;
            s.emit(Event::sim_warn, ring, serial, ud, 1, issue_flags as i64);
        } else if issue_flags & IO_URING_F_COMPLETE_DEFER != 0 {
            io_req_complete_defer(s, req);
        } else if dead {
            // No task will run task_work for a dead ring; the exit work's retry loop would
            // post it (see `exit`), the simulator posts it now.
            io_req_complete_defer(s, req);
            io_submit_flush_completions(s, ring);
        } else {
            tw::io_req_task_work_add(s, req, TwFunc::Complete, false);
        }
    });
}

/// What the RFC v3 `done(ret, res2, issue_flags)` becomes on 6.18 and later.
///
/// The seed was written against ≈ v6.17, where `io_uring_cmd_done(cmd, ret, res2, flags)`
/// put `res2` in `big_cqe[0]`. Since 6.18 `include/linux/io_uring/cmd.h` has
/// `io_uring_cmd_done(cmd, ret, issue_flags)` (→ `__io_uring_cmd_done(.., 0, .., false)`) and
/// `io_uring_cmd_done32(cmd, ret, res2, issue_flags)`; v3's binding keeps compiling only by
/// calling the first, so `res2` is dropped without a word: `sanitizer_res2_lost` says so
/// when it was not zero.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn io_uring_cmd_done(cmd: *mut io_uring_cmd, ret: isize, res2: u64, issue_flags: u32) {
    if res2 != 0 {
        // SAFETY: forwarded from the caller.
        let (req, serial) = unsafe { cmd_to_req(cmd) };
        let Req { ring, idx } = req;
        sim::with(|s| {
            let ctx = live!(s.ring(ring));
            let big = ctx.flags & (IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED) != 0;
            let ud = live!(ctx.req(idx)).user_data;
            s.emit(
                Event::sanitizer_res2_lost,
                ring,
                serial,
                ud,
                big as i64,
                res2 as i64,
            );
        });
    }
    // SAFETY: forwarded from the caller.
    unsafe { __io_uring_cmd_done(cmd, ret as i32, 0, issue_flags, false) }
}

/// `io_uring_cmd_done32` (≥ v6.18): complete with a 32-byte CQE (`big_cqe = {res2, 0}` on
/// CQE32 rings; `IORING_CQE_F_32` on CQE_MIXED rings).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn io_uring_cmd_done32(cmd: *mut io_uring_cmd, ret: i32, res2: u64, issue_flags: u32) {
    // SAFETY: forwarded from the caller.
    unsafe { __io_uring_cmd_done(cmd, ret, res2, issue_flags, true) }
}

/// `__io_uring_cmd_do_in_task`: run `cb` for the command in the submitting task.
///
/// With `IOU_F_TWQ_LAZY_WAKE` on a DEFER_TASKRUN ring the waiter is woken only once enough
/// task_work is queued for the number of CQEs it waits for (`io_req_local_work_add`). On a ring
/// being torn down the callback runs from the fallback worker with `tw.cancel` set
/// (`io_fallback_tw`).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn __io_uring_cmd_do_in_task(cmd: *mut io_uring_cmd, cb: UringCmdTwFn, flags: u32) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let ring = req.ring;
    let lazy = flags & IOU_F_TWQ_LAZY_WAKE != 0;
    let fallback = sim::with(|s| {
        let ud = live!(s.req(req)).user_data;
        s.emit(
            Event::sim_uring_cmd_do_in_task,
            ring,
            serial,
            ud,
            lazy as i64,
            0,
        );
        if !completion_allowed(s, req, 0) {
            return None;
        }
        let item = TwItem {
            req,
            serial,
            func: TwFunc::UringCmd(cb),
            lazy,
        };
        if live!(s.ring(ring)).dead {
            req_set_state(s, req, ReqState::TwPending);
            return Some(item);
        }
        tw::io_req_task_work_add(s, req, TwFunc::UringCmd(cb), lazy);
        None
    });
    if let Some(item) = fallback {
        queue_fallback_tw(item);
    }
}

/// `io_uring_cmd_complete_in_task`.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn io_uring_cmd_complete_in_task(cmd: *mut io_uring_cmd, cb: UringCmdTwFn) {
    // SAFETY: forwarded from the caller.
    unsafe { __io_uring_cmd_do_in_task(cmd, cb, 0) }
}

/// `io_uring_cmd_do_in_task_lazy`.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn io_uring_cmd_do_in_task_lazy(cmd: *mut io_uring_cmd, cb: UringCmdTwFn) {
    // SAFETY: forwarded from the caller.
    unsafe { __io_uring_cmd_do_in_task(cmd, cb, IOU_F_TWQ_LAZY_WAKE) }
}

/// `io_fallback_tw`: task_work that cannot reach its task runs from a kworker, cancelled.
fn queue_fallback_tw(item: TwItem) {
    let data = Box::into_raw(Box::new(item)) as *mut core::ffi::c_void;
    sim::with(|s| {
        s.queue_work(crate::sim::WorkItem {
            func: fallback_tw_fn,
            data,
            req: item.serial,
        })
    });
}

/// The fallback worker's body.
///
/// # Safety
///
/// `data` must be a `Box<TwItem>` leaked by [`queue_fallback_tw`], passed here once.
unsafe fn fallback_tw_fn(data: *mut core::ffi::c_void) {
    // SAFETY: the caller guarantees `data` is the box leaked by `queue_fallback_tw`.
    let item = unsafe { *Box::from_raw(data as *mut TwItem) };
    tw::run_tw_item(item, true);
    sim::with(|s| {
        if s.ring(item.req.ring).is_some() {
            io_submit_flush_completions(s, item.req.ring);
        }
    });
}

/// The `issue_flags` a uring_cmd task_work callback gets. 6.18 `io_uring_cmd_work`:
/// `IO_URING_F_COMPLETE_DEFER`, plus `IO_URING_F_TASK_DEAD` when `io_should_terminate_tw(ctx)`
/// (the task exits or is a kthread — the fallback worker —, or the ring's refs are dying).
/// 6.19 hands `tw.cancel` instead and the callback completes with
/// `IO_URING_CMD_TASK_WORK_ISSUE_FLAGS`.
fn tw_flags(profile: crate::sim::KernelProfile, dead: bool) -> u32 {
    match profile {
        crate::sim::KernelProfile::Linux618 if dead => {
            IO_URING_CMD_TASK_WORK_ISSUE_FLAGS | IO_URING_F_TASK_DEAD
        }
        _ => IO_URING_CMD_TASK_WORK_ISSUE_FLAGS,
    }
}

/// [`tw_flags`] for a ring of the running simulator.
pub fn tw_issue_flags(s: &Sim, ring: u32) -> u32 {
    let dead = s.ring(ring).map_or(true, |c| c.dead);
    tw_flags(s.cfg.kernel, dead)
}

/// Runs a uring_cmd task_work callback (`io_task_work.func` set by `__io_uring_cmd_do_in_task`).
///
/// The callback runs with `uring_lock` held and is handed `IO_URING_CMD_TASK_WORK_ISSUE_FLAGS`;
/// `tw.cancel` is set when the ring is being torn down. Called by [`tw::run_tw_item`] with no
/// simulator borrow held.
pub fn run_uring_cmd_tw(req: Req, serial: u32, cb: UringCmdTwFn) {
    let Req { ring, idx } = req;
    let (cmd, token, prev, lane) = sim::with(|s| {
        let lane = s.cur_ctx;
        let profile = s.cfg.kernel;
        req_set_state(s, req, ReqState::Inflight);
        let ctx = live!(s.ring_mut(ring));
        let dead = ctx.dead;
        let flags = tw_flags(profile, dead);
        let r = live!(ctx.req_mut(idx));
        r.live_issue_flags = Some(flags);
        let cmd = &mut r.cmd as *mut io_uring_cmd;
        let prev = s.io_uring.ucmd.cur_issue.replace(IssueCtx {
            ring,
            serial,
            flags,
        });
        let token = TwToken {
            cancel: dead,
            issue_flags: flags,
        };
        (cmd, token, prev, lane)
    });
    // SAFETY: `cmd` points into a boxed request that stays allocated until it is freed after
    // its CQE is posted, which cannot happen before this callback returns.
    unsafe { cb(cmd, token) };
    sim::with(|s| {
        s.io_uring.ucmd.cur_issue = prev;
        s.cur_src = 0;
        set_ctx(s, lane);
        if let Some(ctx) = s.ring_mut(ring) {
            let r = live!(ctx.req_mut(idx));
            if r.serial == serial {
                r.live_issue_flags = None;
            }
        }
    });
}

/// `io_uring_cmd_mark_cancelable`: have the core call the driver with `IO_URING_F_CANCEL`
/// if the ring goes away while the command is in flight.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn io_uring_cmd_mark_cancelable(cmd: *mut io_uring_cmd, _issue_flags: u32) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let Req { ring, idx } = req;
    sim::with(|s| {
        let ctx = live!(s.ring_mut(ring));
        let r = live!(ctx.req_mut(idx));
        if r.cmd.flags & IORING_URING_CMD_CANCELABLE == 0 {
            r.cmd.flags |= IORING_URING_CMD_CANCELABLE;
            let ud = r.user_data;
            ctx.cancelable.push(idx);
            s.emit(Event::sim_uring_cmd_cancelable, ring, serial, ud, 0, 0);
        }
    });
}

/// `io_uring_try_cancel_uring_cmd`: calls `->uring_cmd(cmd, IO_URING_F_CANCEL |
/// IO_URING_F_COMPLETE_DEFER)` for every cancelable command of the ring (the return value is
/// ignored), then flushes the completions the drivers posted.
///
/// Called from the ring's exit work with no simulator borrow held; returns how many commands
/// the drivers were asked to cancel.
pub fn io_uring_try_cancel_uring_cmd(ring: u32) -> u32 {
    let list = sim::with(|s| s.ring(ring).map_or(Vec::new(), |c| c.cancelable.clone()));
    let mut n = 0;
    for idx in list {
        const FLAGS: u32 = IO_URING_F_CANCEL | IO_URING_F_COMPLETE_DEFER;
        let call = sim::with(|s| {
            let r = s.req(Req::new(ring, idx))?;
            if r.cmd.flags & IORING_URING_CMD_CANCELABLE == 0 {
                return None;
            }
            let (serial, ud) = (r.serial, r.user_data);
            // SAFETY: an in-flight request holds a reference to its live boxed file.
            let handler = unsafe { (*r.cmd.file).f_op.uring_cmd }?;
            let ctx = s.ring_mut(ring)?;
            ctx.exit.cancel_calls += 1;
            let r = live!(ctx.req_mut(idx));
            let cmd = &mut r.cmd as *mut io_uring_cmd;
            let prev = s.io_uring.ucmd.cur_issue.replace(IssueCtx {
                ring,
                serial,
                flags: FLAGS,
            });
            set_ctx(s, Ctx::Driver);
            s.emit(
                Event::sim_uring_cmd_cancel,
                ring,
                serial,
                ud,
                FLAGS as i64,
                0,
            );
            Some((handler, cmd, prev, serial, ud))
        });
        let (handler, cmd, prev, serial, ud) = match call {
            Some(c) => c,
            None => continue,
        };
        n += 1;
        // SAFETY: `cmd` points into a boxed request that stays allocated during the call.
        let ret = unsafe { handler(cmd, FLAGS) };
        sim::with(|s| {
            s.io_uring.ucmd.cur_issue = prev;
            s.cur_src = 0;
            set_ctx(s, Ctx::Device);
            s.emit(Event::sim_uring_cmd_ret, ring, serial, ud, ret as i64, 1);
        });
    }
    sim::with(|s| io_submit_flush_completions(s, ring));
    n
}

/// Sanitizer hook for `IoUringCmd::sqe()`: after the issue call returned, `ioucmd->sqe` still
/// points at the SQ ring slot (unless the SQE was copied), which userspace may have reused.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn sqe_access(cmd: *mut io_uring_cmd) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let ring = req.ring;
    sim::with(|s| {
        s.io_uring.ucmd.last_sqe = (ring, serial);
        let r = live!(s.req(req));
        if !r.in_issue && r.flags & REQ_F_SQE_COPIED == 0 {
            let (ud, slot) = (r.user_data, r.sqe_off / r.sqe_len.max(1));
            s.emit(
                Event::sanitizer_sqe_after_issue,
                ring,
                serial,
                ud,
                slot as i64,
                0,
            );
        }
    });
}

/// Records a read of SQE bytes through the abstraction (`volatile`: a `READ_ONCE`-like read).
pub fn sqe_read(off: usize, len: usize, volatile: bool) {
    sim::with(|s| {
        let (ring, serial) = s.io_uring.ucmd.last_sqe;
        s.emit(
            Event::sim_sqe_read,
            ring,
            serial,
            0,
            off as i64,
            len as i64 | (volatile as i64) << 32,
        );
    });
}

/// Records a read of PDU bytes `off..off+len`, reporting bytes nobody wrote during this
/// request's life.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn pdu_read(cmd: *mut io_uring_cmd, off: usize, len: usize) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let ring = req.ring;
    sim::with(|s| {
        let r = live!(s.req_mut(req));
        r.pdu_copied = r.pdu_copied.saturating_add(len as u32);
        let r = live!(s.req(req));
        let ud = r.user_data;
        let end = (off + len).min(PDU_SIZE);
        // Fresh bytes are zeroes from `__GFP_ZERO`: defined, so not reported. Stale bytes are
        // the previous command's (`io_req_add_to_cache` keeps them, `io_init_req` does not
        // clear `cmd.data`).
        let bad = (off..end).find(|&i| r.pdu_prov[i] == Prov::Stale);
        let bad = bad.map(|i| {
            let w = i & !7;
            let mut b = [0u8; 8];
            b.copy_from_slice(&r.cmd.pdu[w..w + 8]);
            (i, u64::from_le_bytes(b))
        });
        s.emit(
            Event::sim_pdu_read,
            ring,
            serial,
            ud,
            off as i64,
            len as i64,
        );
        if let Some((i, word)) = bad {
            s.emit(
                Event::sanitizer_pdu_stale_read,
                ring,
                serial,
                ud,
                i as i64,
                word as i64,
            );
        }
    });
}

/// Records a driver write of PDU bytes `off..off+len` at the current source location.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn pdu_write(cmd: *mut io_uring_cmd, off: usize, len: usize) {
    // SAFETY: forwarded from the caller.
    unsafe { mark_pdu(cmd, off, len, Prov::Driver) };
}

/// Records that the Rust wrapper zeroed the whole PDU (v5 `MiscdeviceVTable::uring_cmd`).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn pdu_zeroed_by_wrapper(cmd: *mut io_uring_cmd) {
    // SAFETY: forwarded from the caller.
    unsafe { mark_pdu(cmd, 0, PDU_SIZE, Prov::Zeroed) };
}

/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
unsafe fn mark_pdu(cmd: *mut io_uring_cmd, off: usize, len: usize, prov: Prov) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let ring = req.ring;
    sim::with(|s| {
        let src = s.cur_src;
        let r = live!(s.req_mut(req));
        let end = (off + len).min(PDU_SIZE);
        for i in off..end {
            r.pdu_prov[i] = prov;
            r.pdu_src[i] = src;
        }
        if prov == Prov::Driver {
            r.pdu_copied = r.pdu_copied.saturating_add(len as u32);
        }
        let ud = r.user_data;
        if prov == Prov::Zeroed {
            s.emit(Event::sim_pdu_zero, ring, serial, ud, 2, 0);
        } else {
            s.emit(
                Event::sim_pdu_write,
                ring,
                serial,
                ud,
                off as i64,
                len as i64,
            );
        }
    });
}

/// Reports a PDU access with a type of `size` bytes (over the 32-byte PDU).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn pdu_too_big(cmd: *mut io_uring_cmd, size: usize) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let ring = req.ring;
    sim::with(|s| {
        let ud = live!(s.req(req)).user_data;
        s.emit(
            Event::sanitizer_pdu_too_big,
            ring,
            serial,
            ud,
            size as i64,
            PDU_SIZE as i64,
        );
    });
}

/// Marks bytes of a ring's SQE array written by userspace (for the UI's provenance view).
pub fn note_user_sqe_write(s: &mut Sim, addr: usize, len: usize) {
    for ctx in s.io_uring.rings.iter_mut().flatten() {
        if ctx.sqes.contains(addr, len) {
            let off = addr - ctx.sqes.addr();
            let end = (off + len).min(ctx.sqe_prov.len());
            for p in &mut ctx.sqe_prov[off..end] {
                *p = Prov::User;
            }
        }
    }
}

/// Reports a command left in flight with nothing that can complete it (`why`: 1 the driver
/// returned `Complete(-EIOCBQUEUED)`, 2 it dropped its `QueuedIoUringCmd`). The request stays
/// in flight: the kernel has no way to notice, and the ring's exit work will wait for it
/// forever (see [`super::exit`]).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn cmd_lost(cmd: *mut io_uring_cmd, why: i64) {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let Req { ring, idx } = req;
    sim::with(|s| {
        let r = match s.ring(ring) {
            Some(c) => live!(c.req(idx)),
            None => return,
        };
        if r.serial != serial || r.done_called {
            return;
        }
        let ud = r.user_data;
        s.emit(Event::sanitizer_cmd_lost, ring, serial, ud, why, 0);
    });
}

/// Checks a reference to the PDU as a type of alignment `align` against where the PDU sits in
/// the kernel profile's `struct io_uring_cmd` (Benno Lossin: `&T`/`&mut T` accessors need the
/// PDU aligned for `T`; the PDU is a byte array). Returns whether the reference is sound.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's `io_uring_cmd`.
pub unsafe fn pdu_ref(cmd: *mut io_uring_cmd, align: usize) -> bool {
    // SAFETY: forwarded from the caller.
    let (req, serial) = unsafe { cmd_to_req(cmd) };
    let ring = req.ring;
    sim::with(|s| {
        let have = s.cfg.kernel.pdu_align();
        if align <= have {
            return true;
        }
        let ud = live!(s.req(req)).user_data;
        s.emit(
            Event::sanitizer_pdu_misaligned,
            ring,
            serial,
            ud,
            align as i64,
            have as i64,
        );
        false
    })
}
