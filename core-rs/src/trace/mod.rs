//! Trace records: one fixed-size record per event, named after the kernel's io_uring
//! tracepoints, and the schema that says what each record's fields mean.
//!
//! Mirrors: `include/trace/events/io_uring.h` (event names, and the `TP_printk` wording the text
//! trace of [`render`] follows). Simulator-only events start with `sim_`, and reports of what
//! would be undefined behaviour in the kernel start with `sanitizer_`.
//!
//! Every event is declared once, below, with its named fields, where each field lives in the
//! record (`a`, `b`, or a half of one), what kind of value it is, the kernel function the event
//! models and its line in the text trace. Everything else is derived from that declaration:
//! [`render`] prints records (the golden traces), and `tests/schema.rs` generates the
//! TypeScript decoder, the discriminated union of decoded events and the name tables
//! (`web/src/wasm/events.generated.ts`). The record layout is part of the wasm ABI.

pub mod render;
pub mod schema;
pub mod srcfiles;

pub use crate::include::io_uring_types::{Prov, ReqState};
use schema::{EventSchema, Field, Kind::*, Word::*};

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
    /// The SQPOLL thread (`iou-sqp-PID`, `io_uring/sqpoll.c:io_sq_thread`).
    SqThread = 6,
}

impl Ctx {
    /// Every context, by value.
    pub const ALL: [Ctx; 7] = [
        Ctx::User,
        Ctx::Core,
        Ctx::Driver,
        Ctx::IoWq,
        Ctx::Device,
        Ctx::TaskWork,
        Ctx::SqThread,
    ];

    /// Returns the lane name the UI and text traces use.
    pub fn name(self) -> &'static str {
        match self {
            Ctx::User => "user",
            Ctx::Core => "io_uring",
            Ctx::Driver => "driver",
            Ctx::IoWq => "io-wq",
            Ctx::Device => "device",
            Ctx::TaskWork => "task_work",
            Ctx::SqThread => "sq-thread",
        }
    }

    /// Returns the context with this value (task_work for anything unknown, as records do).
    pub fn from_u8(v: u8) -> Ctx {
        Ctx::ALL.get(v as usize).copied().unwrap_or(Ctx::TaskWork)
    }
}

impl Prov {
    /// Every provenance, by value.
    pub const ALL: [Prov; 6] = [
        Prov::Fresh,
        Prov::User,
        Prov::Core,
        Prov::Driver,
        Prov::Stale,
        Prov::Zeroed,
    ];

    /// Returns the name the UI and text traces use.
    pub fn name(self) -> &'static str {
        match self {
            Prov::Fresh => "fresh",
            Prov::User => "user",
            Prov::Core => "core",
            Prov::Driver => "driver",
            Prov::Stale => "stale",
            Prov::Zeroed => "zeroed",
        }
    }
}

impl ReqState {
    /// Every state, by value.
    pub const ALL: [ReqState; 10] = [
        ReqState::Free,
        ReqState::Prepped,
        ReqState::IowqQueued,
        ReqState::Issuing,
        ReqState::Inflight,
        ReqState::TwPending,
        ReqState::CompletePending,
        ReqState::Done,
        ReqState::FailedPrep,
        ReqState::Linked,
    ];

    /// Returns the state's name as the UI shows it.
    pub fn name(self) -> &'static str {
        match self {
            ReqState::Free => "free",
            ReqState::Prepped => "prepped",
            ReqState::IowqQueued => "iowq_queued",
            ReqState::Issuing => "issuing",
            ReqState::Inflight => "inflight",
            ReqState::TwPending => "tw_pending",
            ReqState::CompletePending => "complete_pending",
            ReqState::Done => "done",
            ReqState::FailedPrep => "failed_prep",
            ReqState::Linked => "linked",
        }
    }
}

