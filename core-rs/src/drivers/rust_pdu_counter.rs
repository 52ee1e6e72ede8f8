//! A v3 driver that keeps per-command state in the PDU and trusts it to start zeroed.
//!
//! Mirrors: no upstream file; the kind of driver RFC v3 patch 2/5 ("io_uring/cmd: zero-init pdu
//! in io_uring_cmd_prep() to avoid UB") was written for. The driver counts the issue attempts of
//! a command in its PDU (a driver would use such a count to give up after some `-EAGAIN`
//! retries) and completes with the count.
//!
//! Request objects are recycled from a cache and the core does not clear the PDU, so without
//! patch 2/5 a new command that lands in a recycled request finds the previous command's count
//! and reports attempt 2 on its first attempt; `sanitizer_pdu_stale_read` flags the read.
//! With patch 2/5 (`config.patch2_zero_pdu`) every command starts from zero. Caleb Sander Mateos
//! objected to the `memset` cost for every C user; v5 zeroes in the Rust wrapper instead.
//!
//! Writing the PDU needs `unsafe`: v3's `write_pdu` takes `&mut self`, but the driver only has
//! `Pin<&mut IoUringCmd>` of a `!Unpin` type (see `kernel::io_uring::v3`).

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
    transmute::{AsBytes, FromBytes},
};

/// `_IO('c', 1)`: count this command's attempts and complete with the count.
pub const PDU_COUNTER_CMD: u32 = _IO('c' as u32, 1);

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustPduCounter>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The driver's per-command state, kept in the PDU.
#[repr(C)]
#[derive(Clone, Copy)]
struct AttemptState {
    attempts: u32,
    last_cmd_op: u32,
}

// SAFETY: two integers, no padding, any bits valid.
unsafe impl FromBytes for AttemptState {}
// SAFETY: as above.
unsafe impl AsBytes for AttemptState {}

/// The per-open device state.
pub struct RustPduCounter {
    dev: Device,
}

impl MiscDevice for RustPduCounter {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustPduCounter { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustPduCounter,
        mut io_uring_cmd: Pin<&mut IoUringCmd>,
        _issue_flags: u32,
    ) -> Result<i32> {
        if io_uring_cmd.cmd_op() != PDU_COUNTER_CMD {
            return Err(ENOTTY);
        }
        // Relies on RFC v3 patch 2/5: a fresh command's PDU is all zeroes.
        let mut st: AttemptState = io_uring_cmd.read_pdu()?;
        st.attempts += 1;
        st.last_cmd_op = io_uring_cmd.cmd_op();
        // SAFETY: the PDU write moves nothing out of the pinned command.
        unsafe { io_uring_cmd.as_mut().get_unchecked_mut() }.write_pdu(&st)?;
        dev_info!(me.dev, "attempt {} of this command\n", st.attempts);
        Ok(st.attempts as i32)
    }
}
