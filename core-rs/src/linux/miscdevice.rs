//! Misc devices: registration, the `/dev` node lookup and `open`.
//!
//! Mirrors: `drivers/char/misc.c` (`misc_register`, `misc_deregister`, `misc_open`) and
//! `include/linux/miscdevice.h` (`struct miscdevice`, `MISC_DYNAMIC_MINOR`).
//!
//! Differences from upstream:
//! - The simulator's `file_operations` has no `open` slot (every other file is created by the
//!   core itself), so `struct miscdevice` carries the driver's `open` next to `fops`, and
//!   [`misc_open`] calls it where the kernel calls `file->f_op->open`. As in the kernel,
//!   `file->private_data` holds the `struct miscdevice` while `open` runs, and `open` may
//!   replace it with the driver's own object.
//! - `sim_ctl` is the simulator's "device poke" (`rs_dev_ctl`): it stands in for the hardware
//!   events (an interrupt, a finished DMA) the simulator has no model of.
//! - Drivers are "modules" loaded by name from [`crate::drivers::DRIVERS`]; the object a
//!   module's init returns (it owns the registration) lives in [`MiscState`] until the
//!   simulator is reset.

use core::any::Any;
use core::ffi::c_void;

pub use crate::include::linux::{miscdevice, MiscCtlFn, MiscOpenFn, MiscState, ModuleInit};
use crate::linux::fs::FileKind;
use crate::sim::{self, Sim};
use crate::trace::Event;
use crate::uapi::errno::*;

/// `MISC_DYNAMIC_MINOR`: ask `misc_register` to pick a minor.
pub const MISC_DYNAMIC_MINOR: i32 = 255;

impl miscdevice {
    /// Returns the device name.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `name`/`name_len` describe a live UTF-8 buffer.
    pub unsafe fn name(&self) -> &str {
        // SAFETY: the caller guarantees the buffer is live; it was copied from a `&str`.
        unsafe {
            core::str::from_utf8_unchecked(core::slice::from_raw_parts(self.name, self.name_len))
        }
    }
}

impl MiscState {
    /// Keeps a loaded module's object (it owns its registrations) for the simulator's life.
    pub fn keep_module(&mut self, m: Box<dyn Any>) {
        self.modules.push(m);
    }

    /// Returns the registered device called `name`.
    pub fn find(&self, name: &str) -> Option<*mut miscdevice> {
        self.devices.iter().copied().find(|&d| {
            // SAFETY: registered devices stay alive until `misc_deregister`.
            unsafe { (*d).name() == name }
        })
    }

    /// Returns the registered device with minor `minor`.
    pub fn by_minor(&self, minor: u32) -> Option<*mut miscdevice> {
        self.devices.iter().copied().find(|&d| {
            // SAFETY: as in `find`.
            unsafe { (*d).minor as u32 == minor }
        })
    }

    /// Returns every registered device name, in registration order.
    pub fn names(&self) -> Vec<String> {
        self.devices
            .iter()
            // SAFETY: as in `find`.
            .map(|&d| unsafe { (*d).name().to_string() })
            .collect()
    }
}

/// `misc_register`: makes `misc` visible as `/dev/<name>`.
///
/// # Errors
///
/// `-EEXIST` if a device of that name exists (upstream: `device_create` fails), `-EINVAL`
/// without `fops`.
///
/// # Safety
///
/// The caller must ensure that `misc` stays valid and pinned until [`misc_deregister`].
pub unsafe fn misc_register(s: &mut Sim, misc: *mut miscdevice) -> i32 {
    // SAFETY: the caller guarantees `misc` is valid.
    let m = unsafe { &mut *misc };
    if m.fops.is_none() {
        return -EINVAL;
    }
    // SAFETY: the name buffer is owned by the registration the caller keeps alive.
    if s.linux.misc.find(unsafe { m.name() }).is_some() {
        return -EEXIST;
    }
    if m.minor == MISC_DYNAMIC_MINOR {
        s.linux.misc.next_minor += 1;
        m.minor = s.linux.misc.next_minor;
    }
    s.linux.misc.devices.push(misc);
    s.emit(Event::sim_dev_register, 0, 0, 0, m.minor as i64, 0);
    0
}

/// `misc_deregister`: removes the `/dev` node (open files keep working).
pub fn misc_deregister(s: &mut Sim, misc: *mut miscdevice) {
    s.linux.misc.devices.retain(|&d| d != misc);
}

