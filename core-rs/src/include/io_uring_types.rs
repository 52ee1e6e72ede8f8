//! Kernel-internal io_uring types: the issue flags a handler is called with, the request
//! (`struct io_kiocb`) and its handle, the ring context (`struct io_ring_ctx`), task_work
//! items, and io_uring's share of the machine's state ([`IoUringState`]).
//!
//! Mirrors: `include/linux/io_uring_types.h` (`enum io_uring_cmd_flags`, values as of about
//! v6.19; `struct io_ring_ctx`, `struct io_kiocb`) and two constants of
//! `include/linux/io_uring/cmd.h` and `io_uring/tw.h`. As in the kernel, the types live in the
//! header, below every subsystem that uses them (`sim` holds the state, `io_uring/` the code);
//! their methods stay with the code in `io_uring/`.

use std::collections::VecDeque;

use super::fs::{FileRef, UringCmdTwFn};
use super::io_uring_cmd::{io_uring_cmd, PDU_SIZE};
use crate::ring::{Region, RingLayout};
use crate::uapi::io_uring::io_uring_cqe;

/// The completion may be deferred to the batch flush (the caller holds `uring_lock`).
pub const IO_URING_F_COMPLETE_DEFER: u32 = 1;
/// The caller does not hold `uring_lock` (io-wq).
pub const IO_URING_F_UNLOCKED: u32 = 2;
/// A multishot request.
pub const IO_URING_F_MULTISHOT: u32 = 4;
/// Issued from an io-wq worker.
pub const IO_URING_F_IOWQ: u32 = 8;
/// Issued inline from the submitting task.
pub const IO_URING_F_INLINE: u32 = 16;
/// The handler must not block.
pub const IO_URING_F_NONBLOCK: u32 = 1 << 31;
/// The ring uses 128-byte SQEs.
pub const IO_URING_F_SQE128: u32 = 1 << 8;
/// The ring uses 32-byte CQEs.
pub const IO_URING_F_CQE32: u32 = 1 << 9;
/// The ring polls for completions.
pub const IO_URING_F_IOPOLL: u32 = 1 << 10;
/// The call is a cancellation (`io_uring_try_cancel_uring_cmd`).
pub const IO_URING_F_CANCEL: u32 = 1 << 11;
/// The task is a compat (32-bit) task.
pub const IO_URING_F_COMPAT: u32 = 1 << 12;
/// `IO_URING_F_TASK_DEAD` (6.8–6.18; gone in 6.19): set by 6.18's `io_uring_cmd_work` when
/// `io_should_terminate_tw(ctx)`.
pub const IO_URING_F_TASK_DEAD: u32 = 1 << 13;
/// `IO_URING_CMD_TASK_WORK_ISSUE_FLAGS` (include/linux/io_uring/cmd.h).
pub const IO_URING_CMD_TASK_WORK_ISSUE_FLAGS: u32 = IO_URING_F_COMPLETE_DEFER;
/// `IOU_F_TWQ_LAZY_WAKE` (io_uring/tw.h).
pub const IOU_F_TWQ_LAZY_WAKE: u32 = 1;

/// A handle to one request: the simulator's `struct io_kiocb *`.
///
/// The kernel passes requests around as pointers to `struct io_kiocb` (and the Rust
/// abstraction's `IoUringCmd` wraps the `struct io_uring_cmd` at its start). Requests here live
/// in a per-ring slab, so the handle names the ring and the slab index; it is small and `Copy`
/// like a pointer. It is resolved only through `Sim::req` / `Sim::req_mut`, which return `None`
/// for a ring or slot that does not exist. A handle to a slot that was freed and reused still
/// resolves (as a dangling kernel pointer would); code that must notice recycling keeps the
/// request's serial next to the handle, as task_work items and io-wq entries do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Req {
    /// Ring id (1-based).
    pub ring: u32,
    /// Index in the ring's request slab.
    pub idx: u32,
}

