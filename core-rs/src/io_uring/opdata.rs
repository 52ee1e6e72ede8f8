//! Per-request and per-ring state of the opcodes beyond NOP and URING_CMD (read/write, poll
//! arming, timeouts, cancel).
//!
//! Mirrors: `io_uring/rw.c` (`struct io_rw`), `io_uring/poll.c` (`struct async_poll`,
//! `ctx->cancel_table`), `io_uring/timeout.c` (`struct io_timeout`, `struct io_timeout_data`,
//! `ctx->timeout_list`, `ctx->ltimeout_list`, `ctx->cq_timeouts`, `ctx->cq_last_tm_flush`),
//! `io_uring/cancel.c` (`struct io_cancel`), and the `REQ_F_*` bits they use
//! (`include/linux/io_uring_types.h`).
//!
//! Differences from upstream: one flat struct per request instead of the kernel's per-opcode
//! union (`io_kiocb_to_cmd`), and the `REQ_F_*` bit values are the simulator's own (the kernel's
//! enum positions are not part of any ABI).

pub use crate::uapi::errno::ENOTMODELLED;

/// `REQ_F_NOWAIT`: no retry after `-EAGAIN` (`RWF_NOWAIT`).
pub const REQ_F_NOWAIT: u32 = 1 << 13;
/// `REQ_F_CUR_POS`: the request uses and updates the file position (offset -1).
pub const REQ_F_CUR_POS: u32 = 1 << 14;
/// `REQ_F_POLLED`: the request has been armed for async poll at least once.
pub const REQ_F_POLLED: u32 = 1 << 15;
/// `REQ_F_ARM_LTIMEOUT`: a `LINK_TIMEOUT` follows; arm it when the request goes async.
pub const REQ_F_ARM_LTIMEOUT: u32 = 1 << 16;
/// `REQ_F_LINK_TIMEOUT`: the linked timeout behind this request is armed.
pub const REQ_F_LINK_TIMEOUT: u32 = 1 << 17;
/// `REQ_F_ISREG`: the file is a regular file (`io_file_get_flags`).
pub const REQ_F_ISREG: u32 = 1 << 18;

/// What `sim_not_modelled` reports (its `b` field).
pub mod not_modelled {
    /// The opcode has no model (`a` = opcode).
    pub const OPCODE: i64 = 0;
    /// A field value of a modelled opcode has no model (`a` = opcode).
    pub const FIELD: i64 = 1;
    /// The request's file kind has no model for this opcode (`a` = opcode).
    pub const FILE: i64 = 2;
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
}
