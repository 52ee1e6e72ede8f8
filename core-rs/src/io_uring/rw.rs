//! `IORING_OP_READ` and `IORING_OP_WRITE`: buffered reads and writes on the files the simulator
//! has (regular files and memfds as page-cache data, pipe ends, `/dev/null`, `/dev/zero`,
//! eventfd, directories).
//!
//! Mirrors: `io_uring/rw.c` (`io_prep_rw`, `io_prep_read`, `io_prep_write`, `io_rw_init_file`,
//! `io_file_supports_nowait`, `io_kiocb_update_pos`, `__io_read`, `io_read`, `io_write`,
//! `kiocb_done`), `lib/iov_iter.c` (`import_ubuf`), `fs/read_write.c` (`rw_verify_area`,
//! `kiocb_set_rw_flags` in `include/linux/fs.h`), and the file kinds' `->read_iter` /
//! `->write_iter`: `fs/pipe.c` (`pipe_read`, `pipe_write`), `drivers/char/mem.c`
//! (`read_iter_null`, `write_iter_null`, `read_iter_zero`), `fs/eventfd.c`
//! (`eventfd_read`, `eventfd_write`), `mm/filemap.c` (`filemap_read`), `fs/libfs.c`
//! (`generic_read_dir`).
//!
//! What the recordings `rw_*` show on Linux 6.18 and this model follows:
//! - the buffer is checked at prep (`import_ubuf`: a kernel address is `-EFAULT` before issue);
//!   a user address that is not mapped faults only when bytes move (`-EFAULT` at issue, the
//!   pipe keeps its data, `/dev/null` never touches the buffer);
//! - a READ on the write end of a pipe, a WRITE on its read end and a WRITE on a read-only file
//!   are `-EBADF` (`io_rw_init_file`: `FMODE_READ`/`FMODE_WRITE`);
//! - offsets are ignored on pipes (`FMODE_STREAM`); elsewhere -1 means the file position
//!   (`REQ_F_CUR_POS`, which the request then moves) and other negative offsets are `-EINVAL`
//!   (`rw_verify_area`);
//! - a READ that finds no data on a pollable file (empty pipe, eventfd at 0) is retried
//!   through async poll (see [`super::poll`]); `RWF_NOWAIT` turns that into a `-EAGAIN` CQE;
//! - a WRITE to a regular file or memfd goes to io-wq: neither ext4 nor shmem sets
//!   `FOP_BUFFER_WASYNC`, so `io_write` answers `-EAGAIN` to the non-blocking attempt;
//! - a WRITE larger than a pipe's free room is short (65536 of 70000 on an empty pipe);
//! - a short READ or WRITE counts as failed for its link chain: the requests linked behind it
//!   are cancelled (found by the differential fuzzer).
//!
//! Not modelled (refused with [`ENOTMODELLED`]): the `RWF_*` flags that change how a regular
//! file is written (DSYNC, SYNC, APPEND, NOAPPEND, ATOMIC, DONTCACHE),
//! a non-zero `ioprio` (`ioprio_check_cap`), `IOSQE_BUFFER_SELECT`, and READ/WRITE on sockets,
//! epoll, tun, fuse, misc devices and io_uring files.

use super::opdata::*;
use super::types::*;
use super::*;
use crate::linux::fs::FileRef;
use crate::uapi::fcntl::*;

// `RWF_*` (include/uapi/linux/fs.h).
/// High-priority (polled) I/O.
pub const RWF_HIPRI: u32 = 0x1;
/// Per-write `O_DSYNC`.
pub const RWF_DSYNC: u32 = 0x2;
/// Per-write `O_SYNC`.
pub const RWF_SYNC: u32 = 0x4;
/// Fail with `-EAGAIN` instead of waiting.
pub const RWF_NOWAIT: u32 = 0x8;
/// Per-write `O_APPEND`.
pub const RWF_APPEND: u32 = 0x10;
/// Ignore `O_APPEND` for this write.
pub const RWF_NOAPPEND: u32 = 0x20;
/// Write all or nothing (untorn).
pub const RWF_ATOMIC: u32 = 0x40;
/// Drop the page cache after the I/O.
pub const RWF_DONTCACHE: u32 = 0x80;
/// `RWF_SUPPORTED`: every `RWF_*` flag 6.18 knows.
pub const RWF_SUPPORTED: u32 = 0xff;
/// `TASK_SIZE_MAX` on x86-64 (4-level paging): `access_ok` refuses ranges that end above it.
pub const TASK_SIZE_MAX: u64 = 0x7fff_ffff_f000;
/// `MAX_RW_COUNT`: `import_ubuf` clamps a longer length to it.
pub const MAX_RW_COUNT: u32 = 0x7fff_f000;

