//! Kernel-internal io_uring types: the ring context, the request, issue flags.
//!
//! Mirrors: `include/linux/io_uring_types.h` (`struct io_ring_ctx`, `struct io_kiocb`,
//! `enum io_uring_cmd_flags`) and `include/linux/io_uring/cmd.h` (`struct io_uring_cmd`).
//!
//! Differences from upstream: requests live in a per-ring slab of boxed `io_kiocb`s with a free
//! list (the kernel's `ctx->submit_state.free_list` request cache), so a recycled request keeps
//! its previous PDU bytes exactly as a recycled kernel request does. Pointers are 32-bit on wasm,
//! so `struct io_uring_cmd` is smaller than the kernel's; the field order is the ≥6.19 one.

use crate::uapi::io_uring::*;

pub use crate::include::io_uring_types::*;

pub use crate::include::io_uring_cmd::*;
pub use crate::trace::{Prov, ReqState};

// req->flags (REQ_F_*), the subset modelled. As in `include/linux/io_uring_types.h`, the low
// bits have the numeric values of the `IOSQE_*` flags, so `io_init_req` copies `sqe->flags` in.
/// The file is a registered (fixed) file.
pub const REQ_F_FIXED_FILE: u32 = 1 << 0;
/// `IOSQE_IO_DRAIN`.
pub const REQ_F_IO_DRAIN: u32 = 1 << 1;
/// `IOSQE_IO_LINK`.
pub const REQ_F_LINK: u32 = 1 << 2;
/// `IOSQE_IO_HARDLINK`.
pub const REQ_F_HARDLINK: u32 = 1 << 3;
/// `IOSQE_ASYNC`: always issue from io-wq.
pub const REQ_F_FORCE_ASYNC: u32 = 1 << 4;
/// `IOSQE_BUFFER_SELECT`.
pub const REQ_F_BUFFER_SELECT: u32 = 1 << 5;
/// `IOSQE_CQE_SKIP_SUCCESS`: no CQE on success.
pub const REQ_F_CQE_SKIP: u32 = 1 << 6;
/// The request failed; links behind it are cancelled.
pub const REQ_F_FAIL: u32 = 1 << 8;
/// The SQE was copied into async data (`io_uring_cmd_sqe_copy`).
pub const REQ_F_SQE_COPIED: u32 = 1 << 9;
/// Simulator bookkeeping: the request carries `big_cqe` words for a 32-byte CQE.
pub const REQ_F_BIG_CQE: u32 = 1 << 10;
/// Set by `req_set_fail` on a `CQE_SKIP` request: its cancelled link members post no CQE.
pub const REQ_F_SKIP_LINK_CQES: u32 = 1 << 11;
/// `refs` counts references (io-wq holds one while it runs the request).
pub const REQ_F_REFCOUNT: u32 = 1 << 12;
/// `IO_REQ_LINK_FLAGS`.
pub const IO_REQ_LINK_FLAGS: u32 = REQ_F_LINK | REQ_F_HARDLINK;

impl IoRingCtx {
    /// Returns whether task work is deferred to `io_uring_enter` (`ctx->task_complete`).
    pub fn defer_taskrun(&self) -> bool {
        self.flags & IORING_SETUP_DEFER_TASKRUN != 0
    }

    /// Returns `ctx->lockless_cq`: completions are posted only by the submitter task
    /// (`DEFER_TASKRUN`) or under `uring_lock` (`IOPOLL`).
    pub fn lockless_cq(&self) -> bool {
        self.defer_taskrun() || self.flags & IORING_SETUP_IOPOLL != 0
    }

    /// Returns how many requests are allocated and not in the request cache
    /// (`ctx->nr_req_allocated` once `__io_req_caches_free` emptied the cache).
    pub fn live_reqs(&self) -> u32 {
        (self.reqs.len() - self.free.len()) as u32
    }

    /// Returns the issue-flag bits every issue on this ring carries (`io_uring_cmd`, see
    /// docs/kernel-notes.md §3.4).
    pub fn ctx_issue_flags(&self) -> u32 {
        let mut f = 0;
        if self.flags & IORING_SETUP_SQE128 != 0 {
            f |= IO_URING_F_SQE128;
        }
        if self.flags & (IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED) != 0 {
            f |= IO_URING_F_CQE32;
        }
        if self.flags & IORING_SETUP_IOPOLL != 0 {
            f |= IO_URING_F_IOPOLL;
        }
        f
    }

    /// Returns the request at a slab index, if the slab has one there.
    pub fn req(&self, idx: u32) -> Option<&IoKiocb> {
        self.reqs.get(idx as usize).map(|r| &**r)
    }

    /// Returns the request at a slab index, mutably.
    pub fn req_mut(&mut self, idx: u32) -> Option<&mut IoKiocb> {
        self.reqs.get_mut(idx as usize).map(|r| &mut **r)
    }
}

const _: () = assert!(core::mem::size_of::<ReqInfo>() == 256);

impl ReqInfo {
    /// Snapshot of a request.
    pub fn of(r: &IoKiocb) -> ReqInfo {
        let mut prov = [0u8; PDU_SIZE];
        for (p, v) in prov.iter_mut().zip(r.pdu_prov.iter()) {
            *p = *v as u8;
        }
        ReqInfo {
            serial: r.serial,
            index: r.index,
            state: r.state as u8,
            opcode: r.opcode,
            sqe_flags: r.sqe_flags,
            in_issue: r.in_issue as u8,
            flags: r.flags,
            user_data: r.user_data,
            fd: r.fd,
            cmd_op: r.cmd.cmd_op,
            cmd_flags: r.cmd.flags,
            res: r.cqe.res,
            cflags: r.cqe.flags,
            issues: r.issues,
            big_cqe: r.big_cqe,
            pdu: r.cmd.pdu,
            pdu_prov: prov,
            pdu_src: r.pdu_src,
        }
    }
}
