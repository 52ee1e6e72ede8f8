//! Socket families, types, options, message flags and socket ioctls.
//!
//! Mirrors: `include/linux/socket.h` (`AF_*`, `MSG_*`), `include/linux/net.h` (`SOCK_*`),
//! `include/uapi/asm-generic/socket.h` (`SOL_SOCKET`, `SO_*`), `include/uapi/linux/in.h`
//! (`IPPROTO_*`, `struct sockaddr_in`), `include/uapi/linux/tcp.h` (`TCP_NODELAY`),
//! `include/uapi/linux/sockios.h` and `include/uapi/asm-generic/ioctls.h` (`SIOCINQ`,
//! `SIOCOUTQ`, `FIONREAD`).

pub const AF_UNIX: u32 = 1;
pub const AF_INET: u32 = 2;

pub const SOCK_STREAM: u32 = 1;
pub const SOCK_DGRAM: u32 = 2;
pub const SOCK_SEQPACKET: u32 = 5;
/// Flags that may be or'ed into the type argument of `socket`/`socketpair`.
pub const SOCK_NONBLOCK: u32 = 0o4000;
pub const SOCK_CLOEXEC: u32 = 0o2000000;

pub const IPPROTO_IP: u32 = 0;
pub const IPPROTO_TCP: u32 = 6;
pub const IPPROTO_UDP: u32 = 17;

pub const SOL_SOCKET: u32 = 1;
pub const SO_REUSEADDR: u32 = 2;
pub const SO_TYPE: u32 = 3;
pub const SO_ERROR: u32 = 4;
pub const SO_BROADCAST: u32 = 6;
pub const SO_SNDBUF: u32 = 7;
pub const SO_RCVBUF: u32 = 8;
pub const SO_KEEPALIVE: u32 = 9;
pub const SO_REUSEPORT: u32 = 15;
pub const SO_ACCEPTCONN: u32 = 30;
pub const SO_PROTOCOL: u32 = 38;
pub const SO_DOMAIN: u32 = 39;

pub const TCP_NODELAY: u32 = 1;

pub const MSG_OOB: u32 = 1;
pub const MSG_PEEK: u32 = 2;
pub const MSG_TRUNC: u32 = 0x20;
pub const MSG_DONTWAIT: u32 = 0x40;
pub const MSG_WAITALL: u32 = 0x100;
pub const MSG_NOSIGNAL: u32 = 0x4000;

/// `SIOCINQ` (= `FIONREAD`): bytes ready to read.
pub const SIOCINQ: u32 = 0x541B;
pub const FIONREAD: u32 = 0x541B;
/// `SIOCOUTQ` (= `TIOCOUTQ`): bytes not yet sent or not yet acknowledged.
pub const SIOCOUTQ: u32 = 0x5411;
/// `FIONBIO`: set or clear `O_NONBLOCK`.
pub const FIONBIO: u32 = 0x5421;

/// `sizeof(struct sockaddr_in)`: family (u16), port (big-endian u16), address (big-endian u32),
/// 8 bytes of zero padding.
pub const SOCKADDR_IN_SIZE: u32 = 16;
/// `INADDR_LOOPBACK`, 127.0.0.1, in host order.
pub const INADDR_LOOPBACK: u32 = 0x7f00_0001;
pub const INADDR_ANY: u32 = 0;
