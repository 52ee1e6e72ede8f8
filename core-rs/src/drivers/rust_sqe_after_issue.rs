//! A v3 driver that reads the SQE after its issue call returned (hazard).
//!
//! Mirrors: no upstream file; it does what RFC v3's API invites an asynchronous driver to do.
//! `uring_cmd` only borrows the command, so to complete it later the driver keeps a raw pointer
//! and rebuilds the command with the public `IoUringCmd::from_raw` (Caleb Sander Mateos: the
//! driver needs to own the command; Daniel Almeida: `from_raw` should not be `pub`). The work
//! item then reads its argument with `sqe().cmd_data()`. By then `ioucmd->sqe` still points at
//! the SQ ring slot, which userspace has reused for its next SQE (docs/kernel-notes.md §3.3): the driver
//! reads the *next* command's argument. `sanitizer_sqe_after_issue` flags the access; the CQE
//! shows the wrong value.
//!
//! The completion itself is done correctly for a workqueue: `done(.., IO_URING_F_UNLOCKED)`,
//! so the CQE is posted through task_work.

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{cmd_flags, v3::IoUringCmd},
    ioctl::_IOW,
    miscdevice::{
        v3::{MiscDevice, MiscDeviceRegistration},
        MiscDeviceOptions,
    },
    prelude::*,
    sync::Arc,
    workqueue::{self, WorkItem},
};

/// `_IOW('s', 1, u64)`: complete later with the u64 in the command area.
pub const LATE_SQE_ECHO: u32 = _IOW::<u64>('s' as u32, 1);

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustSqeAfterIssue>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The per-open device state.
pub struct RustSqeAfterIssue {
    dev: Device,
}

/// The deferred half: a raw pointer to the command, kept past the issue call.
struct LateEcho {
    cmd: usize,
}

impl WorkItem for LateEcho {
    fn run(work: Arc<LateEcho>) {
        // SAFETY: the command is still in flight (this driver returned -EIOCBQUEUED and
        // completes it only here), so the request is alive and nothing else uses it now.
        let mut cmd = unsafe { IoUringCmd::from_raw(work.cmd as *mut _) };
        let value: u64 = match cmd.sqe().cmd_data() {
            Ok(v) => v,
            Err(e) => {
                cmd.as_mut().done(Err(e), 0, cmd_flags::IO_URING_F_UNLOCKED);
                return;
            }
        };
        pr_info!("late echo of {}\n", value);
        cmd.as_mut()
            .done(Ok(value as i32), 0, cmd_flags::IO_URING_F_UNLOCKED);
    }
}

impl MiscDevice for RustSqeAfterIssue {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustSqeAfterIssue { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustSqeAfterIssue,
        io_uring_cmd: Pin<&mut IoUringCmd>,
        _issue_flags: u32,
    ) -> Result<i32> {
        if io_uring_cmd.cmd_op() != LATE_SQE_ECHO {
            return Err(ENOTTY);
        }
        dev_info!(me.dev, "will read the argument later\n");
        let ptr = &*io_uring_cmd as *const IoUringCmd as usize;
        let _ = workqueue::system().enqueue(Arc::new(LateEcho { cmd: ptr }));
        Err(EIOCBQUEUED)
    }
}
