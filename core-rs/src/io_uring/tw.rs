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
pub fn io_req_task_work_add(s: &mut Sim, ring: u32, idx: u32, func: TwFunc, lazy: bool) {
    let (serial, ud, flags) = {
        let ctx = s.ring_mut(ring).expect("ring");
        let r = ctx.req(idx);
        (r.serial, r.user_data, ctx.flags)
    };
    req_set_state(s, ring, idx, ReqState::TwPending);
    let item = TwItem {
        ring,
        req: idx,
        serial,
        func,
        lazy,
    };
    let defer = flags & IORING_SETUP_DEFER_TASKRUN != 0;
    // `io_req_local_work_add`: a linked request never waits lazily.
    let lazy = lazy && s.ring(ring).expect("ring").req(idx).flags & IO_REQ_LINK_FLAGS == 0;
    let item = TwItem { lazy, ..item };
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
        TwFunc::FailLinks => sim::with(|s| io_req_tw_fail_links(s, ring, idx)),
        TwFunc::Submit => io_req_task_submit(ring, idx),
        TwFunc::UringCmd(cb) => uring_cmd::run_uring_cmd_tw(ring, idx, item.serial, cb),
        TwFunc::Apoll => poll::io_apoll_task_func(ring, idx),
        TwFunc::LinkTimeout => sim::with(|s| timeout::io_req_task_link_timeout(s, ring, idx)),
    }
}

/// `io_req_task_submit`: issues a request queued by its link predecessor or let go by a
/// drain. A dying ring fails it with `-EFAULT`; `REQ_F_FORCE_ASYNC` sends it to io-wq.
pub fn io_req_task_submit(ring: u32, idx: u32) {
    let (cancel, force_async) = sim::with(|s| {
        let ctx = s.ring(ring).expect("ring");
        (ctx.dead, ctx.req(idx).flags & REQ_F_FORCE_ASYNC != 0)
    });
    if cancel {
        sim::with(|s| io_req_defer_failed(s, ring, idx, -EFAULT));
    } else if force_async {
        sim::with(|s| io_queue_iowq(s, ring, idx));
    } else {
        io_queue_sqe(ring, idx, 0);
    }
}

/// `io_req_tw_fail_links`: completes every request of the cancelled chain starting at
/// `first`, each with its own error if it failed at submission and `-ECANCELED` otherwise.
fn io_req_tw_fail_links(s: &mut Sim, ring: u32, first: u32) {
    let mut cur = Some(first);
    while let Some(m) = cur {
        let r = s.ring_mut(ring).expect("ring").req_mut(m);
        let nxt = r.link.take();
        let res = if r.flags & REQ_F_FAIL != 0 {
            r.cqe.res
        } else {
            -ECANCELED
        };
        r.cqe.res = res;
        r.cqe.flags = 0;
        io_req_complete_defer(s, ring, m);
        cur = nxt;
    }
}
