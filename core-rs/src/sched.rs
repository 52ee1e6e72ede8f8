//! The scheduler and the system-call entry: picks and runs the next unit of kernel work.
//!
//! Mirrors: `kernel/sched/` (which work runs next) and `arch/x86/entry/` with
//! `kernel/entry/common.c` (a system call's entry, its return to user mode and the task_work
//! run there). Like the kernel's syscall table, this sits above the subsystems it dispatches
//! to (io_uring's `io_uring_enter` steps, io-wq, task_work, `close`), so neither `sim` (the
//! machine's state) nor `linux` names io_uring.
//!
//! Priority, highest first: the task's own syscall (unless it sleeps); waking a sleeping
//! waiter; io-wq workers; the system workqueue; task_work of a task in user mode (when the
//! ring notifies with `TWA_SIGNAL`), one batch at a time; the flush that ends such a batch;
//! the earliest timer (the clock jumps to it); a sleeping waiter's timeout; a waiter nothing
//! can wake.
//!
//! [`step_until`] takes a time horizon: timers and timeouts after it are not run, so a caller
//! can drain the work that is runnable now ([`run_until_idle`]) or let a given amount of time
//! pass ([`advance_clock`]) without jumping ahead.
//!
//! Each unit of work advances the clock by [`STEP_NS`], so the timeline has a time axis even
//! where nothing sleeps.

use crate::include::io_uring_types::Req;
use crate::io_uring::sqpoll::{self, SqUnit};
use crate::io_uring::{self, enter, tw};
use crate::sim::{with, Sim, Timer, WorkItem};
use crate::trace::{Ctx, Event};
use crate::uapi::io_uring::IORING_SETUP_COOP_TASKRUN;

pub use crate::sim::{STEP_NS, TICK_NS};

/// What a call to [`step`] did.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Nothing could run: the task is in user mode and the kernel is idle.
    Idle = 0,
    /// A unit of the task's syscall ran.
    Syscall = 1,
    /// An io-wq worker ran.
    IoWq = 2,
    /// A workqueue item ran.
    Work = 3,
    /// task_work ran in the task (interrupted in user mode).
    TaskWork = 4,
    /// A timer fired.
    Timer = 5,
    /// An SQPOLL thread ran.
    SqThread = 6,
}

enum Unit {
    Syscall,
    IoWq(Req, u32),
    Work(WorkItem),
    UserTw(crate::io_uring::types::TwItem),
    UserTwFlush,
    Tick(u64),
    SleepEnd(u64),
    Timer(Timer),
    Timeout(u64),
    Deadlock,
    Sq(u32, SqUnit, u64),
}

