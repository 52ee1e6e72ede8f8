//! `IORING_SETUP_SQPOLL`: a kernel thread that polls the SQ ring and submits for the
//! application, so a program can submit with no system call at all.
//!
//! Mirrors: `io_uring/sqpoll.c` (`io_sq_offload_create`, `io_sq_thread`, `__io_sq_thread`,
//! `io_sqpoll_wait_sq`, `io_sq_thread_stop`, `io_sq_thread_finish`) and the SQPOLL branch of
//! `io_uring/io_uring.c:io_uring_enter` (wake the thread on `IORING_ENTER_SQ_WAKEUP`, wait for
//! SQ room on `IORING_ENTER_SQ_WAIT`, return `to_submit` as passed), as of Linux 6.18.
//!
//! The thread's loop: while SQEs are published (or its task_work is pending) it submits them
//! (`io_submit_sqes`, the same code an `io_uring_enter` runs) and pushes its idle deadline
//! `sq_thread_idle` jiffies ahead; with nothing to do it spins until the deadline passes, then
//! sets `IORING_SQ_NEED_WAKEUP` in the SQ ring's flags, checks the SQ tail once more and
//! sleeps. `io_uring_enter(IORING_ENTER_SQ_WAKEUP)` or task_work queued for it
//! (`__set_notify_signal`) wakes it; it clears the flag and starts a new idle period.
//! A new thread's deadline starts at 0, so unless SQEs are already there its first pass finds
//! it passed and it sleeps at once (recording `sqpoll_basic`).
//!
//! Requests the thread submits belong to it: their task_work runs in the thread, not in the
//! application (`io_uring/io_uring.c:io_req_normal_work_add` only sets `TIF_NOTIFY_SIGNAL` on
//! the thread for an SQPOLL ring; the thread runs it in its loop, `io_sq_tw`).
//!
//! Differences from upstream: the thread runs on its own (simulated) CPU, so while it spins
//! it costs nothing here and its work runs between two of the application's steps; jiffies
//! are [`TICK_NS`] (`CONFIG_HZ=250`) long, as on the recording machine. One thread per ring:
//! `IORING_SETUP_ATTACH_WQ` (sharing a thread) is not modelled. `nr_cpu_ids` is
//! [`NR_CPU_IDS`] (the recording machine's) and every CPU is online and allowed.

use std::collections::VecDeque;

use super::enter::{EnterCall, Phase};
use super::types::*;
use super::*;
use crate::sim::{Task, TICK_NS};

/// `nr_cpu_ids` of the simulated machine (2, as on the machine the recordings were made on).
pub const NR_CPU_IDS: u32 = 2;

/// `struct io_sq_data` and the thread's own task (`sqd->thread`).
#[derive(Default)]
pub struct SqData {
    /// `ctx->sq_thread_idle` in jiffies (`msecs_to_jiffies(p->sq_thread_idle)`, `HZ` for 0).
    pub idle_jiffies: u64,
    /// The CPU the thread is bound to (`sqd->sq_cpu`), -1 for any.
    pub cpu: i32,
    /// `timeout` of `io_sq_thread`, in jiffies; `None` before the first pass (upstream 0,
    /// which `time_after(jiffies, 0)` finds passed).
    pub timeout: Option<u64>,
    /// In `schedule()`, waiting on `sqd->wait`.
    pub sleeping: bool,
    /// A wake-up arrived while it slept (`wake_up(&sqd->wait)` or task_work): when the
    /// thread runs again.
    pub woken: Option<u64>,
    /// When the spinning thread first found work not yet taken by a pass.
    pub seen_at: Option<u64>,
    /// The pass in progress found work (`sqt_spin`).
    pub pass_spin: bool,
    /// `IO_SQ_THREAD_SHOULD_STOP`: the ring went away and the thread exited.
    pub stopped: bool,
    /// The thread as a task: `sys` is its submission pass in progress, `tw` its task_work.
    pub task: Task,
}

/// The jiffies count at simulated time `ns`.
fn jiffies(ns: u64) -> u64 {
    ns / TICK_NS
}

