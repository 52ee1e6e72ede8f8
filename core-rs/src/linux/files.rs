//! The simple file kinds and every kind's `file_operations` table.
//!
//! Mirrors: `drivers/char/mem.c` (`null_fops` with `.uring_cmd = uring_cmd_null`, `zero_fops`),
//! `fs/eventfd.c` (`eventfd_read`, `eventfd_write`), `fs/eventpoll.c` (`epoll_create1`),
//! `mm/memfd.c` and `mm/shmem.c` (`memfd_create`), `fs/namei.c` (`O_TMPFILE`), `fs/ioctl.c`
//! (`FIONBIO`, `FIONREAD` on regular files), `drivers/net/tun.c` (`tun_chr_read_iter` before
//! `TUNSETIFF`: `-EBADFD`), `fs/fuse/dev.c` and `fs/fuse/dev_uring.c` (`fuse_uring_cmd`).
//!
//! Only `/dev/null`, sockets and `/dev/fuse` have a `->uring_cmd()` among these kinds; every
//! other kind answers `IORING_OP_URING_CMD` with `-EOPNOTSUPP` from `io_uring_cmd`.
//!
//! Differences from upstream: the file position of a regular file or memfd lives in its inode
//! (each is opened once in the modelled programs); `/dev/fuse`'s command handler stops where an
//! unmounted device stops, with the answers measured on Linux 6.18.44 (`-EINVAL` without
//! `IO_URING_F_SQE128`, `-EPERM` with it, `fuse.enable_uring=N`).

use crate::include::io_uring_cmd::io_uring_cmd;
use crate::include::io_uring_types::{IO_URING_F_CANCEL, IO_URING_F_SQE128};
pub use crate::include::linux::Inode;
use crate::linux::fs::file_operations;
use crate::uapi::errno::*;

/// `uring_cmd_null`: `/dev/null` completes every command with 0 (`drivers/char/mem.c`).
///
/// # Safety
///
/// Called as a `->uring_cmd()` handler with a live command; it does not touch it.
pub unsafe fn uring_cmd_null(_cmd: *mut io_uring_cmd, _issue_flags: u32) -> i32 {
    0
}

/// `fuse_uring_cmd` on a `/dev/fuse` that no file system was mounted with.
///
/// # Safety
///
/// Called as a `->uring_cmd()` handler with a live command; it does not touch it.
pub unsafe fn fuse_uring_cmd(_cmd: *mut io_uring_cmd, issue_flags: u32) -> i32 {
    if issue_flags & IO_URING_F_CANCEL != 0 {
        return 0;
    }
    // The fuse_uring_cmd_req lives in the 128-byte SQE's command area.
    if issue_flags & IO_URING_F_SQE128 == 0 {
        return -EINVAL;
    }
    // `fuse_get_dev`: no connection is attached to this device.
    -EPERM
}

macro_rules! fops {
    ($(#[$m:meta])* $id:ident, $name:expr, $cmd:expr) => {
        $(#[$m])*
        pub static $id: file_operations = file_operations {
            name: $name,
            uring_cmd: $cmd,
            // No file outside drivers/nvme has an iopoll hook (NVMe's char devices).
            uring_cmd_iopoll: None,
            release: None,
        };
    };
}

fops!(
    /// `/dev/null` (`null_fops`).
    NULL_FOPS,
    "null_fops",
    Some(uring_cmd_null)
);
fops!(
    /// `/dev/zero` (`zero_fops`).
    ZERO_FOPS,
    "zero_fops",
    None
);
fops!(
    /// Pipe ends (`pipefifo_fops`).
    PIPE_FOPS,
    "pipefifo_fops",
    None
);
fops!(
    /// eventfd (`eventfd_fops`).
    EVENTFD_FOPS,
    "eventfd_fops",
    None
);
fops!(
    /// epoll instances (`eventpoll_fops`).
    EPOLL_FOPS,
    "eventpoll_fops",
    None
);
fops!(
    /// memfd (`shmem_file_operations`).
    SHMEM_FOPS,
    "shmem_file_operations",
    None
);
fops!(
    /// Regular files on the disk file system the recorder used (`ext4_file_operations`).
    REG_FOPS,
    "ext4_file_operations",
    None
);
fops!(
    /// Directories (`ext4_dir_operations`).
    DIR_FOPS,
    "ext4_dir_operations",
    None
);
fops!(
    /// `/dev/net/tun` (`tun_fops`).
    TUN_FOPS,
    "tun_fops",
    None
);
fops!(
    /// `/dev/fuse` (`fuse_dev_operations`).
    FUSE_FOPS,
    "fuse_dev_operations",
    Some(fuse_uring_cmd)
);
fops!(
    /// Sockets (`socket_file_ops`, `.uring_cmd = io_uring_cmd_sock`).
    SOCKET_FOPS,
    "socket_file_ops",
    Some(super::cmd_net::io_uring_cmd_sock)
);

impl Inode {
    /// `generic_file_read_iter` at the file position.
    pub fn read(&mut self, out: &mut [u8]) -> usize {
        let n = self.data.len().saturating_sub(self.pos).min(out.len());
        out[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        n
    }

    /// `generic_perform_write` at the file position (or the end with `O_APPEND`).
    pub fn write(&mut self, data: &[u8], append: bool) -> usize {
        if append {
            self.pos = self.data.len();
        }
        let end = self.pos + data.len();
        if self.data.len() < end {
            self.data.resize(end, 0);
        }
        self.data[self.pos..end].copy_from_slice(data);
        self.pos = end;
        data.len()
    }
}

/// `eventfd_read`: 8 bytes, the counter, which is reset.
pub fn eventfd_read(count: &mut u64, out: &mut [u8], nonblock: bool) -> Result<usize, i32> {
    if out.len() < 8 {
        return Err(EINVAL);
    }
    if *count == 0 {
        return Err(if nonblock { EAGAIN } else { EINTR });
    }
    out[..8].copy_from_slice(&count.to_le_bytes());
    *count = 0;
    Ok(8)
}

/// `eventfd_write`: adds an 8-byte value to the counter.
pub fn eventfd_write(count: &mut u64, data: &[u8], nonblock: bool) -> Result<usize, i32> {
    if data.len() < 8 {
        return Err(EINVAL);
    }
    let v = u64::from_le_bytes([
        data[0], data[1], data[2], data[3], data[4], data[5], data[6], data[7],
    ]);
    if v == u64::MAX {
        return Err(EINVAL);
    }
    if u64::MAX - 1 - *count < v {
        return Err(if nonblock { EAGAIN } else { EINTR });
    }
    *count += v;
    Ok(8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eventfd_counts_and_resets() {
        let mut c = 0u64;
        let mut out = [0u8; 8];
        assert_eq!(eventfd_read(&mut c, &mut out, true), Err(EAGAIN));
        assert_eq!(eventfd_write(&mut c, &3u64.to_le_bytes(), true), Ok(8));
        assert_eq!(eventfd_read(&mut c, &mut out, true), Ok(8));
        assert_eq!(u64::from_le_bytes(out), 3);
        assert_eq!(c, 0);
    }

    #[test]
    fn inode_reads_what_was_written() {
        let mut i = Inode::default();
        assert_eq!(i.write(b"hello", false), 5);
        i.pos = 1;
        let mut out = [0u8; 10];
        assert_eq!(i.read(&mut out), 4);
        assert_eq!(&out[..4], b"ello");
    }
}
