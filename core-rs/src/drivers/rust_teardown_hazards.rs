//! A v5 device whose commands show what ring teardown does with commands that do not finish,
//! and the ways a v5 driver can lose a command.
//!
//! Mirrors: no single upstream file. The cancel path follows the contract of
//! `io_uring_cmd_mark_cancelable` (`io_uring/uring_cmd.c`): "the command is guaranteed to not
//! be done when calling ->uring_cmd() with IO_URING_F_CANCEL, but it is driver's
//! responsibility to deal with race between io_uring canceling and normal completion" — and
//! `io_ring_exit_work` keeps calling until the command is gone, so the cancel path must be
//! idempotent (ublk marks its commands cancelled for this; `ublk_cancel_cmd`).
//!
//! `cmd_op`s (all queue the command unless said otherwise):
//! - `TD_CANCEL_DEFER`: cancelable. On `IO_URING_F_CANCEL` the driver starts an abort that
//!   the device confirms 5 µs later (a delayed work item), then completes the command with
//!   `-ECANCELED` through task_work. Cancel calls while the abort runs do nothing: the exit
//!   work spins on them.
//! - `TD_NEVER`: not cancelable; the device never answers (a lost interrupt). The handle stays
//!   in the driver, so nothing is reported, but the ring's exit work waits on it forever and
//!   warns after 5 minutes.
//! - `TD_DROP`: the driver drops its `QueuedIoUringCmd` (v5 gap: nothing completes it).
//! - `TD_EIOCBQUEUED`: the driver returns `complete(-EIOCBQUEUED)` (v5 gap: the core sees
//!   "queued" and no handle exists).
//! - `TD_UNLOCKED_DEFER`: a workqueue completes it with `IO_URING_F_UNLOCKED |
//!   IO_URING_F_COMPLETE_DEFER`, which `__io_uring_cmd_done` refuses with a warning (no CQE).
//! - `TD_PDU_REF16`: takes a `&mut` to the PDU as a 16-byte-aligned type (Ming Lei's
//!   reference accessor, `QueuedIoUringCmd::pdu_mut`, a simulator extension); it completes
//!   with 0 through task_work, or at once with `-EINVAL` when the kernel's PDU is not aligned
//!   enough (6.19).
//!
//! Device poke `complete_all` completes every `TD_NEVER` command with 0.

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{self, cmd_flags, IoUringCmd, IoUringTaskWork, QueuedIoUringCmd, UringCmdAction},
    ioctl::_IO,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    sync::{Arc, Mutex},
    transmute::{AsBytes, FromBytes},
    workqueue::{self, WorkItem},
};

/// Cancelable; the abort completes 5 µs after the first cancel call.
pub const TD_CANCEL_DEFER: u32 = _IO('t' as u32, 1);
/// Never completed by the device.
pub const TD_NEVER: u32 = _IO('t' as u32, 2);
/// The handle is dropped.
pub const TD_DROP: u32 = _IO('t' as u32, 3);
/// `complete(-EIOCBQUEUED)`.
pub const TD_EIOCBQUEUED: u32 = _IO('t' as u32, 4);
/// Completed from a workqueue with `UNLOCKED | COMPLETE_DEFER`.
pub const TD_UNLOCKED_DEFER: u32 = _IO('t' as u32, 5);
/// A `&mut` to the PDU as a 16-byte-aligned type.
pub const TD_PDU_REF16: u32 = _IO('t' as u32, 6);

/// How long the device takes to confirm an abort.
const ABORT_NS: u64 = 5_000;

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustTeardownHazards>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// A 16-byte value that wants 16-byte alignment (as `u128` or an SSE vector would).
#[repr(C, align(16))]
#[derive(Clone, Copy)]
struct Tag16 {
    lo: u64,
    hi: u64,
}

// SAFETY: two integers, size 16 = alignment, no padding; any bits valid.
unsafe impl FromBytes for Tag16 {}
// SAFETY: as above.
unsafe impl AsBytes for Tag16 {}

#[derive(Default)]
struct State {
    /// The cancelable command and whether its abort is under way.
    cancelable: Option<QueuedIoUringCmd>,
    aborting: bool,
    /// Commands the device never answers.
    never: Vec<QueuedIoUringCmd>,
}

/// The per-open device state.
pub struct RustTeardownHazards {
    dev: Device,
    state: Arc<Mutex<State>>,
}

/// The device confirms the abort.
struct AbortDone {
    state: Arc<Mutex<State>>,
}

