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

pub use crate::include::io_uring_types::{BufList, BufRing, Kbuf, OpData, RingOps};
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
/// `REQ_F_IMPORT_BUFFER`: a READ_FIXED/WRITE_FIXED still has to look up its registered buffer
/// (done at its first issue).
pub const REQ_F_IMPORT_BUFFER: u32 = 1 << 21;
/// `REQ_F_APOLL_MULTISHOT`: a multishot RECV or ACCEPT: its async poll stays armed and each
/// wake-up posts CQEs with `IORING_CQE_F_MORE`.
pub const REQ_F_APOLL_MULTISHOT: u32 = 1 << 19;
/// `REQ_F_BUFFER_SELECTED`: the request holds a provided buffer (`req->kbuf`).
pub const REQ_F_BUFFER_SELECTED: u32 = 1 << 20;

/// What `sim_not_modelled` reports (its `b` field).
pub mod not_modelled {
    /// The opcode has no model (`a` = opcode).
    pub const OPCODE: i64 = 0;
    /// A field value of a modelled opcode has no model (`a` = opcode).
    pub const FIELD: i64 = 1;
    /// The request's file kind has no model for this opcode (`a` = opcode).
    pub const FILE: i64 = 2;
}