fn pick(s: &mut Sim, horizon: Option<u64>) -> Option<Unit> {
    // An SQPOLL thread's pass runs to its end on its own CPU (under `uring_lock`, up to the SQ
    // head store) before a task it woke gets to run.
    let sq = sqpoll::pick(s);
    if let Some((r, u @ SqUnit::Pass, due)) = sq {
        if due <= s.clock_ns && sqpoll::in_pass(s, r) {
            return Some(Unit::Sq(r, u, due));
        }
    }
    if let Some(c) = &s.linux.task.sys {
        let sq_wait =
            c.phase == enter::Phase::SqWait && c.waited && sqpoll::sq_wait_blocks(s, c.ring);
        if !sq_wait && (c.phase != enter::Phase::Sleeping || enter::should_wake(s)) {
            return Some(Unit::Syscall);
        }
    }
    // SQPOLL threads run on CPUs of their own: a pass in progress goes on at once; a new
    // pass, a wake-up and going idle are due at their time (like timers, below).
    if let Some((r, u, due)) = sq {
        if due <= s.clock_ns {
            return Some(Unit::Sq(r, u, due));
        }
    }
    if let Some((req, serial)) = s.io_uring.iowq.pop_front() {
        return Some(Unit::IoWq(req, serial));
    }
    if let Some(w) = s.linux.work.pop_front() {
        return Some(Unit::Work(w));
    }
    if s.linux.task.sys.is_none() {
        if s.linux.task.tw_batch > 0 {
            if let Some(it) = s.linux.task.tw.pop_front() {
                s.linux.task.tw_batch -= 1;
                return Some(Unit::UserTw(it));
            }
            s.linux.task.tw_batch = 0;
        }
        if s.io_uring.task_tw_flush {
            s.io_uring.task_tw_flush = false;
            return Some(Unit::UserTwFlush);
        }
        // `TWA_SIGNAL` interrupts the task in user mode (an IPI if it runs); with
        // `COOP_TASKRUN` (`TWA_SIGNAL_NO_IPI`) only TIF_NOTIFY_SIGNAL is set: a task sleeping
        // interruptibly is woken at once, a running one handles it on its next return to user
        // mode (a system call's end, or the next timer tick: see `tw_tick_due`).
        let signal = s.linux.task.tw.front().map_or(false, |it| {
            s.ring(it.req.ring)
                .map_or(true, |c| c.flags & IORING_SETUP_COOP_TASKRUN == 0)
        });
        if s.linux.task.tw.is_empty() {
            s.linux.task.tw_on_return = false;
            s.linux.task.tw_tick_due = None;
        }
        if signal
            || ((s.linux.task.tw_on_return || s.linux.task.sleeping) && !s.linux.task.tw.is_empty())
        {
            s.linux.task.tw_batch = s.linux.task.tw.len() as u32 - 1;
            s.linux.task.tw_tick_due = None;
            return s.linux.task.tw.pop_front().map(Unit::UserTw);
        }
    }
    let within = |t: u64| horizon.map_or(true, |h| t <= h);
    // The tick that runs COOP_TASKRUN task_work of a task running in user mode, if it comes
    // before any timer.
    let first_timer = s.linux.timers.iter().map(|t| t.deadline_ns).min();
    if let Some((r, u, due)) = sq {
        let before = |t: Option<u64>| t.map_or(true, |t| due <= t);
        if within(due)
            && before(first_timer)
            && before(s.linux.task.sleep_end)
            && before(s.linux.task.tw_tick_due)
            && before(enter::deadline(s))
        {
            return Some(Unit::Sq(r, u, due));
        }
    }
    if let Some(due) = s.linux.task.tw_tick_due {
        if s.linux.task.sys.is_none()
            && !s.linux.task.sleeping
            && within(due)
            && first_timer.map_or(true, |t| due <= t)
        {
            return Some(Unit::Tick(due));
        }
    }
    if let Some(end) = s.linux.task.sleep_end {
        if s.linux.task.sys.is_none() && within(end) && first_timer.map_or(true, |t| end < t) {
            return Some(Unit::SleepEnd(end));
        }
    }
    // A timer due after the waiting task's own timeout does not fire first.
    let wait_deadline = enter::deadline(s);
    if !s.linux.timers.is_empty() {
        let (i, t) = s
            .linux
            .timers
            .iter()
            .enumerate()
            .min_by_key(|(_, t)| (t.deadline_ns, t.seq))
            .map(|(i, t)| (i, t.deadline_ns))
            .expect("non-empty");
        if within(t) && wait_deadline.map_or(true, |d| t <= d) {
            let t = s.linux.timers.remove(i);
            return Some(Unit::Timer(t));
        }
    }
    if let Some(d) = wait_deadline {
        if within(d) {
            return Some(Unit::Timeout(d));
        }
        return None;
    }
    if s.linux.task.sys.is_some() && s.linux.timers.is_empty() {
        return Some(Unit::Deadlock);
    }
    None
}

/// Runs exactly one unit of kernel work; returns what ran. Timers fire however far away they
/// are (the clock jumps).
pub fn step() -> StepKind {
    step_until(None)
}

