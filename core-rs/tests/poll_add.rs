//! IORING_OP_POLL_ADD (one-shot and multishot) and IORING_OP_POLL_REMOVE through the exported
//! ABI. The kernel's answers are held by the recordings `poll_add_oneshot`,
//! `poll_add_multishot`, `poll_add_files` and `poll_multishot_cq_full`; these tests check what
//! a recording cannot: that every request ends with exactly one CQE without
//! `IORING_CQE_F_MORE` (after any number with it), over random programs, and that nothing is
//! left behind when the ring goes away.

mod common;

use common::*;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::*;
use ringside_core::sim;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;
use std::collections::BTreeMap;

const POLLIN: u32 = 0x1;
const POLLOUT: u32 = 0x4;
const MULTI: u32 = 1;

fn pipe(ua: &mut UserAlloc) -> (i32, i32) {
    let a = ua.alloc(8);
    assert_eq!(rs_sys_pipe2(a, 0), 0);
    (
        rd32(a as *const u8, 0) as i32,
        rd32(a as *const u8, 4) as i32,
    )
}

fn poll_add(r: &mut Ring, fd: i32, events: u32, flags: u32, ud: u64) {
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_POLL_ADD;
    sqe.fd = fd;
    sqe.len = flags;
    sqe.op_flags = events;
    sqe.user_data = ud;
}

fn target(r: &mut Ring, op: u8, ud: u64, t: u64) {
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = op;
    sqe.fd = -1;
    sqe.addr = t;
    sqe.user_data = ud;
}

fn cqes(r: &mut Ring) -> Vec<(u64, i32, u32)> {
    r.reap()
        .iter()
        .map(|(c, _)| (c.user_data, c.res, c.flags))
        .collect()
}

fn live_reqs() -> usize {
    sim::with(|s| {
        s.io_uring
            .rings
            .iter()
            .flatten()
            .map(|c| c.live_reqs() as usize)
            .sum()
    })
}

#[test]
fn a_multishot_poll_posts_one_cqe_with_f_more_per_write_and_poll_remove_ends_it() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 8, 0, 0).expect("setup");
    let (rd, wr) = pipe(&mut ua);
    let b = ua.alloc(4);
    poll_add(&mut r, rd, POLLIN, MULTI, 1);
    assert_eq!(r.submit_and_wait(0), 1);
    rs_run_until_idle(1000);
    assert_eq!(cqes(&mut r), vec![]);
    for _ in 0..3 {
        assert_eq!(rs_sys_write(wr, b, 4), 4);
        assert_eq!(cqes(&mut r), vec![(1, POLLIN as i32, IORING_CQE_F_MORE)]);
    }
    target(&mut r, IORING_OP_POLL_REMOVE, 2, 1);
    assert_eq!(r.submit_and_wait(2), 1);
    assert_eq!(cqes(&mut r), vec![(2, 0, 0), (1, -ECANCELED, 0)]);
    // Ended: later writes post nothing, a second POLL_REMOVE finds nothing.
    assert_eq!(rs_sys_write(wr, b, 4), 4);
    target(&mut r, IORING_OP_POLL_REMOVE, 3, 1);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(cqes(&mut r), vec![(3, -ENOENT, 0)]);
    assert_eq!(live_reqs(), 0);
}

#[test]
fn a_multishot_poll_ends_when_its_f_more_cqe_finds_the_cq_ring_full() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 1, 0, 0).expect("setup");
    assert_eq!(r.p.cq_entries, 2);
    let (rd, wr) = pipe(&mut ua);
    let b = ua.alloc(1);
    poll_add(&mut r, rd, POLLIN, MULTI, 1);
    assert_eq!(r.submit_and_wait(0), 1);
    for _ in 0..3 {
        assert_eq!(rs_sys_write(wr, b, 1), 1);
    }
    let more = IORING_CQE_F_MORE;
    assert_eq!(
        cqes(&mut r),
        vec![(1, POLLIN as i32, more), (1, POLLIN as i32, more)]
    );
    // The last CQE (no F_MORE) went to the overflow list; a wait flushes it.
    assert_eq!(r.submit_and_wait(1), 0);
    assert_eq!(cqes(&mut r), vec![(1, POLLIN as i32, 0)]);
    assert_eq!(rs_sys_write(wr, b, 1), 1);
    assert_eq!(cqes(&mut r), vec![]);
    assert_eq!(live_reqs(), 0);
}

#[test]
fn polls_on_one_pipe_wake_last_armed_first_and_teardown_cancels_what_still_waits() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 8, 0, 0).expect("setup");
    let (rd, wr) = pipe(&mut ua);
    poll_add(&mut r, rd, POLLIN, 0, 1);
    poll_add(&mut r, rd, POLLIN, 0, 2);
    poll_add(&mut r, wr, POLLOUT, 0, 3);
    poll_add(&mut r, rd, POLLIN, MULTI, 4);
    assert_eq!(r.submit_and_wait(1), 4);
    // The write end has room: the POLLOUT poll completed inline.
    assert_eq!(cqes(&mut r), vec![(3, POLLOUT as i32, 0)]);
    assert_eq!(rs_close(wr), 0);
    // No key on the release wake-up: each poll looks at the pipe (POLLHUP), newest first.
    let got = cqes(&mut r);
    assert_eq!(
        got,
        vec![(4, 0x10, IORING_CQE_F_MORE), (2, 0x10, 0), (1, 0x10, 0)]
    );
    assert_eq!(rs_close(r.fd), 0);
    rs_run_until_idle(10_000);
    sim::with(|s| {
        let ctx = s.io_uring.rings.iter().flatten().next().expect("ring");
        assert!(ctx.ops.apoll.is_empty());
    });
    assert_eq!(live_reqs(), 0);
}

