//! The rest of the kernel's types that the machine's state is made of: the task, the
//! descriptor table, user memory, the objects behind files, misc devices, the log, the
//! workqueue and timers, and linux's share of the machine's state ([`LinuxState`]).
//!
//! Mirrors the headers these live in upstream: `include/linux/sched.h` (`struct task_struct`),
//! `include/linux/fdtable.h`, `include/linux/pipe_fs_i.h`, `include/net/sock.h`,
//! `include/linux/fs.h` (`struct inode`), `include/linux/miscdevice.h`,
//! `include/linux/workqueue.h`, `include/linux/timer.h`. As in the kernel, the types are
//! declared here, below every subsystem that uses them; their methods stay with the code in
//! `linux/`.

use core::any::Any;
use core::ffi::c_void;
use std::collections::VecDeque;

use super::fs::{file, file_operations, FileRef};
use super::io_uring_types::{EnterCall, Prov, TwItem};

/// The descriptor table and the file slab.
#[derive(Default)]
pub struct FdTable {
    pub(crate) files: Vec<Option<Box<file>>>,
    pub(crate) fds: Vec<Option<FileRef>>,
}

/// The user memory arena.
pub struct UserMem {
    pub(crate) buf: Vec<u8>,
    pub(crate) prov: Vec<Prov>,
    pub(crate) src: Vec<u32>,
}

/// The objects behind open files, by kind: what the kernel reaches through inodes and
/// `file->private_data`.
#[derive(Clone, Debug)]
pub struct Vfs {
    /// Pipes.
    pub pipes: Vec<Pipe>,
    /// Sockets.
    pub net: Net,
    /// Inodes of regular files and memfds.
    pub inodes: Vec<Inode>,
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

/// One `struct pipe_buffer`: a page holding `data`.
#[derive(Clone, Debug, Default)]
pub struct PipeBuffer {
    /// The bytes.
    pub data: Vec<u8>,
    /// `PIPE_BUF_FLAG_CAN_MERGE`: a later small write may append to this page.
    pub can_merge: bool,
}

/// `struct pipe_inode_info`.
#[derive(Clone, Debug, Default)]
pub struct Pipe {
    /// Buffered data, oldest first.
    pub bufs: VecDeque<PipeBuffer>,
    /// Open read ends.
    pub readers: u32,
    /// Open write ends.
    pub writers: u32,
}

/// A queued `struct sk_buff`: its data, its truesize and the socket charged for it.
#[derive(Clone, Debug)]
pub struct Skb {
    /// The bytes.
    pub data: Vec<u8>,
    /// What the buffer counts against the receive buffer (`skb->truesize`).
    pub truesize: u32,
    /// The sending socket whose `sk_wmem_alloc` holds this skb (AF_UNIX), if any.
    pub owner: Option<u32>,
}

/// The protocol state of a socket (`sk->sk_state` reduced to what is modelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkState {
    /// `TCP_CLOSE`: created, maybe bound, never connected.
    Close,
    /// `TCP_LISTEN`.
    Listen,
    /// `TCP_ESTABLISHED` (also a connected UDP or AF_UNIX socket).
    Established,
}

/// `struct socket` + `struct sock`.
#[derive(Clone, Debug)]
pub struct Sock {
    /// `AF_*`.
    pub family: u32,
    /// `SOCK_*`.
    pub ty: u32,
    /// `IPPROTO_*`.
    pub protocol: u32,
    /// Connection state.
    pub state: SkState,
    /// Local port (AF_INET), 0 while unbound.
    pub port: u16,
    /// Destination port of a connected AF_INET socket.
    pub peer_port: u16,
    /// The other end of a connection or socket pair.
    pub peer: Option<u32>,
    /// `listen()` backlog.
    pub backlog: u32,
    /// Connections waiting for `accept` (socket indices).
    pub accept_q: VecDeque<u32>,
    /// `sk_receive_queue`.
    pub rcv: VecDeque<Skb>,
    /// TCP: bytes written but not yet in the peer's receive queue (`write_seq - snd_una`).
    pub snd: VecDeque<u8>,
    /// `sk_wmem_alloc` (AF_UNIX): truesize of our skbs still queued at the peer.
    pub wmem: u32,
    /// `SO_RCVBUF`.
    pub rcvbuf: u32,
    /// `SO_SNDBUF`.
    pub sndbuf: u32,
    /// `SO_KEEPALIVE`.
    pub keepalive: bool,
    /// `SO_REUSEADDR`.
    pub reuseaddr: bool,
    /// `SO_BROADCAST`.
    pub broadcast: bool,
    /// `TCP_NODELAY`.
    pub nodelay: bool,
    /// The peer closed: reads return 0 once the queue is empty.
    pub rcv_shutdown: bool,
    /// The peer is gone: writes fail with `-EPIPE`.
    pub snd_shutdown: bool,
    /// The socket's file was released.
    pub closed: bool,
    /// `sk->sk_err`: a pending error (`ECONNRESET` when an AF_UNIX peer closed with data
    /// unread), reported by `->poll` as `EPOLLERR`.
    pub err: i32,
}

