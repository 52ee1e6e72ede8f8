//! READ/WRITE, async poll, TIMEOUT/LINK_TIMEOUT, ASYNC_CANCEL and the "not modelled" answer,
//! through the exported ABI. The kernel's answers themselves are held by the conformance
//! recordings (`conformance/traces/rw_*`, `timeout_*`, `link_timeout`, `async_cancel`); these
//! tests look at what a recording cannot see: trace events, user-memory provenance, and that
//! nothing is left behind when a ring goes away with requests waiting.

mod common;

use common::*;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::*;
use ringside_core::io_uring::opdata::ENOTMODELLED;
use ringside_core::io_uring::types::Prov;
use ringside_core::sim;
use ringside_core::trace::Event;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;

/// `IORING_OP_FSYNC`, which the simulator does not model.
const IORING_OP_FSYNC_FOR_TEST: u8 = 3;

fn pipe(ua: &mut UserAlloc) -> (i32, i32) {
    let a = ua.alloc(8);
    assert_eq!(rs_sys_pipe2(a, 0), 0);
    (
        rd32(a as *const u8, 0) as i32,
        rd32(a as *const u8, 4) as i32,
    )
}

#[allow(clippy::too_many_arguments)]
fn rw(r: &mut Ring, op: u8, fd: i32, buf: usize, len: u32, off: u64, ud: u64, flags: u8) {
    let sqe = r.get_sqe().expect("sq has room");
    sqe.opcode = op;
    sqe.fd = fd;
    sqe.addr = buf as u64;
    sqe.len = len;
    sqe.off = off;
    sqe.user_data = ud;
    sqe.flags = flags;
}

fn cqes(r: &mut Ring) -> Vec<(u64, i32)> {
    r.reap().iter().map(|(c, _)| (c.user_data, c.res)).collect()
}

fn events(ev: Event) -> Vec<(u64, i64, i64)> {
    sim::with(|s| {
        s.trace
            .records()
            .iter()
            .filter(|t| t.event == ev as u16)
            .map(|t| (t.user_data, t.a, t.b))
            .collect()
    })
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
fn an_opcode_without_a_model_is_refused_with_a_non_errno_and_says_so() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_FSYNC_FOR_TEST;
    sqe.user_data = 5;
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(cqes(&mut r), vec![(5, -ENOTMODELLED)]);
    let nm = events(Event::sim_not_modelled);
    assert_eq!(nm, vec![(5, i64::from(IORING_OP_FSYNC_FOR_TEST), 0)]);
    // A field value without a model (an I/O priority) on a modelled opcode.
    let (_, w) = pipe(&mut ua);
    let b = ua.alloc(8);
    rw(&mut r, IORING_OP_WRITE, w, b, 8, 0, 6, 0);
    let last = r.sqe_tail.wrapping_sub(1) & (r.p.sq_entries - 1);
    r.sqe_bytes(last)[2] = 1; // ioprio
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(cqes(&mut r), vec![(6, -ENOTMODELLED)]);
    assert_eq!(events(Event::sim_not_modelled).len(), 2);
}

#[test]
fn a_read_on_an_empty_pipe_waits_and_a_write_wakes_it_with_the_bytes() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    let (rd, wr) = pipe(&mut ua);
    let dst = ua.alloc(16);
    rw(&mut r, IORING_OP_READ, rd, dst, 16, 0, 1, 0);
    assert_eq!(r.submit_and_wait(0), 1);
    rs_run_until_idle(1000);
    assert_eq!(cqes(&mut r), vec![]);
    assert_eq!(events(Event::io_uring_poll_arm).len(), 1);
    let src = ua.alloc(4);
    wr32(src as *mut u8, 0, 0xfeed_beef);
    rs_user_wrote(src, 4);
    assert_eq!(rs_sys_write(wr, src, 4), 4);
    // The wake-up queued task_work, which the task ran on its way out of write().
    assert_eq!(events(Event::sim_poll_wake).len(), 1);
    assert_eq!(cqes(&mut r), vec![(1, 4)]);
    assert_eq!(rd32(dst as *const u8, 0), 0xfeed_beef);
    // The bytes are the kernel's, written for this request.
    sim::with(|s| {
        let off = dst - s.linux.user.base();
        assert!(s.linux.user.prov()[off..off + 4]
            .iter()
            .all(|&p| p == Prov::Core));
        assert_eq!(s.linux.user.prov()[off + 4], Prov::Fresh);
    });
    let rd_ev = events(Event::sim_rw_done);
    // A read (b bit 0 clear) of 4 bytes from a stream (no position: u32::MAX in the high half).
    assert_eq!(rd_ev, vec![(1, 4, i64::from(u32::MAX) << 32)]);
}

