//! Sample drivers, written only against [`crate::kernel`].
//!
//! Mirrors: `samples/rust/rust_misc_device.rs` and the drivers the review thread discusses.
