//! The uring_cmd sanitizers fire on the hazards the review found, and on nothing else.

mod cmd_util;
mod common;

use cmd_util::*;
use common::*;
use ringside_core::drivers::rust_double_done::*;
use ringside_core::drivers::rust_pdu_too_big::PDU_TOO_BIG_CMD;
use ringside_core::drivers::rust_sqe_after_issue::LATE_SQE_ECHO;
use ringside_core::ffi::exports::*;
use ringside_core::io_uring::types::*;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;

#[test]
fn done_then_return_is_a_double_completion_and_only_one_cqe_is_posted() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "dd", "rust_double_done");
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    prep_cmd(&mut r, fd, DOUBLE_DONE_AND_RETURN, [0, 0], 1);
    prep_cmd(&mut r, fd, DOUBLE_DONE_TWICE, [0, 0], 2);
    assert_eq!(r.submit_and_wait(2), 2);
    assert_eq!(reap(&mut r), vec![(1, 1, 0, None), (2, 1, 0, None)]);
    let recs = drain();
    assert_eq!(
        sanitizers(&recs),
        vec!["sanitizer_double_done", "sanitizer_double_done"]
    );
    // The request objects went back to the cache exactly once each.
    assert_eq!(of(&recs, "sim_req_free").len(), 2);
    run_idle();
    assert!(reap(&mut r).is_empty());
}

#[test]
fn v4_workqueue_done_reports_bad_flags_and_no_lock_and_the_cqe_waits_for_a_flush() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "v4", "rust_misc_device_v4");
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    prep_cmd(&mut r, fd, 0, [0, 0], 1);
    // Wait for it: the kworker's done() puts it on the deferred list, which nothing flushes, so
    // the waiter is never woken; the simulator ends the wait as a signal would.
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(rs_last_ret(), 1);
    let recs = drain();
    assert_eq!(
        sanitizers(&recs),
        vec!["sanitizer_done_unlocked", "sanitizer_done_bad_flags"]
    );
    assert_eq!(of(&recs, "sim_wait_deadlock").len(), 1);
    assert!(reap(&mut r).is_empty());
    // The next submission's flush posts it.
    prep_nop(&mut r, 2);
    assert_eq!(r.submit_and_wait(0), 1);
    assert_eq!(
        reap(&mut r).iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
        vec![(1, 0), (2, 0)]
    );
}

#[test]
fn v5_sample_passes_every_check() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "v5", "rust_misc_device");
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    prep_cmd(&mut r, fd, 0, [0, 0], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r), vec![(1, 0, 0, None)]);
    assert!(sanitizers(&drain()).is_empty());
}

#[test]
fn reading_the_sqe_after_the_issue_call_sees_the_next_sqe() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "late", "rust_sqe_after_issue");
    let mut r = setup(&mut ua, 1, 0, 0).expect("setup"); // one SQ slot, reused at once
    prep_cmd(&mut r, fd, LATE_SQE_ECHO, [111, 0], 1);
    assert_eq!(submit(&mut r), 1);
    // The next SQE lands in the slot the first one used.
    prep_cmd(&mut r, fd, LATE_SQE_ECHO, [222, 0], 2);
    assert_eq!(submit(&mut r), 1);
    run_idle();
    let cqes = reap(&mut r);
    assert_eq!(cqes, vec![(1, 222, 0, None), (2, 222, 0, None)]);
    let recs = drain();
    assert_eq!(
        sanitizers(&recs),
        vec!["sanitizer_sqe_after_issue", "sanitizer_sqe_after_issue"]
    );
}

#[test]
fn v3_opcode_check_catches_a_stale_sqe_only_by_accident() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "late", "rust_sqe_after_issue");
    let mut r = setup(&mut ua, 1, 0, 0).expect("setup");
    prep_cmd(&mut r, fd, LATE_SQE_ECHO, [111, 0], 1);
    assert_eq!(submit(&mut r), 1);
    prep_nop(&mut r, 2);
    assert_eq!(submit(&mut r), 1);
    run_idle();
    // The slot now holds a NOP, so v3's opcode check fails the late read with -EINVAL.
    assert_eq!(reap(&mut r), vec![(2, 0, 0, None), (1, -EINVAL, 0, None)]);
    assert_eq!(sanitizers(&drain()), vec!["sanitizer_sqe_after_issue"]);
}

#[test]
fn a_pdu_type_over_32_bytes_is_reported_and_fails() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "big", "rust_pdu_too_big");
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    prep_cmd(&mut r, fd, PDU_TOO_BIG_CMD, [0, 0], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r), vec![(1, -EFAULT, 0, None)]);
    let recs = drain();
    let s = of(&recs, "sanitizer_pdu_too_big");
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].a, s[0].b), (40, 32));
}

#[test]
fn done_from_a_workqueue_with_unlocked_is_fine_and_posts_through_task_work() {
    // The sqe-after-issue driver completes correctly (IO_URING_F_UNLOCKED); with an SQE that
    // was copied (IOSQE_ASYNC) its late read is safe too.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "late", "rust_sqe_after_issue");
    let mut r = setup(&mut ua, 2, 0, 0).expect("setup");
    prep_cmd_with(&mut r, fd, LATE_SQE_ECHO, 1, |s| {
        s.addr3 = 77;
        s.flags = IOSQE_ASYNC;
    });
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r), vec![(1, 77, 0, None)]);
    let recs = drain();
    assert!(sanitizers(&recs).is_empty(), "{:?}", sanitizers(&recs));
    let done = of(&recs, "sim_uring_cmd_done");
    assert_eq!(done[0].b as u32, IO_URING_F_UNLOCKED);
    assert_eq!(of(&recs, "io_uring_task_add").len(), 1);
}
