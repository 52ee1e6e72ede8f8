//! The io_uring core: ring setup, request init, issue, completion and the CQ ring.
//!
//! Mirrors: `io_uring/io_uring.c` (`io_uring_setup`, `io_uring_create`,
//! `io_uring_sanitise_params`, `io_uring_fill_params`, `io_alloc_req`, `io_issue_sqe`,
//! `io_queue_sqe`, `io_queue_async`, `io_queue_sqe_fallback`, `io_queue_iowq`,
//! `io_wq_submit_work`, `io_wq_free_work`, `io_drain_req`, `io_queue_deferred`,
//! `io_req_complete_defer`, `io_req_defer_failed`, `__io_submit_flush_completions`,
//! `io_free_batch_list`, `io_req_complete_post`, `io_req_find_next`, `io_queue_next`,
//! `io_fail_links`, `io_cqe_cache_refill`, `io_fill_nop_cqe`, `io_cqe_overflow`,
//! `__io_cqring_overflow_flush`), `io_uring/io_uring.h`
//! (`io_get_cqe_overflow`, `io_fill_cqe_req`, `req_set_fail`, `io_commit_cqring`),
//! `io_uring/opdef.c`.
//!
//! Differences from upstream: the `io_uring_enter` syscall is a resumable state machine
//! ([`enter`]) so each unit of work is one simulator step; locks are not modelled except where
//! their absence is a bug the sanitizers report. The kernel keeps a cached range of free CQ
//! slots between refills; the model recomputes that range for every CQE, which posts the same
//! CQEs because the range is only ever exhausted, never stale, when the overflow list is
//! non-empty.

#![allow(non_camel_case_types)]

#[macro_use]
mod lookup;
pub(crate) use lookup::{stale, Stale};

pub mod cancel;
pub mod enter;
pub mod exit;
pub mod iopoll;
pub mod kbuf;
pub mod net;
pub mod nop;
pub mod opdata;
pub mod opdef;
pub mod poll;
pub mod register;
pub mod rsrc;
pub mod rw;
pub mod sqe;
pub mod sqpoll;
pub mod syscall;
pub mod timeout;
pub mod tw;
pub mod types;
pub mod uring_cmd;

