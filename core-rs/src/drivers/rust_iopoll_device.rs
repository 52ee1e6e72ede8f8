//! A polled device: commands complete only when the io_uring poller asks (IORING_SETUP_IOPOLL).
//!
//! Mirrors: the shape of NVMe passthrough on a polled queue (`drivers/nvme/host/ioctl.c`,
//! `nvme_ns_chr_uring_cmd_iopoll` → `blk_rq_poll`; completion through task_work since commit
//! 9ce6c9875f3e "nvme: always punt polled uring_cmd end_io work to task_work"), written against
//! the Rust v5 abstraction plus the simulator's iopoll hook (`HAS_URING_CMD_IOPOLL`; neither
//! Rust series binds `uring_cmd_iopoll`).
//!
//! The SQE's 16-byte command area holds `[latency_ns, value]`. The "hardware" finishes a
//! command `latency_ns` after it was queued, but raises no interrupt: nothing happens until
//! `->uring_cmd_iopoll()` polls the queue and finds it done. The hook then hands the command to
//! task_work, whose callback calls `done(Ok(value), ..)`; on an IOPOLL ring that only sets
//! `iopoll_completed`, and the poller's next pass turns it into a CQE.
//!
//! This device has only a polled queue, so a ring that does not poll gets `-EOPNOTSUPP` at once
//! (NVMe instead sends such a command to an interrupt-driven queue: `nvme_uring_cmd_io` asks for
//! a polled request, `REQ_POLLED`, only under `IO_URING_F_IOPOLL`).

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{
        self, IoUringCmd, IoUringCmdPoll, IoUringTaskWork, QueuedIoUringCmd, UringCmdAction,
    },
    ioctl::_IOW,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    sync::{Arc, Mutex},
    time::ktime_get_ns,
    transmute::{AsBytes, FromBytes},
};

/// `_IOW('p', 1, [u64; 2])`: a polled command that finishes `latency_ns` after submission.
pub const IOPOLL_DEV_CMD: u32 = _IOW::<[u64; 2]>('p' as u32, 1);

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustIopollDevice>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The result, from the poll hook to the task_work callback.
#[repr(C)]
#[derive(Clone, Copy)]
struct PollPdu {
    result: i32,
    _pad: u32,
}

// SAFETY: two 32-bit integers, no padding, any bits valid.
unsafe impl FromBytes for PollPdu {}
// SAFETY: as above.
unsafe impl AsBytes for PollPdu {}

/// One command on the device's polled queue.
struct Slot {
    ready_at: u64,
    value: i32,
    cmd: QueuedIoUringCmd,
}

/// The per-open device state.
pub struct RustIopollDevice {
    dev: Device,
    queue: Arc<Mutex<Vec<Slot>>>,
}

struct PolledCompletion;

impl IoUringTaskWork for PolledCompletion {
    fn task_work(cmd: QueuedIoUringCmd) {
        let ret = match cmd.read_pdu::<PollPdu>() {
            Ok(p) => Ok(p.result),
            Err(e) => Err(e),
        };
        cmd.done(ret, 0, io_uring::TASK_WORK_ISSUE_FLAGS);
    }
}

impl MiscDevice for RustIopollDevice {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustIopollDevice {
            dev: misc.device(),
            queue: Arc::new(Mutex::new(Vec::new())),
        }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustIopollDevice,
        ioucmd: IoUringCmd,
        issue_flags: u32,
    ) -> Result<UringCmdAction> {
        if ioucmd.cmd_op() != IOPOLL_DEV_CMD {
            return Err(ENOTTY);
        }
        if issue_flags & io_uring::cmd_flags::IO_URING_F_IOPOLL == 0 {
            // A polled queue on a ring nobody polls would never complete.
            return Err(EOPNOTSUPP);
        }
        let [latency_ns, value]: [u64; 2] = ioucmd.sqe().cmd_data()?;
        let (action, queued) = ioucmd.queue();
        let ready_at = ktime_get_ns().saturating_add(latency_ns);
        me.queue.lock().push(Slot {
            ready_at,
            value: value as i32,
            cmd: queued,
        });
        dev_info!(me.dev, "polled command ready in {} ns\n", latency_ns);
        Ok(action)
    }

    const HAS_URING_CMD_IOPOLL: bool = true;

    fn uring_cmd_iopoll(me: &RustIopollDevice, cmd: &IoUringCmdPoll, _poll_flags: u32) -> i32 {
        let now = ktime_get_ns();
        let slot = {
            let mut q = me.queue.lock();
            match q.iter().position(|s| cmd.is(&s.cmd) && now >= s.ready_at) {
                Some(i) => q.remove(i),
                None => return 0,
            }
        };
        let mut done = slot.cmd;
        let pdu = PollPdu {
            result: slot.value,
            _pad: 0,
        };
        if done.write_pdu(&pdu).is_err() {
            return EINVAL.to_errno();
        }
        done.complete_in_task::<PolledCompletion>();
        1
    }
}