impl Req {
    /// The handle of slot `idx` of ring `ring`.
    pub const fn new(ring: u32, idx: u32) -> Req {
        Req { ring, idx }
    }
}

/// Who last wrote a byte the UI shows (SQE, CQE, PDU or user memory).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prov {
    /// Never written since the memory was allocated (zero from `__GFP_ZERO`).
    Fresh = 0,
    /// Written by userspace.
    User = 1,
    /// Written by the io_uring core (prep, CQE fill).
    Core = 2,
    /// Written by the driver (`write_pdu`).
    Driver = 3,
    /// Left over from a previous request that used the same recycled object.
    Stale = 4,
    /// Zeroed on purpose (RFC patch 2 in prep, or the v5 wrapper).
    Zeroed = 5,
}

/// Where a request is in its life (docs/kernel-notes.md §3.10; one state per box of the state
/// diagram).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReqState {
    /// In the request cache, not in use.
    Free = 0,
    /// Initialised and prepped from its SQE.
    Prepped = 1,
    /// Queued for an io-wq worker.
    IowqQueued = 2,
    /// The issue handler is running.
    Issuing = 3,
    /// Issued, waiting for the driver (`-EIOCBQUEUED`).
    Inflight = 4,
    /// A task_work item for it is queued.
    TwPending = 5,
    /// Completed; its CQE waits in the deferred completion list.
    CompletePending = 6,
    /// Its CQE was posted (to the CQ ring or the overflow list).
    Done = 7,
    /// Failed at init/prep.
    FailedPrep = 8,
    /// Waiting in a link chain for its predecessor.
    Linked = 9,
}

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
    /// `req->refs`, meaningful with `REQ_F_REFCOUNT` (`io_uring::types`).
    pub refs: u32,
    /// State of the opcodes in `rw.rs`, `poll.rs`, `timeout.rs` and `cancel.rs`.
    pub op: OpData,
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
    UringCmd(UringCmdTwFn),
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
    /// `ctx->buf_table`: registered buffers (`IORING_REGISTER_BUFFERS`) as `(address, length)`,
    /// by index; `None` for a sparse entry (a NULL base with length 0).
    pub buf_table: Vec<Option<(u64, u64)>>,
    /// `ctx->defer_list`: requests held back by `IOSQE_IO_DRAIN`.
    pub defer_list: VecDeque<u32>,
    /// `ctx->nr_drained`: requests (counting link members) on the defer list.
    pub nr_drained: u32,
    /// `ctx->drain_active`.
    pub drain_active: bool,
    /// `ctx->drain_next`: drain the request after the current link.
    pub drain_next: bool,
    /// Async poll, timeout and link-timeout lists (`opdata.rs`).
    pub ops: RingOps,
}

/// A request as the UI sees it (one `rs_req_info` result). Part of the wasm ABI.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
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

