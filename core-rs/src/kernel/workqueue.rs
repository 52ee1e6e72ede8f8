//! Work items and the system workqueue.
//!
//! Mirrors: `rust/kernel/workqueue.rs` (`WorkItem`, `Queue::enqueue`, `system()`, delayed work)
//! over `kernel/workqueue.c`.
//!
//! Differences from upstream: a work item is always an `Arc<T>` and carries no embedded
//! `Work` field (no `HasWork`/`impl_has_work!`): [`Queue::enqueue`] queues the `Arc` itself,
//! and every enqueue queues (there is no "already pending" bit). Delays are in nanoseconds of
//! simulated time instead of jiffies. Work runs in a kworker without any io_uring lock.

use core::ffi::c_void;
use core::panic::Location;

use crate::bindings;
use crate::kernel::sync::Arc;

/// A type that can run as work on a workqueue.
pub trait WorkItem {
    /// Runs the work item (upstream: `fn run(this: Self::Pointer)`, here the pointer is `Arc`).
    fn run(this: Arc<Self>);
}

/// A workqueue.
pub struct Queue {
    _private: (),
}

static SYSTEM: Queue = Queue { _private: () };

/// Returns the system workqueue (`system_wq`).
pub fn system() -> &'static Queue {
    &SYSTEM
}

/// Runs a queued item: turns the raw pointer back into the `Arc` and calls `T::run`.
///
/// # Safety
///
/// `ptr` must come from `Arc::into_raw` of an `Arc<T>` in [`Queue::enqueue`], passed here once.
unsafe fn run_item<T: WorkItem>(ptr: *mut c_void) {
    // SAFETY: the caller guarantees `ptr` is the `Arc` leaked by `enqueue`.
    let arc = unsafe { Arc::from_raw(ptr as *const T) };
    T::run(arc);
}

impl Queue {
    /// Enqueues a work item; it runs later in a kworker.
    ///
    /// # Errors
    ///
    /// Never fails here (upstream: `Err(item)` if it was already enqueued).
    #[track_caller]
    pub fn enqueue<T: WorkItem + 'static>(&self, w: Arc<T>) -> Result<(), Arc<T>> {
        bindings::sim::set_src(Location::caller());
        let data = Arc::into_raw(w) as *mut c_void;
        // SAFETY: `data` is the `Arc` leaked just above; `run_item::<T>` takes it back exactly
        // once when the work runs, and nothing else frees it.
        unsafe { bindings::queue_work(run_item::<T>, data) };
        Ok(())
    }

    /// Enqueues a work item that runs once `delay_ns` of simulated time have passed.
    ///
    /// # Errors
    ///
    /// Never fails here (upstream: `Err(item)` if it was already enqueued).
    #[track_caller]
    pub fn enqueue_delayed<T: WorkItem + 'static>(
        &self,
        w: Arc<T>,
        delay_ns: u64,
    ) -> Result<(), Arc<T>> {
        bindings::sim::set_src(Location::caller());
        let data = Arc::into_raw(w) as *mut c_void;
        // SAFETY: as in `enqueue`: `run_item::<T>` reclaims the leaked `Arc` exactly once.
        unsafe { bindings::queue_delayed_work(run_item::<T>, data, delay_ns) };
        Ok(())
    }
}
