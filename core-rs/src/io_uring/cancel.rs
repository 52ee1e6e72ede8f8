//! `IORING_OP_ASYNC_CANCEL`: by user_data, by file (`IORING_ASYNC_CANCEL_FD`, with
//! `_FD_FIXED` for a registered file), by opcode (`_OP`), any request (`_ANY`), one or all
//! matches (`_ALL`).
//!
//! Mirrors: `io_uring/cancel.c` (`io_async_cancel_prep`, `io_async_cancel`,
//! `__io_async_cancel`, `io_try_cancel`, `io_async_cancel_one`, `io_cancel_cb`,
//! `io_cancel_req_match`, `io_cancel_match_sequence`), with the tables it searches: io-wq's
//! queue (`io_wq_cancel_cb`: a queued work item is cancelled, one that is running answers
//! `-EALREADY`), armed polls (`io_poll_cancel`: `io_poll_find` / `io_poll_file_find`) and
//! timeouts (`io_timeout_cancel`, skipped for `CANCEL_FD`).
//!
//! `CANCEL_ALL` and `CANCEL_ANY` repeat `io_try_cancel` until it finds nothing, then try every
//! io-wq once more, and answer the number cancelled — 0, not `-ENOENT`, when nothing matched.
//! Each round has a sequence number (`ctx->cancel_seq`); a request matched once in the round
//! is skipped (`io_cancel_match_sequence`), so a cancelled POLL_ADD still waiting for its
//! task_work is counted once. Without them the first answer is the result.
//!
//! Differences from upstream: io-wq work never runs concurrently with the task in the
//! simulator, so `-EALREADY` (work already running) cannot happen. A uring_cmd in flight in its
//! driver is in none of these tables, as upstream (its driver is called with
//! `IO_URING_F_CANCEL` only at ring teardown, `io_uring_try_cancel_uring_cmd`): `-ENOENT`.

use super::sqe::sqe32 as rd32;
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

/// `struct io_cancel_data`: what one cancel request looks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct CancelData {
    /// The user_data (`cd->data`).
    pub data: u64,
    /// `IORING_ASYNC_CANCEL_*`.
    pub flags: u32,
    /// The file of `CANCEL_FD` (`cd->file`).
    pub file: Option<crate::include::fs::FileRef>,
    /// The opcode of `CANCEL_OP`.
    pub opcode: u8,
    /// The round's sequence number (`cd->seq`).
    pub seq: u32,
}

impl CancelData {
    /// A lookup by user_data alone (POLL_REMOVE, TIMEOUT_REMOVE, a firing LINK_TIMEOUT).
    pub fn by_user_data(data: u64) -> CancelData {
        CancelData {
            data,
            ..CancelData::default()
        }
    }
}

/// `io_cancel_req_match`: whether request `idx` is one `cd` looks for. With `CANCEL_ALL` or
/// `CANCEL_ANY` a match marks the request with the round's number and a request already
/// marked in this round does not match (`io_cancel_match_sequence`).
pub fn io_cancel_req_match(s: &mut Sim, req: Req, cd: &CancelData) -> bool {
    let r = live!(s.req_mut(req));
    let mut match_user_data = cd.flags & IORING_ASYNC_CANCEL_USERDATA != 0;
    if cd.flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP) == 0 {
        match_user_data = true;
    }
    if cd.flags & IORING_ASYNC_CANCEL_ANY == 0 {
        if cd.flags & IORING_ASYNC_CANCEL_FD != 0 && r.file != cd.file {
            return false;
        }
        if cd.flags & IORING_ASYNC_CANCEL_OP != 0 && r.opcode != cd.opcode {
            return false;
        }
        if match_user_data && r.user_data != cd.data {
            return false;
        }
        if cd.flags & IORING_ASYNC_CANCEL_ALL == 0 {
            return true;
        }
    }
    // `io_cancel_match_sequence`.
    if r.op.cancel_seq == Some(cd.seq) {
        return false;
    }
    r.op.cancel_seq = Some(cd.seq);
    true
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
    let addr = u64::from(rd32(sqe, sqe_off::ADDR)) | u64::from(rd32(sqe, sqe_off::ADDR + 4)) << 32;
    let flags = rd32(sqe, sqe_off::OP_FLAGS);
    if flags & !CANCEL_FLAGS != 0 {
        return Err(EINVAL);
    }
    let mut fd = 0;
    if flags & IORING_ASYNC_CANCEL_FD != 0 {
        if flags & IORING_ASYNC_CANCEL_ANY != 0 {
            return Err(EINVAL);
        }
        fd = rd32(sqe, sqe_off::FD) as i32;
    }
    let mut opcode = 0;
    if flags & IORING_ASYNC_CANCEL_OP != 0 {
        if flags & IORING_ASYNC_CANCEL_ANY != 0 {
            return Err(EINVAL);
        }
        opcode = rd32(sqe, sqe_off::LEN) as u8;
    }
    let op = &mut live!(s.req_mut(req)).op;
    op.target = addr;
    op.cancel_flags = flags;
    op.cancel_fd = fd;
    op.cancel_op = opcode;
    Ok(())
}