/// The network namespace: every socket and the port allocator.
#[derive(Clone, Debug, Default)]
pub struct Net {
    /// Every socket, by index.
    pub socks: Vec<Sock>,
    pub(crate) next_port: u16,
    /// Wake-ups of sockets' wait queues (`sk->sk_wq`) since io_uring last looked: the socket
    /// and the key (`sock_def_readable`: `KEY_IN` of `linux/net.rs`, the write-space
    /// callbacks: `KEY_OUT`, `sock_def_wakeup` on a state change: 0).
    pub wakes: Vec<(u32, u32)>,
}

/// A parsed `struct sockaddr_in` (host byte order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockaddrIn {
    /// Port.
    pub port: u16,
    /// IPv4 address.
    pub addr: u32,
}

/// An in-memory inode for regular files and memfds.
#[derive(Clone, Debug, Default)]
pub struct Inode {
    /// The file's contents.
    pub data: Vec<u8>,
    /// `f_pos` of the one open file on it.
    pub pos: usize,
}

/// A misc device's `open`: `int (*open)(struct inode *, struct file *)` without the inode.
pub type MiscOpenFn = unsafe fn(*mut file) -> i32;

/// A device poke: `(file, action, arg) -> result or -errno` (simulator-only).
pub type MiscCtlFn = unsafe fn(*mut file, &str, i32) -> i32;

/// `struct miscdevice`.
#[repr(C)]
pub struct miscdevice {
    /// The minor number (`MISC_DYNAMIC_MINOR` before registration).
    pub minor: i32,
    /// The node name (`/dev/<name>`), UTF-8, owned by whoever owns this struct.
    pub name: *const u8,
    /// Length of the name.
    pub name_len: usize,
    /// The driver's file operations.
    pub fops: Option<&'static file_operations>,
    /// The driver's `open` (see the module docs for why it is not in `fops`).
    pub open: Option<MiscOpenFn>,
    /// The driver's device pokes (simulator-only).
    pub sim_ctl: Option<MiscCtlFn>,
}

/// The misc device registry and the loaded driver modules.
#[derive(Default)]
pub struct MiscState {
    pub(crate) devices: Vec<*mut miscdevice>,
    pub(crate) modules: Vec<Box<dyn Any>>,
    pub(crate) next_minor: i32,
}

/// A driver module's init, as the loader hands it over: registers the device `name` and returns
/// the module object that owns the registration, or a negative errno.
pub type ModuleInit = Box<dyn FnOnce(&str) -> Result<Box<dyn Any>, i32>>;

/// The log buffer.
///
/// A message's text is kept once however often it is printed (drivers print the same line for
/// every command): `lines` holds, per message, the index of its text in `texts`.
#[derive(Default)]
pub struct LogBuf {
    pub(crate) texts: Vec<String>,
    pub(crate) lines: Vec<u32>,
    /// The texts of the last few messages (indices into `texts`), checked before adding one.
    pub(crate) recent: [u32; 4],
    /// Where a formatted message is built before it is looked up.
    pub(crate) scratch: String,
}

/// A deferred function call: `struct work_struct` / `struct callback_head`.
#[derive(Clone, Copy, Debug)]
pub struct WorkItem {
    /// The function to run.
    pub func: unsafe fn(*mut c_void),
    /// Its argument.
    pub data: *mut c_void,
    /// The request this work concerns, for traces (0 if none).
    pub req: u32,
}

/// A timer that runs a [`WorkItem`] in device context at `deadline_ns`.
#[derive(Clone, Copy, Debug)]
pub struct Timer {
    /// When it fires, in simulated nanoseconds.
    pub deadline_ns: u64,
    /// Arming order (ties fire in it).
    pub seq: u64,
    /// What runs.
    pub item: WorkItem,
}

