//! Exports for replaying real programs: `io_uring_register`, the other system calls a program
//! makes, and letting simulated time pass. Each forwards to the core; the contract is in
//! [`super`].
//!
//! Every system call returns what Linux returns (`-errno` on failure) and records a
//! `sim_sys_call` trace event with its x86-64 syscall number. Pointer arguments are user-memory
//! addresses (see [`super::exports::rs_user_mem_base`]); a bad one gives `-EFAULT`.

use super::guard;
use crate::io_uring;
use crate::linux::syscalls as sc;
use crate::sim::Sim;
use crate::uapi::errno::*;

/// A system call through the one guard: [`crate::sched::user_syscall`] runs and records it.
fn syscall(nr: i64, f: impl FnOnce(&mut Sim) -> i32) -> i32 {
    guard(-ENODEV, || crate::sched::user_syscall(nr, f))
}

/// `io_uring_register(fd, opcode, arg, nr_args)`: `IORING_REGISTER_FILES`,
/// `IORING_UNREGISTER_FILES` and `IORING_REGISTER_PROBE`.
#[no_mangle]
pub extern "C" fn io_uring_register(fd: i32, opcode: u32, arg: usize, nr_args: u32) -> i32 {
    syscall(427, |s| {
        io_uring::register::io_uring_register(s, fd, opcode, arg as u64, nr_args)
    })
}

/// Runs every unit of kernel work that is due now (timers in the future stay pending); returns
/// how many ran. Used between a program's steps.
#[no_mangle]
pub extern "C" fn rs_run_until_idle(max_steps: u32) -> u32 {
    guard(0, || {
        crate::sched::run_until_idle(u64::from(max_steps)) as u32
    })
}

/// The program starts `nanosleep(ns)`: the following `rs_step` calls run what becomes due
/// while it sleeps (task_work added with `TWA_SIGNAL_NO_IPI` wakes it), and one step ends the
/// sleep at the deadline (the task state is 2 until then).
#[no_mangle]
pub extern "C" fn rs_sleep_begin(ns: u64) {
    guard((), || crate::sched::sleep_begin(ns))
}

/// Lets `ns` nanoseconds of simulated time pass while the program computes in user mode
/// (no system call, no sleep): what becomes due runs, COOP_TASKRUN task_work at the next
/// timer tick. Returns how many units ran.
#[no_mangle]
pub extern "C" fn rs_spin(ns: u64) -> u32 {
    guard(0, || crate::sched::spin(ns, 10_000_000) as u32)
}

/// Lets `ns` nanoseconds of simulated time pass (the program sleeps), running what becomes
/// due; returns how many units ran.
#[no_mangle]
pub extern "C" fn rs_advance_clock(ns: u64) -> u32 {
    guard(0, || crate::sched::advance_clock(ns, 10_000_000) as u32)
}

/// `openat(AT_FDCWD, path, flags)`: `/dev/null`, `/dev/zero`, `/dev/fuse`, `/dev/net/tun`,
/// directories, and `O_TMPFILE` regular files.
#[no_mangle]
pub extern "C" fn rs_sys_openat(path: usize, path_len: u32, flags: u32) -> i32 {
    syscall(257, |s| {
        sc::sys_openat_user(s, path as u64, path_len, flags)
    })
}

/// `mkdirat(AT_FDCWD, path, mode)`.
#[no_mangle]
pub extern "C" fn rs_sys_mkdirat(path: usize, path_len: u32) -> i32 {
    syscall(258, |s| sc::sys_mkdirat_user(s, path as u64, path_len))
}

/// `pipe2(fds, flags)`.
#[no_mangle]
pub extern "C" fn rs_sys_pipe2(fds: usize, flags: u32) -> i32 {
    syscall(293, |s| sc::sys_pipe2(s, fds as u64, flags))
}

/// `eventfd2(initval, flags)`.
#[no_mangle]
pub extern "C" fn rs_sys_eventfd2(initval: u32, flags: u32) -> i32 {
    syscall(290, |s| sc::sys_eventfd2(s, initval, flags))
}

/// `epoll_create1(flags)`.
#[no_mangle]
pub extern "C" fn rs_sys_epoll_create1(flags: u32) -> i32 {
    syscall(291, |s| sc::sys_epoll_create1(s, flags))
}

/// `memfd_create(name, flags)` with a name of `name_len` bytes.
#[no_mangle]
pub extern "C" fn rs_sys_memfd_create(name: usize, name_len: u32, flags: u32) -> i32 {
    syscall(319, |s| {
        sc::sys_memfd_create(s, name as u64, name_len, flags)
    })
}

