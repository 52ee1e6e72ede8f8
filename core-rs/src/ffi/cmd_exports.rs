//! Exports for misc devices, device pokes, the kernel log and provenance arrays.
//!
//! Mirrors: nothing upstream (the wasm ABI); the calls stand in for `open("/dev/<name>")` of a
//! misc device and for loading a driver module.
//!
//! Each forwards to the core; the contract is in [`super`]. Strings are UTF-8 in user memory
//! (`ptr`, `len`); every argument is validated and no export traps on bad input: errors are
//! negative errnos (or 0 for pointers).

use super::guard;
use crate::linux::miscdevice;
use crate::sim;
use crate::uapi::errno::*;

/// Longest device name, driver name or action accepted.
const MAX_NAME: u32 = 64;

/// Reads a UTF-8 string from user memory.
fn user_str(ptr: usize, len: u32) -> Result<String, i32> {
    if len == 0 || len > MAX_NAME {
        return Err(-EINVAL);
    }
    let mut buf = vec![0u8; len as usize];
    sim::with(|s| s.user.copy_from_user(&mut buf, ptr as u64)).map_err(|e| -e)?;
    String::from_utf8(buf).map_err(|_| -EINVAL)
}

/// Whether `name` is a valid device node name: `[a-z0-9][a-z0-9_-]*`, at most 32 bytes.
fn valid_dev_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

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
        let name = match user_str(name_ptr, name_len) {
            Ok(n) => n,
            Err(e) => return e,
        };
        let driver = match user_str(driver_ptr, driver_len) {
            Ok(d) => d,
            Err(e) => return e,
        };
        if !valid_dev_name(&name) {
            return -EINVAL;
        }
        let entry = match crate::drivers::find(&driver) {
            Some(d) => d,
            None => return -ENOENT,
        };
        if sim::with(|s| s.misc.find(&name).is_some()) {
            return -EEXIST;
        }
        // The module init runs with no simulator borrow held: it calls back into the kernel.
        let ret = match (entry.init)(&name) {
            Ok(module) => {
                sim::with(|s| s.misc.keep_module(module));
                0
            }
            Err(e) => e.to_errno(),
        };
        sim::with(|s| s.cur_src = 0);
        ret
    })
}

/// `open("/dev/<name>")`: runs the driver's `open` (its object lands in `private_data`) and
/// returns the fd, or `-ENOENT` (no such device), `-EINVAL`/`-EFAULT` for a bad string, or the
/// driver's error.
#[no_mangle]
pub extern "C" fn rs_dev_open(name_ptr: usize, name_len: u32) -> i32 {
    guard(-ENODEV, || match user_str(name_ptr, name_len) {
        Ok(name) => miscdevice::misc_open(&name),
        Err(e) => e,
    })
}

/// Pokes the device behind `fd` with a driver-specific `action` (`complete_now`, `fail_next`,
/// `stall`, `dispatch`, ...) and argument. Returns the driver's result (≥ 0) or a negative
/// errno: `-EBADF` (bad fd), `-ENOTTY` (not a misc device), `-EINVAL` (unknown action).
#[no_mangle]
pub extern "C" fn rs_dev_ctl(fd: i32, action_ptr: usize, action_len: u32, arg: i32) -> i32 {
    guard(-ENODEV, || match user_str(action_ptr, action_len) {
        Ok(action) => miscdevice::misc_ctl(fd, &action, arg),
        Err(e) => e,
    })
}

/// Returns the address of kernel log message `id` (UTF-8, see [`rs_log_len`]), or 0.
///
/// Valid until the next call into the module.
#[no_mangle]
pub extern "C" fn rs_log_ptr(id: u32) -> usize {
    guard(0, || {
        sim::with(|s| s.log.get(id).map_or(0, |m| m.as_ptr() as usize))
    })
}

/// Returns the length in bytes of kernel log message `id` (0 if there is none).
#[no_mangle]
pub extern "C" fn rs_log_len(id: u32) -> u32 {
    guard(0, || {
        sim::with(|s| s.log.get(id).map_or(0, |m| m.len() as u32))
    })
}

/// Returns the address of the user-memory provenance array: one `Prov` byte per byte of user
/// memory (index = address − `rs_user_mem_base()`), valid until the next `rs_init`.
#[no_mangle]
pub extern "C" fn rs_user_prov_ptr() -> usize {
    guard(0, || sim::with(|s| s.user.prov().as_ptr() as usize))
}

/// Returns the address of the user-memory source array: one `u32` (`file << 16 | line` of the
/// driver line that wrote it, 0 for userspace) per byte of user memory.
#[no_mangle]
pub extern "C" fn rs_user_src_ptr() -> usize {
    guard(0, || sim::with(|s| s.user.src().as_ptr() as usize))
}

/// Returns the address of the SQE-array provenance of ring `ring_fd`: one `Prov` byte per byte
/// of the SQE region (`rs_mmap_len(fd, IORING_OFF_SQES)` bytes), or 0 for a bad fd.
#[no_mangle]
pub extern "C" fn rs_sqe_prov_ptr(ring_fd: i32) -> usize {
    guard(0, || {
        sim::with(|s| {
            let f = match s.fds.fget(ring_fd) {
                Some(f) => f,
                None => return 0,
            };
            match s.fds.file(f).kind {
                crate::linux::fs::FileKind::IoUring(id) => {
                    s.ring(id).map_or(0, |c| c.sqe_prov.as_ptr() as usize)
                }
                _ => 0,
            }
        })
    })
}
