//! Async poll: how a request that found its file not ready (`-EAGAIN` from a non-blocking
//! attempt) waits on the file's wait queue and is retried from task_work when the file wakes it.
//!
//! Mirrors: `io_uring/poll.c` (`io_arm_poll_handler`, `__io_arm_poll_handler`, `io_poll_wake`,
//! `__io_poll_execute`, `io_poll_check_events`, `io_apoll_task_func`, `io_poll_cancel`,
//! `io_poll_remove_all`), `io_uring/io_uring.c` (`io_queue_async`: `IO_APOLL_OK`,
//! `IO_APOLL_READY`, `IO_APOLL_ABORTED`), `fs/select.c` (`vfs_poll`), and the files' `->poll`:
//! `fs/pipe.c` (`pipe_poll`), `fs/eventfd.c` (`eventfd_poll`).
//!
//! The recordings `rw_pipe_wait`, `rw_async`, `rw_link` and `link_timeout` show the path on Linux
//! 6.18: a READ on an empty pipe is in flight after `io_uring_enter` returns; a `write()` to the
//! pipe (or the last writer closing it) wakes it, and the CQE is there when that system call
//! returns (the task ran the retry as task_work on its way back to user mode).
//!
//! Differences from upstream: a file's wait queue is not a list on the file; a wake-up scans the
//! armed requests of every ring and wakes those whose file now reports one of their events
//! (the kernel's `wake_up` calls exactly the entries on the queue it signals, which is the same
//! set). Poll ownership (`poll_refs`) is not modelled: one thread runs everything.

use super::opdata::*;
use super::sqe::{sqe32, sqe64};
use super::types::*;
use super::*;

// `include/uapi/linux/eventpoll.h`.
/// Readable.
pub const EPOLLIN: u32 = 0x1;
/// Priority data.
pub const EPOLLPRI: u32 = 0x2;
/// Writable.
pub const EPOLLOUT: u32 = 0x4;
/// Error condition.
pub const EPOLLERR: u32 = 0x8;
/// Hang-up (the other end went away).
pub const EPOLLHUP: u32 = 0x10;
/// Normal data readable.
pub const EPOLLRDNORM: u32 = 0x40;
/// Normal data writable.
pub const EPOLLWRNORM: u32 = 0x100;
/// Report once, then disarm.
pub const EPOLLONESHOT: u32 = 1 << 30;
/// Edge-triggered.
pub const EPOLLET: u32 = 1 << 31;
/// `IO_POLL_UNMASK`: events reported whether asked for or not.
pub const IO_POLL_UNMASK: u32 = EPOLLERR | EPOLLHUP | 0x20 | 0x2000;

/// `APOLL_MAX_RETRY`: how many times one request may be armed for async poll.
pub const APOLL_MAX_RETRY: u32 = 128;

/// What `io_arm_poll_handler` answers (`IO_APOLL_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Apoll {
    /// Armed: the request waits on the file.
    Ok,
    /// The file is ready already: retry now (through task_work).
    Ready,
    /// The request cannot be polled: io-wq does it blocking.
    Aborted,
}

impl super::Stale for Apoll {
    fn stale() -> Self {
        Apoll::Aborted
    }
}

/// `file_can_poll`: the file has `->poll`.
pub fn file_can_poll(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::PipeRead | FileKind::PipeWrite | FileKind::EventFd | FileKind::Socket(_)
    )
}

/// `vfs_poll`: the file's current readiness mask.
pub fn vfs_poll(s: &Sim, f: crate::linux::fs::FileRef) -> u32 {
    let fl = s.linux.fds.file(f);
    match fl.kind {
        FileKind::PipeRead => {
            // `pipe_poll` for a reader.
            let p = &s.linux.vfs.pipes[fl.obj as usize];
            let mut m = 0;
            if !p.is_empty() {
                m |= EPOLLIN | EPOLLRDNORM;
            }
            if p.writers == 0 {
                m |= EPOLLHUP;
            }
            m
        }
        FileKind::PipeWrite => {
            // `pipe_poll` for a writer: room for one more buffer.
            let p = &s.linux.vfs.pipes[fl.obj as usize];
            let mut m = 0;
            if p.bufs.len() < crate::linux::pipe::PIPE_DEF_BUFFERS {
                m |= EPOLLOUT | EPOLLWRNORM;
            }
            if p.readers == 0 {
                m |= EPOLLERR;
            }
            m
        }
        FileKind::EventFd => {
            // `eventfd_poll`.
            let c = s.linux.vfs.eventfds[fl.obj as usize];
            let mut m = 0;
            if c > 0 {
                m |= EPOLLIN;
            }
            if c < u64::MAX - 1 {
                m |= EPOLLOUT;
            }
            m
        }
        // `sock_poll` → the protocol's `->poll`.
        FileKind::Socket(i) => s.linux.vfs.net.poll(i),
        _ => 0,
    }
}