fn rd32(sqe: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([sqe[o], sqe[o + 1], sqe[o + 2], sqe[o + 3]])
}

fn rd64(sqe: &[u8], o: usize) -> u64 {
    u64::from(rd32(sqe, o)) | u64::from(rd32(sqe, o + 4)) << 32
}

/// Reports a request the simulator cannot answer the kernel's way, and returns the
/// [`ENOTMODELLED`] error to fail it with.
pub fn not_modelled(s: &mut Sim, req: Req, what: i64) -> i32 {
    let ring = req.ring;
    let (serial, ud, op) = {
        let r = live!(s.req(req));
        (r.serial, r.user_data, r.opcode)
    };
    s.emit(Event::sim_not_modelled, ring, serial, ud, op as i64, what);
    ENOTMODELLED
}

/// `io_prep_rw` for `IORING_OP_READ` / `IORING_OP_WRITE` (`io_prep_read`, `io_prep_write`):
/// reads `off`, `addr`, `len`, `rw_flags` and checks the buffer with `import_ubuf`.
///
/// # Errors
///
/// `EFAULT` when the buffer is not a user address range (`access_ok`), or [`ENOTMODELLED`].
pub fn io_prep_rw(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let ioprio = u16::from_le_bytes([sqe[sqe_off::IOPRIO], sqe[sqe_off::IOPRIO + 1]]);
    let flags = live!(s.req(req)).flags;
    if ioprio != 0 || flags & REQ_F_BUFFER_SELECT != 0 {
        return Err(not_modelled(s, req, not_modelled::FIELD));
    }
    let rw_flags = rd32(sqe, sqe_off::OP_FLAGS);
    let addr = rd64(sqe, sqe_off::ADDR);
    let len = rd32(sqe, sqe_off::LEN).min(MAX_RW_COUNT);
    // `import_ubuf` → `access_ok`.
    match addr.checked_add(u64::from(len)) {
        Some(end) if end <= TASK_SIZE_MAX => {}
        _ => return Err(EFAULT),
    }
    let r = live!(s.req_mut(req));
    r.fd = rd32(sqe, sqe_off::FD) as i32;
    r.op.pos = rd64(sqe, sqe_off::OFF) as i64;
    r.op.addr = addr;
    r.op.len = len;
    r.op.rw_flags = rw_flags;
    Ok(())
}

/// The properties of a file kind that `io_read`/`io_write` consult.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RwFile {
    /// The file's kind.
    pub kind: FileKind,
    /// The object behind the file (pipe, inode, ...) in the core's tables.
    pub obj: u32,
    /// `FMODE_READ` from the open mode.
    pub readable: bool,
    /// `FMODE_WRITE` from the open mode.
    pub writable: bool,
    /// `FMODE_STREAM`: the offset is ignored (pipes).
    pub stream: bool,
    /// `S_ISREG`: `REQ_F_ISREG` (regular files, memfds).
    pub isreg: bool,
}

/// Returns the file behind a request's `req->file`.
pub fn rw_file(s: &Sim, f: FileRef) -> RwFile {
    let fl = s.linux.fds.file(f);
    let acc = fl.f_flags & O_ACCMODE;
    RwFile {
        kind: fl.kind,
        obj: fl.obj,
        readable: acc != O_WRONLY,
        writable: acc != O_RDONLY,
        stream: matches!(fl.kind, FileKind::PipeRead | FileKind::PipeWrite),
        isreg: matches!(fl.kind, FileKind::RegularFile | FileKind::Memfd),
    }
}

