//! A misc device whose driver has no `uring_cmd` hook.
//!
//! Mirrors: any Rust misc driver that does not implement `MiscDevice::uring_cmd` (the mainline
//! `rust_misc_device` sample before the series): `HAS_URING_CMD` stays `false`, the vtable
//! leaves `file_operations.uring_cmd` NULL, and `io_uring_cmd` answers every
//! `IORING_OP_URING_CMD` on the file with `-EOPNOTSUPP` without calling the driver
//! (`io_uring/uring_cmd.c`).

use crate::kernel::{
    fs::File,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
};

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustPlainDevice>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The per-open device state (nothing).
pub struct RustPlainDevice;

impl MiscDevice for RustPlainDevice {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        dev_info!(misc.device(), "opened (this driver has no uring_cmd)\n");
        Ok(Box::new(RustPlainDevice))
    }
}
