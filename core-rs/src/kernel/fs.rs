//! Kernel file systems.
//!
//! Mirrors: `rust/kernel/fs.rs`.

pub mod file;
pub use file::File;
