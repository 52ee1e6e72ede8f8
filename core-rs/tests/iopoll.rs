//! `IORING_SETUP_IOPOLL` for uring_cmd (Linux 6.18: `io_uring/uring_cmd.c:io_uring_cmd`,
//! `io_uring/rw.c:io_do_iopoll`, `io_uring/io_uring.c:io_iopoll_check`).

mod cmd_util;
mod common;

use cmd_util::*;
use common::*;
use ringside_core::drivers::rust_delay_device::DELAY_DEV_SUBMIT;
use ringside_core::drivers::rust_iopoll_device::IOPOLL_DEV_CMD;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::rs_advance_clock;
use ringside_core::io_uring::iopoll::MAX_PASSES;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;

fn now() -> u64 {
    ringside_core::sim::with(|s| s.clock_ns)
}

fn iopoll_ring(ua: &mut UserAlloc) -> Ring {
    setup(ua, 4, IORING_SETUP_IOPOLL, 0).expect("an IOPOLL ring")
}

#[test]
fn setup_accepts_iopoll_and_hybrid_polling() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    assert!(setup(&mut ua, 4, IORING_SETUP_IOPOLL, 0).is_ok());
    assert_eq!(
        setup(&mut ua, 4, IORING_SETUP_HYBRID_IOPOLL, 0).err(),
        Some(-EINVAL),
        "HYBRID_IOPOLL without IOPOLL: the kernel's own check"
    );
    assert_eq!(
        setup(
            &mut ua,
            4,
            IORING_SETUP_IOPOLL | IORING_SETUP_HYBRID_IOPOLL,
            0
        )
        .err(),
        None,
        "IOPOLL|HYBRID_IOPOLL is accepted, as 6.18 does (setup_flags_combos)"
    );
}

#[test]
fn a_file_without_uring_cmd_iopoll_is_refused_on_an_iopoll_ring() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = iopoll_ring(&mut ua);
    drain();
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 5], 1);
    prep_nop(&mut r, 2);
    assert_eq!(r.submit_and_wait(2), 2);
    let mut got = reap(&mut r);
    got.sort();
    assert_eq!(got, vec![(1, -EOPNOTSUPP, 0, None), (2, 0, 0, None)]);
    let recs = drain();
    assert_eq!(of(&recs, "sim_iopoll_no_hook").len(), 1);
    assert!(
        of(&recs, "sim_uring_cmd_issue").is_empty(),
        "the driver is never called"
    );
}

#[test]
fn a_polled_command_completes_only_when_getevents_polls() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "p", "rust_iopoll_device");
    let mut r = iopoll_ring(&mut ua);
    drain();
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [2_000, 42], 7);
    assert_eq!(submit(&mut r), 1);
    // Nobody polls: however long the task waits, the finished hardware posts nothing.
    run_idle();
    rs_advance_clock(1_000_000);
    assert!(reap(&mut r).is_empty(), "no CQE without polling");
    let recs = drain();
    let q = of(&recs, "sim_iopoll_queue");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].a, 1, "one request on the iopoll list");
    assert!(of(&recs, "sim_iopoll_hook").is_empty());
    // io_uring_enter(GETEVENTS, min_complete = 1): io_iopoll_check polls, the hook finds the
    // command done and punts it to task_work, done() sets iopoll_completed, the next pass
    // reaps it into a CQE.
    assert_eq!(r.submit_and_wait(1), 0);
    assert_eq!(reap(&mut r), vec![(7, 42, 0, None)]);
    let recs = drain();
    let hooks = of(&recs, "sim_iopoll_hook");
    assert_eq!(
        hooks.len(),
        1,
        "the device was already done: found at the first poll"
    );
    assert_eq!(hooks[0].a, 1);
    assert_eq!(of(&recs, "io_uring_task_add").len(), 1);
    let done = of(&recs, "sim_iopoll_completed");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].a, 42);
    let passes = of(&recs, "sim_iopoll_pass");
    assert_eq!(passes.last().unwrap().b, 1, "the last pass reaped it");
    let end = of(&recs, "sim_iopoll_check_done");
    assert_eq!(end.len(), 1);
    assert_eq!(end[0].a, 1, "one event");
    // The CQE was written by the poller, after the completion.
    let cqe = of(&recs, "io_uring_complete");
    assert_eq!(cqe.len(), 1);
    assert!(cqe[0].time > done[0].time);
}

