//! A ublk-like device: FETCH commands park until a block request arrives, and are cancelable.
//!
//! Mirrors: `drivers/block/ublk_drv.c` (`ublk_ch_uring_cmd`, `ublk_ch_uring_cmd_local`,
//! `ublk_prep_cancel`, `ublk_uring_cmd_cancel_fn`, `ublk_cancel_cmd`, dispatch through
//! `io_uring_cmd_complete_in_task`) and `include/uapi/linux/ublk_cmd.h`
//! (`struct ublksrv_io_cmd`, `UBLK_U_IO_FETCH_REQ`, `UBLK_IO_RES_*`), written against the v5
//! abstraction (docs/kernel-notes.md §4.2).
//!
//! - `UBLK_U_IO_FETCH_REQ` (`_IOWR('u', 0x20, struct ublksrv_io_cmd)`) for tag `t` parks the
//!   command: the tag goes into the PDU, the command is marked cancelable and queued. Each tag
//!   can be fetched once (`-EINVAL`), tags are `0..4`, queue 0 only (`-EINVAL`); a `cmd_op`
//!   of another ioctl type is `-EOPNOTSUPP`, an unknown number `-EINVAL`.
//! - Device poke `dispatch` (arg: tag) stands in for a block request arriving: the parked
//!   command completes through task_work with `UBLK_IO_RES_OK` (0).
//! - When the ring is torn down the core calls `uring_cmd` with `IO_URING_F_CANCEL`: the driver
//!   reads the tag from the PDU and completes that command with `UBLK_IO_RES_ABORT`
//!   (`-ENODEV`) with the cancel call's own issue flags.
//!
//! Marking a command cancelable is a simulator extension of the v5 API
//! (`IoUringCmd::mark_cancelable`); v5 has no cancellation support.

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{self, cmd_flags, IoUringCmd, IoUringTaskWork, QueuedIoUringCmd, UringCmdAction},
    ioctl::{_IOC_NR, _IOC_TYPE, _IOWR},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    sync::Mutex,
    transmute::{AsBytes, FromBytes},
};

/// `struct ublksrv_io_cmd` (16 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct UblksrvIoCmd {
    pub q_id: u16,
    pub tag: u16,
    pub result: i32,
    pub addr: u64,
}

// SAFETY: integers only, no padding (2 + 2 + 4 + 8 bytes), any bits valid.
unsafe impl FromBytes for UblksrvIoCmd {}
// SAFETY: as above.
unsafe impl AsBytes for UblksrvIoCmd {}

/// `UBLK_U_IO_FETCH_REQ`.
pub const UBLK_U_IO_FETCH_REQ: u32 = _IOWR::<UblksrvIoCmd>('u' as u32, 0x20);
/// `UBLK_U_IO_COMMIT_AND_FETCH_REQ` (not modelled: `-EINVAL`).
pub const UBLK_U_IO_COMMIT_AND_FETCH_REQ: u32 = _IOWR::<UblksrvIoCmd>('u' as u32, 0x21);

/// `UBLK_IO_RES_OK`.
const UBLK_IO_RES_OK: i32 = 0;
/// Queue depth of the single queue.
const QUEUE_DEPTH: usize = 4;

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustUblk>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// `struct ublk_uring_cmd_pdu`, reduced to what this model keeps.
#[repr(C)]
#[derive(Clone, Copy)]
struct UblkPdu {
    tag: u16,
    q_id: u16,
    magic: u32,
}

const PDU_MAGIC: u32 = 0x0b1c_0b1c;

// SAFETY: integers only, no padding (2 + 2 + 4 bytes), any bits valid.
unsafe impl FromBytes for UblkPdu {}
// SAFETY: as above.
unsafe impl AsBytes for UblkPdu {}

/// The per-open device state: one parked command per tag.
pub struct RustUblk {
    dev: Device,
    ios: Mutex<Vec<Option<QueuedIoUringCmd>>>,
}

/// `ublk_cmd_tw_cb` → `ublk_dispatch_req`: tells the server which tag has work.
struct UblkDispatch;

impl IoUringTaskWork for UblkDispatch {
    fn task_work(cmd: QueuedIoUringCmd) {
        cmd.done(Ok(UBLK_IO_RES_OK), 0, io_uring::TASK_WORK_ISSUE_FLAGS);
    }
}

impl RustUblk {
    /// `ublk_uring_cmd_cancel_fn` → `ublk_cancel_cmd`.
    fn cancel(&self, ioucmd: IoUringCmd, issue_flags: u32) -> Result<UringCmdAction> {
        let pdu: UblkPdu = ioucmd.read_pdu()?;
        let parked = self
            .ios
            .lock()
            .get_mut(pdu.tag as usize)
            .and_then(Option::take);
        if let Some(cmd) = parked {
            dev_info!(self.dev, "cancel tag {}: UBLK_IO_RES_ABORT\n", pdu.tag);
            cmd.done(Err(ENODEV), 0, issue_flags);
        }
        // The core ignores what a cancel call returns.
        Ok(ioucmd.complete(0))
    }
}

impl MiscDevice for RustUblk {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        let mut ios = Vec::new();
        ios.resize_with(QUEUE_DEPTH, || None);
        Ok(Box::new(RustUblk {
            dev: misc.device(),
            ios: Mutex::new(ios),
        }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustUblk,
        mut ioucmd: IoUringCmd,
        issue_flags: u32,
    ) -> Result<UringCmdAction> {
        if issue_flags & cmd_flags::IO_URING_F_CANCEL != 0 {
            return me.cancel(ioucmd, issue_flags);
        }
        let op = ioucmd.cmd_op();
        if _IOC_TYPE(op) != 'u' as u32 {
            return Err(EOPNOTSUPP);
        }
        let io: UblksrvIoCmd = ioucmd.sqe().cmd_data()?;
        if io.q_id != 0 || io.tag as usize >= QUEUE_DEPTH {
            return Err(EINVAL);
        }
        if op != UBLK_U_IO_FETCH_REQ {
            dev_err!(me.dev, "unsupported command nr {:#x}\n", _IOC_NR(op));
            return Err(EINVAL);
        }
        if me.ios.lock()[io.tag as usize].is_some() {
            return Err(EINVAL);
        }
        // ublk_prep_cancel: remember the tag in the PDU and make the command cancelable.
        ioucmd.write_pdu(&UblkPdu {
            tag: io.tag,
            q_id: io.q_id,
            magic: PDU_MAGIC,
        })?;
        ioucmd.mark_cancelable(issue_flags);
        let (action, queued) = ioucmd.queue();
        me.ios.lock()[io.tag as usize] = Some(queued);
        dev_info!(
            me.dev,
            "tag {} fetched, waiting for a block request\n",
            io.tag
        );
        Ok(action)
    }

    fn sim_ctl(me: &RustUblk, action: &str, arg: i32) -> Result<i32> {
        match action {
            "dispatch" => {
                let parked = me.ios.lock().get_mut(arg as usize).and_then(Option::take);
                match parked {
                    Some(cmd) => {
                        dev_info!(me.dev, "block request for tag {}\n", arg);
                        cmd.complete_in_task::<UblkDispatch>();
                        Ok(0)
                    }
                    None => Err(ENOENT),
                }
            }
            _ => Err(EINVAL),
        }
    }
}
