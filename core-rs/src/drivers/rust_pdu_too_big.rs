//! A v3 driver whose PDU type is larger than the 32-byte PDU (hazard).
//!
//! Mirrors: no upstream file. In C, `io_uring_cmd_to_pdu(cmd, T)` refuses such a type at build
//! time (`BUILD_BUG_ON(sizeof(T) > sizeof(cmd->pdu))`); both Rust generations check at run time
//! instead and return an error (v3: `EFAULT`, v5: `EINVAL`), so the command fails with that
//! error. `sanitizer_pdu_too_big` reports the access the C side would not have compiled.

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

/// `_IO('b', 1)`: read a 40-byte state from the PDU.
pub const PDU_TOO_BIG_CMD: u32 = _IO('b' as u32, 1);

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustPduTooBig>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The per-open device state.
pub struct RustPduTooBig {
    dev: Device,
}

impl MiscDevice for RustPduTooBig {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustPduTooBig { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustPduTooBig,
        io_uring_cmd: Pin<&mut IoUringCmd>,
        _issue_flags: u32,
    ) -> Result<i32> {
        if io_uring_cmd.cmd_op() != PDU_TOO_BIG_CMD {
            return Err(ENOTTY);
        }
        // Five u64 words of state: 40 bytes, 8 more than the PDU has.
        let state: [u64; 5] = io_uring_cmd.read_pdu()?;
        dev_info!(me.dev, "state {:?}\n", state);
        Ok(0)
    }
}
