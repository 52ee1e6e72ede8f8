//! Synchronisation primitives.
//!
//! Mirrors: `rust/kernel/sync.rs`, `rust/kernel/sync/lock/mutex.rs` (`Mutex`, `new_mutex!`),
//! `rust/kernel/sync/arc.rs` (`Arc`).
//!
//! Differences from upstream: the simulator is single-threaded and a driver callback never
//! runs concurrently with another, so [`Mutex`] is a `RefCell`: `lock()` panics (a simulator
//! bug report, not a deadlock) if a driver re-enters its own lock. [`Arc`] is std's. There is
//! no pin-init: `new_mutex!(v)` is `Mutex::new(v)`.

use core::cell::{RefCell, RefMut};
use core::ops::{Deref, DerefMut};

pub use std::sync::Arc;

/// A mutual-exclusion lock.
pub struct Mutex<T> {
    data: RefCell<T>,
}

// SAFETY: kernel objects are only touched by the one thread that runs the simulator (the wasm
// module has one thread; each native test thread has its own simulator and its own drivers), so
// no two threads ever reach the same `RefCell`. Upstream `Mutex<T>` is `Sync` for `T: Send`, and
// drivers rely on that to put it in an `Arc` shared with work items.
unsafe impl<T: Send> Sync for Mutex<T> {}

/// The guard [`Mutex::lock`] returns; the lock is released when it is dropped.
pub struct Guard<'a, T> {
    inner: RefMut<'a, T>,
}

impl<T> Mutex<T> {
    /// Creates a mutex around `data`.
    pub fn new(data: T) -> Self {
        Mutex {
            data: RefCell::new(data),
        }
    }

    /// Acquires the lock.
    ///
    /// # Panics
    ///
    /// Panics if the lock is already held (a single-threaded simulator cannot block).
    pub fn lock(&self) -> Guard<'_, T> {
        Guard {
            inner: self.data.borrow_mut(),
        }
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

/// Creates a [`Mutex`] (upstream: a pin-initialiser with a lock class).
#[macro_export]
macro_rules! new_mutex {
    ($v:expr) => {
        $crate::kernel::sync::Mutex::new($v)
    };
}
