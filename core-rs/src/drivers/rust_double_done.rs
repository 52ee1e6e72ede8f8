//! A v3 driver that completes a command twice (hazard).
//!
//! Mirrors: no upstream file; it exercises what Caleb Sander Mateos pointed out in the RFC v3
//! review: `IoUringCmd::done` takes `self: Pin<&mut Self>`, so nothing stops a second call, and
//! nothing ties `done` to `uring_cmd` having returned `-EIOCBQUEUED`.
//!
//! - `DOUBLE_DONE_AND_RETURN`: calls `done(Ok(1))` and then returns `Ok(0)` from `uring_cmd` —
//!   the core completes the command again with the returned value.
//! - `DOUBLE_DONE_TWICE`: calls `done(Ok(1))` and `done(Ok(2))`, then returns `-EIOCBQUEUED`.
//!
//! In C either would put the request on the completion list twice (list corruption, then a
//! double free into the request cache). The simulator reports `sanitizer_double_done` and keeps
//! the first completion.

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::v3::IoUringCmd,
    ioctl::_IO,
    miscdevice::{
        v3::{MiscDevice, MiscDeviceRegistration},
        MiscDeviceOptions,
    },
    prelude::*,
};

/// `_IO('x', 1)`: `done()`, then return a result.
pub const DOUBLE_DONE_AND_RETURN: u32 = _IO('x' as u32, 1);
/// `_IO('x', 2)`: `done()` twice, then return `-EIOCBQUEUED`.
pub const DOUBLE_DONE_TWICE: u32 = _IO('x' as u32, 2);

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustDoubleDone>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The per-open device state.
pub struct RustDoubleDone {
    dev: Device,
}

impl MiscDevice for RustDoubleDone {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustDoubleDone { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustDoubleDone,
        mut io_uring_cmd: Pin<&mut IoUringCmd>,
        issue_flags: u32,
    ) -> Result<i32> {
        match io_uring_cmd.cmd_op() {
            DOUBLE_DONE_AND_RETURN => {
                dev_info!(me.dev, "completing with done(), then returning 0\n");
                io_uring_cmd.as_mut().done(Ok(1), 0, issue_flags);
                Ok(0)
            }
            DOUBLE_DONE_TWICE => {
                dev_info!(me.dev, "calling done() twice\n");
                io_uring_cmd.as_mut().done(Ok(1), 0, issue_flags);
                io_uring_cmd.as_mut().done(Ok(2), 0, issue_flags);
                Err(EIOCBQUEUED)
            }
            _ => Err(ENOTTY),
        }
    }
}
