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

/// `file_can_poll`: the file has `->poll`.
pub fn file_can_poll(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::PipeRead | FileKind::PipeWrite | FileKind::EventFd
    )
}

/// `vfs_poll`: the file's current readiness mask.
pub fn vfs_poll(s: &Sim, f: crate::linux::fs::FileRef) -> u32 {
    let fl = s.fds.file(f);
    match fl.kind {
        FileKind::PipeRead => {
            // `pipe_poll` for a reader.
            let p = &s.vfs.pipes[fl.obj as usize];
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
            let p = &s.vfs.pipes[fl.obj as usize];
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
            let c = s.vfs.eventfds[fl.obj as usize];
            let mut m = 0;
            if c > 0 {
                m |= EPOLLIN;
            }
            if c < u64::MAX - 1 {
                m |= EPOLLOUT;
            }
            m
        }
        _ => 0,
    }
}

fn req_ids(s: &Sim, ring: u32, idx: u32) -> (u32, u64) {
    let r = s.ring(ring).expect("ring").req(idx);
    (r.serial, r.user_data)
}

/// `io_arm_poll_handler`: after `-EAGAIN`, waits for the file to become ready for the
/// opcode's direction (`pollin` / `pollout`), edge-triggered and one-shot.
pub fn io_arm_poll_handler(s: &mut Sim, ring: u32, idx: u32) -> Apoll {
    let (op, file) = {
        let r = s.ring(ring).expect("ring").req(idx);
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
    if !file_can_poll(s.fds.file(f).kind) {
        return Apoll::Aborted;
    }
    let mut mask = EPOLLPRI | EPOLLERR | EPOLLET | EPOLLONESHOT;
    mask |= if def.pollin {
        EPOLLIN | EPOLLRDNORM
    } else {
        EPOLLOUT | EPOLLWRNORM
    };
    // `io_init_poll_iocb`.
    let events = mask | IO_POLL_UNMASK;
    s.ring_mut(ring).expect("ring").req_mut(idx).flags |= REQ_F_POLLED;
    // `__io_arm_poll_handler`: an edge-triggered one-shot poll that finds the file ready
    // completes inline.
    if vfs_poll(s, f) & events != 0 {
        return Apoll::Ready;
    }
    let (serial, ud) = req_ids(s, ring, idx);
    {
        let ctx = s.ring_mut(ring).expect("ring");
        let r = ctx.req_mut(idx);
        r.op.poll_events = events;
        r.op.poll_cancelled = false;
        ctx.ops.apoll.push(idx);
    }
    req_set_state(s, ring, idx, ReqState::Inflight);
    s.emit(
        Event::io_uring_poll_arm,
        ring,
        serial,
        ud,
        mask as i64,
        events as i64,
    );
    Apoll::Ok
}

/// `io_poll_wake` for every armed request whose file now reports one of its events: the
/// request leaves the wait queue and its retry is queued as task_work (`__io_poll_execute`).
///
/// Called after anything that can make a file ready: a system call of the program (a `write`,
/// a `read` that frees pipe room, a `close`), or a request that moved data.
pub fn io_poll_wake_ready(s: &mut Sim) {
    let rings: Vec<u32> = s
        .rings
        .iter()
        .flatten()
        .filter(|c| !c.ops.apoll.is_empty())
        .map(|c| c.id)
        .collect();
    for ring in rings {
        let armed = s.ring(ring).expect("ring").ops.apoll.clone();
        for idx in armed {
            let (file, events) = {
                let r = s.ring(ring).expect("ring").req(idx);
                (r.file, r.op.poll_events)
            };
            let f = match file {
                Some(f) => f,
                None => continue,
            };
            let mask = vfs_poll(s, f) & events;
            if mask == 0 {
                continue;
            }
            s.ring_mut(ring)
                .expect("ring")
                .ops
                .apoll
                .retain(|&i| i != idx);
            let (serial, ud) = req_ids(s, ring, idx);
            s.emit(Event::sim_poll_wake, ring, serial, ud, mask as i64, 0);
            tw::io_req_task_work_add(s, ring, idx, TwFunc::Apoll, false);
        }
    }
}

/// `io_apoll_task_func`: the task_work of a woken (or cancelled) async poll.
/// `io_poll_check_events` looks at the file again: a cancelled poll fails the request with
/// `-ECANCELED`, no event (someone else took the data) waits again, and an event retries the
/// request (`io_req_task_submit`: inline, or on io-wq again for `IOSQE_ASYNC`).
pub fn io_apoll_task_func(ring: u32, idx: u32) {
    let action = sim::with(|s| {
        let (cancelled, file, events, dead) = {
            let ctx = s.ring(ring).expect("ring");
            let r = ctx.req(idx);
            (r.op.poll_cancelled, r.file, r.op.poll_events, ctx.dead)
        };
        if cancelled || dead {
            s.ring_mut(ring).expect("ring").req_mut(idx).op.poll_events = 0;
            io_req_defer_failed(s, ring, idx, -ECANCELED);
            return false;
        }
        let ready = file.map_or(0, |f| vfs_poll(s, f)) & events;
        if ready == 0 {
            // `IOU_POLL_NO_ACTION`: back on the wait queue.
            s.ring_mut(ring).expect("ring").ops.apoll.push(idx);
            req_set_state(s, ring, idx, ReqState::Inflight);
            return false;
        }
        s.ring_mut(ring).expect("ring").req_mut(idx).op.poll_events = 0;
        true
    });
    if action {
        tw::io_req_task_submit(ring, idx);
    }
}

/// `io_poll_cancel` for one user_data: takes the armed request off its wait queue and queues
/// its completion with `-ECANCELED` (`io_poll_cancel_req` → `io_poll_execute`).
///
/// # Errors
///
/// `ENOENT` when no armed request has that user_data.
pub fn io_poll_cancel(s: &mut Sim, ring: u32, user_data: u64) -> Result<(), i32> {
    let found = {
        let ctx = s.ring(ring).expect("ring");
        ctx.ops
            .apoll
            .iter()
            .copied()
            .find(|&i| ctx.req(i).user_data == user_data)
    };
    let idx = found.ok_or(ENOENT)?;
    poll_cancel_req(s, ring, idx);
    Ok(())
}

fn poll_cancel_req(s: &mut Sim, ring: u32, idx: u32) {
    {
        let ctx = s.ring_mut(ring).expect("ring");
        ctx.ops.apoll.retain(|&i| i != idx);
        ctx.req_mut(idx).op.poll_cancelled = true;
    }
    let (serial, ud) = req_ids(s, ring, idx);
    s.emit(Event::sim_poll_cancel, ring, serial, ud, 0, 0);
    tw::io_req_task_work_add(s, ring, idx, TwFunc::Apoll, false);
}

/// `io_poll_remove_all` at ring teardown: every armed request is cancelled.
pub fn io_poll_remove_all(s: &mut Sim, ring: u32) -> usize {
    let armed = match s.ring(ring) {
        Some(c) => c.ops.apoll.clone(),
        None => return 0,
    };
    let n = armed.len();
    for idx in armed {
        poll_cancel_req(s, ring, idx);
    }
    n
}
