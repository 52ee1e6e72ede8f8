//! The simulator: the one world the simulated kernel lives in, its clock and its scheduler.
//!
//! No upstream counterpart. The kernel is a concurrent system; this is a deterministic,
//! single-threaded stand-in in which every unit of kernel work is one *step*:
//! consuming one SQE, issuing one request, posting one CQE, publishing a ring index, running one
//! task_work item, one io-wq item, one workqueue item or one device timer. Nothing reads a real
//! clock or randomness, so a run is a pure function of its inputs and can be replayed.
//!
//! # Re-entrancy
//!
//! Drivers call back into the simulated C kernel (`io_uring_cmd_done`, `queue_work`, ...), as in
//! Linux. The simulator therefore lives in a per-thread cell reached with [`with`]; the core
//! never holds that borrow while it calls a driver, and a driver's call back into the kernel
//! takes the borrow again. A violation panics (a bug in the simulator, never in a scenario).

use core::cell::RefCell;
use core::ffi::c_void;
use std::collections::VecDeque;

use crate::io_uring::enter::EnterCall;
use crate::io_uring::types::{IoKiocb, IoRingCtx, Req, TwItem};
use crate::linux::fs::FdTable;
use crate::linux::uaccess::UserMem;
use crate::trace::{Ctx, Event, Trace, TraceRecord};

/// A deferred function call: `struct work_struct` / `struct callback_head`.
#[derive(Clone, Copy, Debug)]
pub struct WorkItem {
    /// The function to run.
    pub func: unsafe fn(*mut c_void),
    /// Its argument.
    pub data: *mut c_void,
    /// The request this work concerns, for traces (0 if none).
    pub req: u32,
}

/// A timer that runs a [`WorkItem`] in device context at `deadline_ns`.
#[derive(Clone, Copy, Debug)]
pub struct Timer {
    /// When it fires, in simulated nanoseconds.
    pub deadline_ns: u64,
    /// Arming order (ties fire in it).
    pub seq: u64,
    /// What runs.
    pub item: WorkItem,
}

/// Simulator-wide switches a scenario chooses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Apply RFC v3 patch 2/5: `memset` the PDU in `io_uring_cmd_prep`.
    pub patch2_zero_pdu: bool,
    /// The kernel whose uring_cmd interface the run follows.
    pub kernel: KernelProfile,
}

impl Config {
    /// Decodes the configuration word of the wasm ABI's `rs_init`: bit 0 applies RFC patch 2
    /// (zero the PDU in prep), bit 1 follows the 6.19 uring_cmd interface instead of 6.18.
    /// Other bits are ignored.
    pub fn from_bits(cfg: u32) -> Config {
        Config {
            patch2_zero_pdu: cfg & 1 != 0,
            kernel: if cfg & 2 != 0 {
                KernelProfile::Linux619
            } else {
                KernelProfile::Linux618
            },
        }
    }
}

/// Which kernel's uring_cmd interface the simulator follows (the scenario chooses).
///
/// Everything else (ring protocol, error codes) is the same in both and pinned by the 6.18
/// recordings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KernelProfile {
    /// Linux 6.18.x, as running where the recordings were made (`include/linux/io_uring/cmd.h`
    /// of 6.18): `struct io_uring_cmd` is `file`@0, `sqe`@8, `task_work_cb`@16, `cmd_op`@24,
    /// `flags`@28, `pdu[32]`@32; task_work callbacks are `io_uring_cmd_tw_t` and get
    /// `IO_URING_F_COMPLETE_DEFER`, plus `IO_URING_F_TASK_DEAD` when `io_should_terminate_tw`
    /// (`io_uring/uring_cmd.c:io_uring_cmd_work`); `io_uring_cmd_done(cmd, ret, flags)` has
    /// no `res2` and `io_uring_cmd_done32` has.
    #[default]
    Linux618,
    /// The 6.19 interface the Rust v5 series is written against: `task_work_cb` is gone
    /// (`cmd_op`@16, `flags`@20, `pdu`@24), callbacks get `(struct io_tw_req, io_tw_token_t)`
    /// and check `tw.cancel` (Caleb Sander Mateos, "io_uring/uring_cmd: avoid double indirect
    /// call in task work dispatch").
    Linux619,
}

impl KernelProfile {
    /// Offset of `pdu` in `struct io_uring_cmd` (which starts the cacheline-aligned
    /// `struct io_kiocb`, so this is also the PDU's address modulo 64).
    pub fn pdu_offset(self) -> usize {
        match self {
            KernelProfile::Linux618 => 32,
            KernelProfile::Linux619 => 24,
        }
    }

