//! `IORING_OP_SEND`, `IORING_OP_RECV` (one-shot and `IORING_RECV_MULTISHOT`) and
//! `IORING_OP_ACCEPT` (one-shot and `IORING_ACCEPT_MULTISHOT`) on the simulator's sockets
//! (TCP and UDP over loopback, AF_UNIX pairs; [`crate::linux::net`]).
//!
//! Mirrors: `io_uring/net.c` (`io_sendmsg_prep`, `io_send_setup`, `io_send`,
//! `io_send_select_buffer`, `io_send_finish`, `io_recvmsg_prep`, `io_recvmsg_prep_setup`,
//! `io_recv`, `io_recv_buf_select`, `io_recv_finish`, `io_mshot_prep_retry`, `io_net_retry`,
//! `io_accept_prep`, `io_accept`), `net/socket.c` (`sock_from_file`, `sock_sendmsg`,
//! `sock_recvmsg`, `do_accept`), and the protocols' `sendmsg`/`recvmsg`/`accept` in
//! `net/ipv4/tcp.c`, `net/ipv4/udp.c`, `net/unix/af_unix.c`, `net/ipv4/inet_connection_sock.c`.
//!
//! What the recordings `net_*` show on Linux 6.18 and this model follows:
//! - a RECV (or ACCEPT) that finds nothing waits through async poll on the socket's wait
//!   queue ([`super::poll`]); the peer's `send()`, `connect()` or `close()` wakes it and its
//!   CQE is in the ring when that system call returns;
//! - `MSG_WAITALL` on a stream socket keeps what a short receive got (`sr->done_io`) and
//!   waits again; end of file completes it with what it has;
//! - a receive that leaves bytes queued sets `IORING_CQE_F_SOCK_NONEMPTY` where the protocol
//!   reports them (TCP, AF_UNIX streams; after a FIN, TCP reports 1);
//! - a multishot RECV (it needs `IOSQE_BUFFER_SELECT`, refuses `MSG_WAITALL`) posts one CQE
//!   with `IORING_CQE_F_MORE` per buffer it fills, from the submission or from task_work, and
//!   ends without `F_MORE` on `-ENOBUFS`, end of file, an error or a cancel; a multishot
//!   ACCEPT posts one descriptor per connection the same way;
//! - a file that is no socket is `-ENOTSOCK`; unknown `ioprio` flags are `-EINVAL` at prep.
//!
//! Not modelled (refused with [`ENOTMODELLED`]): a destination address on SEND (`addr2`),
//! bundles (`IORING_RECVSEND_BUNDLE`), `MSG_*` flags other than `MSG_DONTWAIT`,
//! `MSG_WAITALL`, `MSG_NOSIGNAL` (SEND) and `MSG_PEEK`, `MSG_TRUNC` (RECV), the peer address of
//! ACCEPT and accepting into a fixed-file slot.

use super::opdata::*;
use super::sqe::{sqe16, sqe32, sqe64};
use super::types::*;
use super::*;
use crate::uapi::socket::*;

/// `IORING_RECVSEND_POLL_FIRST`: wait for readiness before the first attempt.
pub const IORING_RECVSEND_POLL_FIRST: u16 = 1 << 0;
/// `IORING_RECV_MULTISHOT`.
pub const IORING_RECV_MULTISHOT: u16 = 1 << 1;
/// `IORING_RECVSEND_FIXED_BUF` (zero-copy sends only).
pub const IORING_RECVSEND_FIXED_BUF: u16 = 1 << 2;
/// `IORING_RECVSEND_BUNDLE`.
pub const IORING_RECVSEND_BUNDLE: u16 = 1 << 4;
/// `IORING_ACCEPT_MULTISHOT`.
pub const IORING_ACCEPT_MULTISHOT: u16 = 1 << 0;
/// `IORING_ACCEPT_DONTWAIT`.
pub const IORING_ACCEPT_DONTWAIT: u16 = 1 << 1;
/// `IORING_ACCEPT_POLL_FIRST`.
pub const IORING_ACCEPT_POLL_FIRST: u16 = 1 << 2;
/// `MULTISHOT_MAX_RETRY`: receives one wake-up may do before the request is requeued.
pub const MULTISHOT_MAX_RETRY: u32 = 32;
/// `SOCK_CLOEXEC` (= `O_CLOEXEC`).
const SOCK_CLOEXEC_FLAG: u32 = 0o2_000_000;
/// `SOCK_NONBLOCK` (= `O_NONBLOCK`).
const SOCK_NONBLOCK_FLAG: u32 = 0o4000;

