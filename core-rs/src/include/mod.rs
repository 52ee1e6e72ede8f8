//! The header layer: types and constants both halves of the simulated C kernel share.
//!
//! Mirrors: `include/linux/` (kernel-internal headers, as opposed to `include/uapi/`, which is
//! [`crate::uapi`]). Nothing here calls into `io_uring/` or `linux/`; both import from here, so
//! neither has to import the other for a constant.

#![allow(non_camel_case_types)]

pub mod fs;
pub mod io_uring_cmd;
pub mod io_uring_types;
pub mod linux;
