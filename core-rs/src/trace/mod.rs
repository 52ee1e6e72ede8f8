//! Trace records: one fixed-size record per event, named after the kernel's io_uring
//! tracepoints.
//!
//! Mirrors: `include/trace/events/io_uring.h` (event names and the `TP_printk` wording of
//! [`TraceRecord::display`]). Simulator-only events start with `sim_`, and reports of what would
//! be undefined behaviour in the kernel start with `sanitizer_`.
//!
//! The record layout is part of the wasm ABI (`web/src/wasm/abi.generated.ts`).

use core::fmt;

pub mod srcfiles;

/// The context (lane) an event ran in.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// The application in user mode.
    User = 0,
    /// The submitting task inside `io_uring_enter` (the io_uring core).
    Core = 1,
    /// A driver's `f_op->uring_cmd()` handler.
    Driver = 2,
    /// An io-wq worker.
    IoWq = 3,
    /// The device or a kernel workqueue finishing queued work.
    Device = 4,
    /// task_work running in the submitting task.
    TaskWork = 5,
}

impl Ctx {
    /// Returns the lane name the UI and text traces use.
    pub fn name(self) -> &'static str {
        match self {
            Ctx::User => "user",
            Ctx::Core => "io_uring",
            Ctx::Driver => "driver",
            Ctx::IoWq => "io-wq",
            Ctx::Device => "device",
            Ctx::TaskWork => "task_work",
        }
    }
}

