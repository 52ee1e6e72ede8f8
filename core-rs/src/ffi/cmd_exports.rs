//! Exports for misc devices, device pokes, the kernel log and provenance arrays.
//!
//! Mirrors: nothing upstream (the wasm ABI); the calls stand in for `open("/dev/<name>")` of a
//! misc device and for loading a driver module.
//!
//! Each forwards to the core; the contract is in [`super`]. Strings are UTF-8 in user memory
//! (`ptr`, `len`); every argument is validated and no export traps on bad input: errors are
//! negative errnos (or 0 for pointers).

use super::guard;
use crate::io_uring::syscall;
use crate::linux::miscdevice;
use crate::sim;
use crate::uapi::errno::*;

/// Registers misc device `/dev/<name>` driven by driver `<driver>` (a name of
/// `drivers::DRIVERS`). Returns 0 or a negative errno: `-ENODEV` before `rs_init`, `-EFAULT`
/// for strings outside user memory, `-EINVAL` for malformed names, `-ENOENT` for an unknown
/// driver, `-EEXIST` for a name in use.
#[no_mangle]
pub extern "C" fn rs_dev_register(
    name_ptr: usize,
    name_len: u32,
    driver_ptr: usize,
    driver_len: u32,
) -> i32 {
    guard(-ENODEV, || {
        miscdevice::misc_load_module(
            name_ptr,
            name_len,
            driver_ptr,
            driver_len,
            crate::drivers::module_init,
        )
    })
}

/// `open("/dev/<name>")`: runs the driver's `open` (its object lands in `private_data`) and
/// returns the fd, or `-ENOENT` (no such device), `-EINVAL`/`-EFAULT` for a bad string, or the
/// driver's error.
#[no_mangle]
pub extern "C" fn rs_dev_open(name_ptr: usize, name_len: u32) -> i32 {
    guard(-ENODEV, || miscdevice::misc_open_user(name_ptr, name_len))
}

/// Pokes the device behind `fd` with a driver-specific `action` (`complete_now`, `fail_next`,
/// `stall`, `dispatch`, ...) and argument. Returns the driver's result (≥ 0) or a negative
/// errno: `-EBADF` (bad fd), `-ENOTTY` (not a misc device), `-EINVAL` (unknown action).
#[no_mangle]
pub extern "C" fn rs_dev_ctl(fd: i32, action_ptr: usize, action_len: u32, arg: i32) -> i32 {
    guard(-ENODEV, || {
        miscdevice::misc_ctl_user(fd, action_ptr, action_len, arg)
    })
}

/// Returns the address of kernel log message `id` (UTF-8, see [`rs_log_len`]), or 0.
///
/// Valid until the next call into the module.
#[no_mangle]
pub extern "C" fn rs_log_ptr(id: u32) -> usize {
    guard(0, || {
        sim::with(|s| s.linux.log.get(id).map_or(0, |m| m.as_ptr() as usize))
    })
}

/// Returns the length in bytes of kernel log message `id` (0 if there is none).
#[no_mangle]
pub extern "C" fn rs_log_len(id: u32) -> u32 {
    guard(0, || {
        sim::with(|s| s.linux.log.get(id).map_or(0, |m| m.len() as u32))
    })
}

/// Returns the address of the user-memory provenance array: one `Prov` byte per byte of user
/// memory (index = address − `rs_user_mem_base()`), valid until the next `rs_init`.
#[no_mangle]
pub extern "C" fn rs_user_prov_ptr() -> usize {
    guard(0, || sim::with(|s| s.linux.user.prov().as_ptr() as usize))
}

/// Returns the address of the user-memory source array: one `u32` (`file << 16 | line` of the
/// driver line that wrote it, 0 for userspace) per byte of user memory.
#[no_mangle]
pub extern "C" fn rs_user_src_ptr() -> usize {
    guard(0, || sim::with(|s| s.linux.user.src().as_ptr() as usize))
}

/// Returns the address of the SQE-array provenance of ring `ring_fd`: one `Prov` byte per byte
/// of the SQE region (`rs_mmap_len(fd, IORING_OFF_SQES)` bytes), or 0 for a bad fd.
#[no_mangle]
pub extern "C" fn rs_sqe_prov_ptr(ring_fd: i32) -> usize {
    guard(0, || sim::with(|s| syscall::sqe_prov_ptr(s, ring_fd)))
}