fn req_ids(s: &Sim, req: Req) -> (u32, u64) {
    let r = live!(s.req(req));
    (r.serial, r.user_data)
}

/// `io_arm_poll_handler`: after `-EAGAIN`, waits for the file to become ready for the
/// opcode's direction (`pollin` / `pollout`), edge-triggered and one-shot.
pub fn io_arm_poll_handler(s: &mut Sim, req: Req) -> Apoll {
    let Req { ring, idx } = req;
    // `io_arm_poll_handler` / `io_queue_async`: a provided buffer the attempt selected goes
    // back to its group while the request waits, or before io-wq retries it (`io_kbuf_recycle`).
    super::kbuf::io_kbuf_recycle(s, req);
    let (op, file) = {
        let r = live!(s.req(req));
        (r.opcode, r.file)
    };
    let def = opdef::io_issue_def(op);
    if !def.pollin && !def.pollout {
        return Apoll::Aborted;
    }
    let f = match file {
        Some(f) => f,
        None => return Apoll::Aborted,
    };
    if !file_can_poll(s.linux.fds.file(f).kind) {
        return Apoll::Aborted;
    }
    let multishot = live!(s.req(req)).flags & REQ_F_APOLL_MULTISHOT != 0;
    let mut mask = EPOLLPRI | EPOLLERR | EPOLLET;
    if !multishot {
        mask |= EPOLLONESHOT;
    }
    mask |= if def.pollin {
        EPOLLIN | EPOLLRDNORM
    } else {
        EPOLLOUT | EPOLLWRNORM
    };
    if def.poll_exclusive {
        mask |= EPOLLEXCLUSIVE;
    }
    // `io_req_alloc_apoll`: a request armed for the first time gets `APOLL_MAX_RETRY` arms;
    // each arm uses one, and the last one gives up (io-wq then does the request blocking).
    // A file that is always ready but always answers `-EAGAIN` to a non-blocking attempt (an
    // eventfd write, through `loop_rw_iter`) spins through 127 task_work retries before that,
    // as `readv_devices` records.
    {
        let r = live!(s.req_mut(req));
        if r.flags & REQ_F_POLLED == 0 {
            r.op.apoll_retries = APOLL_MAX_RETRY;
        }
        r.op.apoll_retries = r.op.apoll_retries.saturating_sub(1);
        if r.op.apoll_retries == 0 {
            return Apoll::Aborted;
        }
    }
    // `io_init_poll_iocb`.
    let events = mask | IO_POLL_UNMASK;
    live!(s.req_mut(req)).flags |= REQ_F_POLLED;
    // `__io_arm_poll_handler`: an edge-triggered one-shot poll that finds the file ready
    // completes inline; a multishot one is armed and its wake-up queued at once
    // (`__io_poll_execute`).
    let ready = vfs_poll(s, f) & events;
    if ready != 0 && !multishot {
        return Apoll::Ready;
    }
    let (serial, ud) = req_ids(s, req);
    {
        let ctx = live!(s.ring_mut(ring));
        let r = live!(ctx.req_mut(idx));
        r.op.poll_events = events;
        r.op.poll_cancelled = false;
        ctx.ops.apoll.push(idx);
    }
    req_set_state(s, req, ReqState::Inflight);
    s.emit(
        Event::io_uring_poll_arm,
        ring,
        serial,
        ud,
        mask as i64,
        events as i64,
    );
    if ready != 0 {
        live!(s.ring_mut(ring)).ops.apoll.retain(|&i| i != idx);
        s.emit(Event::sim_poll_wake, ring, serial, ud, ready as i64, 0);
        tw::io_req_task_work_add(s, req, TwFunc::Apoll, false);
    }
    Apoll::Ok
}

