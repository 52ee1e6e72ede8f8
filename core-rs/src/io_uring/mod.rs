//! The io_uring core: ring setup, request init, issue, completion and the CQ ring.
//!
//! Mirrors: `io_uring/io_uring.c` (`io_uring_setup`, `io_uring_create`,
//! `io_uring_sanitise_params`, `io_init_req`, `io_issue_sqe`, `io_queue_async`,
//! `io_req_complete_defer`, `__io_submit_flush_completions`, `io_req_complete_post`,
//! `io_cqe_overflow`, `__io_cqring_overflow_flush`, `io_commit_cqring`), `io_uring/io_uring.h`
//! (`io_get_cqe_overflow`), `io_uring/opdef.c`.
//!
//! Differences from upstream: the `io_uring_enter` syscall is a resumable state machine
//! ([`enter`]) so each unit of work is one simulator step; locks are not modelled except where
//! their absence is a bug the sanitizers report.

#![allow(non_camel_case_types)]

pub mod cmd_net;
pub mod enter;
pub mod exit;
pub mod nop;
pub mod tw;
pub mod types;
pub mod uring_cmd;

use crate::linux::fs::{FileKind, IO_URING_FOPS};
use crate::ring::{rings_off, Region, RingLayout};
use crate::sim::{self, Sim};
use crate::trace::{Ctx, Event};
use crate::uapi::errno::*;
use crate::uapi::io_uring::*;
use types::*;

