//! Printing: the `pr_*!` and `dev_*!` macros.
//!
//! Mirrors: `rust/kernel/print.rs` (`pr_info!`, `pr_err!`) and `rust/kernel/device.rs`
//! (`dev_info!`, `dev_err!`). Messages go to the simulated kernel log and appear in the trace
//! as `sim_driver_log` records pointing at the line that printed them.

/// Prints `msg` at `level`, stamping `file:line` (used by the macros).
#[doc(hidden)]
pub fn call_printk(level: u32, file: &str, line: u32, msg: core::fmt::Arguments<'_>) {
    crate::bindings::sim::set_src_at(file, line);
    crate::bindings::printk(level, &[], msg);
}

/// Prints `msg` at `level` prefixed with the device's name, as `dev_printk` does for a misc
/// device ("misc <name>: "), stamping `file:line` (used by the `dev_*!` macros).
#[doc(hidden)]
pub fn call_dev_printk(
    level: u32,
    file: &str,
    line: u32,
    dev: &str,
    msg: core::fmt::Arguments<'_>,
) {
    crate::bindings::sim::set_src_at(file, line);
    crate::bindings::printk(level, &["misc ", dev, ": "], msg);
}

/// Prints an info-level message (`pr_info!`).
#[macro_export]
macro_rules! pr_info {
    ($($arg:tt)*) => {
        $crate::kernel::print::call_printk(6, file!(), line!(), format_args!($($arg)*))
    };
}

/// Prints an error-level message (`pr_err!`).
#[macro_export]
macro_rules! pr_err {
    ($($arg:tt)*) => {
        $crate::kernel::print::call_printk(3, file!(), line!(), format_args!($($arg)*))
    };
}

/// Prints an info-level message prefixed with the device name (`dev_info!`).
#[macro_export]
macro_rules! dev_info {
    ($dev:expr, $($arg:tt)*) => {
        $crate::kernel::print::call_dev_printk(6, file!(), line!(), $dev.name(), format_args!($($arg)*))
    };
}

/// Prints an error-level message prefixed with the device name (`dev_err!`).
#[macro_export]
macro_rules! dev_err {
    ($dev:expr, $($arg:tt)*) => {
        $crate::kernel::print::call_dev_printk(3, file!(), line!(), $dev.name(), format_args!($($arg)*))
    };
}