macro_rules! events {
    ($(
        $(#[$m:meta])*
        $name:ident = $id:literal, $kfn:literal, $ctx:expr,
        [$($fname:ident: $w:ident $kind:expr),* $(,)?],
        $text:expr;
    )*) => {
        /// Trace event identifiers. The numeric values are part of the ABI.
        #[repr(u16)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(non_camel_case_types)]
        pub enum Event { $($(#[$m])* $name = $id,)* }

        /// The schema of every event, in declaration order (the order of [`Event::ALL`]).
        pub const SCHEMA: &[EventSchema] = &[$(
            EventSchema {
                event: Event::$name,
                doc: concat!($(stringify!($m), "\n"),*),
                kernel: $kfn,
                ctx: $ctx,
                fields: &[$(Field { name: stringify!($fname), word: $w, kind: $kind }),*],
                text: $text,
            },
        )*];

        impl Event {
            /// Every event, in declaration order.
            pub const ALL: &'static [Event] = &[$(Event::$name,)*];

            /// Returns the event's name (a tracepoint name, `sim_*` or `sanitizer_*`).
            pub fn name(self) -> &'static str {
                match self { $(Event::$name => stringify!($name),)* }
            }

            /// Returns the event with this id.
            pub fn from_id(id: u16) -> Option<Event> {
                match id { $($id => Some(Event::$name),)* _ => None }
            }
        }
    };
}

impl Event {
    /// Returns whether this is a sanitizer report (the `sanitizer_*` events, ids 200..230;
    /// later helpers' ranges above 230 are ordinary events).
    pub fn is_sanitizer(self) -> bool {
        self.name().starts_with("sanitizer_")
    }

    /// Returns the event's schema.
    pub fn schema(self) -> &'static EventSchema {
        // Declaration order is the order of ALL; the position is found once per call, which is
        // fine for rendering and generation (the hot path, `emit`, does not call this).
        let i = Event::ALL.iter().position(|e| *e == self).unwrap_or(0);
        &SCHEMA[i]
    }
}

// Each event: `name = id, "the kernel function it models", Some(context it always runs in) or
// None, [field: word kind, ...], Some("its text-trace line") or None for the generic one.
//
// Words: `A`/`B` are the record's 64-bit `a`/`b`; `BLo`/`BHi` the low/high 32 bits of `b`; `BLo8`
// its low byte. Kinds say how a value prints (see `schema::Kind`). In a text template `{f}` prints
// field `f`, `{f+g}` the sum of two fields, `{?f|text}` prints `text` when `f` is not zero; `{req}`
// is `req N, user_data 0x..`, `{reqn}` is `req N`, `{ring}` is `ring N` and `{raw}` is the generic
// line (`req N, user_data 0x.., a A, b B`).
events! {
    /// `io_uring_create`: a ring was set up.
    io_uring_create = 1, "io_uring/io_uring.c:io_uring_create", None,
        [sq_entries: A Num, cq_entries: BLo Num, flags: BHi FlagsHex(&schema::SETUP_FLAGS)],
        Some("ring {ring}, sq_entries {sq_entries}, cq_entries {cq_entries}, flags {flags}");
    /// `io_uring_submit_req`: an SQE was consumed and the request initialised.
    io_uring_submit_req = 2, "io_uring/io_uring.c:io_submit_sqe", None,
        [opcode: A Opcode, sqe_flags: BLo8 FlagsHex(&schema::SQE_FLAGS), sq_index: BHi Num],
        Some("{req}, opcode {opcode}, flags {sqe_flags}, sq_head {sq_index}");
    /// `io_uring_complete`: a CQE was written to the CQ ring.
    io_uring_complete = 3, "io_uring/io_uring.h:io_fill_cqe_req", None,
        [res: A Result, cflags: BLo FlagsHex(&schema::CQE_FLAGS), slot: BHi Num],
        Some("{req}, result {res}, cflags {cflags}, slot {slot}");
    /// `io_uring_queue_async_work`: a request was punted to io-wq (`hashed` 1: on a regular
    /// file's hashed queue, `io_prep_async_work`).
    io_uring_queue_async_work = 4, "io_uring/io_uring.c:io_queue_iowq", None,
        [opcode: A Opcode, hashed: B Num],
        Some("{req}, opcode {opcode}");
    /// `io_uring_req_failed`: a request failed at init or prep.
    io_uring_req_failed = 5, "io_uring/io_uring.c:io_submit_fail_init", None,
        [error: A Result],
        Some("{req}, error {error}");
    /// `io_uring_task_add`: task_work was queued for the submitting task.
    io_uring_task_add = 6, "io_uring/io_uring.c:__io_req_task_work_add", None,
        [lazy: A Num, local: BLo Num],
        Some("{req}, lazy {lazy}, local {local}");
    /// `io_uring_cqring_wait`: the task waits for CQEs.
    io_uring_cqring_wait = 7, "io_uring/io_uring.c:io_cqring_wait", None,
        [min_events: A Num, cqes: BLo Num],
        Some("ring {ring}, min_events {min_events}, cqes {cqes}");
    /// `io_uring_fail_link`: a linked request was cancelled because its predecessor failed.
    io_uring_fail_link = 8, "io_uring/timeout.c:io_fail_links", None,
        [head: A Num, result: B Result],
        Some("{req}, head {head}, result {result}");
    /// `io_uring_link`: a request was linked behind another.
    io_uring_link = 9, "io_uring/io_uring.c:io_submit_sqe", None,
        [head: A Num],
        Some("{req}, head {head}");
    /// `io_uring_defer`: a drained request was deferred.
    io_uring_defer = 10, "io_uring/io_uring.c:io_drain_req", None,
        [],
        None;
    /// `io_uring_cqe_overflow`: a CQE went to the overflow list.
    io_uring_cqe_overflow = 11, "io_uring/io_uring.c:io_cqring_event_overflow", None,
        [res: A Result, cflags: BLo FlagsHex(&schema::CQE_FLAGS)],
        Some("{req}, result {res}, cflags {cflags}");
    /// `io_uring_local_work_run`: DEFER_TASKRUN local work ran.
    io_uring_local_work_run = 12, "io_uring/io_uring.c:__io_run_local_work", None,
        [items: A Num],
        None;
    /// `io_uring_file_get`: the request's file was resolved.
    io_uring_file_get = 13, "io_uring/io_uring.c:io_file_get_normal", None,
        [fd: A Num],
        None;
    /// `io_uring_register`: a register call on a ring returned (opcode, registered-file and
    /// registered-buffer table sizes, result).
    io_uring_register = 14, "io_uring/register.c:io_uring_register", None,
        [opcode: BLo Num, nr_user_files: BHi Num, ret: ALo Result, nr_user_bufs: AHi Num],
        None;
    /// `io_uring_poll_arm`: a request that got `-EAGAIN` waits on its file's wait queue
    /// (async poll).
    io_uring_poll_arm = 15, "io_uring/poll.c:io_arm_poll_handler", None,
        [mask: A Num, events: B Num],
        Some("{req}, mask {mask}, events {events}");

    /// The task entered `io_uring_enter`.
    sim_sys_enter = 100, "io_uring/io_uring.c:io_uring_enter", None,
        [to_submit: A Num, min_complete: BLo Num, flags: BHi FlagsHex(&schema::ENTER_FLAGS)],
        Some("to_submit {to_submit}, min_complete {min_complete}, flags {flags}");
    /// A syscall returned to userspace.
    sim_sys_exit = 101, "io_uring/io_uring.c:io_uring_enter", None,
        [ret: A Result],
        Some("ring {ring}, ret {ret}");
    /// The kernel stored the SQ head (`io_commit_sqring`).
    sim_sq_head_commit = 102, "io_uring/io_uring.c:io_commit_sqring", None,
        [head: A Num],
        Some("ring {ring}, head {head}");
    /// The kernel stored the CQ tail (`io_commit_cqring`).
    sim_cq_tail_commit = 103, "io_uring/io_uring.h:io_commit_cqring", None,
        [tail: A Num, prev_tail: B Num],
        Some("ring {ring}, tail {tail}");
    /// An SQ index array entry was out of range; the SQE was dropped.
    sim_sqe_dropped = 104, "io_uring/io_uring.c:io_get_sqe", None,
        [index: A Num, dropped: BLo Num],
        Some("ring {ring}, index {index}, dropped {dropped}");
    /// The core called the driver's `->uring_cmd()`.
    sim_uring_cmd_issue = 105, "io_uring/uring_cmd.c:io_uring_cmd", None,
        [issue_flags: A Flags(&schema::ISSUE_FLAGS), cmd_op: BLo CmdOp],
        Some("{req}, cmd_op {cmd_op}, issue_flags {issue_flags}");
    /// The driver's `->uring_cmd()` returned (`cancel`: the call was a cancellation, whose
    /// result the core ignores).
    sim_uring_cmd_ret = 106, "io_uring/uring_cmd.c:io_uring_cmd", None,
        [ret: A Result, cancel: BLo Num],
        Some("{req}, ret {ret}{?cancel| (cancel call, ignored)}");
    /// The driver called `io_uring_cmd_done`.
    sim_uring_cmd_done = 107, "io_uring/uring_cmd.c:__io_uring_cmd_done", None,
        [ret: A Result, issue_flags: BLo Flags(&schema::ISSUE_FLAGS)],
        Some("{req}, ret {ret}, issue_flags {issue_flags}");
    /// A task_work item ran (`local`: DEFER_TASKRUN local work; `cb_flags`: for a uring_cmd
    /// callback, the issue_flags the kernel hands it (6.18: `COMPLETE_DEFER`, with `TASK_DEAD`
    /// when the task or ring is going away; 6.19: always `COMPLETE_DEFER`)).
    sim_task_work_run = 108, "io_uring/io_uring.c:io_handle_tw_list", None,
        [local: A Num, cb_flags: BLo Flags(&schema::ISSUE_FLAGS)],
        Some("{req}{?local|, local (DEFER_TASKRUN)}{?cb_flags|, callback issue_flags {cb_flags}}");
    /// A workqueue item ran.
    sim_work_run = 109, "kernel/workqueue.c:process_one_work", Some(Ctx::Device),
        [now_ns: A Num],
        Some("{req}");
    /// The task went to sleep waiting for CQEs.
    sim_wait_sleep = 110, "io_uring/io_uring.c:io_cqring_wait_schedule", None,
        [min_events: A Num],
        Some("ring {ring}, min_events {min_events}");
    /// A waiting task woke up.
    sim_wait_wake = 111, "io_uring/io_uring.c:io_wake_function", None,
        [hit: A Num],
        Some("ring {ring}");
    /// The overflow list was flushed into the CQ ring (`cq_full`: nothing could move).
    sim_overflow_flush = 112, "io_uring/io_uring.c:__io_cqring_overflow_flush", None,
        [moved: A Num, cq_full: BLo Num],
        Some("ring {ring}, moved {moved}");
    /// The driver wrote PDU bytes.
    sim_pdu_write = 113, "rust/kernel/io_uring.rs:IoUringCmd::write_pdu", None,
        [offset: A Num, len: BLo Num],
        Some("{req}, pdu[{offset}..{offset+len}]");
    /// The driver read PDU bytes.
    sim_pdu_read = 114, "rust/kernel/io_uring.rs:IoUringCmd::read_pdu", None,
        [offset: A Num, len: BLo Num],
        Some("{req}, pdu[{offset}..{offset+len}]");
    /// A request's SQE was copied into async data (`io_uring_cmd_sqe_copy`).
    sim_sqe_copy = 115, "io_uring/uring_cmd.c:io_uring_cmd_sqe_copy", None,
        [bytes: A Num],
        Some("{req}, {bytes} bytes");
    /// An io-wq worker picked up a request.
    sim_iowq_run = 116, "io_uring/io_uring.c:io_wq_submit_work", Some(Ctx::IoWq),
        [],
        Some("{req}");
    /// A driver printed a message (`dev_info!`).
    sim_driver_log = 117, "kernel/printk/printk.c:vprintk_emit", None,
        [msg: A Log, level: B Num],
        Some("{msg}");
    /// The clock advanced to a timer.
    sim_timer_fire = 118, "kernel/time/timer.c:call_timer_fn", None,
        [now_ns: A Num],
        Some("{reqn}, now {now_ns} ns");
    /// The waiting task has nothing that could ever wake it (`spin` 0), or would spin forever
    /// on an overflowed CQE that cannot move (`spin` 1); the simulator interrupts the wait.
    sim_wait_deadlock = 119, "", None,
        [spin: BLo Num],
        Some("ring {ring}");
    /// Userspace published SQEs by storing the SQ tail.
    sim_user_sq_tail = 120, "liburing: io_uring_submit", None,
        [tail: A Num],
        None;
    /// Userspace stored the CQ head after reaping.
    sim_user_cq_head = 121, "liburing: io_uring_cq_advance", None,
        [head: A Num],
        None;
    /// A request was freed and returned to the request cache (`pdu_bytes`: bytes the driver
    /// copied through the PDU accessors during its life).
    sim_req_free = 122, "io_uring/io_uring.c:io_free_batch_list", None,
        [pdu_bytes: BLo Num],
        Some("{req}{?pdu_bytes|, {pdu_bytes} PDU bytes copied by the driver}");
    /// The core called the driver's cancel path (`IO_URING_F_CANCEL`).
    sim_uring_cmd_cancel = 123, "io_uring/uring_cmd.c:io_uring_try_cancel_uring_cmd", None,
        [issue_flags: A Flags(&schema::ISSUE_FLAGS)],
        Some("{req}, issue_flags {issue_flags}");
    /// The PDU was zeroed (`by` 1: RFC patch 2 in prep; 2: the v5 wrapper).
    sim_pdu_zero = 124, "io_uring/uring_cmd.c:io_uring_cmd_prep", None,
        [by: A Choice(&[(1, "io_uring_cmd_prep (RFC v3 patch 2/5)")], "the v5 uring_cmd wrapper")],
        Some("{req}, by {by}");
    /// The ring was torn down.
    sim_ring_exit = 125, "io_uring/io_uring.c:io_ring_ctx_wait_and_kill", None,
        [cancelable: A Num, live: BLo Num],
        Some("ring {ring}, cancelable {cancelable}, live requests {live}");
    /// The core called an opcode's issue handler (`io_issue_sqe`).
    sim_issue = 126, "io_uring/io_uring.c:io_issue_sqe", None,
        [issue_flags: A Flags(&schema::ISSUE_FLAGS), opcode: B Opcode],
        Some("{req}, opcode {opcode}, issue_flags {issue_flags}");
    /// A request moved from one state of its life to another (`ReqState`).
    sim_req_state = 127, "", None,
        [from: A State, to: BLo State],
        Some("{req}, {from} -> {to}");

    /// A command was completed a second time, or after it had ended. `state` is the request's
    /// state, or -1 when `->uring_cmd()` returned a result after the driver had called `done()`.
    sanitizer_double_done = 200, "", None,
        [res: A Result, state: B DoneState],
        Some("{req}, result {res}, {state}");
    /// `done()` got issue_flags the core never handed out for this call context (`allowed`:
    /// the flags the context was given, `IO_URING_F_UNLOCKED` where none were).
    sanitizer_done_bad_flags = 201, "", None,
        [passed: A Flags(&schema::ISSUE_FLAGS), allowed: BLo Flags(&schema::ISSUE_FLAGS)],
        Some("{req}, issue_flags {passed}, context has {allowed}");
    /// `done()` ran without `uring_lock` and without `IO_URING_F_UNLOCKED`.
    sanitizer_done_unlocked = 202, "", None,
        [issue_flags: A Flags(&schema::ISSUE_FLAGS)],
        Some("{req}, issue_flags {issue_flags} without uring_lock");
    /// PDU bytes were read that the previous command using this recycled request object left
    /// there (never uninitialised memory: objects come zeroed from `__io_alloc_req_refill`):
    /// the first stale offset and the 8-byte word containing it (possibly another driver's
    /// kernel pointer), in 32-bit halves.
    sanitizer_pdu_stale_read = 203, "", None,
        [offset: A Num, word_hi: BHi FlagsHex(&schema::HEX_WORD), word_lo: BLo FlagsHex(&schema::HEX_WORD)],
        Some("{req}, pdu[{offset}] left by the previous command, word hi {word_hi} lo {word_lo}");
    /// The SQE was read after the issue call returned (it may be reused by userspace).
    sanitizer_sqe_after_issue = 204, "", None,
        [slot: A Num],
        Some("{req}, SQ slot {slot} may hold another SQE");
    /// A PDU type larger than the 32-byte PDU was used.
    sanitizer_pdu_too_big = 205, "", None,
        [size: A Num, pdu_size: BLo Num],
        Some("{req}, {size}-byte type, pdu is {pdu_size} bytes");
    /// A non-zero `res2` was dropped: the v3 `done(ret, res2, flags)` has to call the 6.18
    /// `io_uring_cmd_done(cmd, ret, issue_flags)`, which has no `res2` (only `done32` has).
    /// `cqe32`: the ring has 32-byte CQEs (CQE32/CQE_MIXED); the lost res2 in 32-bit halves.
    sanitizer_res2_lost = 206, "", None,
        [cqe32: A Num, res2_hi: BHi FlagsHex(&schema::HEX_WORD), res2_lo: BLo FlagsHex(&schema::HEX_WORD)],
        Some("{req}, res2 hi {res2_hi} lo {res2_lo} dropped{?cqe32| on a 32-byte-CQE ring}");
    /// A command is left in flight with no handle that could complete it: the driver returned
    /// `Complete(-EIOCBQUEUED)` (`how` 1) or dropped its `QueuedIoUringCmd` (`how` 2). The
    /// ring can never be freed.
    sanitizer_cmd_lost = 207, "", None,
        [how: A Choice(&[(1, "complete(-EIOCBQUEUED)")], "QueuedIoUringCmd dropped")],
        Some("{req}, {how}: nothing can complete it");
    /// A reference to the PDU as a type whose alignment the PDU does not have in this kernel
    /// profile.
    sanitizer_pdu_misaligned = 208, "", None,
        [align: A Num, pdu_align: BLo Num],
        Some("{req}, &T needs {align}-byte alignment, the pdu has {pdu_align}");

    // uring_cmd and misc-device events (simulator-only, so below the sanitizer range 200+).
    /// The file has no `f_op->uring_cmd`; the core fails the request with `-EOPNOTSUPP`.
    sim_uring_cmd_no_hook = 150, "io_uring/uring_cmd.c:io_uring_cmd", None,
        [fd: A Num],
        Some("{req}, fd {fd} has no f_op->uring_cmd");
    /// The driver read SQE bytes through the abstraction (`volatile`: a `READ_ONCE`-like read).
    sim_sqe_read = 151, "include/linux/io_uring/cmd.h:io_uring_sqe_cmd", None,
        [offset: A Num, len: BLo Num, volatile: BHi Choice(&[(0, "plain read")], "volatile")],
        Some("{reqn}, sqe[{offset}..{offset+len}], {volatile}");
    /// A misc device was registered.
    sim_dev_register = 152, "drivers/char/misc.c:misc_register", None,
        [minor: A Num],
        Some("minor {minor}");
    /// A misc device was opened.
    sim_dev_open = 153, "drivers/char/misc.c:misc_open", None,
        [fd: A Num],
        Some("fd {fd}");
    /// A misc device file was released (its last reference went away).
    sim_dev_release = 154, "fs/file_table.c:__fput", None,
        [],
        Some("private_data released");
    /// Userspace poked a device (`rs_dev_ctl`).
    sim_dev_ctl = 155, "", None,
        [arg: A Num, fd: B Num],
        Some("fd {fd}, arg {arg}");
    /// The driver asked for a task_work callback (`__io_uring_cmd_do_in_task`).
    sim_uring_cmd_do_in_task = 156, "io_uring/uring_cmd.c:__io_uring_cmd_do_in_task", None,
        [lazy: A Choice(&[(0, "normal")], "lazy")],
        Some("{req}, {lazy} wake");
    /// Work was queued on the system workqueue (`delayed`: after `delay_ns`).
    sim_work_queue = 157, "kernel/workqueue.c:queue_work_on", None,
        [delay_ns: A Num, delayed: BLo Num],
        Some("{reqn}{?delayed|, delayed {delay_ns} ns}");
    /// The command was marked cancelable (`io_uring_cmd_mark_cancelable`).
    sim_uring_cmd_cancelable = 158, "io_uring/uring_cmd.c:io_uring_cmd_mark_cancelable", None,
        [],
        Some("{req}");
    /// The driver copied bytes from user memory.
    sim_copy_from_user = 159, "lib/usercopy.c:_copy_from_user", None,
        [addr: A UserAddr, len: BLo Num],
        Some("{reqn}, {addr}, {len} bytes");
    /// The driver copied bytes to user memory.
    sim_copy_to_user = 160, "lib/usercopy.c:_copy_to_user", None,
        [addr: A UserAddr, len: BLo Num],
        Some("{reqn}, {addr}, {len} bytes");

    // Ring-core events (simulator-only, below the sanitizer range 200+).
    /// `io_uring_task_work_run`: the task ran a batch of task_work.
    io_uring_task_work_run = 170, "io_uring/io_uring.c:tctx_task_work_run", None,
        [items: A Num],
        None;
    /// A `CQE_MIXED` ring posted a filler CQE (`IORING_CQE_F_SKIP`) in its last slot so a
    /// 32-byte CQE does not straddle the wrap.
    sim_cqe_skip_filler = 171, "io_uring/io_uring.c:io_fill_nop_cqe", None,
        [flags: BLo FlagsHex(&schema::CQE_FLAGS), slot: BHi Num],
        None;
    /// `io_uring_register` ran.
    sim_register = 172, "io_uring/register.c:__io_uring_register", None,
        [opcode: A Num, ret: B Result],
        None;
    /// The program made another system call (read, write, socket, ...): its x86-64 number.
    sim_sys_call = 173, "", Some(Ctx::User),
        [nr: A Syscall, ret: B Result],
        None;
    /// `io_submit_state_end`: the batch's deferred completions are flushed.
    sim_submit_flush = 174, "io_uring/io_uring.c:io_submit_state_end", None,
        [reqs: A Num],
        None;
    /// A CQE was written from the cached free CQ range (`ctx->cqe_cached`) where the kernel's
    /// own ordering or accounting breaks (Linux 6.18, `CQE_MIXED` rings). `quirk` 1: a filler
    /// was posted but the refill then failed, so the cache is a slot behind the tail and the
    /// next CQE overwrites the filler; 2: a CQE was posted from the cache while older CQEs
    /// wait on the overflow list.
    sim_cqe_cache_quirk = 175, "io_uring/io_uring.c:io_cqe_cache_refill", None,
        [quirk: A Num, slot: B Num],
        None;
    /// A kernel `WARN_ON_ONCE` fired. `site` 1: `__io_uring_cmd_done` with
    /// `IO_URING_F_COMPLETE_DEFER | IO_URING_F_UNLOCKED` (returns without a CQE; the request
    /// leaks; `issue_flags` the flags passed); 2: the ring's exit work still waits after 5
    /// minutes (`io_ring_exit_work`; `waiting` requests still hold the ring).
    sim_warn = 176, "", None,
        [site: A Choice(&[(1, "__io_uring_cmd_done")], "io_ring_exit_work"), issue_flags: BLo Flags(&schema::ISSUE_FLAGS), waiting: BHi Num],
        Some("{reqn}, ring {ring}, WARN_ON_ONCE in {site}{?issue_flags|: issue_flags {issue_flags}, no CQE}{?waiting|: {waiting} requests still hold the ring after 5 minutes}");
    /// The ring's exit work saw its last request go (`ctx->ref_comp`): the ring is freed.
    sim_ring_freed = 177, "io_uring/io_uring.c:io_ring_exit_work", None,
        [passes: A Num, cancels: BLo Num],
        Some("ring {ring}, after {passes} passes of the exit loop and {cancels} cancel calls");

    // Opcodes beyond NOP and URING_CMD (simulator-only, below the sanitizer range 200+).
    /// The simulator has no model for this request: it fails with -4096, which is never a
    /// kernel errno.
    sim_not_modelled = 180, "", None,
        [opcode: A Opcode, what: B Choice(&[(1, "a field value"), (2, "the file kind")], "the opcode")],
        Some("{req}, opcode {opcode}, not modelled: {what}");
    /// A READ or WRITE moved data (`kiocb_done`); `pos` is 4294967295 on a stream (no position).
    sim_rw_done = 181, "io_uring/rw.c:kiocb_done", None,
        [bytes: A Num, dir: BLo Choice(&[(1, "write")], "read"), pos: BHi Num],
        Some("{req}, {dir} {bytes} bytes, pos {pos}");
    /// A file woke a request waiting on it through async poll.
    sim_poll_wake = 182, "io_uring/poll.c:io_poll_wake", None,
        [mask: A Num],
        Some("{req}, mask {mask}");
    /// An armed async poll was cancelled.
    sim_poll_cancel = 183, "io_uring/poll.c:io_poll_cancel_req", None,
        [],
        Some("{req}");
    /// A TIMEOUT or LINK_TIMEOUT armed its timer.
    sim_timeout_arm = 184, "io_uring/timeout.c:io_timeout", None,
        [ns: A Num, count: BLo Num, link: BHi Choice(&[(1, "link timeout")], "timeout")],
        Some("{req}, {link} in {ns} ns, count {count}");
    /// A timeout ended (`how`: the timer fired, the completion count was reached, or it was
    /// removed or cancelled).
    sim_timeout_fire = 185, "io_uring/timeout.c:io_timeout_fn", None,
        [res: A Result, how: B Choice(&[(1, "count reached"), (2, "removed")], "timer fired")],
        Some("{req}, {how}, result {res}");
    /// ASYNC_CANCEL or TIMEOUT_REMOVE looked for a request by user_data.
    sim_cancel = 186, "io_uring/cancel.c:io_try_cancel", None,
        [res: A Result, target: B Num],
        Some("{req}, user_data {target}: {res}");
    /// A POLL_ADD armed on its file's wait queue (`events` with `IO_POLL_UNMASK`; `multishot`
    /// 1 without `EPOLLONESHOT`). POLL_ADD has no kernel tracepoint of its own.
    sim_poll_arm = 187, "io_uring/poll.c:io_poll_add", None,
        [events: A Num, multishot: B Choice(&[(1, "multishot")], "one-shot")],
        Some("{req}, {multishot}, events {events}");
    /// POLL_REMOVE looked for a POLL_ADD by user_data (`io_poll_remove`).
    sim_poll_remove = 188, "io_uring/poll.c:io_poll_remove", None,
        [res: A Result, target: B Num],
        Some("{req}, user_data {target}: {res}");
    /// An `IORING_SETUP_IOPOLL` ring refused a command: the file has `->uring_cmd` but no
    /// `->uring_cmd_iopoll` (`-EOPNOTSUPP`).
    sim_iopoll_no_hook = 230, "io_uring/uring_cmd.c:io_uring_cmd", None,
        [fd: A Num],
        Some("{req}, fd {fd} has no uring_cmd_iopoll: -EOPNOTSUPP");
    /// A request queued on an IOPOLL ring went on `ctx->iopoll_list`, to be found by polling.
    sim_iopoll_queue = 231, "io_uring/io_uring.c:io_iopoll_req_issued", None,
        [listed: A Num],
        Some("{req}, {listed} on the iopoll list");
    /// `io_uring_cmd_done` on an IOPOLL ring: `iopoll_completed` is set, no CQE yet (the
    /// poller posts it).
    sim_iopoll_completed = 232, "io_uring/uring_cmd.c:__io_uring_cmd_done", None,
        [res: A Result],
        Some("{req}, iopoll_completed = 1, result {res} waits for the poller");
    /// The poller asked a command's driver (`f_op->uring_cmd_iopoll`).
    sim_iopoll_hook = 233, "io_uring/rw.c:io_uring_classic_poll", None,
        [found: A Num],
        Some("{req}, uring_cmd_iopoll found {found}");
    /// One `io_do_iopoll` pass: requests on the list, and how many completed ones became CQEs.
    sim_iopoll_pass = 234, "io_uring/rw.c:io_do_iopoll", None,
        [listed: A Num, reaped: BLo Num],
        Some("ring {ring}, {listed} on the iopoll list, {reaped} reaped");
    /// `io_iopoll_check` returned to the caller of `io_uring_enter(GETEVENTS)`.
    sim_iopoll_check_done = 235, "io_uring/io_uring.c:io_iopoll_check", None,
        [events: A Num, passes: BLo Num],
        Some("ring {ring}, {events} events after {passes} polling passes");
    /// `io_sq_offload_create`: an SQPOLL ring's thread was created.
    sim_sqpoll_create = 280, "io_uring/sqpoll.c:io_sq_offload_create", None,
        [idle_jiffies: A Num, cpu: B Num],
        Some("ring {ring}, SQ thread created: sq_thread_idle {idle_jiffies} jiffies, cpu {cpu}");
    /// `io_sq_thread`: the thread starts a pass over the ring (`__io_sq_thread`).
    sim_sqpoll_pass = 281, "io_uring/sqpoll.c:__io_sq_thread", Some(Ctx::SqThread),
        [to_submit: A Num, task_work: B Num],
        Some("ring {ring}, SQ thread pass: {to_submit} SQEs to submit, {task_work} task_work items");
    /// The pass ended (`io_submit_sqes` returned, task_work ran).
    sim_sqpoll_pass_done = 282, "io_uring/sqpoll.c:__io_sq_thread", Some(Ctx::SqThread),
        [submitted: A Num],
        Some("ring {ring}, SQ thread submitted {submitted}");
    /// The idle deadline passed: `IORING_SQ_NEED_WAKEUP` set; `slept` 0 when the last look
    /// at the SQ tail found SQEs and the thread stayed awake.
    sim_sqpoll_idle = 283, "io_uring/sqpoll.c:io_sq_thread", Some(Ctx::SqThread),
        [slept: A Num],
        Some("ring {ring}, SQ thread idle: IORING_SQ_NEED_WAKEUP set{?slept|, sleeps}");
    /// The thread woke: `IORING_SQ_NEED_WAKEUP` cleared, a new idle period until `deadline`.
    sim_sqpoll_wake = 284, "io_uring/sqpoll.c:io_sq_thread", Some(Ctx::SqThread),
        [deadline: A Num],
        Some("ring {ring}, SQ thread woke: NEED_WAKEUP cleared, idle at {deadline} ns");
    /// `io_uring_enter(IORING_ENTER_SQ_WAKEUP)`: `wake_up(&sqd->wait)`; `was_asleep` says
    /// whether the thread slept.
    sim_sqpoll_wakeup = 285, "io_uring/io_uring.c:io_uring_enter", None,
        [was_asleep: A Num],
        Some("ring {ring}, IORING_ENTER_SQ_WAKEUP{?was_asleep|: wakes the SQ thread}");
    /// `io_sqpoll_wait_sq`: the caller sleeps until the SQ ring has room.
    sim_sqpoll_sq_wait = 286, "io_uring/sqpoll.c:io_sqpoll_wait_sq", None,
        [full: A Num],
        Some("ring {ring}, IORING_ENTER_SQ_WAIT{?full|: the SQ ring is full, waits for the thread}");
    /// `io_sq_thread_stop`: the ring went away, the thread exits.
    sim_sqpoll_stop = 287, "io_uring/sqpoll.c:io_sq_thread_stop", None,
        [task_work: A Num],
        Some("ring {ring}, SQ thread stopped");

    /// `io_uring_short_write`: a blocking write to a regular file wrote fewer bytes than asked
    /// (a fault part-way through its buffers); the request keeps the bytes done and retries.
    io_uring_short_write = 260, "io_uring/rw.c:io_write", None,
        [fpos: A Num, wanted: BLo Num, got: BHi Num],
        Some("{req}, fpos {fpos}, wanted {wanted}, got {got}");
    /// A SEND or RECV moved bytes through its socket (`sock_sendmsg` / `sock_recvmsg`), or got
    /// an error; `buffer` is the provided buffer's id + 1 (0: the SQE's own buffer).
    sim_net_xfer = 240, "io_uring/net.c:io_send", None,
        [bytes: A Result, dir: BLo Choice(&[(1, "send")], "recv"), buffer: BHi Num],
        Some("{req}, {dir}: {bytes} (provided buffer id+1: {buffer})");
    /// ACCEPT took a connection and installed it as a descriptor (`do_accept`, `fd_install`),
    /// or failed.
    sim_accept = 241, "io_uring/net.c:io_accept", None,
        [fd: A Result],
        Some("{req}, new descriptor: {fd}");
    /// PROVIDE_BUFFERS added buffers to a group, or REMOVE_BUFFERS removed some (`res`: 0, how
    /// many were removed, or an error).
    sim_kbuf_manage = 242, "io_uring/kbuf.c:io_manage_buffers_legacy", None,
        [res: A Result, bgid: BLo Num, op: BHi Choice(&[(1, "provide")], "remove")],
        Some("{req}, {op} buffers of group {bgid}: {res}");
    /// A request took the first buffer of its provided-buffer group.
    sim_kbuf_select = 243, "io_uring/kbuf.c:io_provided_buffer_select", None,
        [bgid: A Num, bid: B Num],
        Some("{req}, selected buffer {bid} of group {bgid}");
    /// A selected buffer that got no data went back to the front of its group.
    sim_kbuf_recycle = 244, "io_uring/kbuf.c:io_kbuf_recycle_legacy", None,
        [bgid: A Num, bid: B Num],
        Some("{req}, buffer {bid} back to group {bgid}");
    /// A buffer ring was registered for a group (`entries` > 0) or unregistered (0).
    sim_kbuf_ring = 245, "io_uring/kbuf.c:io_register_pbuf_ring", None,
        [bgid: A Num, entries: B Num],
        Some("ring {ring}, buffer ring of group {bgid}: {entries} entries (0: unregistered)");
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
    /// The request's user_data (0 for none).
    pub user_data: u64,
    /// First argument word (see the event's fields).
    pub a: i64,
    /// Second argument word (see the event's fields).
    pub b: i64,
}

const _: () = assert!(core::mem::size_of::<TraceRecord>() == 48);

impl TraceRecord {
    /// Returns the record's event, if its id is known.
    pub fn event(&self) -> Option<Event> {
        Event::from_id(self.event)
    }

    /// The record's line in the text trace, without names only the rest of the core knows
    /// (see [`render::Line`] for those).
    pub fn display(&self) -> render::Line<'_> {
        render::Line {
            record: self,
            names: &render::NoNames,
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