/// `io_poll_wake` for every armed request whose file now reports one of its events: the
/// request leaves the wait queue and its retry is queued as task_work (`__io_poll_execute`).
///
/// Called after anything that can make a file ready: a system call of the program (a `write`,
/// a `read` that frees pipe room, a `close`), or a request that moved data.
pub fn io_poll_wake_ready(s: &mut Sim) {
    let mut wakes = core::mem::take(&mut s.linux.vfs.wakes);
    for (i, key) in core::mem::take(&mut s.linux.vfs.net.wakes) {
        wakes.push((crate::linux::WaitQueue::Sock(i), key));
    }
    let rings: Vec<u32> = s
        .io_uring
        .rings
        .iter()
        .flatten()
        .filter(|c| !c.ops.apoll.is_empty())
        .map(|c| c.id)
        .collect();
    for ring in rings {
        // `add_wait_queue` adds at the head: the last request armed is woken first (the
        // recording `poll_add_oneshot` shows two polls of one pipe woken that way).
        let armed = live!(s.ring(ring)).ops.apoll.clone();
        for idx in armed.into_iter().rev() {
            let (file, events, opcode) = {
                let r = live!(s.req(Req::new(ring, idx)));
                (r.file, r.op.poll_events, r.opcode)
            };
            if opcode == IORING_OP_POLL_ADD {
                // POLL_ADD is woken by the wake-ups themselves (edge-triggered).
                poll_add_wake(s, Req::new(ring, idx), &wakes);
                continue;
            }
            let f = match file {
                Some(f) => f,
                None => continue,
            };
            let mask = vfs_poll(s, f) & events;
            if mask == 0 {
                continue;
            }
            // A socket's wake-up carries its key (`sock_def_readable`: `EPOLLIN | EPOLLPRI |
            // EPOLLRDNORM | EPOLLRDBAND`; a state change: none), which `io_poll_wake` hands on
            // as the mask; keys that name none of the events are ignored.
            let mut shown = mask;
            if let Some(q @ crate::linux::WaitQueue::Sock(_)) = wait_queue_of(s, f) {
                match wakes.iter().find(|&&(wq, key)| {
                    wq == q && (key == 0 || key & (events & !IO_ASYNC_POLL_COMMON) != 0)
                }) {
                    Some(&(_, key)) => shown = key,
                    None => continue,
                }
            }
            live!(s.ring_mut(ring)).ops.apoll.retain(|&i| i != idx);
            let req = Req::new(ring, idx);
            let (serial, ud) = req_ids(s, req);
            // `io_poll_wake` → `__io_poll_execute(req, key_to_poll(key))`: for a pipe or an
            // eventfd too the task_add tracepoint carries the wake-up's key, 0 for a wake-up
            // without one (the last writer closing: `readv_pipe_wait`), not what the file
            // reports now.
            let q = wait_queue_of(s, f);
            if !matches!(q, Some(crate::linux::WaitQueue::Sock(_))) {
                if let Some(&(_, k)) = wakes.iter().find(|(wq, _)| Some(*wq) == q) {
                    shown = k;
                }
            }
            s.emit(Event::sim_poll_wake, ring, serial, ud, shown as i64, 0);
            tw::io_req_task_work_add(s, req, TwFunc::Apoll, false);
        }
    }
}

