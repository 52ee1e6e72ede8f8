//! Rust misc device sample with the v5 `uring_cmd` hook: queue, workqueue, task_work, done.
//!
//! Mirrors: `samples/rust/rust_misc_device.rs` with "[PATCH v5 4/4] samples: rust: Add
//! `uring_cmd` example to `rust_misc_device`" (2026-04-15) applied.
//!
//! Every command (whatever its `cmd_op`) is queued: `uring_cmd` returns
//! [`UringCmdAction::Queued`], a work item on the system workqueue calls
//! [`QueuedIoUringCmd::complete_in_task`], and the task_work callback completes it with
//! `done(Ok(0), 0, TASK_WORK_ISSUE_FLAGS)` — from the submitter's task, holding the ring lock,
//! with the flags the core hands to task_work. This is the fix of v4's sample (see
//! `rust_misc_device_v4`).
//!
//! Differences from upstream: the ioctl/read/write handlers are left out, `IoUringCmdWork` has
//! no embedded `Work` field (see `kernel::workqueue`), and `me` is `&RustMiscDevice`.

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{self, IoUringCmd, IoUringTaskWork, QueuedIoUringCmd, UringCmdAction},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    sync::{Arc, Mutex},
    workqueue::{self, WorkItem},
};

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    pr_info!("Initialising Rust Misc Device Sample\n");
    let reg = MiscDeviceRegistration::<RustMiscDevice>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The per-open device state.
pub struct RustMiscDevice {
    dev: Device,
}

struct IoUringCmdWork {
    ioucmd: Mutex<Option<QueuedIoUringCmd>>,
}

/// Task-work completion handler for the sample device.
struct RustMiscDeviceCompletion;

impl IoUringTaskWork for RustMiscDeviceCompletion {
    fn task_work(cmd: QueuedIoUringCmd) {
        cmd.done(Ok(0), 0, io_uring::TASK_WORK_ISSUE_FLAGS);
    }
}

impl WorkItem for IoUringCmdWork {
    fn run(work: Arc<IoUringCmdWork>) {
        pr_info!("IoUringCmdWork::run()");

        if let Some(ioucmd) = work.ioucmd.lock().take() {
            ioucmd.complete_in_task::<RustMiscDeviceCompletion>();
        }
    }
}

impl IoUringCmdWork {
    fn new(ioucmd: QueuedIoUringCmd) -> Result<Arc<Self>> {
        Ok(Arc::new(Self {
            ioucmd: new_mutex!(Some(ioucmd)),
        }))
    }
}

impl MiscDevice for RustMiscDevice {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        let dev = misc.device();
        dev_info!(dev, "Opening Rust Misc Device Sample\n");
        Ok(Box::new(RustMiscDevice { dev }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustMiscDevice,
        ioucmd: IoUringCmd,
        _issue_flags: u32,
    ) -> Result<UringCmdAction> {
        dev_info!(me.dev, "UringCmd Rust Misc Device Sample\n");

        let (action, queued_ioucmd) = ioucmd.queue();
        let work = IoUringCmdWork::new(queued_ioucmd)?;
        let _ = workqueue::system().enqueue(work);
        Ok(action)
    }
}

impl Drop for RustMiscDevice {
    fn drop(&mut self) {
        dev_info!(self.dev, "Exiting the Rust Misc Device Sample\n");
    }
}
