//! A device that completes each command after a delay, like hardware with latency.
//!
//! Mirrors: no single upstream file; the shape of an asynchronous v5 driver: `queue()` in
//! `uring_cmd`, a delayed work item standing in for the device's completion interrupt, and
//! `complete_in_task` + `done(.., TASK_WORK_ISSUE_FLAGS)`, as `rust_misc_device`.
//!
//! The SQE's 16-byte command area holds `[delay_ns, value]` (two little-endian u64). The
//! command completes `delay_ns` of simulated time later with `res = value`. The result travels
//! from the "interrupt" to the task_work callback in the PDU, which v5 preserves across
//! `complete_in_task`.
//!
//! Device pokes (`rs_dev_ctl`): `complete_now` completes every pending command at once;
//! `fail_next` (arg: a positive errno) makes the next completion fail with `-arg`; `stall`
//! (arg 1 or 0) stops or restarts completions (a stalled device finishes nothing until
//! `complete_now` or `stall 0`).

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{self, IoUringCmd, IoUringTaskWork, QueuedIoUringCmd, UringCmdAction},
    ioctl::_IOW,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    sync::{Arc, Mutex},
    transmute::{AsBytes, FromBytes},
    workqueue::{self, WorkItem},
};

/// `_IOW('d', 1, [u64; 2])`: submit a command that completes after `delay_ns` with `value`.
pub const DELAY_DEV_SUBMIT: u32 = _IOW::<[u64; 2]>('d' as u32, 1);

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustDelayDevice>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// What the PDU holds between the "interrupt" and the task_work callback.
#[repr(C)]
#[derive(Clone, Copy)]
struct DelayPdu {
    id: u64,
    result: i32,
    _pad: u32,
}

// SAFETY: `DelayPdu` is two integers and an explicit pad word: no padding, any bits valid.
unsafe impl FromBytes for DelayPdu {}
// SAFETY: as above.
unsafe impl AsBytes for DelayPdu {}

struct Pending {
    id: u64,
    value: i32,
    cmd: QueuedIoUringCmd,
}

#[derive(Default)]
struct State {
    next_id: u64,
    pending: Vec<Pending>,
    fail_next: Option<i32>,
    stalled: bool,
}

/// The per-open device state.
pub struct RustDelayDevice {
    dev: Device,
    state: Arc<Mutex<State>>,
}

/// The device's completion "interrupt" for one command.
struct DelayIrq {
    id: u64,
    state: Arc<Mutex<State>>,
}

impl WorkItem for DelayIrq {
    fn run(irq: Arc<DelayIrq>) {
        let done = {
            let mut st = irq.state.lock();
            if st.stalled {
                None
            } else {
                let i = st.pending.iter().position(|p| p.id == irq.id);
                i.map(|i| {
                    let p = st.pending.remove(i);
                    let fail = st.fail_next.take();
                    (p, fail)
                })
            }
        };
        if let Some((p, fail)) = done {
            finish(p, fail);
        }
    }
}

/// Stores the result in the PDU and hands the command to task_work.
fn finish(p: Pending, fail: Option<i32>) {
    let mut cmd = p.cmd;
    let result = match fail {
        Some(e) => -e,
        None => p.value,
    };
    let pdu = DelayPdu {
        id: p.id,
        result,
        _pad: 0,
    };
    if cmd.write_pdu(&pdu).is_ok() {
        cmd.complete_in_task::<DelayCompletion>();
    }
}

struct DelayCompletion;

impl IoUringTaskWork for DelayCompletion {
    fn task_work(cmd: QueuedIoUringCmd) {
        let ret = match cmd.read_pdu::<DelayPdu>() {
            Ok(p) if p.result < 0 => Err(Error::from_errno(p.result)),
            Ok(p) => Ok(p.result),
            Err(e) => Err(e),
        };
        cmd.done(ret, 0, io_uring::TASK_WORK_ISSUE_FLAGS);
    }
}

impl MiscDevice for RustDelayDevice {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustDelayDevice {
            dev: misc.device(),
            state: Arc::new(Mutex::new(State::default())),
        }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustDelayDevice,
        ioucmd: IoUringCmd,
        _issue_flags: u32,
    ) -> Result<UringCmdAction> {
        if ioucmd.cmd_op() != DELAY_DEV_SUBMIT {
            return Err(ENOTTY);
        }
        let [delay_ns, value]: [u64; 2] = ioucmd.sqe().cmd_data()?;
        let (action, queued) = ioucmd.queue();
        let mut st = me.state.lock();
        st.next_id += 1;
        let id = st.next_id;
        st.pending.push(Pending {
            id,
            value: value as i32,
            cmd: queued,
        });
        let stalled = st.stalled;
        drop(st);
        dev_info!(me.dev, "command {} completes in {} ns\n", id, delay_ns);
        if !stalled {
            let irq = Arc::new(DelayIrq {
                id,
                state: me.state.clone(),
            });
            let _ = workqueue::system().enqueue_delayed(irq, delay_ns);
        }
        Ok(action)
    }

    fn sim_ctl(me: &RustDelayDevice, action: &str, arg: i32) -> Result<i32> {
        match action {
            "complete_now" => {
                let all: Vec<Pending> = me.state.lock().pending.drain(..).collect();
                let n = all.len() as i32;
                for p in all {
                    let fail = me.state.lock().fail_next.take();
                    finish(p, fail);
                }
                Ok(n)
            }
            "fail_next" if arg > 0 => {
                me.state.lock().fail_next = Some(arg);
                Ok(0)
            }
            "stall" => {
                me.state.lock().stalled = arg != 0;
                Ok(0)
            }
            _ => Err(EINVAL),
        }
    }
}
