//! task_work: completions and re-issues that must run in the submitting task.
//!
//! Mirrors: `io_uring/tw.c` (`__io_req_task_work_add`, `io_req_local_work_add`,
//! `io_req_normal_work_add`, `tctx_task_work`, `io_handle_tw_list`, `__io_run_local_work`),
//! the task_work callbacks of `io_uring/io_uring.c` (`io_req_task_complete`,
//! `io_req_task_submit`, `io_req_task_cancel`, `io_req_tw_fail_links`) and the TASKRUN flag
//! (`IORING_SQ_TASKRUN`).
//!
//! The task runs its queued items in batches: the items queued when a run starts, then one
//! completion flush (`ctx_flush_and_put`); items those callbacks or that flush queue form the
//! next batch. Callers drive a batch one item per step (see [`crate::io_uring::enter`]).
//!
//! Differences from upstream: with normal task_work the kernel notifies the task with
//! `TWA_SIGNAL`, which interrupts it in user mode almost at once; the simulator runs such items
//! at the next step while the task is in user mode. With `COOP_TASKRUN` (`TWA_SIGNAL_NO_IPI`)
//! they wait until the task next enters the kernel, and with `DEFER_TASKRUN` until it waits in
//! `io_uring_enter(GETEVENTS)`, as upstream.

use super::types::*;
use super::*;

/// `io_req_task_work_add`: queue `func` to run for the request in the submitting task.
pub fn io_req_task_work_add(s: &mut Sim, req: Req, func: TwFunc, lazy: bool) {
    let Req { ring, idx } = req;
    let (serial, ud, flags) = {
        let ctx = live!(s.ring_mut(ring));
        let r = live!(ctx.req(idx));
        (r.serial, r.user_data, ctx.flags)
    };
    req_set_state(s, req, ReqState::TwPending);
    let item = TwItem {
        req,
        serial,
        func,
        lazy,
    };
    let defer = flags & IORING_SETUP_DEFER_TASKRUN != 0;
    // `io_req_local_work_add`: a linked request never waits lazily.
    let lazy = lazy && live!(s.req(req)).flags & IO_REQ_LINK_FLAGS == 0;
    let item = TwItem { lazy, ..item };
    if flags & IORING_SETUP_SQPOLL != 0 && sqpoll::thread_tw(s, ring).is_some() {
        // The request belongs to the SQ thread: its task_work runs there
        // (`io_req_normal_work_add` → `__set_notify_signal` on the thread).
        if let Some(q) = sqpoll::thread_tw(s, ring) {
            q.push_back(item);
        }
        sqpoll::notify(s, ring);
    } else if defer {
        live!(s.ring_mut(ring)).local_work.push_back(item);
    } else {
        s.linux.task.tw.push_back(item);
        // `TWA_SIGNAL_NO_IPI` on a running task: nothing happens until its next return to
        // user mode; the latest is the next scheduler tick.
        if flags & IORING_SETUP_COOP_TASKRUN != 0 && s.linux.task.tw_tick_due.is_none() {
            let tick = crate::sim::TICK_NS;
            s.linux.task.tw_tick_due = Some((s.clock_ns / tick + 1) * tick);
        }
    }
    if flags & IORING_SETUP_TASKRUN_FLAG != 0 {
        let ctx = live!(s.ring_mut(ring));
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

/// Clears `IORING_SQ_TASKRUN` (`atomic_andnot` in `ctx_flush_and_put` and
/// `__io_run_local_work`).
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
        // `__io_run_local_work` clears IORING_SQ_TASKRUN before it runs the ring's local
        // work; normal task_work clears it in `ctx_flush_and_put`, after its batch
        // (see `enter::flush_all_rings`).
        if local {
            clear_taskrun_flag(s, item.req.ring);
        }
        let ud = s
            .req(item.req)
            .filter(|r| r.serial == item.serial)
            .map(|r| r.user_data);
        let live = ud.is_some();
        let ud = ud.unwrap_or(0);
        // For a uring_cmd callback: the issue_flags the kernel profile hands it.
        let flags = match item.func {
            TwFunc::UringCmd(_) if live => uring_cmd::tw_issue_flags(s, item.req.ring) as i64,
            _ => 0,
        };
        s.emit(
            Event::sim_task_work_run,
            item.req.ring,
            item.serial,
            ud,
            local as i64,
            flags,
        );
        live
    });
    if !ok {
        return;
    }
    let req = item.req;
    match item.func {
        TwFunc::Complete => sim::with(|s| io_req_complete_defer(s, req)),
        TwFunc::Fail(e) => sim::with(|s| io_req_defer_failed(s, req, e)),
        TwFunc::FailLinks => sim::with(|s| io_req_tw_fail_links(s, req)),
        TwFunc::Submit => io_req_task_submit(req),
        TwFunc::UringCmd(cb) => uring_cmd::run_uring_cmd_tw(req, item.serial, cb),
        TwFunc::Apoll => poll::io_apoll_task_func(req),
        TwFunc::LinkTimeout => sim::with(|s| timeout::io_req_task_link_timeout(s, req)),
    }
}

/// `io_req_task_submit`: issues a request queued by its link predecessor or let go by a
/// drain. A dying ring fails it with `-EFAULT`; `REQ_F_FORCE_ASYNC` sends it to io-wq.
pub fn io_req_task_submit(req: Req) {
    let Req { ring, idx } = req;
    let (cancel, force_async) = sim::with(|s| {
        let ctx = live!(s.ring(ring));
        (ctx.dead, live!(ctx.req(idx)).flags & REQ_F_FORCE_ASYNC != 0)
    });
    if cancel {
        sim::with(|s| io_req_defer_failed(s, req, -EFAULT));
    } else if force_async {
        sim::with(|s| io_queue_iowq(s, req));
    } else {
        io_queue_sqe(req, 0);
    }
}

/// `io_req_tw_fail_links`: completes every request of the cancelled chain starting at
/// `first`, each with its own error if it failed at submission and `-ECANCELED` otherwise.
fn io_req_tw_fail_links(s: &mut Sim, first: Req) {
    let ring = first.ring;
    let mut cur = Some(first.idx);
    while let Some(m) = cur {
        let r = live!(s.req_mut(Req::new(ring, m)));
        let nxt = r.link.take();
        let res = if r.flags & REQ_F_FAIL != 0 {
            r.cqe.res
        } else {
            -ECANCELED
        };
        r.cqe.res = res;
        r.cqe.flags = 0;
        io_req_complete_defer(s, Req::new(ring, m));
        cur = nxt;
    }
}
