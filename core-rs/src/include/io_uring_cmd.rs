//! The uring_cmd a driver sees.
//!
//! Mirrors: `include/linux/io_uring/cmd.h` (`struct io_uring_cmd`), laid out as in 6.18 on every
//! target (pointers are padded to 8 bytes on wasm32).

/// `u32` words that pad `file` and `sqe` of [`io_uring_cmd`] to 8 bytes each (0 on 64-bit).
pub const PTR_PAD: usize = (8 - core::mem::size_of::<usize>()) / 2;

/// The 32-byte driver-private area of a uring_cmd (`pdu[32]` of `struct io_uring_cmd`).
pub const PDU_SIZE: usize = 32;

/// `struct io_uring_cmd`: the part of a request a uring_cmd driver sees, laid out as in 6.18
/// (`include/linux/io_uring/cmd.h`): `file`@0, `sqe`@8, `task_work_cb`@16, `cmd_op`@24,
/// `flags`@28, `pdu`@32. It starts `struct io_kiocb`, which comes from a
/// `SLAB_HWCACHE_ALIGN` cache, hence the 64-byte alignment: the PDU is 32-byte aligned.
/// (6.19 drops `task_work_cb` and moves the PDU to offset 24, 8-byte aligned; see
/// [`crate::sim::KernelProfile`].)
#[repr(C, align(64))]
pub struct io_uring_cmd {
    /// The file the command is for.
    pub file: *mut super::fs::file,
    /// Points at the SQE in the SQ ring, or at the request's async copy once copied.
    pub sqe: *const u8,
    /// Pads the two pointers to 8 bytes each on 32-bit targets (wasm32), so the offsets below
    /// are the kernel's on every target.
    pub ptr_pad: [u32; PTR_PAD],
    /// 6.18's `io_uring_cmd_tw_t task_work_cb`; the simulator keeps the callback in the
    /// queued task_work item instead, so this slot only holds the layout.
    pub task_work_cb: u64,
    /// The driver's command (`sqe->cmd_op`).
    pub cmd_op: u32,
    /// `IORING_URING_CMD_*` flags (user bits plus the core's CANCELABLE/REISSUE).
    pub flags: u32,
    /// Driver-private bytes (`io_uring_cmd_to_pdu`).
    pub pdu: [u8; PDU_SIZE],
}