/// The submitting task (one process, one thread, as in the recorded scenarios).
#[derive(Default)]
pub struct Task {
    /// The `io_uring_enter` in progress, if the task is in the kernel.
    pub sys: Option<EnterCall>,
    /// Normal task_work queued for the task (`tctx->task_list`).
    pub tw: VecDeque<TwItem>,
    /// The result of the last finished syscall, for the caller that started it.
    pub last_ret: Option<i32>,
    /// task_work items left in the batch the task runs in user mode.
    pub tw_batch: u32,
    /// task_work items the current user-mode batch has run (`io_uring_task_work_run`'s count).
    pub tw_ran: u32,
    /// The task is returning from a system call: it runs its task_work whatever the ring's
    /// notification method (`exit_to_user_mode` handles `TIF_NOTIFY_SIGNAL`).
    pub tw_on_return: bool,
    /// The task sleeps interruptibly in user-requested time (`nanosleep`): task_work added
    /// with `TWA_SIGNAL_NO_IPI` wakes it (`__set_notify_signal` → `wake_up_state(task,
    /// TASK_INTERRUPTIBLE)`), it runs the work on the way out and the sleep restarts.
    pub sleeping: bool,
    /// When COOP_TASKRUN task_work queued while the task runs in user mode is run: the next
    /// timer tick ([`crate::sim::TICK_NS`]), whose return to user mode handles
    /// `TIF_NOTIFY_SIGNAL`. `None` while no such work waits.
    pub tw_tick_due: Option<u64>,
    /// When a `nanosleep` begun with `sched::sleep_begin` ends (the page's
    /// `sleep` op, stepped one unit at a time).
    pub sleep_end: Option<u64>,
}

/// An SQPOLL ring's kernel thread (`struct io_sq_data` and its `sqd->thread`, an io thread of
/// the process: `io_uring/sqpoll.c`), one per ring here. It is a task of its own: its
/// submission pass in progress and its task_work live in `task`, which the scheduler swaps
/// into [`LinuxState::task`] while the thread runs (`io_uring/sqpoll.rs`).
#[derive(Default)]
pub struct SqThread {
    /// The ring it serves.
    pub ring: u32,
    /// `ctx->sq_thread_idle` in jiffies (`msecs_to_jiffies(p->sq_thread_idle)`, `HZ` for 0).
    pub idle_jiffies: u64,
    /// The CPU the thread is bound to (`sqd->sq_cpu`), -1 for any.
    pub cpu: i32,
    /// `timeout` of `io_sq_thread`, in jiffies; `None` before the first pass (upstream 0,
    /// which `time_after(jiffies, 0)` finds passed).
    pub timeout: Option<u64>,
    /// In `schedule()`, waiting on `sqd->wait`.
    pub sleeping: bool,
    /// A wake-up arrived while it slept (`wake_up(&sqd->wait)` or task_work): when the
    /// thread runs again.
    pub woken: Option<u64>,
    /// When the spinning thread first found work not yet taken by a pass.
    pub seen_at: Option<u64>,
    /// The pass in progress found work (`sqt_spin`).
    pub pass_spin: bool,
    /// `IO_SQ_THREAD_SHOULD_STOP`: the ring went away and the thread exited.
    pub stopped: bool,
    /// The thread as a task: `sys` is its submission pass in progress, `tw` its task_work.
    pub task: Task,
}

/// Linux's share of the machine's state: the submitting task, its descriptor table and user
/// memory, the objects behind files, the system workqueue and timers, misc devices and the
/// kernel log.
pub struct LinuxState {
    /// The submitting task.
    pub task: Task,
    /// The descriptor table and the file slab.
    pub fds: FdTable,
    /// Pipes, sockets, inodes and the other objects behind open files.
    pub vfs: Vfs,
    /// User memory.
    pub user: UserMem,
    /// The kernel workqueue (`system_wq`).
    pub work: VecDeque<WorkItem>,
    /// Armed timers.
    pub timers: Vec<Timer>,
    /// Next timer sequence number.
    pub timer_seq: u64,
    /// Registered misc devices and loaded driver modules.
    pub misc: MiscState,
    /// The kernel log (`printk`).
    pub log: LogBuf,
    /// SQPOLL threads, one per SQPOLL ring.
    pub sq_threads: Vec<SqThread>,
    /// The SQPOLL thread running now (its ring): its task is swapped into `task` meanwhile.
    pub sqt_running: Option<u32>,
}
