//! The C side as the Rust abstractions see it: C-named types, constants and functions.
//!
//! Mirrors: `rust/bindings/` (bindgen output of `bindings_helper.h`, which RFC v3 patch 1/5
//! extends with `linux/io_uring.h` and `linux/io_uring/cmd.h`) plus the `rust_helper_*`
//! wrappers of `rust/helpers/`.
//!
//! [`crate::kernel`] reaches the simulated kernel only through this module, as upstream Rust
//! code reaches C only through `bindings`. Drivers never name it.
//!
//! Differences from upstream:
//! - Functions that take the simulator (`misc_register`, `copy_from_user`, ...) are wrapped
//!   here so that callers never hold the simulator borrow (the [`crate::sim::with`] rule).
//! - [`sim`] is the simulator's instrumentation: where the real kernel would have KASAN/KCSAN
//!   hooks and tracepoints, the abstraction calls these to stamp source lines, record PDU and
//!   SQE accesses and raise sanitizer reports. It is not part of any real binding.

#![allow(non_camel_case_types, non_upper_case_globals)]

use core::ffi::c_void;

pub use crate::io_uring::types::{
    io_uring_cmd, IOU_F_TWQ_LAZY_WAKE, IO_URING_CMD_TASK_WORK_ISSUE_FLAGS, IO_URING_F_CANCEL,
    IO_URING_F_COMPAT, IO_URING_F_COMPLETE_DEFER, IO_URING_F_CQE32, IO_URING_F_INLINE,
    IO_URING_F_IOPOLL, IO_URING_F_IOWQ, IO_URING_F_MULTISHOT, IO_URING_F_NONBLOCK,
    IO_URING_F_SQE128, IO_URING_F_UNLOCKED,
};
pub use crate::linux::fs::{file, file_operations, TwToken as io_tw_token_t};
pub use crate::linux::miscdevice::{miscdevice, MiscCtlFn, MiscOpenFn, MISC_DYNAMIC_MINOR};
pub use crate::uapi::errno;
pub use crate::uapi::io_uring::{
    io_uring_sqe, IORING_OP_URING_CMD, IORING_URING_CMD_CANCELABLE, IORING_URING_CMD_FIXED,
    IORING_URING_CMD_MULTISHOT, IORING_URING_CMD_REISSUE,
};
pub use crate::uapi::ioctl::{
    _IOC_DIRSHIFT, _IOC_NONE, _IOC_NRSHIFT, _IOC_READ, _IOC_SIZESHIFT, _IOC_TYPESHIFT, _IOC_WRITE,
};

use crate::sim::{self as simulator, WorkItem};

/// `enum io_uring_op` value of `IORING_OP_URING_CMD` as bindgen names it.
pub const io_uring_op_IORING_OP_URING_CMD: u32 = IORING_OP_URING_CMD as u32;

/// `struct io_tw_req` (≥ v6.19): what a task_work callback receives; here, the command itself.
pub type io_tw_req = *mut io_uring_cmd;

/// A uring_cmd task_work callback.
pub type io_req_tw_func_t = crate::linux::fs::UringCmdTwFn;

/// `io_uring_cmd_from_tw` (≥ v6.19): the command a task_work callback is for.
///
/// # Safety
///
/// The caller must ensure that `tw_req` is what the core passed to the callback.
pub unsafe fn io_uring_cmd_from_tw(tw_req: io_tw_req) -> *mut io_uring_cmd {
    tw_req
}

/// `io_uring_cmd_done` as the RFC v3 seed's kernel has it (`cmd, ret, res2, issue_flags`).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's command.
pub unsafe fn io_uring_cmd_done(cmd: *mut io_uring_cmd, ret: isize, res2: u64, issue_flags: u32) {
    // SAFETY: forwarded from the caller.
    unsafe { crate::io_uring::uring_cmd::io_uring_cmd_done(cmd, ret, res2, issue_flags) }
}

/// `io_uring_cmd_done32` (the v5 series calls it through `rust_helper_io_uring_cmd_done32`).
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's command.
pub unsafe fn io_uring_cmd_done32(cmd: *mut io_uring_cmd, ret: i32, res2: u64, issue_flags: u32) {
    // SAFETY: forwarded from the caller.
    unsafe { crate::io_uring::uring_cmd::io_uring_cmd_done32(cmd, ret, res2, issue_flags) }
}

