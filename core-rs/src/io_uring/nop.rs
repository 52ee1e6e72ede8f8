//! `IORING_OP_NOP`: post a completion, optionally with an injected result, a file lookup or a
//! big CQE.
//!
//! Mirrors: `io_uring/nop.c` (`io_nop_prep`, `io_nop`), as of ≈ v6.19 (with `NOP_TW` and
//! `NOP_CQE32`). Quirk kept: when the file lookup fails the request is marked failed but the CQE
//! still carries the injected result (`io_req_set_res(req, nop->result, 0)` after `done:`).

use super::types::*;
use super::*;

const NOP_FLAGS: u32 = IORING_NOP_INJECT_RESULT
    | IORING_NOP_FIXED_FILE
    | IORING_NOP_FIXED_BUFFER
    | IORING_NOP_FILE
    | IORING_NOP_TW
    | IORING_NOP_CQE32;

/// `io_nop_prep`.
pub fn io_nop_prep(s: &mut Sim, ring: u32, idx: u32, sqe: &[u8]) -> Result<(), i32> {
    let rd32 = |o: usize| u32::from_le_bytes([sqe[o], sqe[o + 1], sqe[o + 2], sqe[o + 3]]);
    let rd64 = |o: usize| u64::from(rd32(o)) | u64::from(rd32(o + 4)) << 32;
    let flags = rd32(sqe_off::OP_FLAGS);
    if flags & !NOP_FLAGS != 0 {
        return Err(EINVAL);
    }
    let ctx_flags = s.ring(ring).expect("ring").flags;
    if flags & IORING_NOP_CQE32 != 0
        && ctx_flags & (IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED) == 0
    {
        return Err(EINVAL);
    }
    let r = s.ring_mut(ring).expect("ring").req_mut(idx);
    r.nop_flags = flags;
    r.nop_result = if flags & IORING_NOP_INJECT_RESULT != 0 {
        rd32(sqe_off::LEN) as i32
    } else {
        0
    };
    r.fd = if flags & IORING_NOP_FILE != 0 {
        rd32(sqe_off::FD) as i32
    } else {
        -1
    };
    if flags & IORING_NOP_CQE32 != 0 {
        r.big_cqe = [rd64(sqe_off::OFF), rd64(sqe_off::ADDR)];
    }
    Ok(())
}

/// `io_nop`.
pub fn io_nop(s: &mut Sim, ring: u32, idx: u32, _issue_flags: u32) -> i32 {
    let (flags, result) = {
        let r = s.ring(ring).expect("ring").req(idx);
        (r.nop_flags, r.nop_result)
    };
    let mut ret = result;
    if flags & IORING_NOP_FILE != 0 {
        // Fixed files are not modelled: no file table is ever registered, so a fixed index
        // never resolves, exactly as on a ring without IORING_REGISTER_FILES.
        let found = flags & IORING_NOP_FIXED_FILE == 0 && io_assign_file(s, ring, idx).is_ok();
        if !found {
            ret = -EBADF;
        }
    }
    if ret >= 0 && flags & IORING_NOP_FIXED_BUFFER != 0 {
        // No buffers are ever registered in the simulator.
        ret = -EFAULT;
    }
    if ret < 0 {
        req_set_fail(s, ring, idx);
    }
    let cqe32 = flags & IORING_NOP_CQE32 != 0;
    {
        let ctx = s.ring_mut(ring).expect("ring");
        let mixed = ctx.flags & IORING_SETUP_CQE_MIXED != 0;
        let r = ctx.req_mut(idx);
        r.cqe.res = result;
        r.cqe.flags = if cqe32 && mixed { IORING_CQE_F_32 } else { 0 };
        if cqe32 {
            r.flags |= REQ_F_BIG_CQE;
        }
    }
    if flags & IORING_NOP_TW != 0 {
        tw::io_req_task_work_add(s, ring, idx, TwFunc::Complete, false);
        return -EIOCBQUEUED;
    }
    0
}
