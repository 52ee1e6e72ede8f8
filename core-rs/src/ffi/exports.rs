//! The exported functions. Each forwards to the core; the contract is in [`super`].

use super::guard;
use crate::io_uring;
use crate::sim::{self, Config, Sim, StepKind};
use crate::uapi::errno::*;
use crate::uapi::io_uring::*;

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
    sim::install(Sim::new(Config {
        patch2_zero_pdu: cfg & 1 != 0,
        kernel: if cfg & 2 != 0 {
            sim::KernelProfile::Linux619
        } else {
            sim::KernelProfile::Linux618
        },
    }));
}

/// Returns the base address of user memory (0 before [`rs_init`]).
#[no_mangle]
pub extern "C" fn rs_user_mem_base() -> usize {
    guard(0, || sim::with(|s| s.user.base()))
}

/// Returns the size of user memory in bytes.
#[no_mangle]
pub extern "C" fn rs_user_mem_len() -> u32 {
    guard(0, || sim::with(|s| s.user.len() as u32))
}

/// Tells the core userspace wrote `len` bytes of user memory at `addr` (for provenance).
#[no_mangle]
pub extern "C" fn rs_user_wrote(addr: usize, len: u32) {
    guard((), || {
        sim::with(|s| {
            s.user.mark_user(addr as u64, len as usize);
            io_uring::uring_cmd::note_user_sqe_write(s, addr, len as usize);
        });
    })
}

/// `io_uring_setup(entries, params)`: `params` is a user-memory address of an
/// `io_uring_params`. Returns the ring fd or a negative errno.
#[no_mangle]
pub extern "C" fn io_uring_setup(entries: u32, params: usize) -> i32 {
    guard(-ENODEV, || {
        sim::with(|s| {
            let mut raw = [0u8; 120];
            if s.user.copy_from_user(&mut raw, params as u64).is_err() {
                return -EFAULT;
            }
            let mut p = params_from_bytes(&raw);
            let fd = io_uring::io_uring_setup(s, entries, &mut p);
            if fd >= 0 {
                let out = params_to_bytes(&p);
                if s.user.copy_to_user(params as u64, &out, 0).is_err() {
                    return -EFAULT;
                }
            }
            fd
        })
    })
}

