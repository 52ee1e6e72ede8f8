//! The system calls a program makes besides io_uring's: creating files and sockets, reading,
//! writing, ioctl, socket options, close.
//!
//! Mirrors: `fs/open.c` (`do_sys_openat2`), `fs/namei.c` (`do_mkdirat`), `fs/pipe.c`
//! (`do_pipe2`), `fs/eventfd.c` (`do_eventfd`), `fs/eventpoll.c` (`do_epoll_create`),
//! `mm/memfd.c` (`memfd_create`), `fs/read_write.c` (`ksys_read`, `ksys_write`), `fs/ioctl.c`
//! (`do_vfs_ioctl`), `fs/fcntl.c` (`setfl`), `fs/open.c` (`close_fd`), `net/socket.c`
//! (`__sys_socket`, `__sys_socketpair`, `__sys_bind`, `__sys_listen`, `__sys_connect`,
//! `__sys_accept4`, `__sys_getsockname`, `__sys_sendto`, `__sys_recvfrom`,
//! `do_sock_getsockopt`, `do_sock_setsockopt`).
//!
//! Every call returns what the syscall returns: a non-negative result or `-errno`. User
//! pointers are checked like `copy_{from,to}_user` check them (`-EFAULT`). Calls run to
//! completion in one piece; see [`crate::linux::pipe`] and [`crate::linux::net`] for what
//! happens where Linux would sleep.
//!
//! Differences from upstream: the file system is a handful of device nodes plus directories
//! the program created; `O_TMPFILE` makes the unnamed regular file the recorder makes with
//! `mkostemp` + `unlink`.

use crate::linux::files::*;
use crate::linux::fs::{file, FileKind, FileRef};
use crate::linux::net::SockaddrIn;
use crate::linux::pipe::Pipe;
use crate::linux::WaitQueue;
use crate::sim::Sim;
use crate::uapi::errno::*;
use crate::uapi::fcntl::*;
use crate::uapi::socket::*;

/// Largest single read or write the simulator performs (`MAX_RW_COUNT` is larger; user memory
/// is far smaller than either).
const MAX_RW: usize = 1 << 24;

fn get_user_i32(s: &Sim, addr: u64) -> Result<i32, i32> {
    let mut b = [0u8; 4];
    s.linux.user.copy_from_user(&mut b, addr)?;
    Ok(i32::from_le_bytes(b))
}

fn put_user_i32(s: &mut Sim, addr: u64, v: i32) -> Result<(), i32> {
    s.linux.user.copy_to_user(addr, &v.to_le_bytes(), 0)
}

fn ret(r: Result<i32, i32>) -> i32 {
    match r {
        Ok(v) => v,
        Err(e) => -e,
    }
}

fn ret_len(r: Result<usize, i32>) -> i32 {
    match r {
        Ok(v) => v as i32,
        Err(e) => -e,
    }
}

/// Looks up a descriptor and returns `(file ref, kind, obj, f_flags)`.
fn lookup(s: &Sim, fd: i32) -> Result<(FileRef, FileKind, u32, u32), i32> {
    let f = s.linux.fds.fget(fd).ok_or(EBADF)?;
    let fl = s.linux.fds.file(f);
    Ok((f, fl.kind, fl.obj, fl.f_flags))
}

fn sock_of(s: &Sim, fd: i32) -> Result<(u32, u32), i32> {
    match lookup(s, fd)? {
        (_, FileKind::Socket(i), _, flags) => Ok((i, flags)),
        _ => Err(ENOTSOCK),
    }
}

/// The directories of the simulated file system before the program creates any.
pub const INITIAL_DIRS: &[&str] = &["/", "/dev", "/dev/net", "/tmp", "."];

/// `mkdirat(AT_FDCWD, path, mode)`.
pub fn sys_mkdirat(s: &mut Sim, path: &[u8]) -> i32 {
    let p = match core::str::from_utf8(path) {
        Ok(p) if !p.is_empty() => p.trim_end_matches('/').to_string(),
        _ => return -ENOENT,
    };
    let p = if p.is_empty() { "/".to_string() } else { p };
    if s.linux.vfs.dirs.contains(&p) || DEVICE_NODES.iter().any(|(d, _)| *d == p) {
        return -EEXIST;
    }
    s.linux.vfs.dirs.push(p);
    0
}

