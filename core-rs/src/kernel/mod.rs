//! The Rust-for-Linux abstractions drivers are written against.
//!
//! Mirrors: `rust/kernel/` (the parts the uring_cmd series touches).