/// Runs one unit of kernel work that is due no later than `horizon` (any, with `None`).
pub fn step_until(horizon: Option<u64>) -> StepKind {
    let unit = with(|s| {
        let u = pick(s, horizon);
        if u.is_some() {
            s.step += 1;
            s.clock_ns += STEP_NS;
            s.cur_src = 0;
        }
        u
    });
    let unit = match unit {
        Some(u) => u,
        None => return StepKind::Idle,
    };
    match unit {
        Unit::Syscall => {
            enter::run_step();
            StepKind::Syscall
        }
        Unit::IoWq(req, serial) => {
            let live = with(|s| {
                s.cur_ctx = Ctx::IoWq;
                s.req(req).map_or(false, |r| r.serial == serial)
            });
            if live {
                io_uring::io_wq_submit_work(req);
            }
            with(|s| s.cur_ctx = Ctx::User);
            StepKind::IoWq
        }
        Unit::Work(w) => {
            run_item(w, Event::sim_work_run);
            StepKind::Work
        }
        Unit::Timer(t) => {
            with(|s| {
                if t.deadline_ns > s.clock_ns {
                    s.clock_ns = t.deadline_ns;
                }
            });
            run_item(t.item, Event::sim_timer_fire);
            StepKind::Timer
        }
        Unit::UserTw(item) => {
            tw::run_tw_item(item, false);
            with(|s| {
                s.linux.task.tw_ran += 1;
                if s.linux.task.tw_batch == 0 {
                    s.io_uring.task_tw_flush = true;
                }
                s.cur_ctx = Ctx::User;
            });
            StepKind::TaskWork
        }
        Unit::UserTwFlush => {
            with(|s| {
                s.cur_ctx = Ctx::TaskWork;
                // `tctx_task_work_run` traces the batch after `io_handle_tw_list` has run it and
                // flushed its completions (io_uring/io_uring.c), with the number of items run.
                enter::flush_all_rings(s);
                let n = core::mem::replace(&mut s.linux.task.tw_ran, 0);
                s.emit(Event::io_uring_task_work_run, 0, 0, 0, i64::from(n), 0);
                s.cur_ctx = Ctx::User;
            });
            StepKind::TaskWork
        }
        Unit::Tick(due) => {
            with(|s| {
                if due > s.clock_ns {
                    s.clock_ns = due;
                }
                s.linux.task.tw_tick_due = None;
                // The tick's return to user mode runs everything queued (`task_work_run`).
                s.linux.task.tw_on_return = true;
            });
            let item = with(|s| {
                let n = s.linux.task.tw.len() as u32;
                s.linux.task.tw_batch = n.saturating_sub(1);
                s.linux.task.tw.pop_front()
            });
            if let Some(item) = item {
                tw::run_tw_item(item, false);
                with(|s| {
                    if s.linux.task.tw_batch == 0 {
                        s.io_uring.task_tw_flush = true;
                    }
                    s.cur_ctx = Ctx::User;
                });
            }
            StepKind::TaskWork
        }
        Unit::SleepEnd(end) => {
            // nanosleep returns: the task leaves the kernel and runs what task_work is left.
            let n = with(|s| {
                if end > s.clock_ns {
                    s.clock_ns = end;
                }
                s.linux.task.sleeping = false;
                s.linux.task.sleep_end = None;
                s.linux.task.tw_tick_due = None;
                s.linux.task.tw.len()
            });
            if n > 0 {
                while let Some(item) = with(|s| s.linux.task.tw.pop_front()) {
                    tw::run_tw_item(item, false);
                }
                with(|s| {
                    s.cur_ctx = Ctx::TaskWork;
                    s.emit(Event::io_uring_task_work_run, 0, 0, 0, n as i64, 0);
                    enter::flush_all_rings(s);
                });
            }
            with(|s| s.cur_ctx = Ctx::User);
            StepKind::Timer
        }
        Unit::Timeout(d) => {
            with(|s| {
                if d > s.clock_ns {
                    s.clock_ns = d;
                }
            });
            enter::run_step();
            StepKind::Syscall
        }
        Unit::Deadlock => {
            with(enter::interrupt_deadlocked_wait);
            StepKind::Syscall
        }
        Unit::Sq(ring, u, due) => {
            with(|s| {
                if due > s.clock_ns {
                    s.clock_ns = due;
                }
            });
            sqpoll::run_unit(ring, u);
            StepKind::SqThread
        }
    }
}

