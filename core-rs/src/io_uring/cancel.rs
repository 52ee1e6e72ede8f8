//! `IORING_OP_ASYNC_CANCEL` by user_data.
//!
//! Mirrors: `io_uring/cancel.c` (`io_async_cancel_prep`, `io_async_cancel`,
//! `__io_async_cancel`, `io_try_cancel`, `io_async_cancel_one`, `io_cancel_cb`), with the
//! tables it searches: io-wq's queue (`io_wq_cancel_cb`: a queued work item is cancelled, one
//! that is running answers `-EALREADY`), async poll (`io_poll_cancel`) and timeouts
//! (`io_timeout_cancel`).
//!
//! What the recording `async_cancel` shows on Linux 6.18 and this model follows: cancelling a
//! READ that waits on an empty pipe answers 0 and the READ completes with `-ECANCELED` after
//! the cancel's CQE; an unknown user_data is `-ENOENT`; a pending TIMEOUT is found too; an
//! unknown `cancel_flags` bit is `-EINVAL`.
//!
//! Differences from upstream: io-wq work never runs concurrently with the task in the
//! simulator, so `-EALREADY` (work already running) cannot happen. A uring_cmd in flight in its
//! driver is in none of the tables, as upstream: `-ENOENT`. `IORING_ASYNC_CANCEL_ALL`, `_FD`,
//! `_ANY`, `_FD_FIXED`, `_USERDATA` and `_OP` are refused with [`ENOTMODELLED`].

use super::opdata::*;
use super::types::*;
use super::*;

// `include/uapi/linux/io_uring.h`.
/// Cancel every matching request, not just the first.
pub const IORING_ASYNC_CANCEL_ALL: u32 = 1 << 0;
/// Match by file descriptor (`sqe->fd`) instead of user_data.
pub const IORING_ASYNC_CANCEL_FD: u32 = 1 << 1;
/// Match any request.
pub const IORING_ASYNC_CANCEL_ANY: u32 = 1 << 2;
/// The descriptor of `IORING_ASYNC_CANCEL_FD` is a registered file.
pub const IORING_ASYNC_CANCEL_FD_FIXED: u32 = 1 << 3;
/// Match by user_data (the default, explicit).
pub const IORING_ASYNC_CANCEL_USERDATA: u32 = 1 << 4;
/// Match by opcode.
pub const IORING_ASYNC_CANCEL_OP: u32 = 1 << 5;
const CANCEL_FLAGS: u32 = IORING_ASYNC_CANCEL_ALL
    | IORING_ASYNC_CANCEL_FD
    | IORING_ASYNC_CANCEL_ANY
    | IORING_ASYNC_CANCEL_FD_FIXED
    | IORING_ASYNC_CANCEL_USERDATA
    | IORING_ASYNC_CANCEL_OP;

fn rd32(sqe: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([sqe[o], sqe[o + 1], sqe[o + 2], sqe[o + 3]])
}

/// `io_async_cancel_prep`.
///
/// # Errors
///
/// `EINVAL` for buffer select, a non-zero `off` or `splice_fd_in`, or unknown flags;
/// [`ENOTMODELLED`] for the flags not modelled.
pub fn io_async_cancel_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    if live!(s.req(req)).flags & REQ_F_BUFFER_SELECT != 0 {
        return Err(EINVAL);
    }
    let off = u64::from(rd32(sqe, sqe_off::OFF)) | u64::from(rd32(sqe, sqe_off::OFF + 4)) << 32;
    if off != 0 || rd32(sqe, sqe_off::SPLICE_FD_IN) != 0 {
        return Err(EINVAL);
    }
    let flags = rd32(sqe, sqe_off::OP_FLAGS);
    if flags & !CANCEL_FLAGS != 0 {
        return Err(EINVAL);
    }
    if flags != 0 {
        return Err(super::rw::not_modelled(s, req, not_modelled::FIELD));
    }
    let addr = u64::from(rd32(sqe, sqe_off::ADDR)) | u64::from(rd32(sqe, sqe_off::ADDR + 4)) << 32;
    live!(s.req_mut(req)).op.target = addr;
    Ok(())
}

/// `io_async_cancel_one`: a request still queued for io-wq is taken off the queue and fails
/// with `-ECANCELED` (`io_wq_submit_work` with `IO_WQ_WORK_CANCEL`).
fn io_async_cancel_one(s: &mut Sim, ring: u32, user_data: u64) -> Result<(), i32> {
    let pos = s.io_uring.iowq.iter().position(|&(req, serial)| {
        req.ring == ring
            && s.req(req)
                .map_or(false, |q| q.serial == serial && q.user_data == user_data)
    });
    let (req, _) = s.io_uring.iowq.remove(pos.ok_or(ENOENT)?).ok_or(ENOENT)?;
    req_set_fail(s, req);
    io_req_set_res(s, req, -ECANCELED, 0);
    tw::io_req_task_work_add(s, req, TwFunc::Fail(-ECANCELED), false);
    Ok(())
}

/// `io_try_cancel`: io-wq first, then async poll, then timeouts.
///
/// # Errors
///
/// `ENOENT` when no request with that user_data is in any of them (or `EALREADY` from the
/// timeout table for a timer that fired already).
pub fn io_try_cancel(s: &mut Sim, ring: u32, user_data: u64) -> Result<(), i32> {
    if io_async_cancel_one(s, ring, user_data).is_ok() {
        return Ok(());
    }
    match super::poll::io_poll_cancel(s, ring, user_data) {
        Err(ENOENT) => {}
        r => return r,
    }
    super::timeout::io_timeout_cancel(s, ring, user_data)
}

/// `io_async_cancel`: the result is what `io_try_cancel` answered.
pub fn io_async_cancel(s: &mut Sim, req: Req) -> i32 {
    let ring = req.ring;
    let (target, serial, ud) = {
        let r = live!(s.req(req));
        (r.op.target, r.serial, r.user_data)
    };
    let ret = match io_try_cancel(s, ring, target) {
        Ok(()) => 0,
        Err(e) => -e,
    };
    s.emit(
        Event::sim_cancel,
        ring,
        serial,
        ud,
        ret as i64,
        target as i64,
    );
    if ret < 0 {
        req_set_fail(s, req);
    }
    io_req_set_res(s, req, ret, 0);
    0
}