impl WorkItem for AbortDone {
    fn run(w: Arc<AbortDone>) {
        let cmd = w.state.lock().cancelable.take();
        if let Some(cmd) = cmd {
            cmd.complete_in_task::<Cancelled>();
        }
    }
}

struct Cancelled;

impl IoUringTaskWork for Cancelled {
    fn task_work(cmd: QueuedIoUringCmd) {
        cmd.done(Err(ECANCELED), 0, io_uring::TASK_WORK_ISSUE_FLAGS);
    }
}

struct Finished;

impl IoUringTaskWork for Finished {
    fn task_work(cmd: QueuedIoUringCmd) {
        cmd.done(Ok(0), 0, io_uring::TASK_WORK_ISSUE_FLAGS);
    }
}

/// A workqueue that completes with flags the core refuses.
struct UnlockedDefer {
    cmd: Mutex<Option<QueuedIoUringCmd>>,
}

impl WorkItem for UnlockedDefer {
    fn run(w: Arc<UnlockedDefer>) {
        let cmd = w.cmd.lock().take();
        if let Some(cmd) = cmd {
            let flags = cmd_flags::IO_URING_F_UNLOCKED | cmd_flags::IO_URING_F_COMPLETE_DEFER;
            cmd.done(Ok(0), 0, flags);
        }
    }
}

impl RustTeardownHazards {
    /// The `IO_URING_F_CANCEL` call: start the abort once; later calls find it under way.
    fn cancel(&self) -> Result<UringCmdAction> {
        let mut st = self.state.lock();
        if st.cancelable.is_some() && !st.aborting {
            st.aborting = true;
            drop(st);
            dev_info!(self.dev, "cancel: abort started\n");
            let w = Arc::new(AbortDone {
                state: self.state.clone(),
            });
            let _ = workqueue::system().enqueue_delayed(w, ABORT_NS);
        } else {
            drop(st);
            dev_info!(self.dev, "cancel: abort already under way\n");
        }
        // The core ignores what a cancel call returns.
        Err(EBUSY)
    }
}

impl MiscDevice for RustTeardownHazards {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustTeardownHazards {
            dev: misc.device(),
            state: Arc::new(Mutex::new(State::default())),
        }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustTeardownHazards,
        mut ioucmd: IoUringCmd,
        issue_flags: u32,
    ) -> Result<UringCmdAction> {
        if issue_flags & cmd_flags::IO_URING_F_CANCEL != 0 {
            return me.cancel();
        }
        match ioucmd.cmd_op() {
            TD_CANCEL_DEFER => {
                ioucmd.mark_cancelable(issue_flags);
                let (action, queued) = ioucmd.queue();
                let mut st = me.state.lock();
                st.cancelable = Some(queued);
                st.aborting = false;
                Ok(action)
            }
            TD_NEVER => {
                let (action, queued) = ioucmd.queue();
                me.state.lock().never.push(queued);
                dev_info!(me.dev, "the device will never answer this one\n");
                Ok(action)
            }
            TD_DROP => {
                let (action, queued) = ioucmd.queue();
                drop(queued);
                Ok(action)
            }
            TD_EIOCBQUEUED => Ok(ioucmd.complete(EIOCBQUEUED.to_errno())),
            TD_UNLOCKED_DEFER => {
                let (action, queued) = ioucmd.queue();
                let w = Arc::new(UnlockedDefer {
                    cmd: Mutex::new(Some(queued)),
                });
                let _ = workqueue::system().enqueue(w);
                Ok(action)
            }
            TD_PDU_REF16 => {
                let (action, mut queued) = ioucmd.queue();
                match queued.pdu_mut::<Tag16>() {
                    Ok(tag) => {
                        tag.lo = 1;
                        tag.hi = 2;
                        queued.complete_in_task::<Finished>();
                    }
                    Err(e) => {
                        queued.done(Err(e), 0, issue_flags);
                    }
                }
                Ok(action)
            }
            _ => Err(ENOTTY),
        }
    }

    fn sim_ctl(me: &RustTeardownHazards, action: &str, _arg: i32) -> Result<i32> {
        match action {
            "complete_all" => {
                let all: Vec<QueuedIoUringCmd> = me.state.lock().never.drain(..).collect();
                let n = all.len() as i32;
                for cmd in all {
                    cmd.complete_in_task::<Finished>();
                }
                Ok(n)
            }
            _ => Err(EINVAL),
        }
    }
}