/// `io_uring_sanitise_params`: rejects flag combinations the kernel rejects.
pub fn io_uring_sanitise_params(flags: u32) -> Result<(), i32> {
    if flags & !IORING_SETUP_FLAGS != 0 {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_SQ_REWIND != 0
        && (flags & IORING_SETUP_NO_SQARRAY == 0 || flags & IORING_SETUP_SQPOLL != 0)
    {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_REGISTERED_FD_ONLY != 0 && flags & IORING_SETUP_NO_MMAP == 0 {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_SQPOLL != 0
        && flags
            & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_DEFER_TASKRUN)
            != 0
    {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_TASKRUN_FLAG != 0
        && flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN) == 0
    {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_HYBRID_IOPOLL != 0 && flags & IORING_SETUP_IOPOLL == 0 {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_DEFER_TASKRUN != 0 && flags & IORING_SETUP_SINGLE_ISSUER == 0 {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_CQE32 != 0 && flags & IORING_SETUP_CQE_MIXED != 0 {
        return Err(EINVAL);
    }
    if flags & IORING_SETUP_SQE128 != 0 && flags & IORING_SETUP_SQE_MIXED != 0 {
        return Err(EINVAL);
    }
    Ok(())
}

/// Computes `(sq_entries, cq_entries)` from the request (`io_uring_fill_params`).
pub fn io_uring_fill_params(entries: u32, p: &io_uring_params) -> Result<(u32, u32), i32> {
    if entries == 0 {
        return Err(EINVAL);
    }
    let mut entries = entries;
    if entries > IORING_MAX_ENTRIES {
        if p.flags & IORING_SETUP_CLAMP == 0 {
            return Err(EINVAL);
        }
        entries = IORING_MAX_ENTRIES;
    }
    let sq = entries.next_power_of_two();
    let cq = if p.flags & IORING_SETUP_CQSIZE != 0 {
        if p.cq_entries == 0 {
            return Err(EINVAL);
        }
        let mut c = p.cq_entries;
        if c > IORING_MAX_CQ_ENTRIES {
            if p.flags & IORING_SETUP_CLAMP == 0 {
                return Err(EINVAL);
            }
            c = IORING_MAX_CQ_ENTRIES;
        }
        let c = c.next_power_of_two();
        if c < sq {
            return Err(EINVAL);
        }
        c
    } else {
        2 * sq
    };
    if p.flags & IORING_SETUP_CQE_MIXED != 0 && cq < 2 {
        return Err(EOVERFLOW);
    }
    if p.flags & IORING_SETUP_SQE_MIXED != 0 && sq < 2 {
        return Err(EOVERFLOW);
    }
    Ok((sq, cq))
}

/// `io_uring_setup(2)`: validates `p`, creates a ring, fills in `p` and returns its fd.
///
/// Mirrors `io_uring.c:io_uring_setup` → `io_uring_create`. Features not modelled
/// (`SQPOLL`, `IOPOLL`, `NO_MMAP`, `ATTACH_WQ`, `R_DISABLED`, `SQE_MIXED`) are refused with
/// `-EINVAL` after the kernel's own checks pass, and the refusal is documented in the
/// "Model and simplifications" page.
pub fn io_uring_setup(s: &mut Sim, entries: u32, p: &mut io_uring_params) -> i32 {
    if p.resv.iter().any(|&r| r != 0) {
        return -EINVAL;
    }
    if let Err(e) = io_uring_sanitise_params(p.flags) {
        return -e;
    }
    let (sq, cq) = match io_uring_fill_params(entries, p) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    const UNMODELLED: u32 = IORING_SETUP_SQPOLL
        | IORING_SETUP_IOPOLL
        | IORING_SETUP_NO_MMAP
        | IORING_SETUP_ATTACH_WQ
        | IORING_SETUP_R_DISABLED
        | IORING_SETUP_SQE_MIXED
        | IORING_SETUP_SQ_REWIND;
    if p.flags & UNMODELLED != 0 {
        return -EINVAL;
    }
    let layout = RingLayout::new(sq, cq, p.flags);
    let rings = Region::new(layout.rings_bytes as usize);
    let sqes = Region::new(layout.sqes_bytes as usize);
    rings.write_once_u32(rings_off::SQ_RING_MASK, sq - 1);
    rings.write_once_u32(rings_off::CQ_RING_MASK, cq - 1);
    rings.write_once_u32(rings_off::SQ_RING_ENTRIES, sq);
    rings.write_once_u32(rings_off::CQ_RING_ENTRIES, cq);
    let id = s.rings.len() as u32 + 1;
    let fd = s
        .fds
        .install(FileKind::IoUring(id), &IO_URING_FOPS, core::ptr::null_mut());
    let sqe_bytes = layout.sqes_bytes as usize;
    s.rings.push(Some(Box::new(IoRingCtx {
        id,
        fd,
        flags: p.flags,
        layout,
        rings,
        sqes,
        sq_mask: sq - 1,
        cq_mask: cq - 1,
        cached_sq_head: 0,
        cached_cq_tail: 0,
        reqs: Vec::new(),
        free: Vec::new(),
        compl_reqs: Vec::new(),
        overflow: Default::default(),
        cq_dropped_pending: false,
        drain_disabled: false,
        link_head: None,
        link_last: None,
        local_work: Default::default(),
        cancelable: Vec::new(),
        sqe_prov: vec![Prov::Fresh; sqe_bytes],
        dead: false,
    })));
    let (sq_off, cq_off) = layout.offsets();
    p.sq_entries = sq;
    p.cq_entries = cq;
    p.features = IORING_FEAT_FLAGS;
    p.sq_off = sq_off;
    p.cq_off = cq_off;
    s.emit(
        Event::io_uring_create,
        id,
        0,
        0,
        sq as i64,
        cq as i64 | (p.flags as i64) << 32,
    );
    fd
}

/// Allocates a request from the ring's cache (`io_alloc_req`), keeping its old PDU bytes.
pub fn io_alloc_req(s: &mut Sim, ring: u32) -> u32 {
    s.serial += 1;
    let serial = s.serial;
    let ctx = s.ring_mut(ring).expect("ring");
    let idx = match ctx.free.pop() {
        Some(i) => i,
        None => {
            // `__io_alloc_req_refill` bulk-allocates zeroed objects (__GFP_ZERO).
            let i = ctx.reqs.len() as u32;
            ctx.reqs.push(Box::new(IoKiocb {
                cmd: io_uring_cmd {
                    file: core::ptr::null_mut(),
                    sqe: core::ptr::null(),
                    cmd_op: 0,
                    flags: 0,
                    pdu: [0; PDU_SIZE],
                },
                serial: 0,
                index: i,
                ring,
                opcode: 0,
                sqe_flags: 0,
                state: ReqState::Free,
                flags: 0,
                user_data: 0,
                fd: -1,
                file: None,
                cqe: io_uring_cqe::default(),
                big_cqe: [0; 2],
                link: None,
                sqe_off: 0,
                sqe_len: 64,
                async_sqe: [0; 128],
                nop_result: 0,
                nop_flags: 0,
                pdu_prov: [Prov::Fresh; PDU_SIZE],
                pdu_src: [0; PDU_SIZE],
                issues: 0,
                in_issue: false,
                live_issue_flags: None,
                done_called: false,
            }));
            i
        }
    };
    let r = ctx.req_mut(idx);
    r.serial = serial;
    r.state = ReqState::Prepped;
    r.flags = 0;
    r.link = None;
    r.file = None;
    r.cqe = io_uring_cqe::default();
    r.big_cqe = [0; 2];
    r.issues = 0;
    r.in_issue = false;
    r.live_issue_flags = None;
    r.done_called = false;
    r.cmd.flags = 0;
    r.cmd.file = core::ptr::null_mut();
    r.cmd.sqe = core::ptr::null();
    // The PDU keeps whatever the previous user of this object left there.
    for p in r.pdu_prov.iter_mut() {
        if *p != Prov::Fresh {
            *p = Prov::Stale;
        }
    }
    idx
}

/// Returns a request to the cache (`io_req_add_to_cache`) and drops its file reference.
pub fn io_free_req(s: &mut Sim, ring: u32, idx: u32) {
    let (file, serial, ud) = {
        let ctx = s.ring_mut(ring).expect("ring");
        let r = ctx.req_mut(idx);
        r.state = ReqState::Free;
        (r.file.take(), r.serial, r.user_data)
    };
    if let Some(f) = file {
        if let Some(fl) = s.fds.put(f) {
            // The final fput from inside the kernel: `->release()` runs later (delayed_fput).
            crate::linux::workqueue::fput_deferred(s, fl);
        }
    }
    s.emit(Event::sim_req_free, ring, serial, ud, 0, 0);
    s.ring_mut(ring).expect("ring").free.push(idx);
}

/// Runs a file's `->release()` (outside the simulator borrow's users; the caller holds none of
/// the file's state).
pub fn release_file(fl: Box<crate::linux::fs::file>) {
    if let Some(rel) = fl.f_op.release {
        let p = Box::into_raw(fl);
        // SAFETY: `p` came from `Box::into_raw` just above and is freed right after.
        unsafe {
            rel(p);
            drop(Box::from_raw(p));
        }
    }
}

/// `io_req_set_res`.
pub fn io_req_set_res(s: &mut Sim, ring: u32, idx: u32, res: i32, cflags: u32) {
    let r = s.ring_mut(ring).expect("ring").req_mut(idx);
    r.cqe.res = res;
    r.cqe.flags = cflags;
}

/// `req_set_fail`: marks the request failed; a failed request always posts a CQE.
pub fn req_set_fail(s: &mut Sim, ring: u32, idx: u32) {
    let r = s.ring_mut(ring).expect("ring").req_mut(idx);
    r.flags |= REQ_F_FAIL;
    r.flags &= !REQ_F_CQE_SKIP;
}

/// `io_req_complete_defer`: queue for the next `__io_submit_flush_completions`.
pub fn io_req_complete_defer(s: &mut Sim, ring: u32, idx: u32) {
    let ctx = s.ring_mut(ring).expect("ring");
    ctx.req_mut(idx).state = ReqState::CompletePending;
    ctx.compl_reqs.push(idx);
}

/// `io_req_defer_failed`: fail the request with `res` and complete it at the next flush.
pub fn io_req_defer_failed(s: &mut Sim, ring: u32, idx: u32, res: i32) {
    req_set_fail(s, ring, idx);
    io_req_set_res(s, ring, idx, res, 0);
    io_req_complete_defer(s, ring, idx);
}

/// Returns `(queued, free)` CQ slots as `io_cqe_cache_refill` computes them.
fn cq_space(ctx: &IoRingCtx) -> u32 {
    let head = ctx.rings.read_once_u32(rings_off::CQ_HEAD);
    let queued = ctx
        .cached_cq_tail
        .wrapping_sub(head)
        .min(ctx.layout.cq_entries);
    ctx.layout.cq_entries - queued
}

/// Writes one CQE into the CQ ring or, when it is full or the overflow list is non-empty, onto
/// the overflow list (`io_fill_cqe_req` / `io_cqe_overflow`, NODROP semantics).
///
/// Returns the ring slot written, or `None` when the CQE went to the overflow list.
pub fn io_fill_cqe(
    s: &mut Sim,
    ring: u32,
    serial: u32,
    cqe: io_uring_cqe,
    big: Option<[u64; 2]>,
) -> Option<u32> {
    let ctx = s.ring_mut(ring).expect("ring");
    let big32 = ctx.flags & IORING_SETUP_CQE32 != 0;
    if !ctx.overflow.is_empty() || cq_space(ctx) == 0 {
        let first = ctx.overflow.is_empty();
        ctx.overflow.push_back(OverflowCqe {
            cqe,
            big_cqe: if big32 {
                Some(big.unwrap_or([0; 2]))
            } else {
                big
            },
            req: serial,
        });
        if first {
            let f = ctx.rings.read_once_u32(rings_off::SQ_FLAGS);
            ctx.rings
                .write_once_u32(rings_off::SQ_FLAGS, f | IORING_SQ_CQ_OVERFLOW);
        }
        s.emit(
            Event::io_uring_cqe_overflow,
            ring,
            serial,
            cqe.user_data,
            cqe.res as i64,
            cqe.flags as i64,
        );
        return None;
    }
    let slot = write_cqe_slot(ctx, cqe, big);
    s.emit(
        Event::io_uring_complete,
        ring,
        serial,
        cqe.user_data,
        cqe.res as i64,
        cqe.flags as i64 | (slot as i64) << 32,
    );
    Some(slot)
}

fn write_cqe_slot(ctx: &mut IoRingCtx, cqe: io_uring_cqe, big: Option<[u64; 2]>) -> u32 {
    let slot = ctx.cached_cq_tail & ctx.cq_mask;
    let size = ctx.layout.cqe_size as usize;
    let off = rings_off::CQES as usize + slot as usize * size;
    let mut bytes = [0u8; 32];
    bytes[0..8].copy_from_slice(&cqe.user_data.to_le_bytes());
    bytes[8..12].copy_from_slice(&cqe.res.to_le_bytes());
    bytes[12..16].copy_from_slice(&cqe.flags.to_le_bytes());
    if size == 32 {
        let b = big.unwrap_or([0; 2]);
        bytes[16..24].copy_from_slice(&b[0].to_le_bytes());
        bytes[24..32].copy_from_slice(&b[1].to_le_bytes());
    }
    ctx.rings.write_bytes(off, &bytes[..size]);
    ctx.cached_cq_tail = ctx.cached_cq_tail.wrapping_add(1);
    slot
}

/// `io_commit_cqring`: publish `cached_cq_tail` with a store-release.
pub fn io_commit_cqring(s: &mut Sim, ring: u32) {
    let ctx = s.ring_mut(ring).expect("ring");
    let old = ctx.rings.read_once_u32(rings_off::CQ_TAIL);
    let new = ctx.cached_cq_tail;
    if old != new {
        ctx.rings.store_release_u32(rings_off::CQ_TAIL, new);
        s.emit(
            Event::sim_cq_tail_commit,
            ring,
            0,
            0,
            new as i64,
            old as i64,
        );
    }
}

/// Posts the CQE of a finished request unless it is skipped, then frees it and starts the next
/// request of its link chain (`io_req_post_cqe` + `io_free_batch_list` + `io_queue_next`).
pub fn io_req_post_and_free(s: &mut Sim, ring: u32, idx: u32) {
    let (skip, serial, cqe, big) = {
        let r = s.ring(ring).expect("ring").req(idx);
        let big = if r.flags & REQ_F_BIG_CQE != 0 {
            Some(r.big_cqe)
        } else {
            None
        };
        (
            r.flags & REQ_F_CQE_SKIP != 0,
            r.serial,
            io_uring_cqe {
                user_data: r.user_data,
                res: r.cqe.res,
                flags: r.cqe.flags,
            },
            big,
        )
    };
    if !skip {
        io_fill_cqe(s, ring, serial, cqe, big);
    }
    s.ring_mut(ring).expect("ring").req_mut(idx).state = ReqState::Done;
    tw::io_queue_next(s, ring, idx);
    io_free_req(s, ring, idx);
}

/// `__io_submit_flush_completions`: posts every deferred completion, then publishes the tail.
pub fn io_submit_flush_completions(s: &mut Sim, ring: u32) {
    let list = core::mem::take(&mut s.ring_mut(ring).expect("ring").compl_reqs);
    for idx in list {
        io_req_post_and_free(s, ring, idx);
    }
    io_commit_cqring(s, ring);
}

/// `io_req_complete_post`: complete from a context that is not batching (io-wq).
///
/// With `DEFER_TASKRUN` (`ctx->lockless_cq`) the CQE is posted by task_work instead.
pub fn io_req_complete_post(s: &mut Sim, ring: u32, idx: u32) {
    if s.ring(ring).expect("ring").defer_taskrun() {
        tw::io_req_task_work_add(s, ring, idx, TwFunc::Complete, false);
        return;
    }
    io_req_post_and_free(s, ring, idx);
    io_commit_cqring(s, ring);
}

/// `__io_cqring_overflow_flush`: moves overflowed CQEs into the ring while there is room.
///
/// Returns how many moved.
pub fn io_cqring_overflow_flush(s: &mut Sim, ring: u32) -> u32 {
    let mut moved = 0;
    {
        let ctx = s.ring_mut(ring).expect("ring");
        while !ctx.overflow.is_empty() && cq_space(ctx) > 0 {
            let o = ctx.overflow.pop_front().expect("non-empty");
            write_cqe_slot(ctx, o.cqe, o.big_cqe);
            moved += 1;
        }
        if ctx.overflow.is_empty() {
            let f = ctx.rings.read_once_u32(rings_off::SQ_FLAGS);
            ctx.rings
                .write_once_u32(rings_off::SQ_FLAGS, f & !IORING_SQ_CQ_OVERFLOW);
        }
    }
    if moved > 0 {
        s.emit(Event::sim_overflow_flush, ring, 0, 0, moved as i64, 0);
        io_commit_cqring(s, ring);
    }
    moved
}

/// Resolves a request's file (`io_assign_file` → `io_file_get_normal`); `-EBADF` if none.
pub fn io_assign_file(s: &mut Sim, ring: u32, idx: u32) -> Result<(), i32> {
    let fd = s.ring(ring).expect("ring").req(idx).fd;
    let f = s.fds.fget(fd).ok_or(EBADF)?;
    s.fds.get(f);
    let ptr = s.fds.file_ptr(f);
    let r = s.ring_mut(ring).expect("ring").req_mut(idx);
    r.file = Some(f);
    r.cmd.file = ptr;
    Ok(())
}

/// Issues a request (`io_issue_sqe`) and acts on the handler's result.
///
/// This is called with no simulator borrow held, because the handler may be a driver.
pub fn io_issue_sqe(ring: u32, idx: u32, issue_flags: u32) {
    let (opcode, needs_file) = sim::with(|s| {
        let r = s.ring(ring).expect("ring").req(idx);
        let (op, serial, ud) = (r.opcode, r.serial, r.user_data);
        s.emit(
            Event::sim_issue,
            ring,
            serial,
            ud,
            issue_flags as i64,
            op as i64,
        );
        (op, op_needs_file(op))
    });
    let ret = if needs_file {
        match sim::with(|s| io_assign_file(s, ring, idx)) {
            Ok(()) => issue_op(opcode, ring, idx, issue_flags),
            Err(e) => -e,
        }
    } else {
        issue_op(opcode, ring, idx, issue_flags)
    };
    sim::with(|s| io_issue_result(s, ring, idx, issue_flags, ret));
}

fn op_needs_file(opcode: u8) -> bool {
    matches!(opcode, IORING_OP_URING_CMD | IORING_OP_URING_CMD128)
}

fn issue_op(opcode: u8, ring: u32, idx: u32, issue_flags: u32) -> i32 {
    match opcode {
        IORING_OP_NOP => sim::with(|s| nop::io_nop(s, ring, idx, issue_flags)),
        IORING_OP_URING_CMD | IORING_OP_URING_CMD128 => {
            uring_cmd::io_uring_cmd(ring, idx, issue_flags)
        }
        _ => -EINVAL,
    }
}

/// Acts on an issue handler's return value (the tail of `io_issue_sqe` plus `io_queue_sqe` /
/// `io_queue_async` for inline issues and `io_wq_submit_work` for io-wq ones).
pub fn io_issue_result(s: &mut Sim, ring: u32, idx: u32, issue_flags: u32, ret: i32) {
    const IOU_COMPLETE: i32 = 0;
    let from_iowq = issue_flags & IO_URING_F_IOWQ != 0;
    if ret == IOU_COMPLETE {
        if issue_flags & IO_URING_F_COMPLETE_DEFER != 0 {
            io_req_complete_defer(s, ring, idx);
        } else {
            io_req_complete_post(s, ring, idx);
        }
        return;
    }
    if ret == -EIOCBQUEUED {
        let r = s.ring_mut(ring).expect("ring").req_mut(idx);
        if r.state == ReqState::Issuing {
            r.state = ReqState::Inflight;
        }
        return;
    }
    if from_iowq {
        // `io_wq_submit_work`: no retry loop without IOPOLL; fail through task_work.
        tw::io_req_task_work_add(s, ring, idx, TwFunc::Fail(ret), false);
        return;
    }
    if ret == -EAGAIN {
        // `io_queue_async` → `io_arm_poll_handler` is ABORTED for ops without pollin/pollout
        // (URING_CMD) → the SQE is copied and the request goes to io-wq.
        uring_cmd::io_req_sqe_copy(s, ring, idx);
        io_queue_iowq(s, ring, idx);
        return;
    }
    io_req_defer_failed(s, ring, idx, ret);
}

/// `io_queue_iowq`: hand the request to an io-wq worker.
pub fn io_queue_iowq(s: &mut Sim, ring: u32, idx: u32) {
    let (serial, ud, op) = {
        let r = s.ring_mut(ring).expect("ring").req_mut(idx);
        r.state = ReqState::IowqQueued;
        (r.serial, r.user_data, r.opcode)
    };
    s.emit(
        Event::io_uring_queue_async_work,
        ring,
        serial,
        ud,
        op as i64,
        0,
    );
    s.iowq.push_back((ring, idx, serial));
}

/// `io_wq_submit_work`: what an io-wq worker does with one request.
pub fn io_wq_submit_work(ring: u32, idx: u32) {
    let flags = sim::with(|s| {
        let ctx = s.ring(ring).expect("ring");
        let f = IO_URING_F_UNLOCKED | IO_URING_F_IOWQ;
        let ud = ctx.req(idx).user_data;
        let serial = ctx.req(idx).serial;
        s.emit(Event::sim_iowq_run, ring, serial, ud, 0, 0);
        f
    });
    io_issue_sqe(ring, idx, flags);
}

/// Returns the SQE bytes a request was prepped from, for traces and the UI.
pub fn req_sqe_bytes(ctx: &IoRingCtx, idx: u32) -> [u8; 128] {
    let r = ctx.req(idx);
    if r.flags & REQ_F_SQE_COPIED != 0 {
        return r.async_sqe;
    }
    let mut b = [0u8; 128];
    ctx.sqes.read_bytes(r.sqe_off, &mut b[..r.sqe_len]);
    b
}

/// Marks the current context for trace records.
pub fn set_ctx(s: &mut Sim, c: Ctx) {
    s.cur_ctx = c;
}