/// Per-request state of the opcodes in `rw.rs`, `poll.rs`, `timeout.rs` and `cancel.rs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpData {
    /// `rw->kiocb.ki_pos` (`sqe->off`; -1 means the file position).
    pub pos: i64,
    /// `rw->addr`: the user buffer.
    pub addr: u64,
    /// `rw->len`.
    pub len: u32,
    /// `rw->flags` (`RWF_*`).
    pub rw_flags: u32,
    /// `req->buf_index` (READ_FIXED/WRITE_FIXED: the registered buffer).
    pub buf_index: u16,
    /// `apoll->poll.retries`: async-poll arms left (`APOLL_MAX_RETRY` at the first arm).
    pub apoll_retries: u32,
    /// `io->bytes_done`: bytes a short write already moved (`io_fixup_rw_res`).
    pub bytes_done: u32,
    /// The events the armed poll waits for (`apoll->poll.events`); 0 when not armed.
    pub poll_events: u32,
    /// The armed poll was cancelled (`io_poll_mark_cancelled`).
    pub poll_cancelled: bool,
    /// POLL_ADD: the wake-up mask stashed for the task_work (`req->cqe.res` in
    /// `__io_poll_execute`); 0 means "poll the file again".
    pub poll_res: u32,
    /// POLL_ADD: a task_work run is queued (the waker took `poll_refs` ownership); further
    /// wake-ups only ask it to look again.
    pub poll_tw: bool,
    /// Timeout: the time from the SQE's timespec, in nanoseconds.
    pub ts_ns: u64,
    /// `IORING_TIMEOUT_*` flags.
    pub timeout_flags: u32,
    /// `timeout->off`: completions to wait for (0: a pure timeout).
    pub off: u32,
    /// `timeout->target_seq`.
    pub target_seq: u32,
    /// The simulator timer (`Timer::seq`) standing for the hrtimer; 0 when not armed.
    pub timer: u64,
    /// `LINK_TIMEOUT`: the request it guards (`timeout->head`), by slab index and serial.
    pub head: Option<(u32, u32)>,
    /// `TIMEOUT_REMOVE` / `ASYNC_CANCEL`: the user_data to look for (`sqe->addr`).
    pub target: u64,
    /// `ASYNC_CANCEL`: `sqe->cancel_flags` (`IORING_ASYNC_CANCEL_*`).
    pub cancel_flags: u32,
    /// `ASYNC_CANCEL` with `IORING_ASYNC_CANCEL_FD`: the descriptor (`sqe->fd`).
    pub cancel_fd: i32,
    /// `ASYNC_CANCEL` with `IORING_ASYNC_CANCEL_OP`: the opcode (`sqe->len`).
    pub cancel_op: u8,
    /// `req->cancel_seq` with `REQ_F_CANCEL_SEQ`: the cancel round that matched this request
    /// already (`io_cancel_match_sequence`), so a CANCEL_ALL/ANY counts it once.
    pub cancel_seq: Option<u32>,
    /// SEND/RECV: `sr->msg_flags` (`MSG_*`).
    pub msg_flags: u32,
    /// SEND/RECV: `sr->flags` (`IORING_RECVSEND_*`, `IORING_RECV_MULTISHOT`, from `ioprio`);
    /// ACCEPT: `accept->iou_flags`.
    pub sr_flags: u16,
    /// SEND/RECV: `sr->done_io`, bytes moved by earlier attempts (`MSG_WAITALL`).
    pub done_io: u32,
    /// SEND/RECV with `IOSQE_BUFFER_SELECT`: `sr->buf_group`; PROVIDE/REMOVE_BUFFERS: `bgid`.
    pub buf_group: u16,
    /// The provided buffer the request holds (`req->kbuf`).
    pub kbuf: Option<Kbuf>,
    /// ACCEPT: `accept->flags` (`SOCK_CLOEXEC`, `SOCK_NONBLOCK`).
    pub accept_flags: u32,
    /// PROVIDE/REMOVE_BUFFERS: `p->nbufs`.
    pub nbufs: u32,
    /// PROVIDE_BUFFERS: `p->bid`, the first buffer id.
    pub bid: u16,
}

/// A provided buffer (`struct io_buffer`): where it is in user memory, how long, its id and
/// its group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kbuf {
    /// `buf->addr`.
    pub addr: u64,
    /// `buf->len`.
    pub len: u32,
    /// `buf->bid`.
    pub bid: u16,
    /// `buf->bgid`.
    pub bgid: u16,
    /// Taken from a registered buffer ring (`REQ_F_BUFFER_RING`): giving it up for good
    /// advances the ring's head (`io_kbuf_commit`); recycling it leaves the head alone.
    pub ring: bool,
}

/// A registered provided-buffer ring (`IOBL_BUF_RING`): `struct io_uring_buf` entries in the
/// program's memory, the tail published by the program in the first entry's `resv` field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BufRing {
    /// `reg.ring_addr`: the ring in user memory.
    pub addr: u64,
    /// `bl->mask` + 1.
    pub entries: u32,
    /// `bl->head`: the next entry the kernel takes (kernel-private).
    pub head: u16,
}