fn rd32(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

fn params_from_bytes(b: &[u8; 120]) -> io_uring_params {
    io_uring_params {
        sq_entries: rd32(b, 0),
        cq_entries: rd32(b, 4),
        flags: rd32(b, 8),
        sq_thread_cpu: rd32(b, 12),
        sq_thread_idle: rd32(b, 16),
        features: rd32(b, 20),
        wq_fd: rd32(b, 24),
        resv: [rd32(b, 28), rd32(b, 32), rd32(b, 36)],
        sq_off: Default::default(),
        cq_off: Default::default(),
    }
}

fn params_to_bytes(p: &io_uring_params) -> [u8; 120] {
    let mut b = [0u8; 120];
    let words = [
        p.sq_entries,
        p.cq_entries,
        p.flags,
        p.sq_thread_cpu,
        p.sq_thread_idle,
        p.features,
        p.wq_fd,
        p.resv[0],
        p.resv[1],
        p.resv[2],
        p.sq_off.head,
        p.sq_off.tail,
        p.sq_off.ring_mask,
        p.sq_off.ring_entries,
        p.sq_off.flags,
        p.sq_off.dropped,
        p.sq_off.array,
        p.sq_off.resv1,
    ];
    for (i, w) in words.iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    b[72..80].copy_from_slice(&p.sq_off.user_addr.to_le_bytes());
    let cq = [
        p.cq_off.head,
        p.cq_off.tail,
        p.cq_off.ring_mask,
        p.cq_off.ring_entries,
        p.cq_off.overflow,
        p.cq_off.cqes,
        p.cq_off.flags,
        p.cq_off.resv1,
    ];
    for (i, w) in cq.iter().enumerate() {
        b[80 + i * 4..84 + i * 4].copy_from_slice(&w.to_le_bytes());
    }
    b[112..120].copy_from_slice(&p.cq_off.user_addr.to_le_bytes());
    b
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
        sim::with(|s| {
            let f = s.fds.fget(fd)?;
            let id = match s.fds.file(f).kind {
                crate::linux::fs::FileKind::IoUring(id) => id,
                _ => return None,
            };
            let ctx = s.ring(id)?;
            match offset as u64 {
                IORING_OFF_SQ_RING | IORING_OFF_CQ_RING => {
                    Some((ctx.rings.addr(), ctx.rings.len() as u32))
                }
                IORING_OFF_SQES => Some((ctx.sqes.addr(), ctx.sqes.len() as u32)),
                _ => None,
            }
        })
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
    let r = rs_enter_begin(fd, to_submit, min_complete, flags, arg, argsz);
    if r < 0 {
        return r;
    }
    sim::sched::run_syscall_to_completion(10_000_000)
}

/// Runs one unit of kernel work; returns a [`StepKind`] (0 when idle).
#[no_mangle]
pub extern "C" fn rs_step() -> u32 {
    guard(StepKind::Idle as u32, || sim::step() as u32)
}

/// Returns 1 while the task is inside a syscall, 2 if it sleeps there (in `io_uring_enter` or
/// `nanosleep`), 0 in user mode.
#[no_mangle]
pub extern "C" fn rs_task_state() -> u32 {
    guard(0, || {
        sim::with(|s| match &s.task.sys {
            None if s.task.sleeping => 2,
            None => 0,
            Some(c) if c.phase == io_uring::enter::Phase::Sleeping => 2,
            Some(_) => 1,
        })
    })
}

/// Returns the result of the last finished syscall (0 if none).
#[no_mangle]
pub extern "C" fn rs_last_ret() -> i32 {
    guard(0, || sim::with(|s| s.task.last_ret.unwrap_or(0)))
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

/// `close(fd)`.
#[no_mangle]
pub extern "C" fn rs_close(fd: i32) -> i32 {
    guard(-ENODEV, || {
        let f = sim::with(|s| {
            let r = crate::linux::syscalls::sys_close(s, fd);
            let ret = match &r {
                Ok(_) => 0,
                Err(e) => -e,
            };
            s.emit(crate::trace::Event::sim_sys_call, 0, 0, 0, 3, ret as i64);
            r
        });
        let ret = match f {
            Ok(Some(fl)) => {
                crate::linux::fs::__fput(fl);
                0
            }
            Ok(None) => 0,
            Err(e) => -e,
        };
        // A pipe end that went away wakes the other end's waiters (`pipe_release`).
        sim::with(io_uring::poll::io_poll_wake_ready);
        sim::return_to_user(1_000_000);
        ret
    })
}

fn ring_of_fd(s: &crate::sim::Sim, fd: i32) -> Option<u32> {
    let f = s.fds.fget(fd)?;
    match s.fds.file(f).kind {
        crate::linux::fs::FileKind::IoUring(id) => Some(id),
        _ => None,
    }
}

/// Returns how many request objects the ring's slab holds (live and cached), or a negative
/// errno for a bad fd.
#[no_mangle]
pub extern "C" fn rs_req_count(ring_fd: i32) -> i32 {
    guard(-ENODEV, || {
        sim::with(|s| match ring_of_fd(s, ring_fd).and_then(|id| s.ring(id)) {
            Some(ctx) => ctx.reqs.len() as i32,
            None => -EBADF,
        })
    })
}

/// Writes a `ReqInfo` (256 bytes) for slab entry `idx` into a buffer the core owns and returns
/// its address, valid until the next call; 0 for a bad fd or index.
#[no_mangle]
pub extern "C" fn rs_req_info(ring_fd: i32, idx: u32) -> usize {
    guard(0, || {
        sim::with(|s| {
            let info = match ring_of_fd(s, ring_fd).and_then(|id| s.ring(id)) {
                Some(ctx) => match ctx.reqs.get(idx as usize) {
                    Some(r) => io_uring::types::ReqInfo::of(r),
                    None => return 0,
                },
                None => return 0,
            };
            s.req_info = info;
            &s.req_info as *const io_uring::types::ReqInfo as usize
        })
    })
}
