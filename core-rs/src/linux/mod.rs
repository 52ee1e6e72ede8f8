//! The rest of the simulated C kernel that io_uring and drivers touch.
//!
//! Mirrors: `include/linux/fs.h` (files, `file_operations`), `drivers/char/misc.c`,
//! `kernel/workqueue.c`, `kernel/task_work.c`, `lib/usercopy.c` / `include/linux/uaccess.h`,
//! and the file kinds a program can open: `fs/pipe.c`, `net/`, `drivers/char/mem.c`,
//! `fs/eventfd.c`, `mm/memfd.c` ([`files`], [`pipe`], [`net`], [`syscalls`]).

#![allow(non_camel_case_types)]

pub mod cmd_net;
pub use crate::include::linux::{Vfs, WaitQueue};
pub mod files;
pub mod fs;
pub mod miscdevice;
pub mod net;
pub mod pipe;
pub mod printk;
pub mod syscalls;
pub mod uaccess;
pub mod workqueue;

impl Vfs {
    /// `wake_up_*_poll(queue, key)`: records the wake-up for pollers of `q`.
    pub fn wake(&mut self, q: WaitQueue, key: u32) {
        self.wakes.push((q, key));
    }
}

impl Default for Vfs {
    fn default() -> Vfs {
        Vfs {
            pipes: Vec::new(),
            net: net::Net::default(),
            inodes: Vec::new(),
            eventfds: Vec::new(),
            dirs: syscalls::INITIAL_DIRS
                .iter()
                .map(|d| d.to_string())
                .collect(),
            wakes: Vec::new(),
        }
    }
}