/// `io_async_cancel_one`: a request still queued for io-wq is taken off the queue and fails
/// with `-ECANCELED` (`io_wq_submit_work` with `IO_WQ_WORK_CANCEL`).
fn io_async_cancel_one(s: &mut Sim, ring: u32, cd: &CancelData) -> Result<(), i32> {
    let queued: Vec<(usize, Req, u32)> = s
        .io_uring
        .iowq
        .iter()
        .enumerate()
        .filter(|(_, &(r, _))| r.ring == ring)
        .map(|(p, &(r, serial))| (p, r, serial))
        .collect();
    let mut pos = None;
    for (p, req, serial) in queued {
        let live = s.req(req).map_or(false, |q| q.serial == serial);
        if live && io_cancel_req_match(s, req, cd) {
            pos = Some(p);
            break;
        }
    }
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
    io_try_cancel_cd(s, ring, &CancelData::by_user_data(user_data))
}

/// `io_try_cancel` for any cancel request; timeouts are not searched for `CANCEL_FD`.
///
/// # Errors
///
/// `ENOENT` when nothing matches, or what the table that found it answered.
pub fn io_try_cancel_cd(s: &mut Sim, ring: u32, cd: &CancelData) -> Result<(), i32> {
    if io_async_cancel_one(s, ring, cd).is_ok() {
        return Ok(());
    }
    match super::poll::io_poll_cancel_cd(s, ring, cd) {
        Err(ENOENT) => {}
        r => return r,
    }
    if cd.flags & IORING_ASYNC_CANCEL_FD != 0 {
        return Err(ENOENT);
    }
    super::timeout::io_timeout_cancel_cd(s, ring, cd)
}

/// `__io_async_cancel`: one answer, or with `CANCEL_ALL`/`CANCEL_ANY` the number of requests
/// cancelled (the fast path until nothing is found, then every io-wq once more).
fn __io_async_cancel(s: &mut Sim, ring: u32, cd: &CancelData) -> i32 {
    let all = cd.flags & (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY) != 0;
    let mut nr = 0;
    loop {
        match io_try_cancel_cd(s, ring, cd) {
            Err(ENOENT) => break,
            r if !all => return r.map_or_else(|e| -e, |()| 0),
            _ => nr += 1,
        }
    }
    // The slow path: the io-wq of every task attached to the ring (one task here).
    let ret = match io_async_cancel_one(s, ring, cd) {
        Ok(()) => 0,
        Err(e) => -e,
    };
    if all {
        nr + i32::from(ret != -ENOENT)
    } else {
        ret
    }
}

/// `io_async_cancel`: the result is what `io_try_cancel` answered.
pub fn io_async_cancel(s: &mut Sim, req: Req) -> i32 {
    let ring = req.ring;
    let (target, serial, ud, op) = {
        let r = live!(s.req(req));
        (r.op.target, r.serial, r.user_data, r.op)
    };
    let seq = {
        let ops = &mut live!(s.ring_mut(ring)).ops;
        ops.cancel_seq = ops.cancel_seq.wrapping_add(1);
        ops.cancel_seq
    };
    let mut cd = CancelData {
        data: target,
        flags: op.cancel_flags,
        file: None,
        opcode: op.cancel_op,
        seq,
    };
    let mut ret = 0;
    if cd.flags & IORING_ASYNC_CANCEL_FD != 0 {
        // The request takes the file it names: a registered one with `_FD_FIXED` (or
        // `IOSQE_FIXED_FILE`), else from the descriptor table.
        {
            let r = live!(s.req_mut(req));
            r.fd = op.cancel_fd;
            if cd.flags & IORING_ASYNC_CANCEL_FD_FIXED != 0 {
                r.flags |= REQ_F_FIXED_FILE;
            }
        }
        match io_assign_file(s, req) {
            Ok(()) => cd.file = live!(s.req(req)).file,
            Err(e) => ret = -e,
        }
    }
    if ret == 0 {
        ret = __io_async_cancel(s, ring, &cd);
    }
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