#[test]
fn getevents_spins_until_the_device_is_ready() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "p", "rust_iopoll_device");
    let mut r = iopoll_ring(&mut ua);
    drain();
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [5_000, 3], 1);
    let t0 = now();
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r), vec![(1, 3, 0, None)]);
    let recs = drain();
    let hooks = of(&recs, "sim_iopoll_hook");
    assert!(
        hooks.len() > 10,
        "{} polls while the device works",
        hooks.len()
    );
    assert!(hooks[..hooks.len() - 1].iter().all(|h| h.a == 0));
    assert_eq!(hooks.last().unwrap().a, 1);
    assert!(
        hooks.last().unwrap().time >= t0 + 5_000,
        "found only once ready"
    );
    for h in &hooks {
        assert_eq!(h.ctx, 2, "the hook runs as the driver (lane)");
    }
}

#[test]
fn min_complete_zero_polls_once_and_returns() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "p", "rust_iopoll_device");
    let mut r = iopoll_ring(&mut ua);
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [1_000_000, 3], 1);
    assert_eq!(submit(&mut r), 1);
    drain();
    assert_eq!(io_uring_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, 0, 0), 0);
    let recs = drain();
    assert_eq!(of(&recs, "sim_iopoll_pass").len(), 1);
    assert!(reap(&mut r).is_empty());
}

#[test]
fn a_device_that_never_finishes_ends_the_poll_loop_at_need_resched() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "p", "rust_iopoll_device");
    let mut r = iopoll_ring(&mut ua);
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [u64::MAX / 2, 3], 1);
    assert_eq!(submit(&mut r), 1);
    drain();
    assert_eq!(r.submit_and_wait(1), 0, "returns 0 with fewer events");
    let recs = drain();
    assert_eq!(of(&recs, "sim_iopoll_pass").len() as u32, MAX_PASSES);
    assert!(reap(&mut r).is_empty());
}

#[test]
fn the_polled_device_refuses_an_unpolled_ring() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "p", "rust_iopoll_device");
    let mut r = setup(&mut ua, 4, 0, 0).expect("ring");
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [1_000, 3], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r), vec![(1, -EOPNOTSUPP, 0, None)]);
}

#[test]
fn ring_exit_polls_the_iopoll_list_empty() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "p", "rust_iopoll_device");
    let mut r = iopoll_ring(&mut ua);
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [3_000, 9], 1);
    assert_eq!(submit(&mut r), 1);
    drain();
    assert_eq!(rs_close(r.fd), 0);
    run_idle();
    let recs = drain();
    assert!(
        !of(&recs, "sim_iopoll_pass").is_empty(),
        "the exit work polls"
    );
    assert_eq!(
        of(&recs, "sim_ring_freed").len(),
        1,
        "and the ring is freed"
    );
    assert!(of(&recs, "sim_warn").is_empty());
    assert_eq!(reap(&mut r), vec![(1, 9, 0, None)]);
}

#[test]
fn a_completed_request_behind_an_unfinished_one_is_reaped_and_the_other_stays() {
    // io_do_iopoll reaps from where its walk stopped (the first completed request), not only
    // a completed head: the slow command polled before it stays on the list.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "p", "rust_iopoll_device");
    let mut r = iopoll_ring(&mut ua);
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [100_000, 1], 1);
    prep_cmd(&mut r, fd, IOPOLL_DEV_CMD, [500, 2], 2);
    assert_eq!(r.submit_and_wait(1), 2);
    assert_eq!(reap(&mut r), vec![(2, 2, 0, None)]);
    let recs = drain();
    let last = of(&recs, "sim_iopoll_pass");
    let last = last.last().unwrap();
    assert_eq!((last.a, last.b), (2, 1), "two listed, one reaped");
    // The slow one is still polled for, and found later.
    assert_eq!(r.submit_and_wait(1), 0);
    assert_eq!(reap(&mut r), vec![(1, 1, 0, None)]);
}

#[test]
fn an_async_nop_on_an_iopoll_ring_completes_through_task_work_not_the_poller() {
    // io-wq completes it with io_req_complete_post; an IOPOLL ring is lockless_cq, so the CQE
    // goes through task_work. GETEVENTS finds an empty iopoll list and does not wait for it.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = iopoll_ring(&mut ua);
    prep_nop(&mut r, 5);
    let slot = (r.sqe_tail.wrapping_sub(1) & (r.p.sq_entries - 1)) as usize;
    // SAFETY: the slot was just handed out by get_sqe.
    unsafe { (*(r.sqes.add(slot * r.sqe_size) as *mut io_uring_sqe)).flags = IOSQE_ASYNC };
    drain();
    assert_eq!(r.submit_and_wait(1), 1);
    run_idle();
    assert_eq!(reap(&mut r), vec![(5, 0, 0, None)]);
    let recs = drain();
    assert!(
        of(&recs, "sim_iopoll_queue").is_empty(),
        "a NOP is never polled"
    );
    assert_eq!(of(&recs, "io_uring_task_add").len(), 1);
}
