//! `IORING_OP_TIMEOUT`, `IORING_OP_TIMEOUT_REMOVE` and `IORING_OP_LINK_TIMEOUT` on the
//! simulated clock.
//!
//! Mirrors: `io_uring/timeout.c` (`__io_timeout_prep`, `io_timeout_prep`,
//! `io_link_timeout_prep`, `io_timeout`, `io_timeout_fn`, `io_flush_timeouts`,
//! `io_kill_timeout`, `io_timeout_extract`, `io_timeout_cancel`, `io_timeout_remove_prep`,
//! `io_timeout_remove`, `__io_prep_linked_timeout`, `io_queue_linked_timeout`,
//! `io_link_timeout_fn`, `io_req_task_link_timeout`, `__io_disarm_linked_timeout`,
//! `io_disarm_next`, `io_kill_timeouts`), `io_uring/io_uring.c` (`__io_commit_cqring_flush`).
//!
//! What the recordings `timeout_basic`, `timeout_remove` and `link_timeout` show on Linux 6.18
//! and this model follows:
//! - a relative timeout ends with `-ETIME`; an `IORING_TIMEOUT_ABS` one in the past ends at once;
//!   `tv_nsec` is not range-checked (1e9 ns waits a second), only negative fields are `-EINVAL`;
//! - with `off` = N the timeout ends with 0 once N other CQEs were posted after it was queued,
//!   its CQE after theirs (task_work);
//! - `TIMEOUT_REMOVE` answers 0 and the timeout gets `-ECANCELED`, after the remove's CQE;
//!   an unknown user_data is `-ENOENT`;
//! - a `LINK_TIMEOUT` that fires cancels the request it guards: its own CQE (`-ETIME`) comes
//!   first, then the guarded request's `-ECANCELED`; when the guarded request completes first
//!   the timeout gets `-ECANCELED` after it; without a request to guard it is `-EINVAL`.
//!
//! Differences from upstream: the hrtimer is a simulator timer in device context; clocks other
//! than `CLOCK_MONOTONIC` (`IORING_TIMEOUT_BOOTTIME`, `_REALTIME`), `ETIME_SUCCESS`,
//! `MULTISHOT` and the `TIMEOUT_REMOVE` update forms are refused with [`ENOTMODELLED`].
//! `IORING_TIMEOUT_ABS` counts from the simulator's boot (clock 0).

use core::ffi::c_void;

use super::opdata::*;
use super::sqe::{sqe32 as rd32, sqe64 as rd64};
use super::types::*;
use super::*;
use crate::sim::WorkItem;

// `include/uapi/linux/io_uring.h`.
/// `addr` is an absolute time, not a relative one.
pub const IORING_TIMEOUT_ABS: u32 = 1 << 0;
/// TIMEOUT_REMOVE updates a timeout instead of removing it.
pub const IORING_TIMEOUT_UPDATE: u32 = 1 << 1;
/// Use `CLOCK_BOOTTIME`.
pub const IORING_TIMEOUT_BOOTTIME: u32 = 1 << 2;
/// Use `CLOCK_REALTIME`.
pub const IORING_TIMEOUT_REALTIME: u32 = 1 << 3;
/// TIMEOUT_REMOVE updates a LINK_TIMEOUT.
pub const IORING_LINK_TIMEOUT_UPDATE: u32 = 1 << 4;
/// A fired timeout counts as success for its link.
pub const IORING_TIMEOUT_ETIME_SUCCESS: u32 = 1 << 5;
/// The timeout fires repeatedly.
pub const IORING_TIMEOUT_MULTISHOT: u32 = 1 << 6;
const TIMEOUT_VALID: u32 = IORING_TIMEOUT_ABS
    | IORING_TIMEOUT_BOOTTIME
    | IORING_TIMEOUT_REALTIME
    | IORING_TIMEOUT_ETIME_SUCCESS
    | IORING_TIMEOUT_MULTISHOT;

fn ids(s: &Sim, req: Req) -> (u32, u64) {
    let r = live!(s.req(req));
    (r.serial, r.user_data)
}

