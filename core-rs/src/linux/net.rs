//! Sockets on one loopback host: TCP and UDP over 127.0.0.1 and AF_UNIX socket pairs.
//!
//! Mirrors: `net/socket.c` (`__sys_socket`, `__sys_socketpair`, `__sys_bind`, `__sys_listen`,
//! `__sys_connect`, `__sys_accept4`, `sock_ioctl`, `do_sock_getsockopt`, `do_sock_setsockopt`,
//! `socket_file_ops` whose `.uring_cmd` is `io_uring_cmd_sock`), `net/core/sock.c`
//! (`sk_getsockopt`, `sk_setsockopt`, `SOCK_MIN_RCVBUF`, `SOCK_MIN_SNDBUF`),
//! `net/ipv4/tcp.c` (`tcp_ioctl`, `tcp_inq`, `tcp_sendmsg`, `tcp_recvmsg`),
//! `net/ipv4/udp.c` (`udp_ioctl`, `first_packet_length`, `udp_sendmsg`),
//! `net/unix/af_unix.c` (`unix_ioctl`, `unix_inq_len`, `unix_outq_len`,
//! `unix_stream_sendmsg`, `unix_dgram_sendmsg`; `unix_*_proto` has no `.ioctl`).
//!
//! Differences from upstream, chosen so the answers the conformance traces record come out the
//! same while the model stays small:
//! - Loopback delivery is instantaneous and every byte that reaches the peer's receive queue is
//!   acknowledged at once, so TCP `SIOCOUTQ` counts only bytes still waiting in the sender's
//!   write queue because the receiver's buffer was full (the kernel also counts bytes in
//!   flight, which on loopback settle to 0 within microseconds).
//! - Buffer budgets use `sk_rcvbuf`/`sk_sndbuf` (defaults measured on Linux 6.18: TCP
//!   131072/16384, UDP and AF_UNIX 212992/212992) against data bytes (TCP) or the skb truesize
//!   estimate of [`skb_truesize`] (UDP, AF_UNIX); the kernel's window and autotuning logic is
//!   not modelled.
//! - Calls that would sleep forever in a one-thread program (accept on an empty queue, a
//!   blocking read with no data, a blocking write into a full buffer) end with `-EINTR`, as the
//!   recorder's alarm makes them end.

use std::collections::VecDeque;

pub use crate::include::linux::{Net, SkState, Skb, Sock, SockaddrIn};
use crate::uapi::errno::*;
use crate::uapi::socket::*;

/// `SOCK_MIN_RCVBUF` on x86-64 (`net/core/sock.c`).
pub const SOCK_MIN_RCVBUF: u32 = 2304;
/// `SOCK_MIN_SNDBUF` on x86-64.
pub const SOCK_MIN_SNDBUF: u32 = 4608;
/// `net.core.rmem_max` / `wmem_max` defaults: the cap on `SO_RCVBUF`/`SO_SNDBUF` requests.
pub const SYSCTL_MEM_MAX: u32 = 212_992;
/// `tcp_rmem[1]`: a new TCP socket's `sk_rcvbuf`.
pub const TCP_RMEM_DEFAULT: u32 = 131_072;
/// `tcp_wmem[1]`: a new TCP socket's `sk_sndbuf`.
pub const TCP_WMEM_DEFAULT: u32 = 16_384;
/// `net.core.rmem_default`/`wmem_default`: UDP and AF_UNIX sockets.
pub const SK_MEM_DEFAULT: u32 = 212_992;

/// The key `sock_def_readable` wakes a socket's waiters with
/// (`EPOLLIN | EPOLLPRI | EPOLLRDNORM | EPOLLRDBAND`).
pub const KEY_IN: u32 = 0x1 | 0x2 | 0x40 | 0x80;
/// The key the write-space callbacks wake with (`EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND`).
pub const KEY_OUT: u32 = 0x4 | 0x100 | 0x200;

// `include/uapi/linux/eventpoll.h` bits `sock_poll` answers with.
const POLLIN: u32 = 0x1;
const POLLOUT: u32 = 0x4;
const POLLERR: u32 = 0x8;
const POLLHUP: u32 = 0x10;
const POLLRDNORM: u32 = 0x40;
const POLLWRNORM: u32 = 0x100;
const POLLWRBAND: u32 = 0x200;
const POLLRDHUP: u32 = 0x2000;
/// First port of `net.ipv4.ip_local_port_range`.
pub const EPHEMERAL_PORT_FIRST: u16 = 32768;

