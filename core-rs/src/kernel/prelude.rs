//! The kernel prelude: what most drivers import.
//!
//! Mirrors: `rust/kernel/prelude.rs`.

pub use core::pin::Pin;

pub use crate::kernel::error::code::*;
pub use crate::kernel::error::{Error, Result};
pub use crate::{dev_err, dev_info, new_mutex, pr_err, pr_info};
