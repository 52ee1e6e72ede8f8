//! An NVMe-passthrough-like device: big SQEs in, big CQEs out.
//!
//! Mirrors: `drivers/nvme/host/ioctl.c` (`nvme_ns_chr_uring_cmd`, `nvme_uring_cmd_checks`,
//! `nvme_uring_cmd_io`, `nvme_uring_cmd_end_io`, `nvme_uring_task_cb`) and the uapi
//! `struct nvme_uring_cmd` (`include/uapi/linux/nvme_ioctl.h`), written against the v5
//! abstraction (docs/kernel-notes.md §4.1).
//!
//! - Needs both `IO_URING_F_SQE128` and `IO_URING_F_CQE32` (the 72-byte command lives in the
//!   80-byte command area of a 128-byte SQE, and the 64-bit result in `big_cqe[0]`), else
//!   `-EOPNOTSUPP`.
//! - `NVME_URING_CMD_IO` = `_IOWR('N', 0x80, struct nvme_uring_cmd)`; any other `cmd_op` is
//!   `-ENOTTY`. Non-zero `flags` or a namespace other than 1 is `-EINVAL`.
//! - The command is queued; the controller "completes" it 20 µs later (a delayed work item
//!   standing in for the interrupt), which stores status and result in the PDU and schedules
//!   task_work (`io_uring_cmd_do_in_task_lazy` upstream, v5's lazy `complete_in_task` here);
//!   the callback calls `done(Ok(status), result, TASK_WORK_ISSUE_FLAGS)`: `res` is the NVMe
//!   status, a *positive* number (0 = success, 1 = invalid opcode), not an errno.
//! - Read (0x02) and write (0x01) succeed with `result = nsid << 32 | cdw10` (a made-up DW0/1
//!   value so the big CQE shows something recognisable); other opcodes get status 1.
//!
//! Reading the 80-byte command area uses `IoUringSqe::cmd_data128`, a simulator extension: v5
//! only reads the 16-byte area and documents SQE128 as unsupported.

use crate::kernel::{
    device::Device,
    fs::File,
    io_uring::{self, cmd_flags, IoUringCmd, IoUringTaskWork, QueuedIoUringCmd, UringCmdAction},
    ioctl::_IOWR,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    sync::{Arc, Mutex},
    transmute::{AsBytes, FromBytes},
    workqueue::{self, WorkItem},
};

/// `struct nvme_uring_cmd` (72 bytes).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct NvmeUringCmd {
    pub opcode: u8,
    pub flags: u8,
    pub rsvd1: u16,
    pub nsid: u32,
    pub cdw2: u32,
    pub cdw3: u32,
    pub metadata: u64,
    pub addr: u64,
    pub metadata_len: u32,
    pub data_len: u32,
    pub cdw10: u32,
    pub cdw11: u32,
    pub cdw12: u32,
    pub cdw13: u32,
    pub cdw14: u32,
    pub cdw15: u32,
    pub timeout_ms: u32,
    pub rsvd2: u32,
}

const _: () = assert!(core::mem::size_of::<NvmeUringCmd>() == 72);

// SAFETY: integers only, laid out without padding (checked size), any bits valid.
unsafe impl FromBytes for NvmeUringCmd {}
// SAFETY: as above.
unsafe impl AsBytes for NvmeUringCmd {}

/// `NVME_URING_CMD_IO`.
pub const NVME_URING_CMD_IO: u32 = _IOWR::<NvmeUringCmd>('N' as u32, 0x80);
/// `NVME_URING_CMD_IO_VEC` (not supported by this model: `-EINVAL`).
pub const NVME_URING_CMD_IO_VEC: u32 = _IOWR::<NvmeUringCmd>('N' as u32, 0x81);

const NVME_CMD_WRITE: u8 = 0x01;
const NVME_CMD_READ: u8 = 0x02;
const NVME_SC_SUCCESS: i32 = 0x0;
const NVME_SC_INVALID_OPCODE: i32 = 0x1;
/// Simulated controller latency.
const LATENCY_NS: u64 = 20_000;

/// Loads the "module": registers `/dev/<name>` with this driver.
pub fn init(name: &str) -> Result<Box<dyn core::any::Any>> {
    let reg = MiscDeviceRegistration::<RustNvmePassthru>::register(MiscDeviceOptions { name })?;
    Ok(Box::new(reg))
}

