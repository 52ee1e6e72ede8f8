//! The Rust-for-Linux abstractions drivers are written against.
//!
//! Mirrors: `rust/kernel/` (the parts the uring_cmd series touches), with Rust names as in the
//! patches. Modules here reach the simulated C kernel only through [`crate::bindings`], and
//! drivers (`crate::drivers`) reach it only through this module.
//!
//! Two generations of the uring_cmd abstraction live side by side: [`io_uring::v3`] with
//! [`miscdevice::v3`] (RFC v3, Aug 2025: the seed) and [`io_uring`] with [`miscdevice`]
//! (v5, Apr 2026: typestate). Each sample driver uses one of them.

pub mod device;
pub mod error;
pub mod fs;
pub mod io_uring;
pub mod ioctl;
pub mod miscdevice;
pub mod prelude;
pub mod print;
pub mod sync;
pub mod time;
pub mod transmute;
pub mod types;
pub mod uaccess;
pub mod workqueue;
