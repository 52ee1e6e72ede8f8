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
use super::sqe::{sqe32 as rd32, sqe64 as rd64};
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

/// `UIO_MAXIOV`: the most iovecs one `readv`/`writev` takes.
pub const UIO_MAXIOV: u32 = 1024;

/// Whether `addr..addr+len` lies below `TASK_SIZE_MAX` (`access_ok`: a user range; whether it
/// is mapped is found out when bytes move).
pub fn user_range_ok(addr: u64, len: u64) -> bool {
    matches!(addr.checked_add(len), Some(end) if end <= TASK_SIZE_MAX)
}

/// `import_iovec` (`lib/iov_iter.c`: `__import_iovec`, `iovec_from_user`,
/// `copy_iovec_from_user`, `__import_iovec_ubuf`): reads `nr_segs` `struct iovec` from user
/// memory at `uvec`. More than `UIO_MAXIOV` is `-EINVAL`; an unreadable array is `-EFAULT`; a
/// length that is negative as `ssize_t` is `-EINVAL` (checked while copying, before any base);
/// a base range outside user space is `-EFAULT`. The total is capped at `MAX_RW_COUNT` by
/// shortening the element that crosses it.
///
/// # Errors
///
/// `EINVAL` or `EFAULT` as above.
pub fn import_iovec(s: &Sim, uvec: u64, nr_segs: u32) -> Result<Vec<(u64, u64)>, i32> {
    if nr_segs > UIO_MAXIOV {
        return Err(EINVAL);
    }
    let mut raw = vec![0u8; nr_segs as usize * 16];
    if !raw.is_empty() && s.linux.user.copy_from_user(&mut raw, uvec).is_err() {
        return Err(EFAULT);
    }
    let mut segs = Vec::with_capacity(nr_segs as usize);
    for i in 0..nr_segs as usize {
        let base = rd64(&raw, 16 * i);
        let len = rd64(&raw, 16 * i + 8);
        if (len as i64) < 0 {
            return Err(EINVAL);
        }
        segs.push((base, len));
    }
    let mut total = 0u64;
    for seg in &mut segs {
        if !user_range_ok(seg.0, seg.1) {
            return Err(EFAULT);
        }
        let room = u64::from(MAX_RW_COUNT) - total;
        if seg.1 > room {
            seg.1 = room;
        }
        total += seg.1;
    }
    Ok(segs)
}

/// `io_prep_rw` with `io_prep_read`/`io_prep_write` (`import_ubuf` at prep),
/// `io_prep_readv`/`io_prep_writev` (`io_prep_rwv`: `import_iovec` at prep) and
/// `io_prep_read_fixed`/`io_prep_write_fixed` (the registered buffer is looked up at issue,
/// `REQ_F_IMPORT_BUFFER`): reads `off`, `addr`, `len`, `rw_flags` and `buf_index`.
///
/// # Errors
///
/// `EFAULT` when the buffer is not a user address range (`access_ok`), `EINVAL` for a bad
/// iovec array (see [`import_iovec`]), or [`ENOTMODELLED`].
pub fn io_prep_rw(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let ioprio = u16::from_le_bytes([sqe[sqe_off::IOPRIO], sqe[sqe_off::IOPRIO + 1]]);
    let (flags, opcode) = {
        let r = live!(s.req(req));
        (r.flags, r.opcode)
    };
    if ioprio != 0 || flags & REQ_F_BUFFER_SELECT != 0 {
        return Err(not_modelled(s, req, not_modelled::FIELD));
    }
    let rw_flags = rd32(sqe, sqe_off::OP_FLAGS);
    let addr = rd64(sqe, sqe_off::ADDR);
    let sqe_len = rd32(sqe, sqe_off::LEN);
    let buf_index = u16::from_le_bytes([sqe[sqe_off::BUF_INDEX], sqe[sqe_off::BUF_INDEX + 1]]);
    let (segs, len, import) = match opcode {
        IORING_OP_READV | IORING_OP_WRITEV => {
            let segs = import_iovec(s, addr, sqe_len)?;
            let total = segs.iter().map(|x| x.1).sum::<u64>() as u32;
            (segs, total, false)
        }
        IORING_OP_READ_FIXED | IORING_OP_WRITE_FIXED => (Vec::new(), sqe_len, true),
        _ => {
            // `import_ubuf` → `access_ok`.
            let len = sqe_len.min(MAX_RW_COUNT);
            if !user_range_ok(addr, u64::from(len)) {
                return Err(EFAULT);
            }
            (vec![(addr, u64::from(len))], len, false)
        }
    };
    let r = live!(s.req_mut(req));
    r.fd = rd32(sqe, sqe_off::FD) as i32;
    r.op.pos = rd64(sqe, sqe_off::OFF) as i64;
    r.op.addr = addr;
    r.op.len = len;
    r.op.rw_flags = rw_flags;
    r.op.buf_index = buf_index;
    r.op.bytes_done = 0;
    if import {
        r.flags |= REQ_F_IMPORT_BUFFER;
    }
    live!(s.ring_mut(req.ring)).ops.iov.insert(req.idx, segs);
    Ok(())
}

