//! The kernel log: what `printk` (and the Rust `pr_*!`/`dev_*!` macros) write.
//!
//! Mirrors: `kernel/printk/printk.c` (`printk`, the log buffer `dmesg` reads) and the
//! `KERN_*` levels of `include/linux/kern_levels.h`.
//!
//! Differences from upstream: the buffer is unbounded for a run, and every message is also a
//! `sim_driver_log` trace record whose `a` is the message's index, so the UI and the text
//! traces can show the line where it was printed.

pub use crate::include::linux::LogBuf;
use crate::sim::Sim;
use crate::trace::Event;

/// `KERN_ERR`.
pub const LOGLEVEL_ERR: u32 = 3;
/// `KERN_INFO`.
pub const LOGLEVEL_INFO: u32 = 6;

impl LogBuf {
    /// Returns message `id`, if there is one.
    pub fn get(&self, id: u32) -> Option<&str> {
        self.lines.get(id as usize).map(String::as_str)
    }

    /// Returns how many messages were logged.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Returns whether nothing was logged.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// `printk`: appends `msg` at `level` and emits a `sim_driver_log` record for it.
pub fn printk(s: &mut Sim, level: u32, msg: &str) {
    let id = s.linux.log.lines.len() as u32;
    s.linux
        .log
        .lines
        .push(msg.trim_end_matches('\n').to_string());
    let (ring, req) = s
        .io_uring
        .ucmd
        .cur_issue
        .map_or((0, 0), |c| (c.ring, c.serial));
    s.emit(Event::sim_driver_log, ring, req, 0, id as i64, level as i64);
}