    /// The largest alignment the PDU's address is guaranteed to have.
    pub fn pdu_align(self) -> usize {
        let off = self.pdu_offset();
        off & off.wrapping_neg()
    }
}

/// The submitting task (one process, one thread, as in the recorded scenarios).
#[derive(Default)]
pub struct Task {
    /// The `io_uring_enter` in progress, if the task is in the kernel.
    pub sys: Option<EnterCall>,
    /// Normal task_work queued for the task (`tctx->task_list`).
    pub tw: VecDeque<TwItem>,
    /// The result of the last finished syscall, for the caller that started it.
    pub last_ret: Option<i32>,
    /// task_work items left in the batch the task runs in user mode.
    pub tw_batch: u32,
    /// task_work items the current user-mode batch has run (`io_uring_task_work_run`'s count).
    pub tw_ran: u32,
    /// The task is returning from a system call: it runs its task_work whatever the ring's
    /// notification method (`exit_to_user_mode` handles `TIF_NOTIFY_SIGNAL`).
    pub tw_on_return: bool,
    /// The task sleeps interruptibly in user-requested time (`nanosleep`): task_work added
    /// with `TWA_SIGNAL_NO_IPI` wakes it (`__set_notify_signal` → `wake_up_state(task,
    /// TASK_INTERRUPTIBLE)`), it runs the work on the way out and the sleep restarts.
    pub sleeping: bool,
    /// When COOP_TASKRUN task_work queued while the task runs in user mode is run: the next
    /// timer tick ([`crate::sim::sched::TICK_NS`]), whose return to user mode handles
    /// `TIF_NOTIFY_SIGNAL`. `None` while no such work waits.
    pub tw_tick_due: Option<u64>,
    /// When a `nanosleep` begun with [`crate::sim::sched::sleep_begin`] ends (the page's
    /// `sleep` op, stepped one unit at a time).
    pub sleep_end: Option<u64>,
}

/// The simulated machine.
pub struct Sim {
    /// Steps run so far.
    pub step: u64,
    /// Simulated time in nanoseconds.
    pub clock_ns: u64,
    /// Next request serial number.
    pub serial: u32,
    /// The trace records.
    pub trace: Trace,
    /// The descriptor table and the file slab.
    pub fds: FdTable,
    /// Rings by id − 1.
    pub rings: Vec<Option<Box<IoRingCtx>>>,
    /// The submitting task.
    pub task: Task,
    /// io-wq's queue: (request, its serial when queued).
    pub iowq: VecDeque<(Req, u32)>,
    /// The kernel workqueue (`system_wq`).
    pub work: VecDeque<WorkItem>,
    /// Armed timers.
    pub timers: Vec<Timer>,
    /// Next timer sequence number.
    pub timer_seq: u64,
    /// User memory.
    pub user: UserMem,
    /// Pipes, sockets, inodes and the other objects behind open files.
    pub vfs: crate::linux::Vfs,
    /// Scenario switches.
    pub cfg: Config,
    /// The context and source location code is running in, stamped on records.
    pub cur_ctx: Ctx,
    /// Source location (`file id << 16 | line`) stamped on records.
    pub cur_src: u32,
    /// How many sanitizer reports were raised.
    pub sanitizer_reports: u32,
    /// task_work ran in user mode; its completions still need a flush.
    pub task_tw_flush: bool,
    /// Scratch buffer `rs_req_info` returns.
    pub req_info: crate::io_uring::types::ReqInfo,
    /// Registered misc devices and loaded driver modules.
    pub misc: crate::linux::miscdevice::MiscState,
    /// The kernel log (`printk`).
    pub log: crate::linux::printk::LogBuf,
    /// uring_cmd bookkeeping: the issue context running now.
    pub ucmd: crate::io_uring::uring_cmd::UringCmdCtx,
    /// The SQPOLL thread running now (its ring): its task is swapped into `task` meanwhile.
    pub sqt_running: Option<u32>,
}

/// Bound on kept trace records (12 MiB). Hosts drain the trace after every call; a host that
/// does not loses the oldest half whenever the bound is reached (see [`Trace::push`]).
pub const TRACE_CAP: usize = 1 << 18;
/// Default size of user memory.
pub const USER_MEM_BYTES: usize = 256 * 1024;