/// `open("/dev/<name>")` → `misc_open`: installs a file whose `private_data` is the
/// `struct miscdevice`, then runs the driver's `open`. Returns the fd or a negative errno.
///
/// Called with no simulator borrow held (the driver's `open` runs here).
pub fn misc_open(name: &str) -> i32 {
    let found = sim::with(|s| {
        let misc = s.linux.misc.find(name)?;
        // SAFETY: registered devices stay alive until `misc_deregister`.
        let (fops, open, minor) = unsafe { ((*misc).fops?, (*misc).open, (*misc).minor) };
        let fd = s
            .linux
            .fds
            .install(FileKind::Misc(minor as u32), fops, misc as *mut c_void);
        let f = s.linux.fds.fget(fd).expect("just installed");
        Some((fd, s.linux.fds.file_ptr(f), open))
    });
    let (fd, filp, open) = match found {
        Some(v) => v,
        None => return -ENOENT,
    };
    let ret = match open {
        // SAFETY: `filp` is the live file just installed; the driver's open gets it exactly
        // as `misc_open` hands it over (private_data = the miscdevice).
        Some(o) => unsafe { o(filp) },
        None => 0,
    };
    sim::with(|s| {
        s.cur_src = 0;
        if ret < 0 {
            // `do_dentry_open` failed: the file goes away without `->release()`.
            let _ = s.linux.fds.close(fd);
            return ret;
        }
        s.emit(Event::sim_dev_open, 0, 0, 0, fd as i64, 0);
        fd
    })
}

/// Sends a device poke to the misc device behind `fd`. Called with no simulator borrow held.
///
/// # Errors
///
/// `-EBADF` for a bad fd, `-ENOTTY` if the file is not a misc device or its driver takes no
/// pokes; otherwise the driver's result.
pub fn misc_ctl(fd: i32, action: &str, arg: i32) -> i32 {
    let found = sim::with(|s| {
        let f = s.linux.fds.fget(fd).ok_or(-EBADF)?;
        let minor = match s.linux.fds.file(f).kind {
            FileKind::Misc(m) => m,
            _ => return Err(-ENOTTY),
        };
        let filp = s.linux.fds.file_ptr(f);
        let misc = s.linux.misc.by_minor(minor).ok_or(-ENODEV)?;
        // SAFETY: registered devices stay alive until `misc_deregister`.
        let ctl = unsafe { (*misc).sim_ctl }.ok_or(-ENOTTY)?;
        s.emit(Event::sim_dev_ctl, 0, 0, 0, arg as i64, fd as i64);
        Ok((filp, ctl))
    });
    let ret = match found {
        // SAFETY: `filp` is a live open file of this device; the poke runs with no borrow held.
        Ok((filp, ctl)) => unsafe { ctl(filp, action, arg) },
        Err(e) => e,
    };
    sim::with(|s| s.cur_src = 0);
    ret
}

/// Longest device name, driver name or action the ABI accepts.
pub const MAX_NAME: u32 = 64;

/// Whether `name` is a valid device node name: `[a-z0-9][a-z0-9_-]*`, at most 32 bytes.
fn valid_dev_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

fn user_name(addr: usize, len: u32) -> Result<String, i32> {
    sim::with(|s| crate::linux::uaccess::strndup_user(&s.linux.user, addr as u64, len, MAX_NAME))
        .map_err(|e| -e)
}

/// Loads driver `driver` (names in user memory) and has it register misc device
/// `/dev/<name>`: `load` finds the driver's module init by name (the driver table sits above
/// the C side, so it is passed in, as `request_module` finds a module the kernel does not
/// link). Returns 0 or a negative errno: `-EFAULT` for strings outside user memory, `-EINVAL`
/// for malformed names, `-ENOENT` for an unknown driver, `-EEXIST` for a name in use, or the
/// module init's error.
///
/// Called with no simulator borrow held: the module init calls back into the kernel
/// ([`misc_register`]). Mirrors nothing upstream beyond `misc_register`'s `-EBUSY`-style
/// refusal of a taken name; loading by name stands in for `insmod`.
pub fn misc_load_module(
    name_ptr: usize,
    name_len: u32,
    driver_ptr: usize,
    driver_len: u32,
    load: impl FnOnce(&str) -> Option<ModuleInit>,
) -> i32 {
    let name = match user_name(name_ptr, name_len) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let driver = match user_name(driver_ptr, driver_len) {
        Ok(d) => d,
        Err(e) => return e,
    };
    if !valid_dev_name(&name) {
        return -EINVAL;
    }
    let init = match load(&driver) {
        Some(i) => i,
        None => return -ENOENT,
    };
    if sim::with(|s| s.linux.misc.find(&name).is_some()) {
        return -EEXIST;
    }
    let ret = match init(&name) {
        Ok(module) => {
            sim::with(|s| s.linux.misc.keep_module(module));
            0
        }
        Err(e) => e,
    };
    sim::with(|s| s.cur_src = 0);
    ret
}

/// [`misc_open`] with the device name in user memory (`-EINVAL`/`-EFAULT` for a bad string).
pub fn misc_open_user(name_ptr: usize, name_len: u32) -> i32 {
    match user_name(name_ptr, name_len) {
        Ok(name) => misc_open(&name),
        Err(e) => e,
    }
}

/// [`misc_ctl`] with the action in user memory (`-EINVAL`/`-EFAULT` for a bad string).
pub fn misc_ctl_user(fd: i32, action_ptr: usize, action_len: u32, arg: i32) -> i32 {
    match user_name(action_ptr, action_len) {
        Ok(action) => misc_ctl(fd, &action, arg),
        Err(e) => e,
    }
}
