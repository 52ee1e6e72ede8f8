//! User-space API: the C layouts and constants userspace and the kernel agree on.
//!
//! Mirrors: `include/uapi/linux/io_uring.h`, `include/uapi/asm-generic/errno-base.h`,
//! `include/uapi/asm-generic/errno.h`, `include/linux/errno.h` (kernel-internal codes),
//! `include/uapi/asm-generic/ioctl.h`, `include/uapi/asm-generic/fcntl.h`,
//! `include/uapi/asm-generic/socket.h` and `include/linux/socket.h`.
//!
//! Names are the C names so a reader can hold this file against the headers.

#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]

pub mod errno;
pub mod fcntl;
pub mod io_uring;
pub mod ioctl;
pub mod socket;
