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
        }
    }
}
