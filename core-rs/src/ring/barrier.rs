//! `READ_ONCE`/`WRITE_ONCE` and acquire/release shims for memory shared with userspace.
//!
//! Mirrors: `include/asm-generic/rwonce.h` and `include/asm-generic/barrier.h`, as used by
//! `io_uring.c` (see the memory-ordering comment at the top of that file).
//!
//! The simulator is single-threaded (wasm has one thread here), so these compile to volatile
//! accesses plus compiler fences. They exist because the code shape is what Ringside teaches:
//! every kernel read of userspace-writable memory goes through one of them, as review of the
//! Rust series asked ("the io_uring_sqe is user-mapped memory, so this load needs to be atomic").

use core::sync::atomic::{compiler_fence, Ordering};

/// Reads a `u32` exactly once.
///
/// # Safety
///
/// The caller must ensure `p` is valid for a 4-byte read and 4-byte aligned.
pub unsafe fn read_once_u32(p: *const u8) -> u32 {
    // SAFETY: the caller guarantees `p` is valid and aligned for a `u32` read.
    unsafe { core::ptr::read_volatile(p as *const u32) }
}

/// Writes a `u32` exactly once.
///
/// # Safety
///
/// The caller must ensure `p` is valid for a 4-byte write and 4-byte aligned.
pub unsafe fn write_once_u32(p: *mut u8, v: u32) {
    // SAFETY: the caller guarantees `p` is valid and aligned for a `u32` write.
    unsafe { core::ptr::write_volatile(p as *mut u32, v) }
}

/// Loads a `u32` with acquire ordering (`smp_load_acquire`).
///
/// # Safety
///
/// The caller must ensure `p` is valid for a 4-byte read and 4-byte aligned.
pub unsafe fn smp_load_acquire_u32(p: *const u8) -> u32 {
    // SAFETY: forwarded from the caller.
    let v = unsafe { read_once_u32(p) };
    compiler_fence(Ordering::Acquire);
    v
}

/// Stores a `u32` with release ordering (`smp_store_release`).
///
/// # Safety
///
/// The caller must ensure `p` is valid for a 4-byte write and 4-byte aligned.
pub unsafe fn smp_store_release_u32(p: *mut u8, v: u32) {
    compiler_fence(Ordering::Release);
    // SAFETY: forwarded from the caller.
    unsafe { write_once_u32(p, v) }
}
