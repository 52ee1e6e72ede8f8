//! Time.
//!
//! Mirrors: `rust/kernel/time.rs` (`Instant::now` over `ktime_get`), reduced to what the
//! polled device needs: the monotonic clock in nanoseconds.

use crate::bindings;

/// The monotonic clock, in nanoseconds (`ktime_get_ns()`).
pub fn ktime_get_ns() -> u64 {
    bindings::ktime_get_ns()
}
