//! Rust misc device sample with the RFC v3 `uring_cmd` hook: set and get a value.
//!
//! Mirrors: `samples/rust/rust_misc_device.rs` with "[RFC PATCH v3 5/5] samples: rust: Add
//! `uring_cmd` example to `rust_misc_device`" (2025-08-22) applied.
//!
//! The command area of the SQE holds a user pointer to an `int`. `SET_VALUE` copies the `int`
//! from userspace into the device, `GET_VALUE` copies the device's value to userspace; both
//! complete synchronously with 0, and an unknown `cmd_op` fails with `-ENOTTY`.
//!
//! The `cmd_op` values are built with `_IOR`/`_IOW` exactly as in the patch, which swaps the
//! usual meaning: `_IOR` ("userspace reads") names `SET_VALUE`, where the driver *reads* user
//! memory, and `_IOW` names `GET_VALUE`, where it *writes* it (the ioctls 0x81/0x82 of the same
//! file use them the right way round). Nothing checks the direction bits, so the swap has no
//! effect on behaviour; it is kept so the numbers match the patch (`0x80047c83` for SET,
//! `0x40047c84` for GET).
//!
//! Driven from userspace (TypeScript, see `scenarios/v3-sync-set-get.json`):
//!
//! ```text
//! fd  = open("/dev/rust-misc")
//! buf = alloc(8) holding 42
//! sqe = get_sqe(); prep_uring_cmd(sqe, RUST_MISC_DEV_URING_CMD_SET_VALUE, fd)
//! sqe.cmd = [&buf]; submit_and_wait(1)   // CQE res 0, device value 42
//! ```
//!
//! Differences from upstream: the ioctl, read_iter and write_iter handlers of the sample are
//! left out (the simulator has no such syscalls); `me` is `&RustMiscDevice`, not
//! `Pin<&RustMiscDevice>` (see `kernel::miscdevice`).

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::v3::IoUringCmd,
    ioctl::{_IO, _IOR, _IOW},
    miscdevice::{
        v3::{MiscDevice, MiscDeviceRegistration},
        MiscDeviceOptions,
    },
    prelude::*,
    sync::Mutex,
    uaccess::{UserPtr, UserSlice, UserSliceReader, UserSliceWriter},
};

/// `_IO('|', 0x80)`: the sample's hello ioctl (listed for completeness).
pub const RUST_MISC_DEV_HELLO: u32 = _IO('|' as u32, 0x80);
/// `_IOR('|', 0x81, int)`: the sample's get-value ioctl.
pub const RUST_MISC_DEV_GET_VALUE: u32 = _IOR::<i32>('|' as u32, 0x81);
/// `_IOW('|', 0x82, int)`: the sample's set-value ioctl.
pub const RUST_MISC_DEV_SET_VALUE: u32 = _IOW::<i32>('|' as u32, 0x82);

/// `_IOR('|', 0x83, int)`: set the device's value from the user pointer in the SQE.
pub const RUST_MISC_DEV_URING_CMD_SET_VALUE: u32 = _IOR::<i32>('|' as u32, 0x83);
/// `_IOW('|', 0x84, int)`: copy the device's value to the user pointer in the SQE.
pub const RUST_MISC_DEV_URING_CMD_GET_VALUE: u32 = _IOW::<i32>('|' as u32, 0x84);

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    pr_info!("Initialising Rust Misc Device Sample\n");
    let reg = MiscDeviceRegistration::<RustMiscDevice>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

struct Inner {
    value: i32,
}

/// The per-open device state.
pub struct RustMiscDevice {
    inner: Mutex<Inner>,
    dev: Device,
}

impl MiscDevice for RustMiscDevice {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        let dev = misc.device();

        dev_info!(dev, "Opening Rust Misc Device Sample\n");

        Ok(Box::new(RustMiscDevice {
            inner: new_mutex!(Inner { value: 0_i32 }),
            dev,
        }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustMiscDevice,
        io_uring_cmd: Pin<&mut IoUringCmd>,
        _issue_flags: u32,
    ) -> Result<i32> {
        dev_info!(me.dev, "UringCmd Rust Misc Device Sample\n");

        let cmd = io_uring_cmd.cmd_op();
        let addr: usize = io_uring_cmd.sqe().cmd_data()?;
        let user_ptr = UserPtr::from_addr(addr);
        let user_slice = UserSlice::new(user_ptr, 8);

        match cmd {
            RUST_MISC_DEV_URING_CMD_SET_VALUE => me.set_value(user_slice.reader())?,
            RUST_MISC_DEV_URING_CMD_GET_VALUE => me.get_value(user_slice.writer())?,
            _ => {
                dev_err!(me.dev, "-> uring_cmd not recognised: {}\n", cmd);
                return Err(ENOTTY);
            }
        };
        Ok(0)
    }
}

impl Drop for RustMiscDevice {
    fn drop(&mut self) {
        dev_info!(self.dev, "Exiting the Rust Misc Device Sample\n");
    }
}

impl RustMiscDevice {
    fn set_value(&self, mut reader: UserSliceReader) -> Result<isize> {
        let new_value = reader.read::<i32>()?;
        let mut guard = self.inner.lock();

        dev_info!(
            self.dev,
            "-> Copying data from userspace (value: {})\n",
            new_value
        );

        guard.value = new_value;
        Ok(0)
    }

    fn get_value(&self, mut writer: UserSliceWriter) -> Result<isize> {
        let guard = self.inner.lock();
        let value = guard.value;

        // Free-up the lock and use our locally cached instance from here
        drop(guard);

        dev_info!(
            self.dev,
            "-> Copying data to userspace (value: {})\n",
            &value
        );

        writer.write::<i32>(&value)?;
        Ok(0)
    }
}