/// `socket(domain, type, protocol)`.
#[no_mangle]
pub extern "C" fn rs_sys_socket(domain: u32, ty: u32, protocol: u32) -> i32 {
    syscall(41, |s| sc::sys_socket(s, domain, ty, protocol))
}

/// `socketpair(domain, type, protocol, sv)`.
#[no_mangle]
pub extern "C" fn rs_sys_socketpair(domain: u32, ty: u32, protocol: u32, sv: usize) -> i32 {
    syscall(53, |s| {
        sc::sys_socketpair(s, domain, ty, protocol, sv as u64)
    })
}

/// `bind(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn rs_sys_bind(fd: i32, addr: usize, addrlen: u32) -> i32 {
    syscall(49, |s| sc::sys_bind(s, fd, addr as u64, addrlen))
}

/// `listen(fd, backlog)`.
#[no_mangle]
pub extern "C" fn rs_sys_listen(fd: i32, backlog: i32) -> i32 {
    syscall(50, |s| sc::sys_listen(s, fd, backlog))
}

/// `connect(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn rs_sys_connect(fd: i32, addr: usize, addrlen: u32) -> i32 {
    syscall(42, |s| sc::sys_connect(s, fd, addr as u64, addrlen))
}

/// `accept4(fd, NULL, NULL, flags)`.
#[no_mangle]
pub extern "C" fn rs_sys_accept4(fd: i32, flags: u32) -> i32 {
    syscall(288, |s| sc::sys_accept4(s, fd, flags))
}

/// `getsockname(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn rs_sys_getsockname(fd: i32, addr: usize, addrlen: usize) -> i32 {
    syscall(51, |s| {
        sc::sys_getsockname(s, fd, addr as u64, addrlen as u64)
    })
}

/// `read(fd, buf, count)`.
#[no_mangle]
pub extern "C" fn rs_sys_read(fd: i32, buf: usize, count: u32) -> i32 {
    syscall(0, |s| sc::sys_read(s, fd, buf as u64, count))
}

/// `write(fd, buf, count)`.
#[no_mangle]
pub extern "C" fn rs_sys_write(fd: i32, buf: usize, count: u32) -> i32 {
    syscall(1, |s| sc::sys_write(s, fd, buf as u64, count))
}

/// `sendto(fd, buf, len, flags, NULL, 0)`.
#[no_mangle]
pub extern "C" fn rs_sys_sendto(fd: i32, buf: usize, len: u32, flags: u32) -> i32 {
    syscall(44, |s| sc::sys_sendto(s, fd, buf as u64, len, flags))
}

/// `recvfrom(fd, buf, len, flags, NULL, NULL)`.
#[no_mangle]
pub extern "C" fn rs_sys_recvfrom(fd: i32, buf: usize, len: u32, flags: u32) -> i32 {
    syscall(45, |s| sc::sys_recvfrom(s, fd, buf as u64, len, flags))
}

/// `ioctl(fd, cmd, arg)` with `arg` pointing to an `int`.
#[no_mangle]
pub extern "C" fn rs_sys_ioctl(fd: i32, cmd: u32, arg: usize) -> i32 {
    syscall(16, |s| sc::sys_ioctl(s, fd, cmd, arg as u64))
}

/// `fcntl(fd, cmd, arg)` for `F_GETFL` and `F_SETFL`.
#[no_mangle]
pub extern "C" fn rs_sys_fcntl(fd: i32, cmd: u32, arg: u32) -> i32 {
    syscall(72, |s| sc::sys_fcntl(s, fd, cmd, arg))
}

/// `getsockopt(fd, level, optname, optval, optlen)`.
#[no_mangle]
pub extern "C" fn rs_sys_getsockopt(
    fd: i32,
    level: u32,
    optname: u32,
    optval: usize,
    optlen: usize,
) -> i32 {
    syscall(55, |s| {
        sc::sys_getsockopt(s, fd, level, optname, optval as u64, optlen as u64)
    })
}

/// `setsockopt(fd, level, optname, optval, optlen)`.
#[no_mangle]
pub extern "C" fn rs_sys_setsockopt(
    fd: i32,
    level: u32,
    optname: u32,
    optval: usize,
    optlen: u32,
) -> i32 {
    syscall(54, |s| {
        sc::sys_setsockopt(s, fd, level, optname, optval as u64, optlen)
    })
}
