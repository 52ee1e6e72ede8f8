//! The scheduler: picks and runs the next unit of kernel work.
//!
//! Priority, highest first: the task's own syscall (unless it sleeps); waking a sleeping
//! waiter; io-wq workers; the system workqueue; task_work of a task in user mode (when the
//! ring notifies with `TWA_SIGNAL`); the flush that ends such a task_work batch; the earliest
//! timer (the clock jumps to it); a sleeping waiter's timeout; a waiter nothing can wake.
//!
//! Each unit of work advances the clock by [`STEP_NS`], so the timeline has a time axis even
//! where nothing sleeps.

use super::*;
use crate::io_uring::{self, enter, tw};
use crate::uapi::io_uring::IORING_SETUP_COOP_TASKRUN;

/// Simulated duration of one unit of work.
pub const STEP_NS: u64 = 100;

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
}

enum Unit {
    Syscall,
    IoWq(u32, u32, u32),
    Work(WorkItem),
    UserTw(crate::io_uring::types::TwItem),
    UserTwFlush,
    Timer(Timer),
    Timeout(u64),
    Deadlock,
}

fn pick(s: &mut Sim) -> Option<Unit> {
    if let Some(c) = &s.task.sys {
        if c.phase != enter::Phase::Sleeping || enter::should_wake(s) {
            return Some(Unit::Syscall);
        }
    }
    if let Some((r, i, n)) = s.iowq.pop_front() {
        return Some(Unit::IoWq(r, i, n));
    }
    if let Some(w) = s.work.pop_front() {
        return Some(Unit::Work(w));
    }
    if s.task.sys.is_none() {
        let signal = s.task.tw.front().map_or(false, |it| {
            s.ring(it.ring)
                .map_or(true, |c| c.flags & IORING_SETUP_COOP_TASKRUN == 0)
        });
        if signal {
            return s.task.tw.pop_front().map(Unit::UserTw);
        }
        if s.task_tw_flush {
            s.task_tw_flush = false;
            return Some(Unit::UserTwFlush);
        }
    }
    if !s.timers.is_empty() {
        let (i, _) = s
            .timers
            .iter()
            .enumerate()
            .min_by_key(|(_, t)| (t.deadline_ns, t.seq))
            .expect("non-empty");
        let t = s.timers.remove(i);
        return Some(Unit::Timer(t));
    }
    if let Some(d) = enter::deadline(s) {
        return Some(Unit::Timeout(d));
    }
    if s.task.sys.is_some() {
        return Some(Unit::Deadlock);
    }
    None
}

/// Runs exactly one unit of kernel work; returns what ran.
pub fn step() -> StepKind {
    let unit = with(|s| {
        let u = pick(s);
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
        Unit::IoWq(ring, idx, serial) => {
            let live = with(|s| {
                s.cur_ctx = Ctx::IoWq;
                s.ring(ring).map_or(false, |c| c.req(idx).serial == serial)
            });
            if live {
                io_uring::io_wq_submit_work(ring, idx);
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
                s.task_tw_flush = true;
                s.cur_ctx = Ctx::User;
            });
            StepKind::TaskWork
        }
        Unit::UserTwFlush => {
            with(|s| {
                s.cur_ctx = Ctx::TaskWork;
                enter::flush_all_rings(s);
                s.cur_ctx = Ctx::User;
            });
            StepKind::TaskWork
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
        s.cur_ctx = if s.task.sys.is_some() {
            Ctx::Core
        } else {
            Ctx::User
        };
        s.cur_src = 0;
    });
}

/// Runs steps until the task's syscall returns; returns its result.
///
/// Bounded by `max_steps`; a syscall still running after that many steps is reported as
/// `-EINTR` (it cannot happen in a scenario that terminates).
pub fn run_syscall_to_completion(max_steps: u64) -> i32 {
    for _ in 0..max_steps {
        if with(|s| s.task.sys.is_none()) {
            break;
        }
        step();
    }
    with(|s| {
        if s.task.sys.is_some() {
            return -crate::uapi::errno::EINTR;
        }
        s.task.last_ret.unwrap_or(0)
    })
}
