//! SQPOLL: the SQ thread submits what the program publishes, with no system call.
//!
//! Unit tests pin the thread's states (asleep at once, woken by `IORING_ENTER_SQ_WAKEUP`,
//! `IORING_SQ_NEED_WAKEUP` after `sq_thread_idle`, task_work woken by a pipe write, the
//! `SQ_AFF` checks); the property test runs random programs on SQPOLL rings and holds them to:
//! every published SQE reaches exactly one CQE (with its own user_data), with the system calls
//! a program makes only to wake the thread or wait; and after the ring is closed the thread is
//! stopped and no request of the ring is left allocated.

mod common;

use std::collections::HashMap;

use common::*;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::*;
use ringside_core::io_uring::types::ReqState;
use ringside_core::sim;
use ringside_core::trace::{Event, TraceRecord};
use ringside_core::uapi::io_uring::*;

const MS: u64 = 1_000_000;

fn events() -> Vec<TraceRecord> {
    let n = rs_trace_len() as usize;
    let p = rs_trace_ptr() as *const TraceRecord;
    // SAFETY: the core's trace buffer holds `n` records until the next drain.
    let v = (0..n).map(|i| unsafe { *p.add(i) }).collect();
    rs_trace_clear();
    v
}

fn count(evs: &[TraceRecord], e: Event) -> usize {
    evs.iter().filter(|r| r.event == e as u16).count()
}

fn nop(r: &mut Ring, ud: u64) {
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_NOP;
    sqe.user_data = ud;
}

#[test]
fn a_new_thread_sleeps_at_once_and_submits_after_a_wakeup() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup_sq(&mut ua, 4, IORING_SETUP_SQPOLL, 0, 100, 0).expect("setup");
    rs_run_until_idle(1000);
    assert_eq!(r.sq_flags() & IORING_SQ_NEED_WAKEUP, IORING_SQ_NEED_WAKEUP);
    nop(&mut r, 1);
    r.flush_sq();
    rs_advance_clock(50 * MS);
    assert_eq!(r.sq_head(), 0, "a sleeping thread does not see the SQE");
    let evs = events();
    assert_eq!(count(&evs, Event::sim_sys_enter), 0);
    assert_eq!(io_uring_enter(r.fd, 1, 0, IORING_ENTER_SQ_WAKEUP, 0, 0), 1);
    rs_advance_clock(MS);
    assert_eq!(r.sq_head(), 1);
    let cqes = r.reap();
    assert_eq!(cqes.len(), 1);
    assert_eq!(cqes[0].0.user_data, 1);
    assert_eq!(
        r.sq_flags() & IORING_SQ_NEED_WAKEUP,
        0,
        "awake for sq_thread_idle"
    );
    // Awake: more SQEs are submitted with no system call.
    let _ = events();
    for ud in 2..5 {
        nop(&mut r, ud);
    }
    r.flush_sq();
    rs_advance_clock(MS);
    let evs = events();
    assert_eq!(count(&evs, Event::sim_sys_enter), 0);
    assert_eq!(count(&evs, Event::io_uring_submit_req), 3);
    assert!(evs
        .iter()
        .filter(|e| e.event == Event::io_uring_submit_req as u16)
        .all(|e| e.ctx == 6));
    assert_eq!(r.reap().len(), 3);
    // Idle past 100 ms (25 jiffies): the flag comes back.
    rs_advance_clock(200 * MS);
    assert_eq!(r.sq_flags() & IORING_SQ_NEED_WAKEUP, IORING_SQ_NEED_WAKEUP);
    assert_eq!(count(&events(), Event::sim_sqpoll_idle), 1);
}

#[test]
fn enter_returns_to_submit_and_sq_wait_waits_for_room() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup_sq(&mut ua, 4, IORING_SETUP_SQPOLL, 0, 20, 0).expect("setup");
    rs_advance_clock(50 * MS);
    assert_eq!(io_uring_enter(r.fd, 7, 0, 0, 0, 0), 7);
    for ud in 1..5 {
        nop(&mut r, ud);
    }
    r.flush_sq();
    assert_eq!(
        io_uring_enter(
            r.fd,
            0,
            0,
            IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT,
            0,
            0
        ),
        0
    );
    assert_eq!(r.sq_head(), 4, "SQ_WAIT returned once the thread made room");
    assert_eq!(r.cq_tail(), 4);
}

