//! The rest of the simulated C kernel that io_uring and drivers touch.
//!
//! Mirrors: `include/linux/fs.h` (files, `file_operations`), `drivers/char/misc.c`,
//! `kernel/workqueue.c`, `kernel/task_work.c`, `lib/usercopy.c` / `include/linux/uaccess.h`,
//! and the file kinds a program can open: `fs/pipe.c`, `net/`, `drivers/char/mem.c`,
//! `fs/eventfd.c`, `mm/memfd.c` ([`files`], [`pipe`], [`net`], [`syscalls`]).

#![allow(non_camel_case_types)]

pub mod cmd_net;
pub mod files;
pub mod fs;
pub mod miscdevice;
pub mod net;
pub mod pipe;
pub mod printk;
pub mod syscalls;
pub mod uaccess;
pub mod workqueue;

/// The objects behind open files, by kind: what the kernel reaches through inodes and
/// `file->private_data`.
#[derive(Clone, Debug)]
pub struct Vfs {
    /// Pipes.
    pub pipes: Vec<pipe::Pipe>,
    /// Sockets.
    pub net: net::Net,
    /// Inodes of regular files and memfds.
    pub inodes: Vec<files::Inode>,
    /// eventfd counters.
    pub eventfds: Vec<u64>,
    /// Directories that exist (paths as given).
    pub dirs: Vec<String>,
    /// Wake-ups the files issued since io_uring last looked (`wake_up_*_poll` on a wait queue,
    /// with its key; 0 for a wake-up without a key), drained by
    /// `io_uring::poll::io_poll_wake_ready`.
    pub wakes: Vec<(WaitQueue, u32)>,
}

/// A wait queue a file can be polled on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitQueue {
    /// `pipe->rd_wait` (readers of this pipe).
    PipeRd(u32),
    /// `pipe->wr_wait` (writers of this pipe).
    PipeWr(u32),
    /// `ctx->wqh` of this eventfd.
    EventFd(u32),
    /// `sk->sk_wq` of this socket (readers, writers and `accept` all wait there).
    Sock(u32),
}

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