/// Whether the simulator models READ/WRITE on this kind of file.
fn rw_modelled(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::RegularFile
            | FileKind::Memfd
            | FileKind::PipeRead
            | FileKind::PipeWrite
            | FileKind::DevNull
            | FileKind::DevZero
            | FileKind::EventFd
            | FileKind::Directory
    )
}

/// `io_rw_init_file`, the `-EAGAIN` punt of a file that cannot do `IOCB_NOWAIT`, and
/// `io_kiocb_update_pos` + `rw_verify_area`: everything before the data moves. Returns the
/// position to use (`None` for a stream), or the error to return from issue.
fn io_rw_setup(
    s: &mut Sim,
    req: Req,
    issue_flags: u32,
    write: bool,
) -> Result<(RwFile, Option<usize>), i32> {
    let ring = req.ring;
    let f = live!(live!(s.req(req)).file);
    let rf = rw_file(s, f);
    if !rw_modelled(rf.kind) {
        return Err(not_modelled(s, req, not_modelled::FILE));
    }
    // `io_rw_init_file`: the open mode first.
    if (write && !rf.writable) || (!write && !rf.readable) {
        return Err(EBADF);
    }
    let rw_flags = live!(s.req(req)).op.rw_flags;
    // `kiocb_set_rw_flags`: unknown bits; APPEND with NOAPPEND; RWF_NOWAIT needs FMODE_NOWAIT,
    // which every modelled kind has; RWF_ATOMIC only writes, on files that can
    // (`FMODE_CAN_ATOMIC_WRITE`: none of the non-regular kinds); RWF_DONTCACHE needs a file
    // system with `FOP_DONTCACHE`.
    if rw_flags & !RWF_SUPPORTED != 0 {
        return Err(EOPNOTSUPP);
    }
    if rw_flags & RWF_APPEND != 0 && rw_flags & RWF_NOAPPEND != 0 {
        return Err(EINVAL);
    }
    if rf.isreg
        && rw_flags
            & (RWF_DSYNC | RWF_SYNC | RWF_APPEND | RWF_NOAPPEND | RWF_ATOMIC | RWF_DONTCACHE)
            != 0
    {
        // What these do to a page-cache file (sync, append, atomic or uncached writes) is
        // not modelled.
        return Err(not_modelled(s, req, not_modelled::FIELD));
    }
    if rw_flags & RWF_ATOMIC != 0 || rw_flags & RWF_DONTCACHE != 0 {
        return Err(EOPNOTSUPP);
    }
    // `io_rw_init_file`: an IOPOLL ring polls only O_DIRECT files whose `f_op->iopoll` exists;
    // none of the modelled kinds has one, so every READ/WRITE on such a ring is -EOPNOTSUPP.
    if live!(s.ring(ring)).flags & crate::uapi::io_uring::IORING_SETUP_IOPOLL != 0 {
        return Err(EOPNOTSUPP);
    }
    // `io_rw_init_file`: IOCB_HIPRI on a ring without IOPOLL. (DSYNC, SYNC, APPEND and
    // NOAPPEND change nothing on pipes, devices and eventfds.)
    if rw_flags & RWF_HIPRI != 0 {
        return Err(EINVAL);
    }
    {
        let r = live!(s.req_mut(req));
        if rw_flags & RWF_NOWAIT != 0 {
            r.flags |= REQ_F_NOWAIT;
        }
        if rf.isreg {
            r.flags |= REQ_F_ISREG;
        }
    }
    // `io_write`: a buffered write to a regular file without FOP_BUFFER_WASYNC (ext4, shmem)
    // cannot be tried without blocking; io-wq does it.
    if write && rf.isreg && issue_flags & IO_URING_F_NONBLOCK != 0 {
        return Err(EAGAIN);
    }
    // `io_kiocb_update_pos` and `rw_verify_area`.
    if rf.stream {
        return Ok((rf, None));
    }
    let pos = live!(s.req(req)).op.pos;
    let pos = if pos == -1 {
        live!(s.req_mut(req)).flags |= REQ_F_CUR_POS;
        file_pos(s, &rf)
    } else if pos < 0 {
        return Err(EINVAL);
    } else {
        pos as usize
    };
    Ok((rf, Some(pos)))
}