const DEVICE_NODES: &[(&str, FileKind)] = &[
    ("/dev/null", FileKind::DevNull),
    ("/dev/zero", FileKind::DevZero),
    ("/dev/fuse", FileKind::DevFuse),
    ("/dev/net/tun", FileKind::Tun),
];

/// `openat(AT_FDCWD, path, flags, mode)` for device nodes, directories and `O_TMPFILE`.
pub fn sys_openat(s: &mut Sim, path: &[u8], flags: u32) -> i32 {
    let p = match core::str::from_utf8(path) {
        Ok(p) if !p.is_empty() => p,
        _ => return -ENOENT,
    };
    let acc = flags & O_ACCMODE;
    if acc == O_ACCMODE {
        return -EINVAL;
    }
    let keep = acc | (flags & (O_NONBLOCK | O_APPEND));
    let trimmed = p.trim_end_matches('/');
    let dir = if trimmed.is_empty() { "/" } else { trimmed };
    let is_dir = s.linux.vfs.dirs.iter().any(|d| d == dir);
    if flags & O_TMPFILE == O_TMPFILE {
        if !is_dir {
            return -ENOENT;
        }
        if acc == O_RDONLY {
            return -EINVAL;
        }
        s.linux.vfs.inodes.push(Inode::default());
        let obj = s.linux.vfs.inodes.len() as u32 - 1;
        return s.linux.fds.install_obj(
            FileKind::RegularFile,
            &REG_FOPS,
            core::ptr::null_mut(),
            obj,
            keep,
        );
    }
    if is_dir {
        if acc != O_RDONLY {
            return -EISDIR;
        }
        return s.linux.fds.install_obj(
            FileKind::Directory,
            &DIR_FOPS,
            core::ptr::null_mut(),
            0,
            keep,
        );
    }
    if flags & O_DIRECTORY != 0 {
        return if DEVICE_NODES.iter().any(|(d, _)| *d == p) {
            -ENOTDIR
        } else {
            -ENOENT
        };
    }
    let kind = match DEVICE_NODES.iter().find(|(d, _)| *d == p) {
        Some((_, k)) => *k,
        None => return -ENOENT,
    };
    let fops = match kind {
        FileKind::DevNull => &NULL_FOPS,
        FileKind::DevZero => &ZERO_FOPS,
        FileKind::DevFuse => &FUSE_FOPS,
        _ => &TUN_FOPS,
    };
    s.linux
        .fds
        .install_obj(kind, fops, core::ptr::null_mut(), 0, keep)
}

/// `pipe2(fds, flags)`.
pub fn sys_pipe2(s: &mut Sim, fds_addr: u64, flags: u32) -> i32 {
    if flags & !(O_NONBLOCK | O_CLOEXEC) != 0 {
        return -EINVAL;
    }
    if !s.linux.user.access_ok(fds_addr, 8) {
        return -EFAULT;
    }
    s.linux.vfs.pipes.push(Pipe::new());
    let obj = s.linux.vfs.pipes.len() as u32 - 1;
    let nb = flags & O_NONBLOCK;
    let r = s.linux.fds.install_obj(
        FileKind::PipeRead,
        &PIPE_FOPS,
        core::ptr::null_mut(),
        obj,
        O_RDONLY | nb,
    );
    let w = s.linux.fds.install_obj(
        FileKind::PipeWrite,
        &PIPE_FOPS,
        core::ptr::null_mut(),
        obj,
        O_WRONLY | nb,
    );
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&r.to_le_bytes());
    b[4..].copy_from_slice(&w.to_le_bytes());
    ret(s.linux.user.copy_to_user(fds_addr, &b, 0).map(|_| 0))
}

/// `eventfd2(initval, flags)`.
pub fn sys_eventfd2(s: &mut Sim, initval: u32, flags: u32) -> i32 {
    const EFD_SEMAPHORE: u32 = 1;
    if flags & !(O_NONBLOCK | O_CLOEXEC | EFD_SEMAPHORE) != 0 {
        return -EINVAL;
    }
    s.linux.vfs.eventfds.push(u64::from(initval));
    let obj = s.linux.vfs.eventfds.len() as u32 - 1;
    s.linux.fds.install_obj(
        FileKind::EventFd,
        &EVENTFD_FOPS,
        core::ptr::null_mut(),
        obj,
        O_RDWR | (flags & O_NONBLOCK),
    )
}

