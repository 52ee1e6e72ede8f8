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
use crate::include::linux::SqThread;
use crate::sim::TICK_NS;

/// `nr_cpu_ids` of the simulated machine (2, as on the machine the recordings were made on).
pub const NR_CPU_IDS: u32 = 2;

/// How long a spinning thread takes to see a new SQ tail (it polls in a loop on its CPU).
pub const SQ_POLL_NS: u64 = 1_000;
/// How long a sleeping thread takes to run after a wake-up (a cross-CPU wake-up).
pub const SQ_WAKE_NS: u64 = 50_000;

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

/// `io_sq_offload_create`: checks `SQ_AFF` and describes the thread an SQPOLL ring gets.
///
/// # Errors
///
/// `EINVAL` for `IORING_SETUP_SQ_AFF` without `SQPOLL`, or a CPU not below `nr_cpu_ids`.
pub fn io_sq_offload_check(p: &io_uring_params) -> Result<Option<SqThread>, i32> {
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
    Ok(Some(SqThread {
        idle_jiffies: idle_jiffies(p.sq_thread_idle),
        cpu,
        ..SqThread::default()
    }))
}

/// The thread of `ring`, if it has one.
pub fn thread(s: &Sim, ring: u32) -> Option<&SqThread> {
    s.linux.sq_threads.iter().find(|t| t.ring == ring)
}

/// [`thread`], mutably.
pub fn thread_mut(s: &mut Sim, ring: u32) -> Option<&mut SqThread> {
    s.linux.sq_threads.iter_mut().find(|t| t.ring == ring)
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
/// `s.linux.task` while it runs ([`run_unit`]), so it is there then, else in its `SqThread`.
/// `None` for a ring without a live thread.
pub fn thread_tw(s: &mut Sim, ring: u32) -> Option<&mut VecDeque<TwItem>> {
    if s.linux.sqt_running == Some(ring) {
        return Some(&mut s.linux.task.tw);
    }
    let t = thread_mut(s, ring)?;
    if t.stopped {
        return None;
    }
    Some(&mut t.task.tw)
}

/// task_work was queued for the thread: `__set_notify_signal` wakes it from an
/// interruptible sleep (`wake_up_state(task, TASK_INTERRUPTIBLE)`).
pub fn notify(s: &mut Sim, ring: u32) {
    if s.linux.sqt_running == Some(ring) {
        return;
    }
    let at = s.clock_ns + SQ_WAKE_NS;
    if let Some(t) = thread_mut(s, ring) {
        if t.sleeping && t.woken.is_none() {
            t.woken = Some(at);
        }
    }
}

/// The SQPOLL branch of `io_uring_enter`: `IORING_ENTER_SQ_WAKEUP` wakes the thread
/// (`wake_up(&ctx->sq_data->wait)`, a no-op when it is awake).
pub fn enter_wakeup(s: &mut Sim, ring: u32) {
    let at = s.clock_ns + SQ_WAKE_NS;
    let slept = match thread_mut(s, ring) {
        Some(t) => {
            let was = t.sleeping && t.woken.is_none();
            if was {
                t.woken = Some(at);
            }
            was
        }
        None => false,
    };
    s.emit(Event::sim_sqpoll_wakeup, ring, 0, 0, slept as i64, 0);
}

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
    let ready: Vec<(u32, u32)> = s
        .linux
        .sq_threads
        .iter()
        .filter(|t| !t.stopped)
        .map(|t| (t.ring, s.ring(t.ring).map_or(0, sq_entries_ready)))
        .collect();
    for (ring, ready) in ready {
        let t = match thread_mut(s, ring) {
            Some(t) => t,
            None => continue,
        };
        let (unit, due) = if t.task.sys.is_some() {
            (SqUnit::Pass, now)
        } else if t.sleeping {
            match t.woken {
                Some(at) => (SqUnit::Wake, at.max(now)),
                None => continue,
            }
        } else if ready > 0 || !t.task.tw.is_empty() {
            let seen = *t.seen_at.get_or_insert(now);
            (SqUnit::Pass, (seen + SQ_POLL_NS).max(now))
        } else {
            // `time_after(jiffies, timeout)`: the first tick after the deadline.
            let due = match t.timeout {
                None => now,
                Some(j) => ((j + 1) * TICK_NS).max(now),
            };
            (SqUnit::Idle, due)
        };
        if best.map_or(true, |(_, _, d)| due < d) {
            best = Some((ring, unit, due));
        }
    }
    best
}

