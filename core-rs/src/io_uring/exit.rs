//! Ring teardown: closing the last reference to a ring cancels what can be cancelled, then
//! waits for every request to go.
//!
//! Mirrors: `io_uring/io_uring.c` (`io_uring_release` → `io_ring_ctx_wait_and_kill`, which
//! queues `io_ring_exit_work` on a workqueue; `io_ring_exit_work` →
//! `io_uring_try_cancel_requests`: io-wq work, uring_cmds via `io_uring_try_cancel_uring_cmd`,
//! DEFER_TASKRUN work moved to the fallback worker by `io_move_task_work_from_local`), as of
//! Linux 6.18.
//!
//! The exit work is a loop. Each pass calls `io_uring_try_cancel_requests` *until it returns
//! false*: a cancelable command still on `ctx->cancelable_uring_cmd` makes
//! `io_uring_try_cancel_uring_cmd` return true, so a driver that does not complete the command
//! inside its `IO_URING_F_CANCEL` call (it defers the completion to a workqueue, or ignores
//! the call) is called again and again — the exit work spins (`cond_resched()` between
//! calls), and drivers must be idempotent (ublk marks its commands cancelled). Then the pass
//! waits on `ctx->ref_comp` for `HZ / 20`; if requests still hold the ring, the next pass
//! starts. After 5 minutes `WARN_ON_ONCE(time_after(jiffies, timeout))` fires and the interval
//! becomes 60 s; a request nobody completes keeps the ring forever.
//!
//! Differences from upstream, each kept behaviour-equivalent:
//! - One spin iteration is one unit of work rescheduled [`SPIN_NS`] later, so work the driver
//!   queued can run in between (upstream that work runs on another CPU while the exit work
//!   spins). After [`SPIN_CAP`] iterations in one pass the simulator falls back to the
//!   `HZ / 20` wait so a driver that never completes cannot spin forever (upstream it would:
//!   a soft lockup); after [`MAX_SPIN_PASSES`] such passes it only waits.
//! - The quiet passes of a wait (nothing cancelable, nothing to run) change nothing, so the
//!   simulator does not run them one by one: it waits until the 5-minute warning and then
//!   schedules no more passes (upstream: one a minute, forever, each changing nothing); the
//!   wait ends whenever the last request is freed
//!   ([`ring_maybe_freed`], the `complete(&ctx->ref_comp)` of `io_ring_ctx_ref_free`).
//! - A command completed without `IO_URING_F_COMPLETE_DEFER` after the ring died is flushed
//!   at once by `__io_uring_cmd_done` (upstream its task_work runs in the task; same CQE).
//!
//! The ring's memory stays mapped so the page can still show it.

use core::ffi::c_void;

use super::types::*;
use super::*;
use crate::linux::fs::file;
use crate::sim::WorkItem;

/// The io_uring instance's own `io_uring_fops` (no `uring_cmd`): closing the last reference
/// to a ring goes through its `->release()`.
pub static IO_URING_FOPS: crate::linux::fs::file_operations = crate::linux::fs::file_operations {
    name: "io_uring_fops",
    uring_cmd: None,
    uring_cmd_iopoll: None,
    release: Some(io_uring_release),
};

/// `io_uring_release`: the ring file's last reference went away (`close` of the ring fd).
///
/// # Safety
///
/// The caller must ensure that `filp` is a live io_uring file and that no simulator borrow is
/// held.
pub unsafe fn io_uring_release(filp: *mut file) {
    // SAFETY: the caller guarantees `filp` is live.
    let ring = match unsafe { (*filp).kind } {
        FileKind::IoUring(id) => id,
        _ => return,
    };
    sim::with(|s| io_ring_ctx_wait_and_kill(s, ring));
}

/// `io_ring_ctx_wait_and_kill`: mark the ring dying, drop its registered files
/// (`io_sqe_files_unregister`) and queue its exit work.
pub fn io_ring_ctx_wait_and_kill(s: &mut Sim, ring: u32) {
    let ctx = match s.ring_mut(ring) {
        Some(c) => c,
        None => return,
    };
    if ctx.dead {
        return;
    }
    ctx.dead = true;
    // `io_sq_thread_finish`: the SQPOLL thread stops submitting for a dying ring and exits.
    sqpoll::io_sq_thread_stop(s, ring);
    let ctx = live!(s.ring_mut(ring));
    let files = core::mem::take(&mut ctx.file_table);
    for f in files.into_iter().flatten() {
        fput(s, f);
    }
    s.queue_work(WorkItem {
        func: io_ring_exit_work,
        data: ring as usize as *mut c_void,
        req: 0,
    });
}

/// Simulated cost of one iteration of the exit work's cancel spin.
pub const SPIN_NS: u64 = 1_000;
/// Spin iterations per pass before the simulator waits instead (see the module docs).
pub const SPIN_CAP: u32 = 64;
/// `HZ / 20`: the wait between passes.
pub const EXIT_INTERVAL_NS: u64 = 50_000_000;
/// `HZ * 60 * 5`: when the exit work warns.
pub const EXIT_WARN_NS: u64 = 300_000_000_000;
/// Passes in which the simulator still spins on a driver that keeps the command cancelable.
pub const MAX_SPIN_PASSES: u32 = 4;
/// `HZ * 60`: the wait between passes after the warning.
pub const EXIT_LATE_INTERVAL_NS: u64 = 60_000_000_000;

/// Requests of the ring still holding a reference (not back in the cache).
fn inflight(ctx: &IoRingCtx) -> usize {
    ctx.reqs
        .iter()
        .filter(|r| !matches!(r.state, ReqState::Free))
        .count()
}