macro_rules! events {
    ($($(#[$m:meta])* $name:ident = $id:expr,)*) => {
        /// Trace event identifiers. The numeric values are part of the ABI.
        #[repr(u16)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(non_camel_case_types)]
        pub enum Event { $($(#[$m])* $name = $id,)* }

        impl Event {
            /// Every event, in id order.
            pub const ALL: &'static [Event] = &[$(Event::$name,)*];

            /// Returns the event's name (a tracepoint name, `sim_*` or `sanitizer_*`).
            pub fn name(self) -> &'static str {
                match self { $(Event::$name => stringify!($name),)* }
            }

            /// Returns whether this is a sanitizer report (ids 200 and up).
            pub fn is_sanitizer(self) -> bool {
                self as u16 >= 200
            }

            /// Returns the event with this id.
            pub fn from_id(id: u16) -> Option<Event> {
                match id { $($id => Some(Event::$name),)* _ => None }
            }
        }
    };
}

events! {
    /// `io_uring_create`: a ring was set up. a = sq_entries, b = cq_entries | flags << 32.
    io_uring_create = 1,
    /// `io_uring_submit_req`: an SQE was consumed and the request initialised. a = opcode,
    /// b = sqe flags | sq index << 32.
    io_uring_submit_req = 2,
    /// `io_uring_complete`: a CQE was written to the CQ ring. a = res, b = cflags | slot << 32.
    io_uring_complete = 3,
    /// `io_uring_queue_async_work`: a request was punted to io-wq. a = opcode.
    io_uring_queue_async_work = 4,
    /// `io_uring_req_failed`: a request failed at init or prep. a = error.
    io_uring_req_failed = 5,
    /// `io_uring_task_add`: task_work was queued for the submitting task. a = 1 if lazy.
    io_uring_task_add = 6,
    /// `io_uring_cqring_wait`: the task waits for CQEs. a = min_events.
    io_uring_cqring_wait = 7,
    /// `io_uring_fail_link`: a linked request was cancelled because its predecessor failed.
    io_uring_fail_link = 8,
    /// `io_uring_link`: a request was linked behind another. a = head request.
    io_uring_link = 9,
    /// `io_uring_defer`: a drained request was deferred.
    io_uring_defer = 10,
    /// `io_uring_cqe_overflow`: a CQE went to the overflow list. a = res, b = cflags.
    io_uring_cqe_overflow = 11,
    /// `io_uring_local_work_run`: DEFER_TASKRUN local work ran. a = items.
    io_uring_local_work_run = 12,
    /// `io_uring_file_get`: the request's file was resolved. a = fd.
    io_uring_file_get = 13,
    /// `io_uring_poll_arm`: a request that got `-EAGAIN` waits on its file's wait queue
    /// (async poll). a = mask asked for, b = events armed.
    io_uring_poll_arm = 14,

    /// The task entered `io_uring_enter`. a = to_submit, b = min_complete | flags << 32.
    sim_sys_enter = 100,
    /// A syscall returned to userspace. a = return value.
    sim_sys_exit = 101,
    /// The kernel stored the SQ head (`io_commit_sqring`). a = new head.
    sim_sq_head_commit = 102,
    /// The kernel stored the CQ tail (`io_commit_cqring`). a = new tail.
    sim_cq_tail_commit = 103,
    /// An SQ index array entry was out of range; the SQE was dropped. a = index, b = sq_dropped.
    sim_sqe_dropped = 104,
    /// The core called the driver's `->uring_cmd()`. a = issue_flags, b = cmd_op.
    sim_uring_cmd_issue = 105,
    /// The driver's `->uring_cmd()` returned. a = return value.
    sim_uring_cmd_ret = 106,
    /// The driver called `io_uring_cmd_done`. a = ret, b = issue_flags.
    sim_uring_cmd_done = 107,
    /// A task_work item ran. a = 1 for DEFER_TASKRUN local work.
    sim_task_work_run = 108,
    /// A workqueue item ran.
    sim_work_run = 109,
    /// The task went to sleep waiting for CQEs. a = min_events.
    sim_wait_sleep = 110,
    /// A waiting task woke up.
    sim_wait_wake = 111,
    /// The overflow list was flushed into the CQ ring. a = CQEs moved, b = 1 if the CQ ring
    /// was full so nothing could move.
    sim_overflow_flush = 112,
    /// The driver wrote PDU bytes. a = offset, b = length.
    sim_pdu_write = 113,
    /// The driver read PDU bytes. a = offset, b = length.
    sim_pdu_read = 114,
    /// A request's SQE was copied into async data (`io_uring_cmd_sqe_copy`).
    sim_sqe_copy = 115,
    /// An io-wq worker picked up a request.
    sim_iowq_run = 116,
    /// A driver printed a message (`dev_info!`). a = message id.
    sim_driver_log = 117,
    /// The clock advanced to a timer. a = new time in ns.
    sim_timer_fire = 118,
    /// The waiting task has nothing that could ever wake it (b = 0), or would spin forever on
    /// an overflowed CQE that cannot move (b = 1); the simulator interrupts the wait.
    sim_wait_deadlock = 119,
    /// Userspace published SQEs by storing the SQ tail. a = new tail.
    sim_user_sq_tail = 120,
    /// Userspace stored the CQ head after reaping. a = new head.
    sim_user_cq_head = 121,
    /// A request was freed and returned to the request cache.
    sim_req_free = 122,
    /// The core called the driver's cancel path (`IO_URING_F_CANCEL`).
    sim_uring_cmd_cancel = 123,
    /// The PDU was zeroed (RFC patch 2 in prep, or the v5 wrapper). a = 1 prep, 2 wrapper.
    sim_pdu_zero = 124,
    /// The ring was torn down. a = requests cancelled.
    sim_ring_exit = 125,
    /// The core called an opcode's issue handler (`io_issue_sqe`). a = issue_flags, b = opcode.
    sim_issue = 126,

    /// A command was completed a second time, or after it had ended. a = the extra result,
    /// b = the request's state (`ReqState`), or -1 when `->uring_cmd()` returned a result after
    /// the driver had already called `done()`.
    sanitizer_double_done = 200,
    /// `done()` got issue_flags the core never handed out for this call context. a = the flags
    /// passed, b = the flags the context was given (`IO_URING_F_UNLOCKED` where none were).
    sanitizer_done_bad_flags = 201,
    /// `done()` ran without `uring_lock` and without `IO_URING_F_UNLOCKED`. a = the flags passed.
    sanitizer_done_unlocked = 202,
    /// PDU bytes were read that were never written during this request's life. a = the first
    /// such offset, b = its provenance (`Prov`: 0 fresh, 4 stale).
    sanitizer_pdu_uninit_read = 203,
    /// The SQE was read after the issue call returned (it may be reused by userspace). a = the
    /// SQ slot.
    sanitizer_sqe_after_issue = 204,
    /// A PDU type larger than the 32-byte PDU was used. a = its size, b = 32.
    sanitizer_pdu_too_big = 205,

    // uring_cmd and misc-device events (simulator-only, so below the sanitizer range 200+).
    /// The file has no `f_op->uring_cmd`; the core fails the request with `-EOPNOTSUPP`.
    /// a = fd.
    sim_uring_cmd_no_hook = 150,
    /// The driver read SQE bytes through the abstraction. a = offset, b = length | 1 << 32 if
    /// the read was volatile (`READ_ONCE`-like).
    sim_sqe_read = 151,
    /// A misc device was registered. a = minor.
    sim_dev_register = 152,
    /// A misc device was opened. a = fd.
    sim_dev_open = 153,
    /// A misc device file was released (its last reference went away).
    sim_dev_release = 154,
    /// Userspace poked a device (`rs_dev_ctl`). a = arg, b = fd.
    sim_dev_ctl = 155,
    /// The driver asked for a task_work callback (`__io_uring_cmd_do_in_task`). a = 1 if lazy.
    sim_uring_cmd_do_in_task = 156,
    /// Work was queued on the system workqueue. a = delay in ns, b = 1 for delayed work.
    sim_work_queue = 157,
    /// The command was marked cancelable (`io_uring_cmd_mark_cancelable`).
    sim_uring_cmd_cancelable = 158,
    /// The driver copied bytes from user memory. a = address, b = length.
    sim_copy_from_user = 159,
    /// The driver copied bytes to user memory. a = address, b = length.
    sim_copy_to_user = 160,

    // Ring-core events (simulator-only, below the sanitizer range 200+).
    /// `io_uring_task_work_run`: the task ran a batch of task_work. a = items run.
    io_uring_task_work_run = 170,
    /// A `CQE_MIXED` ring posted a filler CQE (`IORING_CQE_F_SKIP`) in its last slot so a
    /// 32-byte CQE does not straddle the wrap (`io_fill_nop_cqe`). b = flags | slot << 32.
    sim_cqe_skip_filler = 171,
    /// `io_uring_register` ran. a = opcode, b = return value.
    sim_register = 172,
    /// The program made another system call (read, write, socket, ...). a = x86-64 syscall
    /// number, b = return value.
    sim_sys_call = 173,
    /// `io_submit_state_end`: the batch's deferred completions are flushed. a = requests.
    sim_submit_flush = 174,
    /// A CQE was written from the cached free CQ range (`ctx->cqe_cached`) where the kernel's
    /// own ordering or accounting breaks (Linux 6.18, `CQE_MIXED` rings). a = 1: a filler was
    /// posted but the refill then failed, so the cache is a slot behind the tail and the next
    /// CQE overwrites the filler; a = 2: a CQE was posted from the cache while older CQEs wait
    /// on the overflow list. b = slot.
    sim_cqe_cache_quirk = 175,

    // Opcodes beyond NOP and URING_CMD (simulator-only, below the sanitizer range 200+).
    /// The simulator has no model for this request: it fails with -4096, which is never a
    /// kernel errno. a = opcode, b = what: 0 the opcode, 1 a field value, 2 the file kind.
    sim_not_modelled = 180,
    /// A READ or WRITE moved data (`kiocb_done`). a = bytes, b = 1 for a write | position << 1
    /// (-1: a stream, no position).
    sim_rw_done = 181,
    /// A file woke a request waiting on it through async poll (`io_poll_wake`). a = events.
    sim_poll_wake = 182,
    /// An armed async poll was cancelled (`io_poll_cancel_req`).
    sim_poll_cancel = 183,
    /// A TIMEOUT or LINK_TIMEOUT armed its timer. a = nanoseconds from now, b = completion
    /// count | 1 << 32 for a LINK_TIMEOUT.
    sim_timeout_arm = 184,
    /// A timeout ended. a = result (-ETIME, 0 by count, -ECANCELED), b = 0 timer, 1 count,
    /// 2 removed or cancelled.
    sim_timeout_fire = 185,
    /// ASYNC_CANCEL or TIMEOUT_REMOVE looked for a request. a = result, b = the user_data
    /// looked for.
    sim_cancel = 186,
}

/// One trace record. 48 bytes, little-endian, part of the wasm ABI.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceRecord {
    /// The simulator step that produced the record.
    pub step: u32,
    /// An [`Event`] id.
    pub event: u16,
    /// A [`Ctx`] value.
    pub ctx: u8,
    /// Ring id (0 when not tied to a ring).
    pub ring: u8,
    /// Request serial number (unique for the life of the simulator; 0 for none).
    pub req: u32,
    /// Source location: `file id << 16 | line` of the driver or abstraction code (0 if none).
    pub src: u32,
    /// Simulated time in nanoseconds.
    pub time_ns: u64,
    pub user_data: u64,
    pub a: i64,
    pub b: i64,
}

const _: () = assert!(core::mem::size_of::<TraceRecord>() == 48);

impl TraceRecord {
    /// Returns the record's event, if its id is known.
    pub fn event(&self) -> Option<Event> {
        Event::from_id(self.event)
    }

    /// Formats the record in the `TP_printk` style of the matching tracepoint.
    pub fn display(&self) -> Display<'_> {
        Display(self)
    }
}

/// `TP_printk`-style rendering of a [`TraceRecord`].
pub struct Display<'a>(&'a TraceRecord);

impl fmt::Display for Display<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        let ev = r.event().map(Event::name).unwrap_or("unknown");
        let ctx = match r.ctx {
            0 => "user",
            1 => "io_uring",
            2 => "driver",
            3 => "io-wq",
            4 => "device",
            _ => "task_work",
        };
        write!(f, "{:>5} {:>9} {:<9} {}: ", r.step, r.time_ns, ctx, ev)?;
        match r.event() {
            Some(Event::io_uring_complete) => write!(
                f,
                "req {}, user_data 0x{:x}, result {}, cflags 0x{:x}",
                r.req, r.user_data, r.a as i32, r.b as u32
            ),
            Some(Event::io_uring_submit_req) => write!(
                f,
                "req {}, user_data 0x{:x}, opcode {}, flags 0x{:x}",
                r.req,
                r.user_data,
                crate::uapi::io_uring::opcode_name(r.a as u8),
                r.b as u32
            ),
            _ => write!(
                f,
                "req {}, user_data 0x{:x}, a {}, b {}",
                r.req, r.user_data, r.a, r.b
            ),
        }
    }
}

/// An append-only buffer of trace records with a bound on how many it keeps.
///
/// When the bound is reached the oldest half is discarded (and counted), so memory stays
/// bounded in long runs; the UI keeps its own frames.
pub struct Trace {
    records: Vec<TraceRecord>,
    cap: usize,
    enabled: bool,
    dropped: u64,
}

impl Trace {
    /// Creates an empty trace that keeps at most `cap` records.
    pub fn new(cap: usize) -> Trace {
        Trace {
            records: Vec::new(),
            cap: cap.max(16),
            enabled: true,
            dropped: 0,
        }
    }

    /// Appends a record.
    pub fn push(&mut self, r: TraceRecord) {
        if !self.enabled {
            return;
        }
        if self.records.len() >= self.cap {
            let half = self.records.len() / 2;
            self.records.drain(..half);
            self.dropped += half as u64;
        }
        self.records.push(r);
    }

    /// Returns the records kept.
    pub fn records(&self) -> &[TraceRecord] {
        &self.records
    }

    /// Removes every record (the dropped count is kept).
    pub fn clear(&mut self) {
        self.records.clear();
    }

    /// Turns recording on or off.
    pub fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
    }

    /// Returns how many records were discarded to respect the bound.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}
