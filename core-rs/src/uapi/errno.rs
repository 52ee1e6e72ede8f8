//! Error numbers, positive as in the C headers; the kernel returns them negated.
//!
//! Mirrors: `include/uapi/asm-generic/errno-base.h`, `include/uapi/asm-generic/errno.h` and the
//! kernel-internal `EIOCBQUEUED` of `include/linux/errno.h`.

pub const EPERM: i32 = 1;
pub const ENOENT: i32 = 2;
pub const EINTR: i32 = 4;
pub const EIO: i32 = 5;
pub const EBADF: i32 = 9;
pub const EAGAIN: i32 = 11;
pub const ENOMEM: i32 = 12;
pub const EFAULT: i32 = 14;
pub const ENAMETOOLONG: i32 = 36;
pub const EBUSY: i32 = 16;
pub const EEXIST: i32 = 17;
pub const ENODEV: i32 = 19;
pub const EINVAL: i32 = 22;
pub const ENOTTY: i32 = 25;
pub const EPIPE: i32 = 32;
pub const ERANGE: i32 = 34;
pub const EDEADLK: i32 = 35;
pub const ENOSYS: i32 = 38;
pub const ENOPROTOOPT: i32 = 92;
pub const EOPNOTSUPP: i32 = 95;
pub const EOVERFLOW: i32 = 75;
pub const EBADFD: i32 = 77;
pub const EBADR: i32 = 53;
pub const ETIME: i32 = 62;
pub const ECANCELED: i32 = 125;
/// Operation already in progress (`-EALREADY` from cancel).
pub const EALREADY: i32 = 114;
/// NOT an errno: the simulator's answer to a request it does not model. One past `MAX_ERRNO`
/// (4095), so it can never be mistaken for a kernel errno (`IS_ERR_VALUE` covers exactly
/// -4095..-1). Posted as `res` = -4096, with a `sim_not_modelled` trace event saying what was not
/// modelled.
pub const ENOTMODELLED: i32 = 4096;
// `MAX_ERRNO` is 4095: the answer must stay outside every errno.
const _: () = assert!(ENOTMODELLED > 4095);
pub const EOWNERDEAD: i32 = 130;
pub const ENXIO: i32 = 6;
pub const ENOTDIR: i32 = 20;
pub const EISDIR: i32 = 21;
pub const EMFILE: i32 = 24;
pub const ESPIPE: i32 = 29;
pub const ENOTSOCK: i32 = 88;
pub const EDESTADDRREQ: i32 = 89;
pub const EMSGSIZE: i32 = 90;
pub const EPROTONOSUPPORT: i32 = 93;
pub const ESOCKTNOSUPPORT: i32 = 94;
pub const EAFNOSUPPORT: i32 = 97;
pub const EADDRINUSE: i32 = 98;
pub const EADDRNOTAVAIL: i32 = 99;
pub const EISCONN: i32 = 106;
pub const ENOTCONN: i32 = 107;
pub const ECONNREFUSED: i32 = 111;
pub const E2BIG: i32 = 7;
pub const ENOBUFS: i32 = 105;
pub const ECONNRESET: i32 = 104;
/// Kernel-internal: "iocb queued, will get completion event" (`include/linux/errno.h`).
pub const EIOCBQUEUED: i32 = 529;

/// Returns the C name of an errno value (positive or negative), or `None`.
pub fn errno_name(e: i32) -> Option<&'static str> {
    Some(match e.wrapping_abs() {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        EIO => "EIO",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ENOTTY => "ENOTTY",
        EPIPE => "EPIPE",
        ERANGE => "ERANGE",
        EDEADLK => "EDEADLK",
        ENOSYS => "ENOSYS",
        ENOPROTOOPT => "ENOPROTOOPT",
        EOPNOTSUPP => "EOPNOTSUPP",
        EOVERFLOW => "EOVERFLOW",
        EBADFD => "EBADFD",
        EBADR => "EBADR",
        ETIME => "ETIME",
        ECANCELED => "ECANCELED",
        EALREADY => "EALREADY",
        EOWNERDEAD => "EOWNERDEAD",
        ENXIO => "ENXIO",
        ENOTDIR => "ENOTDIR",
        EISDIR => "EISDIR",
        EMFILE => "EMFILE",
        ESPIPE => "ESPIPE",
        ENOTSOCK => "ENOTSOCK",
        EDESTADDRREQ => "EDESTADDRREQ",
        EMSGSIZE => "EMSGSIZE",
        EPROTONOSUPPORT => "EPROTONOSUPPORT",
        ESOCKTNOSUPPORT => "ESOCKTNOSUPPORT",
        EAFNOSUPPORT => "EAFNOSUPPORT",
        EADDRINUSE => "EADDRINUSE",
        EADDRNOTAVAIL => "EADDRNOTAVAIL",
        EISCONN => "EISCONN",
        ENOTCONN => "ENOTCONN",
        ECONNREFUSED => "ECONNREFUSED",
        E2BIG => "E2BIG",
        ENOBUFS => "ENOBUFS",
        ECONNRESET => "ECONNRESET",
        EIOCBQUEUED => "EIOCBQUEUED",
        _ => return None,
    })
}