/// Estimates an skb's `truesize` for `len` data bytes: the `kmalloc` bucket of the head
/// (`SKB_DATA_ALIGN(len)` plus 320 bytes of `skb_shared_info`) plus 256 bytes of `sk_buff`.
///
/// Matches what `SIOCOUTQ` on an AF_UNIX socket reported on Linux 6.18 for writes up to about
/// 2 KiB (768 bytes for up to 192 data bytes, 1280 up to 512, 2304 up to 1024).
pub fn skb_truesize(len: usize) -> u32 {
    let head = ((len + 63) & !63) + 320;
    let bucket = if head <= 96 {
        96
    } else if head <= 192 {
        192
    } else {
        head.next_power_of_two()
    };
    (bucket + 256) as u32
}

impl Sock {
    fn new(family: u32, ty: u32, protocol: u32) -> Sock {
        let (rcvbuf, sndbuf) = if family == AF_INET && ty == SOCK_STREAM {
            (TCP_RMEM_DEFAULT, TCP_WMEM_DEFAULT)
        } else {
            (SK_MEM_DEFAULT, SK_MEM_DEFAULT)
        };
        Sock {
            family,
            ty,
            protocol,
            state: SkState::Close,
            port: 0,
            peer_port: 0,
            peer: None,
            backlog: 0,
            accept_q: VecDeque::new(),
            rcv: VecDeque::new(),
            snd: VecDeque::new(),
            wmem: 0,
            rcvbuf,
            sndbuf,
            keepalive: false,
            reuseaddr: false,
            broadcast: false,
            nodelay: false,
            rcv_shutdown: false,
            snd_shutdown: false,
            closed: false,
            err: 0,
        }
    }

    /// Returns whether this is a TCP socket.
    pub fn is_tcp(&self) -> bool {
        self.family == AF_INET && self.ty == SOCK_STREAM
    }

    /// Returns whether this is a UDP socket.
    pub fn is_udp(&self) -> bool {
        self.family == AF_INET && self.ty == SOCK_DGRAM
    }

    /// Returns whether `sk->sk_prot->ioctl` exists: TCP (`tcp_ioctl`) and UDP (`udp_ioctl`)
    /// have one, the AF_UNIX protos do not.
    pub fn prot_has_ioctl(&self) -> bool {
        self.family == AF_INET
    }

    /// Returns whether the socket keeps message boundaries (datagram and seqpacket).
    pub fn is_record(&self) -> bool {
        self.ty != SOCK_STREAM
    }

    fn rcv_bytes(&self) -> usize {
        self.rcv.iter().map(|s| s.data.len()).sum()
    }

    fn rcv_truesize(&self) -> u32 {
        self.rcv.iter().map(|s| s.truesize).sum()
    }
}

impl SockaddrIn {
    /// Parses the 16 bytes of a `struct sockaddr_in`; `-EAFNOSUPPORT` for another family.
    pub fn parse(b: &[u8]) -> Result<SockaddrIn, i32> {
        if b.len() < 8 {
            return Err(EINVAL);
        }
        let family = u16::from_le_bytes([b[0], b[1]]) as u32;
        if family != AF_INET {
            return Err(EAFNOSUPPORT);
        }
        Ok(SockaddrIn {
            port: u16::from_be_bytes([b[2], b[3]]),
            addr: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
        })
    }

    /// Encodes a `struct sockaddr_in`.
    pub fn encode(self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[0..2].copy_from_slice(&(AF_INET as u16).to_le_bytes());
        b[2..4].copy_from_slice(&self.port.to_be_bytes());
        b[4..8].copy_from_slice(&self.addr.to_be_bytes());
        b
    }
}

impl Net {
    /// Returns a socket.
    pub fn sock(&self, i: u32) -> &Sock {
        &self.socks[i as usize]
    }

    /// Returns a socket, mutably.
    pub fn sock_mut(&mut self, i: u32) -> &mut Sock {
        &mut self.socks[i as usize]
    }

    /// `__sock_create`: checks family, type and protocol and creates a socket.
    pub fn create(&mut self, family: u32, ty: u32, protocol: u32) -> Result<u32, i32> {
        let protocol = match (family, ty) {
            (AF_INET, SOCK_STREAM) if protocol == 0 || protocol == IPPROTO_TCP => IPPROTO_TCP,
            (AF_INET, SOCK_DGRAM) if protocol == 0 || protocol == IPPROTO_UDP => IPPROTO_UDP,
            (AF_INET, SOCK_STREAM) | (AF_INET, SOCK_DGRAM) => return Err(EPROTONOSUPPORT),
            (AF_INET, _) => return Err(ESOCKTNOSUPPORT),
            (AF_UNIX, SOCK_STREAM) | (AF_UNIX, SOCK_DGRAM) | (AF_UNIX, SOCK_SEQPACKET) => {
                if protocol != 0 {
                    return Err(EPROTONOSUPPORT);
                }
                0
            }
            (AF_UNIX, _) => return Err(ESOCKTNOSUPPORT),
            _ => return Err(EAFNOSUPPORT),
        };
        self.socks.push(Sock::new(family, ty, protocol));
        Ok(self.socks.len() as u32 - 1)
    }

