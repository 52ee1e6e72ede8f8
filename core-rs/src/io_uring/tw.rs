//! task_work: completions and re-issues that must run in the submitting task.
//!
//! Mirrors: `io_uring/tw.c` (`__io_req_task_work_add`, `io_req_local_work_add`,
//! `io_req_normal_work_add`, `tctx_task_work`, `__io_run_local_work`), the link handling of
//! `io_uring/io_uring.c` (`io_queue_next`, `io_fail_links`, `io_req_task_submit`) and the
//! TASKRUN flag (`IORING_SQ_TASKRUN`).
//!
//! Differences from upstream: with normal task_work the kernel notifies the task with
//! `TWA_SIGNAL`, which interrupts it in user mode almost at once; the simulator runs such items
//! at the next step while the task is in user mode. With `COOP_TASKRUN` (`TWA_SIGNAL_NO_IPI`)
//! they wait until the task next enters the kernel, and with `DEFER_TASKRUN` until it waits in
//! `io_uring_enter(GETEVENTS)`, as upstream.

use super::types::*;
use super::*;

/// `io_req_task_work_add`: queue `func` to run for the request in the submitting task.
pub fn io_req_task_work_add(s: &mut Sim, ring: u32, idx: u32, func: TwFunc, lazy: bool) {
    let (serial, ud, flags) = {
        let ctx = s.ring_mut(ring).expect("ring");
        let r = ctx.req_mut(idx);
        r.state = ReqState::TwPending;
        (r.serial, r.user_data, ctx.flags)
    };
    let item = TwItem {
        ring,
        req: idx,
        serial,
        func,
        lazy,
    };
    let defer = flags & IORING_SETUP_DEFER_TASKRUN != 0;
    if defer {
        s.ring_mut(ring).expect("ring").local_work.push_back(item);
    } else {
        s.task.tw.push_back(item);
    }
    if flags & IORING_SETUP_TASKRUN_FLAG != 0 {
        let ctx = s.ring_mut(ring).expect("ring");
        let f = ctx.rings.read_once_u32(rings_off::SQ_FLAGS);
        ctx.rings
            .write_once_u32(rings_off::SQ_FLAGS, f | IORING_SQ_TASKRUN);
    }
    s.emit(
        Event::io_uring_task_add,
        ring,
        serial,
        ud,
        lazy as i64,
        defer as i64,
    );
}

/// Clears `IORING_SQ_TASKRUN` when the task starts running its task_work.
pub fn clear_taskrun_flag(s: &mut Sim, ring: u32) {
    if let Some(ctx) = s.ring_mut(ring) {
        if ctx.flags & IORING_SETUP_TASKRUN_FLAG != 0 {
            let f = ctx.rings.read_once_u32(rings_off::SQ_FLAGS);
            ctx.rings
                .write_once_u32(rings_off::SQ_FLAGS, f & !IORING_SQ_TASKRUN);
        }
    }
}

/// Runs one task_work item. Called with no simulator borrow held (driver callbacks run here).
///
/// Every callback runs with `uring_lock` held and may complete with
/// `IO_URING_F_COMPLETE_DEFER`; the caller flushes completions after the batch.
pub fn run_tw_item(item: TwItem, local: bool) {
    let ok = sim::with(|s| {
        // The fallback worker (`io_fallback_tw`, ring teardown) runs task_work in a kworker.
        if s.cur_ctx != Ctx::Device {
            set_ctx(s, Ctx::TaskWork);
        }
        clear_taskrun_flag(s, item.ring);
        let live = s.ring(item.ring).map_or(false, |c| {
            c.reqs
                .get(item.req as usize)
                .map_or(false, |r| r.serial == item.serial)
        });
        let ud = if live {
            s.ring(item.ring).expect("ring").req(item.req).user_data
        } else {
            0
        };
        s.emit(
            Event::sim_task_work_run,
            item.ring,
            item.serial,
            ud,
            local as i64,
            0,
        );
        live
    });
    if !ok {
        return;
    }
    let (ring, idx) = (item.ring, item.req);
    match item.func {
        TwFunc::Complete => sim::with(|s| io_req_complete_defer(s, ring, idx)),
        TwFunc::Fail(e) => sim::with(|s| io_req_defer_failed(s, ring, idx, e)),
        TwFunc::Submit => {
            sim::with(|s| s.ring_mut(ring).expect("ring").req_mut(idx).state = ReqState::Issuing);
            io_issue_sqe(ring, idx, IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER);
        }
        TwFunc::UringCmd(cb) => uring_cmd::run_uring_cmd_tw(ring, idx, item.serial, cb),
    }
}

/// `io_queue_next` / `io_fail_links`: start or cancel the rest of a link chain.
pub fn io_queue_next(s: &mut Sim, ring: u32, idx: u32) {
    let (next, failed, hard) = {
        let r = s.ring_mut(ring).expect("ring").req_mut(idx);
        (
            r.link.take(),
            r.flags & REQ_F_FAIL != 0,
            r.flags & REQ_F_HARDLINK != 0,
        )
    };
    let next = match next {
        Some(n) => n,
        None => return,
    };
    if failed && !hard {
        // `io_fail_links`: every member completes with -ECANCELED (or its own error if it
        // already failed at init), in chain order.
        let mut cur = Some(next);
        let head_serial = s.ring(ring).expect("ring").req(idx).serial;
        while let Some(m) = cur {
            let (res, serial, ud, nxt) = {
                let r = s.ring_mut(ring).expect("ring").req_mut(m);
                let res = if r.flags & REQ_F_FAIL != 0 {
                    r.cqe.res
                } else {
                    -ECANCELED
                };
                r.flags |= REQ_F_FAIL;
                r.flags &= !REQ_F_CQE_SKIP;
                r.cqe.res = res;
                r.cqe.flags = 0;
                (res, r.serial, r.user_data, r.link.take())
            };
            s.emit(
                Event::io_uring_fail_link,
                ring,
                serial,
                ud,
                head_serial as i64,
                res as i64,
            );
            io_req_task_work_add(s, ring, m, TwFunc::Complete, false);
            cur = nxt;
        }
        return;
    }
    io_req_task_work_add(s, ring, next, TwFunc::Submit, false);
}