/// `epoll_create1(flags)`.
pub fn sys_epoll_create1(s: &mut Sim, flags: u32) -> i32 {
    if flags & !O_CLOEXEC != 0 {
        return -EINVAL;
    }
    s.linux.fds.install_obj(
        FileKind::Epoll,
        &EPOLL_FOPS,
        core::ptr::null_mut(),
        0,
        O_RDWR,
    )
}

/// `memfd_create(name, flags)`.
pub fn sys_memfd_create(s: &mut Sim, name_addr: u64, name_len: u32, flags: u32) -> i32 {
    const MFD_CLOEXEC: u32 = 1;
    const MFD_ALLOW_SEALING: u32 = 2;
    if flags & !(MFD_CLOEXEC | MFD_ALLOW_SEALING) != 0 {
        return -EINVAL;
    }
    // `MFD_NAME_MAX_LEN` is 249 bytes.
    if name_len > 249 {
        return -EINVAL;
    }
    let mut name = vec![0u8; name_len as usize];
    if let Err(e) = s.linux.user.copy_from_user(&mut name, name_addr) {
        return -e;
    }
    s.linux.vfs.inodes.push(Inode::default());
    let obj = s.linux.vfs.inodes.len() as u32 - 1;
    s.linux.fds.install_obj(
        FileKind::Memfd,
        &SHMEM_FOPS,
        core::ptr::null_mut(),
        obj,
        O_RDWR,
    )
}

/// Installs socket `i` as a new descriptor (`sock_alloc_file` + `fd_install`), with
/// `O_NONBLOCK` from `flags`.
pub fn install_sock(s: &mut Sim, i: u32, flags: u32) -> i32 {
    s.linux.fds.install_obj(
        FileKind::Socket(i),
        &SOCKET_FOPS,
        core::ptr::null_mut(),
        0,
        O_RDWR | (flags & O_NONBLOCK),
    )
}

/// `socket(domain, type, protocol)`.
pub fn sys_socket(s: &mut Sim, domain: u32, ty: u32, protocol: u32) -> i32 {
    let flags = ty & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    match s.linux.vfs.net.create(domain, ty & !flags, protocol) {
        Ok(i) => install_sock(s, i, flags),
        Err(e) => -e,
    }
}

/// `socketpair(domain, type, protocol, sv)`.
pub fn sys_socketpair(s: &mut Sim, domain: u32, ty: u32, protocol: u32, sv_addr: u64) -> i32 {
    let flags = ty & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    if !s.linux.user.access_ok(sv_addr, 8) {
        return -EFAULT;
    }
    let (a, b) = match s.linux.vfs.net.pair(domain, ty & !flags, protocol) {
        Ok(p) => p,
        Err(e) => return -e,
    };
    let fa = install_sock(s, a, flags);
    let fb = install_sock(s, b, flags);
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&fa.to_le_bytes());
    out[4..].copy_from_slice(&fb.to_le_bytes());
    ret(s.linux.user.copy_to_user(sv_addr, &out, 0).map(|_| 0))
}

fn read_sockaddr(s: &Sim, addr: u64, len: u32) -> Result<SockaddrIn, i32> {
    if !(SOCKADDR_IN_SIZE..=128).contains(&len) {
        return Err(EINVAL);
    }
    let mut b = [0u8; 16];
    s.linux.user.copy_from_user(&mut b, addr)?;
    SockaddrIn::parse(&b)
}

/// `bind(fd, addr, addrlen)` with a `struct sockaddr_in`.
pub fn sys_bind(s: &mut Sim, fd: i32, addr: u64, len: u32) -> i32 {
    ret((|| {
        let (i, _) = sock_of(s, fd)?;
        let a = read_sockaddr(s, addr, len)?;
        s.linux.vfs.net.bind(i, a).map(|_| 0)
    })())
}