/// The PDU (`struct nvme_uring_cmd_pdu`, reduced): what the interrupt hands to task_work.
///
/// Like the real one it starts with a kernel pointer: upstream the block `struct request *`
/// (or `struct bio *`) of the command, here a made-up but realistic direct-map address
/// ([`FAKE_REQUEST_PTR`]). The request object is recycled with these bytes still in it, so
/// the next command that lands in it can read the pointer (scenario `stale-pdu-kernel-pointer`).
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct NvmePdu {
    req: u64,
    result: u64,
    status: i32,
    opcode: u32,
    cdw10: u32,
    nsid: u32,
}

/// The `struct request *` this model stores in the PDU (an x86-64 direct-map address).
pub const FAKE_REQUEST_PTR: u64 = 0xffff_8881_0a4c_3d00;

// SAFETY: integers only, no padding (8 + 8 + 4 * 4 bytes), any bits valid.
unsafe impl FromBytes for NvmePdu {}
// SAFETY: as above.
unsafe impl AsBytes for NvmePdu {}

/// The per-open device state.
pub struct RustNvmePassthru {
    dev: Device,
}

/// The controller's completion interrupt for one command (`nvme_uring_cmd_end_io`).
struct NvmeIrq {
    cmd: Mutex<Option<QueuedIoUringCmd>>,
}

impl WorkItem for NvmeIrq {
    fn run(irq: Arc<NvmeIrq>) {
        let cmd = irq.cmd.lock().take();
        if let Some(mut cmd) = cmd {
            let mut pdu: NvmePdu = match cmd.read_pdu() {
                Ok(p) => p,
                Err(_) => return,
            };
            match pdu.opcode as u8 {
                NVME_CMD_READ | NVME_CMD_WRITE => {
                    pdu.status = NVME_SC_SUCCESS;
                    pdu.result = u64::from(pdu.nsid) << 32 | u64::from(pdu.cdw10);
                }
                _ => {
                    pdu.status = NVME_SC_INVALID_OPCODE;
                    pdu.result = 0;
                }
            }
            if cmd.write_pdu(&pdu).is_ok() {
                cmd.complete_in_task::<NvmeTaskCb>();
            }
        }
    }
}

/// `nvme_uring_task_cb`.
struct NvmeTaskCb;

impl IoUringTaskWork for NvmeTaskCb {
    fn task_work(cmd: QueuedIoUringCmd) {
        let (status, result) = match cmd.read_pdu::<NvmePdu>() {
            Ok(p) => (p.status, p.result),
            Err(e) => (e.to_errno(), 0),
        };
        cmd.done(Ok(status), result, io_uring::TASK_WORK_ISSUE_FLAGS);
    }
}

impl MiscDevice for RustNvmePassthru {
    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>> {
        Ok(Box::new(RustNvmePassthru { dev: misc.device() }))
    }

    const HAS_URING_CMD: bool = true;

    fn uring_cmd(
        me: &RustNvmePassthru,
        mut ioucmd: IoUringCmd,
        issue_flags: u32,
    ) -> Result<UringCmdAction> {
        // nvme_uring_cmd_checks.
        const BIG: u32 = cmd_flags::IO_URING_F_SQE128 | cmd_flags::IO_URING_F_CQE32;
        if issue_flags & BIG != BIG {
            dev_err!(me.dev, "needs IORING_SETUP_SQE128 and IORING_SETUP_CQE32\n");
            return Err(EOPNOTSUPP);
        }
        match ioucmd.cmd_op() {
            NVME_URING_CMD_IO => {}
            NVME_URING_CMD_IO_VEC => return Err(EINVAL),
            _ => return Err(ENOTTY),
        }
        let c: NvmeUringCmd = ioucmd.sqe().cmd_data128(issue_flags)?;
        if c.flags != 0 || c.nsid != 1 {
            return Err(EINVAL);
        }
        ioucmd.write_pdu(&NvmePdu {
            req: FAKE_REQUEST_PTR,
            opcode: u32::from(c.opcode),
            cdw10: c.cdw10,
            nsid: c.nsid,
            ..NvmePdu::default()
        })?;
        dev_info!(
            me.dev,
            "opcode {:#x} submitted to the controller\n",
            c.opcode
        );
        let (action, queued) = ioucmd.queue();
        let irq = Arc::new(NvmeIrq {
            cmd: Mutex::new(Some(queued)),
        });
        let _ = workqueue::system().enqueue_delayed(irq, LATENCY_NS);
        Ok(action)
    }
}