/// Whether the ring's thread is in the middle of a pass.
pub fn in_pass(s: &Sim, ring: u32) -> bool {
    thread(s, ring).map_or(false, |t| t.task.sys.is_some())
}

/// Swaps the thread's task with the running one (`s.linux.task`).
fn swap_task(s: &mut Sim, ring: u32) {
    let l = &mut s.linux;
    if let Some(t) = l.sq_threads.iter_mut().find(|t| t.ring == ring) {
        core::mem::swap(&mut l.task, &mut t.task);
    }
}

/// Runs one unit of a ring's SQ thread. Called with no simulator borrow held.
pub fn run_unit(ring: u32, unit: SqUnit) {
    match unit {
        SqUnit::Wake => sim::with(|s| {
            s.cur_ctx = Ctx::SqThread;
            let now = jiffies(s.clock_ns);
            set_sq_flag(live!(s.ring(ring)), IORING_SQ_NEED_WAKEUP, false);
            let t = live!(thread_mut(s, ring));
            t.sleeping = false;
            t.woken = None;
            t.timeout = Some(now + t.idle_jiffies);
            let dl = (now + t.idle_jiffies + 1) * TICK_NS;
            s.emit(Event::sim_sqpoll_wake, ring, 0, 0, dl as i64, 0);
            s.cur_ctx = Ctx::User;
        }),
        SqUnit::Idle => sim::with(|s| {
            s.cur_ctx = Ctx::SqThread;
            // `prepare_to_wait`; the flag, then (after a full barrier) one more look at the
            // SQ tail: SQEs published meanwhile keep it awake.
            let ctx = live!(s.ring(ring));
            set_sq_flag(ctx, IORING_SQ_NEED_WAKEUP, true);
            let ready = sq_entries_ready(ctx);
            if ready > 0 {
                set_sq_flag(ctx, IORING_SQ_NEED_WAKEUP, false);
            }
            let now = jiffies(s.clock_ns);
            let t = live!(thread_mut(s, ring));
            if ready > 0 {
                t.timeout = Some(now + t.idle_jiffies);
            } else {
                t.sleeping = true;
            }
            s.emit(Event::sim_sqpoll_idle, ring, 0, 0, (ready == 0) as i64, 0);
            s.cur_ctx = Ctx::User;
        }),
        SqUnit::Pass => {
            let begun = sim::with(|s| {
                swap_task(s, ring);
                s.linux.sqt_running = Some(ring);
                s.cur_ctx = Ctx::SqThread;
                if s.linux.task.sys.is_some() {
                    return false;
                }
                let n = s.ring(ring).map_or(0, sq_entries_ready);
                let tw = s.linux.task.tw.len() as u32;
                s.emit(Event::sim_sqpoll_pass, ring, 0, 0, n as i64, tw as i64);
                if let Some(t) = thread_mut(s, ring) {
                    t.pass_spin = n > 0 || tw > 0;
                    t.seen_at = None;
                }
                s.linux.task.sys = Some(EnterCall::sq_thread_pass(ring, n));
                true
            });
            if !begun {
                super::enter::run_step();
            }
            sim::with(|s| {
                let done = s.linux.task.sys.is_none();
                swap_task(s, ring);
                s.linux.sqt_running = None;
                s.cur_ctx = Ctx::User;
                if done {
                    // `sqt_spin`: the pass found work, so a new idle period starts.
                    let now = jiffies(s.clock_ns);
                    if let Some(t) = thread_mut(s, ring) {
                        if t.pass_spin || t.timeout.is_none() {
                            t.timeout = Some(now + t.idle_jiffies);
                        }
                    }
                }
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
/// before `do_exit`); the simulator moves it to the application task's list, where it runs
/// (and, the ring being dead, cancels) on the task's next return to user mode.
pub fn io_sq_thread_stop(s: &mut Sim, ring: u32) {
    let items = match thread_mut(s, ring) {
        Some(t) if !t.stopped => {
            t.stopped = true;
            t.sleeping = false;
            core::mem::take(&mut t.task.tw)
        }
        _ => return,
    };
    s.emit(Event::sim_sqpoll_stop, ring, 0, 0, items.len() as i64, 0);
    s.linux.task.tw.extend(items);
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