/// `listen(fd, backlog)`.
pub fn sys_listen(s: &mut Sim, fd: i32, backlog: i32) -> i32 {
    ret((|| {
        let (i, _) = sock_of(s, fd)?;
        s.linux.vfs.net.listen(i, backlog).map(|_| 0)
    })())
}

/// `connect(fd, addr, addrlen)` with a `struct sockaddr_in`.
pub fn sys_connect(s: &mut Sim, fd: i32, addr: u64, len: u32) -> i32 {
    ret((|| {
        let (i, _) = sock_of(s, fd)?;
        let a = read_sockaddr(s, addr, len)?;
        s.linux.vfs.net.connect(i, a).map(|_| 0)
    })())
}

/// `accept4(fd, NULL, NULL, flags)`: the peer address is not reported.
pub fn sys_accept4(s: &mut Sim, fd: i32, flags: u32) -> i32 {
    ret((|| {
        if flags & !(SOCK_NONBLOCK | SOCK_CLOEXEC) != 0 {
            return Err(EINVAL);
        }
        let (i, f_flags) = sock_of(s, fd)?;
        let c = s.linux.vfs.net.accept(i, f_flags & O_NONBLOCK != 0)?;
        Ok(install_sock(s, c, flags))
    })())
}

/// `getsockname(fd, addr, addrlen)`.
pub fn sys_getsockname(s: &mut Sim, fd: i32, addr: u64, len_addr: u64) -> i32 {
    ret((|| {
        let (i, _) = sock_of(s, fd)?;
        let len = get_user_i32(s, len_addr)?;
        if len < 0 {
            return Err(EINVAL);
        }
        let a = s.linux.vfs.net.getsockname(i)?.encode();
        let n = (len as usize).min(a.len());
        s.linux.user.copy_to_user(addr, &a[..n], 0)?;
        put_user_i32(s, len_addr, a.len() as i32)?;
        Ok(0)
    })())
}

fn check_rw(s: &Sim, buf: u64, len: u32) -> Result<usize, i32> {
    let len = len as usize;
    if len > MAX_RW || !s.linux.user.access_ok(buf, len) {
        return Err(EFAULT);
    }
    Ok(len)
}

/// `read(fd, buf, count)`.
pub fn sys_read(s: &mut Sim, fd: i32, buf: u64, count: u32) -> i32 {
    sys_recvfrom_inner(s, fd, buf, count, 0, false)
}

/// `recvfrom(fd, buf, len, flags, NULL, NULL)`.
pub fn sys_recvfrom(s: &mut Sim, fd: i32, buf: u64, len: u32, flags: u32) -> i32 {
    sys_recvfrom_inner(s, fd, buf, len, flags, true)
}

fn sys_recvfrom_inner(
    s: &mut Sim,
    fd: i32,
    buf: u64,
    count: u32,
    flags: u32,
    sock_only: bool,
) -> i32 {
    ret_len((|| {
        let (_, kind, obj, f_flags) = lookup(s, fd)?;
        if sock_only && !matches!(kind, FileKind::Socket(_)) {
            return Err(ENOTSOCK);
        }
        if f_flags & O_ACCMODE == O_WRONLY {
            return Err(EBADF);
        }
        let len = check_rw(s, buf, count)?;
        let nb = f_flags & O_NONBLOCK != 0;
        let mut out = vec![0u8; len];
        let n = match kind {
            FileKind::DevNull => 0,
            FileKind::DevZero => len,
            FileKind::PipeRead | FileKind::PipeWrite => {
                // `pipe_read`: a read from a full pipe wakes its writers.
                let was_full = s.linux.vfs.pipes[obj as usize].bufs.len()
                    >= crate::linux::pipe::PIPE_DEF_BUFFERS;
                let n = s.linux.vfs.pipes[obj as usize].read(&mut out, nb)?;
                if was_full && n > 0 {
                    s.linux.vfs.wake(WaitQueue::PipeWr(obj), POLL_OUT_KEY);
                }
                n
            }
            FileKind::EventFd => {
                // `eventfd_read` wakes writers waiting for room.
                let n = eventfd_read(&mut s.linux.vfs.eventfds[obj as usize], &mut out, nb)?;
                s.linux.vfs.wake(WaitQueue::EventFd(obj), EPOLLOUT_KEY);
                n
            }
            FileKind::RegularFile | FileKind::Memfd => {
                s.linux.vfs.inodes[obj as usize].read(&mut out)
            }
            FileKind::Directory => return Err(EISDIR),
            FileKind::Epoll => return Err(EINVAL),
            FileKind::Tun => return Err(EBADFD),
            FileKind::DevFuse => return Err(EPERM),
            FileKind::Socket(i) => s.linux.vfs.net.recv(i, &mut out, flags, nb)?,
            FileKind::IoUring(_) | FileKind::Misc(_) => return Err(EINVAL),
        };
        let copied = n.min(len);
        s.linux.user.copy_to_user(buf, &out[..copied], 0)?;
        Ok(n)
    })())
}

