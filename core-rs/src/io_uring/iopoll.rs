//! `IORING_SETUP_IOPOLL`: completions found by polling, for uring_cmd.
//!
//! Mirrors (Linux 6.18): `io_uring/uring_cmd.c:io_uring_cmd` (a file without
//! `->uring_cmd_iopoll` is refused with `-EOPNOTSUPP`; `IO_URING_F_IOPOLL` is added,
//! `iopoll_completed = 0`), `io_uring/io_uring.c:io_issue_sqe` → `io_iopoll_req_issued` (a
//! request that returned `IOU_ISSUE_SKIP_COMPLETE` goes on `ctx->iopoll_list`),
//! `io_uring/uring_cmd.c:__io_uring_cmd_done` (on an IOPOLL ring only
//! `smp_store_release(&req->iopoll_completed, 1)`: no CQE, no task_work),
//! `io_uring/rw.c:io_do_iopoll` (walk the list, call `io_uring_classic_poll` →
//! `f_op->uring_cmd_iopoll` for each request not completed yet, then reap the completed prefix
//! into CQEs with `__io_submit_flush_completions`) and `io_uring/io_uring.c:io_iopoll_check`
//! (the GETEVENTS loop of `io_uring_enter` on an IOPOLL ring, in `enter.rs`).
//!
//! Simplifications: no `io_comp_batch` (a hook that finds a completion completes the command
//! itself, as NVMe does since commit 9ce6c9875f3e: through task_work); `BLM_POLL_ONESHOT` is
//! passed on but changes nothing; `need_resched()` is modelled as [`MAX_PASSES`] polling
//! passes without reaching `min_events` (the loop then returns 0 with fewer events, as the
//! kernel does when it must reschedule); `HYBRID_IOPOLL` is refused at setup.

use super::types::*;
use super::*;

/// `BLK_POLL_ONESHOT`: poll once, do not spin (set when a hook found something, or when the
/// caller asked for no events).
pub const BLK_POLL_ONESHOT: u32 = 1 << 0;

/// Polling passes after which the simulated task "must reschedule" and `io_iopoll_check`
/// returns with fewer events than asked for.
pub const MAX_PASSES: u32 = 2_000;

/// One `io_do_iopoll` pass over `ctx->iopoll_list`. Called with no simulator borrow held (the
/// hooks are drivers). Returns `(requests listed, completions reaped into CQEs)`.
pub fn io_do_iopoll(ring: u32, force_nonspin: bool) -> (u32, u32) {
    let list = match sim::with(|s| s.ring(ring).map(|c| c.iopoll_list.clone())) {
        Some(l) => l,
        None => return (0, 0),
    };
    let mut poll_flags = if force_nonspin { BLK_POLL_ONESHOT } else { 0 };
    // Where the walk stopped: at the first completed request (`pos`); none, and nothing is
    // reaped ("else if (!pos) return 0").
    let mut stop = None;
    for (at, &idx) in list.iter().enumerate() {
        // A completed request ends the walk: it and the ones before it get reaped.
        let hook = sim::with(|s| {
            let ctx = live!(s.ring_mut(ring));
            let r = live!(ctx.req_mut(idx));
            if r.iopoll_completed || r.cmd.file.is_null() {
                return None;
            }
            let cmd = &mut r.cmd as *mut io_uring_cmd;
            let (serial, ud) = (r.serial, r.user_data);
            // SAFETY: the request holds a reference to its live boxed file.
            let f = unsafe { (*r.cmd.file).f_op.uring_cmd_iopoll };
            let flags = ctx.ctx_issue_flags();
            // The poller holds uring_lock: the hook runs in that context.
            let prev = s.io_uring.ucmd.cur_issue.replace(uring_cmd::IssueCtx {
                ring,
                serial,
                flags,
            });
            set_ctx(s, Ctx::Driver);
            f.map(|h| (h, cmd, serial, ud, prev))
        });
        let (h, cmd, serial, ud, prev) = match hook {
            Some(x) => x,
            None => {
                stop = Some(at);
                break;
            }
        };
        // SAFETY: `cmd` is a live request's command in flight; `h` is its file's own hook.
        let found = unsafe { h(cmd, poll_flags) };
        let done = sim::with(|s| {
            s.cur_src = 0;
            s.io_uring.ucmd.cur_issue = prev;
            s.emit(Event::sim_iopoll_hook, ring, serial, ud, found as i64, 0);
            set_ctx(s, Ctx::Core);
            let r = live!(s.req(Req::new(ring, idx)));
            r.serial != serial || r.iopoll_completed
        });
        if found < 0 {
            // The hook's error ends the pass (`io_iopoll_check` would return it; the
            // simulator's drivers never fail here).
            break;
        }
        if found > 0 {
            poll_flags |= BLK_POLL_ONESHOT;
        }
        if done {
            stop = Some(at);
            break;
        }
    }
    sim::with(|s| {
        let ctx = live!(s.ring_mut(ring));
        let listed = ctx.iopoll_list.len() as u32;
        // From where the walk stopped, the run of completed requests is reaped; requests
        // polled before it stay on the list.
        let from = stop
            .unwrap_or(ctx.iopoll_list.len())
            .min(ctx.iopoll_list.len());
        let mut to = from;
        while to < ctx.iopoll_list.len() && live!(ctx.req(ctx.iopoll_list[to])).iopoll_completed {
            to += 1;
        }
        let reaped: Vec<u32> = ctx.iopoll_list.drain(from..to).collect();
        for &idx in &reaped {
            io_req_complete_defer(s, Req::new(ring, idx));
        }
        if !reaped.is_empty() {
            io_submit_flush_completions(s, ring);
        }
        s.emit(
            Event::sim_iopoll_pass,
            ring,
            0,
            0,
            listed as i64,
            reaped.len() as i64,
        );
        (listed, reaped.len() as u32)
    })
}