/// `io_apoll_task_func`: the task_work of a woken (or cancelled) async poll.
/// `io_poll_check_events` looks at the file again: a cancelled poll fails the request with
/// `-ECANCELED`, no event (someone else took the data) waits again, and an event retries the
/// request (`io_req_task_submit`: inline, or on io-wq again for `IOSQE_ASYNC`).
pub fn io_apoll_task_func(req: Req) {
    let Req { ring, idx } = req;
    if sim::with(|s| live!(s.req(req)).opcode) == IORING_OP_POLL_ADD {
        io_poll_task_func(req);
        return;
    }
    let action = sim::with(|s| {
        let (cancelled, file, events, dead) = {
            let ctx = live!(s.ring(ring));
            let r = live!(ctx.req(idx));
            (r.op.poll_cancelled, r.file, r.op.poll_events, ctx.dead)
        };
        if cancelled || dead {
            live!(s.req_mut(req)).op.poll_events = 0;
            io_req_defer_failed(s, req, -ECANCELED);
            return false;
        }
        let ready = file.map_or(0, |f| vfs_poll(s, f)) & events;
        if ready == 0 {
            // `IOU_POLL_NO_ACTION`: back on the wait queue.
            live!(s.ring_mut(ring)).ops.apoll.push(idx);
            req_set_state(s, req, ReqState::Inflight);
            return false;
        }
        if live!(s.req(req)).flags & REQ_F_APOLL_MULTISHOT == 0 {
            live!(s.req_mut(req)).op.poll_events = 0;
        }
        true
    });
    if !action {
        return;
    }
    if sim::with(|s| live!(s.req(req)).flags & REQ_F_APOLL_MULTISHOT != 0) {
        io_poll_issue_multishot(req);
    } else {
        tw::io_req_task_submit(req);
    }
}

/// `io_poll_check_events` → `io_poll_issue` for a multishot RECV or ACCEPT: the request runs
/// with `IO_URING_F_MULTISHOT`; it stays armed (`IOU_ISSUE_SKIP_COMPLETE`), completes with
/// the result it set (`IOU_STOP_MULTISHOT` → `io_req_task_complete`), or fails.
fn io_poll_issue_multishot(req: Req) {
    let flags = IO_URING_F_NONBLOCK | IO_URING_F_MULTISHOT | IO_URING_F_COMPLETE_DEFER;
    let ret = io_issue_sqe(req, flags);
    sim::with(|s| {
        if ret == 0 {
            // Completed (io_issue_sqe deferred the completion), or stays armed.
            if live!(s.req(req)).state == ReqState::Inflight {
                live!(s.ring_mut(req.ring)).ops.apoll.push(req.idx);
            }
            return;
        }
        live!(s.req_mut(req)).op.poll_events = 0;
        io_req_defer_failed(s, req, ret);
    });
}

/// `io_poll_cancel` for one user_data: takes the armed request off its wait queue and queues
/// its completion with `-ECANCELED` (`io_poll_cancel_req` → `io_poll_execute`).
///
/// # Errors
///
/// `ENOENT` when no armed request has that user_data.
pub fn io_poll_cancel(s: &mut Sim, ring: u32, user_data: u64) -> Result<(), i32> {
    io_poll_cancel_cd(s, ring, &super::cancel::CancelData::by_user_data(user_data))
}

/// `io_poll_cancel` for any cancel request (`io_poll_find` by user_data, `io_poll_file_find`
/// for `CANCEL_FD`/`CANCEL_ANY`/`CANCEL_OP`; both match through `io_cancel_req_match`).
///
/// # Errors
///
/// `ENOENT` when no armed poll matches.
pub fn io_poll_cancel_cd(
    s: &mut Sim,
    ring: u32,
    cd: &super::cancel::CancelData,
) -> Result<(), i32> {
    let list = cancel_table_order(live!(s.ring(ring)));
    let found = list
        .into_iter()
        .find(|&i| super::cancel::io_cancel_req_match(s, Req::new(ring, i), cd));
    let idx = found.ok_or(ENOENT)?;
    // A POLL_ADD stays in the cancel table until its task_work ejects it, so a second cancel
    // before that finds it again (fuzz_1306: two ASYNC_CANCELs of one poll both answer 0).
    let unhash = live!(s.req(Req::new(ring, idx))).opcode != IORING_OP_POLL_ADD;
    poll_cancel_req(s, Req::new(ring, idx), unhash);
    Ok(())
}

/// `GOLDEN_RATIO_64` of `include/linux/hash.h`.
const GOLDEN_RATIO_64: u64 = 0x61C8_8646_80B5_83EB;

/// `ctx->cancel_table.hash_bits`: five bits fewer than `ilog2(cq_entries)`, at least 1 and at
/// most 8 (`io_uring/io_uring.c:io_ring_ctx_alloc`).
fn cancel_hash_bits(cq_entries: u32) -> u32 {
    let log = 31 - cq_entries.max(1).leading_zeros();
    (log as i32 - 5).clamp(1, 8) as u32
}