/// `__io_uring_cmd_do_in_task`.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's command.
pub unsafe fn __io_uring_cmd_do_in_task(
    cmd: *mut io_uring_cmd,
    cb: Option<io_req_tw_func_t>,
    flags: u32,
) {
    if let Some(cb) = cb {
        // SAFETY: forwarded from the caller.
        unsafe { crate::io_uring::uring_cmd::__io_uring_cmd_do_in_task(cmd, cb, flags) }
    }
}

/// `io_uring_cmd_mark_cancelable`.
///
/// # Safety
///
/// The caller must ensure that `cmd` points to a live request's command.
pub unsafe fn io_uring_cmd_mark_cancelable(cmd: *mut io_uring_cmd, issue_flags: u32) {
    // SAFETY: forwarded from the caller.
    unsafe { crate::io_uring::uring_cmd::io_uring_cmd_mark_cancelable(cmd, issue_flags) }
}

/// `misc_register`. Returns 0 or a negative errno.
///
/// # Safety
///
/// The caller must ensure that `misc` stays valid and pinned until [`misc_deregister`].
pub unsafe fn misc_register(misc: *mut miscdevice) -> i32 {
    // SAFETY: forwarded from the caller.
    simulator::with(|s| unsafe { crate::linux::miscdevice::misc_register(s, misc) })
}

/// `misc_deregister`.
pub fn misc_deregister(misc: *mut miscdevice) {
    if simulator::installed() {
        simulator::with(|s| crate::linux::miscdevice::misc_deregister(s, misc));
    }
}

/// `copy_from_user`: returns the number of bytes *not* copied (all of them on a bad address).
///
/// # Safety
///
/// The caller must ensure that `to` is valid for writes of `n` bytes.
pub unsafe fn copy_from_user(to: *mut c_void, from: *const c_void, n: usize) -> usize {
    let mut buf = vec![0u8; n];
    let ok = simulator::with(|s| {
        let r = s.linux.user.copy_from_user(&mut buf, from as usize as u64);
        let ring = s.io_uring.ucmd.cur_issue.map_or(0, |c| c.ring);
        let req = s.io_uring.ucmd.cur_issue.map_or(0, |c| c.serial);
        s.emit(
            crate::trace::Event::sim_copy_from_user,
            ring,
            req,
            0,
            from as usize as i64,
            n as i64,
        );
        r.is_ok()
    });
    if !ok {
        return n;
    }
    // SAFETY: the caller guarantees `to` is valid for `n` bytes; `buf` holds `n` bytes.
    unsafe { core::ptr::copy_nonoverlapping(buf.as_ptr(), to as *mut u8, n) };
    0
}

/// `copy_to_user`: returns the number of bytes *not* copied (all of them on a bad address).
///
/// # Safety
///
/// The caller must ensure that `from` is valid for reads of `n` bytes.
pub unsafe fn copy_to_user(to: *mut c_void, from: *const c_void, n: usize) -> usize {
    // SAFETY: the caller guarantees `from` is valid for `n` bytes.
    let data = unsafe { core::slice::from_raw_parts(from as *const u8, n) }.to_vec();
    simulator::with(|s| {
        let src = s.cur_src;
        let r = s.linux.user.copy_to_user(to as usize as u64, &data, src);
        let ring = s.io_uring.ucmd.cur_issue.map_or(0, |c| c.ring);
        let req = s.io_uring.ucmd.cur_issue.map_or(0, |c| c.serial);
        s.emit(
            crate::trace::Event::sim_copy_to_user,
            ring,
            req,
            0,
            to as usize as i64,
            n as i64,
        );
        if r.is_ok() {
            0
        } else {
            n
        }
    })
}

/// `queue_work(system_wq, work)`: `func(data)` runs later in a kworker.
///
/// # Safety
///
/// `func` must be sound to call once with `data`, later, from a kworker with no lock held:
/// `data` must stay valid until then and nothing else may free it (the work item owns it).
pub unsafe fn queue_work(func: unsafe fn(*mut c_void), data: *mut c_void) {
    simulator::with(|s| {
        let req = s.io_uring.ucmd.cur_issue.map_or(0, |c| c.serial);
        crate::linux::workqueue::queue_work(s, WorkItem { func, data, req })
    });
}

/// `queue_delayed_work(system_wq, work, delay)`, with the delay in simulated nanoseconds.
///
/// # Safety
///
/// As for [`queue_work`]: `func(data)` must be sound to call once, after the delay.
pub unsafe fn queue_delayed_work(func: unsafe fn(*mut c_void), data: *mut c_void, delay_ns: u64) {
    simulator::with(|s| {
        let req = s.io_uring.ucmd.cur_issue.map_or(0, |c| c.serial);
        crate::linux::workqueue::queue_delayed_work(s, WorkItem { func, data, req }, delay_ns)
    });
}