/// `io_import_reg_buf` (`io_uring/rsrc.c`: `io_find_buf_node`, `io_import_fixed`), done once,
/// at the first issue of a READ_FIXED/WRITE_FIXED: the registered buffer at `buf_index` must
/// exist and hold `addr..addr+len` whole, else `-EFAULT`. A request that imported its buffer
/// keeps it: unregistering the table later does not take it away (the buffer node is
/// reference-counted), which `fixed_unregister_in_use` records.
fn io_import_reg_buf(s: &mut Sim, req: Req) -> Result<(), i32> {
    let Req { ring, idx } = req;
    let (bi, addr, len) = {
        let r = live!(s.req(req));
        (r.op.buf_index, r.op.addr, r.op.len)
    };
    let buf = s
        .ring(ring)
        .ok_or(EFAULT)?
        .buf_table
        .get(bi as usize)
        .copied()
        .flatten()
        .ok_or(EFAULT)?;
    let end = addr.checked_add(u64::from(len)).ok_or(EFAULT)?;
    if addr < buf.0 || end > buf.0 + buf.1 {
        return Err(EFAULT);
    }
    live!(s.req_mut(req)).flags &= !REQ_F_IMPORT_BUFFER;
    live!(s.ring_mut(ring))
        .ops
        .iov
        .insert(idx, vec![(addr, u64::from(len.min(MAX_RW_COUNT)))]);
    Ok(())
}

/// The request's imported segments (`io->iter`).
fn segs_of(s: &Sim, req: Req) -> Vec<(u64, u64)> {
    s.ring(req.ring)
        .and_then(|c| c.ops.iov.get(&req.idx).cloned())
        .unwrap_or_default()
}

/// How many bytes from the start of `segs` are mapped user memory, stopping at the first
/// element that is not (at most `want`).
fn mapped_prefix(s: &Sim, segs: &[(u64, u64)], want: usize) -> usize {
    let mut n = 0usize;
    for &(base, len) in segs {
        if n >= want {
            break;
        }
        let take = (len as usize).min(want - n);
        if take > 0 && !s.linux.user.access_ok(base, take) {
            break;
        }
        n += take;
    }
    n.min(want)
}

/// `copy_to_iter` over the segments: scatters `data`; a fault stops the copy. Returns the
/// bytes copied, or `-EFAULT` when none were.
fn scatter(s: &mut Sim, req: Req, segs: &[(u64, u64)], data: &[u8]) -> Result<usize, i32> {
    let serial = live!(s.req(req)).serial;
    let mut done = 0usize;
    for &(base, len) in segs {
        if done >= data.len() {
            break;
        }
        let take = (len as usize).min(data.len() - done);
        if take == 0 {
            continue;
        }
        if s.linux
            .user
            .copy_to_user_as(base, &data[done..done + take], Prov::Core, serial)
            .is_err()
        {
            break;
        }
        done += take;
    }
    if done == 0 && !data.is_empty() {
        Err(EFAULT)
    } else {
        Ok(done)
    }
}