#[test]
fn task_work_of_the_threads_requests_runs_in_the_thread() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup_sq(&mut ua, 4, IORING_SETUP_SQPOLL, 0, 100, 0).expect("setup");
    let fds = ua.alloc(8);
    assert_eq!(rs_sys_pipe2(fds, 0), 0);
    let rd = rd32(fds as *const u8, 0) as i32;
    let wr = rd32(fds as *const u8, 4) as i32;
    let buf = ua.alloc(64);
    {
        let sqe = r.get_sqe().expect("room");
        sqe.opcode = IORING_OP_READ;
        sqe.fd = rd;
        sqe.addr = buf as u64;
        sqe.len = 64;
        sqe.user_data = 9;
    }
    r.flush_sq();
    assert_eq!(io_uring_enter(r.fd, 1, 0, IORING_ENTER_SQ_WAKEUP, 0, 0), 1);
    rs_advance_clock(300 * MS);
    assert_eq!(r.sq_head(), 1);
    assert_eq!(r.cq_tail(), 0);
    assert_eq!(r.sq_flags() & IORING_SQ_NEED_WAKEUP, IORING_SQ_NEED_WAKEUP);
    let _ = events();
    let src = ua.alloc(10);
    assert_eq!(rs_sys_write(wr, src, 10), 10);
    rs_advance_clock(MS);
    let evs = events();
    let cqes = r.reap();
    assert_eq!(cqes.len(), 1);
    assert_eq!((cqes[0].0.user_data, cqes[0].0.res), (9, 10));
    let tw: Vec<_> = evs
        .iter()
        .filter(|e| e.event == Event::sim_task_work_run as u16)
        .collect();
    assert_eq!(tw.len(), 1);
    assert_eq!(tw[0].ctx, 6, "the READ's task_work runs in the SQ thread");
    assert_eq!(count(&evs, Event::sim_sqpoll_wake), 1, "task_work woke it");
}

