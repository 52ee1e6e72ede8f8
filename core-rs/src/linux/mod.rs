//! The rest of the simulated C kernel that io_uring and drivers touch.
//!
//! Mirrors: `include/linux/fs.h` (files, `file_operations`), `drivers/char/misc.c`,
//! `kernel/workqueue.c`, `kernel/task_work.c`, `lib/usercopy.c` / `include/linux/uaccess.h`.

#![allow(non_camel_case_types)]

pub mod fs;
pub mod miscdevice;
pub mod printk;
pub mod uaccess;
pub mod workqueue;