/// `__io_timeout_prep` (`io_timeout_prep`, and `io_link_timeout_prep` with `link` true).
///
/// # Errors
///
/// `EINVAL` for `len` other than 1, `buf_index`, `splice_fd_in`, a count on a link timeout,
/// unknown flags, two clocks, a negative time, or a link timeout with nothing to guard;
/// `EFAULT` when the timespec cannot be read; [`ENOTMODELLED`] for the flags not modelled.
pub fn io_timeout_prep(s: &mut Sim, req: Req, sqe: &[u8], link: bool) -> Result<(), i32> {
    let Req { ring, idx } = req;
    let buf_index = u16::from_le_bytes([sqe[sqe_off::BUF_INDEX], sqe[sqe_off::BUF_INDEX + 1]]);
    if buf_index != 0 || rd32(sqe, sqe_off::LEN) != 1 || rd32(sqe, sqe_off::SPLICE_FD_IN) != 0 {
        return Err(EINVAL);
    }
    let off = rd64(sqe, sqe_off::OFF);
    if off != 0 && link {
        return Err(EINVAL);
    }
    let flags = rd32(sqe, sqe_off::OP_FLAGS);
    if flags & !TIMEOUT_VALID != 0 {
        return Err(EINVAL);
    }
    // `hweight32(flags & IORING_TIMEOUT_CLOCK_MASK) > 1`.
    if flags & IORING_TIMEOUT_BOOTTIME != 0 && flags & IORING_TIMEOUT_REALTIME != 0 {
        return Err(EINVAL);
    }
    if flags & IORING_TIMEOUT_MULTISHOT != 0 && link {
        return Err(EINVAL);
    }
    if flags & !IORING_TIMEOUT_ABS != 0 {
        return Err(super::rw::not_modelled(s, req, not_modelled::FIELD));
    }
    // `get_timespec64`.
    let mut ts = [0u8; 16];
    s.linux
        .user
        .copy_from_user(&mut ts, rd64(sqe, sqe_off::ADDR))
        .map_err(|_| EFAULT)?;
    let sec = i64::from_le_bytes([ts[0], ts[1], ts[2], ts[3], ts[4], ts[5], ts[6], ts[7]]);
    let nsec = i64::from_le_bytes([ts[8], ts[9], ts[10], ts[11], ts[12], ts[13], ts[14], ts[15]]);
    if sec < 0 || nsec < 0 {
        return Err(EINVAL);
    }
    let ns = (sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(nsec as u64);
    let head = if link {
        // The request it guards: the last one of the link being assembled, which must not be
        // a link timeout itself.
        let ctx = live!(s.ring(ring));
        let last = match (ctx.link_head, ctx.link_last) {
            (Some(_), Some(l)) => l,
            _ => return Err(EINVAL),
        };
        if live!(ctx.req(last)).opcode == IORING_OP_LINK_TIMEOUT {
            return Err(EINVAL);
        }
        Some((last, live!(ctx.req(last)).serial))
    } else {
        None
    };
    let ctx = live!(s.ring_mut(ring));
    if let Some((last, serial)) = head {
        // `timeout->head = link->last; link->last->flags |= REQ_F_ARM_LTIMEOUT`: the request
        // just before the timeout is the one it guards.
        live!(ctx.req_mut(last)).flags |= REQ_F_ARM_LTIMEOUT;
        live!(ctx.req_mut(idx)).op.head = Some((last, serial));
    } else {
        live!(ctx.req_mut(idx)).op.head = None;
    }
    let r = live!(ctx.req_mut(idx));
    r.op.off = off as u32;
    r.op.timeout_flags = flags;
    r.op.ts_ns = ns;
    r.op.timer = 0;
    Ok(())
}

/// Delay from now for a timeout's timespec (`hrtimer_start` with `HRTIMER_MODE_REL` or `_ABS`).
fn delay_ns(s: &Sim, r: &IoKiocb) -> u64 {
    if r.op.timeout_flags & IORING_TIMEOUT_ABS != 0 {
        r.op.ts_ns.saturating_sub(s.clock_ns)
    } else {
        r.op.ts_ns
    }
}

fn arm_timer(s: &mut Sim, req: Req, func: unsafe fn(*mut c_void), link: bool) {
    let ring = req.ring;
    let (serial, ud, delay, off) = {
        let r = live!(s.req(req));
        (r.serial, r.user_data, delay_ns(s, r), r.op.off)
    };
    // The timer names its request by ring and serial; the box is freed when the timer fires
    // or is cancelled.
    let data = Box::into_raw(Box::new((ring, serial))) as *mut c_void;
    s.add_timer(
        delay,
        WorkItem {
            func,
            data,
            req: serial,
        },
    );
    let seq = s.linux.timer_seq;
    live!(s.req_mut(req)).op.timer = seq;
    s.emit(
        Event::sim_timeout_arm,
        ring,
        serial,
        ud,
        delay as i64,
        i64::from(off) | i64::from(link) << 32,
    );
}

/// `hrtimer_try_to_cancel`: removes the timer; false when it already fired.
fn cancel_timer(s: &mut Sim, req: Req) -> bool {
    let seq = live!(s.req(req)).op.timer;
    if seq == 0 {
        return false;
    }
    live!(s.req_mut(req)).op.timer = 0;
    match s.linux.timers.iter().position(|t| t.seq == seq) {
        Some(i) => {
            let t = s.linux.timers.remove(i);
            // SAFETY: `arm_timer` made `data` with `Box::into_raw` and the timer never ran.
            drop(unsafe { Box::from_raw(t.item.data as *mut (u32, u32)) });
            true
        }
        None => false,
    }
}

/// Takes back the `(ring, serial)` a fired timer carried.
///
/// # Safety
///
/// `data` came from [`arm_timer`] and this timer is running now (so it was not cancelled).
unsafe fn timer_target(data: *mut c_void) -> (u32, u32) {
    // SAFETY: `data` is the box `arm_timer` leaked, taken back exactly once (caller contract).
    *unsafe { Box::from_raw(data as *mut (u32, u32)) }
}

/// Finds the live request with this serial in a ring (a timer names its request by serial).
fn find_serial(s: &Sim, ring: u32, serial: u32) -> Option<u32> {
    let ctx = s.ring(ring)?;
    ctx.reqs
        .iter()
        .position(|r| r.serial == serial && r.state != ReqState::Free)
        .map(|i| i as u32)
}

/// `io_timeout`: queues the timeout on `ctx->timeout_list` (a counted one sorted by its target
/// sequence) and starts its timer.
pub fn io_timeout(s: &mut Sim, req: Req) -> i32 {
    let Req { ring, idx } = req;
    {
        let ctx = live!(s.ring_mut(ring));
        let off = live!(ctx.req(idx)).op.off;
        if off == 0 {
            ctx.ops.timeouts.push(idx);
        } else {
            ctx.ops.off_timeout_used = true;
            let tail = ctx.cached_cq_tail.wrapping_sub(ctx.ops.cq_timeouts);
            let target = tail.wrapping_add(off);
            live!(ctx.req_mut(idx)).op.target_seq = target;
            // "Update the last seq here in case io_flush_timeouts() hasn't" (found by the
            // differential fuzzer: without it a timeout queued after another one ended by count
            // compares against a stale sequence and ends at once).
            ctx.ops.cq_last_tm_flush = tail;
            // Insert after the last counted timeout that ends no later than this one.
            let last_flush = ctx.ops.cq_last_tm_flush;
            let need = target.wrapping_sub(last_flush);
            let mut at = 0;
            for (i, &t) in ctx.ops.timeouts.iter().enumerate().rev() {
                let tr = live!(ctx.req(t));
                if tr.op.off == 0 {
                    continue;
                }
                if tr.op.target_seq.wrapping_sub(last_flush) <= need {
                    at = i + 1;
                    break;
                }
            }
            ctx.ops.timeouts.insert(at, idx);
        }
    }
    req_set_state(s, req, ReqState::Inflight);
    arm_timer(s, req, io_timeout_fn, false);
    -EIOCBQUEUED
}

/// `io_timeout_fn`: the timer fired. The timeout leaves the list, counts in `cq_timeouts` and
/// completes with `-ETIME` through task_work.
unsafe fn io_timeout_fn(data: *mut c_void) {
    // SAFETY: the workqueue runs this timer once, with the data `arm_timer` gave it.
    let (ring, serial) = unsafe { timer_target(data) };
    sim::with(|s| {
        let idx = match find_serial(s, ring, serial) {
            Some(i) => i,
            None => return,
        };
        {
            let ctx = live!(s.ring_mut(ring));
            ctx.ops.timeouts.retain(|&i| i != idx);
            ctx.ops.cq_timeouts = ctx.ops.cq_timeouts.wrapping_add(1);
            live!(ctx.req_mut(idx)).op.timer = 0;
        }
        let (_, ud) = ids(s, Req::new(ring, idx));
        s.emit(
            Event::sim_timeout_fire,
            ring,
            serial,
            ud,
            -(ETIME as i64),
            0,
        );
        req_set_fail(s, Req::new(ring, idx));
        io_req_set_res(s, Req::new(ring, idx), -ETIME, 0);
        tw::io_req_task_work_add(s, Req::new(ring, idx), TwFunc::Complete, false);
    });
}

/// `__io_commit_cqring_flush` → `io_flush_timeouts`: counted timeouts whose target sequence
/// was reached end with 0 (`io_kill_timeout`), through task_work. Called after every CQ tail
/// commit.
pub fn io_flush_timeouts(s: &mut Sim, ring: u32) {
    let killed = {
        let ctx = match s.ring_mut(ring) {
            Some(c) => c,
            None => return,
        };
        if !ctx.ops.off_timeout_used {
            return;
        }
        let seq = ctx.cached_cq_tail.wrapping_sub(ctx.ops.cq_timeouts);
        let last = ctx.ops.cq_last_tm_flush;
        let mut killed = Vec::new();
        for &t in ctx.ops.timeouts.iter() {
            let r = live!(ctx.req(t));
            if r.op.off == 0 {
                break;
            }
            let needed = r.op.target_seq.wrapping_sub(last);
            let got = seq.wrapping_sub(last);
            if got < needed {
                break;
            }
            killed.push(t);
        }
        ctx.ops.cq_last_tm_flush = seq;
        killed
    };
    for idx in killed {
        if !cancel_timer(s, Req::new(ring, idx)) {
            continue;
        }
        {
            let ctx = live!(s.ring_mut(ring));
            ctx.ops.timeouts.retain(|&i| i != idx);
            ctx.ops.cq_timeouts = ctx.ops.cq_timeouts.wrapping_add(1);
        }
        let (serial, ud) = ids(s, Req::new(ring, idx));
        s.emit(Event::sim_timeout_fire, ring, serial, ud, 0, 1);
        io_req_set_res(s, Req::new(ring, idx), 0, 0);
        tw::io_req_task_work_add(s, Req::new(ring, idx), TwFunc::Complete, false);
    }
}

/// `io_timeout_cancel` (`io_timeout_extract`): finds an armed TIMEOUT by user_data, stops it and
/// completes it with `-ECANCELED` through task_work.
///
/// # Errors
///
/// `ENOENT` when there is none; `EALREADY` when its timer already fired.
pub fn io_timeout_cancel(s: &mut Sim, ring: u32, user_data: u64) -> Result<(), i32> {
    io_timeout_cancel_cd(s, ring, &super::cancel::CancelData::by_user_data(user_data))
}

/// `io_timeout_cancel` → `io_timeout_extract` for any cancel request (each timeout on
/// `ctx->timeout_list` checked with `io_cancel_req_match`).
///
/// # Errors
///
/// `ENOENT` when none matches, `EALREADY` when its timer already fired.
pub fn io_timeout_cancel_cd(
    s: &mut Sim,
    ring: u32,
    cd: &super::cancel::CancelData,
) -> Result<(), i32> {
    let list = live!(s.ring(ring)).ops.timeouts.clone();
    let found = list
        .into_iter()
        .find(|&i| super::cancel::io_cancel_req_match(s, Req::new(ring, i), cd));
    let idx = found.ok_or(ENOENT)?;
    if !cancel_timer(s, Req::new(ring, idx)) {
        return Err(EALREADY);
    }
    live!(s.ring_mut(ring)).ops.timeouts.retain(|&i| i != idx);
    let (serial, ud) = ids(s, Req::new(ring, idx));
    s.emit(
        Event::sim_timeout_fire,
        ring,
        serial,
        ud,
        -(ECANCELED as i64),
        2,
    );
    req_set_fail(s, Req::new(ring, idx));
    io_req_set_res(s, Req::new(ring, idx), -ECANCELED, 0);
    tw::io_req_task_work_add(s, Req::new(ring, idx), TwFunc::Complete, false);
    Ok(())
}

/// `io_timeout_remove_prep`: `addr` is the user_data to remove; no flags (the update forms are
/// not modelled).
///
/// # Errors
///
/// `EINVAL` for a fixed file, buffer select, `buf_index`, `len`, `splice_fd_in` or flags
/// without an update bit.
pub fn io_timeout_remove_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    let flags = live!(s.req(req)).flags;
    if flags & (REQ_F_FIXED_FILE | REQ_F_BUFFER_SELECT) != 0 {
        return Err(EINVAL);
    }
    let buf_index = u16::from_le_bytes([sqe[sqe_off::BUF_INDEX], sqe[sqe_off::BUF_INDEX + 1]]);
    if buf_index != 0 || rd32(sqe, sqe_off::LEN) != 0 || rd32(sqe, sqe_off::SPLICE_FD_IN) != 0 {
        return Err(EINVAL);
    }
    let tflags = rd32(sqe, sqe_off::OP_FLAGS);
    if tflags & (IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE) != 0 {
        return Err(super::rw::not_modelled(s, req, not_modelled::FIELD));
    }
    if tflags != 0 {
        return Err(EINVAL);
    }
    live!(s.req_mut(req)).op.target = rd64(sqe, sqe_off::ADDR);
    Ok(())
}