/// What a net issue handler tells its caller, beyond "completed" (0) and errors.
/// `IOU_ISSUE_SKIP_COMPLETE`: in flight (a multishot request stays armed).
pub const IOU_ISSUE_SKIP_COMPLETE: i32 = -EIOCBQUEUED;

fn not_modelled(s: &mut Sim, req: Req) -> i32 {
    super::rw::not_modelled(s, req, not_modelled::FIELD)
}

/// `io_sendmsg_prep` + `io_send_setup` for `IORING_OP_SEND`.
///
/// # Errors
///
/// `EINVAL` for unknown `ioprio` flags or a non-zero `__pad3`; `EFAULT` when the buffer is not
/// a user range (`import_ubuf`); [`ENOTMODELLED`] for what the module doc lists.
pub fn io_send_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let flags = sqe16(sqe, sqe_off::IOPRIO);
    if flags & !(IORING_RECVSEND_POLL_FIRST | IORING_RECVSEND_BUNDLE) != 0 {
        return Err(EINVAL);
    }
    let msg_flags = sqe32(sqe, sqe_off::OP_FLAGS) | MSG_NOSIGNAL;
    if flags & IORING_RECVSEND_BUNDLE != 0 {
        return Err(not_modelled(s, req));
    }
    // `__pad3[0]`: the upper half of the `splice_fd_in` word.
    if sqe16(sqe, sqe_off::SPLICE_FD_IN + 2) != 0 {
        return Err(EINVAL);
    }
    if sqe64(sqe, sqe_off::OFF) != 0
        || msg_flags & !(MSG_DONTWAIT | MSG_WAITALL | MSG_NOSIGNAL) != 0
    {
        return Err(not_modelled(s, req));
    }
    let extra = if msg_flags & MSG_DONTWAIT != 0 {
        REQ_F_NOWAIT
    } else {
        0
    };
    sr_setup(s, req, sqe, flags, msg_flags, extra)
}

/// The part `io_sendmsg_prep` and `io_recvmsg_prep` share once their checks passed: without
/// `IOSQE_BUFFER_SELECT` the buffer must be a user range (`import_ubuf` → `access_ok`, else
/// `-EFAULT`); then the request keeps the descriptor, buffer, flags and buffer group.
fn sr_setup(
    s: &mut Sim,
    req: Req,
    sqe: &[u8],
    flags: u16,
    msg_flags: u32,
    extra: u32,
) -> Result<(), i32> {
    let addr = sqe64(sqe, sqe_off::ADDR);
    let len = sqe32(sqe, sqe_off::LEN);
    let select = live!(s.req(req)).flags & REQ_F_BUFFER_SELECT != 0;
    if !select && !super::rw::user_range_ok(addr, u64::from(len.min(super::rw::MAX_RW_COUNT))) {
        return Err(EFAULT);
    }
    let r = live!(s.req_mut(req));
    r.flags |= extra;
    r.fd = sqe32(sqe, sqe_off::FD) as i32;
    r.op.addr = addr;
    r.op.len = len;
    r.op.sr_flags = flags;
    r.op.msg_flags = msg_flags;
    r.op.done_io = 0;
    r.op.buf_group = sqe16(sqe, sqe_off::BUF_INDEX);
    r.op.kbuf = None;
    Ok(())
}

/// `io_recvmsg_prep` + `io_recvmsg_prep_setup` for `IORING_OP_RECV`.
///
/// # Errors
///
/// `EINVAL` for `addr2`/`file_index`, unknown `ioprio` flags, and a multishot RECV without
/// `IOSQE_BUFFER_SELECT` or with `MSG_WAITALL`; `EFAULT` for a buffer that is not a user range;
/// [`ENOTMODELLED`] for what the module doc lists.
pub fn io_recv_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    if sqe64(sqe, sqe_off::OFF) != 0 || sqe32(sqe, sqe_off::SPLICE_FD_IN) != 0 {
        return Err(EINVAL);
    }
    let flags = sqe16(sqe, sqe_off::IOPRIO);
    if flags & !(IORING_RECVSEND_POLL_FIRST | IORING_RECV_MULTISHOT | IORING_RECVSEND_BUNDLE) != 0 {
        return Err(EINVAL);
    }
    let msg_flags = sqe32(sqe, sqe_off::OP_FLAGS);
    let rflags = live!(s.req(req)).flags;
    let select = rflags & REQ_F_BUFFER_SELECT != 0;
    let mut extra = 0;
    if msg_flags & MSG_DONTWAIT != 0 {
        extra |= REQ_F_NOWAIT;
    }
    if flags & IORING_RECV_MULTISHOT != 0 {
        if !select || msg_flags & MSG_WAITALL != 0 {
            return Err(EINVAL);
        }
        extra |= REQ_F_APOLL_MULTISHOT;
    }
    if flags & IORING_RECVSEND_BUNDLE != 0
        || msg_flags & !(MSG_DONTWAIT | MSG_WAITALL | MSG_PEEK | MSG_TRUNC) != 0
    {
        return Err(not_modelled(s, req));
    }
    sr_setup(s, req, sqe, flags, msg_flags, extra)
}

