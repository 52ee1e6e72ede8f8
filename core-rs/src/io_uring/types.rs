//! Kernel-internal io_uring types: the ring context, the request, issue flags.
//!
//! Mirrors: `include/linux/io_uring_types.h` (`struct io_ring_ctx`, `struct io_kiocb`,
//! `enum io_uring_cmd_flags`) and `include/linux/io_uring/cmd.h` (`struct io_uring_cmd`).
//!
//! Differences from upstream: requests live in a per-ring slab of boxed `io_kiocb`s with a free
//! list (the kernel's `ctx->submit_state.free_list` request cache), so a recycled request keeps
//! its previous PDU bytes exactly as a recycled kernel request does. Pointers are 32-bit on wasm,
//! so `struct io_uring_cmd` is smaller than the kernel's; the field order is the ≥6.19 one.

use std::collections::VecDeque;

use crate::linux::fs::FileRef;
use crate::ring::{Region, RingLayout};
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

/// `struct io_kiocb`: one request.
///
/// # Invariants
///
/// `cmd` is the first field, so a `*mut io_uring_cmd` handed to a driver is also a pointer to
/// its `IoKiocb` (the kernel's `cmd_to_io_kiocb`, a `container_of`).
#[repr(C)]
pub struct IoKiocb {
    /// The command part a uring_cmd driver sees (the first field, as in `io_kiocb`).
    pub cmd: io_uring_cmd,
    /// Serial number, unique for the simulator's life (what traces call `req`).
    pub serial: u32,
    /// Index in the ring's slab.
    pub index: u32,
    /// Ring id.
    pub ring: u32,
    /// `IORING_OP_*`.
    pub opcode: u8,
    /// `IOSQE_*` as submitted.
    pub sqe_flags: u8,
    /// Where the request is in its life.
    pub state: ReqState,
    /// `REQ_F_*`.
    pub flags: u32,
    /// Copied into the CQE.
    pub user_data: u64,
    /// The SQE's `fd`.
    pub fd: i32,
    /// The file the request holds a reference to.
    pub file: Option<FileRef>,
    /// The CQE the request will post.
    pub cqe: io_uring_cqe,
    /// The extra words of a 32-byte CQE (kept across recycling, as upstream).
    pub big_cqe: [u64; 2],
    /// Next request in a link chain (slab index).
    pub link: Option<u32>,
    /// Byte offset of this request's SQE in the SQE region.
    pub sqe_off: usize,
    /// SQE length in bytes (64 or 128).
    pub sqe_len: usize,
    /// `io_async_cmd.sqes`: the SQE copy made when the request goes async.
    pub async_sqe: [u8; 128],
    /// Per-op scratch: NOP's injected result, flags and 32-byte CQE words (`struct io_nop`:
    /// `result`, `flags`, `extra1`, `extra2`; they reach `req->big_cqe` only when `io_nop`
    /// issues, so a cancelled link member's CQE carries zeros there).
    pub nop_result: i32,
    /// NOP: `sqe->nop_flags`.
    pub nop_flags: u32,
    /// NOP: the extra CQE words (`IORING_NOP_CQE32`).
    pub nop_extra: [u64; 2],
    /// Provenance of each PDU byte.
    pub pdu_prov: [Prov; PDU_SIZE],
    /// Source location (`file << 16 | line`) of the last write of each PDU byte.
    pub pdu_src: [u32; PDU_SIZE],
    /// How many times the driver's issue handler has been called for this request.
    pub issues: u32,
    /// Whether the request's `->uring_cmd()` call is currently running (SQE access allowed).
    pub in_issue: bool,
    /// Issue flags of the call in progress, or of task work handed to the driver.
    pub live_issue_flags: Option<u32>,
    /// Whether `io_uring_cmd_done` was called.
    pub done_called: bool,
    /// Bytes the driver copied through the PDU accessors during this request's life (Ming
    /// Lei's point: copy-based `read_pdu`/`write_pdu` move the whole type every call).
    pub pdu_copied: u32,
    /// `req->refs`, meaningful with [`REQ_F_REFCOUNT`].
    pub refs: u32,
    /// State of the opcodes in `rw.rs`, `poll.rs`, `timeout.rs` and `cancel.rs`.
    pub op: super::opdata::OpData,
    /// `req->iopoll_completed` (IOPOLL rings): set by `__io_uring_cmd_done` instead of
    /// posting; the poller (`io_do_iopoll`) turns it into a CQE.
    pub iopoll_completed: bool,
}

