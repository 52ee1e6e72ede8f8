//! Files and file operations as every subsystem sees them.
//!
//! Mirrors: `include/linux/fs.h` (`struct file`, `struct file_operations` with its `uring_cmd`
//! slot). The descriptor table and `fput` are `linux/fs.rs` (`fs/file.c`, `fs/file_table.c`).
//!
//! Differences from upstream: files are boxed in a slab and never move, so `ioucmd->file` can be
//! a raw pointer like the kernel's; [`FileKind`] stands in for the inode type.

use core::ffi::c_void;

use super::io_uring_cmd::io_uring_cmd;

/// A `->uring_cmd()` handler: `int (*uring_cmd)(struct io_uring_cmd *, unsigned int issue_flags)`.
pub type UringCmdFn = unsafe fn(*mut io_uring_cmd, u32) -> i32;

/// A `->uring_cmd_iopoll()` handler: `int (*uring_cmd_iopoll)(struct io_uring_cmd *, struct
/// io_comp_batch *, unsigned int poll_flags)`; returns how many completions it found (the
/// simulator has no `io_comp_batch`: found completions are completed by the driver itself).
pub type UringCmdIopollFn = unsafe fn(*mut io_uring_cmd, u32) -> i32;

/// A uring_cmd task_work callback (≥ v6.19 form: the command and a token saying whether the
/// task is exiting, `io_tw_token_t.cancel`).
pub type UringCmdTwFn = unsafe fn(*mut io_uring_cmd, TwToken);

/// `io_tw_token_t`: what task_work callbacks are told about the context they run in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TwToken {
    /// The task is exiting or the ring is going away (`tw.cancel`, 6.19).
    pub cancel: bool,
    /// The `issue_flags` 6.18's `io_uring_cmd_work` hands the callback:
    /// `IO_URING_F_COMPLETE_DEFER`, plus `IO_URING_F_TASK_DEAD` when the task or ring is going
    /// away. Under the 6.19 profile always `IO_URING_CMD_TASK_WORK_ISSUE_FLAGS`.
    pub issue_flags: u32,
}

/// `struct file_operations`, reduced to the slots the simulator models.
pub struct file_operations {
    /// A name for traces and the UI (the kernel has none; this is the fops table's symbol).
    pub name: &'static str,
    /// `->uring_cmd()`, or `None` when the file has no uring_cmd support.
    pub uring_cmd: Option<UringCmdFn>,
    /// `->uring_cmd_iopoll()`: polls for the command's completion on an `IORING_SETUP_IOPOLL`
    /// ring; without it such a ring refuses the file's commands (`-EOPNOTSUPP`).
    pub uring_cmd_iopoll: Option<UringCmdIopollFn>,
    /// `->release()`, called when the last reference goes away.
    pub release: Option<unsafe fn(*mut file)>,
}

/// What kind of object a file is (the simulator's stand-in for the inode type and `f_op`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// An io_uring instance (its ring id).
    IoUring(u32),
    /// A regular file on a disk file system.
    RegularFile,
    /// A directory.
    Directory,
    /// `/dev/null`.
    DevNull,
    /// `/dev/zero`.
    DevZero,
    /// The read end of a pipe.
    PipeRead,
    /// The write end of a pipe.
    PipeWrite,
    /// An eventfd.
    EventFd,
    /// An epoll instance.
    Epoll,
    /// A memfd.
    Memfd,
    /// `/dev/fuse`.
    DevFuse,
    /// `/dev/net/tun`.
    Tun,
    /// A socket; the index points into the socket table of `linux::net::Net`.
    Socket(u32),
    /// A misc device; the index is the registration's minor slot.
    Misc(u32),
}

/// `struct file`.
#[repr(C)]
pub struct file {
    /// `file->f_op`: the file's operations.
    pub f_op: &'static file_operations,
    /// `file->private_data`: for misc devices, the driver's object after `open`.
    pub private_data: *mut c_void,
    /// What the file is.
    pub kind: FileKind,
    /// Slab index of this file.
    pub id: u32,
    /// `f_count`: descriptor references plus requests holding the file.
    pub refs: u32,
    /// `file->f_flags`: access mode and status flags (`O_RDWR`, `O_NONBLOCK`, ...).
    pub f_flags: u32,
    /// Index of the object behind the file in its kind's table (pipe, inode, eventfd, ...);
    /// unused by kinds that carry their index in [`FileKind`].
    pub obj: u32,
}

/// Index of a file in the file slab.
pub type FileRef = u32;