fn run_item(w: WorkItem, ev: Event) {
    with(|s| {
        s.cur_ctx = Ctx::Device;
        let t = s.clock_ns as i64;
        s.emit(ev, 0, w.req, 0, t, 0);
    });
    // SAFETY: work items are created by the kernel abstraction with a function and data
    // pointer that stay valid until the item has run (the item owns its data).
    unsafe { (w.func)(w.data) };
    with(|s| {
        s.cur_ctx = if s.linux.task.sys.is_some() {
            Ctx::Core
        } else {
            Ctx::User
        };
        s.cur_src = 0;
    });
}

/// Runs every unit of kernel work that is due now (timers and timeouts in the future stay
/// pending); returns how many ran, at most `max_steps`.
pub fn run_until_idle(max_steps: u64) -> u64 {
    let now = with(|s| s.clock_ns);
    let mut n = 0;
    while n < max_steps && step_until(Some(now)) != StepKind::Idle {
        n += 1;
    }
    n
}

/// Lets `ns` nanoseconds pass while the task sleeps in a system call (`nanosleep`): runs what
/// becomes due in that time, in order, sets the clock to the end of the interval, and runs the
/// task_work the task finds on its way back to user mode. Returns how many units ran (at most
/// `max_steps`).
pub fn advance_clock(ns: u64, max_steps: u64) -> u64 {
    let end = with(|s| {
        s.linux.task.sleeping = true;
        s.clock_ns.saturating_add(ns)
    });
    let mut n = 0;
    while n < max_steps && step_until(Some(end)) != StepKind::Idle {
        n += 1;
    }
    with(|s| {
        s.linux.task.sleeping = false;
        if s.clock_ns < end {
            s.clock_ns = end;
        }
    });
    n + return_to_user(max_steps)
}

/// The task starts `nanosleep(ns)`; the steps that follow run what becomes due while it
/// sleeps interruptibly, and a unit of its own ends the sleep at the deadline.
pub fn sleep_begin(ns: u64) {
    with(|s| {
        s.linux.task.sleeping = true;
        s.linux.task.sleep_end = Some(s.clock_ns.saturating_add(ns));
    });
}

/// Lets `ns` nanoseconds pass while the task computes in user mode without a system call:
/// what becomes due runs in order, and COOP_TASKRUN task_work runs at the first timer tick
/// after it was queued (`TWA_SIGNAL_NO_IPI` sends no IPI). Returns how many units ran.
pub fn spin(ns: u64, max_steps: u64) -> u64 {
    let end = with(|s| s.clock_ns.saturating_add(ns));
    let mut n = 0;
    while n < max_steps && step_until(Some(end)) != StepKind::Idle {
        n += 1;
    }
    with(|s| {
        if s.clock_ns < end {
            s.clock_ns = end;
        }
    });
    n
}

/// The task leaves a system call: it runs all its pending task_work (and whatever is due now),
/// whatever the rings' notification method. Returns how many units ran.
pub fn return_to_user(max_steps: u64) -> u64 {
    with(|s| s.linux.task.tw_on_return = true);
    run_until_idle(max_steps)
}

/// Runs steps until the task's syscall returns; returns its result.
///
/// Bounded by `max_steps`; a syscall still running after that many steps is reported as
/// `-EINTR` (it cannot happen in a scenario that terminates).
pub fn run_syscall_to_completion(max_steps: u64) -> i32 {
    for _ in 0..max_steps {
        if with(|s| s.linux.task.sys.is_none()) {
            break;
        }
        step();
    }
    if with(|s| s.linux.task.sys.is_some()) {
        // Give up as a signal would end it, so the task is not left inside the syscall.
        with(enter::interrupt_deadlocked_wait);
        for _ in 0..1000 {
            if with(|s| s.linux.task.sys.is_none()) {
                break;
            }
            enter::run_step();
        }
    }
    with(|s| s.linux.task.last_ret.unwrap_or(-crate::uapi::errno::EINTR))
}

