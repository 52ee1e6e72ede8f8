//! Ring protocol through the exported ABI: setup, NOP submission, head/tail movement.

mod common;

use common::*;
use ringside_core::ffi::exports::*;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;

fn nop(r: &mut Ring, ud: u64) {
    let sqe = r.get_sqe().expect("sq has room");
    sqe.opcode = IORING_OP_NOP;
    sqe.user_data = ud;
}

#[test]
fn setup_reports_sizes_features_and_offsets() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let r = setup(&mut ua, 5, 0, 0).expect("setup");
    assert_eq!(r.p.sq_entries, 8);
    assert_eq!(r.p.cq_entries, 16);
    assert_eq!(r.p.features, IORING_FEAT_FLAGS);
    assert_eq!(r.p.sq_off.array, 320);
    assert_eq!(rd32(r.rings, r.p.sq_off.ring_mask), 7);
    assert_eq!(rd32(r.rings, r.p.cq_off.ring_entries), 16);
    assert_eq!(setup(&mut ua, 0, 0, 0).err(), Some(-EINVAL));
    assert_eq!(setup(&mut ua, 40000, 0, 0).err(), Some(-EINVAL));
    assert_eq!(
        setup(&mut ua, 40000, IORING_SETUP_CLAMP, 0).map(|r| r.p.sq_entries),
        Ok(32768)
    );
    assert_eq!(
        setup(&mut ua, 4, IORING_SETUP_TASKRUN_FLAG, 0).err(),
        Some(-EINVAL)
    );
    assert_eq!(
        setup(&mut ua, 4, IORING_SETUP_CQSIZE, 2).err(),
        Some(-EINVAL)
    );
    assert_eq!(
        setup(&mut ua, 4, IORING_SETUP_CQSIZE, 100).map(|r| r.p.cq_entries),
        Ok(128)
    );
}

#[test]
fn nops_complete_in_order_and_indices_wrap() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    let mut seen = Vec::new();
    for round in 0..5u64 {
        for i in 0..3 {
            nop(&mut r, round * 10 + i);
        }
        assert_eq!(r.submit_and_wait(3), 3);
        assert_eq!(r.sq_head(), r.sq_tail());
        for (c, _) in r.reap() {
            assert_eq!(c.res, 0);
            seen.push(c.user_data);
        }
    }
    let want: Vec<u64> = (0..5u64)
        .flat_map(|r| (0..3).map(move |i| r * 10 + i))
        .collect();
    assert_eq!(seen, want);
    assert_eq!(r.sq_head(), 15);
    assert_eq!(r.cq_tail(), 15);
}

#[test]
fn stepping_exposes_each_unit_of_work() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    nop(&mut r, 1);
    nop(&mut r, 2);
    let n = r.flush_sq();
    assert_eq!(rs_enter_begin(r.fd, n, 0, 0, 0, 0), 0);
    let mut heads = Vec::new();
    while rs_task_state() != 0 {
        assert_ne!(rs_step(), 0);
        heads.push((r.sq_head(), r.cq_tail()));
    }
    assert_eq!(rs_last_ret(), 2);
    // The SQ head is published once, after the CQEs of the batch were flushed.
    let first_cq = heads.iter().position(|h| h.1 == 2).expect("cq tail moved");
    let first_sq = heads.iter().position(|h| h.0 == 2).expect("sq head moved");
    assert!(first_cq < first_sq, "{:?}", heads);
    assert_eq!(rs_step(), 0, "the kernel is idle afterwards");
}

#[test]
fn invalid_opcode_stops_the_batch_and_posts_einval() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    nop(&mut r, 1);
    r.get_sqe().expect("room").opcode = 255;
    nop(&mut r, 3);
    let n = r.flush_sq();
    assert_eq!(io_uring_enter(r.fd, n, 0, 0, 0, 0), 2);
    let c: Vec<(u64, i32)> = r.reap().iter().map(|(c, _)| (c.user_data, c.res)).collect();
    assert_eq!(c, vec![(1, 0), (0, -EINVAL)]);
    assert_eq!(r.sq_head(), 2);
}

#[test]
fn cq_overflow_keeps_order_and_sets_the_flag() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    for round in 0..3u64 {
        for i in 0..4 {
            nop(&mut r, round * 4 + i);
        }
        assert_eq!(r.submit_and_wait(0), 4);
    }
    assert_eq!(r.cq_tail(), 8);
    assert_ne!(r.sq_flags() & IORING_SQ_CQ_OVERFLOW, 0);
    let first: Vec<u64> = r.reap().iter().map(|(c, _)| c.user_data).collect();
    assert_eq!(first, (0..8).collect::<Vec<u64>>());
    assert_eq!(io_uring_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, 0, 0), 0);
    let rest: Vec<u64> = r.reap().iter().map(|(c, _)| c.user_data).collect();
    assert_eq!(rest, (8..12).collect::<Vec<u64>>());
    assert_eq!(r.sq_flags() & IORING_SQ_CQ_OVERFLOW, 0);
}

#[test]
fn bad_array_index_drops_the_sqe() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    nop(&mut r, 7);
    wr32(r.rings, r.p.sq_off.array, 99);
    let n = r.flush_sq();
    assert_eq!(io_uring_enter(r.fd, n, 0, 0, 0, 0), 0);
    assert_eq!(r.sq_dropped(), 1);
    assert_eq!(r.sq_head(), 1);
    assert!(r.reap().is_empty());
}

#[test]
fn enter_rejects_bad_flags_and_fds() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let r = setup(&mut ua, 4, 0, 0).expect("setup");
    assert_eq!(io_uring_enter(r.fd, 0, 0, 1 << 20, 0, 0), -EINVAL);
    assert_eq!(io_uring_enter(9999, 0, 0, 0, 0, 0), -EBADF);
}

fn nops_one_by_one(r: &mut Ring, n: u64, ud: u64) {
    for i in 0..n {
        nop(r, ud + i);
        let k = r.flush_sq();
        assert_eq!(io_uring_enter(r.fd, k, 0, 0, 0, 0), 1);
    }
}

#[test]
fn cqe32_overflow_flush_at_the_wrap_posts_no_filler() {
    // Measured on Linux 6.18.44: a CQE32 ring's overflow flush starting at the last slot
    // posts the overflowed CQEs in order, with no filler CQE (only CQE_MIXED rings have one).
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, IORING_SETUP_CQE32, 0).expect("setup");
    nops_one_by_one(&mut r, 8, 100);
    wr32(r.rings, r.p.cq_off.head, 7);
    nops_one_by_one(&mut r, 7, 200);
    assert_eq!((r.cq_tail(), r.sq_flags()), (15, 0));
    nops_one_by_one(&mut r, 2, 300);
    assert_eq!((r.cq_tail(), r.sq_flags()), (15, IORING_SQ_CQ_OVERFLOW));
    wr32(r.rings, r.p.cq_off.head, 10);
    assert_eq!(io_uring_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, 0, 0), 0);
    assert_eq!((r.cq_tail(), r.sq_flags()), (17, 0));
    let got: Vec<(u64, Option<[u64; 2]>)> =
        r.reap().iter().map(|(c, b)| (c.user_data, *b)).collect();
    let want: Vec<(u64, Option<[u64; 2]>)> = [202, 203, 204, 205, 206, 300, 301]
        .iter()
        .map(|&u| (u, Some([0, 0])))
        .collect();
    assert_eq!(got, want);
}
