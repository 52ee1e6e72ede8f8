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
        let t = *self.lines.get(id as usize)?;
        self.texts.get(t as usize).map(String::as_str)
    }

    /// Returns how many messages were logged.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Returns whether nothing was logged.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Appends a message; returns its id.
    fn push(&mut self, msg: &str) -> u32 {
        let msg = msg.trim_end_matches('\n');
        let found = self
            .recent
            .iter()
            .copied()
            .find(|&t| self.texts.get(t as usize).map(String::as_str) == Some(msg));
        let t = match found {
            Some(t) => t,
            None => {
                self.texts.push(msg.to_string());
                let t = self.texts.len() as u32 - 1;
                self.recent.rotate_right(1);
                self.recent[0] = t;
                t
            }
        };
        self.lines.push(t);
        self.lines.len() as u32 - 1
    }
}

/// `printk`: appends `msg` at `level` and emits a `sim_driver_log` record for it.
pub fn printk(s: &mut Sim, level: u32, msg: &str) {
    let id = s.linux.log.push(msg);
    emit_log(s, level, id);
}

/// `printk` of a formatted message (the `pr_*!`/`dev_*!` macros): the `prefix` strings, then
/// `args`, built in a reused buffer (a message without arguments is copied, not formatted).
pub fn printk_fmt(s: &mut Sim, level: u32, prefix: &[&str], args: core::fmt::Arguments<'_>) {
    let mut buf = core::mem::take(&mut s.linux.log.scratch);
    buf.clear();
    for p in prefix {
        buf.push_str(p);
    }
    match args.as_str() {
        Some(text) => buf.push_str(text),
        // Writing to a String cannot fail.
        None => drop(core::fmt::Write::write_fmt(&mut buf, args)),
    }
    let id = s.linux.log.push(&buf);
    s.linux.log.scratch = buf;
    emit_log(s, level, id);
}

fn emit_log(s: &mut Sim, level: u32, id: u32) {
    let (ring, req) = s.cur_req();
    s.emit(Event::sim_driver_log, ring, req, 0, id as i64, level as i64);
}
