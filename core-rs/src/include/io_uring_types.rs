//! Kernel-internal io_uring constants: the issue flags a handler is called with.
//!
//! Mirrors: `enum io_uring_cmd_flags` of `include/linux/io_uring_types.h` (values as of about
//! v6.19) and two constants of `include/linux/io_uring/cmd.h` and `io_uring/tw.h`.

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