/// `io_accept_prep`.
///
/// # Errors
///
/// `EINVAL` for a non-zero `len` or `buf_index`, unknown `ioprio` flags, or accept flags other
/// than `SOCK_CLOEXEC | SOCK_NONBLOCK`; [`ENOTMODELLED`] for a peer-address buffer or a
/// fixed-file slot.
pub fn io_accept_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    if sqe32(sqe, sqe_off::LEN) != 0 || sqe16(sqe, sqe_off::BUF_INDEX) != 0 {
        return Err(EINVAL);
    }
    let flags = sqe32(sqe, sqe_off::OP_FLAGS);
    let iou = sqe16(sqe, sqe_off::IOPRIO);
    if iou & !(IORING_ACCEPT_MULTISHOT | IORING_ACCEPT_DONTWAIT | IORING_ACCEPT_POLL_FIRST) != 0 {
        return Err(EINVAL);
    }
    let slot = sqe32(sqe, sqe_off::SPLICE_FD_IN);
    if slot == 0 && flags & !(SOCK_CLOEXEC_FLAG | SOCK_NONBLOCK_FLAG) != 0 {
        return Err(EINVAL);
    }
    if slot != 0 || sqe64(sqe, sqe_off::ADDR) != 0 || sqe64(sqe, sqe_off::OFF) != 0 {
        return Err(not_modelled(s, req));
    }
    let r = live!(s.req_mut(req));
    if iou & IORING_ACCEPT_MULTISHOT != 0 {
        r.flags |= REQ_F_APOLL_MULTISHOT;
    }
    if iou & IORING_ACCEPT_DONTWAIT != 0 {
        r.flags |= REQ_F_NOWAIT;
    }
    r.fd = sqe32(sqe, sqe_off::FD) as i32;
    r.op.sr_flags = iou;
    r.op.accept_flags = flags;
    Ok(())
}

/// `sock_from_file`: the socket behind the request's file, or `ENOTSOCK`.
fn sock_of(s: &Sim, req: Req) -> Result<u32, i32> {
    let f = live!(s.req(req)).file.ok_or(EBADF)?;
    match s.linux.fds.file(f).kind {
        FileKind::Socket(i) => Ok(i),
        _ => Err(ENOTSOCK),
    }
}

fn ids(s: &Sim, req: Req) -> (u32, u64) {
    let r = live!(s.req(req));
    (r.serial, r.user_data)
}

/// `io_net_retry`: a short transfer with `MSG_WAITALL` on a stream or seqpacket socket is
/// kept and retried.
fn io_net_retry(s: &Sim, sock: u32, flags: u32) -> bool {
    flags & MSG_WAITALL != 0 && s.linux.vfs.net.sock(sock).ty != SOCK_DGRAM
}

fn emit_xfer(s: &mut Sim, req: Req, send: bool, ret: i64, bid: Option<u16>) {
    let ring = req.ring;
    let (serial, ud) = ids(s, req);
    let b = i64::from(send) | bid.map_or(0, |b| i64::from(b) + 1) << 32;
    s.emit(Event::sim_net_xfer, ring, serial, ud, ret, b);
}