/// `msecs_to_jiffies` with `HZ=250` (rounds up), and `HZ` for 0 (`io_sq_offload_create`).
pub fn idle_jiffies(ms: u32) -> u64 {
    if ms == 0 {
        return 1_000_000_000 / TICK_NS;
    }
    (u64::from(ms) * 1_000_000 + TICK_NS - 1) / TICK_NS
}

/// `io_sq_offload_create`: checks `SQ_AFF` and creates the thread for an SQPOLL ring.
///
/// # Errors
///
/// `EINVAL` for `IORING_SETUP_SQ_AFF` without `SQPOLL`, or a CPU not below `nr_cpu_ids`.
pub fn io_sq_offload_check(p: &io_uring_params) -> Result<Option<SqData>, i32> {
    if p.flags & IORING_SETUP_SQPOLL == 0 {
        if p.flags & IORING_SETUP_SQ_AFF != 0 {
            return Err(EINVAL);
        }
        return Ok(None);
    }
    let cpu = if p.flags & IORING_SETUP_SQ_AFF != 0 {
        if p.sq_thread_cpu >= NR_CPU_IDS {
            return Err(EINVAL);
        }
        p.sq_thread_cpu as i32
    } else {
        -1
    };
    Ok(Some(SqData {
        idle_jiffies: idle_jiffies(p.sq_thread_idle),
        cpu,
        ..SqData::default()
    }))
}

/// Whether `ring` has a live SQ thread.
pub fn has_thread(s: &Sim, ring: u32) -> bool {
    s.ring(ring)
        .map_or(false, |c| c.flags & IORING_SETUP_SQPOLL != 0)
}

/// SQEs published and not yet consumed (`io_sqring_entries`), at most the SQ size.
fn sq_entries_ready(ctx: &IoRingCtx) -> u32 {
    let tail = ctx.rings.load_acquire_u32(rings_off::SQ_TAIL);
    tail.wrapping_sub(ctx.cached_sq_head)
        .min(ctx.layout.sq_entries)
}

/// `io_sqring_full`: the SQ ring as userspace sees it (its tail against the published head).
pub fn io_sqring_full(ctx: &IoRingCtx) -> bool {
    let tail = ctx.rings.read_once_u32(rings_off::SQ_TAIL);
    let head = ctx.rings.read_once_u32(rings_off::SQ_HEAD);
    tail.wrapping_sub(head) >= ctx.layout.sq_entries
}

fn set_sq_flag(ctx: &IoRingCtx, bit: u32, on: bool) {
    let f = ctx.rings.read_once_u32(rings_off::SQ_FLAGS);
    let f = if on { f | bit } else { f & !bit };
    ctx.rings.write_once_u32(rings_off::SQ_FLAGS, f);
}

/// The thread's task_work list for a request of `ring`: its own `Task` is swapped into
/// `s.task` while it runs ([`run_unit`]), so it is there then, else in the ring's `SqData`.
pub fn thread_tw(s: &mut Sim, ring: u32) -> Option<&mut VecDeque<TwItem>> {
    if s.sqt_running == Some(ring) {
        return Some(&mut s.task.tw);
    }
    let sqd = s.ring_mut(ring)?.sqd.as_deref_mut()?;
    if sqd.stopped {
        return None;
    }
    Some(&mut sqd.task.tw)
}

/// task_work was queued for the thread: `__set_notify_signal` wakes it from an
/// interruptible sleep (`wake_up_state(task, TASK_INTERRUPTIBLE)`).
pub fn notify(s: &mut Sim, ring: u32) {
    if s.sqt_running == Some(ring) {
        return;
    }
    let at = s.clock_ns + SQ_WAKE_NS;
    if let Some(sqd) = s.ring_mut(ring).and_then(|c| c.sqd.as_deref_mut()) {
        if sqd.sleeping && sqd.woken.is_none() {
            sqd.woken = Some(at);
        }
    }
}

