//! File status flags and `fcntl` commands.
//!
//! Mirrors: `include/uapi/asm-generic/fcntl.h` (x86-64 values) and
//! `include/uapi/linux/eventfd.h`-style flag aliases used by the simulated syscalls.

pub const O_ACCMODE: u32 = 0o3;
pub const O_RDONLY: u32 = 0o0;
pub const O_WRONLY: u32 = 0o1;
pub const O_RDWR: u32 = 0o2;
pub const O_CREAT: u32 = 0o100;
pub const O_EXCL: u32 = 0o200;
pub const O_TRUNC: u32 = 0o1000;
pub const O_APPEND: u32 = 0o2000;
pub const O_NONBLOCK: u32 = 0o4000;
pub const O_DIRECTORY: u32 = 0o200000;
pub const O_CLOEXEC: u32 = 0o2000000;
/// `__O_TMPFILE | O_DIRECTORY`: an unnamed regular file in a directory.
pub const O_TMPFILE: u32 = 0o20000000 | O_DIRECTORY;

/// `AT_FDCWD`: resolve relative to the working directory.
pub const AT_FDCWD: i32 = -100;

pub const F_GETFL: u32 = 3;
pub const F_SETFL: u32 = 4;

/// `fcntl(F_SETFL)` may change only these bits (`SETFL_MASK` in `fs/fcntl.c`, the subset modelled).
pub const SETFL_MASK: u32 = O_APPEND | O_NONBLOCK;