#[test]
fn sq_aff_is_checked() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    assert_eq!(
        setup_sq(&mut ua, 4, IORING_SETUP_SQ_AFF, 0, 0, 0).err(),
        Some(-22)
    );
    let aff = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
    assert!(setup_sq(&mut ua, 4, aff, 0, 0, 0).is_ok());
    assert_eq!(setup_sq(&mut ua, 4, aff, 0, 0, 4096).err(), Some(-22));
    assert_eq!(setup_sq(&mut ua, 4, aff, 0, 0, u32::MAX).err(), Some(-22));
    assert!(setup_sq(&mut ua, 4, IORING_SETUP_SQPOLL, 0, 0, 4096).is_ok());
    assert_eq!(
        setup_sq(
            &mut ua,
            4,
            IORING_SETUP_SQPOLL | IORING_SETUP_COOP_TASKRUN,
            0,
            0,
            0
        )
        .err(),
        Some(-22)
    );
}

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One random program on an SQPOLL ring; returns how many SQEs it published.
fn run_case(seed: u64) -> u64 {
    rs_init(0);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut ua = UserAlloc::new();
    let entries = 1 << rng.below(4);
    let idle = [1u32, 10, 100, 0][rng.below(4) as usize];
    let mut r = setup_sq(&mut ua, entries, IORING_SETUP_SQPOLL, 0, idle, 0).expect("setup");
    let fds = ua.alloc(8);
    assert_eq!(rs_sys_pipe2(fds, 0), 0);
    let (rd, wr) = (
        rd32(fds as *const u8, 0) as i32,
        rd32(fds as *const u8, 4) as i32,
    );
    let buf = ua.alloc(4096);
    let mut next_ud = 1u64;
    let mut published: HashMap<u64, u8> = HashMap::new();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let reap = |r: &mut Ring, seen: &mut HashMap<u64, u32>| {
        for (c, _) in r.reap() {
            *seen.entry(c.user_data).or_insert(0) += 1;
        }
    };
    let rounds = 10 + rng.below(30);
    for _ in 0..rounds {
        let n = rng.below(u64::from(entries) + 1);
        let mut last_link = false;
        for _ in 0..n {
            let ud = next_ud;
            let kind = rng.below(10);
            let sqe = match r.get_sqe() {
                Some(s) => s,
                None => break,
            };
            next_ud += 1;
            sqe.user_data = ud;
            match kind {
                0 => {
                    sqe.opcode = IORING_OP_READ;
                    sqe.fd = rd;
                    sqe.addr = buf as u64;
                    sqe.len = 64;
                }
                1 => sqe.opcode = 250,
                2 => {
                    sqe.opcode = IORING_OP_NOP;
                    sqe.flags = IOSQE_IO_LINK;
                }
                3 => {
                    sqe.opcode = IORING_OP_NOP;
                    sqe.flags = IOSQE_ASYNC;
                }
                4 => {
                    sqe.opcode = IORING_OP_NOP;
                    sqe.op_flags = 1; // IORING_NOP_INJECT_RESULT
                    sqe.len = (-5i32) as u32;
                }
                _ => sqe.opcode = IORING_OP_NOP,
            }
            last_link = kind == 2;
            published.insert(ud, kind as u8);
        }
        let _ = last_link;
        r.flush_sq();
        match rng.below(6) {
            0 => {
                let _ = io_uring_enter(r.fd, n as u32, 0, IORING_ENTER_SQ_WAKEUP, 0, 0);
            }
            1 => {
                let _ = io_uring_enter(
                    r.fd,
                    0,
                    0,
                    IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT,
                    0,
                    0,
                );
            }
            2 => {
                let src = ua.alloc(8);
                let _ = rs_sys_write(wr, src, 1 + rng.below(8) as u32);
            }
            _ => {}
        }
        rs_advance_clock(rng.below(200) * MS / 4);
        if rng.below(2) == 0 {
            reap(&mut r, &mut seen);
        }
    }
    // Wake the thread for what is left and feed every waiting READ.
    let src = ua.alloc(4096);
    for _ in 0..published.len() {
        let _ = rs_sys_write(wr, src, 64);
        let _ = io_uring_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, 0, 0);
        rs_advance_clock(5 * MS);
        reap(&mut r, &mut seen);
        // Overflowed CQEs come back only through a wait (GETEVENTS flushes the list).
        let _ = io_uring_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, 0, 0);
        reap(&mut r, &mut seen);
        if r.sq_head() == r.sq_tail() && seen.len() == published.len() {
            break;
        }
    }
    assert_eq!(
        r.sq_head(),
        r.sq_tail(),
        "seed {}: SQEs left unconsumed",
        seed
    );
    for (ud, kind) in &published {
        assert_eq!(
            seen.get(ud).copied().unwrap_or(0),
            1,
            "seed {}: user_data {} (kind {}) must reach exactly one CQE",
            seed,
            ud,
            kind
        );
    }
    assert_eq!(
        seen.len(),
        published.len(),
        "seed {}: a CQE nobody submitted",
        seed
    );
    // Teardown: the thread stops, every request goes back.
    let id = sim::with(|s| s.io_uring.rings.len() as u32);
    assert_eq!(rs_close(r.fd), 0);
    rs_advance_clock(1_000 * MS);
    sim::with(|s| {
        let ctx = s.ring(id).expect("ring kept for the page");
        let sqd = ringside_core::io_uring::sqpoll::thread(s, id).expect("sqpoll");
        assert!(sqd.stopped, "seed {}: the SQ thread still runs", seed);
        assert!(sqd.task.tw.is_empty() && sqd.task.sys.is_none());
        assert!(
            ctx.reqs.iter().all(|q| matches!(q.state, ReqState::Free)),
            "seed {}: a request outlived its ring",
            seed
        );
    });
    published.len() as u64
}

#[test]
fn every_request_on_an_sqpoll_ring_reaches_one_cqe_and_nothing_outlives_the_ring() {
    let mut total = 0;
    for seed in 1..=300 {
        total += run_case(seed);
    }
    assert!(total > 3000, "only {} SQEs", total);
}