/// The armed polls in the order a cancel meets them: by hash bucket of their user_data
/// (`hash_long(req->cqe.user_data, hash_bits)`, `io_poll_req_insert`), newest first within a
/// bucket (`hlist_add_head`). `io_poll_file_find` walks the buckets in order; `io_poll_find`
/// walks the one bucket of the user_data, which holds every request with it (recordings
/// `cancel_any`, `cancel_fd`, `cancel_op`).
fn cancel_table_order(ctx: &IoRingCtx) -> Vec<u32> {
    let bits = cancel_hash_bits(ctx.layout.cq_entries);
    let mut v: Vec<(u64, usize, u32)> = ctx
        .ops
        .apoll
        .iter()
        .enumerate()
        .map(|(pos, &i)| {
            let ud = ctx.req(i).map_or(0, |r| r.user_data);
            (ud.wrapping_mul(GOLDEN_RATIO_64) >> (64 - bits), pos, i)
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    v.into_iter().map(|(_, _, i)| i).collect()
}

/// `io_poll_cancel_req`: mark the poll cancelled and kick its task_work (unless a queued one
/// already owns the request). `unhash`: take it out of the cancel table first, as
/// `io_poll_remove_all_table` does (and as the simulator does for async polls).
fn poll_cancel_req(s: &mut Sim, req: Req, unhash: bool) {
    let Req { ring, idx } = req;
    let owned = {
        let ctx = live!(s.ring_mut(ring));
        if unhash {
            ctx.ops.apoll.retain(|&i| i != idx);
        }
        let r = live!(ctx.req_mut(idx));
        r.op.poll_cancelled = true;
        // A queued POLL_ADD task_work already owns the request (`io_poll_execute` then fails
        // to take `poll_refs`): it sees the cancel flag when it runs.
        let owned = r.op.poll_tw;
        r.op.poll_tw = true;
        owned
    };
    let (serial, ud) = req_ids(s, req);
    s.emit(Event::sim_poll_cancel, ring, serial, ud, 0, 0);
    if !owned {
        tw::io_req_task_work_add(s, req, TwFunc::Apoll, false);
    }
}

/// `io_poll_remove_all` at ring teardown: every armed request is cancelled.
pub fn io_poll_remove_all(s: &mut Sim, ring: u32) -> usize {
    let armed = match s.ring(ring) {
        Some(c) => c.ops.apoll.clone(),
        None => return 0,
    };
    let n = armed.len();
    for idx in armed {
        poll_cancel_req(s, Req::new(ring, idx), true);
    }
    n
}

// ---------------------------------------------------------------------------------------------
// IORING_OP_POLL_ADD and IORING_OP_POLL_REMOVE.

/// `IORING_POLL_ADD_MULTI`: a multishot poll (one CQE per wake-up, `IORING_CQE_F_MORE`).
pub const IORING_POLL_ADD_MULTI: u32 = 1 << 0;
/// `IORING_POLL_UPDATE_EVENTS` (POLL_REMOVE).
pub const IORING_POLL_UPDATE_EVENTS: u32 = 1 << 1;
/// `IORING_POLL_UPDATE_USER_DATA` (POLL_REMOVE).
pub const IORING_POLL_UPDATE_USER_DATA: u32 = 1 << 2;
/// `IORING_POLL_ADD_LEVEL`: level-triggered (refused by POLL_ADD's prep in 6.18).
pub const IORING_POLL_ADD_LEVEL: u32 = 1 << 3;
/// `EPOLLEXCLUSIVE`.
pub const EPOLLEXCLUSIVE: u32 = 1 << 28;
/// `IO_ASYNC_POLL_COMMON`: bits a wake-up key is not matched against.
const IO_ASYNC_POLL_COMMON: u32 = EPOLLONESHOT | EPOLLPRI;
/// `DEFAULT_POLLMASK`: what `vfs_poll` answers for a file without `->poll`.
pub const DEFAULT_POLLMASK: u32 = EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM;

/// `io_poll_parse_events`: the low 16 bits of `poll32_events` (little-endian, so no
/// `swahw32`), plus `EPOLLONESHOT` unless multishot and `EPOLLET` unless level-triggered;
/// `demangle_poll` is the identity on x86.
fn io_poll_parse_events(sqe: &[u8], flags: u32) -> u32 {
    let mut events = sqe32(sqe, sqe_off::OP_FLAGS);
    if flags & IORING_POLL_ADD_MULTI == 0 {
        events |= EPOLLONESHOT;
    }
    if flags & IORING_POLL_ADD_LEVEL == 0 {
        events |= EPOLLET;
    }
    (events & 0xffff) | (events & (EPOLLEXCLUSIVE | EPOLLONESHOT | EPOLLET))
}

/// `io_poll_add_prep`.
///
/// # Errors
///
/// `EINVAL` for a non-zero `buf_index`, `off` or `addr`, flags other than
/// `IORING_POLL_ADD_MULTI` in `len`, or a multishot poll with `IOSQE_CQE_SKIP_SUCCESS`.
pub fn io_poll_add_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let buf_index = u16::from_le_bytes([sqe[sqe_off::BUF_INDEX], sqe[sqe_off::BUF_INDEX + 1]]);
    if buf_index != 0 || sqe64(sqe, sqe_off::OFF) != 0 || sqe64(sqe, sqe_off::ADDR) != 0 {
        return Err(EINVAL);
    }
    let flags = sqe32(sqe, sqe_off::LEN);
    if flags & !IORING_POLL_ADD_MULTI != 0 {
        return Err(EINVAL);
    }
    let r = live!(s.req_mut(req));
    if flags & IORING_POLL_ADD_MULTI != 0 && r.flags & REQ_F_CQE_SKIP != 0 {
        return Err(EINVAL);
    }
    r.op.poll_events = io_poll_parse_events(sqe, flags);
    Ok(())
}

/// The wait queue(s) `vfs_poll` adds a poller of this file to (`pipe_poll` uses the queue
/// of its open mode; an eventfd has one).
fn wait_queue_of(s: &Sim, f: crate::linux::fs::FileRef) -> Option<crate::linux::WaitQueue> {
    use crate::linux::WaitQueue;
    let fl = s.linux.fds.file(f);
    match fl.kind {
        FileKind::PipeRead => Some(WaitQueue::PipeRd(fl.obj)),
        FileKind::PipeWrite => Some(WaitQueue::PipeWr(fl.obj)),
        FileKind::EventFd => Some(WaitQueue::EventFd(fl.obj)),
        FileKind::Socket(i) => Some(WaitQueue::Sock(i)),
        _ => None,
    }
}

/// `io_poll_add` → `__io_arm_poll_handler` with the SQE's events.
///
/// - A file without `->poll` (a regular file, a memfd, a directory, `/dev/null`, `/dev/zero`)
///   adds no wait-queue entry: `vfs_poll` answers `DEFAULT_POLLMASK` and, edge-triggered as
///   POLL_ADD always is, the poll completes at once with the events it asked for among those
///   (`-EINVAL` when none).
/// - A one-shot poll whose file is ready completes inline with the ready mask.
/// - Otherwise the request waits on the file (in the cancel table); a multishot poll whose
///   file is ready already queues its first wake-up at once (`__io_poll_execute`).
pub fn io_poll_add(s: &mut Sim, req: Req) -> i32 {
    let Req { ring, idx } = req;
    let (file, events, serial, ud) = {
        let r = live!(s.req(req));
        (r.file, r.op.poll_events, r.serial, r.user_data)
    };
    let f = match file {
        Some(f) => f,
        None => return -EBADF,
    };
    let kind = s.linux.fds.file(f).kind;
    // `io_init_poll_iocb`.
    let events = events | IO_POLL_UNMASK;
    let pollable = file_can_poll(kind);
    if !pollable {
        let known = matches!(
            kind,
            FileKind::RegularFile
                | FileKind::Memfd
                | FileKind::Directory
                | FileKind::DevNull
                | FileKind::DevZero
        );
        if !known {
            return -super::rw::not_modelled(s, req, not_modelled::FILE);
        }
        let mask = DEFAULT_POLLMASK & events;
        if mask != 0 && events & EPOLLET != 0 {
            io_req_set_res(s, req, mask as i32, 0);
            return 0;
        }
        req_set_fail(s, req);
        io_req_set_res(s, req, -EINVAL, 0);
        return 0;
    }
    let mask = vfs_poll(s, f) & events;
    let oneshot = events & EPOLLONESHOT != 0;
    if mask != 0 && oneshot {
        io_req_set_res(s, req, mask as i32, 0);
        return 0;
    }
    {
        let ctx = live!(s.ring_mut(ring));
        let r = live!(ctx.req_mut(idx));
        r.op.poll_events = events;
        r.op.poll_cancelled = false;
        r.op.poll_tw = false;
        r.op.poll_res = 0;
        ctx.ops.apoll.push(idx);
    }
    req_set_state(s, req, ReqState::Inflight);
    s.emit(
        Event::sim_poll_arm,
        ring,
        serial,
        ud,
        events as i64,
        i64::from(!oneshot),
    );
    if mask != 0 {
        poll_execute(s, req, mask);
    }
    -EIOCBQUEUED
}

/// `__io_poll_execute` for a POLL_ADD: stash the mask (the wake-up's key as it came, which
/// the `io_uring_task_add` tracepoint prints) and queue `io_poll_task_func` (the caller owns
/// the request: `poll_refs` was 0).
fn poll_execute(s: &mut Sim, req: Req, mask: u32) {
    let ring = req.ring;
    {
        let r = live!(s.req_mut(req));
        r.op.poll_tw = true;
        r.op.poll_res = mask;
    }
    let (serial, ud) = req_ids(s, req);
    s.emit(Event::sim_poll_wake, ring, serial, ud, mask as i64, 0);
    tw::io_req_task_work_add(s, req, TwFunc::Apoll, false);
}

/// `io_poll_wake` for the POLL_ADD requests on the queues the files woke: a key that names
/// none of the events waited for is ignored; the first matching wake-up takes ownership and
/// queues the task_work, later ones before it runs only make it poll the file again
/// (`io_poll_get_ownership` fails: `poll_refs` goes up).
fn poll_add_wake(s: &mut Sim, req: Req, wakes: &[(crate::linux::WaitQueue, u32)]) {
    let (file, events, pending) = {
        let r = live!(s.req(req));
        (r.file, r.op.poll_events, r.op.poll_tw)
    };
    let q = match file.and_then(|f| wait_queue_of(s, f)) {
        Some(q) => q,
        None => return,
    };
    for &(wq, key) in wakes {
        if wq != q || (key != 0 && key & (events & !IO_ASYNC_POLL_COMMON) == 0) {
            continue;
        }
        if pending {
            live!(s.req_mut(req)).op.poll_res = 0;
            continue;
        }
        poll_execute(s, req, key);
        return;
    }
}

/// `io_poll_task_func` (through `io_poll_check_events`): the task_work of a POLL_ADD.
///
/// A cancelled poll completes with `-ECANCELED`. Otherwise the mask is the wake-up's (or, after
/// several wake-ups or one without a key, the file's `vfs_poll` now); no event means keep
/// waiting. A one-shot poll completes with the mask. A multishot poll posts the mask with
/// `IORING_CQE_F_MORE` and keeps waiting; when that CQE does not fit in the CQ ring
/// (`io_req_post_cqe` fails), it completes with the mask and no `F_MORE`, which ends it.
fn io_poll_task_func(req: Req) {
    let Req { ring, idx } = req;
    sim::with(|s| {
        let (cancelled, dead, file, events, stashed) = {
            let ctx = live!(s.ring(ring));
            let r = live!(ctx.req(idx));
            (
                r.op.poll_cancelled,
                ctx.dead,
                r.file,
                r.op.poll_events,
                r.op.poll_res,
            )
        };
        {
            let r = live!(s.req_mut(req));
            r.op.poll_tw = false;
            r.op.poll_res = 0;
        }
        let finish = |s: &mut Sim, res: i32| {
            live!(s.ring_mut(ring)).ops.apoll.retain(|&i| i != idx);
            live!(s.req_mut(req)).op.poll_events = 0;
            if res < 0 {
                req_set_fail(s, req);
            }
            io_req_set_res(s, req, res, 0);
            io_req_complete_defer(s, req);
        };
        if cancelled || dead {
            finish(s, -ECANCELED);
            return;
        }
        let mask = if stashed != 0 {
            stashed & events
        } else {
            file.map_or(0, |f| vfs_poll(s, f)) & events
        };
        if mask == 0 {
            // `IOU_POLL_NO_ACTION`: still waiting.
            req_set_state(s, req, ReqState::Inflight);
            return;
        }
        if events & EPOLLONESHOT != 0 {
            finish(s, mask as i32);
            return;
        }
        if io_req_post_cqe(s, req, mask as i32, IORING_CQE_F_MORE) {
            req_set_state(s, req, ReqState::Inflight);
        } else {
            finish(s, mask as i32);
        }
    });
}

/// `io_poll_remove_prep`.
///
/// # Errors
///
/// `EINVAL` as the kernel checks (`buf_index`, `splice_fd_in`, unknown flags, `MULTI` alone,
/// a new user_data without `UPDATE_USER_DATA`, events without `UPDATE_EVENTS`);
/// [`ENOTMODELLED`] for the update forms.
pub fn io_poll_remove_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let buf_index = u16::from_le_bytes([sqe[sqe_off::BUF_INDEX], sqe[sqe_off::BUF_INDEX + 1]]);
    if buf_index != 0 || sqe32(sqe, sqe_off::SPLICE_FD_IN) != 0 {
        return Err(EINVAL);
    }
    let flags = sqe32(sqe, sqe_off::LEN);
    if flags & !(IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA | IORING_POLL_ADD_MULTI)
        != 0
    {
        return Err(EINVAL);
    }
    if flags == IORING_POLL_ADD_MULTI {
        return Err(EINVAL);
    }
    let update_ud = flags & IORING_POLL_UPDATE_USER_DATA != 0;
    if !update_ud && sqe64(sqe, sqe_off::OFF) != 0 {
        return Err(EINVAL);
    }
    if flags & IORING_POLL_UPDATE_EVENTS == 0 && sqe32(sqe, sqe_off::OP_FLAGS) != 0 {
        return Err(EINVAL);
    }
    if flags != 0 {
        return Err(super::rw::not_modelled(s, req, not_modelled::FIELD));
    }
    live!(s.req_mut(req)).op.target = sqe64(sqe, sqe_off::ADDR);
    Ok(())
}