/// Where `io_ring_exit_work` is in its loop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExitProgress {
    /// Passes of the loop run so far (0: the exit work has not run yet).
    pub passes: u32,
    /// Driver calls with `IO_URING_F_CANCEL` made so far.
    pub cancel_calls: u32,
    /// When the first pass ran (simulated ns): the 5-minute warning counts from here.
    pub started_ns: u64,
    /// The `WARN_ON_ONCE` after 5 minutes fired (the retry interval is 60 s from then on).
    pub warned: bool,
    /// `ctx->ref_comp` completed: the last request is gone and the ring is freed.
    pub freed: bool,
}

/// A CQE waiting on the overflow list (`struct io_overflow_cqe`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverflowCqe {
    /// The CQE.
    pub cqe: io_uring_cqe,
    /// Its extra words, for a 32-byte CQE.
    pub big_cqe: Option<[u64; 2]>,
    /// The request's serial number.
    pub req: u32,
}

/// What a task_work item does when it runs (`io_task_work.func`).
#[derive(Clone, Copy)]
pub enum TwFunc {
    /// `io_req_task_complete`: post the request's CQE.
    Complete,
    /// `io_req_task_submit`: issue the request (next link member, retry).
    Submit,
    /// `io_req_task_cancel`: complete the request with this error.
    Fail(i32),
    /// `io_req_tw_fail_links`: complete the cancelled rest of a failed link chain, starting
    /// at this request.
    FailLinks,
    /// A uring_cmd driver callback queued by `__io_uring_cmd_do_in_task`.
    UringCmd(crate::linux::fs::UringCmdTwFn),
    /// `io_apoll_task_func`: an async poll was woken or cancelled.
    Apoll,
    /// `io_req_task_link_timeout`: a LINK_TIMEOUT fired.
    LinkTimeout,
}

/// One queued task_work item.
#[derive(Clone, Copy)]
pub struct TwItem {
    /// The request.
    pub req: Req,
    /// Its serial (to notice a recycled slot).
    pub serial: u32,
    /// What to run.
    pub func: TwFunc,
    /// Queued with `IOU_F_TWQ_LAZY_WAKE`.
    pub lazy: bool,
}