#[test]
fn rwf_nowait_on_an_empty_pipe_completes_with_eagain_instead_of_waiting() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    let (rd, _) = pipe(&mut ua);
    let dst = ua.alloc(16);
    rw(&mut r, IORING_OP_READ, rd, dst, 16, 0, 1, 0);
    let last = r.sqe_tail.wrapping_sub(1) & (r.p.sq_entries - 1);
    r.sqe_bytes(last)[28] = 8; // RWF_NOWAIT
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(cqes(&mut r), vec![(1, -EAGAIN)]);
    assert!(events(Event::io_uring_poll_arm).is_empty());
}

#[test]
fn a_regular_file_write_goes_to_io_wq_and_the_file_position_moves_only_with_offset_minus_one() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    let p = ua.alloc(8);
    let path = b"/tmp";
    // SAFETY: `p` is user memory of 8 bytes.
    unsafe { core::ptr::copy_nonoverlapping(path.as_ptr(), p as *mut u8, path.len()) };
    let fd = rs_sys_openat(p, path.len() as u32, 0o20200000 | 2); // O_TMPFILE | O_RDWR
    assert!(fd >= 0, "openat: {}", fd);
    let b = ua.alloc(8);
    rw(&mut r, IORING_OP_WRITE, fd, b, 8, u64::MAX, 1, 0);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(cqes(&mut r), vec![(1, 8)]);
    assert_eq!(events(Event::io_uring_queue_async_work).len(), 1);
    rw(&mut r, IORING_OP_READ, fd, b, 8, u64::MAX, 2, 0);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(
        cqes(&mut r),
        vec![(2, 0)],
        "the WRITE moved the position to 8"
    );
    rw(&mut r, IORING_OP_READ, fd, b, 8, 4, 3, 0);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(cqes(&mut r), vec![(3, 4)], "a short read at offset 4");
}

#[test]
fn a_counted_timeout_ends_after_the_other_completions_and_stops_its_timer() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 8, 0, 0).expect("setup");
    let ts = ua.alloc(16);
    wr32(ts as *mut u8, 0, 5); // 5 s
    rs_user_wrote(ts, 16);
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_TIMEOUT;
    sqe.addr = ts as u64;
    sqe.len = 1;
    sqe.off = 2;
    sqe.user_data = 1;
    for ud in 2..4 {
        let sqe = r.get_sqe().expect("room");
        sqe.opcode = IORING_OP_NOP;
        sqe.user_data = ud;
    }
    assert_eq!(r.submit_and_wait(3), 3);
    assert_eq!(cqes(&mut r), vec![(2, 0), (3, 0), (1, 0)]);
    assert!(
        sim::with(|s| s.linux.timers.is_empty()),
        "the 5 s timer was stopped"
    );
    assert_eq!(events(Event::sim_timeout_fire), vec![(1, 0, 1)]);
}

#[test]
fn cancel_finds_a_waiting_read_and_a_timeout_but_not_an_unknown_user_data() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 8, 0, 0).expect("setup");
    let (rd, _) = pipe(&mut ua);
    let dst = ua.alloc(16);
    rw(&mut r, IORING_OP_READ, rd, dst, 16, 0, 1, 0);
    assert_eq!(r.submit_and_wait(0), 1);
    for (ud, target) in [(2u64, 1u64), (3, 99)] {
        let sqe = r.get_sqe().expect("room");
        sqe.opcode = IORING_OP_ASYNC_CANCEL;
        sqe.addr = target;
        sqe.user_data = ud;
    }
    assert_eq!(r.submit_and_wait(3), 2);
    assert_eq!(cqes(&mut r), vec![(2, 0), (3, -ENOENT), (1, -ECANCELED)]);
    assert_eq!(live_reqs(), 0);
}

#[test]
fn closing_a_ring_with_a_waiting_read_and_timeouts_leaves_nothing_behind() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 8, 0, 0).expect("setup");
    let (rd, _) = pipe(&mut ua);
    let dst = ua.alloc(16);
    let ts = ua.alloc(16);
    wr32(ts as *mut u8, 0, 10);
    rs_user_wrote(ts, 16);
    rw(&mut r, IORING_OP_READ, rd, dst, 16, 0, 1, IOSQE_IO_LINK);
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_LINK_TIMEOUT;
    sqe.addr = ts as u64;
    sqe.len = 1;
    sqe.user_data = 2;
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_TIMEOUT;
    sqe.addr = ts as u64;
    sqe.len = 1;
    sqe.user_data = 3;
    assert_eq!(r.submit_and_wait(0), 3);
    rs_run_until_idle(1000);
    assert_eq!(sim::with(|s| s.linux.timers.len()), 2);
    assert_eq!(rs_close(r.fd), 0);
    rs_run_until_idle(10_000);
    sim::with(|s| {
        assert!(
            s.linux.timers.is_empty(),
            "timers left: {}",
            s.linux.timers.len()
        );
        let ctx = s.io_uring.rings.iter().flatten().next().expect("ring");
        assert!(ctx.ops.apoll.is_empty() && ctx.ops.timeouts.is_empty());
        assert!(ctx.ops.ltimeouts.is_empty());
    });
    assert_eq!(live_reqs(), 0);
}