/// `io_send`: one attempt.
pub fn io_send(s: &mut Sim, req: Req, issue_flags: u32) -> i32 {
    let ring = req.ring;
    let sock = match sock_of(s, req) {
        Ok(i) => i,
        Err(e) => return -e,
    };
    let o = live!(s.req(req)).op;
    let polled = live!(s.req(req)).flags & REQ_F_POLLED != 0;
    if !polled && o.sr_flags & IORING_RECVSEND_POLL_FIRST != 0 {
        return -EAGAIN;
    }
    let nonblock = issue_flags & IO_URING_F_NONBLOCK != 0;
    let (mut addr, mut len) = (o.addr, o.len);
    if super::kbuf::io_do_buffer_select(s, req) {
        // `io_send_select_buffer` → `io_buffers_select`: a missing group is -ENOENT.
        if !live!(s.ring(ring))
            .ops
            .buf_lists
            .iter()
            .any(|l| l.bgid == o.buf_group)
        {
            return -ENOENT;
        }
        match super::kbuf::io_buffer_select(s, req, len) {
            Some((a, l)) => {
                addr = a;
                len = l;
            }
            None => return -ENOBUFS,
        }
    }
    let flags = o.msg_flags;
    let min_ret = if flags & MSG_WAITALL != 0 {
        len as i32
    } else {
        0
    };
    let mut data = vec![0u8; len as usize];
    let ret: i32 = if !data.is_empty() && s.linux.user.copy_from_user(&mut data, addr).is_err() {
        -EFAULT
    } else {
        match s.linux.vfs.net.send(sock, &data, true) {
            Ok(n) => n as i32,
            Err(e) => -e,
        }
    };
    let bid = live!(s.req(req)).op.kbuf.map(|k| k.bid);
    emit_xfer(s, req, true, i64::from(ret), bid);
    super::poll::io_poll_wake_ready(s);
    let mut ret = ret;
    if ret < min_ret {
        if ret == -EAGAIN && nonblock {
            return -EAGAIN;
        }
        if ret > 0 && io_net_retry(s, sock, flags) {
            let r = live!(s.req_mut(req));
            r.op.len -= ret as u32;
            r.op.addr += ret as u64;
            r.op.done_io += ret as u32;
            return -EAGAIN;
        }
        req_set_fail(s, req);
    }
    let done = live!(s.req(req)).op.done_io as i32;
    if ret >= 0 {
        ret += done;
    } else if done != 0 {
        ret = done;
    }
    let cflags = super::kbuf::io_put_kbuf(s, req);
    io_req_set_res(s, req, ret, cflags);
    0
}

/// `io_recv`: receives until the socket has nothing (a multishot request may post several
/// CQEs on the way, `io_recv_finish`). `issue_flags` with `IO_URING_F_MULTISHOT` when the
/// armed poll of a multishot request runs it (`io_poll_issue`).
///
/// Returns 0 when the request completed (its result set), [`IOU_ISSUE_SKIP_COMPLETE`] when a
/// multishot request stays armed, `-EAGAIN` to wait through async poll, or an error.
pub fn io_recv(s: &mut Sim, req: Req, issue_flags: u32) -> i32 {
    let polled = live!(s.req(req)).flags & REQ_F_POLLED != 0;
    let sr_flags = live!(s.req(req)).op.sr_flags;
    if !polled && sr_flags & IORING_RECVSEND_POLL_FIRST != 0 {
        return -EAGAIN;
    }
    let sock = match sock_of(s, req) {
        Ok(i) => i,
        Err(e) => return -e,
    };
    let nonblock = issue_flags & IO_URING_F_NONBLOCK != 0;
    let mshot_issue = issue_flags & IO_URING_F_MULTISHOT != 0;
    let mut loops = 0u32;
    loop {
        let o = live!(s.req(req)).op;
        let flags = o.msg_flags;
        let (mut addr, mut len) = (o.addr, o.len);
        let mut ret: i32;
        let mut inq: i32 = -1;
        if super::kbuf::io_do_buffer_select(s, req) {
            match super::kbuf::io_buffer_select(s, req, len) {
                Some((a, l)) => {
                    addr = a;
                    len = l;
                    ret = 0;
                }
                None => ret = -ENOBUFS,
            }
        } else {
            ret = 0;
        }
        let min_ret = if flags & MSG_WAITALL != 0 {
            len as i32
        } else {
            0
        };
        let mut trunc = false;
        if ret == 0 {
            let readable = s.linux.vfs.net.poll(sock) & super::poll::EPOLLIN != 0;
            ret = if readable && len > 0 && !s.linux.user.access_ok(addr, len as usize) {
                -EFAULT
            } else {
                let mut out = vec![0u8; len as usize];
                match s.linux.vfs.net.recv(sock, &mut out, flags, true) {
                    Ok(n) => {
                        let copied = n.min(out.len());
                        trunc = n > out.len();
                        if copied > 0 {
                            let serial = live!(s.req(req)).serial;
                            let _ = s.linux.user.copy_to_user_as(
                                addr,
                                &out[..copied],
                                Prov::Core,
                                serial,
                            );
                        }
                        inq = s.linux.vfs.net.inq(sock);
                        n as i32
                    }
                    Err(e) => -e,
                }
            };
            let bid = live!(s.req(req)).op.kbuf.map(|k| k.bid);
            emit_xfer(s, req, false, i64::from(ret), bid);
            super::poll::io_poll_wake_ready(s);
        } else {
            req_set_fail(s, req);
        }
        if ret != -ENOBUFS {
            if ret < min_ret {
                if ret == -EAGAIN && nonblock {
                    if mshot_issue {
                        super::kbuf::io_kbuf_recycle(s, req);
                        return IOU_ISSUE_SKIP_COMPLETE;
                    }
                    return -EAGAIN;
                }
                if ret > 0 && io_net_retry(s, sock, flags) {
                    let r = live!(s.req_mut(req));
                    r.op.len -= ret as u32;
                    r.op.addr += ret as u64;
                    r.op.done_io += ret as u32;
                    return -EAGAIN;
                }
                req_set_fail(s, req);
            } else if flags & MSG_WAITALL != 0 && trunc {
                req_set_fail(s, req);
            }
        }
        let mshot_finished = ret <= 0;
        let done = live!(s.req(req)).op.done_io as i32;
        if ret > 0 {
            ret += done;
        } else if done != 0 {
            ret = done;
        } else {
            super::kbuf::io_kbuf_recycle(s, req);
        }
        // `io_recv_finish`.
        let mut cflags = 0;
        if inq > 0 {
            cflags |= IORING_CQE_F_SOCK_NONEMPTY;
        }
        cflags |= super::kbuf::io_put_kbuf(s, req);
        let multishot = live!(s.req(req)).flags & REQ_F_APOLL_MULTISHOT != 0;
        if multishot && !mshot_finished && io_req_post_cqe(s, req, ret, cflags | IORING_CQE_F_MORE)
        {
            // `io_mshot_prep_retry`.
            {
                let r = live!(s.req_mut(req));
                r.op.done_io = 0;
                r.op.len = 0;
            }
            if (cflags & IORING_CQE_F_SOCK_NONEMPTY != 0 || inq < 0) && loops < MULTISHOT_MAX_RETRY
            {
                loops += 1;
                continue;
            }
            return if mshot_issue {
                IOU_ISSUE_SKIP_COMPLETE
            } else {
                -EAGAIN
            };
        }
        io_req_set_res(s, req, ret, cflags);
        return 0;
    }
}

