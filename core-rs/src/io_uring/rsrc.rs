//! Registered files: the table `IOSQE_FIXED_FILE` and `IORING_NOP_FIXED_FILE` index.
//!
//! Mirrors: `io_uring/rsrc.c` (`io_sqe_files_register`, `io_sqe_files_unregister`) and
//! `io_uring/io_uring.c` (`io_file_get_fixed`).
//!
//! Differences from upstream: no resource tags, no sparse registration (`fd == -1` entries
//! are refused with `-EINVAL`, as they are without `IORING_RSRC_REGISTER_SPARSE`), and no
//! `IORING_REGISTER_FILES_UPDATE`.

use super::*;
use crate::linux::fs::FileRef;

/// `io_sqe_files_register`: registers the `nr_args` descriptors of the `int` array at `arg`.
pub fn io_sqe_files_register(s: &mut Sim, ring: u32, arg: u64, nr_args: u32) -> i32 {
    if !live!(s.ring(ring)).file_table.is_empty() {
        return -EBUSY;
    }
    if nr_args == 0 {
        return -EINVAL;
    }
    if nr_args > IORING_MAX_FIXED_FILES {
        return -EMFILE;
    }
    let mut table: Vec<Option<FileRef>> = Vec::new();
    let mut err = 0;
    for i in 0..nr_args {
        let mut b = [0u8; 4];
        if s.linux
            .user
            .copy_from_user(&mut b, arg.wrapping_add(4 * u64::from(i)))
            .is_err()
        {
            err = -EFAULT;
            break;
        }
        let fd = i32::from_le_bytes(b);
        if fd == -1 {
            err = -EINVAL;
            break;
        }
        let f = match s.linux.fds.fget(fd) {
            Some(f) => f,
            None => {
                err = -EBADF;
                break;
            }
        };
        // io_uring instances cannot be registered.
        if matches!(
            s.linux.fds.file(f).kind,
            crate::linux::fs::FileKind::IoUring(_)
        ) {
            err = -EBADF;
            break;
        }
        s.linux.fds.get(f);
        table.push(Some(f));
    }
    if err != 0 {
        for f in table.into_iter().flatten() {
            fput(s, f);
        }
        return err;
    }
    live!(s.ring_mut(ring)).file_table = table;
    0
}

/// `io_sqe_files_unregister`.
pub fn io_sqe_files_unregister(s: &mut Sim, ring: u32) -> i32 {
    let table = core::mem::take(&mut live!(s.ring_mut(ring)).file_table);
    if table.is_empty() {
        return -ENXIO;
    }
    for f in table.into_iter().flatten() {
        fput(s, f);
    }
    0
}

/// `io_file_get_fixed`: the file at a registered index, if any.
pub fn io_file_get_fixed(s: &Sim, ring: u32, fd: i32) -> Option<FileRef> {
    if fd < 0 {
        return None;
    }
    s.ring(ring)?.file_table.get(fd as usize).copied().flatten()
}