/// `ktime_get_ns()` (`kernel/time/timekeeping.c`): the simulated monotonic clock.
pub fn ktime_get_ns() -> u64 {
    crate::sim::with(|s| s.clock_ns)
}

/// `printk` at `level` (`KERN_INFO` = 6, `KERN_ERR` = 3).
/// `prefix` is printed before the message (`dev_printk`'s "misc <name>: ").
pub fn printk(level: u32, prefix: &[&str], args: core::fmt::Arguments<'_>) {
    simulator::with(|s| crate::linux::printk::printk_fmt(s, level, prefix, args));
}

/// The simulator's instrumentation hooks (not a real binding; see the module docs).
pub mod sim {
    use core::panic::Location;

    use super::io_uring_cmd;
    use crate::io_uring::uring_cmd as uc;
    use crate::sim::with;

    /// Stamps the driver's source line on the records the current call produces.
    pub fn set_src(loc: &Location<'_>) {
        let src = crate::trace::srcfiles::stamp(loc);
        with(|s| s.cur_src = src);
    }

    /// Stamps `file:line` (for macros, which pass `file!()` and `line!()`).
    pub fn set_src_at(file: &str, line: u32) {
        let src = crate::trace::srcfiles::encode(file, line);
        with(|s| s.cur_src = src);
    }

    /// The current issue context's `(ring, issue_flags)`, if a callback runs now.
    pub fn cur_issue_flags() -> Option<u32> {
        with(|s| s.io_uring.ucmd.cur_issue.map(|c| c.flags))
    }

    /// `IoUringCmd::sqe()` was called: the SQE-after-issue sanitizer.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `cmd` points to a live request's command.
    pub unsafe fn sqe_access(cmd: *mut io_uring_cmd) {
        // SAFETY: forwarded from the caller.
        unsafe { uc::sqe_access(cmd) }
    }

    /// SQE bytes were read (`volatile`: a `READ_ONCE`-like read).
    pub fn sqe_read(off: usize, len: usize, volatile: bool) {
        uc::sqe_read(off, len, volatile)
    }

    /// PDU bytes were read.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `cmd` points to a live request's command.
    pub unsafe fn pdu_read(cmd: *mut io_uring_cmd, off: usize, len: usize) {
        // SAFETY: forwarded from the caller.
        unsafe { uc::pdu_read(cmd, off, len) }
    }

    /// PDU bytes were written by the driver.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `cmd` points to a live request's command.
    pub unsafe fn pdu_write(cmd: *mut io_uring_cmd, off: usize, len: usize) {
        // SAFETY: forwarded from the caller.
        unsafe { uc::pdu_write(cmd, off, len) }
    }

    /// The v5 wrapper zeroed the PDU.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `cmd` points to a live request's command.
    pub unsafe fn pdu_zeroed(cmd: *mut io_uring_cmd) {
        // SAFETY: forwarded from the caller.
        unsafe { uc::pdu_zeroed_by_wrapper(cmd) }
    }

    /// A PDU type of `size` bytes (over 32) was used.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `cmd` points to a live request's command.
    pub unsafe fn pdu_too_big(cmd: *mut io_uring_cmd, size: usize) {
        // SAFETY: forwarded from the caller.
        unsafe { uc::pdu_too_big(cmd, size) }
    }

    /// A command was left with nothing that can complete it (1: `Complete(-EIOCBQUEUED)`,
    /// 2: its `QueuedIoUringCmd` was dropped).
    ///
    /// # Safety
    ///
    /// The caller must ensure that `cmd` points to a live request's command.
    pub unsafe fn cmd_lost(cmd: *mut io_uring_cmd, why: i64) {
        // SAFETY: forwarded from the caller.
        unsafe { uc::cmd_lost(cmd, why) }
    }

    /// A reference to the PDU as a type aligned to `align` is about to be made; returns
    /// whether the kernel profile's PDU has that alignment.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `cmd` points to a live request's command.
    pub unsafe fn pdu_ref(cmd: *mut io_uring_cmd, align: usize) -> bool {
        // SAFETY: forwarded from the caller.
        unsafe { uc::pdu_ref(cmd, align) }
    }

    /// A misc device file was released.
    pub fn dev_released() {
        with(|s| {
            s.cur_src = 0;
            s.emit(crate::trace::Event::sim_dev_release, 0, 0, 0, 0, 0)
        });
    }
}
