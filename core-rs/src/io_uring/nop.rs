//! `IORING_OP_NOP`: post a completion, optionally with an injected result, a file or buffer
//! lookup, a 32-byte CQE or a detour through task_work.
//!
//! Mirrors: `io_uring/nop.c` (`io_nop_prep`, `io_nop`) as Linux 6.18.44 runs it, which
//! includes two stable fixes to the code docs/kernel-notes.md §1.15 describes (both confirmed on this
//! machine's kernel, the first by the `nop_file_bad_fd` recording):
//! - upstream commit e97ff8b62d46: when the file or buffer lookup fails, the CQE carries that
//!   error (`-EBADF`, `-EFAULT`) instead of `nop->result`; before it, the request was only
//!   marked failed and the injected result was posted.
//! - the syzbot fix for a85f31052bce: `IORING_NOP_FIXED_FILE` becomes `REQ_F_FIXED_FILE` at
//!   prep, so `IOSQE_FIXED_FILE` with `IORING_NOP_FILE` also looks the index up in the
//!   registered-file table (`-EBADF` when there is none), as `io_assign_file` does.
//!
//! `IORING_NOP_FIXED_FILE` without `IORING_NOP_FILE` looks nothing up and succeeds.

use super::types::*;
use super::*;

const NOP_FLAGS: u32 = IORING_NOP_INJECT_RESULT
    | IORING_NOP_FIXED_FILE
    | IORING_NOP_FIXED_BUFFER
    | IORING_NOP_FILE
    | IORING_NOP_TW
    | IORING_NOP_CQE32;

/// `io_nop_prep`.
pub fn io_nop_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let ring = req.ring;
    let rd32 = |o: usize| u32::from_le_bytes([sqe[o], sqe[o + 1], sqe[o + 2], sqe[o + 3]]);
    let rd64 = |o: usize| u64::from(rd32(o)) | u64::from(rd32(o + 4)) << 32;
    let flags = rd32(sqe_off::OP_FLAGS);
    if flags & !NOP_FLAGS != 0 {
        return Err(EINVAL);
    }
    let ctx_flags = live!(s.ring(ring)).flags;
    let r = live!(s.req_mut(req));
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
    if flags & IORING_NOP_FIXED_FILE != 0 {
        r.flags |= REQ_F_FIXED_FILE;
    }
    if flags & IORING_NOP_FIXED_BUFFER != 0 {
        r.op.buf_index = u16::from_le_bytes([sqe[sqe_off::BUF_INDEX], sqe[sqe_off::BUF_INDEX + 1]]);
    }
    if flags & IORING_NOP_CQE32 != 0 {
        if ctx_flags & (IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED) == 0 {
            return Err(EINVAL);
        }
        // `nop->extra1` / `nop->extra2`.
        r.nop_extra = [rd64(sqe_off::OFF), rd64(sqe_off::ADDR)];
    }
    Ok(())
}

/// `io_nop`.
pub fn io_nop(s: &mut Sim, req: Req, _issue_flags: u32) -> i32 {
    let Req { ring, idx } = req;
    let (flags, mut ret) = {
        let r = live!(s.req(req));
        (r.nop_flags, r.nop_result)
    };
    let mut file_ok = true;
    if flags & IORING_NOP_FILE != 0 && io_assign_file(s, req).is_err() {
        ret = -EBADF;
        file_ok = false;
    }
    if file_ok && flags & IORING_NOP_FIXED_BUFFER != 0 {
        // `io_find_buf_node`: the registered buffer at `buf_index` (a sparse slot or no table
        // is -EFAULT; the fuzzer's programs register one).
        let bi = live!(s.req(req)).op.buf_index as usize;
        if live!(s.ring(ring))
            .buf_table
            .get(bi)
            .copied()
            .flatten()
            .is_none()
        {
            ret = -EFAULT;
        }
    }
    if ret < 0 {
        req_set_fail(s, req);
    }
    {
        let ctx = live!(s.ring_mut(ring));
        let mixed = ctx.flags & IORING_SETUP_CQE_MIXED != 0;
        let r = live!(ctx.req_mut(idx));
        r.cqe.res = ret;
        if flags & IORING_NOP_CQE32 != 0 {
            // `io_req_set_res32`: F_32 only on a CQE_MIXED ring.
            r.cqe.flags = if mixed { IORING_CQE_F_32 } else { 0 };
            r.big_cqe = r.nop_extra;
            r.flags |= REQ_F_BIG_CQE;
        } else {
            r.cqe.flags = 0;
        }
    }
    if flags & IORING_NOP_TW != 0 {
        tw::io_req_task_work_add(s, req, TwFunc::Complete, false);
        return -EIOCBQUEUED;
    }
    0
}
