//! A v3 driver that returns a 64-bit result in `res2`, as the RFC v3 `done` signature offers.
//!
//! Mirrors: no upstream file; the pattern of NVMe passthrough (`nvme_uring_task_cb` puts the
//! command's 64-bit result in `res2`, landing in `big_cqe[0]` of a 32-byte CQE), written
//! against the RFC v3 abstraction.
//!
//! v3's `IoUringCmd::done(ret, res2, issue_flags)` calls `io_uring_cmd_done(cmd, ret, res2,
//! flags)`, the ≈ v6.17 signature. Linux 6.18 split it: `io_uring_cmd_done(cmd, ret, flags)`
//! has no `res2` (it passes 0 and `is_cqe32 = false` to `__io_uring_cmd_done`) and
//! `io_uring_cmd_done32(cmd, ret, res2, flags)` has (`include/linux/io_uring/cmd.h`). A v3
//! binding that still builds on 6.18 calls the first, and the result never reaches userspace:
//! `big_cqe[0]` is 0 and `sanitizer_res2_lost` says what was dropped.
//!
//! - `RES2_CMD`: completes inside the issue call with `done(Ok(0), RES2_VALUE, issue_flags)`
//!   and returns `-EIOCBQUEUED`.

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

/// `_IO('r', 1)`: complete with `res = 0` and `res2 = RES2_VALUE`.
pub const RES2_CMD: u32 = _IO('r' as u32, 1);
/// The 64-bit result the driver hands to `done`.
pub const RES2_VALUE: u64 = 0x1234_5678_9abc_def0;

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustRes2V3>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The per-open device state.
pub struct RustRes2V3 {
    dev: Device,
}

impl MiscDevice for RustRes2V3 {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustRes2V3 { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustRes2V3,
        mut io_uring_cmd: Pin<&mut IoUringCmd>,
        issue_flags: u32,
    ) -> Result<i32> {
        if io_uring_cmd.cmd_op() != RES2_CMD {
            return Err(ENOTTY);
        }
        dev_info!(me.dev, "done(Ok(0), res2 {:#x})\n", RES2_VALUE);
        io_uring_cmd.as_mut().done(Ok(0), RES2_VALUE, issue_flags);
        Err(EIOCBQUEUED)
    }
}
