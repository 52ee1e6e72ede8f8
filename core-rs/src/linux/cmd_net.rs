//! Socket uring_cmds (`SOCKET_URING_OP_*`): ioctls and socket options without a syscall.
//!
//! Mirrors: `io_uring/cmd_net.c` (`io_uring_cmd_sock`, `io_uring_cmd_getsockopt`,
//! `io_uring_cmd_setsockopt`), installed as `socket_file_ops.uring_cmd` by `net/socket.c`,
//! as Linux 6.18.44 runs it: a stable fix (for a5d2f99aff6b, which had added `GETSOCKOPT`)
//! moved the `sk->sk_prot->ioctl` check into the `SIOCINQ`/`SIOCOUTQ` cases, so an
//! AF_UNIX socket (whose protos have no `.ioctl`) refuses those two with `-EOPNOTSUPP` but
//! answers `GETSOCKOPT` and `SETSOCKOPT` (the `sock_siocinq_unix` and
//! `sock_getsockopt_so_type` recordings; docs/kernel-notes.md §4.3 describes the code before the fix).
//!
//! Upstream keeps this file in `io_uring/` and `net/socket.c` reaches it through the
//! declaration in `include/linux/io_uring/cmd.h`; here it sits with the socket code it serves,
//! because a Rust module cannot name a function without importing its module, and the socket's
//! `file_operations` must not import the io_uring core (`tests/layers.rs`).
//!
//! `TX_TIMESTAMP` and `GETSOCKNAME` are not modelled and answer `-EOPNOTSUPP` like an unknown
//! `cmd_op`.

use crate::include::io_uring_cmd::io_uring_cmd;
use crate::linux::fs::FileKind;
use crate::linux::syscalls::{do_sock_getsockopt, do_sock_setsockopt};
use crate::sim;
use crate::trace::Ctx;
use crate::uapi::errno::*;
use crate::uapi::io_uring::*;
use crate::uapi::socket::*;

/// `READ_ONCE` of a little-endian `u32` at `off` in the command's SQE.
///
/// # Safety
///
/// `sqe` must point to a readable SQE of at least `off + 4` bytes.
unsafe fn sqe_u32(sqe: *const u8, off: usize) -> u32 {
    let mut b = [0u8; 4];
    for (i, x) in b.iter_mut().enumerate() {
        // SAFETY: the caller guarantees the SQE bytes are readable.
        *x = unsafe { core::ptr::read_volatile(sqe.add(off + i)) };
    }
    u32::from_le_bytes(b)
}

/// `io_uring_cmd_sock`: the socket's `->uring_cmd()`.
///
/// # Safety
///
/// Called by `io_uring_cmd` with a live command whose `file` is a socket and whose `sqe`
/// points to its SQE, and with no simulator borrow held.
pub unsafe fn io_uring_cmd_sock(cmd: *mut io_uring_cmd, _issue_flags: u32) -> i32 {
    // SAFETY: the caller guarantees `cmd` is live; `file` was set by `io_assign_file` from a
    // file the request holds.
    let (file, sqe, cmd_op) = unsafe { ((*cmd).file, (*cmd).sqe, (*cmd).cmd_op) };
    // SAFETY: as above, the file outlives the request.
    let sock = match unsafe { (*file).kind } {
        FileKind::Socket(i) => i,
        _ => return -ENOTSOCK,
    };
    // READ_ONCE: `sqe` lives in memory shared with userspace (or in the async copy).
    // SAFETY: `sqe` points to the command's 64- or 128-byte SQE.
    let (level, optname, optlen, optval) = unsafe {
        (
            sqe_u32(sqe, sqe_off::LEVEL),
            sqe_u32(sqe, sqe_off::OPTNAME),
            sqe_u32(sqe, sqe_off::OPTLEN) as i32,
            u64::from(sqe_u32(sqe, sqe_off::OPTVAL))
                | u64::from(sqe_u32(sqe, sqe_off::OPTVAL + 4)) << 32,
        )
    };
    sim::with(|s| {
        let prev = s.cur_ctx;
        s.cur_ctx = Ctx::Driver;
        let r = match cmd_op {
            SOCKET_URING_OP_SIOCINQ => s.linux.vfs.net.prot_ioctl(sock, SIOCINQ),
            SOCKET_URING_OP_SIOCOUTQ => s.linux.vfs.net.prot_ioctl(sock, SIOCOUTQ),
            SOCKET_URING_OP_GETSOCKOPT => {
                // `io_uring_cmd_getsockopt`: SOL_SOCKET only; the result is the optlen.
                if level != SOL_SOCKET {
                    Err(EOPNOTSUPP)
                } else {
                    do_sock_getsockopt(s, sock, level, optname, optlen).and_then(|(n, v)| {
                        s.linux
                            .user
                            .copy_to_user(optval, &v.to_le_bytes()[..n], 0)
                            .map(|_| n as i32)
                    })
                }
            }
            SOCKET_URING_OP_SETSOCKOPT => {
                do_sock_setsockopt(s, sock, level, optname, optval, optlen).map(|_| 0)
            }
            _ => Err(EOPNOTSUPP),
        };
        s.cur_ctx = prev;
        match r {
            Ok(v) => v,
            Err(e) => -e,
        }
    })
}
