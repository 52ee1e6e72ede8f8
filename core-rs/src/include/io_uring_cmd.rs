//! The uring_cmd a driver sees.
//!
//! Mirrors: `include/linux/io_uring/cmd.h` (`struct io_uring_cmd`). Pointers are 32-bit on wasm,
//! so the struct is smaller than the kernel's; the field order is the ≥6.19 one.

/// The 32-byte driver-private area of a uring_cmd (`pdu[32]` of `struct io_uring_cmd`).
pub const PDU_SIZE: usize = 32;

/// `struct io_uring_cmd`: the part of a request a uring_cmd driver sees.
#[repr(C)]
pub struct io_uring_cmd {
    pub file: *mut super::fs::file,
    /// Points at the SQE in the SQ ring, or at the request's async copy once copied.
    pub sqe: *const u8,
    pub cmd_op: u32,
    pub flags: u32,
    pub pdu: [u8; PDU_SIZE],
}