/// The SQPOLL branch of `io_uring_enter`: `IORING_ENTER_SQ_WAKEUP` wakes the thread
/// (`wake_up(&ctx->sq_data->wait)`, a no-op when it is awake).
pub fn enter_wakeup(s: &mut Sim, ring: u32) {
    let at = s.clock_ns + SQ_WAKE_NS;
    let slept = match s.ring_mut(ring).and_then(|c| c.sqd.as_deref_mut()) {
        Some(sqd) => {
            let was = sqd.sleeping && sqd.woken.is_none();
            if was {
                sqd.woken = Some(at);
            }
            was
        }
        None => false,
    };
    s.emit(Event::sim_sqpoll_wakeup, ring, 0, 0, slept as i64, 0);
}

/// How long a spinning thread takes to see a new SQ tail (it polls in a loop on its CPU).
pub const SQ_POLL_NS: u64 = 1_000;
/// How long a sleeping thread takes to run after a wake-up (a cross-CPU wake-up).
pub const SQ_WAKE_NS: u64 = 50_000;

/// What the thread of a ring does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqUnit {
    /// One unit of its submission pass (or the pass's start).
    Pass,
    /// Woken: clear `IORING_SQ_NEED_WAKEUP`, start a new idle period.
    Wake,
    /// The idle deadline passed with nothing to do: set the flag and sleep.
    Idle,
}

/// The next unit of some ring's SQ thread and when it is due (the earliest; a pass in
/// progress at once). Notes when a spinning thread first finds SQEs or task_work, so it
/// starts its pass [`SQ_POLL_NS`] later.
pub fn pick(s: &mut Sim) -> Option<(u32, SqUnit, u64)> {
    let now = s.clock_ns;
    let mut best: Option<(u32, SqUnit, u64)> = None;
    for ctx in s.rings.iter_mut().flatten() {
        let ready = sq_entries_ready(ctx);
        let id = ctx.id;
        let sqd = match ctx.sqd.as_deref_mut() {
            Some(d) if !d.stopped => d,
            _ => continue,
        };
        let (unit, due) = if sqd.task.sys.is_some() {
            (SqUnit::Pass, now)
        } else if sqd.sleeping {
            match sqd.woken {
                Some(at) => (SqUnit::Wake, at.max(now)),
                None => continue,
            }
        } else if ready > 0 || !sqd.task.tw.is_empty() {
            let seen = *sqd.seen_at.get_or_insert(now);
            (SqUnit::Pass, (seen + SQ_POLL_NS).max(now))
        } else {
            // `time_after(jiffies, timeout)`: the first tick after the deadline.
            let due = match sqd.timeout {
                None => now,
                Some(t) => ((t + 1) * TICK_NS).max(now),
            };
            (SqUnit::Idle, due)
        };
        if best.map_or(true, |(_, _, d)| due < d) {
            best = Some((id, unit, due));
        }
    }
    best
}

/// Whether the ring's thread is in the middle of a pass.
pub fn in_pass(s: &Sim, ring: u32) -> bool {
    s.ring(ring)
        .and_then(|c| c.sqd.as_deref())
        .map_or(false, |d| d.task.sys.is_some())
}

