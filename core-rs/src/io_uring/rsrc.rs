//! Registered files (the table `IOSQE_FIXED_FILE` and `IORING_NOP_FIXED_FILE` index) and
//! registered buffers (the table READ_FIXED and WRITE_FIXED index with `buf_index`).
//!
//! Mirrors: `io_uring/rsrc.c` (`io_sqe_files_register`, `io_sqe_files_unregister`,
//! `io_sqe_buffers_register`, `io_buffer_validate`, `io_sqe_buffer_register`,
//! `io_sqe_buffers_unregister`) and `io_uring/io_uring.c` (`io_file_get_fixed`).
//!
//! Registered buffers as the recordings `fixed_*` show them on 6.18: the whole array is
//! refused with the first element's error and nothing stays registered; a NULL base with
//! length 0 is a sparse (empty) slot; pinning is modelled as "the range is mapped user memory"
//! (`-EFAULT` otherwise). No resource tags, no `IORING_REGISTER_BUFFERS2`/`_UPDATE`, no
//! huge-page coalescing, no memory accounting (`RLIMIT_MEMLOCK`).
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

/// `SZ_1G`: the longest buffer `io_buffer_validate` accepts.
const SZ_1G: u64 = 1 << 30;

/// `io_sqe_buffers_register`: registers the `nr_args` `struct iovec` at `arg`.
pub fn io_sqe_buffers_register(s: &mut Sim, ring: u32, arg: u64, nr_args: u32) -> i32 {
    if !live!(s.ring(ring)).buf_table.is_empty() {
        return -EBUSY;
    }
    if nr_args == 0 || nr_args > IORING_MAX_REG_BUFFERS {
        return -EINVAL;
    }
    let mut table: Vec<Option<(u64, u64)>> = Vec::new();
    for i in 0..nr_args {
        let mut b = [0u8; 16];
        if s.linux
            .user
            .copy_from_user(&mut b, arg.wrapping_add(16 * u64::from(i)))
            .is_err()
        {
            return -EFAULT;
        }
        let base = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        let len = u64::from_le_bytes([b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]]);
        // `io_buffer_validate`.
        if base == 0 {
            if len != 0 {
                return -EFAULT;
            }
            table.push(None);
            continue;
        }
        if len == 0 || len > SZ_1G {
            return -EFAULT;
        }
        if base.checked_add(len + 4095).is_none() {
            return -EOVERFLOW;
        }
        // `io_sqe_buffer_register` → `io_pin_pages`: every page must be mapped user memory.
        if !s.linux.user.access_ok(base, len as usize) {
            return -EFAULT;
        }
        table.push(Some((base, len)));
    }
    live!(s.ring_mut(ring)).buf_table = table;
    0
}

/// `io_sqe_buffers_unregister`: `-ENXIO` when nothing is registered. Requests that already
/// imported a buffer keep using it (see `rw.rs`, `io_import_reg_buf`).
pub fn io_sqe_buffers_unregister(s: &mut Sim, ring: u32) -> i32 {
    let table = core::mem::take(&mut live!(s.ring_mut(ring)).buf_table);
    if table.is_empty() {
        return -ENXIO;
    }
    0
}