/// A provided-buffer group (`struct io_buffer_list`): classic buffers in selection order, or a
/// registered ring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BufList {
    /// `bl->bgid`.
    pub bgid: u16,
    /// `bl->buf_list`.
    pub bufs: std::collections::VecDeque<Kbuf>,
    /// The registered ring, for a group registered with `IORING_REGISTER_PBUF_RING`.
    pub ring: Option<BufRing>,
}

/// Per-ring lists of the same subsystems.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RingOps {
    /// Requests waiting on a file's wait queue through async poll (`ctx->cancel_table`), by slab
    /// index, in arming order.
    pub apoll: Vec<u32>,
    /// `ctx->timeout_list`: armed TIMEOUT requests by slab index; counted ones sorted by target.
    pub timeouts: Vec<u32>,
    /// `ctx->ltimeout_list`: armed LINK_TIMEOUT requests by slab index.
    pub ltimeouts: Vec<u32>,
    /// `ctx->cq_timeouts`: timeouts that completed (they do not count as events).
    pub cq_timeouts: u32,
    /// `ctx->cq_last_tm_flush`.
    pub cq_last_tm_flush: u32,
    /// `ctx->off_timeout_used`: a counted timeout was ever queued.
    pub off_timeout_used: bool,
    /// `ctx->submit_state.cq_flush`: an auxiliary CQE (a multishot poll's) was posted and the
    /// CQ tail must be published at the end of the task_work batch.
    pub cq_flush: bool,
    /// `ctx->cancel_seq`: the last cancel round's number.
    pub cancel_seq: u32,
    /// The user segments each read/write request imported (`io->iter` of its
    /// `struct io_async_rw`: one `(base, len)` for READ/WRITE and the fixed opcodes, the iovec
    /// array for READV/WRITEV), by slab index; replaced at every prep.
    pub iov: std::collections::BTreeMap<u32, Vec<(u64, u64)>>,
    /// `ctx->io_bl_xa`: the provided-buffer groups, in creation order.
    pub buf_lists: Vec<BufList>,
}

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
    /// `io_get_ext_arg`: read the `EXT_ARG` argument (timeout, sigmask, min wait).
    WaitArgs,
    /// `io_cqring_wait`: run pending task_work first.
    WaitTw,
    /// `io_cqring_wait`: flush the overflow list.
    WaitOverflow,
    /// `io_cqring_wait`: return at once if enough CQEs are there, else set up the wait.
    WaitInit,
    /// `io_cqring_wait_schedule`: decide whether to sleep.
    WaitCheck,
    /// Asleep until a CQE, task_work, or a timeout wakes the task.
    Sleeping,
    /// Woken: run task_work, flush overflow, check whether the wait is over.
    WaitAfter,
    /// `io_cqring_wait` returns: the error only if the CQ ring is empty.
    WaitDone,
    /// Returning to user mode: run pending task_work (`tctx_task_work`).
    ExitTw,
    /// IOPOLL ring: the start of `io_iopoll_check` (overflow flush, return at once when CQEs
    /// are waiting).
    IoPollInit,
    /// IOPOLL ring: one iteration unit of the `io_iopoll_check` loop (task_work, then one
    /// `io_do_iopoll` pass).
    IoPoll,
    /// SQPOLL ring, `IORING_ENTER_SQ_WAIT`: `io_sqpoll_wait_sq` sleeps while the SQ ring is
    /// full.
    SqWait,
}