/// `io_ring_ctx_ref_free` → `complete(&ctx->ref_comp)`: once the exit work has started and
/// the last request is gone, the wait ends and the ring is freed. Called when a request of a
/// dead ring is freed and by the exit work itself.
pub fn ring_maybe_freed(s: &mut Sim, ring: u32) {
    let (passes, calls) = match s.ring_mut(ring) {
        Some(c) if c.dead && c.exit.passes > 0 && !c.exit.freed && inflight(c) == 0 => {
            c.exit.freed = true;
            (c.exit.passes, c.exit.cancel_calls)
        }
        _ => return,
    };
    // The exit work's pending wait ends: drop its timer.
    let exit_fn = io_ring_exit_work as unsafe fn(*mut c_void) as usize;
    s.linux
        .timers
        .retain(|t| !(t.item.func as usize == exit_fn && t.item.data as usize == ring as usize));
    s.emit(
        Event::sim_ring_freed,
        ring,
        0,
        0,
        passes as i64,
        calls as i64,
    );
}

/// One pass (or one spin iteration) of `io_ring_exit_work`: cancel queued io-wq work, ask
/// drivers to cancel their cancelable commands (`IO_URING_F_CANCEL`), run the ring's pending
/// DEFER_TASKRUN work from the fallback worker (with `tw.cancel` set) and flush the
/// completions; then spin, wait or finish as the module docs describe. The overflow list of a
/// dying ring is freed without posting (`io_cqring_overflow_kill`).
///
/// # Safety
///
/// `data` is the ring id; the function is only called by the workqueue.
unsafe fn io_ring_exit_work(data: *mut c_void) {
    let ring = data as usize as u32;
    let first = sim::with(|s| {
        let now = s.clock_ns;
        let ctx = match s.ring_mut(ring) {
            Some(c) if !c.exit.freed => c,
            _ => return None,
        };
        ctx.overflow.clear();
        let first = ctx.exit.passes == 0;
        if first {
            ctx.exit.passes = 1;
            ctx.exit.started_ns = now;
        }
        let counts = (ctx.cancelable.len() as i64, inflight(ctx) as i64);
        Some((first, counts))
    });
    let (first, (cancelable, inflight_now)) = match first {
        Some(v) => v,
        None => return,
    };
    let cancelled_iowq = sim::with(|s| {
        if first {
            s.emit(Event::sim_ring_exit, ring, 0, 0, cancelable, inflight_now);
        }
        // io_uring_try_cancel_iowq: queued io-wq work fails with -ECANCELED.
        let queued: Vec<(Req, u32)> = s
            .io_uring
            .iowq
            .iter()
            .copied()
            .filter(|w| w.0.ring == ring)
            .collect();
        s.io_uring.iowq.retain(|w| w.0.ring != ring);
        let n = queued.len();
        for (req, serial) in queued {
            if s.req(req).map_or(false, |r| r.serial == serial) {
                io_req_defer_failed(s, req, -ECANCELED);
            }
        }
        n
    });
    let calls = uring_cmd::io_uring_try_cancel_uring_cmd(ring);
    let killed = sim::with(|s| {
        // `io_poll_remove_all` and `io_kill_timeouts`.
        poll::io_poll_remove_all(s, ring) + timeout::io_kill_timeouts(s, ring)
    });
    // io_move_task_work_from_local: pending local work runs in the fallback worker, cancelled.
    let mut ran = 0;
    loop {
        let item = sim::with(|s| s.ring_mut(ring).and_then(|c| c.local_work.pop_front()));
        match item {
            Some(it) => {
                tw::run_tw_item(it, true);
                ran += 1;
            }
            None => break,
        }
    }
    // IOPOLL ring: `io_uring_try_cancel_requests` polls while the iopoll list is not empty
    // (`io_iopoll_try_reap_events` → `io_do_iopoll`), returning true: one pass per iteration.
    let polling = sim::with(|s| s.ring(ring).map_or(false, |c| !c.iopoll_list.is_empty()));
    if polling {
        iopoll::io_do_iopoll(ring, true);
    }
    sim::with(|s| {
        set_ctx(s, Ctx::Device);
        io_submit_flush_completions(s, ring);
        let now = s.clock_ns;
        let ctx = match s.ring_mut(ring) {
            Some(c) => c,
            None => return,
        };
        let progressed = calls > 0 || cancelled_iowq > 0 || killed > 0 || ran > 0 || polling;
        if inflight(ctx) == 0 {
            ring_maybe_freed(s, ring);
            return;
        }
        let item = WorkItem {
            func: io_ring_exit_work,
            data: ring as usize as *mut c_void,
            req: 0,
        };
        let spinning = progressed && ctx.exit.passes <= MAX_SPIN_PASSES;
        // `while (io_uring_try_cancel_requests(...)) cond_resched();`
        if spinning && ctx.exit.cancel_calls < SPIN_CAP * ctx.exit.passes {
            s.add_timer(SPIN_NS, item);
            return;
        }
        // The wait on ctx->ref_comp; the next pass starts when it times out.
        ctx.exit.passes += 1;
        let warn_at = ctx.exit.started_ns + EXIT_WARN_NS;
        if ctx.exit.warned {
            return;
        }
        if now >= warn_at {
            ctx.exit.warned = true;
            let n = inflight(ctx) as i64;
            s.emit(Event::sim_warn, ring, 0, 0, 2, n << 32);
            // From here the kernel retries every EXIT_LATE_INTERVAL_NS, forever, changing
            // nothing; the simulator stops scheduling passes (module docs).
            return;
        }
        let delay = if spinning {
            EXIT_INTERVAL_NS
        } else {
            // Quiet passes until the warning change nothing: skip to it (module docs).
            warn_at - now
        };
        s.add_timer(delay, item);
    });
}
