//! Ring teardown: closing the last reference to a ring cancels what can be cancelled.
//!
//! Mirrors: `io_uring/io_uring.c` (`io_uring_release` → `io_ring_ctx_wait_and_kill`, which
//! queues `io_ring_exit_work` on a workqueue; `io_ring_exit_work` →
//! `io_uring_try_cancel_requests`: io-wq work, uring_cmds via `io_uring_try_cancel_uring_cmd`,
//! DEFER_TASKRUN work moved to the fallback worker by `io_move_task_work_from_local`).
//!
//! Differences from upstream: the exit work runs once. Upstream it loops every `HZ/20` until
//! every request has dropped its reference; here a command that completes later (a
//! non-cancelable one finished by its device) is flushed at once by `__io_uring_cmd_done`
//! (see there), so the outcome is the same without the retry loop. The ring's memory stays
//! mapped so the page can still show it.

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

/// `io_ring_exit_work`: cancel queued io-wq work, ask drivers to cancel their cancelable
/// commands (`IO_URING_F_CANCEL`), run the ring's pending DEFER_TASKRUN work from the fallback
/// worker (with `tw.cancel` set) and flush the completions. The overflow list of a dying ring
/// is freed without posting (`io_cqring_overflow_kill`).
///
/// # Safety
///
/// `data` is the ring id; the function is only called by the workqueue.
unsafe fn io_ring_exit_work(data: *mut c_void) {
    let ring = data as usize as u32;
    let (inflight, cancelable) = sim::with(|s| {
        let ctx = match s.ring_mut(ring) {
            Some(c) => c,
            None => return (0, 0),
        };
        ctx.overflow.clear();
        let inflight = ctx
            .reqs
            .iter()
            .filter(|r| !matches!(r.state, ReqState::Free))
            .count();
        (inflight as i64, ctx.cancelable.len() as i64)
    });
    sim::with(|s| {
        s.emit(Event::sim_ring_exit, ring, 0, 0, cancelable, inflight);
        // io_uring_try_cancel_iowq: queued io-wq work fails with -ECANCELED.
        let queued: Vec<(u32, u32, u32)> = s.iowq.iter().copied().filter(|w| w.0 == ring).collect();
        s.iowq.retain(|w| w.0 != ring);
        for (_, idx, serial) in queued {
            if s.ring(ring).map_or(false, |c| c.req(idx).serial == serial) {
                io_req_defer_failed(s, ring, idx, -ECANCELED);
            }
        }
    });
    uring_cmd::io_uring_try_cancel_uring_cmd(ring);
    sim::with(|s| {
        // `io_poll_remove_all` and `io_kill_timeouts`.
        poll::io_poll_remove_all(s, ring);
        timeout::io_kill_timeouts(s, ring);
    });
    // io_move_task_work_from_local: pending local work runs in the fallback worker, cancelled.
    loop {
        let item = sim::with(|s| s.ring_mut(ring).and_then(|c| c.local_work.pop_front()));
        match item {
            Some(it) => tw::run_tw_item(it, true),
            None => break,
        }
    }
    sim::with(|s| {
        set_ctx(s, Ctx::Device);
        io_submit_flush_completions(s, ring);
    });
}
