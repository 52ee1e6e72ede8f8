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

fn nop_flags(r: &mut Ring, ud: u64, sqe_flags: u8, nop_flags: u32, words: (u64, u64)) {
    let sqe = r.get_sqe().expect("sq has room");
    sqe.opcode = IORING_OP_NOP;
    sqe.flags = sqe_flags;
    sqe.op_flags = nop_flags;
    sqe.off = words.0;
    sqe.addr = words.1;
    sqe.user_data = ud;
}

#[test]
fn a_skipped_cqe32_nop_leaves_its_words_to_the_next_user_of_the_request() {
    // Measured on Linux 6.18.44: `req->big_cqe` is cleared only when a 32-byte CQE takes it,
    // and the request cache hands the same object out next.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, IORING_SETUP_CQE32, 0).expect("setup");
    let skip = IOSQE_CQE_SKIP_SUCCESS;
    nop_flags(&mut r, 1, skip, IORING_NOP_CQE32, (433, 5));
    assert_eq!(r.submit_and_wait(0), 1);
    nop(&mut r, 2);
    assert_eq!(r.submit_and_wait(0), 1);
    let got: Vec<(u64, Option<[u64; 2]>)> =
        r.reap().iter().map(|(c, b)| (c.user_data, *b)).collect();
    assert_eq!(got, vec![(2, Some([433, 5]))]);
    nop(&mut r, 3);
    assert_eq!(r.submit_and_wait(0), 1);
    assert_eq!(r.reap()[0].1, Some([0, 0]));
}

#[test]
fn cqe_mixed_posts_from_the_cached_range_past_an_overflowed_cqe() {
    // Measured on Linux 6.18.44 (conformance/fuzz/traces/fuzz_183.json): with one of two slots
    // consumed, a 32-byte CQE posts its filler, cannot fit and overflows; the next CQE is
    // written from the cached range over the filler, and the tail exposes a stale slot.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 2, IORING_SETUP_CQE_MIXED | IORING_SETUP_CQSIZE, 2).expect("setup");
    nop(&mut r, 1);
    assert_eq!(r.submit_and_wait(0), 1);
    assert_eq!(r.reap().len(), 1);
    nop_flags(&mut r, 3, 0, IORING_NOP_CQE32, (7, 8));
    nop(&mut r, 4);
    assert_eq!(r.submit_and_wait(0), 2);
    assert_eq!((r.cq_tail(), r.sq_flags()), (3, IORING_SQ_CQ_OVERFLOW));
    let (a, _) = r.cqe_at(1);
    let (b, _) = r.cqe_at(2);
    assert_eq!((a.user_data, a.flags), (4, 0));
    assert_eq!((b.user_data, b.flags), (1, 0));
}

/// `close(2)` is a system call like the others: while the one-thread program is blocked in
/// `io_uring_enter`, it cannot make another one, so `rs_close` answers `-EBUSY` (as every
/// `ring_exports` system call does) and the ring stays open. Before the ABI was thinned,
/// `rs_close` skipped this check and tore the ring down under the waiting syscall.
#[test]
fn close_while_blocked_in_enter_is_ebusy_and_keeps_the_ring() {
    use ringside_core::ffi::ring_exports::rs_sys_eventfd2;
    rs_init(0);
    let mut ua = UserAlloc::new();
    let r = setup(&mut ua, 4, 0, 0).expect("setup");
    // Wait for one completion on an empty ring: the task is inside io_uring_enter.
    assert_eq!(rs_enter_begin(r.fd, 0, 1, IORING_ENTER_GETEVENTS, 0, 0), 0);
    assert_ne!(rs_task_state(), 0, "inside io_uring_enter");
    let before = rs_trace_len();
    assert_eq!(
        rs_sys_eventfd2(0, 0),
        -EBUSY,
        "the other system calls refuse"
    );
    assert_eq!(rs_close(r.fd), -EBUSY, "and so does close");
    assert_eq!(rs_trace_len(), before, "a refused call records nothing");
    assert_ne!(rs_task_state(), 0, "still inside io_uring_enter");
    assert_ne!(
        rs_mmap(r.fd, IORING_OFF_SQ_RING as u32),
        0,
        "the ring is still open"
    );
}

/// Closing a ring fd twice: the second `close` is `-EBADF`, and so is everything after it.
#[test]
fn close_then_close_again_is_ebadf() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let r = setup(&mut ua, 4, 0, 0).expect("setup");
    assert_eq!(rs_close(r.fd), 0);
    assert_eq!(rs_close(r.fd), -EBADF);
    assert_eq!(rs_mmap(r.fd, IORING_OFF_SQ_RING as u32), 0);
    assert_eq!(rs_req_count(r.fd), -EBADF);
}