/// `io_accept`: takes a connection from the listener's accept queue and installs it as a new
/// descriptor (`__get_unused_fd_flags` + `do_accept` + `fd_install`). A multishot ACCEPT posts
/// each descriptor with `IORING_CQE_F_MORE` and takes the next while the queue has more.
pub fn io_accept(s: &mut Sim, req: Req, issue_flags: u32) -> i32 {
    let ring = req.ring;
    let (o, rflags) = {
        let r = live!(s.req(req));
        (r.op, r.flags)
    };
    if rflags & REQ_F_POLLED == 0 && o.sr_flags & IORING_ACCEPT_POLL_FIRST != 0 {
        return -EAGAIN;
    }
    let nonblock = issue_flags & IO_URING_F_NONBLOCK != 0;
    let mshot_issue = issue_flags & IO_URING_F_MULTISHOT != 0;
    loop {
        let res = sock_of(s, req).and_then(|i| {
            let c = s.linux.vfs.net.accept(i, true)?;
            Ok((i, c))
        });
        let (ret, cflags) = match res {
            Err(e) => {
                if e == EAGAIN && nonblock && o.sr_flags & IORING_ACCEPT_DONTWAIT == 0 {
                    if mshot_issue {
                        return IOU_ISSUE_SKIP_COMPLETE;
                    }
                    return -EAGAIN;
                }
                (-e, 0)
            }
            Ok((l, c)) => {
                let fd = crate::linux::syscalls::install_sock(s, c, o.accept_flags);
                let nonempty = !s.linux.vfs.net.accept_queue_empty(l);
                (
                    fd,
                    if nonempty {
                        IORING_CQE_F_SOCK_NONEMPTY
                    } else {
                        0
                    },
                )
            }
        };
        let (serial, ud) = ids(s, req);
        s.emit(Event::sim_accept, ring, serial, ud, i64::from(ret), 0);
        let multishot = live!(s.req(req)).flags & REQ_F_APOLL_MULTISHOT != 0;
        if ret >= 0 && multishot && io_req_post_cqe(s, req, ret, cflags | IORING_CQE_F_MORE) {
            if cflags & IORING_CQE_F_SOCK_NONEMPTY != 0 {
                continue;
            }
            return if mshot_issue {
                IOU_ISSUE_SKIP_COMPLETE
            } else {
                -EAGAIN
            };
        }
        if ret < 0 {
            req_set_fail(s, req);
        }
        io_req_set_res(s, req, ret, cflags);
        return 0;
    }
}
