//! Ringside core: a deterministic simulator of Linux io_uring and its `uring_cmd` path.
//!
//! The crate is organised like the kernel so a reader can hold each module against upstream:
//!
//! ```text
//!  drivers/   sample drivers, written only against kernel::      (samples/rust/)
//!     │
//!  kernel/    the Rust-for-Linux abstraction, Rust names          (rust/kernel/)
//!     │
//!  bindings   the C side as Rust sees it (the only door from kernel/) (rust/bindings/)
//!     │
//!  sched      the scheduler and the system-call entry             (kernel/sched/, arch/x86/entry/)
//!     │
//!  io_uring/ → linux/  the simulated C kernel, C names            (io_uring/, fs/, net/, ...)
//!     │
//!  sim/       the machine's state, per subsystem, and its clock   (no upstream counterpart)
//!     │
//!  include/   kernel-internal types, the state's structs          (include/linux/)
//!  ring/  uapi/        shared memory and the user ABI             (include/uapi/linux/io_uring.h)
//!  trace/     tracepoint-named records                            (include/trace/events/io_uring.h)
//!
//!  ffi/       the only `extern "C"` surface (the wasm ABI)        (no upstream counterpart)
//! ```
//!
//! The core is sans-I/O: it never reads a clock, a file or randomness. It builds natively for
//! `cargo test` and for `wasm32-unknown-unknown` with Rust 1.63 and no dependencies.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod bindings;
pub mod drivers;
pub mod ffi;
pub mod include;
pub mod io_uring;
pub mod kernel;
pub mod linux;
pub mod ring;
pub mod sched;
pub mod sim;
pub mod trace;
// The user ABI mirrors include/uapi/, whose constants and fields upstream leaves undocumented.
#[allow(missing_docs)]
pub mod uapi;