/// An `io_uring_enter` in progress.
#[derive(Clone, Copy, Debug)]
pub struct EnterCall {
    /// The descriptor the call was made on.
    pub fd: i32,
    /// The ring it names.
    pub ring: u32,
    /// `to_submit` as passed.
    pub to_submit: u32,
    /// `min_complete` as passed.
    pub min_complete: u32,
    /// `IORING_ENTER_*` flags as passed.
    pub flags: u32,
    /// The `arg` pointer as passed.
    pub arg: u64,
    /// `argsz` as passed.
    pub argsz: u32,
    /// Where the call is.
    pub phase: Phase,
    /// SQEs the submit part will consume (`min(to_submit, sq entries ready)`).
    pub entries: u32,
    /// SQEs still to consume.
    pub left: u32,
    /// The submit part's result (`io_submit_sqes`), or the early error.
    pub ret: i32,
    /// The wait part ran (its result `wait_ret` replaces `ret` if that is 0).
    pub waited: bool,
    /// The wait part's result.
    pub wait_ret: i32,
    /// How many CQEs the wait part waits for.
    pub min_events: u32,
    /// `iowq.cq_tail`: CQ head at wait start plus `min_events`.
    pub wait_target: u32,
    /// `iowq.cq_min_tail`: CQ tail at wait start.
    pub cq_min_tail: u32,
    /// Absolute timeout (`iowq.timeout`), if any.
    pub deadline: Option<u64>,
    /// End of the `min_wait_usec` phase, while it lasts.
    pub min_deadline: Option<u64>,
    /// `iowq.hit_timeout`.
    pub hit_timeout: bool,
    /// `ext_arg.min_time` in nanoseconds.
    pub min_time: u64,
    /// `ext_arg.sig` / `ext_arg.argsz`: the sigmask pointer and its size.
    pub sig: u64,
    /// The sigmask's size (`ext_arg.argsz`).
    pub sigsz: u32,
    /// task_work items left in the batch being run.
    pub tw_batch: u32,
    /// The batch comes from the ring's DEFER_TASKRUN list.
    pub tw_batch_local: bool,
    /// Items run since the last flush.
    pub tw_ran: u32,
    /// task_work ran since the last completion flush.
    pub flush_pending: bool,
    /// `io_iopoll_check`: events reaped by polling so far (`nr_events`).
    pub iop_events: u32,
    /// `io_iopoll_check`: polling passes so far.
    pub iop_passes: u32,
    /// `io_iopoll_check`: the CQ tail before the task_work of this iteration ran, while it runs.
    pub iop_tail: Option<u32>,
}

/// The issue context the core handed to the code running now: who holds which flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssueCtx {
    /// Ring whose `uring_lock` is held (unless `flags` has `IO_URING_F_UNLOCKED`).
    pub ring: u32,
    /// The request the context was created for.
    pub serial: u32,
    /// The issue flags handed out.
    pub flags: u32,
}

/// Simulator-wide uring_cmd bookkeeping.
#[derive(Clone, Copy, Debug, Default)]
pub struct UringCmdCtx {
    /// The context of the `->uring_cmd()` call, uring_cmd task_work callback or cancel call
    /// running now; `None` in workqueues, timers and user mode.
    pub cur_issue: Option<IssueCtx>,
    /// `(ring, serial)` of the command whose `sqe()` was taken last (for `sim_sqe_read`).
    pub last_sqe: (u32, u32),
}

/// io_uring's share of the machine's state: its rings, io-wq's queue and the request serials
/// (the kernel's per-ring and per-io-wq data, reached from `struct io_ring_ctx` and
/// `struct io_uring_task`).
#[derive(Default)]
pub struct IoUringState {
    /// Rings by id − 1.
    pub rings: Vec<Option<Box<IoRingCtx>>>,
    /// io-wq's queue: (request, its serial when queued).
    pub iowq: VecDeque<(Req, u32)>,
    /// Next request serial number.
    pub serial: u32,
    /// uring_cmd bookkeeping: the issue context running now.
    pub ucmd: UringCmdCtx,
    /// task_work ran in user mode; its completions still need a flush.
    pub task_tw_flush: bool,
    /// Scratch buffer `rs_req_info` returns.
    pub req_info: ReqInfo,
}