/// `file->f_pos` (kept in the inode for regular files and memfds; 0 for the others, whose
/// `->read_iter` ignores it).
fn file_pos(s: &Sim, rf: &RwFile) -> usize {
    if rf.isreg {
        s.linux.vfs.inodes[rf.obj as usize].pos
    } else {
        0
    }
}

/// Copies `data` to the request's user buffer, marking the bytes as written by the kernel for
/// this request.
fn copy_out(s: &mut Sim, req: Req, addr: u64, data: &[u8]) -> Result<(), i32> {
    if data.is_empty() {
        return Ok(());
    }
    let serial = live!(s.req(req)).serial;
    s.linux.user.copy_to_user_as(addr, data, Prov::Core, serial)
}

/// `io_read`: one attempt (non-blocking when `issue_flags` has `IO_URING_F_NONBLOCK`).
///
/// Returns 0 when the request completed (its result set), or an error for the caller:
/// `-EAGAIN` to retry through poll or io-wq, or a failure.
pub fn io_read(s: &mut Sim, req: Req, issue_flags: u32) -> i32 {
    let (rf, pos) = match io_rw_setup(s, req, issue_flags, false) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    let (addr, len) = {
        let r = live!(s.req(req));
        (r.op.addr, r.op.len as usize)
    };
    let nonblock = true; // IOCB_NOWAIT, or a pollable file retried through poll.
    let ret: Result<usize, i32> = match rf.kind {
        FileKind::RegularFile | FileKind::Memfd => {
            // `filemap_read`: up to the end of the data; a fault with nothing copied is -EFAULT.
            let pos = pos.unwrap_or(0);
            let ino = &s.linux.vfs.inodes[rf.obj as usize];
            let n = ino.data.len().saturating_sub(pos).min(len);
            let data = if n > 0 {
                ino.data[pos..pos + n].to_vec()
            } else {
                Vec::new()
            };
            copy_out(s, req, addr, &data).map(|_| n)
        }
        FileKind::PipeRead => {
            // `pipe_read`: nothing is consumed when the copy faults.
            let avail = s.linux.vfs.pipes[rf.obj as usize].len().min(len);
            if avail > 0 && !s.linux.user.access_ok(addr, avail) {
                Err(EFAULT)
            } else {
                let mut out = vec![0u8; len];
                let was_full = s.linux.vfs.pipes[rf.obj as usize].bufs.len()
                    >= crate::linux::pipe::PIPE_DEF_BUFFERS;
                match s.linux.vfs.pipes[rf.obj as usize].read(&mut out, nonblock) {
                    Ok(n) => {
                        if was_full && n > 0 {
                            s.linux.vfs.wake(
                                crate::linux::WaitQueue::PipeWr(rf.obj),
                                crate::linux::syscalls::POLL_OUT_KEY,
                            );
                        }
                        copy_out(s, req, addr, &out[..n]).map(|_| n)
                    }
                    Err(e) => Err(e),
                }
            }
        }
        // `read_iter_null`: end of file, the buffer untouched.
        FileKind::DevNull => Ok(0),
        // `read_iter_zero`.
        FileKind::DevZero => copy_out(s, req, addr, &vec![0u8; len]).map(|_| len),
        FileKind::EventFd => {
            let mut out = vec![0u8; len];
            match crate::linux::files::eventfd_read(
                &mut s.linux.vfs.eventfds[rf.obj as usize],
                &mut out,
                nonblock,
            ) {
                Ok(n) => {
                    s.linux.vfs.wake(
                        crate::linux::WaitQueue::EventFd(rf.obj),
                        crate::linux::syscalls::EPOLLOUT_KEY,
                    );
                    copy_out(s, req, addr, &out[..n]).map(|_| n)
                }
                Err(e) => Err(e),
            }
        }
        // `generic_read_dir`.
        FileKind::Directory => Err(EISDIR),
        _ => Err(not_modelled(s, req, not_modelled::FILE)),
    };
    rw_done(s, req, &rf, pos, ret, false)
}

