//! Files, file operations and the descriptor table.
//!
//! Mirrors: `include/linux/fs.h` (`struct file`, `struct file_operations` with its `uring_cmd`
//! slot), `fs/file.c` (`fget`), and the `f_op` tables of the file kinds the simulator knows.
//!
//! Differences from upstream: one process, one descriptor table; files are boxed in a slab and
//! never move, so `ioucmd->file` can be a raw pointer like the kernel's.

use core::ffi::c_void;

use crate::io_uring::types::io_uring_cmd;

/// A `->uring_cmd()` handler: `int (*uring_cmd)(struct io_uring_cmd *, unsigned int issue_flags)`.
pub type UringCmdFn = unsafe fn(*mut io_uring_cmd, u32) -> i32;

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
    pub uring_cmd: Option<UringCmdFn>,
    /// `->release()`, called when the last reference goes away.
    pub release: Option<unsafe fn(*mut file)>,
}

/// What kind of object a file is (the simulator's stand-in for the inode type and `f_op`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    IoUring(u32),
    RegularFile,
    Directory,
    DevNull,
    DevZero,
    PipeRead,
    PipeWrite,
    EventFd,
    Epoll,
    Memfd,
    DevFuse,
    Tun,
    /// A socket; the index points into the socket table of [`crate::linux::net::Net`].
    Socket(u32),
    /// A misc device; the index is the registration's minor slot.
    Misc(u32),
}

/// `struct file`.
#[repr(C)]
pub struct file {
    pub f_op: &'static file_operations,
    /// `file->private_data`: for misc devices, the driver's object after `open`.
    pub private_data: *mut c_void,
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

/// File operations of files without a `uring_cmd` slot (regular files, pipes, /dev/null, ...).
pub static PLAIN_FOPS: file_operations = file_operations {
    name: "generic_fops",
    uring_cmd: None,
    release: None,
};

/// The io_uring instance's own `io_uring_fops` (no `uring_cmd`).
pub static IO_URING_FOPS: file_operations = file_operations {
    name: "io_uring_fops",
    uring_cmd: None,
    release: Some(crate::io_uring::exit::io_uring_release),
};

/// The descriptor table and the file slab.
#[derive(Default)]
pub struct FdTable {
    files: Vec<Option<Box<file>>>,
    fds: Vec<Option<FileRef>>,
}

/// The first descriptor number handed out (0..2 are stdin/stdout/stderr).
pub const FIRST_FD: i32 = 3;

impl FdTable {
    /// Creates a file and installs it at the lowest free descriptor (`get_unused_fd_flags`).
    pub fn install(
        &mut self,
        kind: FileKind,
        f_op: &'static file_operations,
        private_data: *mut c_void,
    ) -> i32 {
        self.install_obj(kind, f_op, private_data, 0, crate::uapi::fcntl::O_RDWR)
    }

    /// Like [`FdTable::install`], for a file with an object index and file status flags.
    pub fn install_obj(
        &mut self,
        kind: FileKind,
        f_op: &'static file_operations,
        private_data: *mut c_void,
        obj: u32,
        f_flags: u32,
    ) -> i32 {
        let id = self.files.len() as u32;
        self.files.push(Some(Box::new(file {
            f_op,
            private_data,
            kind,
            id,
            refs: 1,
            f_flags,
            obj,
        })));
        let slot = match self.fds.iter().position(|f| f.is_none()) {
            Some(i) => i,
            None => {
                self.fds.push(None);
                self.fds.len() - 1
            }
        };
        self.fds[slot] = Some(id);
        slot as i32 + FIRST_FD
    }

    /// Looks up a descriptor (`fget`).
    pub fn fget(&self, fd: i32) -> Option<FileRef> {
        if fd < FIRST_FD {
            return None;
        }
        self.fds.get((fd - FIRST_FD) as usize).copied().flatten()
    }

    /// Returns the file object.
    pub fn file(&self, f: FileRef) -> &file {
        self.files[f as usize]
            .as_ref()
            .expect("file reference to a freed file")
    }

    /// Returns the file object mutably.
    pub fn file_mut(&mut self, f: FileRef) -> &mut file {
        self.files[f as usize]
            .as_mut()
            .expect("file reference to a freed file")
    }

    /// Returns a raw pointer to the file (stable: files are boxed).
    pub fn file_ptr(&mut self, f: FileRef) -> *mut file {
        &mut **self.files[f as usize]
            .as_mut()
            .expect("file reference to a freed file")
    }

    /// Takes a reference (`get_file`).
    pub fn get(&mut self, f: FileRef) {
        self.file_mut(f).refs += 1;
    }

    /// Drops a reference (`fput`); returns the file when this was the last one, so the caller
    /// can run `->release()` outside any borrow of the simulator.
    pub fn put(&mut self, f: FileRef) -> Option<Box<file>> {
        let fl = self.file_mut(f);
        fl.refs -= 1;
        if fl.refs == 0 {
            self.files[f as usize].take()
        } else {
            None
        }
    }

    /// Removes a descriptor (`close`); returns the file if that dropped its last reference.
    pub fn close(&mut self, fd: i32) -> Result<Option<Box<file>>, i32> {
        let f = self.fget(fd).ok_or(crate::uapi::errno::EBADF)?;
        self.fds[(fd - FIRST_FD) as usize] = None;
        Ok(self.put(f))
    }

    /// Returns every open descriptor with its file.
    pub fn open_fds(&self) -> impl Iterator<Item = (i32, FileRef)> + '_ {
        self.fds
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.map(|f| (i as i32 + FIRST_FD, f)))
    }
}
