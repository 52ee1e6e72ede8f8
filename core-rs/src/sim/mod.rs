//! The simulator: the machine the simulated kernel lives in — its state, per subsystem
//! ([`Sim`]: the simulator's own step, clock, trace and context, plus `linux` and `io_uring`),
//! and its clock.
//!
//! This module names no subsystem: the state's types are declared in `include/` (as the
//! kernel's structs are in its headers), and what runs the machine — the scheduler and the
//! system-call entry — is `crate::sched`, above the subsystems it dispatches to.
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
use std::collections::VecDeque;

use crate::include::io_uring_types::{IoKiocb, IoRingCtx, IoUringState, Req};
use crate::include::linux::{FdTable, LinuxState, UserMem, Vfs};
pub use crate::include::linux::{Task, Timer, WorkItem};
use crate::trace::{Ctx, Event, Trace, TraceRecord};

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

/// The simulated machine: the simulator's own state (steps, clock, trace, the context code runs
/// in) and each subsystem's share, as the kernel keeps it per subsystem.
pub struct Sim {
    /// Steps run so far.
    pub step: u64,
    /// Simulated time in nanoseconds.
    pub clock_ns: u64,
    /// The trace records.
    pub trace: Trace,
    /// Scenario switches.
    pub cfg: Config,
    /// The context and source location code is running in, stamped on records.
    pub cur_ctx: Ctx,
    /// Source location (`file id << 16 | line`) stamped on records.
    pub cur_src: u32,
    /// How many sanitizer reports were raised.
    pub sanitizer_reports: u32,
    /// Linux's state: the task, files, user memory, workqueue, timers, misc devices, log.
    pub linux: LinuxState,
    /// io_uring's state: rings, io-wq, request serials.
    pub io_uring: IoUringState,
}

/// Simulated duration of one unit of work.
pub const STEP_NS: u64 = 100;

/// One scheduler tick: `CONFIG_HZ=250` on the kernel the recordings were made on (6.18.44).
/// A task running in user mode enters the kernel at least this often (the timer interrupt)
/// and handles `TIF_NOTIFY_SIGNAL` on the way back (`exit_to_user_mode_loop` →
/// `arch_do_signal_or_restart` → `get_signal` → `task_work_run`).
pub const TICK_NS: u64 = 4_000_000;

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
            trace: Trace::new(TRACE_CAP),
            cfg,
            cur_ctx: Ctx::User,
            cur_src: 0,
            sanitizer_reports: 0,
            linux: LinuxState {
                task: Task::default(),
                fds: FdTable::default(),
                vfs: Vfs::default(),
                user: UserMem::new(USER_MEM_BYTES),
                work: VecDeque::new(),
                timers: Vec::new(),
                timer_seq: 0,
                misc: Default::default(),
                log: Default::default(),
                sq_threads: Vec::new(),
                sqt_running: None,
            },
            io_uring: IoUringState::default(),
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
        self.io_uring
            .rings
            .get(id.wrapping_sub(1) as usize)
            .and_then(|r| r.as_deref())
    }

    /// The ring and request serial the code running now works for, for trace records written
    /// on its behalf (a driver's `printk`, a work item it queues): the uring_cmd issue context
    /// io_uring set up around the driver call, or `(0, 0)` outside one.
    pub fn cur_req(&self) -> (u32, u32) {
        self.io_uring
            .ucmd
            .cur_issue
            .map_or((0, 0), |c| (c.ring, c.serial))
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
        self.io_uring
            .rings
            .get_mut(id.wrapping_sub(1) as usize)
            .and_then(|r| r.as_deref_mut())
    }

    /// Queues a work item on the system workqueue (`queue_work(system_wq, ...)`).
    pub fn queue_work(&mut self, item: WorkItem) {
        self.linux.work.push_back(item);
    }

    /// Arms a timer `delay_ns` from now.
    pub fn add_timer(&mut self, delay_ns: u64, item: WorkItem) {
        self.linux.timer_seq += 1;
        let t = Timer {
            deadline_ns: self.clock_ns + delay_ns,
            seq: self.linux.timer_seq,
            item,
        };
        self.linux.timers.push(t);
    }

    /// Returns whether anything could still happen without userspace doing something.
    pub fn has_background_work(&self) -> bool {
        !self.io_uring.iowq.is_empty()
            || !self.linux.work.is_empty()
            || !self.linux.timers.is_empty()
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