/// `io_timeout_remove`: the request's result is what `io_timeout_cancel` answered.
pub fn io_timeout_remove(s: &mut Sim, req: Req) -> i32 {
    let ring = req.ring;
    let target = live!(s.req(req)).op.target;
    let ret = match io_timeout_cancel(s, ring, target) {
        Ok(()) => 0,
        Err(e) => -e,
    };
    let (serial, ud) = ids(s, req);
    s.emit(
        Event::sim_cancel,
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

/// `io_arm_ltimeout` / `__io_prep_linked_timeout` + `io_queue_linked_timeout`: when a request
/// with a LINK_TIMEOUT behind it goes async (in flight, poll armed, or io-wq), the timeout's
/// timer starts.
pub fn io_arm_ltimeout(s: &mut Sim, req: Req) {
    let Req { ring, idx } = req;
    let (flags, link) = {
        let r = live!(s.req(req));
        (r.flags, r.link)
    };
    if flags & REQ_F_ARM_LTIMEOUT == 0 {
        return;
    }
    let lt = match link {
        Some(l) if live!(s.req(Req::new(ring, l))).opcode == IORING_OP_LINK_TIMEOUT => l,
        _ => return,
    };
    {
        let ctx = live!(s.ring_mut(ring));
        let r = live!(ctx.req_mut(idx));
        r.flags &= !REQ_F_ARM_LTIMEOUT;
        r.flags |= REQ_F_LINK_TIMEOUT;
        ctx.ops.ltimeouts.push(lt);
    }
    req_set_state(s, Req::new(ring, lt), ReqState::Inflight);
    arm_timer(s, Req::new(ring, lt), io_link_timeout_fn, true);
}

/// `io_link_timeout_fn`: the timer fired; the timeout detaches from the request it guards and
/// runs `io_req_task_link_timeout` in the task.
unsafe fn io_link_timeout_fn(data: *mut c_void) {
    // SAFETY: the workqueue runs this timer once, with the data `arm_timer` gave it.
    let (ring, serial) = unsafe { timer_target(data) };
    sim::with(|s| {
        let idx = match find_serial(s, ring, serial) {
            Some(i) => i,
            None => return,
        };
        let head = live!(s.req(Req::new(ring, idx))).op.head;
        {
            let ctx = live!(s.ring_mut(ring));
            ctx.ops.ltimeouts.retain(|&i| i != idx);
            live!(ctx.req_mut(idx)).op.timer = 0;
            // `io_remove_next_linked(prev)`.
            if let Some((h, hs)) = head {
                if live!(ctx.req(h)).serial == hs && live!(ctx.req(h)).link == Some(idx) {
                    let nxt = live!(ctx.req_mut(idx)).link.take();
                    let hr = live!(ctx.req_mut(h));
                    hr.link = nxt;
                    hr.flags &= !REQ_F_LINK_TIMEOUT;
                } else {
                    live!(ctx.req_mut(idx)).op.head = None;
                }
            }
        }
        let (_, ud) = ids(s, Req::new(ring, idx));
        s.emit(
            Event::sim_timeout_fire,
            ring,
            serial,
            ud,
            -(ETIME as i64),
            0,
        );
        tw::io_req_task_work_add(s, Req::new(ring, idx), TwFunc::LinkTimeout, false);
    });
}

/// `io_req_task_link_timeout`: cancels the guarded request (`io_try_cancel` by its user_data)
/// and completes with `-ETIME` when that worked, or with the cancel's error.
pub fn io_req_task_link_timeout(s: &mut Sim, req: Req) {
    let ring = req.ring;
    let head = live!(s.req(req)).op.head;
    let res = match head {
        Some((h, hs)) if live!(s.req(Req::new(ring, h))).serial == hs => {
            let dead = live!(s.ring(ring)).dead;
            let ret = if dead {
                -ECANCELED
            } else {
                let ud = live!(s.req(Req::new(ring, h))).user_data;
                match super::cancel::io_try_cancel(s, ring, ud) {
                    Ok(()) => 0,
                    Err(e) => -e,
                }
            };
            if ret != 0 {
                ret
            } else {
                -ETIME
            }
        }
        _ => -ETIME,
    };
    req_set_fail(s, req);
    io_req_set_res(s, req, res, 0);
    io_req_complete_defer(s, req);
}

/// `io_disarm_next` for link timeouts: when the guarded request completes, the LINK_TIMEOUT
/// behind it leaves the chain and completes with `-ECANCELED` through task_work (its timer
/// stopped if it was armed).
pub fn io_disarm_ltimeout(s: &mut Sim, req: Req) {
    let Req { ring, idx } = req;
    let (flags, link) = {
        let r = live!(s.req(req));
        (r.flags, r.link)
    };
    if flags & (REQ_F_ARM_LTIMEOUT | REQ_F_LINK_TIMEOUT) == 0 {
        return;
    }
    live!(s.req_mut(req)).flags &= !(REQ_F_ARM_LTIMEOUT | REQ_F_LINK_TIMEOUT);
    let lt = match link {
        Some(l) if live!(s.req(Req::new(ring, l))).opcode == IORING_OP_LINK_TIMEOUT => l,
        _ => return,
    };
    if flags & REQ_F_LINK_TIMEOUT != 0 && !cancel_timer(s, Req::new(ring, lt)) {
        // The timer fired already: the timeout owns the cancellation.
        return;
    }
    {
        let ctx = live!(s.ring_mut(ring));
        ctx.ops.ltimeouts.retain(|&i| i != lt);
        let nxt = live!(ctx.req_mut(lt)).link.take();
        live!(ctx.req_mut(idx)).link = nxt;
    }
    let (serial, ud) = ids(s, Req::new(ring, lt));
    s.emit(
        Event::sim_timeout_fire,
        ring,
        serial,
        ud,
        -(ECANCELED as i64),
        2,
    );
    req_set_fail(s, Req::new(ring, lt));
    io_req_set_res(s, Req::new(ring, lt), -ECANCELED, 0);
    tw::io_req_task_work_add(s, Req::new(ring, lt), TwFunc::Complete, false);
}

/// `io_kill_timeouts` at ring teardown: every armed TIMEOUT completes with `-ECANCELED`. A
/// LINK_TIMEOUT is not on this list: it ends when the request it guards is cancelled
/// (`io_disarm_next`).
pub fn io_kill_timeouts(s: &mut Sim, ring: u32) -> usize {
    let timeouts = match s.ring_mut(ring) {
        Some(c) => core::mem::take(&mut c.ops.timeouts),
        None => return 0,
    };
    let n = timeouts.len();
    for idx in timeouts {
        cancel_timer(s, Req::new(ring, idx));
        io_req_defer_failed(s, Req::new(ring, idx), -ECANCELED);
    }
    n
}