    /// `unix_socketpair`: two connected AF_UNIX sockets.
    pub fn pair(&mut self, family: u32, ty: u32, protocol: u32) -> Result<(u32, u32), i32> {
        if family != AF_UNIX {
            return Err(EOPNOTSUPP);
        }
        let a = self.create(family, ty, protocol)?;
        let b = self.create(family, ty, protocol)?;
        for (x, y) in [(a, b), (b, a)] {
            let s = self.sock_mut(x);
            s.peer = Some(y);
            s.state = SkState::Established;
        }
        Ok((a, b))
    }

    fn alloc_port(&mut self) -> u16 {
        if self.next_port < EPHEMERAL_PORT_FIRST {
            self.next_port = EPHEMERAL_PORT_FIRST;
        }
        loop {
            let p = self.next_port;
            self.next_port = self.next_port.wrapping_add(1).max(EPHEMERAL_PORT_FIRST);
            if !self.port_in_use(p, None) {
                return p;
            }
        }
    }

    fn port_in_use(&self, port: u16, ty: Option<u32>) -> bool {
        self.socks.iter().any(|s| {
            !s.closed && s.family == AF_INET && s.port == port && ty.map_or(true, |t| t == s.ty)
        })
    }

    /// `inet_bind`: loopback or any address; port 0 picks an ephemeral port.
    pub fn bind(&mut self, i: u32, addr: SockaddrIn) -> Result<(), i32> {
        let s = self.sock(i);
        if s.family != AF_INET {
            return Err(EINVAL);
        }
        if s.port != 0 {
            return Err(EINVAL);
        }
        if addr.addr != INADDR_LOOPBACK && addr.addr != INADDR_ANY {
            return Err(EADDRNOTAVAIL);
        }
        let ty = s.ty;
        let port = if addr.port == 0 {
            self.alloc_port()
        } else {
            if self.port_in_use(addr.port, Some(ty)) {
                return Err(EADDRINUSE);
            }
            addr.port
        };
        self.sock_mut(i).port = port;
        Ok(())
    }

    /// `inet_listen`.
    pub fn listen(&mut self, i: u32, backlog: i32) -> Result<(), i32> {
        let needs_port = {
            let s = self.sock(i);
            if !s.is_tcp() || s.state == SkState::Established {
                return Err(if s.family == AF_UNIX {
                    EINVAL
                } else {
                    EOPNOTSUPP
                });
            }
            s.port == 0
        };
        if needs_port {
            let p = self.alloc_port();
            self.sock_mut(i).port = p;
        }
        let s = self.sock_mut(i);
        s.state = SkState::Listen;
        s.backlog = backlog.max(0) as u32;
        Ok(())
    }

    /// `inet_stream_connect` / `inet_dgram_connect` to 127.0.0.1:`port`.
    ///
    /// TCP: the listener's accept queue gets the server end, which inherits the listener's
    /// buffer sizes and options (as `inet_csk_clone_lock` copies them); both ends are
    /// established. UDP: only records the destination.
    pub fn connect(&mut self, i: u32, addr: SockaddrIn) -> Result<(), i32> {
        let (is_tcp, is_udp, state, port) = {
            let s = self.sock(i);
            (s.is_tcp(), s.is_udp(), s.state, s.port)
        };
        if !is_tcp && !is_udp {
            return Err(EINVAL);
        }
        if addr.addr != INADDR_LOOPBACK {
            // Only the loopback host exists.
            return Err(ECONNREFUSED);
        }
        if port == 0 {
            let p = self.alloc_port();
            self.sock_mut(i).port = p;
        }
        if is_udp {
            let s = self.sock_mut(i);
            s.peer_port = addr.port;
            s.state = SkState::Established;
            return Ok(());
        }
        if state == SkState::Established {
            return Err(EISCONN);
        }
        if state == SkState::Listen {
            return Err(EINVAL);
        }
        let listener = self
            .socks
            .iter()
            .position(|l| {
                !l.closed && l.is_tcp() && l.state == SkState::Listen && l.port == addr.port
            })
            .ok_or(ECONNREFUSED)? as u32;
        let (backlog, queued) = {
            let l = self.sock(listener);
            (l.backlog, l.accept_q.len() as u32)
        };
        if queued > backlog {
            // The SYN is dropped and retransmitted until the caller gives up.
            return Err(EINTR);
        }
        let srv = self.create(AF_INET, SOCK_STREAM, IPPROTO_TCP)?;
        let my_port = self.sock(i).port;
        let l = self.sock(listener).clone();
        {
            let s = self.sock_mut(srv);
            s.rcvbuf = l.rcvbuf;
            s.sndbuf = l.sndbuf;
            s.keepalive = l.keepalive;
            s.nodelay = l.nodelay;
            s.port = l.port;
            s.peer_port = my_port;
            s.peer = Some(i);
            s.state = SkState::Established;
        }
        {
            let c = self.sock_mut(i);
            c.peer = Some(srv);
            c.peer_port = addr.port;
            c.state = SkState::Established;
        }
        self.sock_mut(listener).accept_q.push_back(srv);
        // `tcp_child_process` → `sk_data_ready` of the listener: a connection to accept.
        self.wakes.push((listener, KEY_IN));
        Ok(())
    }