/// Runs one unit of a ring's SQ thread. Called with no simulator borrow held.
pub fn run_unit(ring: u32, unit: SqUnit) {
    match unit {
        SqUnit::Wake => sim::with(|s| {
            s.cur_ctx = Ctx::SqThread;
            let now = jiffies(s.clock_ns);
            let ctx = live!(s.ring_mut(ring));
            set_sq_flag(ctx, IORING_SQ_NEED_WAKEUP, false);
            let sqd = live!(ctx.sqd.as_deref_mut());
            sqd.sleeping = false;
            sqd.woken = None;
            sqd.timeout = Some(now + sqd.idle_jiffies);
            let dl = (now + sqd.idle_jiffies + 1) * TICK_NS;
            s.emit(Event::sim_sqpoll_wake, ring, 0, 0, dl as i64, 0);
            s.cur_ctx = Ctx::User;
        }),
        SqUnit::Idle => sim::with(|s| {
            s.cur_ctx = Ctx::SqThread;
            let ctx = live!(s.ring_mut(ring));
            // `prepare_to_wait`; the flag, then (after a full barrier) one more look at the
            // SQ tail: SQEs published meanwhile keep it awake.
            set_sq_flag(ctx, IORING_SQ_NEED_WAKEUP, true);
            let ready = sq_entries_ready(ctx);
            let sqd = live!(ctx.sqd.as_deref_mut());
            if ready > 0 {
                set_sq_flag(live!(s.ring(ring)), IORING_SQ_NEED_WAKEUP, false);
                let now = jiffies(s.clock_ns);
                let sqd = live!(live!(s.ring_mut(ring)).sqd.as_deref_mut());
                sqd.timeout = Some(now + sqd.idle_jiffies);
            } else {
                sqd.sleeping = true;
            }
            s.emit(Event::sim_sqpoll_idle, ring, 0, 0, (ready == 0) as i64, 0);
            s.cur_ctx = Ctx::User;
        }),
        SqUnit::Pass => {
            let begun = sim::with(|s| {
                let mut sqd = live!(live!(s.ring_mut(ring)).sqd.take());
                core::mem::swap(&mut s.task, &mut sqd.task);
                if let Some(c) = s.ring_mut(ring) {
                    c.sqd = Some(sqd);
                }
                s.sqt_running = Some(ring);
                s.cur_ctx = Ctx::SqThread;
                if s.task.sys.is_some() {
                    return false;
                }
                let n = sq_entries_ready(live!(s.ring(ring)));
                let tw = s.task.tw.len() as u32;
                s.emit(Event::sim_sqpoll_pass, ring, 0, 0, n as i64, tw as i64);
                let sqd = live!(live!(s.ring_mut(ring)).sqd.as_deref_mut());
                sqd.pass_spin = n > 0 || tw > 0;
                sqd.seen_at = None;
                s.task.sys = Some(EnterCall::sq_thread_pass(ring, n));
                true
            });
            if !begun {
                super::enter::run_step();
            }
            sim::with(|s| {
                if s.task.sys.is_none() {
                    // `sqt_spin`: the pass found work, so a new idle period starts.
                    let now = jiffies(s.clock_ns);
                    let sqd = live!(live!(s.ring_mut(ring)).sqd.as_deref_mut());
                    if sqd.pass_spin || sqd.timeout.is_none() {
                        sqd.timeout = Some(now + sqd.idle_jiffies);
                    }
                }
                let mut sqd = live!(live!(s.ring_mut(ring)).sqd.take());
                core::mem::swap(&mut s.task, &mut sqd.task);
                if let Some(c) = s.ring_mut(ring) {
                    c.sqd = Some(sqd);
                }
                s.sqt_running = None;
                s.cur_ctx = Ctx::User;
            });
        }
    }
}

/// The thread's pass ends (`finish` of its `EnterCall`).
pub fn pass_done(s: &mut Sim, ring: u32, ret: i32) {
    s.emit(Event::sim_sqpoll_pass_done, ring, 0, 0, ret as i64, 0);
}

/// `io_sq_thread_finish` → `io_put_sq_data` → `io_sq_thread_stop`: the ring goes away and its
/// thread exits. Task_work still queued for it runs in the exiting thread (`io_run_task_work`
/// before `do_exit`); the simulator hands it to the fallback path of the ring's teardown.
pub fn io_sq_thread_stop(s: &mut Sim, ring: u32) {
    let items = match s.ring_mut(ring).and_then(|c| c.sqd.as_deref_mut()) {
        Some(sqd) if !sqd.stopped => {
            sqd.stopped = true;
            sqd.sleeping = false;
            core::mem::take(&mut sqd.task.tw)
        }
        _ => return,
    };
    s.emit(Event::sim_sqpoll_stop, ring, 0, 0, items.len() as i64, 0);
    s.task.tw.extend(items);
}

/// `io_sqpoll_wait_sq` for the phase machine: whether the caller must keep sleeping.
pub fn sq_wait_blocks(s: &Sim, ring: u32) -> bool {
    s.ring(ring).map_or(false, io_sqring_full)
}

/// The `Phase` an `io_uring_enter` on an SQPOLL ring goes to after its SQPOLL branch.
pub fn after_branch(flags: u32) -> Phase {
    if flags & IORING_ENTER_SQ_WAIT != 0 {
        Phase::SqWait
    } else if flags & IORING_ENTER_GETEVENTS != 0 {
        Phase::WaitArgs
    } else {
        Phase::ExitTw
    }
}
