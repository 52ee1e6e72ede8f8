//! Rust misc device sample as of v4: the workqueue calls `done()` directly (a locking bug).
//!
//! Mirrors: "[PATCH v4 5/5] samples: rust: Add `uring_cmd` example to `rust_misc_device`"
//! (2026-04-08). v4's API is v5's minus `complete_in_task`/`TASK_WORK_ISSUE_FLAGS`, so this
//! driver uses the v5 mirror and only the calls v4 had.
//!
//! `uring_cmd` queues the command and stores the `issue_flags` of the issue call
//! (`NONBLOCK | COMPLETE_DEFER | INLINE`) with it; the work item later calls
//! `done(Ok(0), 0, issue_flags)` from a kworker. Those flags belonged to the issue call, which
//! held the ring's `uring_lock`; the kworker holds no lock, and `COMPLETE_DEFER` makes
//! `io_uring_cmd_done` append to the ring's deferred completion list without it, racing the
//! submitter (Caleb Sander Mateos on RFC v3: flags must match what the core passed, and without
//! `IO_URING_F_UNLOCKED` `done` needs `uring_lock`, i.e. it must run in `uring_cmd` or in
//! task_work). In the simulator the sanitizers report `sanitizer_done_unlocked` and
//! `sanitizer_done_bad_flags`, and the CQE waits in the deferred list until something else
//! flushes it: a task sleeping for it is never woken. v5 fixed the sample with
//! `complete_in_task` (see `rust_misc_device`).

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{IoUringCmd, QueuedIoUringCmd, UringCmdAction},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    sync::{Arc, Mutex},
    workqueue::{self, WorkItem},
};

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustMiscDevice>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The per-open device state.
pub struct RustMiscDevice {
    dev: Device,
}

struct IoUringCmdWork {
    ioucmd: Mutex<Option<(QueuedIoUringCmd, u32)>>,
}

impl WorkItem for IoUringCmdWork {
    fn run(work: Arc<IoUringCmdWork>) {
        pr_info!("IoUringCmdWork::run()");

        if let Some((ioucmd, issue_flags)) = work.ioucmd.lock().take() {
            ioucmd.done(Ok(0), 0, issue_flags);
        }
    }
}

impl IoUringCmdWork {
    fn new(ioucmd: QueuedIoUringCmd, issue_flags: u32) -> Result<Arc<Self>> {
        Ok(Arc::new(Self {
            ioucmd: new_mutex!(Some((ioucmd, issue_flags))),
        }))
    }
}

impl MiscDevice for RustMiscDevice {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustMiscDevice { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustMiscDevice,
        ioucmd: IoUringCmd,
        issue_flags: u32,
    ) -> Result<UringCmdAction> {
        dev_info!(me.dev, "UringCmd Rust Misc Device Sample\n");

        let (action, queued_ioucmd) = ioucmd.queue();
        let work = IoUringCmdWork::new(queued_ioucmd, issue_flags)?;
        let _ = workqueue::system().enqueue(work);
        Ok(action)
    }
}
