//! Files, file operations and the descriptor table.
//!
//! Mirrors: `include/linux/fs.h` (`struct file`, `struct file_operations` with its `uring_cmd`
//! slot), `fs/file.c` (`fget`), and the `f_op` tables of the file kinds the simulator knows.
//!
//! Differences from upstream: one process, one descriptor table; files are boxed in a slab and
//! never move, so `ioucmd->file` can be a raw pointer like the kernel's.

use core::ffi::c_void;

pub use crate::include::fs::*;
pub use crate::include::linux::FdTable;
use crate::sim::Sim;

/// File operations of files without a `uring_cmd` slot (regular files, pipes, /dev/null, ...).
pub static PLAIN_FOPS: file_operations = file_operations {
    name: "generic_fops",
    uring_cmd: None,
    uring_cmd_iopoll: None,
    release: None,
};

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

/// `fput`: drops a file reference; the last one releases the object behind the file and runs
/// the file's `->release()` ([`__fput`]).
pub fn fput(s: &mut Sim, f: FileRef) {
    if let Some(fl) = s.linux.fds.put(f) {
        crate::linux::syscalls::release_obj(s, &fl);
        __fput(fl);
    }
}

/// `__fput`: runs a file's `->release()` and frees it. Called with no simulator borrow held
/// by the caller's users of the file (the release may call back into the kernel).
pub fn __fput(fl: Box<file>) {
    if let Some(rel) = fl.f_op.release {
        let p = Box::into_raw(fl);
        // SAFETY: `p` came from `Box::into_raw` just above and is freed right after; `rel` is
        // the file's own `->release()`, called once for its last reference.
        unsafe {
            rel(p);
            drop(Box::from_raw(p));
        }
    }
}