    /// `inet_accept`: takes the oldest established connection.
    pub fn accept(&mut self, i: u32, nonblock: bool) -> Result<u32, i32> {
        let s = self.sock_mut(i);
        if s.state != SkState::Listen {
            return Err(EINVAL);
        }
        match s.accept_q.pop_front() {
            Some(c) => Ok(c),
            None => Err(if nonblock { EAGAIN } else { EINTR }),
        }
    }

    /// `unix_writable`: not a listener and at most a quarter of the send buffer in flight.
    fn unix_writable(&self, i: u32) -> bool {
        let s = self.sock(i);
        s.state != SkState::Listen && (s.wmem << 2) <= s.sndbuf
    }

    /// `sock_poll` → the protocol's `->poll`: `tcp_poll` (with `inet_csk_listen_poll` for a
    /// listener), `udp_poll` (`datagram_poll`), `unix_poll`, `unix_dgram_poll`. Returns the
    /// `EPOLL*` mask of what the socket is ready for now.
    pub fn poll(&self, i: u32) -> u32 {
        let s = self.sock(i);
        let readable = !s.rcv.is_empty();
        if s.is_tcp() {
            if s.state == SkState::Listen {
                return if s.accept_q.is_empty() {
                    0
                } else {
                    POLLIN | POLLRDNORM
                };
            }
            let mut m = 0;
            if (s.rcv_shutdown && s.snd_shutdown) || s.state == SkState::Close {
                m |= POLLHUP;
            }
            if s.rcv_shutdown {
                m |= POLLIN | POLLRDNORM | POLLRDHUP;
            }
            if s.state == SkState::Established {
                if readable {
                    m |= POLLIN | POLLRDNORM;
                }
                if !s.snd_shutdown && s.snd.len() < s.sndbuf as usize {
                    m |= POLLOUT | POLLWRNORM;
                }
            }
            if s.err != 0 {
                m |= POLLERR;
            }
            return m;
        }
        if s.is_udp() {
            // `datagram_poll`: always writable (UDP drops instead of blocking).
            let mut m = POLLOUT | POLLWRNORM | POLLWRBAND;
            if readable {
                m |= POLLIN | POLLRDNORM;
            }
            return m;
        }
        // `unix_poll` / `unix_dgram_poll`.
        let mut m = 0;
        if s.err != 0 {
            m |= POLLERR;
        }
        if s.rcv_shutdown && s.snd_shutdown {
            m |= POLLHUP;
        }
        if s.rcv_shutdown {
            m |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if readable {
            m |= POLLIN | POLLRDNORM;
        }
        if s.ty != SOCK_DGRAM && s.state == SkState::Close {
            m |= POLLHUP;
        }
        if self.unix_writable(i) {
            m |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        m
    }

    /// `msg->msg_inq` after a receive that asked for it (`msg_get_inq`): the bytes still
    /// queued on a TCP socket (`tcp_inq_hint`, 1 after a FIN with nothing left) or an AF_UNIX
    /// stream socket (`unix_stream_read_generic`); -1 where the protocol does not report it
    /// (UDP, AF_UNIX datagrams), which io_uring reads as "unknown".
    pub fn inq(&self, i: u32) -> i32 {
        let s = self.sock(i);
        if s.is_tcp() {
            let n = s.rcv_bytes() as i32;
            return if n == 0 && s.rcv_shutdown { 1 } else { n };
        }
        if s.family == AF_UNIX && s.ty == SOCK_STREAM {
            return s.rcv_bytes() as i32;
        }
        -1
    }

    /// Whether a listener's accept queue is empty (`proto_accept_arg.is_empty` after
    /// `inet_csk_accept`).
    pub fn accept_queue_empty(&self, i: u32) -> bool {
        self.sock(i).accept_q.is_empty()
    }

    /// `inet_getname` for the local address.
    pub fn getsockname(&self, i: u32) -> Result<SockaddrIn, i32> {
        let s = self.sock(i);
        if s.family != AF_INET {
            return Err(EOPNOTSUPP);
        }
        Ok(SockaddrIn {
            port: s.port,
            addr: if s.port == 0 {
                INADDR_ANY
            } else {
                INADDR_LOOPBACK
            },
        })
    }

    /// Finds the UDP socket bound to `port`.
    fn udp_by_port(&self, port: u16) -> Option<u32> {
        self.socks
            .iter()
            .position(|s| !s.closed && s.is_udp() && s.port == port)
            .map(|p| p as u32)
    }

    /// Moves TCP bytes waiting in `from`'s write queue into the peer's receive queue while
    /// its buffer has room (the receive window opening).
    fn tcp_push(&mut self, from: u32) {
        let peer = match self.sock(from).peer {
            Some(p) => p,
            None => return,
        };
        if self.sock(peer).closed {
            return;
        }
        let room = (self.sock(peer).rcvbuf as usize).saturating_sub(self.sock(peer).rcv_bytes());
        let n = room.min(self.sock(from).snd.len());
        if n == 0 {
            return;
        }
        let data: Vec<u8> = self.sock_mut(from).snd.drain(..n).collect();
        let truesize = skb_truesize(data.len());
        self.sock_mut(peer).rcv.push_back(Skb {
            data,
            truesize,
            owner: None,
        });
        // `tcp_data_queue` → `tcp_data_ready` → `sk_data_ready`.
        self.wakes.push((peer, KEY_IN));
    }

    /// `sock_sendmsg` for `data` (`tcp_sendmsg`, `udp_sendmsg`, `unix_*_sendmsg`).
    pub fn send(&mut self, i: u32, data: &[u8], nonblock: bool) -> Result<usize, i32> {
        let s = self.sock(i).clone();
        match (s.family, s.ty) {
            (AF_INET, SOCK_STREAM) => {
                if s.state != SkState::Established || s.snd_shutdown {
                    return Err(EPIPE);
                }
                // Bytes the receiver's buffer can take never wait in the write queue; the
                // queue only holds bytes when that buffer is full (`tcp_push` keeps it so).
                let room = (s.sndbuf as usize).saturating_sub(s.snd.len());
                let peer_room = match s.peer {
                    Some(p) if s.snd.is_empty() => {
                        let ps = self.sock(p);
                        (ps.rcvbuf as usize).saturating_sub(ps.rcv_bytes())
                    }
                    _ => 0,
                };
                let n = data.len().min(room + peer_room);
                if n == 0 && !data.is_empty() {
                    return Err(if nonblock { EAGAIN } else { EINTR });
                }
                self.sock_mut(i).snd.extend(data[..n].iter().copied());
                self.tcp_push(i);
                Ok(n)
            }
            (AF_INET, SOCK_DGRAM) => {
                if s.state != SkState::Established {
                    return Err(EDESTADDRREQ);
                }
                if data.len() > 65507 {
                    return Err(EMSGSIZE);
                }
                if s.port == 0 {
                    let p = self.alloc_port();
                    self.sock_mut(i).port = p;
                }
                let truesize = skb_truesize(data.len());
                if let Some(rx) = self.udp_by_port(s.peer_port) {
                    let r = self.sock(rx);
                    // `__udp_enqueue_schedule_skb` drops when the receive buffer is full.
                    if r.rcv_truesize() + truesize <= r.rcvbuf.max(truesize) {
                        self.sock_mut(rx).rcv.push_back(Skb {
                            data: data.to_vec(),
                            truesize,
                            owner: None,
                        });
                        // `__udp_enqueue_schedule_skb` → `sk_data_ready`.
                        self.wakes.push((rx, KEY_IN));
                    }
                }
                Ok(data.len())
            }
            _ => {
                let peer = match s.peer {
                    Some(p) if !self.sock(p).closed => p,
                    _ => {
                        return Err(if s.ty == SOCK_DGRAM {
                            ECONNREFUSED
                        } else {
                            EPIPE
                        })
                    }
                };
                if s.is_record() && data.len() as u32 > s.sndbuf.saturating_sub(32) {
                    return Err(EMSGSIZE);
                }
                let truesize = skb_truesize(data.len());
                if s.wmem >= s.sndbuf || (s.is_record() && s.wmem + truesize > s.sndbuf) {
                    return Err(if nonblock { EAGAIN } else { EINTR });
                }
                self.sock_mut(i).wmem += truesize;
                self.sock_mut(peer).rcv.push_back(Skb {
                    data: data.to_vec(),
                    truesize,
                    owner: Some(i),
                });
                // `unix_stream_sendmsg` / `unix_dgram_sendmsg`: `other->sk_data_ready(other)`.
                self.wakes.push((peer, KEY_IN));
                Ok(data.len())
            }
        }
    }

    /// `sock_recvmsg` into `out` (`tcp_recvmsg`, `udp_recvmsg`, `unix_*_recvmsg`).
    ///
    /// Returns the bytes copied, or the datagram's full length with `MSG_TRUNC`.
    pub fn recv(
        &mut self,
        i: u32,
        out: &mut [u8],
        flags: u32,
        nonblock: bool,
    ) -> Result<usize, i32> {
        let s = self.sock(i);
        if s.is_tcp() && s.state != SkState::Established {
            return Err(ENOTCONN);
        }
        let nonblock = nonblock || flags & MSG_DONTWAIT != 0;
        let peek = flags & MSG_PEEK != 0;
        if s.rcv.is_empty() {
            if s.rcv_shutdown
                || (s.family == AF_UNIX
                    && s.ty != SOCK_DGRAM
                    && s.peer.map_or(true, |p| self.sock(p).closed))
            {
                return Ok(0);
            }
            return Err(if nonblock { EAGAIN } else { EINTR });
        }
        if out.is_empty() && !s.is_record() {
            return Ok(0);
        }
        let record = s.is_record();
        let mut done = 0;
        let mut freed: Vec<(Option<u32>, u32)> = Vec::new();
        if record {
            let skb = if peek {
                self.sock(i).rcv.front().cloned()
            } else {
                self.sock_mut(i).rcv.pop_front()
            }
            .expect("non-empty");
            let n = skb.data.len().min(out.len());
            out[..n].copy_from_slice(&skb.data[..n]);
            done = if flags & MSG_TRUNC != 0 {
                skb.data.len()
            } else {
                n
            };
            if !peek {
                freed.push((skb.owner, skb.truesize));
            }
        } else {
            let sk = self.sock_mut(i);
            let mut idx = 0;
            while done < out.len() && idx < sk.rcv.len() {
                let skb = &mut sk.rcv[idx];
                let n = skb.data.len().min(out.len() - done);
                out[done..done + n].copy_from_slice(&skb.data[..n]);
                done += n;
                if peek {
                    idx += 1;
                    continue;
                }
                skb.data.drain(..n);
                if skb.data.is_empty() {
                    let skb = sk.rcv.pop_front().expect("front");
                    freed.push((skb.owner, skb.truesize));
                }
            }
        }
        for (owner, truesize) in freed {
            if let Some(o) = owner {
                let w = &mut self.sock_mut(o).wmem;
                *w = w.saturating_sub(truesize);
                // `sock_wfree` → `unix_write_space`: the sender may write again.
                if self.unix_writable(o) {
                    self.wakes.push((o, KEY_OUT));
                }
            }
        }
        if let Some(p) = self.sock(i).peer {
            if self.sock(i).is_tcp() {
                self.tcp_push(p);
            }
        }
        Ok(done)
    }

    /// `sk->sk_prot->ioctl` for `SIOCINQ`/`SIOCOUTQ` (`tcp_ioctl`, `udp_ioctl`), as
    /// `io_uring_cmd_sock` calls it.
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` when the protocol has no ioctl (AF_UNIX), `EINVAL` on a TCP listener,
    /// `ENOIOCTLCMD`-style `ENOTTY` for other requests.
    pub fn prot_ioctl(&self, i: u32, cmd: u32) -> Result<i32, i32> {
        let s = self.sock(i);
        if !s.prot_has_ioctl() {
            return Err(EOPNOTSUPP);
        }
        if s.is_tcp() {
            if s.state == SkState::Listen {
                return Err(EINVAL);
            }
            return match cmd {
                SIOCINQ => Ok(s.rcv_bytes() as i32),
                SIOCOUTQ => Ok(s.snd.len() as i32),
                _ => Err(ENOTTY),
            };
        }
        match cmd {
            SIOCINQ => Ok(s.rcv.front().map_or(0, |k| k.data.len()) as i32),
            // `sk_wmem_alloc_get`: a datagram's memory is released once delivered.
            SIOCOUTQ => Ok(0),
            _ => Err(ENOTTY),
        }
    }

    /// `sock_ioctl` → `inet_ioctl` / `unix_ioctl` for a plain `ioctl(2)` on a socket.
    pub fn ioctl(&self, i: u32, cmd: u32) -> Result<i32, i32> {
        let s = self.sock(i);
        if s.family == AF_INET {
            return self.prot_ioctl(i, cmd);
        }
        match cmd {
            SIOCINQ => {
                if s.state == SkState::Listen {
                    return Err(EINVAL);
                }
                // `unix_inq_len`: all queued bytes for stream/seqpacket, the first datagram
                // otherwise.
                Ok(if s.ty == SOCK_DGRAM {
                    s.rcv.front().map_or(0, |k| k.data.len())
                } else {
                    s.rcv_bytes()
                } as i32)
            }
            // `unix_outq_len` = `sk_wmem_alloc_get`.
            SIOCOUTQ => Ok(s.wmem as i32),
            _ => Err(ENOTTY),
        }
    }

    /// `do_sock_getsockopt`: `SOL_SOCKET` through `sk_getsockopt`, `IPPROTO_TCP` through
    /// `tcp_getsockopt`. Returns the `int` value.
    pub fn getsockopt(&self, i: u32, level: u32, optname: u32) -> Result<i32, i32> {
        let s = self.sock(i);
        if level == SOL_SOCKET {
            return Ok(match optname {
                SO_TYPE => s.ty as i32,
                SO_ERROR => 0,
                SO_KEEPALIVE => s.keepalive as i32,
                SO_REUSEADDR => s.reuseaddr as i32,
                SO_BROADCAST => s.broadcast as i32,
                SO_RCVBUF => s.rcvbuf as i32,
                SO_SNDBUF => s.sndbuf as i32,
                SO_ACCEPTCONN => (s.state == SkState::Listen) as i32,
                SO_DOMAIN => s.family as i32,
                SO_PROTOCOL => s.protocol as i32,
                _ => return Err(ENOPROTOOPT),
            });
        }
        if s.is_tcp() && level == IPPROTO_TCP {
            return match optname {
                TCP_NODELAY => Ok(s.nodelay as i32),
                _ => Err(ENOPROTOOPT),
            };
        }
        // Measured on 6.18: a UDP or AF_UNIX socket refuses IPPROTO_TCP with -EOPNOTSUPP.
        Err(EOPNOTSUPP)
    }

    /// `do_sock_setsockopt` with an `int` value.
    pub fn setsockopt(&mut self, i: u32, level: u32, optname: u32, val: i32) -> Result<(), i32> {
        let s = self.sock_mut(i);
        if level == SOL_SOCKET {
            match optname {
                SO_KEEPALIVE => s.keepalive = val != 0,
                SO_REUSEADDR => s.reuseaddr = val != 0,
                SO_BROADCAST => s.broadcast = val != 0,
                // `sk_setsockopt`: double the request (for the skb overhead), cap by the
                // sysctl maximum, floor at the minimum.
                SO_RCVBUF => {
                    let v = (val.max(0) as u32).min(SYSCTL_MEM_MAX);
                    s.rcvbuf = (v * 2).max(SOCK_MIN_RCVBUF);
                }
                SO_SNDBUF => {
                    let v = (val.max(0) as u32).min(SYSCTL_MEM_MAX);
                    s.sndbuf = (v * 2).max(SOCK_MIN_SNDBUF);
                }
                SO_TYPE | SO_ERROR | SO_ACCEPTCONN | SO_DOMAIN | SO_PROTOCOL => {
                    return Err(ENOPROTOOPT)
                }
                _ => return Err(ENOPROTOOPT),
            }
            return Ok(());
        }
        if s.is_tcp() && level == IPPROTO_TCP {
            return match optname {
                TCP_NODELAY => {
                    s.nodelay = val != 0;
                    Ok(())
                }
                _ => Err(ENOPROTOOPT),
            };
        }
        Err(EOPNOTSUPP)
    }

    /// `sock_close` → `inet_release` / `unix_release`: the peer sees end of file and further
    /// writes to it fail; a listener's pending connections are dropped.
    pub fn release(&mut self, i: u32) {
        let (peer, pending) = {
            let s = self.sock_mut(i);
            s.closed = true;
            (s.peer, core::mem::take(&mut s.accept_q))
        };
        // Skbs this socket still has queued at its peer keep their charge until consumed;
        // the ones queued to this socket are freed now.
        let freed: Vec<Skb> = self.sock_mut(i).rcv.drain(..).collect();
        let had_unread = !freed.is_empty();
        for skb in freed {
            if let Some(o) = skb.owner {
                let w = &mut self.sock_mut(o).wmem;
                *w = w.saturating_sub(skb.truesize);
            }
        }
        if let Some(p) = peer {
            let unread = self.sock(i).family == AF_UNIX && had_unread;
            let ps = self.sock_mut(p);
            ps.rcv_shutdown = true;
            ps.snd_shutdown = true;
            // `unix_release_sock`: a peer that leaves data unread resets the connection.
            if unread && ps.ty != SOCK_DGRAM {
                ps.err = ECONNRESET;
            }
            // `sk_state_change` (`sock_def_wakeup`): every waiter, no key.
            self.wakes.push((p, 0));
        }
        for c in pending {
            self.release(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp_pair(n: &mut Net) -> (u32, u32, u32) {
        let l = n.create(AF_INET, SOCK_STREAM, 0).unwrap();
        n.bind(
            l,
            SockaddrIn {
                port: 0,
                addr: INADDR_LOOPBACK,
            },
        )
        .unwrap();
        n.listen(l, 4).unwrap();
        let port = n.getsockname(l).unwrap().port;
        let c = n.create(AF_INET, SOCK_STREAM, 0).unwrap();
        n.connect(
            c,
            SockaddrIn {
                port,
                addr: INADDR_LOOPBACK,
            },
        )
        .unwrap();
        let s = n.accept(l, true).unwrap();
        (l, c, s)
    }

    #[test]
    fn tcp_bytes_reach_the_peer_and_siocinq_counts_them() {
        let mut n = Net::default();
        let (l, c, s) = tcp_pair(&mut n);
        assert_eq!(n.prot_ioctl(l, SIOCINQ), Err(EINVAL));
        assert_eq!(n.send(c, &[7; 100], false), Ok(100));
        assert_eq!(n.prot_ioctl(s, SIOCINQ), Ok(100));
        assert_eq!(n.prot_ioctl(c, SIOCOUTQ), Ok(0));
        let mut buf = [0u8; 40];
        assert_eq!(n.recv(s, &mut buf, 0, false), Ok(40));
        assert_eq!(n.prot_ioctl(s, SIOCINQ), Ok(60));
        assert_eq!(n.getsockopt(s, SOL_SOCKET, SO_TYPE), Ok(1));
        assert_eq!(n.getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN), Ok(1));
    }

    #[test]
    fn udp_siocinq_is_the_first_datagram() {
        let mut n = Net::default();
        let rx = n.create(AF_INET, SOCK_DGRAM, 0).unwrap();
        n.bind(
            rx,
            SockaddrIn {
                port: 0,
                addr: INADDR_LOOPBACK,
            },
        )
        .unwrap();
        let port = n.getsockname(rx).unwrap().port;
        let tx = n.create(AF_INET, SOCK_DGRAM, 0).unwrap();
        n.connect(
            tx,
            SockaddrIn {
                port,
                addr: INADDR_LOOPBACK,
            },
        )
        .unwrap();
        assert_eq!(n.send(tx, &[0; 50], false), Ok(50));
        assert_eq!(n.send(tx, &[0; 30], false), Ok(30));
        assert_eq!(n.prot_ioctl(rx, SIOCINQ), Ok(50));
        assert_eq!(n.prot_ioctl(tx, SIOCOUTQ), Ok(0));
    }

    #[test]
    fn unix_pairs_have_no_prot_ioctl_but_answer_plain_ioctls() {
        let mut n = Net::default();
        let (a, b) = n.pair(AF_UNIX, SOCK_STREAM, 0).unwrap();
        assert_eq!(n.prot_ioctl(a, SIOCINQ), Err(EOPNOTSUPP));
        assert_eq!(n.send(a, &[0; 11], false), Ok(11));
        assert_eq!(n.ioctl(b, SIOCINQ), Ok(11));
        assert_eq!(n.ioctl(a, SIOCOUTQ), Ok(768));
        let mut buf = [0u8; 11];
        assert_eq!(n.recv(b, &mut buf, 0, false), Ok(11));
        assert_eq!(n.ioctl(a, SIOCOUTQ), Ok(0));
    }

    #[test]
    fn truesize_matches_measured_values() {
        assert_eq!(skb_truesize(1), 768);
        assert_eq!(skb_truesize(192), 768);
        assert_eq!(skb_truesize(200), 1280);
        assert_eq!(skb_truesize(512), 1280);
        assert_eq!(skb_truesize(1000), 2304);
        assert_eq!(skb_truesize(2000), 4352);
    }
}