/// `io_write`: one attempt (see [`io_read`]).
pub fn io_write(s: &mut Sim, req: Req, issue_flags: u32) -> i32 {
    let (rf, pos) = match io_rw_setup(s, req, issue_flags, true) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    let (addr, len) = {
        let r = live!(s.req(req));
        (r.op.addr, r.op.len as usize)
    };
    let mut data = vec![0u8; len];
    // `/dev/null` and `/dev/zero` never read the buffer (`write_iter_null`).
    let touches = !matches!(rf.kind, FileKind::DevNull | FileKind::DevZero);
    let fault = touches && len > 0 && s.linux.user.copy_from_user(&mut data, addr).is_err();
    let ret: Result<usize, i32> = if fault {
        Err(EFAULT)
    } else {
        match rf.kind {
            FileKind::RegularFile | FileKind::Memfd => {
                // `generic_perform_write` at the position (the inode keeps `f_pos` apart).
                let pos = pos.unwrap_or(0);
                let ino = &mut s.linux.vfs.inodes[rf.obj as usize];
                let end = pos + len;
                if ino.data.len() < end {
                    ino.data.resize(end, 0);
                }
                ino.data[pos..end].copy_from_slice(&data);
                Ok(len)
            }
            FileKind::PipeWrite => {
                let r = s.linux.vfs.pipes[rf.obj as usize].write(&data, true);
                crate::linux::syscalls::pipe_write_wake(s, rf.obj, len);
                r
            }
            FileKind::DevNull | FileKind::DevZero => Ok(len),
            FileKind::EventFd => {
                let r = crate::linux::files::eventfd_write(
                    &mut s.linux.vfs.eventfds[rf.obj as usize],
                    &data,
                    true,
                );
                if r.is_ok() {
                    s.linux.vfs.wake(
                        crate::linux::WaitQueue::EventFd(rf.obj),
                        crate::linux::syscalls::EPOLLIN_KEY,
                    );
                }
                r
            }
            _ => Err(not_modelled(s, req, not_modelled::FILE)),
        }
    };
    rw_done(s, req, &rf, pos, ret, true)
}

/// `kiocb_done` (and the `-EAGAIN` exits of `__io_read`/`io_write`): sets the result, moves the
/// file position for `REQ_F_CUR_POS`, and wakes whoever polls the file the data went through.
fn rw_done(
    s: &mut Sim,
    req: Req,
    rf: &RwFile,
    pos: Option<usize>,
    ret: Result<usize, i32>,
    write: bool,
) -> i32 {
    let ring = req.ring;
    match ret {
        Ok(n) => {
            let cur = live!(s.req(req)).flags & REQ_F_CUR_POS != 0;
            if cur && rf.isreg {
                s.linux.vfs.inodes[rf.obj as usize].pos = pos.unwrap_or(0) + n;
            }
            let (serial, ud) = {
                let r = live!(s.req(req));
                (r.serial, r.user_data)
            };
            s.emit(
                Event::sim_rw_done,
                ring,
                serial,
                ud,
                n as i64,
                i64::from(write) | i64::from(pos.map_or(u32::MAX, |p| p as u32)) << 32,
            );
            // `__io_complete_rw_common`: a short transfer (fewer bytes than asked for) marks
            // the request failed, so it breaks its link chain and always posts its CQE.
            let asked = live!(s.req(req)).op.len as usize;
            if n != asked {
                req_set_fail(s, req);
            }
            io_req_set_res(s, req, n as i32, 0);
            if n > 0 || !s.linux.vfs.wakes.is_empty() {
                super::poll::io_poll_wake_ready(s);
            }
            0
        }
        Err(e) => {
            if !s.linux.vfs.wakes.is_empty() {
                super::poll::io_poll_wake_ready(s);
            }
            -e
        }
    }
}