/// `struct io_ring_ctx`: one ring instance.
pub struct IoRingCtx {
    /// Ring id (1-based; 0 means none).
    pub id: u32,
    /// The ring's descriptor.
    pub fd: i32,
    /// `IORING_SETUP_*`.
    pub flags: u32,
    /// Offsets and sizes of the regions.
    pub layout: RingLayout,
    /// The SQ/CQ ring region.
    pub rings: Region,
    /// The SQE region.
    pub sqes: Region,
    /// `sq_entries - 1`.
    pub sq_mask: u32,
    /// `cq_entries - 1`.
    pub cq_mask: u32,
    /// `ctx->cached_sq_head`: SQEs consumed but not yet published in `sq.head`.
    pub cached_sq_head: u32,
    /// `ctx->cached_cq_tail`: CQEs written but not yet published in `cq.tail`.
    pub cached_cq_tail: u32,
    /// `ctx->cqe_cached` / `ctx->cqe_sentinel`: the CQ range the last `io_cqe_cache_refill`
    /// found free, in 16-byte `struct io_uring_cqe` units (a `CQE32` ring's slot is two).
    /// CQEs are written from it without looking at the ring again until it runs out.
    pub cqe_cached: u32,
    /// End of that range.
    pub cqe_sentinel: u32,
    /// Simulator bookkeeping: a filler moved `cached_cq_tail` past `cqe_cached` and no refill
    /// has resynchronised them yet (for the `sim_cqe_cache_quirk` trace record).
    pub cqe_behind: bool,
    /// The request slab.
    pub reqs: Vec<Box<IoKiocb>>,
    /// Free slab indices (the request cache), used last-in first-out like the kernel's.
    pub free: Vec<u32>,
    /// `submit_state.compl_reqs`: completions waiting for the next flush.
    pub compl_reqs: Vec<u32>,
    /// `ctx->cq_overflow_list`.
    pub overflow: VecDeque<OverflowCqe>,
    /// `IO_CHECK_CQ_DROPPED_BIT`.
    pub cq_dropped_pending: bool,
    /// `ctx->drain_disabled`: set once a CQE_SKIP_SUCCESS request was seen.
    pub drain_disabled: bool,
    /// `submit_state.link`: head and last of the chain being assembled.
    pub link_head: Option<u32>,
    /// Last request of the chain being assembled.
    pub link_last: Option<u32>,
    /// DEFER_TASKRUN local work (`ctx->work_llist`).
    pub local_work: VecDeque<TwItem>,
    /// `ctx->cancelable_uring_cmd`.
    pub cancelable: Vec<u32>,
    /// `ctx->iopoll_list`: requests issued on an IOPOLL ring that wait to be polled, in issue
    /// order (`io_iopoll_req_issued` adds at the tail).
    pub iopoll_list: Vec<u32>,
    /// Provenance of each byte of the SQE region (who wrote it last).
    pub sqe_prov: Vec<Prov>,
    /// Whether the ring was torn down.
    pub dead: bool,
    /// The exit work's progress (see [`crate::io_uring::exit`]).
    pub exit: ExitProgress,
    /// `ctx->file_table`: registered files (`IORING_REGISTER_FILES`), by index.
    pub file_table: Vec<Option<FileRef>>,
    /// `ctx->defer_list`: requests held back by `IOSQE_IO_DRAIN`.
    pub defer_list: VecDeque<u32>,
    /// `ctx->nr_drained`: requests (counting link members) on the defer list.
    pub nr_drained: u32,
    /// `ctx->drain_active`.
    pub drain_active: bool,
    /// `ctx->drain_next`: drain the request after the current link.
    pub drain_next: bool,
    /// Async poll, timeout and link-timeout lists (`opdata.rs`).
    pub ops: super::opdata::RingOps,
    /// `ctx->sq_data`: the SQPOLL thread, for an `IORING_SETUP_SQPOLL` ring.
    pub sqd: Option<Box<super::sqpoll::SqData>>,
}

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

/// A request as the UI sees it (one `rs_req_info` result). Part of the wasm ABI.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ReqInfo {
    /// Serial number.
    pub serial: u32,
    /// Slab index.
    pub index: u32,
    /// `ReqState` value.
    pub state: u8,
    /// `IORING_OP_*`.
    pub opcode: u8,
    /// `IOSQE_*`.
    pub sqe_flags: u8,
    /// 1 while the driver's `->uring_cmd()` runs.
    pub in_issue: u8,
    /// `REQ_F_*` bits.
    pub flags: u32,
    /// The request's user_data.
    pub user_data: u64,
    /// The SQE's fd.
    pub fd: i32,
    /// `cmd_op`.
    pub cmd_op: u32,
    /// `ioucmd->flags` (user bits plus CANCELABLE/REISSUE).
    pub cmd_flags: u32,
    /// The CQE's `res`.
    pub res: i32,
    /// The CQE's `flags`.
    pub cflags: u32,
    /// How many times the issue handler was called.
    pub issues: u32,
    /// The extra words of a 32-byte CQE.
    pub big_cqe: [u64; 2],
    /// The 32-byte PDU.
    pub pdu: [u8; PDU_SIZE],
    /// [`Prov`] of each PDU byte.
    pub pdu_prov: [u8; PDU_SIZE],
    /// Source location (`file << 16 | line`) of the last write of each PDU byte.
    pub pdu_src: [u32; PDU_SIZE],
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