impl Sim {
    /// Creates an empty machine.
    pub fn new(cfg: Config) -> Sim {
        Sim {
            step: 0,
            clock_ns: 0,
            serial: 0,
            trace: Trace::new(TRACE_CAP),
            fds: FdTable::default(),
            rings: Vec::new(),
            task: Task::default(),
            iowq: VecDeque::new(),
            work: VecDeque::new(),
            timers: Vec::new(),
            timer_seq: 0,
            user: UserMem::new(USER_MEM_BYTES),
            vfs: crate::linux::Vfs::default(),
            cfg,
            cur_ctx: Ctx::User,
            cur_src: 0,
            sanitizer_reports: 0,
            task_tw_flush: false,
            req_info: crate::io_uring::types::ReqInfo {
                serial: 0,
                index: 0,
                state: 0,
                opcode: 0,
                sqe_flags: 0,
                in_issue: 0,
                flags: 0,
                user_data: 0,
                fd: 0,
                cmd_op: 0,
                cmd_flags: 0,
                res: 0,
                cflags: 0,
                issues: 0,
                big_cqe: [0; 2],
                pdu: [0; 32],
                pdu_prov: [0; 32],
                pdu_src: [0; 32],
            },
            misc: Default::default(),
            log: Default::default(),
            ucmd: Default::default(),
            sqt_running: None,
        }
    }

    /// Appends a trace record stamped with the current step, time, context and source.
    pub fn emit(&mut self, ev: Event, ring: u32, req: u32, user_data: u64, a: i64, b: i64) {
        if ev.is_sanitizer() {
            self.sanitizer_reports += 1;
        }
        // The schema's context claim is checked by every debug run (all of `cargo test`).
        debug_assert!(
            ev.schema().ctx.map_or(true, |c| c == self.cur_ctx),
            "{} recorded in context {:?}, but its schema says {:?}",
            ev.name(),
            self.cur_ctx,
            ev.schema().ctx
        );
        let r = TraceRecord {
            step: self.step as u32,
            event: ev as u16,
            ctx: self.cur_ctx as u8,
            ring: ring as u8,
            req,
            src: self.cur_src,
            time_ns: self.clock_ns,
            user_data,
            a,
            b,
        };
        self.trace.push(r);
    }

    /// Returns a ring by id.
    pub fn ring(&self, id: u32) -> Option<&IoRingCtx> {
        self.rings
            .get(id.wrapping_sub(1) as usize)
            .and_then(|r| r.as_deref())
    }

    /// Resolves a request handle: the one lookup of a request. `None` if the ring or the slab
    /// slot does not exist.
    pub fn req(&self, h: Req) -> Option<&IoKiocb> {
        self.ring(h.ring)?.req(h.idx)
    }

    /// [`Sim::req`], mutably.
    pub fn req_mut(&mut self, h: Req) -> Option<&mut IoKiocb> {
        self.ring_mut(h.ring)?.req_mut(h.idx)
    }

    /// Returns a ring by id, mutably.
    pub fn ring_mut(&mut self, id: u32) -> Option<&mut IoRingCtx> {
        self.rings
            .get_mut(id.wrapping_sub(1) as usize)
            .and_then(|r| r.as_deref_mut())
    }

    /// Queues a work item on the system workqueue (`queue_work(system_wq, ...)`).
    pub fn queue_work(&mut self, item: WorkItem) {
        self.work.push_back(item);
    }

    /// Arms a timer `delay_ns` from now.
    pub fn add_timer(&mut self, delay_ns: u64, item: WorkItem) {
        self.timer_seq += 1;
        let t = Timer {
            deadline_ns: self.clock_ns + delay_ns,
            seq: self.timer_seq,
            item,
        };
        self.timers.push(t);
    }

    /// Returns whether anything could still happen without userspace doing something.
    pub fn has_background_work(&self) -> bool {
        !self.iowq.is_empty() || !self.work.is_empty() || !self.timers.is_empty()
    }
}

thread_local! {
    static SIM: RefCell<Option<Box<Sim>>> = const { RefCell::new(None) };
}

/// Installs `sim` as this thread's machine, replacing any previous one.
pub fn install(sim: Sim) {
    let old = SIM.with(|s| s.borrow_mut().replace(Box::new(sim)));
    drop(old);
}

/// Returns whether a machine is installed (false while the thread's machine is being
/// destroyed, so drop code of simulated objects can skip calls into it).
pub fn installed() -> bool {
    // Mutably borrowed means a call is running in it, so it is installed.
    SIM.try_with(|s| s.try_borrow().map_or(true, |b| b.is_some()))
        .unwrap_or(false)
}

/// Runs `f` with the machine borrowed mutably.
///
/// # Panics
///
/// Panics if no machine is installed or if called re-entrantly (a simulator bug).
pub fn with<R>(f: impl FnOnce(&mut Sim) -> R) -> R {
    SIM.with(|s| {
        let mut b = s.borrow_mut();
        let sim = b.as_mut().expect("no simulator installed");
        f(sim)
    })
}

pub mod sched;
pub use sched::{
    advance_clock, return_to_user, run_until_idle, sleep_begin, spin, step, step_until, StepKind,
    TICK_NS,
};
