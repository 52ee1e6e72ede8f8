//! The exported functions. Each forwards to the core; the contract is in [`super`].

use super::guard;
use crate::io_uring::{self, syscall};
use crate::sched::StepKind;
use crate::sim::{self, Config, Sim};
use crate::uapi::errno::*;

/// Bumped whenever an exported signature or a shared layout changes.
pub const ABI_VERSION: u32 = 2;

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "env")]
extern "C" {
    /// Receives the panic message (UTF-8) just before the module traps.
    fn host_panic(ptr: *const u8, len: usize);
}

fn install_panic_hook() {
    #[cfg(target_arch = "wasm32")]
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string();
        // SAFETY: `msg` is a live UTF-8 buffer for the duration of the call; the host copies it.
        unsafe { host_panic(msg.as_ptr(), msg.len()) };
    }));
}

/// Returns [`ABI_VERSION`].
#[no_mangle]
pub extern "C" fn rs_abi_version() -> u32 {
    ABI_VERSION
}

/// Creates a fresh machine. `cfg` bit 0: apply RFC patch 2 (zero the PDU in prep); bit 1:
/// follow the 6.19 uring_cmd interface (the Rust v5 series' base) instead of 6.18.
#[no_mangle]
pub extern "C" fn rs_init(cfg: u32) {
    install_panic_hook();
    sim::install(Sim::new(Config::from_bits(cfg)));
}

/// Returns the base address of user memory (0 before [`rs_init`]).
#[no_mangle]
pub extern "C" fn rs_user_mem_base() -> usize {
    guard(0, || sim::with(|s| s.linux.user.base()))
}

/// Returns the size of user memory in bytes.
#[no_mangle]
pub extern "C" fn rs_user_mem_len() -> u32 {
    guard(0, || sim::with(|s| s.linux.user.len() as u32))
}

/// Tells the core userspace wrote `len` bytes of user memory at `addr` (for provenance).
#[no_mangle]
pub extern "C" fn rs_user_wrote(addr: usize, len: u32) {
    guard((), || sim::with(|s| crate::sched::user_wrote(s, addr, len)))
}

/// `io_uring_setup(entries, params)`: `params` is a user-memory address of an
/// `io_uring_params`. Returns the ring fd or a negative errno.
#[no_mangle]
pub extern "C" fn io_uring_setup(entries: u32, params: usize) -> i32 {
    guard(-ENODEV, || {
        sim::with(|s| syscall::sys_io_uring_setup(s, entries, params as u64))
    })
}

/// `mmap(fd, offset)` of a ring region: `IORING_OFF_SQ_RING`/`IORING_OFF_CQ_RING` (one region,
/// `IORING_FEAT_SINGLE_MMAP`) or `IORING_OFF_SQES`. Returns its address, or 0 on error.
#[no_mangle]
pub extern "C" fn rs_mmap(fd: i32, offset: u32) -> usize {
    region(fd, offset).map_or(0, |(a, _)| a)
}

/// Returns the length of the region [`rs_mmap`] maps, or 0 on error.
#[no_mangle]
pub extern "C" fn rs_mmap_len(fd: i32, offset: u32) -> u32 {
    region(fd, offset).map_or(0, |(_, l)| l)
}

fn region(fd: i32, offset: u32) -> Option<(usize, u32)> {
    guard(None, || {
        sim::with(|s| syscall::io_uring_mmap(s, fd, u64::from(offset)))
    })
}

/// Starts `io_uring_enter(fd, to_submit, min_complete, flags, arg, argsz)`; the work happens
/// in [`rs_step`] calls. Returns 0, or `-EBUSY` if a syscall is already in progress.
#[no_mangle]
pub extern "C" fn rs_enter_begin(
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: usize,
    argsz: u32,
) -> i32 {
    guard(-ENODEV, || {
        sim::with(|s| {
            io_uring::enter::begin(s, fd, to_submit, min_complete, flags, arg as u64, argsz)
        })
    })
}

/// `io_uring_enter(2)` run to completion: starts it and steps until it returns.
#[no_mangle]
pub extern "C" fn io_uring_enter(
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: usize,
    argsz: u32,
) -> i32 {
    guard(-ENODEV, || {
        crate::sched::io_uring_enter_to_completion(
            fd,
            to_submit,
            min_complete,
            flags,
            arg as u64,
            argsz,
        )
    })
}

/// Runs one unit of kernel work; returns a [`StepKind`] (0 when idle).
#[no_mangle]
pub extern "C" fn rs_step() -> u32 {
    guard(StepKind::Idle as u32, || crate::sched::step() as u32)
}

/// Returns 1 while the task is inside a syscall, 2 if it sleeps there (in `io_uring_enter` or
/// `nanosleep`), 0 in user mode.
#[no_mangle]
pub extern "C" fn rs_task_state() -> u32 {
    guard(0, || sim::with(|s| crate::sched::task_state(s)))
}

/// Returns the result of the last finished syscall (0 if none).
#[no_mangle]
pub extern "C" fn rs_last_ret() -> i32 {
    guard(0, || sim::with(|s| s.linux.task.last_ret.unwrap_or(0)))
}

/// Returns the number of steps run so far.
#[no_mangle]
pub extern "C" fn rs_step_count() -> u32 {
    guard(0, || sim::with(|s| s.step as u32))
}

/// Returns the simulated time in nanoseconds.
#[no_mangle]
pub extern "C" fn rs_clock_ns() -> u64 {
    guard(0, || sim::with(|s| s.clock_ns))
}

/// Returns the address of the first kept trace record (48 bytes each).
#[no_mangle]
pub extern "C" fn rs_trace_ptr() -> usize {
    guard(0, || sim::with(|s| s.trace.records().as_ptr() as usize))
}

/// Returns the number of kept trace records.
#[no_mangle]
pub extern "C" fn rs_trace_len() -> u32 {
    guard(0, || sim::with(|s| s.trace.records().len() as u32))
}

/// Discards the kept trace records (the host has copied what it needs).
#[no_mangle]
pub extern "C" fn rs_trace_clear() {
    guard((), || {
        sim::with(|s| s.trace.clear());
    })
}

/// Turns trace recording on (1) or off (0).
#[no_mangle]
pub extern "C" fn rs_trace_enable(on: u32) {
    guard((), || {
        sim::with(|s| s.trace.set_enabled(on != 0));
    })
}

/// `close(fd)`: a system call like those of `ring_exports` (`-EBUSY` while the program is
/// blocked in `io_uring_enter`; recorded as `sim_sys_call` 3); closing a ring's last fd tears
/// the ring down through its `f_op->release`.
#[no_mangle]
pub extern "C" fn rs_close(fd: i32) -> i32 {
    guard(-ENODEV, || crate::sched::close(fd))
}

/// Returns how many request objects the ring's slab holds (live and cached), or a negative
/// errno for a bad fd.
#[no_mangle]
pub extern "C" fn rs_req_count(ring_fd: i32) -> i32 {
    guard(-ENODEV, || sim::with(|s| syscall::req_count(s, ring_fd)))
}

/// Writes a `ReqInfo` (256 bytes) for slab entry `idx` into a buffer the core owns and returns
/// its address, valid until the next call; 0 for a bad fd or index.
#[no_mangle]
pub extern "C" fn rs_req_info(ring_fd: i32, idx: u32) -> usize {
    guard(0, || sim::with(|s| syscall::req_info_ptr(s, ring_fd, idx)))
}