use crate::linux::fs::FileKind;
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
    // `rings_size`.
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
/// Mirrors `io_uring.c:io_uring_setup` → `io_uring_create` (`io_allocate_scq_urings`,
/// `io_sq_offload_create` in `io_uring/sqpoll.c`). What the recordings `setup_flags_each`,
/// `setup_flags_combos`, `setup_attach_wq` and `setup_r_disabled` show on 6.18 and this follows:
/// `HYBRID_IOPOLL` (with `IOPOLL`) behaves as `IOPOLL` (the sleep `io_uring_hybrid_poll`
/// takes before its first poll is not modelled: completions are found by polling at once); `R_DISABLED` creates a ring that
/// `io_uring_enter` refuses with `-EBADFD` until `IORING_REGISTER_ENABLE_RINGS`; `ATTACH_WQ`
/// without `SQPOLL` checks `wq_fd` (not open: `-ENXIO`, not a ring: `-EINVAL`) and otherwise
/// changes nothing the simulator shows (io-wq workers are not per-ring here); `SQ_AFF` without
/// `SQPOLL` is `-EINVAL`; `NO_MMAP` without the rings' user memory (`cq_off.user_addr` 0) is
/// `-EFAULT`. `SQPOLL` gets its thread ([`sqpoll`]). Not modelled, refused with `-EINVAL` after
/// the kernel's own checks pass: `NO_MMAP` with user memory. `IOPOLL` is modelled for uring_cmd and NOP
/// (`io_iopoll_check`, `io_do_iopoll`; `enter.rs`).
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
    // `io_allocate_scq_urings` → `io_create_region`: user memory for the rings.
    if p.flags & IORING_SETUP_NO_MMAP != 0 && p.cq_off.user_addr == 0 {
        return -EFAULT;
    }
    const UNMODELLED: u32 = IORING_SETUP_NO_MMAP;
    if p.flags & UNMODELLED != 0 {
        return -EINVAL;
    }
    // `io_sq_offload_create`: ATTACH_WQ without SQPOLL only checks `wq_fd`; with SQPOLL it
    // would share another ring's SQ thread, which is not modelled (refused with `-EINVAL`).
    if p.flags & IORING_SETUP_ATTACH_WQ != 0 {
        if p.flags & IORING_SETUP_SQPOLL != 0 {
            return -EINVAL;
        }
        let f = match s.linux.fds.fget(p.wq_fd as i32) {
            Some(f) => f,
            None => return -ENXIO,
        };
        if !matches!(s.linux.fds.file(f).kind, FileKind::IoUring(_)) {
            return -EINVAL;
        }
    }
    // SQPOLL's thread, and `SQ_AFF` without SQPOLL (`-EINVAL`).
    let sqd = match sqpoll::io_sq_offload_check(p) {
        Ok(d) => d,
        Err(e) => return -e,
    };
    let layout = RingLayout::new(sq, cq, p.flags);
    let rings = Region::new(layout.rings_bytes as usize);
    let sqes = Region::new(layout.sqes_bytes as usize);
    rings.write_once_u32(rings_off::SQ_RING_MASK, sq - 1);
    rings.write_once_u32(rings_off::CQ_RING_MASK, cq - 1);
    rings.write_once_u32(rings_off::SQ_RING_ENTRIES, sq);
    rings.write_once_u32(rings_off::CQ_RING_ENTRIES, cq);
    let id = s.io_uring.rings.len() as u32 + 1;
    let fd = s.linux.fds.install(
        FileKind::IoUring(id),
        &exit::IO_URING_FOPS,
        core::ptr::null_mut(),
    );
    let sqe_bytes = layout.sqes_bytes as usize;
    s.io_uring.rings.push(Some(Box::new(IoRingCtx {
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
        cqe_cached: 0,
        cqe_sentinel: 0,
        cqe_behind: false,
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
        iopoll_list: Vec::new(),
        sqe_prov: vec![Prov::Fresh; sqe_bytes],
        dead: false,
        exit: ExitProgress::default(),
        file_table: Vec::new(),
        buf_table: Vec::new(),
        defer_list: Default::default(),
        nr_drained: 0,
        drain_active: false,
        drain_next: false,
        ops: Default::default(),
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
    if let Some(mut d) = sqd {
        d.ring = id;
        let (j, cpu) = (d.idle_jiffies, d.cpu);
        s.linux.sq_threads.push(d);
        s.emit(Event::sim_sqpoll_create, id, 0, 0, j as i64, cpu as i64);
    }
    fd
}

pub use crate::linux::fs::fput;

/// Moves a request to state `to`, recording the transition (`sim_req_state`, from → to) so
/// the UI draws the request's path from what the core did rather than re-deriving it.
pub fn req_set_state(s: &mut Sim, req: Req, to: ReqState) {
    let ring = req.ring;
    let r = live!(s.req_mut(req));
    let from = r.state;
    if from == to {
        return;
    }
    r.state = to;
    let (serial, ud) = (r.serial, r.user_data);
    s.emit(
        Event::sim_req_state,
        ring,
        serial,
        ud,
        from as i64,
        to as i64,
    );
}

/// Allocates a request from the ring's cache (`io_alloc_req`), keeping its old PDU bytes.
pub fn io_alloc_req(s: &mut Sim, ring: u32) -> u32 {
    s.io_uring.serial += 1;
    let serial = s.io_uring.serial;
    let ctx = live!(s.ring_mut(ring));
    let idx = match ctx.free.pop() {
        Some(i) => i,
        None => {
            // `__io_alloc_req_refill` bulk-allocates zeroed objects (__GFP_ZERO).
            let i = ctx.reqs.len() as u32;
            ctx.reqs.push(Box::new(IoKiocb {
                cmd: io_uring_cmd {
                    file: core::ptr::null_mut(),
                    sqe: core::ptr::null(),
                    ptr_pad: [0; PTR_PAD],
                    task_work_cb: 0,
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
                nop_extra: [0; 2],
                pdu_prov: [Prov::Fresh; PDU_SIZE],
                pdu_src: [0; PDU_SIZE],
                issues: 0,
                in_issue: false,
                live_issue_flags: None,
                done_called: false,
                pdu_copied: 0,
                iopoll_completed: false,
                refs: 0,
                op: Default::default(),
            }));
            i
        }
    };
    let r = live!(ctx.req_mut(idx));
    r.serial = serial;
    r.flags = 0;
    r.link = None;
    r.file = None;
    r.fd = -1;
    r.cqe = io_uring_cqe::default();
    // `req->big_cqe` is not reset here: a recycled object keeps the words of its last user
    // until a 32-byte CQE or an overflow entry takes them (see [`req_post_clears_big`]).
    r.issues = 0;
    r.in_issue = false;
    r.live_issue_flags = None;
    r.done_called = false;
    r.pdu_copied = 0;
    r.iopoll_completed = false;
    r.refs = 0;
    r.op = Default::default();
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

/// `__io_req_caches_free`: returns the cached requests to the slab. A later allocation gets
/// zeroed memory again (`__GFP_ZERO`), so the objects lose their stale PDU bytes and
/// `big_cqe` words.
pub fn io_req_caches_free(s: &mut Sim, ring: u32) {
    let ctx = live!(s.ring_mut(ring));
    let free = ctx.free.clone();
    for idx in free {
        let r = live!(ctx.req_mut(idx));
        r.cmd.pdu = [0; PDU_SIZE];
        r.pdu_prov = [Prov::Fresh; PDU_SIZE];
        r.pdu_src = [0; PDU_SIZE];
        r.big_cqe = [0; 2];
    }
}

/// Returns a request to the cache (`io_req_add_to_cache`) and drops its file reference
/// (`io_put_file`: fixed files hold no reference of their own).
pub fn io_free_req(s: &mut Sim, req: Req) {
    let Req { ring, idx } = req;
    let (file, fixed, serial, ud, copied) = {
        let ctx = live!(s.ring_mut(ring));
        let r = live!(ctx.req_mut(idx));
        (
            r.file.take(),
            r.flags & REQ_F_FIXED_FILE != 0,
            r.serial,
            r.user_data,
            r.pdu_copied,
        )
    };
    if let Some(f) = file {
        if !fixed {
            if let Some(fl) = s.linux.fds.put(f) {
                // The final fput from inside the kernel: the object is torn down now, and
                // `->release()` runs later from the workqueue (delayed_fput).
                crate::linux::syscalls::release_obj(s, &fl);
                crate::linux::workqueue::fput_deferred(s, fl);
            }
        }
    }
    req_set_state(s, req, ReqState::Free);
    s.emit(Event::sim_req_free, ring, serial, ud, 0, copied as i64);
    live!(s.ring_mut(ring)).free.push(idx);
    exit::ring_maybe_freed(s, ring);
}

/// `io_req_set_res`.
pub fn io_req_set_res(s: &mut Sim, req: Req, res: i32, cflags: u32) {
    let r = live!(s.req_mut(req));
    r.cqe.res = res;
    r.cqe.flags = cflags;
}

/// `req_set_fail`: marks the request failed. A failed request always posts a CQE; if it had
/// `IOSQE_CQE_SKIP_SUCCESS`, the CQEs of the link members it cancels are skipped instead.
pub fn req_set_fail(s: &mut Sim, req: Req) {
    let r = live!(s.req_mut(req));
    r.flags |= REQ_F_FAIL;
    if r.flags & REQ_F_CQE_SKIP != 0 {
        r.flags &= !REQ_F_CQE_SKIP;
        r.flags |= REQ_F_SKIP_LINK_CQES;
    }
}

/// `io_req_complete_defer`: queue for the next `__io_submit_flush_completions`.
pub fn io_req_complete_defer(s: &mut Sim, req: Req) {
    let Req { ring, idx } = req;
    req_set_state(s, req, ReqState::CompletePending);
    live!(s.ring_mut(ring)).compl_reqs.push(idx);
}

/// `io_req_defer_failed`: fail the request with `res` and complete it at the next flush.
pub fn io_req_defer_failed(s: &mut Sim, req: Req, res: i32) {
    req_set_fail(s, req);
    // `def->fail` = `io_rw_fail` for the reads and writes: `io_fixup_rw_res` reports the bytes
    // a short write already moved instead of the error.
    let res = {
        let r = live!(s.req(req));
        let rw = matches!(
            r.opcode,
            IORING_OP_READ
                | IORING_OP_WRITE
                | IORING_OP_READV
                | IORING_OP_WRITEV
                | IORING_OP_READ_FIXED
                | IORING_OP_WRITE_FIXED
        );
        if rw && res < 0 && r.op.bytes_done > 0 {
            r.op.bytes_done as i32
        } else {
            res
        }
    };
    io_req_set_res(s, req, res, 0);
    io_req_complete_defer(s, req);
}

/// `__io_cqring_events`: CQEs written and not yet reaped, counting unpublished ones.
fn io_cqring_events(ctx: &IoRingCtx) -> u32 {
    ctx.cached_cq_tail
        .wrapping_sub(ctx.rings.read_once_u32(rings_off::CQ_HEAD))
}

/// `io_fill_nop_cqe`: the filler a `CQE_MIXED` ring posts in its last slot when a 32-byte CQE
/// would straddle the wrap (`user_data` 0, `res` 0, `IORING_CQE_F_SKIP`).
fn io_fill_nop_cqe(s: &mut Sim, ring: u32, off: u32) -> bool {
    let ctx = live!(s.ring_mut(ring));
    if io_cqring_events(ctx) >= ctx.layout.cq_entries {
        return false;
    }
    let mut b = [0u8; 16];
    b[12..16].copy_from_slice(&IORING_CQE_F_SKIP.to_le_bytes());
    ctx.rings
        .write_bytes(rings_off::CQES as usize + off as usize * 16, &b);
    ctx.cached_cq_tail = ctx.cached_cq_tail.wrapping_add(1);
    s.emit(
        Event::sim_cqe_skip_filler,
        ring,
        0,
        0,
        0,
        IORING_CQE_F_SKIP as i64 | (off as i64) << 32,
    );
    true
}

/// `io_cqe_cache_refill`: finds the contiguous free CQ range from `cached_cq_tail` and caches
/// it in `cqe_cached` / `cqe_sentinel`; false when the CQE must overflow.
///
/// Outside an overflow flush (`overflow` false) nothing new is cached while the overflow list
/// is non-empty (`IO_CHECK_CQ_OVERFLOW_BIT`), so completions keep their order. A 32-byte CQE
/// on a `CQE_MIXED` ring needs two contiguous slots; at the last slot before the wrap a filler
/// CQE is posted first (`io_fill_nop_cqe`).
fn io_cqe_cache_refill(s: &mut Sim, ring: u32, overflow: bool, cqe32: bool) -> bool {
    let (entries, mut off, cqe32_ring) = {
        let ctx = live!(s.ring(ring));
        if !overflow && !ctx.overflow.is_empty() {
            return false;
        }
        (
            ctx.layout.cq_entries,
            ctx.cached_cq_tail & ctx.cq_mask,
            ctx.flags & IORING_SETUP_CQE32 != 0,
        )
    };
    let mut filled = false;
    if cqe32 && off + 1 == entries {
        if !io_fill_nop_cqe(s, ring, off) {
            return false;
        }
        filled = true;
        off = 0;
    }
    let ctx = live!(s.ring_mut(ring));
    // Userspace may have moved the head anywhere: clamp, as the kernel does.
    let queued = io_cqring_events(ctx).min(entries);
    let free = entries - queued;
    let mut len = free.min(entries - off);
    if len < u32::from(cqe32) + 1 {
        // The filler advanced the tail, but the cached range stays where it was.
        ctx.cqe_behind = filled || ctx.cqe_behind;
        return false;
    }
    ctx.cqe_behind = false;
    if cqe32_ring {
        off <<= 1;
        len <<= 1;
    }
    ctx.cqe_cached = off;
    ctx.cqe_sentinel = off + len;
    true
}

/// `io_get_cqe_overflow`: reserves the CQ slot(s) for one CQE from the cached free range
/// (refilling it when it is too short) and returns the first slot, or `None` when the CQE
/// must go to the overflow list.
///
/// As in the kernel, a CQE that fits in what is left of the cached range is written there
/// without the overflow-list check of [`io_cqe_cache_refill`]. On a `CQE_MIXED` ring that
/// lets a 16-byte CQE pass a 32-byte one that could not fit and overflowed, and a filler
/// posted by a refill that then failed is overwritten by the next CQE while the tail still
/// counts both (measured on 6.18.44 by the differential fuzzer: the CQ ring then shows a
/// stale CQE from the slot's previous lap).
fn io_get_cqe_overflow(s: &mut Sim, ring: u32, overflow: bool, cqe32: bool) -> Option<u32> {
    let need = u32::from(cqe32) + 1;
    let short = {
        let ctx = live!(s.ring(ring));
        ctx.cqe_sentinel.saturating_sub(ctx.cqe_cached) < need
    };
    if short && !io_cqe_cache_refill(s, ring, overflow, cqe32) {
        return None;
    }
    let quirk = {
        let ctx = live!(s.ring(ring));
        if ctx.cqe_behind {
            1
        } else if !overflow && !ctx.overflow.is_empty() {
            2
        } else {
            0
        }
    };
    if quirk != 0 {
        let unit = live!(s.ring(ring)).cqe_cached;
        s.emit(
            Event::sim_cqe_cache_quirk,
            ring,
            0,
            0,
            quirk,
            i64::from(unit),
        );
    }
    let ctx = live!(s.ring_mut(ring));
    let unit = ctx.cqe_cached;
    ctx.cached_cq_tail = ctx.cached_cq_tail.wrapping_add(1);
    ctx.cqe_cached += 1;
    if ctx.flags & IORING_SETUP_CQE32 != 0 {
        ctx.cqe_cached += 1;
        return Some(unit >> 1);
    }
    if cqe32 && ctx.flags & IORING_SETUP_CQE_MIXED != 0 {
        ctx.cqe_cached += 1;
        ctx.cached_cq_tail = ctx.cached_cq_tail.wrapping_add(1);
    }
    Some(unit)
}

/// Writes a CQE (and, on `CQE32` rings or with `IORING_CQE_F_32`, its two extra words) at
/// `slot`.
///
/// `big` is `None` for a 16-byte CQE. On a `CQE32` ring every slot is 32 bytes, and `None` then
/// writes only the first 16: the extra words keep whatever the slot held before, as
/// `io_fill_cqe_aux` leaves them (it clears them only for an `IORING_CQE_F_32` CQE).
fn write_cqe_slot(ctx: &mut IoRingCtx, slot: u32, cqe: io_uring_cqe, big: Option<[u64; 2]>) {
    let cqe32_ring = ctx.flags & IORING_SETUP_CQE32 != 0;
    let (off, size) = if cqe32_ring {
        (
            rings_off::CQES as usize + slot as usize * 32,
            if big.is_some() { 32 } else { 16 },
        )
    } else {
        (
            rings_off::CQES as usize + slot as usize * 16,
            if big.is_some() { 32 } else { 16 },
        )
    };
    let mut bytes = [0u8; 32];
    bytes[0..8].copy_from_slice(&cqe.user_data.to_le_bytes());
    bytes[8..12].copy_from_slice(&cqe.res.to_le_bytes());
    bytes[12..16].copy_from_slice(&cqe.flags.to_le_bytes());
    let b = big.unwrap_or([0; 2]);
    bytes[16..24].copy_from_slice(&b[0].to_le_bytes());
    bytes[24..32].copy_from_slice(&b[1].to_le_bytes());
    ctx.rings.write_bytes(off, &bytes[..size]);
}

/// Whether a CQE carries two extra words: every CQE on a `CQE32` ring, and CQEs flagged
/// `IORING_CQE_F_32` on a `CQE_MIXED` ring.
fn cqe_is_big(ctx: &IoRingCtx, cqe: &io_uring_cqe) -> bool {
    ctx.flags & IORING_SETUP_CQE32 != 0
        || (ctx.flags & IORING_SETUP_CQE_MIXED != 0 && cqe.flags & IORING_CQE_F_32 != 0)
}

/// Posts one CQE into the CQ ring if it has room (`io_fill_cqe_req` / `io_fill_cqe_aux`).
///
/// Returns the slot written, or `None` when there is no room (the caller overflows it).
fn fill_cqe_try(
    s: &mut Sim,
    ring: u32,
    serial: u32,
    cqe: io_uring_cqe,
    big: Option<[u64; 2]>,
    overflow: bool,
) -> Option<u32> {
    let (is_big, f32) = {
        let ctx = live!(s.ring(ring));
        (cqe_is_big(ctx, &cqe), cqe.flags & IORING_CQE_F_32 != 0)
    };
    let slot = io_get_cqe_overflow(s, ring, overflow, f32)?;
    let ctx = live!(s.ring_mut(ring));
    write_cqe_slot(ctx, slot, cqe, if is_big { big } else { None });
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

/// `io_cqe_overflow`: appends a CQE to the overflow list (`IORING_FEAT_NODROP`); the first
/// entry sets `IORING_SQ_CQ_OVERFLOW`.
fn io_cqe_overflow(s: &mut Sim, ring: u32, serial: u32, cqe: io_uring_cqe, big: [u64; 2]) {
    let ctx = live!(s.ring_mut(ring));
    let is_big = cqe_is_big(ctx, &cqe);
    if ctx.overflow.is_empty() {
        let f = ctx.rings.read_once_u32(rings_off::SQ_FLAGS);
        ctx.rings
            .write_once_u32(rings_off::SQ_FLAGS, f | IORING_SQ_CQ_OVERFLOW);
    }
    ctx.overflow.push_back(OverflowCqe {
        cqe,
        big_cqe: if is_big { Some(big) } else { None },
        req: serial,
    });
    s.emit(
        Event::io_uring_cqe_overflow,
        ring,
        serial,
        cqe.user_data,
        cqe.res as i64,
        cqe.flags as i64,
    );
}

/// Posts a CQE, or overflows it when the CQ ring has no room for it (NODROP semantics).
///
/// Returns the slot written, or `None` when the CQE went to the overflow list.
pub fn io_fill_cqe(
    s: &mut Sim,
    ring: u32,
    serial: u32,
    cqe: io_uring_cqe,
    big: Option<[u64; 2]>,
) -> Option<u32> {
    let big = big.unwrap_or([0; 2]);
    let slot = fill_cqe_try(s, ring, serial, cqe, Some(big), false);
    if slot.is_none() {
        io_cqe_overflow(s, ring, serial, cqe, big);
    }
    slot
}

/// `io_req_post_cqe`: posts an extra CQE for a request that stays in flight (a multishot
/// poll's `IORING_CQE_F_MORE` CQE) straight into the CQ ring, after flushing the completions
/// deferred before it. Unlike a request's own CQE it
/// never goes to the overflow list: false when the ring has no room (or CQEs wait on the
/// overflow list), and the caller then ends the multishot request.
pub fn io_req_post_cqe(s: &mut Sim, req: Req, res: i32, cflags: u32) -> bool {
    let ring = req.ring;
    // Completions deferred earlier in this batch are flushed first, so CQEs keep their order
    // (fuzz_50: a one-shot poll woken just before a multishot one posts its CQE first).
    if !live!(s.ring(ring)).compl_reqs.is_empty() {
        io_submit_flush_completions(s, ring);
    }
    let (serial, user_data) = {
        let r = live!(s.req(req));
        (r.serial, r.user_data)
    };
    let cqe = io_uring_cqe {
        user_data,
        res,
        flags: cflags,
    };
    // `io_fill_cqe_aux` clears the extra words only of an `IORING_CQE_F_32` CQE: on a `CQE32`
    // ring the slot keeps the words of the CQE it held before (fuzz_27 on 6.18.44: a multishot
    // poll's second `F_MORE` CQE shows the extra words a NOP posted into that slot earlier).
    let big = if cflags & IORING_CQE_F_32 != 0 {
        Some([0; 2])
    } else {
        None
    };
    let posted = fill_cqe_try(s, ring, serial, cqe, big, false).is_some();
    live!(s.ring_mut(ring)).ops.cq_flush = true;
    posted
}

/// `io_commit_cqring`: publish `cached_cq_tail` with a store-release.
pub fn io_commit_cqring(s: &mut Sim, ring: u32) {
    let ctx = live!(s.ring_mut(ring));
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
    // `__io_commit_cqring_flush`: counted timeouts look at the new tail.
    timeout::io_flush_timeouts(s, ring);
}

/// Whether posting a request's CQE consumes its extra words (`io_fill_cqe_req` clears
/// `req->big_cqe` after copying it into a 32-byte CQE; `io_alloc_ocqe` clears it whenever the
/// CQE overflows). A skipped CQE (`REQ_F_CQE_SKIP`) or a 16-byte one leaves the words in the
/// request object, and the next request that recycles the object from the ring's cache posts
/// them if it completes with a 32-byte CQE without setting its own: on a `CQE32` ring, a
/// `CQE_SKIP_SUCCESS` NOP with `IORING_NOP_CQE32` leaks its `extra1`/`extra2` into a later
/// request's CQE (seen on 6.18.44 by the differential fuzzer, `conformance/fuzz/`).
fn req_post_clears_big(ctx: &IoRingCtx, cqe: &io_uring_cqe) -> bool {
    cqe_is_big(ctx, cqe)
}

/// The CQE a request posts, and its extra words.
fn req_cqe(s: &Sim, req: Req) -> (u32, io_uring_cqe, [u64; 2], bool) {
    let r = live!(s.req(req));
    (
        r.serial,
        io_uring_cqe {
            user_data: r.user_data,
            res: r.cqe.res,
            flags: r.cqe.flags,
        },
        r.big_cqe,
        r.flags & REQ_F_CQE_SKIP != 0,
    )
}

/// `__io_submit_flush_completions`: posts the CQE of every deferred completion (or overflows
/// it), publishes the CQ tail, then frees the requests (which starts or fails the rest of
/// their link chains) and lets drained requests go if nothing else is in flight.
pub fn io_submit_flush_completions(s: &mut Sim, ring: u32) {
    live!(s.ring_mut(ring)).ops.cq_flush = false;
    let list = core::mem::take(&mut live!(s.ring_mut(ring)).compl_reqs);
    for &idx in &list {
        let (serial, cqe, big, skip) = req_cqe(s, Req::new(ring, idx));
        let mut clear = false;
        if !skip {
            let posted = io_fill_cqe(s, ring, serial, cqe, Some(big)).is_some();
            clear = !posted || req_post_clears_big(live!(s.ring(ring)), &cqe);
        }
        let r = live!(s.req_mut(Req::new(ring, idx)));
        if clear {
            r.big_cqe = [0; 2];
        }
        req_set_state(s, Req::new(ring, idx), ReqState::Done);
    }
    io_commit_cqring(s, ring);
    io_free_batch_list(s, ring, &list);
    // Hand the list's allocation back for the next batch (unless freeing queued new work).
    let mut list = list;
    list.clear();
    let ctx = live!(s.ring_mut(ring));
    if ctx.compl_reqs.is_empty() {
        ctx.compl_reqs = list;
    }
    if live!(s.ring(ring)).drain_active {
        io_queue_deferred(s, ring);
    }
}

/// `io_free_batch_list`: drops the completion's reference (requests that went through io-wq
/// are refcounted), queues the next link member and frees the request.
fn io_free_batch_list(s: &mut Sim, ring: u32, list: &[u32]) {
    for &idx in list {
        let flags = {
            let r = live!(s.req_mut(Req::new(ring, idx)));
            if r.flags & REQ_F_REFCOUNT != 0 {
                r.refs = r.refs.saturating_sub(1);
                if r.refs != 0 {
                    continue;
                }
            }
            r.flags
        };
        if flags & IO_REQ_LINK_FLAGS != 0 {
            io_queue_next(s, Req::new(ring, idx));
        }
        io_free_req(s, Req::new(ring, idx));
    }
}

/// `io_req_complete_post`: completion from io-wq, which does not batch.
///
/// The CQE is posted at once under the completion lock, unless the ring completes only in
/// its task (`lockless_cq`) or the CQ ring has no room: then task_work posts it. The request
/// is not freed here; io-wq drops its reference in [`io_wq_free_work`].
pub fn io_req_complete_post(s: &mut Sim, req: Req) {
    let ring = req.ring;
    if live!(s.ring(ring)).lockless_cq() {
        tw::io_req_task_work_add(s, req, TwFunc::Complete, false);
        return;
    }
    let (serial, cqe, big, skip) = req_cqe(s, req);
    let mut completed = true;
    if !skip {
        completed = fill_cqe_try(s, ring, serial, cqe, Some(big), false).is_some();
    }
    io_commit_cqring(s, ring);
    if !completed {
        tw::io_req_task_work_add(s, req, TwFunc::Complete, false);
        return;
    }
    let clear = !skip && req_post_clears_big(live!(s.ring(ring)), &cqe);
    let r = live!(s.req_mut(req));
    if clear {
        r.big_cqe = [0; 2];
    }
    // `req_ref_put`: io-wq still holds its reference.
    r.refs = r.refs.saturating_sub(1);
    req_set_state(s, req, ReqState::Done);
}

/// `__io_cqring_overflow_flush`: moves overflowed CQEs into the ring, oldest first, while
/// there is room.
///
/// Returns how many moved. The attempt is traced even when the CQ ring is full and nothing
/// can move (`sim_overflow_flush` with b = 1).
pub fn io_cqring_overflow_flush(s: &mut Sim, ring: u32) -> u32 {
    {
        let ctx = live!(s.ring(ring));
        if io_cqring_events(ctx) == ctx.layout.cq_entries {
            s.emit(Event::sim_overflow_flush, ring, 0, 0, 0, 1);
            return 0;
        }
    }
    let mut moved = 0;
    while let Some(o) = live!(s.ring(ring)).overflow.front().copied() {
        let f32 = o.cqe.flags & IORING_CQE_F_32 != 0;
        let slot = match io_get_cqe_overflow(s, ring, true, f32) {
            Some(slot) => slot,
            None => break,
        };
        let ctx = live!(s.ring_mut(ring));
        write_cqe_slot(ctx, slot, o.cqe, o.big_cqe);
        ctx.overflow.pop_front();
        moved += 1;
    }
    let ctx = live!(s.ring_mut(ring));
    if ctx.overflow.is_empty() {
        let f = ctx.rings.read_once_u32(rings_off::SQ_FLAGS);
        ctx.rings
            .write_once_u32(rings_off::SQ_FLAGS, f & !IORING_SQ_CQ_OVERFLOW);
    }
    s.emit(Event::sim_overflow_flush, ring, 0, 0, moved as i64, 0);
    io_commit_cqring(s, ring);
    moved
}

/// `io_req_find_next`: detaches the next request of the chain; a failed request (unless
/// hard-linked) fails the rest of its chain instead (`io_disarm_next` → `io_fail_links`).
pub fn io_req_find_next(s: &mut Sim, req: Req) -> Option<u32> {
    // `io_disarm_next`: a LINK_TIMEOUT behind the request is done with.
    timeout::io_disarm_ltimeout(s, req);
    let (failed, hard) = {
        let r = live!(s.req(req));
        (r.flags & REQ_F_FAIL != 0, r.flags & REQ_F_HARDLINK != 0)
    };
    if failed && !hard {
        io_fail_links(s, req);
    }
    live!(s.req_mut(req)).link.take()
}

/// `io_queue_next`: starts the next request of the chain through task_work.
pub fn io_queue_next(s: &mut Sim, req: Req) {
    let ring = req.ring;
    if let Some(nxt) = io_req_find_next(s, req) {
        tw::io_req_task_work_add(s, Req::new(ring, nxt), TwFunc::Submit, false);
    }
}

/// `io_fail_links`: every request after `idx` in its chain completes through one task_work
/// item (`io_req_tw_fail_links`); their CQEs are skipped if `idx` had
/// `REQ_F_SKIP_LINK_CQES`, and posted otherwise (even with `IOSQE_CQE_SKIP_SUCCESS`).
pub fn io_fail_links(s: &mut Sim, req: Req) {
    let ring = req.ring;
    let (first, ignore, head_serial) = {
        let r = live!(s.req(req));
        (r.link, r.flags & REQ_F_SKIP_LINK_CQES != 0, r.serial)
    };
    let first = match first {
        Some(f) => f,
        None => return,
    };
    let mut cur = Some(first);
    while let Some(m) = cur {
        let (serial, ud, res, nxt) = {
            let r = live!(s.req_mut(Req::new(ring, m)));
            if ignore {
                r.flags |= REQ_F_CQE_SKIP;
            } else {
                r.flags &= !REQ_F_CQE_SKIP;
            }
            (r.serial, r.user_data, r.cqe.res, r.link)
        };
        s.emit(
            Event::io_uring_fail_link,
            ring,
            serial,
            ud,
            head_serial as i64,
            res as i64,
        );
        cur = nxt;
    }
    tw::io_req_task_work_add(s, Req::new(ring, first), TwFunc::FailLinks, false);
    live!(s.req_mut(req)).link = None;
}

/// `io_linked_nr`: the request and everything linked behind it.
pub fn io_linked_nr(s: &Sim, req: Req) -> u32 {
    let Req { ring, idx } = req;
    let ctx = live!(s.ring(ring));
    let mut n = 0;
    let mut cur = Some(idx);
    while let Some(c) = cur {
        n += 1;
        cur = live!(ctx.req(c)).link;
    }
    n
}

/// `io_drain_req`: holds a request back until every request submitted before it completed.
pub fn io_drain_req(s: &mut Sim, req: Req) {
    let Req { ring, idx } = req;
    let (drain, serial, ud) = {
        let r = live!(s.req(req));
        (r.flags & REQ_F_IO_DRAIN != 0, r.serial, r.user_data)
    };
    s.emit(Event::io_uring_defer, ring, serial, ud, 0, 0);
    let n = io_linked_nr(s, req);
    {
        let ctx = live!(s.ring_mut(ring));
        ctx.nr_drained += n;
        ctx.defer_list.push_back(idx);
        req_set_state(s, req, ReqState::Linked);
    }
    io_queue_deferred(s, ring);
    let ctx = live!(s.ring_mut(ring));
    if !drain && ctx.defer_list.is_empty() {
        ctx.drain_active = false;
    }
}

/// `io_queue_deferred`: releases drained requests, in order, once the only requests still
/// allocated are drained ones (a request marked `IOSQE_IO_DRAIN`, and everything after it,
/// waits for that).
pub fn io_queue_deferred(s: &mut Sim, ring: u32) {
    io_req_caches_free(s, ring);
    let mut drain_seen = false;
    let mut first = true;
    loop {
        let (de, live, drained) = {
            let ctx = live!(s.ring(ring));
            match ctx.defer_list.front() {
                Some(&d) => (d, ctx.live_reqs(), ctx.nr_drained),
                None => return,
            }
        };
        drain_seen |= live!(s.req(Req::new(ring, de))).flags & REQ_F_IO_DRAIN != 0;
        if (drain_seen || first) && live != drained {
            return;
        }
        let n = io_linked_nr(s, Req::new(ring, de));
        {
            let ctx = live!(s.ring_mut(ring));
            ctx.defer_list.pop_front();
            ctx.nr_drained -= n;
        }
        tw::io_req_task_work_add(s, Req::new(ring, de), TwFunc::Submit, false);
        first = false;
    }
}

/// Resolves a request's file (`io_assign_file`): a registered file for `REQ_F_FIXED_FILE`
/// (`io_file_get_fixed`, no reference taken), else the descriptor (`io_file_get_normal`).
///
/// # Errors
///
/// `EBADF` when there is no such file.
pub fn io_assign_file(s: &mut Sim, req: Req) -> Result<(), i32> {
    let ring = req.ring;
    let (fd, fixed) = {
        let r = live!(s.req(req));
        if r.file.is_some() {
            return Ok(());
        }
        (r.fd, r.flags & REQ_F_FIXED_FILE != 0)
    };
    let f = if fixed {
        rsrc::io_file_get_fixed(s, ring, fd).ok_or(EBADF)?
    } else {
        // `io_file_get_normal` traces the lookup whether or not `fget` finds a file.
        let (serial, ud) = {
            let r = live!(s.req(req));
            (r.serial, r.user_data)
        };
        s.emit(Event::io_uring_file_get, ring, serial, ud, fd as i64, 0);
        let f = s.linux.fds.fget(fd).ok_or(EBADF)?;
        s.linux.fds.get(f);
        f
    };
    let ptr = s.linux.fds.file_ptr(f);
    let r = live!(s.req_mut(req));
    r.file = Some(f);
    r.cmd.file = ptr;
    Ok(())
}

/// `io_issue_sqe`: resolves the file, runs the opcode's issue handler and completes the
/// request if the handler finished it.
///
/// Returns 0 when the request completed or is in flight, or the handler's error (for the
/// caller to punt or fail). Called with no simulator borrow held: the handler may be a driver.
pub fn io_issue_sqe(req: Req, issue_flags: u32) -> i32 {
    let Req { ring, idx } = req;
    let (opcode, needs_file) = sim::with(|s| {
        let r = live!(s.req(req));
        let (op, serial, ud) = (r.opcode, r.serial, r.user_data);
        s.emit(
            Event::sim_issue,
            ring,
            serial,
            ud,
            issue_flags as i64,
            op as i64,
        );
        req_set_state(s, req, ReqState::Issuing);
        (op, opdef::io_issue_def(op).needs_file)
    });
    if needs_file {
        if let Err(e) = sim::with(|s| io_assign_file(s, req)) {
            return -e;
        }
    }
    let ret = issue_op(opcode, req, issue_flags);
    sim::with(|s| {
        const IOU_COMPLETE: i32 = 0;
        if ret == IOU_COMPLETE {
            if issue_flags & IO_URING_F_COMPLETE_DEFER != 0 {
                io_req_complete_defer(s, req);
            } else {
                io_req_complete_post(s, req);
            }
            return 0;
        }
        if ret == -EIOCBQUEUED {
            if live!(s.req(req)).state == ReqState::Issuing {
                req_set_state(s, req, ReqState::Inflight);
            }
            // `io_arm_ltimeout`: the request went async, its LINK_TIMEOUT starts.
            timeout::io_arm_ltimeout(s, req);
            // `IOU_ISSUE_SKIP_COMPLETE` on an IOPOLL ring for an op with `iopoll_queue`
            // (uring_cmd): `io_iopoll_req_issued` puts it on `ctx->iopoll_list`, where only
            // polling finds its completion (`io_uring/io_uring.c:io_issue_sqe`).
            let ctx = live!(s.ring(ring));
            let r = live!(ctx.req(idx));
            if ctx.flags & IORING_SETUP_IOPOLL != 0
                && opdef::io_issue_def(r.opcode).iopoll
                && matches!(r.state, ReqState::Inflight | ReqState::Issuing)
                && r.serial != 0
            {
                let (serial, ud) = (r.serial, r.user_data);
                let ctx = live!(s.ring_mut(ring));
                if !ctx.iopoll_list.contains(&idx) {
                    ctx.iopoll_list.push(idx);
                }
                let n = ctx.iopoll_list.len();
                s.emit(Event::sim_iopoll_queue, ring, serial, ud, n as i64, 0);
            }
            return 0;
        }
        ret
    })
}

fn issue_op(opcode: u8, req: Req, issue_flags: u32) -> i32 {
    match opcode {
        IORING_OP_NOP | IORING_OP_NOP128 => sim::with(|s| nop::io_nop(s, req, issue_flags)),
        IORING_OP_URING_CMD | IORING_OP_URING_CMD128 => uring_cmd::io_uring_cmd(req, issue_flags),
        IORING_OP_READ | IORING_OP_READV | IORING_OP_READ_FIXED => {
            sim::with(|s| rw::io_read(s, req, issue_flags))
        }
        IORING_OP_WRITE | IORING_OP_WRITEV | IORING_OP_WRITE_FIXED => {
            sim::with(|s| rw::io_write(s, req, issue_flags))
        }
        IORING_OP_TIMEOUT => sim::with(|s| timeout::io_timeout(s, req)),
        IORING_OP_TIMEOUT_REMOVE => sim::with(|s| timeout::io_timeout_remove(s, req)),
        IORING_OP_ASYNC_CANCEL => sim::with(|s| cancel::io_async_cancel(s, req)),
        IORING_OP_POLL_ADD => sim::with(|s| poll::io_poll_add(s, req)),
        IORING_OP_POLL_REMOVE => sim::with(|s| poll::io_poll_remove(s, req)),
        IORING_OP_SEND => sim::with(|s| net::io_send(s, req, issue_flags)),
        IORING_OP_RECV => sim::with(|s| net::io_recv(s, req, issue_flags)),
        IORING_OP_ACCEPT => sim::with(|s| net::io_accept(s, req, issue_flags)),
        IORING_OP_PROVIDE_BUFFERS | IORING_OP_REMOVE_BUFFERS => {
            sim::with(|s| kbuf::io_manage_buffers_legacy(s, req))
        }
        // A LINK_TIMEOUT is never issued: its chain takes it out before the next member runs.
        _ => -EINVAL,
    }
}

/// `io_queue_sqe`: issues a request from the submitting task (inline, or from task_work with
/// `extra_flags` 0) and punts or fails it if the handler did not finish it.
pub fn io_queue_sqe(req: Req, extra_flags: u32) {
    let issue_flags = IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER | extra_flags;
    let ret = io_issue_sqe(req, issue_flags);
    if ret != 0 {
        sim::with(|s| io_queue_async(s, req, ret));
    }
}

/// `io_queue_async`: an error other than `-EAGAIN` (or `-EAGAIN` with `REQ_F_NOWAIT`) fails the
/// request; otherwise the request waits on its file through async poll
/// (`io_arm_poll_handler`), is retried at once through task_work when the file is ready
/// already, or (a file or opcode that cannot be polled) copies its SQE and goes to io-wq.
/// A LINK_TIMEOUT behind it starts now.
pub fn io_queue_async(s: &mut Sim, req: Req, ret: i32) {
    if ret != -EAGAIN || live!(s.req(req)).flags & opdata::REQ_F_NOWAIT != 0 {
        io_req_defer_failed(s, req, ret);
        return;
    }
    match poll::io_arm_poll_handler(s, req) {
        poll::Apoll::Ok => {}
        poll::Apoll::Ready => tw::io_req_task_work_add(s, req, TwFunc::Submit, false),
        poll::Apoll::Aborted => {
            uring_cmd::io_req_sqe_copy(s, req);
            io_queue_iowq(s, req);
        }
    }
    timeout::io_arm_ltimeout(s, req);
}

/// `io_queue_sqe_fallback`: a failed request (or chain) completes with its error, hard links
/// turned soft so the whole chain is cancelled; any other request goes to the drain list or
/// to io-wq.
pub fn io_queue_sqe_fallback(s: &mut Sim, req: Req) {
    let ring = req.ring;
    let failed = live!(s.req(req)).flags & REQ_F_FAIL != 0;
    if failed {
        let res = {
            let r = live!(s.req_mut(req));
            r.flags &= !REQ_F_HARDLINK;
            r.flags |= REQ_F_LINK;
            r.cqe.res
        };
        io_req_defer_failed(s, req, res);
        return;
    }
    uring_cmd::io_req_sqe_copy(s, req);
    if live!(s.ring(ring)).drain_active {
        io_drain_req(s, req);
    } else {
        io_queue_iowq(s, req);
    }
}

/// `io_queue_iowq`: hand the request to an io-wq worker.
pub fn io_queue_iowq(s: &mut Sim, req: Req) {
    let ring = req.ring;
    let (serial, ud, op, isreg) = {
        let r = live!(s.req(req));
        (
            r.serial,
            r.user_data,
            r.opcode,
            r.flags & opdata::REQ_F_ISREG != 0,
        )
    };
    // `io_prep_async_work`: work on a regular file is hashed (serialised per inode) for the
    // opcodes with `hash_reg_file` (the writes) and on IOPOLL rings. REQ_F_ISREG is known once
    // the file was looked at by an issue attempt, so a forced-async write that never tried
    // inline goes to the normal queue (`readv_async_link`, `fixed_rw_regular_file`).
    let hashed = isreg
        && (matches!(
            op,
            IORING_OP_WRITE | IORING_OP_WRITEV | IORING_OP_WRITE_FIXED
        ) || live!(s.ring(ring)).flags & IORING_SETUP_IOPOLL != 0);
    req_set_state(s, req, ReqState::IowqQueued);
    s.emit(
        Event::io_uring_queue_async_work,
        ring,
        serial,
        ud,
        op as i64,
        i64::from(hashed),
    );
    s.io_uring.iowq.push_back((req, serial));
}

/// `io_wq_submit_work` followed by `io_wq_free_work`: what an io-wq worker does with one
/// request.
///
/// The worker holds a reference for the duration; issue errors (including a second
/// `-EAGAIN`, which is final without `IOPOLL`) fail the request through task_work. When the
/// worker drops the last reference the request is freed through task_work and the next
/// request of its chain runs on io-wq as well.
pub fn io_wq_submit_work(req: Req) {
    let Req { ring, idx } = req;
    let flags = IO_URING_F_UNLOCKED | IO_URING_F_IOWQ;
    let dead = sim::with(|s| {
        let ctx = live!(s.ring_mut(ring));
        let dead = ctx.dead;
        let r = live!(ctx.req_mut(idx));
        if r.flags & REQ_F_REFCOUNT == 0 {
            r.flags |= REQ_F_REFCOUNT;
            r.refs = 2;
        } else {
            r.refs += 1;
        }
        let (serial, ud) = (r.serial, r.user_data);
        s.emit(Event::sim_iowq_run, ring, serial, ud, 0, 0);
        dead
    });
    let ret = if dead {
        // `IO_WQ_WORK_CANCEL`: the ring is going away.
        -ECANCELED
    } else {
        io_wq_issue(req, flags)
    };
    sim::with(|s| {
        set_ctx(s, Ctx::IoWq);
        if ret != 0 {
            io_req_set_res(s, req, ret, 0);
            tw::io_req_task_work_add(s, req, TwFunc::Fail(ret), false);
        }
        io_wq_free_work(s, req);
    });
}

/// The issue loop of `io_wq_submit_work`: a forced-async request on a pollable file is tried
/// non-blocking first and, on `-EAGAIN`, waits through async poll armed from the worker (the
/// worker then lets go of it); otherwise, or when arming fails, it is retried blocking.
fn io_wq_issue(req: Req, flags: u32) -> i32 {
    let mut flags = flags;
    let needs_poll = sim::with(|s| {
        timeout::io_arm_ltimeout(s, req);
        let (force, op) = {
            let r = live!(s.req(req));
            (r.flags & REQ_F_FORCE_ASYNC != 0, r.opcode)
        };
        let def = opdef::io_issue_def(op);
        if !force || !(def.pollin || def.pollout) || !def.needs_file {
            return false;
        }
        if io_assign_file(s, req).is_err() {
            return false;
        }
        let f = live!(live!(s.req(req)).file);
        poll::file_can_poll(s.linux.fds.file(f).kind)
    });
    let mut needs_poll = needs_poll;
    if needs_poll {
        flags |= IO_URING_F_NONBLOCK;
    }
    loop {
        let ret = io_issue_sqe(req, flags);
        if ret != -EAGAIN || !needs_poll {
            return ret;
        }
        let nowait = sim::with(|s| live!(s.req(req)).flags & opdata::REQ_F_NOWAIT != 0);
        if nowait {
            return ret;
        }
        if sim::with(|s| poll::io_arm_poll_handler(s, req)) == poll::Apoll::Ok {
            return 0;
        }
        needs_poll = false;
        flags &= !IO_URING_F_NONBLOCK;
    }
}

/// `io_wq_free_work`: drops io-wq's reference; the last one frees the request (through
/// task_work, posting no CQE) and queues its next link member to io-wq.
fn io_wq_free_work(s: &mut Sim, req: Req) {
    let ring = req.ring;
    let (last, linked) = {
        let r = live!(s.req_mut(req));
        r.refs = r.refs.saturating_sub(1);
        (r.refs == 0, r.flags & IO_REQ_LINK_FLAGS != 0)
    };
    if !last {
        return;
    }
    let nxt = if linked {
        io_req_find_next(s, req)
    } else {
        None
    };
    // `io_free_req`.
    {
        let r = live!(s.req_mut(req));
        r.flags &= !REQ_F_REFCOUNT;
        r.flags |= REQ_F_CQE_SKIP;
    }
    tw::io_req_task_work_add(s, req, TwFunc::Complete, false);
    if let Some(n) = nxt {
        // `io_wq_free_work` hands the next request to the worker as its next work item
        // (`io_worker_handle_work`): it was prepared with the head (`io_prep_async_link`), so
        // no `io_uring_queue_async_work` tracepoint fires for it (`fixed_link_async`).
        let nreq = Req::new(ring, n);
        let serial = live!(s.req(nreq)).serial;
        req_set_state(s, nreq, ReqState::IowqQueued);
        s.io_uring.iowq.push_back((nreq, serial));
    }
}

/// Returns the SQE bytes a request was prepped from, for traces and the UI.
pub fn req_sqe_bytes(ctx: &IoRingCtx, idx: u32) -> [u8; 128] {
    let r = live!(ctx.req(idx));
    if r.flags & REQ_F_SQE_COPIED != 0 {
        return r.async_sqe;
    }
    let mut b = [0u8; 128];
    ctx.sqes.read_bytes(r.sqe_off, &mut b[..r.sqe_len]);
    b
}

/// Marks the current context for trace records.
pub fn set_ctx(s: &mut Sim, c: Ctx) {
    // The io_uring core's work done by the SQPOLL thread is drawn in the thread's lane.
    s.cur_ctx = if (c == Ctx::Core || c == Ctx::TaskWork) && s.linux.sqt_running.is_some() {
        Ctx::SqThread
    } else {
        c
    };
}
