//! The wasm ABI: every `extern "C"` function the module exports, and its one import.
//!
//! # Contract
//!
//! - Pointers are `usize` (a `u32` address in wasm32 linear memory; a real address in native
//!   builds, which the integration tests use). JavaScript applies `>>> 0` before using them.
//! - Layouts are little-endian `#[repr(C)]` structs whose sizes and offsets are generated into
//!   `web/src/wasm/abi.generated.ts` by `cargo test` (`tests/abi.rs`).
//! - Userspace memory: the rings returned by [`rs_mmap`] and the user arena of
//!   [`rs_user_mem_base`]. JavaScript may write SQEs, the SQ index array, the SQ tail, the CQ
//!   head and user memory between calls, exactly as a process writes its mmap'd rings.
//! - Pointers returned by [`rs_trace_ptr`] are valid until the next call into the module.
//! - No export traps on bad arguments: they return a negative errno (or 0 for pointers).
//!   A trap means a simulator bug; the host then receives the panic text through `host_panic`
//!   and must not call the instance again.
//!
//! # Shape
//!
//! Each export is one line of ABI: it passes its arguments, through the one [`guard`], to one
//! core function (`io_uring::syscall`, `io_uring::enter`, `linux::syscalls`,
//! `linux::miscdevice`, `sched`, ...). Copying arguments in and out of user memory,
//! decoding them and checking them are the core's work, not the ABI's.
//!
//! # Re-entrancy
//!
//! The host never calls an export from inside the import.

pub mod cmd_exports;
pub mod exports;
pub mod ring_exports;

use crate::sim;

/// The ABI's one guard: runs `f` when a machine is installed, else returns `dead`. Exports that
/// touch the machine go through it, so a call before `rs_init` (or while the machine is being
/// torn down) gets a harmless answer instead of a trap.
pub(crate) fn guard<R>(dead: R, f: impl FnOnce() -> R) -> R {
    if sim::installed() {
        f()
    } else {
        dead
    }
}
