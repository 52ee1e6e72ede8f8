//! `io_uring_register(2)`: the file and buffer tables, the opcode probe, enabling a ring.
//!
//! Mirrors: `io_uring/register.c` (`SYSCALL_DEFINE4(io_uring_register)`,
//! `__io_uring_register`, `io_probe`, `io_register_enable_rings`) and `io_uring/rsrc.c` via
//! [`super::rsrc`].
//!
//! Differences from upstream: only `IORING_REGISTER_FILES`, `IORING_UNREGISTER_FILES`,
//! `IORING_REGISTER_BUFFERS`, `IORING_UNREGISTER_BUFFERS`, `IORING_REGISTER_PROBE`,
//! `IORING_REGISTER_ENABLE_RINGS` and `IORING_(UN)REGISTER_PBUF_RING` (`io_uring/kbuf.c`) are
//! modelled; every other opcode below `IORING_REGISTER_LAST`
//! answers `-EINVAL`, and registered rings (`IORING_REGISTER_USE_REGISTERED_RING`) do not exist.

use super::*;

/// `io_uring_register(fd, opcode, arg, nr_args)`.
pub fn io_uring_register(s: &mut Sim, fd: i32, opcode: u32, arg: u64, nr_args: u32) -> i32 {
    let use_registered = opcode & IORING_REGISTER_USE_REGISTERED_RING != 0;
    let opcode = opcode & !IORING_REGISTER_USE_REGISTERED_RING;
    if opcode >= IORING_REGISTER_LAST {
        return -EINVAL;
    }
    if use_registered {
        // No ring is ever registered with IORING_REGISTER_RING_FDS.
        return if fd as u32 >= 16 { -EINVAL } else { -EBADF };
    }
    let f = match s.linux.fds.fget(fd) {
        Some(f) => f,
        None => return -EBADF,
    };
    let ring = match s.linux.fds.file(f).kind {
        FileKind::IoUring(id) => id,
        _ => return -EOPNOTSUPP,
    };
    let ret = match opcode {
        IORING_REGISTER_FILES => {
            if arg == 0 {
                -EFAULT
            } else {
                rsrc::io_sqe_files_register(s, ring, arg, nr_args)
            }
        }
        IORING_UNREGISTER_FILES => {
            if arg != 0 || nr_args != 0 {
                -EINVAL
            } else {
                rsrc::io_sqe_files_unregister(s, ring)
            }
        }
        // `IORING_REGISTER_BUFFERS`: a NULL array is -EFAULT (`fixed_register_errors`).
        IORING_REGISTER_BUFFERS => {
            if arg == 0 {
                -EFAULT
            } else {
                rsrc::io_sqe_buffers_register(s, ring, arg, nr_args)
            }
        }
        IORING_UNREGISTER_BUFFERS => {
            if arg != 0 || nr_args != 0 {
                -EINVAL
            } else {
                rsrc::io_sqe_buffers_unregister(s, ring)
            }
        }
        // `__io_uring_register`: both need an argument and `nr_args` 1.
        IORING_REGISTER_PBUF_RING | IORING_UNREGISTER_PBUF_RING => {
            if arg == 0 || nr_args != 1 {
                -EINVAL
            } else if opcode == IORING_REGISTER_PBUF_RING {
                super::kbuf::io_register_pbuf_ring(s, ring, arg)
            } else {
                super::kbuf::io_unregister_pbuf_ring(s, ring, arg)
            }
        }
        IORING_REGISTER_PROBE => {
            if arg == 0 || nr_args > 256 {
                -EINVAL
            } else {
                io_probe(s, arg, nr_args)
            }
        }
        IORING_REGISTER_ENABLE_RINGS => {
            if arg != 0 || nr_args != 0 {
                -EINVAL
            } else {
                io_register_enable_rings(s, ring)
            }
        }
        _ => -EINVAL,
    };
    s.emit(Event::sim_register, ring, 0, 0, opcode as i64, ret as i64);
    // `io_uring_register` traces every call that reached a ring, with the file table's size.
    let nr_files = s.ring(ring).map_or(0, |c| c.file_table.len() as i64);
    let nr_bufs = s.ring(ring).map_or(0, |c| c.buf_table.len() as i64);
    s.emit(
        Event::io_uring_register,
        ring,
        0,
        0,
        i64::from(ret as u32) | (nr_bufs << 32),
        i64::from(opcode) | (nr_files << 32),
    );
    ret
}

/// `io_register_enable_rings`: starts a ring created with `IORING_SETUP_R_DISABLED`; a ring that
/// is not disabled answers `-EBADFD` (`setup_r_disabled`).
fn io_register_enable_rings(s: &mut Sim, ring: u32) -> i32 {
    let ctx = live!(s.ring_mut(ring));
    if ctx.flags & IORING_SETUP_R_DISABLED == 0 {
        return -EBADFD;
    }
    ctx.flags &= !IORING_SETUP_R_DISABLED;
    0
}

/// The opcode table `IORING_REGISTER_PROBE` reports: the recorded Linux 6.18 kernel's
/// (`probe_ops`, `register_probe`: `last_op` 62 = `IORING_OP_PIPE`, all 63 opcodes supported).
/// `io_probe` answers for the kernel, not for the simulator: an opcode the simulator does not
/// model is still reported, and refused with its "not modelled" answer when it is issued. The
/// 6.19 opcodes the simulator knows (NOP128, URING_CMD128) are beyond this table, as they are
/// beyond the recorded kernel's.
pub const PROBE_OP_LAST: u8 = IORING_OP_PIPE + 1;

/// `io_probe`: fills a zeroed `struct io_uring_probe` with one entry per opcode
/// (`io_uring_op_supported` of every opcode below `IORING_OP_LAST`; see [`PROBE_OP_LAST`]).
fn io_probe(s: &mut Sim, arg: u64, nr_args: u32) -> i32 {
    let nr = nr_args.min(u32::from(PROBE_OP_LAST));
    let size = (IO_URING_PROBE_SIZE + nr * IO_URING_PROBE_OP_SIZE) as usize;
    let mut p = vec![0u8; size];
    if s.linux.user.copy_from_user(&mut p, arg).is_err() {
        return -EFAULT;
    }
    if p.iter().any(|&b| b != 0) {
        return -EINVAL;
    }
    p[0] = PROBE_OP_LAST - 1;
    for i in 0..nr as usize {
        let o = IO_URING_PROBE_SIZE as usize + i * IO_URING_PROBE_OP_SIZE as usize;
        p[o] = i as u8;
        p[o + 2..o + 4].copy_from_slice(&IO_URING_OP_SUPPORTED.to_le_bytes());
    }
    p[1] = nr as u8;
    match s.linux.user.copy_to_user(arg, &p, 0) {
        Ok(()) => 0,
        Err(e) => -e,
    }
}