/// `io_poll_remove`: finds a POLL_ADD by user_data (`io_poll_find` with `poll_only`) and
/// disarms it (`io_poll_disarm`: `-EALREADY` when a wake-up already owns it); the poll then
/// completes with `-ECANCELED` through task_work (`io_req_task_complete`), after the
/// POLL_REMOVE's own CQE (0), as recorded in `poll_add_multishot`.
pub fn io_poll_remove(s: &mut Sim, req: Req) -> i32 {
    let ring = req.ring;
    let (target, serial, ud) = {
        let r = live!(s.req(req));
        (r.op.target, r.serial, r.user_data)
    };
    let found = {
        let ctx = live!(s.ring(ring));
        ctx.ops.apoll.iter().copied().find(|&i| {
            let q = live!(ctx.req(i));
            q.opcode == IORING_OP_POLL_ADD && q.user_data == target
        })
    };
    let ret = match found {
        None => -ENOENT,
        Some(p) if live!(s.req(Req::new(ring, p))).op.poll_tw => -EALREADY,
        Some(p) => {
            live!(s.ring_mut(ring)).ops.apoll.retain(|&i| i != p);
            live!(s.req_mut(Req::new(ring, p))).op.poll_events = 0;
            req_set_fail(s, Req::new(ring, p));
            io_req_set_res(s, Req::new(ring, p), -ECANCELED, 0);
            tw::io_req_task_work_add(s, Req::new(ring, p), TwFunc::Complete, false);
            0
        }
    };
    s.emit(
        Event::sim_poll_remove,
        ring,
        serial,
        ud,
        ret as i64,
        target as i64,
    );
    if ret < 0 {
        req_set_fail(s, req);
    }
    io_req_set_res(s, req, ret, 0);
    0
}