/// The wake-up keys the pipe and eventfd code passes (`EPOLLIN | EPOLLRDNORM`, ...).
pub const POLL_IN_KEY: u32 = 0x1 | 0x40;
/// `EPOLLOUT | EPOLLWRNORM`.
pub const POLL_OUT_KEY: u32 = 0x4 | 0x100;
/// `EPOLLIN` alone (eventfd).
pub const EPOLLIN_KEY: u32 = 0x1;
/// `EPOLLOUT` alone (eventfd).
pub const EPOLLOUT_KEY: u32 = 0x4;

/// `pipe_write`'s wake-up of readers: a non-empty write to a pipe that was polled
/// (`pipe->poll_usage`, set by `pipe_poll`) wakes `rd_wait` whether or not it was empty, even
/// when no byte fit.
pub fn pipe_write_wake(s: &mut Sim, obj: u32, len: usize) {
    if len > 0 {
        s.linux.vfs.wake(WaitQueue::PipeRd(obj), POLL_IN_KEY);
    }
}

/// `write(fd, buf, count)`.
pub fn sys_write(s: &mut Sim, fd: i32, buf: u64, count: u32) -> i32 {
    sys_sendto_inner(s, fd, buf, count, 0, false)
}

/// `sendto(fd, buf, len, flags, NULL, 0)`.
pub fn sys_sendto(s: &mut Sim, fd: i32, buf: u64, len: u32, flags: u32) -> i32 {
    sys_sendto_inner(s, fd, buf, len, flags, true)
}

fn sys_sendto_inner(
    s: &mut Sim,
    fd: i32,
    buf: u64,
    count: u32,
    flags: u32,
    sock_only: bool,
) -> i32 {
    ret_len((|| {
        let (_, kind, obj, f_flags) = lookup(s, fd)?;
        if sock_only && !matches!(kind, FileKind::Socket(_)) {
            return Err(ENOTSOCK);
        }
        if f_flags & O_ACCMODE == O_RDONLY {
            return Err(EBADF);
        }
        let len = check_rw(s, buf, count)?;
        let mut data = vec![0u8; len];
        s.linux.user.copy_from_user(&mut data, buf)?;
        let nb = f_flags & O_NONBLOCK != 0 || flags & MSG_DONTWAIT != 0;
        match kind {
            FileKind::DevNull | FileKind::DevZero => Ok(len),
            FileKind::PipeRead | FileKind::PipeWrite => {
                let r = s.linux.vfs.pipes[obj as usize].write(&data, nb);
                pipe_write_wake(s, obj, len);
                r
            }
            FileKind::EventFd => {
                let r = eventfd_write(&mut s.linux.vfs.eventfds[obj as usize], &data, nb);
                if r.is_ok() {
                    // `eventfd_write`: `wake_up_locked_poll(&ctx->wqh, EPOLLIN)`.
                    s.linux.vfs.wake(WaitQueue::EventFd(obj), EPOLLIN_KEY);
                }
                r
            }
            FileKind::RegularFile | FileKind::Memfd => {
                Ok(s.linux.vfs.inodes[obj as usize].write(&data, f_flags & O_APPEND != 0))
            }
            FileKind::Directory => Err(EBADF),
            FileKind::Epoll => Err(EINVAL),
            FileKind::Tun => Err(EBADFD),
            FileKind::DevFuse => Err(EPERM),
            FileKind::Socket(i) => s.linux.vfs.net.send(i, &data, nb),
            FileKind::IoUring(_) | FileKind::Misc(_) => Err(EINVAL),
        }
    })())
}