/// What the task is doing, as the wasm ABI reports it: 0 in user mode, 1 inside a system call,
/// 2 asleep (in `io_uring_enter`'s wait or in `nanosleep`).
pub fn task_state(s: &Sim) -> u32 {
    match &s.linux.task.sys {
        None if s.linux.task.sleeping => 2,
        None => 0,
        Some(c) if c.phase == enter::Phase::Sleeping => 2,
        Some(c) if c.phase == enter::Phase::SqWait && c.waited => 2,
        Some(_) => 1,
    }
}

/// Userspace stored `len` bytes at user address `addr`: the bytes become userspace's (for the
/// provenance view), and a write into a ring's SQE array is noted there too.
pub fn user_wrote(s: &mut Sim, addr: usize, len: u32) {
    s.linux.user.mark_user(addr as u64, len as usize);
    io_uring::uring_cmd::note_user_sqe_write(s, addr, len as usize);
}

/// Runs system call `nr` (its x86-64 number) in the task's user context: `f` does the work and
/// returns what Linux returns; the call is recorded as `sim_sys_call`, and on the way back to
/// user mode the task runs its pending task_work, as every system call does
/// (`kernel/entry/common.c:syscall_exit_to_user_mode` → `exit_to_user_mode_loop` →
/// `task_work_run`). Returns `-EBUSY`, recording nothing, while the one-thread program is
/// blocked inside `io_uring_enter`.
pub fn user_syscall(nr: i64, f: impl FnOnce(&mut Sim) -> i32) -> i32 {
    syscall_then_fput(nr, |s| {
        let r = f(s);
        // The call may have made a file ready (data written, room freed, a writer gone):
        // requests waiting on it through async poll wake now (`io_uring/poll.c:io_poll_wake`).
        crate::io_uring::poll::io_poll_wake_ready(s);
        (r, None)
    })
}

/// `close(fd)` as a system call ([`user_syscall`], so `-EBUSY` while blocked in
/// `io_uring_enter`): removes the descriptor; when it held the file's last reference, the
/// file's `->release()` runs before the return to user mode, with no simulator borrow held
/// (the release of a ring tears it down and may call into drivers).
///
/// Mirrors `fs/open.c:SYSCALL_DEFINE1(close)` → `fs/file.c:file_close_fd` and `filp_close` →
/// `fput`, whose `__fput` upstream runs as task_work on the way back to user mode.
pub fn close(fd: i32) -> i32 {
    syscall_then_fput(3, |s| match crate::linux::syscalls::sys_close(s, fd) {
        Ok(last) => (0, last),
        Err(e) => (-e, None),
    })
}

/// The common path of [`user_syscall`] and [`close`]: `f` returns the result and maybe a file
/// whose last reference it dropped, released after the call is recorded.
fn syscall_then_fput(
    nr: i64,
    f: impl FnOnce(&mut Sim) -> (i32, Option<Box<crate::include::fs::file>>),
) -> i32 {
    let r = with(|s| {
        if s.linux.task.sys.is_some() {
            // The one-thread program is blocked in io_uring_enter.
            return None;
        }
        let (r, last) = f(s);
        s.cur_ctx = Ctx::User;
        s.emit(Event::sim_sys_call, 0, 0, 0, nr, r as i64);
        Some((r, last))
    });
    match r {
        Some((r, last)) => {
            if let Some(fl) = last {
                crate::linux::fs::__fput(fl);
                // A pipe end that went away wakes the other end's waiters (`pipe_release`).
                with(crate::io_uring::poll::io_poll_wake_ready);
            }
            return_to_user(1_000_000);
            r
        }
        None => -crate::uapi::errno::EBUSY,
    }
}

/// `io_uring_enter(2)` run to completion: starts it ([`enter::begin`]) and runs the machine until it
/// returns (bounded; see [`run_syscall_to_completion`]). Returns its result,
/// or `-EBUSY` if the task is already inside a syscall.
pub fn io_uring_enter_to_completion(
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: u64,
    argsz: u32,
) -> i32 {
    let r = with(|s| enter::begin(s, fd, to_submit, min_complete, flags, arg, argsz));
    if r < 0 {
        return r;
    }
    run_syscall_to_completion(10_000_000)
}
