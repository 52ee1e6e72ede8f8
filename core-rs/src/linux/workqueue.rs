//! Workqueues and timers: deferred work that runs later in a kworker ("device" context).
//!
//! Mirrors: `kernel/workqueue.c` (`queue_work`, `queue_delayed_work` on `system_wq`), and
//! `fs/file_table.c` (`fput` handing the final `__fput` to `delayed_fput` when it cannot run
//! it in place).
//!
//! Differences from upstream: one system workqueue, one worker; a delayed work item is a
//! simulator timer ([`crate::sim::Sim::add_timer`]) whose delay is in nanoseconds of simulated
//! time (upstream: jiffies). Work items run without any io_uring lock held, so an
//! `io_uring_cmd_done` from here must pass `IO_URING_F_UNLOCKED` (the uring_cmd sanitizers
//! check it).

use core::ffi::c_void;

use crate::linux::fs::file;
use crate::sim::{Sim, WorkItem};
use crate::trace::Event;

/// `queue_work(system_wq, work)`.
pub fn queue_work(s: &mut Sim, item: WorkItem) {
    let ring = s.cur_req().0;
    s.emit(Event::sim_work_queue, ring, item.req, 0, 0, 0);
    s.queue_work(item);
}

/// `queue_delayed_work(system_wq, work, delay)`: runs `item` once `delay_ns` have passed.
pub fn queue_delayed_work(s: &mut Sim, item: WorkItem, delay_ns: u64) {
    let ring = s.cur_req().0;
    s.emit(Event::sim_work_queue, ring, item.req, 0, delay_ns as i64, 1);
    s.add_timer(delay_ns, item);
}

/// The final `fput` of a file with a `->release()` from inside the kernel (`io_free_req`):
/// the release runs later from the workqueue (`delayed_fput`), never under the caller's locks.
///
/// Files without a `->release()` are simply freed.
pub fn fput_deferred(s: &mut Sim, fl: Box<file>) {
    if fl.f_op.release.is_none() {
        return;
    }
    let item = WorkItem {
        func: delayed_fput,
        data: Box::into_raw(fl) as *mut c_void,
        req: 0,
    };
    s.queue_work(item);
}

/// `delayed_fput`: runs `->release()` of a file whose last reference went away earlier.
///
/// # Safety
///
/// `data` must come from [`fput_deferred`] (a `Box<file>` turned into a raw pointer) and be
/// passed here exactly once.
unsafe fn delayed_fput(data: *mut c_void) {
    // SAFETY: the caller guarantees `data` is the `Box<file>` leaked by `fput_deferred`.
    let fl = unsafe { Box::from_raw(data as *mut file) };
    crate::linux::fs::__fput(fl);
}