/// `ioctl(fd, cmd, arg)` where `arg` points to an `int` (`FIONBIO`, `FIONREAD`/`SIOCINQ`,
/// `SIOCOUTQ`).
pub fn sys_ioctl(s: &mut Sim, fd: i32, cmd: u32, arg: u64) -> i32 {
    ret((|| {
        let (f, kind, obj, _) = lookup(s, fd)?;
        if cmd == FIONBIO {
            let on = get_user_i32(s, arg)? != 0;
            let fl = s.linux.fds.file_mut(f);
            if on {
                fl.f_flags |= O_NONBLOCK;
            } else {
                fl.f_flags &= !O_NONBLOCK;
            }
            return Ok(0);
        }
        let v = match (kind, cmd) {
            (FileKind::Socket(i), _) => s.linux.vfs.net.ioctl(i, cmd)?,
            (FileKind::PipeRead | FileKind::PipeWrite, FIONREAD) => {
                s.linux.vfs.pipes[obj as usize].len() as i32
            }
            (FileKind::RegularFile | FileKind::Memfd, FIONREAD) => {
                let i = &s.linux.vfs.inodes[obj as usize];
                i.data.len().saturating_sub(i.pos) as i32
            }
            _ => return Err(ENOTTY),
        };
        put_user_i32(s, arg, v)?;
        Ok(0)
    })())
}

/// `fcntl(fd, F_GETFL)` / `fcntl(fd, F_SETFL, flags)`.
pub fn sys_fcntl(s: &mut Sim, fd: i32, cmd: u32, arg: u32) -> i32 {
    ret((|| {
        let (f, _, _, flags) = lookup(s, fd)?;
        match cmd {
            F_GETFL => Ok(flags as i32),
            F_SETFL => {
                let fl = s.linux.fds.file_mut(f);
                fl.f_flags = (fl.f_flags & !SETFL_MASK) | (arg & SETFL_MASK);
                Ok(0)
            }
            _ => Err(EINVAL),
        }
    })())
}

/// `getsockopt(fd, level, optname, optval, optlen)` for `int` options.
pub fn sys_getsockopt(
    s: &mut Sim,
    fd: i32,
    level: u32,
    optname: u32,
    optval: u64,
    optlen: u64,
) -> i32 {
    ret((|| {
        let (i, _) = sock_of(s, fd)?;
        let len = get_user_i32(s, optlen)?;
        let (n, v) = do_sock_getsockopt(s, i, level, optname, len)?;
        s.linux
            .user
            .copy_to_user(optval, &v.to_le_bytes()[..n], 0)?;
        put_user_i32(s, optlen, n as i32)?;
        Ok(0)
    })())
}

/// `do_sock_getsockopt` / `sk_getsockopt` for an `int` option: returns the length to report
/// (`min(len, sizeof(int))`) and the value.
///
/// # Errors
///
/// `EINVAL` for a negative length, or the protocol's error.
pub fn do_sock_getsockopt(
    s: &Sim,
    i: u32,
    level: u32,
    optname: u32,
    len: i32,
) -> Result<(usize, i32), i32> {
    if len < 0 {
        return Err(EINVAL);
    }
    let v = s.linux.vfs.net.getsockopt(i, level, optname)?;
    Ok(((len as usize).min(4), v))
}

/// `setsockopt(fd, level, optname, optval, optlen)` for `int` options.
pub fn sys_setsockopt(
    s: &mut Sim,
    fd: i32,
    level: u32,
    optname: u32,
    optval: u64,
    optlen: u32,
) -> i32 {
    ret((|| {
        let (i, _) = sock_of(s, fd)?;
        do_sock_setsockopt(s, i, level, optname, optval, optlen as i32).map(|_| 0)
    })())
}

/// `do_sock_setsockopt` for an `int` option read from user memory.
///
/// # Errors
///
/// `EINVAL` when `optlen` is shorter than an `int`, `EFAULT` for a bad pointer, or the
/// protocol's error.
pub fn do_sock_setsockopt(
    s: &mut Sim,
    i: u32,
    level: u32,
    optname: u32,
    optval: u64,
    optlen: i32,
) -> Result<(), i32> {
    if optlen < 4 {
        return Err(EINVAL);
    }
    let v = get_user_i32(s, optval)?;
    s.linux.vfs.net.setsockopt(i, level, optname, v)
}