/// `copy_from_iter` over the segments: gathers up to the first fault. Returns the bytes and
/// whether a fault stopped the gathering.
fn gather(s: &Sim, segs: &[(u64, u64)]) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    for &(base, len) in segs {
        if len == 0 {
            continue;
        }
        let mut b = vec![0u8; len as usize];
        if s.linux.user.copy_from_user(&mut b, base).is_err() {
            return (out, true);
        }
        out.extend_from_slice(&b);
    }
    (out, false)
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
    // `__io_read`/`io_write`: a file without FMODE_NOWAIT and without `->poll` (a memfd:
    // shmem; a directory) is not tried without blocking; io-wq does it (`readv_devices`,
    // `fixed_rw_devices`: the memfd READV and READ_FIXED and the directory READV are queued to
    // io-wq).
    if issue_flags & IO_URING_F_NONBLOCK != 0
        && matches!(rf.kind, FileKind::Memfd | FileKind::Directory)
    {
        return Err(EAGAIN);
    }
    // `loop_rw_iter`: a file with `->write` but no `->write_iter` (eventfd) is not tried with
    // IOCB_NOWAIT unless it was opened O_NONBLOCK.
    if write
        && rf.kind == FileKind::EventFd
        && issue_flags & IO_URING_F_NONBLOCK != 0
        && s.linux
            .fds
            .file(live!(s.req(req)).file.expect("file"))
            .f_flags
            & O_NONBLOCK
            == 0
    {
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

/// `io_read`: one attempt (non-blocking when `issue_flags` has `IO_URING_F_NONBLOCK`).
///
/// Returns 0 when the request completed (its result set), or an error for the caller:
/// `-EAGAIN` to retry through poll or io-wq, or a failure.
pub fn io_read(s: &mut Sim, req: Req, issue_flags: u32) -> i32 {
    if live!(s.req(req)).flags & REQ_F_IMPORT_BUFFER != 0 {
        if let Err(e) = io_import_reg_buf(s, req) {
            return -e;
        }
    }
    let (rf, pos) = match io_rw_setup(s, req, issue_flags, false) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    let len = live!(s.req(req)).op.len as usize;
    let segs = segs_of(s, req);
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
            scatter(s, req, &segs, &data)
        }
        // `pipe_read`: a zero-length read returns at once.
        FileKind::PipeRead if len == 0 => Ok(0),
        FileKind::PipeRead => {
            // `pipe_read`: nothing is consumed when the copy faults.
            let avail = s.linux.vfs.pipes[rf.obj as usize].len().min(len);
            let room = mapped_prefix(s, &segs, avail);
            if avail > 0 && room == 0 {
                Err(EFAULT)
            } else {
                let room = if avail > 0 { room } else { len };
                let mut out = vec![0u8; room];
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
                        scatter(s, req, &segs, &out[..n])
                    }
                    Err(e) => Err(e),
                }
            }
        }
        // `read_iter_null`: end of file, the buffer untouched.
        FileKind::DevNull => Ok(0),
        // `read_iter_zero`.
        FileKind::DevZero => scatter(s, req, &segs, &vec![0u8; len]),
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
                    scatter(s, req, &segs, &out[..n])
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
    if live!(s.req(req)).flags & REQ_F_IMPORT_BUFFER != 0 {
        if let Err(e) = io_import_reg_buf(s, req) {
            return -e;
        }
    }
    let (rf, pos) = match io_rw_setup(s, req, issue_flags, true) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    let len = live!(s.req(req)).op.len as usize;
    let segs = segs_of(s, req);
    // `/dev/null` and `/dev/zero` never read the buffer (`write_iter_null`).
    let touches = !matches!(rf.kind, FileKind::DevNull | FileKind::DevZero);
    let (data, fault) = if touches {
        gather(s, &segs)
    } else {
        (Vec::new(), false)
    };
    // A fault before any byte is -EFAULT; after some, the bytes before it are written
    // (`generic_perform_write` stops at the fault: `readv_errors` writes 4 of 8).
    // `io_write` on io-wq: a write to a regular file that stops part-way is a short write: the
    // bytes done are kept (`io->bytes_done`) and the request answers -EAGAIN, which io-wq turns
    // into a failure whose CQE carries those bytes (`io_rw_fail`, `readv_errors`: 4 of 8).
    if fault && !data.is_empty() && rf.isreg && issue_flags & IO_URING_F_NONBLOCK == 0 {
        let p = pos.unwrap_or(0);
        let n = data.len();
        {
            let ino = &mut s.linux.vfs.inodes[rf.obj as usize];
            if ino.data.len() < p + n {
                ino.data.resize(p + n, 0);
            }
            ino.data[p..p + n].copy_from_slice(&data);
        }
        let (serial, ud) = {
            let r = live!(s.req_mut(req));
            r.op.bytes_done += n as u32;
            (r.serial, r.user_data)
        };
        s.emit(
            Event::io_uring_short_write,
            req.ring,
            serial,
            ud,
            p as i64,
            len as i64 | (n as i64) << 32,
        );
        return -EAGAIN;
    }
    let ret: Result<usize, i32> = if fault && data.is_empty() {
        Err(EFAULT)
    } else {
        match rf.kind {
            FileKind::RegularFile | FileKind::Memfd => {
                // `generic_perform_write` at the position (the inode keeps `f_pos` apart).
                let pos = pos.unwrap_or(0);
                let n = data.len();
                let ino = &mut s.linux.vfs.inodes[rf.obj as usize];
                let end = pos + n;
                if ino.data.len() < end {
                    ino.data.resize(end, 0);
                }
                ino.data[pos..end].copy_from_slice(&data);
                Ok(n)
            }
            FileKind::PipeWrite => {
                let n = data.len();
                let r = s.linux.vfs.pipes[rf.obj as usize].write(&data, true);
                crate::linux::syscalls::pipe_write_wake(s, rf.obj, n);
                r
            }
            FileKind::DevNull | FileKind::DevZero => Ok(len),
            FileKind::EventFd => {
                // eventfd has `->write`, not `->write_iter`: `loop_rw_iter` calls it once per
                // element, so each element must carry the 8-byte value on its own
                // (`readv_devices`: two 4-byte elements are -EINVAL).
                let mut done = 0usize;
                let mut err = 0;
                let mut off = 0usize;
                for &(_, l) in &segs {
                    let l = l as usize;
                    if l == 0 {
                        continue;
                    }
                    let chunk = &data[off..(off + l).min(data.len())];
                    off += l;
                    match crate::linux::files::eventfd_write(
                        &mut s.linux.vfs.eventfds[rf.obj as usize],
                        chunk,
                        true,
                    ) {
                        Ok(n) => {
                            done += n;
                            s.linux.vfs.wake(
                                crate::linux::WaitQueue::EventFd(rf.obj),
                                crate::linux::syscalls::EPOLLIN_KEY,
                            );
                            if n < l {
                                break;
                            }
                        }
                        Err(e) => {
                            err = e;
                            break;
                        }
                    }
                }
                if done == 0 && err != 0 {
                    Err(err)
                } else {
                    Ok(done)
                }
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