/// Random programs mixing one-shot and multishot polls, READs and WRITEs on two pipes,
/// write()/read() system calls, POLL_REMOVE and ASYNC_CANCEL by user_data, NOPs, and a small
/// CQ ring: every request posts exactly one CQE without `IORING_CQE_F_MORE`, only multishot
/// polls post CQEs with it, all of those come before the final one, and after the ring is torn
/// down no request is left.
#[test]
fn every_request_ends_with_exactly_one_cqe_without_f_more() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut programs = 0;
    let mut finals = 0;
    let mut mores = 0;
    for _ in 0..300 {
        rs_init(0);
        let mut ua = UserAlloc::new();
        let entries = [2u32, 4, 8][rng.below(3) as usize];
        let mut r = setup(&mut ua, entries, 0, 0).expect("setup");
        let pipes = [pipe(&mut ua), pipe(&mut ua)];
        let buf = ua.alloc(64);
        // user_data → (multishot, final CQEs seen, F_MORE CQEs seen after the final one)
        let mut seen: BTreeMap<u64, (bool, u32, u32)> = BTreeMap::new();
        let mut submitted: Vec<u64> = Vec::new();
        let mut ud = 1u64;
        let check = |got: Vec<(u64, i32, u32)>, seen: &mut BTreeMap<u64, (bool, u32, u32)>| {
            for (u, _res, flags) in got {
                let e = seen.get_mut(&u).expect("a CQE for a submitted request");
                if flags & IORING_CQE_F_MORE != 0 {
                    assert!(e.0, "F_MORE on a request that is not a multishot poll");
                    if e.1 > 0 {
                        e.2 += 1;
                    }
                } else {
                    e.1 += 1;
                }
            }
        };
        for _ in 0..(4 + rng.below(12)) {
            let (prd, pwr) = pipes[rng.below(2) as usize];
            let pending = r.sqe_tail.wrapping_sub(r.sq_head());
            if pending >= r.p.sq_entries {
                let _ = r.submit_and_wait(0);
            }
            match rng.below(9) {
                0 | 1 => {
                    let multi = rng.below(2) == 0;
                    let (fd, ev) = if rng.below(4) == 0 {
                        (pwr, POLLOUT)
                    } else {
                        (prd, POLLIN)
                    };
                    poll_add(&mut r, fd, ev, if multi { MULTI } else { 0 }, ud);
                    seen.insert(ud, (multi, 0, 0));
                }
                2 => {
                    let sqe = r.get_sqe().expect("room");
                    sqe.opcode = IORING_OP_READ;
                    sqe.fd = prd;
                    sqe.addr = buf as u64;
                    sqe.len = 1 + rng.below(32) as u32;
                    sqe.user_data = ud;
                    seen.insert(ud, (false, 0, 0));
                }
                3 => {
                    let sqe = r.get_sqe().expect("room");
                    sqe.opcode = IORING_OP_WRITE;
                    sqe.fd = pwr;
                    sqe.addr = buf as u64;
                    sqe.len = 1 + rng.below(32) as u32;
                    sqe.user_data = ud;
                    seen.insert(ud, (false, 0, 0));
                }
                4 | 5 => {
                    let t = if submitted.is_empty() {
                        999
                    } else {
                        submitted[rng.below(submitted.len() as u64) as usize]
                    };
                    let op = if rng.below(2) == 0 {
                        IORING_OP_POLL_REMOVE
                    } else {
                        IORING_OP_ASYNC_CANCEL
                    };
                    target(&mut r, op, ud, t);
                    seen.insert(ud, (false, 0, 0));
                }
                6 => {
                    let sqe = r.get_sqe().expect("room");
                    sqe.opcode = IORING_OP_NOP;
                    sqe.fd = -1;
                    sqe.user_data = ud;
                    seen.insert(ud, (false, 0, 0));
                }
                7 => {
                    let _ = rs_sys_write(pwr, buf, 1 + rng.below(16) as u32);
                    ud -= 1;
                }
                _ => {
                    let _ = rs_sys_read(prd, buf, 1 + rng.below(16) as u32);
                    ud -= 1;
                }
            }
            if seen.contains_key(&ud) {
                submitted.push(ud);
            }
            ud += 1;
            if rng.below(3) == 0 {
                let _ = r.submit_and_wait(0);
                rs_run_until_idle(1000);
            }
            if rng.below(2) == 0 {
                let got = cqes(&mut r);
                check(got, &mut seen);
            }
        }
        let _ = r.submit_and_wait(0);
        rs_run_until_idle(1000);
        // Wake everything: close the write ends (POLLHUP for the readers), then reap with a
        // wait so the overflow list is flushed.
        for (_, w) in pipes {
            let _ = rs_close(w);
        }
        for _ in 0..8 {
            let got = cqes(&mut r);
            check(got, &mut seen);
            let _ = io_uring_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, 0, 0);
        }
        // What still waits (READs with nothing to read never wait: the writers are gone) is
        // cancelled by ring teardown, whose CQEs land in the ring's memory.
        assert_eq!(rs_close(r.fd), 0);
        rs_run_until_idle(10_000);
        let got = cqes(&mut r);
        check(got, &mut seen);
        assert_eq!(live_reqs(), 0, "requests left after teardown");
        for (u, (multi, fin, after)) in &seen {
            assert_eq!(*fin, 1, "user_data {}: {} final CQEs", u, fin);
            assert_eq!(*after, 0, "user_data {}: F_MORE after the final CQE", u);
            if *multi {
                mores += 1;
            }
        }
        finals += seen.len();
        programs += 1;
    }
    assert_eq!(programs, 300);
    assert!(
        finals > 1000 && mores > 100,
        "{} requests, {} multishot",
        finals,
        mores
    );
}