/// `openat(AT_FDCWD, path, flags)` with the path in user memory: `getname` (`-ENAMETOOLONG`,
/// `-EFAULT`), then [`sys_openat`].
///
/// Mirrors `fs/open.c:do_sys_openat2` → `getname`.
pub fn sys_openat_user(s: &mut Sim, path: u64, len: u32, flags: u32) -> i32 {
    match crate::linux::uaccess::getname(&s.linux.user, path, len) {
        Ok(p) => sys_openat(s, &p, flags),
        Err(e) => -e,
    }
}

/// `mkdirat(AT_FDCWD, path, mode)` with the path in user memory: `getname`, then
/// [`sys_mkdirat`].
///
/// Mirrors `fs/namei.c:do_mkdirat` → `getname`.
pub fn sys_mkdirat_user(s: &mut Sim, path: u64, len: u32) -> i32 {
    match crate::linux::uaccess::getname(&s.linux.user, path, len) {
        Ok(p) => sys_mkdirat(s, &p),
        Err(e) => -e,
    }
}

/// `close(fd)`: removes the descriptor; returns the file when that was its last reference,
/// after releasing the object behind it.
///
/// The caller runs the file's `->release()` through [`crate::linux::fs::__fput`]
/// outside the simulator borrow.
pub fn sys_close(s: &mut Sim, fd: i32) -> Result<Option<Box<file>>, i32> {
    let fl = s.linux.fds.close(fd)?;
    if let Some(f) = &fl {
        release_obj(s, f);
    }
    Ok(fl)
}

/// The kind-specific part of the last `fput`: a pipe end closes, a socket shuts down. (A ring
/// is torn down by its own `f_op->release`, `io_uring_release`, which [`crate::linux::fs::__fput`]
/// runs.)
pub fn release_obj(s: &mut Sim, fl: &file) {
    match fl.kind {
        FileKind::PipeRead | FileKind::PipeWrite => {
            let p = &mut s.linux.vfs.pipes[fl.obj as usize];
            if fl.kind == FileKind::PipeRead {
                p.readers = p.readers.saturating_sub(1);
            } else {
                p.writers = p.writers.saturating_sub(1);
            }
            // `pipe_release`: the last reader or writer gone while the other side stays wakes
            // both wait queues, without a key (`wake_up_interruptible_all`).
            let one_side = (p.readers == 0) != (p.writers == 0);
            if one_side {
                s.linux.vfs.wake(WaitQueue::PipeRd(fl.obj), 0);
                s.linux.vfs.wake(WaitQueue::PipeWr(fl.obj), 0);
            }
        }
        FileKind::Socket(i) => s.linux.vfs.net.release(i),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Config;

    #[test]
    fn open_pipe_write_read_close() {
        let mut s = Sim::new(Config::default());
        let base = s.linux.user.base() as u64;
        assert_eq!(sys_openat(&mut s, b"/dev/nope", O_RDWR), -ENOENT);
        let null = sys_openat(&mut s, b"/dev/null", O_RDWR);
        assert_eq!(null, 3);
        assert_eq!(sys_pipe2(&mut s, base, 0), 0);
        let r = get_user_i32(&s, base).unwrap();
        let w = get_user_i32(&s, base + 4).unwrap();
        assert_eq!((r, w), (4, 5));
        assert_eq!(sys_write(&mut s, w, base + 64, 100), 100);
        assert_eq!(sys_write(&mut s, r, base + 64, 1), -EBADF);
        assert_eq!(sys_ioctl(&mut s, r, FIONREAD, base + 8), 0);
        assert_eq!(get_user_i32(&s, base + 8), Ok(100));
        assert_eq!(sys_read(&mut s, r, base + 64, 40), 40);
        assert!(sys_close(&mut s, r).is_ok());
        assert_eq!(sys_write(&mut s, w, base + 64, 1), -EPIPE);
        assert_eq!(sys_read(&mut s, 999, base, 1), -EBADF);
        assert_eq!(sys_read(&mut s, null, 1, 1), -EFAULT);
    }
}
