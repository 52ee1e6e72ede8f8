//! A device that cannot finish a command without blocking: `-EAGAIN`, then the reissue.
//!
//! Mirrors: the pattern of `drivers/nvme/host/ioctl.c` under `IO_URING_F_NONBLOCK` (a request
//! allocation that would block surfaces as `-EAGAIN`, and the core reissues the command from
//! io-wq, where blocking is allowed), written against the v5 abstraction.
//!
//! The command area holds `[value, mode]`. On the first issue (inline, `IO_URING_F_NONBLOCK`)
//! the driver reads the SQE, remembers the value in its PDU and returns `-EAGAIN`; the core sets
//! `IORING_URING_CMD_REISSUE`, copies the SQE and reissues from io-wq (`IO_URING_F_UNLOCKED |
//! IO_URING_F_IOWQ`, no `NONBLOCK`). The v5 wrapper does not zero the PDU on a reissue, so the
//! driver finds its state there and completes with `value + 1000 * attempts`. With `mode = 1`
//! the device keeps answering `-EAGAIN`; a second `-EAGAIN` from io-wq fails the request with
//! `-EAGAIN` (no retry loop without IOPOLL, `io_wq_submit_work`).

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{cmd_flags, IoUringCmd, UringCmdAction},
    ioctl::_IOW,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    transmute::{AsBytes, FromBytes},
};

/// `_IOW('e', 1, [u64; 2])`: a command that needs to block once.
pub const EAGAIN_DEV_CMD: u32 = _IOW::<[u64; 2]>('e' as u32, 1);

const MAGIC: u32 = 0xea6a_1e55;

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustEagainDevice>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// What the driver keeps in the PDU between the first issue and the reissue.
#[repr(C)]
#[derive(Clone, Copy)]
struct RetryPdu {
    magic: u32,
    attempts: u32,
    value: u64,
    mode: u64,
}

// SAFETY: integers only, no padding (4 + 4 + 8 + 8 bytes), any bits valid.
unsafe impl FromBytes for RetryPdu {}
// SAFETY: as above.
unsafe impl AsBytes for RetryPdu {}

/// The per-open device state.
pub struct RustEagainDevice {
    dev: Device,
}

impl MiscDevice for RustEagainDevice {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustEagainDevice { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustEagainDevice,
        mut ioucmd: IoUringCmd,
        issue_flags: u32,
    ) -> Result<UringCmdAction> {
        if ioucmd.cmd_op() != EAGAIN_DEV_CMD {
            return Err(ENOTTY);
        }
        let mut st = if ioucmd.flags() & cmd_flags::IORING_URING_CMD_REISSUE == 0 {
            let [value, mode]: [u64; 2] = ioucmd.sqe().cmd_data()?;
            RetryPdu {
                magic: MAGIC,
                attempts: 0,
                value,
                mode,
            }
        } else {
            let st: RetryPdu = ioucmd.read_pdu()?;
            if st.magic != MAGIC {
                dev_err!(me.dev, "reissue without our state in the PDU\n");
                return Err(EIO);
            }
            st
        };
        st.attempts += 1;
        if issue_flags & cmd_flags::IO_URING_F_NONBLOCK != 0 || st.mode == 1 {
            dev_info!(me.dev, "attempt {}: would block, -EAGAIN\n", st.attempts);
            ioucmd.write_pdu(&st)?;
            return Err(EAGAIN);
        }
        dev_info!(me.dev, "attempt {}: done\n", st.attempts);
        let res = st.value as i32 + 1000 * st.attempts as i32;
        Ok(ioucmd.complete(res))
    }
}
