//! The uring_cmd state machine (docs/kernel-notes.md §3.10), one test per transition, through the
//! exported ABI with the sample drivers.

mod cmd_util;
mod common;

use cmd_util::*;
use common::*;
use ringside_core::drivers::rust_delay_device::DELAY_DEV_SUBMIT;
use ringside_core::drivers::rust_eagain_device::EAGAIN_DEV_CMD;
use ringside_core::drivers::rust_misc_device_v3::*;
use ringside_core::drivers::rust_nvme_passthru::{NvmeUringCmd, NVME_URING_CMD_IO};
use ringside_core::drivers::rust_ublk::UBLK_U_IO_FETCH_REQ;
use ringside_core::ffi::exports::*;
use ringside_core::io_uring::types::*;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;

const INLINE_FLAGS: u32 = IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER | IO_URING_F_INLINE;
const IOWQ_FLAGS: u32 = IO_URING_F_UNLOCKED | IO_URING_F_IOWQ;

type SqeEdit = Box<dyn FnOnce(&mut io_uring_sqe)>;

fn setup_ring(ua: &mut UserAlloc, entries: u32, flags: u32) -> Ring {
    setup(ua, entries, flags, 0).expect("setup")
}

#[test]
fn prep_rejects_bad_fields_in_kernel_order() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "m", "rust_misc_device_v3");
    let mut r = setup_ring(&mut ua, 8, 0);
    let cases: Vec<(u64, SqeEdit)> = vec![
        (1, Box::new(|s| s.off |= 1 << 32)),    // __pad1
        (2, Box::new(|s| s.op_flags = 1 << 4)), // unknown uring_cmd_flags
        (
            3,
            Box::new(|s| s.op_flags = IORING_URING_CMD_FIXED | IORING_URING_CMD_MULTISHOT),
        ),
        (4, Box::new(|s| s.op_flags = IORING_URING_CMD_MULTISHOT)), // no BUFFER_SELECT
        (5, Box::new(|s| s.flags = IOSQE_BUFFER_SELECT)),           // no MULTISHOT
        (6, Box::new(|s| s.ioprio = 1)),                            // no .ioprio in opdef
    ];
    for (ud, f) in cases {
        prep_cmd_with(&mut r, fd, RUST_MISC_DEV_URING_CMD_SET_VALUE, ud, f);
        // A prep failure stops the batch; submit each alone.
        assert_eq!(submit(&mut r), 1);
    }
    let cqes = reap(&mut r);
    assert_eq!(cqes.len(), 6);
    for (ud, res, _, _) in cqes {
        assert_eq!(res, -EINVAL, "case {}", ud);
    }
    let recs = drain();
    assert_eq!(of(&recs, "io_uring_req_failed").len(), 6);
    assert!(of(&recs, "sim_uring_cmd_issue").is_empty());
}

#[test]
fn no_hook_and_bad_fd_fail_without_calling_a_driver() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let plain = dev(&mut ua, "plain", "rust_no_uring_cmd");
    let mut r = setup_ring(&mut ua, 8, 0);
    prep_cmd(&mut r, plain, 0x1234, [0, 0], 1);
    let ring_fd = r.fd;
    prep_cmd(&mut r, ring_fd, 0x1234, [0, 0], 2); // io_uring_fops has no uring_cmd either
    prep_cmd(&mut r, 99, 0x1234, [0, 0], 3);
    assert_eq!(submit(&mut r), 3);
    let cqes = reap(&mut r);
    assert_eq!(
        cqes.iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
        vec![(1, -EOPNOTSUPP), (2, -EOPNOTSUPP), (3, -EBADF)]
    );
    let recs = drain();
    assert_eq!(of(&recs, "sim_uring_cmd_no_hook").len(), 2);
    assert!(of(&recs, "sim_uring_cmd_issue").is_empty());
}

#[test]
fn v3_set_and_get_complete_inline_with_the_inline_issue_flags() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "rust-misc", "rust_misc_device_v3");
    let mut r = setup_ring(&mut ua, 8, 0);
    let val = ubuf(&mut ua, &[42]);
    let out = ubuf(&mut ua, &[0]);
    prep_cmd(
        &mut r,
        fd,
        RUST_MISC_DEV_URING_CMD_SET_VALUE,
        [val as u64, 0],
        1,
    );
    prep_cmd(
        &mut r,
        fd,
        RUST_MISC_DEV_URING_CMD_GET_VALUE,
        [out as u64, 0],
        2,
    );
    prep_cmd(&mut r, fd, 0xdead, [out as u64, 0], 3);
    assert_eq!(r.submit_and_wait(3), 3);
    let cqes = reap(&mut r);
    assert_eq!(
        cqes.iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
        vec![(1, 0), (2, 0), (3, -ENOTTY)]
    );
    assert_eq!(read_i32(out), 42);
    let recs = drain();
    for i in of(&recs, "sim_uring_cmd_issue") {
        assert_eq!(i.a as u32, INLINE_FLAGS);
    }
    // The CQEs are posted by the batch flush, after every SQE was issued and before the SQ
    // head is published.
    let pos = |e: &str| recs.iter().position(|r| r.ev == e).expect(e);
    let last_issue = recs
        .iter()
        .rposition(|r| r.ev == "sim_uring_cmd_ret")
        .unwrap();
    assert!(last_issue < pos("io_uring_complete"));
    assert!(pos("io_uring_complete") < pos("sim_sq_head_commit"));
    // v3 reads the SQE with plain loads: no volatile bit.
    assert!(of(&recs, "sim_sqe_read").iter().all(|r| r.b >> 32 == 0));
    assert_eq!(of(&recs, "sim_copy_from_user").len(), 1);
    assert_eq!(of(&recs, "sim_copy_to_user").len(), 1);
    assert!(sanitizers(&recs).is_empty());
    // The driver's log lines point at the driver source (file id 8).
    let logs = of(&recs, "sim_driver_log");
    assert!(logs.iter().any(|l| l.src >> 16 == 8));
}

#[test]
fn eagain_sets_reissue_copies_the_sqe_and_reissues_from_iowq_keeping_the_pdu() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "e", "rust_eagain_device");
    let mut r = setup_ring(&mut ua, 8, 0);
    prep_cmd(&mut r, fd, EAGAIN_DEV_CMD, [7, 0], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    let cqes = reap(&mut r);
    // First attempt under NONBLOCK, second from io-wq: 7 + 1000 * 2.
    assert_eq!(cqes, vec![(1, 2007, 0, None)]);
    let recs = drain();
    let issues = of(&recs, "sim_uring_cmd_issue");
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0].a as u32, INLINE_FLAGS);
    assert_eq!(issues[1].a as u32, IOWQ_FLAGS);
    assert_eq!(of(&recs, "sim_sqe_copy").len(), 1);
    assert_eq!(of(&recs, "io_uring_queue_async_work").len(), 1);
    // The v5 wrapper zeroed the PDU on the first issue only.
    assert_eq!(of(&recs, "sim_pdu_zero").len(), 1);
    assert!(sanitizers(&recs).is_empty());
}

#[test]
fn a_second_eagain_from_iowq_fails_the_request() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "e", "rust_eagain_device");
    let mut r = setup_ring(&mut ua, 8, 0);
    prep_cmd(&mut r, fd, EAGAIN_DEV_CMD, [7, 1], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r), vec![(1, -EAGAIN, 0, None)]);
    let recs = drain();
    assert_eq!(of(&recs, "sim_uring_cmd_issue").len(), 2);
}

#[test]
fn iosqe_async_goes_to_iowq_first() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "m", "rust_misc_device_v3");
    let mut r = setup_ring(&mut ua, 8, 0);
    let val = ubuf(&mut ua, &[5]);
    prep_cmd_with(&mut r, fd, RUST_MISC_DEV_URING_CMD_SET_VALUE, 1, |s| {
        s.addr3 = val as u64;
        s.flags = IOSQE_ASYNC;
    });
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r), vec![(1, 0, 0, None)]);
    let recs = drain();
    let issues = of(&recs, "sim_uring_cmd_issue");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].a as u32, IOWQ_FLAGS);
    assert_eq!(of(&recs, "sim_sqe_copy").len(), 1);
}

#[test]
fn queued_command_is_inflight_then_completes_through_task_work() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "v5", "rust_misc_device");
    let mut r = setup_ring(&mut ua, 8, 0);
    prep_cmd(&mut r, fd, 0, [0, 0], 9);
    assert_eq!(submit(&mut r), 1);
    // Returned to user mode: the command is in flight, no CQE yet.
    let info = req_by_ud(&r, 9).expect("request");
    assert_eq!(info.state, ReqState::Inflight as u8);
    assert!(reap(&mut r).is_empty());
    run_idle();
    assert_eq!(reap(&mut r), vec![(9, 0, 0, None)]);
    let recs = drain();
    let names: Vec<&str> = recs.iter().map(|r| r.ev).collect();
    let i = |e: &str| names.iter().position(|n| *n == e).expect(e);
    assert!(i("sim_uring_cmd_ret") < i("sim_work_run"));
    assert!(i("sim_work_run") < i("sim_uring_cmd_do_in_task"));
    assert!(i("sim_uring_cmd_do_in_task") < i("io_uring_task_add"));
    assert!(i("io_uring_task_add") < i("sim_task_work_run"));
    assert!(i("sim_task_work_run") < i("sim_uring_cmd_done"));
    assert!(i("sim_uring_cmd_done") < i("io_uring_complete"));
    let done = of(&recs, "sim_uring_cmd_done");
    assert_eq!(done[0].b as u32, IO_URING_CMD_TASK_WORK_ISSUE_FLAGS);
    assert_eq!(of(&recs, "sim_uring_cmd_ret")[0].a, -(EIOCBQUEUED as i64));
    assert!(sanitizers(&recs).is_empty());
}

#[test]
fn defer_taskrun_runs_task_work_only_in_getevents_and_lazy_wake_waits_for_enough() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = setup_ring(
        &mut ua,
        8,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    );
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 11], 1);
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [2_000, 22], 2);
    assert_eq!(submit(&mut r), 2);
    // Let the device finish both while userspace is busy: the task_work stays queued.
    run_idle();
    assert!(reap(&mut r).is_empty());
    drain();
    // io_uring_enter(GETEVENTS) runs it.
    assert_eq!(io_uring_enter(r.fd, 0, 2, IORING_ENTER_GETEVENTS, 0, 0), 0);
    assert_eq!(reap(&mut r).len(), 2);
    // Lazy wake: a waiter for 3 CQEs sleeps through the first two task_work items.
    for (i, d) in [(3u64, 1_000u64), (4, 2_000), (5, 3_000)] {
        prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [d, i], i);
    }
    assert_eq!(r.submit_and_wait(3), 3);
    let recs = drain();
    let wakes = of(&recs, "sim_wait_wake");
    assert_eq!(wakes.len(), 1, "one wake for three lazy task_work items");
    let adds = of(&recs, "io_uring_task_add");
    assert_eq!(adds.len(), 3);
    assert!(adds.iter().all(|a| a.a == 1 && a.b == 1));
    assert_eq!(reap(&mut r).len(), 3);
}

#[test]
fn normal_task_work_runs_in_user_mode_at_once() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = setup_ring(&mut ua, 8, 0);
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 5], 1);
    assert_eq!(submit(&mut r), 1);
    run_idle();
    // TWA_SIGNAL interrupted the task in user mode: the CQE is there without another enter.
    assert_eq!(reap(&mut r), vec![(1, 5, 0, None)]);
}

#[test]
fn cancelable_commands_get_io_uring_f_cancel_when_the_ring_goes_away() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "ublkc0", "rust_ublk");
    let mut r = setup_ring(&mut ua, 8, 0);
    prep_cmd(&mut r, fd, UBLK_U_IO_FETCH_REQ, [1 << 16, 0], 100); // tag 1
    prep_cmd(&mut r, fd, UBLK_U_IO_FETCH_REQ, [2 << 16, 0], 200); // tag 2
    prep_cmd(&mut r, fd, UBLK_U_IO_FETCH_REQ, [2 << 16, 0], 300); // tag 2 again: -EINVAL
    assert_eq!(submit(&mut r), 3);
    assert_eq!(reap(&mut r), vec![(300, -EINVAL, 0, None)]);
    let info = req_by_ud(&r, 100).expect("parked");
    assert_ne!(info.cmd_flags & IORING_URING_CMD_CANCELABLE, 0);
    assert_eq!(info.pdu[0..2], [1, 0]);
    // A block request for tag 1.
    assert_eq!(ctl(&mut ua, fd, "dispatch", 1), 0);
    run_idle();
    assert_eq!(reap(&mut r), vec![(100, 0, 0, None)]);
    drain();
    // Closing the ring: the exit work cancels tag 2 with UBLK_IO_RES_ABORT.
    let tail_before = r.cq_tail();
    assert_eq!(rs_close(r.fd), 0);
    run_idle();
    let recs = drain();
    assert_eq!(of(&recs, "sim_ring_exit").len(), 1);
    let cancels = of(&recs, "sim_uring_cmd_cancel");
    assert_eq!(cancels.len(), 1);
    assert_eq!(
        cancels[0].a as u32,
        IO_URING_F_CANCEL | IO_URING_F_COMPLETE_DEFER
    );
    let done = of(&recs, "sim_uring_cmd_done");
    assert_eq!(done[0].a, -(ENODEV as i64));
    assert!(sanitizers(&recs).is_empty());
    // The CQE is in the ring's memory, which the process still has mapped.
    assert_eq!(r.cq_tail(), tail_before.wrapping_add(1));
    assert_eq!(reap(&mut r), vec![(200, -ENODEV, 0, None)]);
}

#[test]
fn nvme_like_needs_big_sqes_and_cqes_and_puts_the_result_in_big_cqe() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "ng0n1", "rust_nvme_passthru");
    let mut small = setup_ring(&mut ua, 4, 0);
    prep_cmd(&mut small, fd, NVME_URING_CMD_IO, [0, 0], 1);
    assert_eq!(small.submit_and_wait(1), 1);
    assert_eq!(reap(&mut small), vec![(1, -EOPNOTSUPP, 0, None)]);
    drain();

    let mut r = setup_ring(&mut ua, 4, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
    let cmd = NvmeUringCmd {
        opcode: 0x02,
        nsid: 1,
        cdw10: 0x1234,
        ..Default::default()
    };
    let bad = NvmeUringCmd {
        opcode: 0x7f,
        nsid: 1,
        ..Default::default()
    };
    for (ud, c) in [(10u64, cmd), (11, bad)] {
        let slot = r.sqe_tail & (r.p.sq_entries - 1);
        prep_cmd(&mut r, fd, NVME_URING_CMD_IO, [0, 0], ud);
        let bytes = r.sqe_bytes(slot);
        // SAFETY: `NvmeUringCmd` is 72 plain bytes; the SQE128 command area is 80.
        let raw: [u8; 72] = unsafe { core::mem::transmute(c) };
        bytes[48..120].copy_from_slice(&raw);
    }
    prep_cmd(&mut r, fd, 0xbad, [0, 0], 12);
    assert_eq!(r.submit_and_wait(3), 3);
    let mut cqes = reap(&mut r);
    cqes.sort_by_key(|c| c.0);
    assert_eq!(
        cqes,
        vec![
            (10, 0, 0, Some([1 << 32 | 0x1234, 0])),
            (11, 1, 0, Some([0, 0])),
            (12, -ENOTTY, 0, Some([0, 0])),
        ]
    );
    let recs = drain();
    for i in of(&recs, "sim_uring_cmd_issue") {
        assert_eq!(
            i.a as u32 & (IO_URING_F_SQE128 | IO_URING_F_CQE32),
            IO_URING_F_SQE128 | IO_URING_F_CQE32
        );
    }
}

#[test]
fn recycled_requests_keep_stale_pdu_bytes_unless_patch2_zeroes_them() {
    use ringside_core::drivers::rust_pdu_counter::PDU_COUNTER_CMD;
    for (cfg, second) in [(0, 2), (1, 1)] {
        rs_init(cfg);
        let mut ua = UserAlloc::new();
        let fd = dev(&mut ua, "c", "rust_pdu_counter");
        let mut r = setup_ring(&mut ua, 4, 0);
        prep_cmd(&mut r, fd, PDU_COUNTER_CMD, [0, 0], 1);
        assert_eq!(r.submit_and_wait(1), 1);
        prep_cmd(&mut r, fd, PDU_COUNTER_CMD, [0, 0], 2);
        assert_eq!(r.submit_and_wait(1), 1);
        let cqes = reap(&mut r);
        assert_eq!(cqes, vec![(1, 1, 0, None), (2, second, 0, None)]);
        let recs = drain();
        // Both commands used the same recycled request object.
        assert_eq!(rs_req_count(r.fd), 1);
        let stale = of(&recs, "sanitizer_pdu_stale_read");
        if cfg == 0 {
            // The first command's object came zeroed (`__GFP_ZERO`): defined bytes, no report.
            // The second reads the first command's counter: one report, at byte 0, showing
            // the 8-byte word that was left there (count 1, then the previous cmd_op).
            assert_eq!(stale.len(), 1);
            let word = 1 | u64::from(PDU_COUNTER_CMD) << 32;
            assert_eq!((stale[0].a, stale[0].b), (0, word as i64));
            assert_eq!(stale[0].req, of(&recs, "sim_uring_cmd_issue")[1].req);
        } else {
            assert!(stale.is_empty());
            assert_eq!(of(&recs, "sim_pdu_zero").len(), 2);
        }
        let info = req_info(&r, 0).expect("slab entry");
        assert_eq!(info.pdu_prov[0], Prov::Driver as u8);
        // `#[track_caller]` stamps the driver's line, not the abstraction's.
        assert_eq!(
            info.pdu_src[0] >> 16,
            16,
            "written by drivers/rust_pdu_counter.rs"
        );
    }
}

#[test]
fn v5_wrapper_zeroes_the_pdu_of_a_recycled_request() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let u = dev(&mut ua, "u", "rust_ublk");
    let v = dev(&mut ua, "v", "rust_misc_device");
    let mut r = setup_ring(&mut ua, 4, 0);
    // The ublk command leaves a tag and magic in its PDU; cancel it via dispatch.
    prep_cmd(&mut r, u, UBLK_U_IO_FETCH_REQ, [3 << 16, 0], 1);
    assert_eq!(submit(&mut r), 1);
    assert_eq!(ctl(&mut ua, u, "dispatch", 3), 0);
    run_idle();
    assert_eq!(reap(&mut r).len(), 1);
    // The next request reuses the object: v5 zeroes the PDU before the driver runs.
    prep_cmd(&mut r, v, 0, [0, 0], 2);
    assert_eq!(submit(&mut r), 1);
    let info = req_by_ud(&r, 2).expect("in flight");
    assert_eq!(info.pdu, [0; 32]);
    assert!(info.pdu_prov.iter().all(|p| *p == Prov::Zeroed as u8));
    assert_eq!(info.pdu_src[0] >> 16, 3, "zeroed by kernel/miscdevice.rs");
    run_idle();
    assert!(sanitizers(&drain()).is_empty());
}

#[test]
fn multishot_command_returning_a_value_stays_in_flight() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "m", "rust_misc_device_v3");
    let mut r = setup_ring(&mut ua, 4, 0);
    let val = ubuf(&mut ua, &[1]);
    prep_cmd_with(&mut r, fd, RUST_MISC_DEV_URING_CMD_SET_VALUE, 1, |s| {
        s.addr3 = val as u64;
        s.op_flags = IORING_URING_CMD_MULTISHOT;
        s.flags = IOSQE_BUFFER_SELECT;
    });
    assert_eq!(submit(&mut r), 1);
    run_idle();
    assert!(reap(&mut r).is_empty());
    let info = req_by_ud(&r, 1).expect("in flight");
    assert_eq!(info.state, ReqState::Inflight as u8);
}

#[test]
fn uring_cmd_completions_overflow_like_any_other() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = setup_ring(&mut ua, 2, 0); // 4 CQ entries
    for i in 0..6u64 {
        prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000 * (i + 1), i], i);
        if i % 2 == 1 {
            assert_eq!(submit(&mut r), 2);
        }
    }
    run_idle();
    assert_ne!(r.sq_flags() & IORING_SQ_CQ_OVERFLOW, 0);
    let first = reap(&mut r);
    assert_eq!(
        first.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
    assert_eq!(io_uring_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, 0, 0), 0);
    let rest = reap(&mut r);
    assert_eq!(
        rest.iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
        vec![(4, 4), (5, 5)]
    );
    assert_eq!(r.sq_flags() & IORING_SQ_CQ_OVERFLOW, 0);
}

#[test]
fn device_pokes_complete_fail_and_stall() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = setup_ring(&mut ua, 8, 0);
    assert_eq!(ctl(&mut ua, fd, "stall", 1), 0);
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 1], 1);
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 2], 2);
    assert_eq!(submit(&mut r), 2);
    run_idle();
    assert!(reap(&mut r).is_empty(), "a stalled device finishes nothing");
    assert_eq!(ctl(&mut ua, fd, "fail_next", EIO), 0);
    assert_eq!(ctl(&mut ua, fd, "complete_now", 0), 2);
    run_idle();
    assert_eq!(reap(&mut r), vec![(1, -EIO, 0, None), (2, 2, 0, None)]);
    assert_eq!(ctl(&mut ua, fd, "bogus", 0), -EINVAL);
}

#[test]
fn misc_registration_open_and_ctl_validate_their_arguments() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    assert_eq!(register(&mut ua, "a", "no_such_driver"), -ENOENT);
    assert_eq!(register(&mut ua, "Bad!", "rust_misc_device"), -EINVAL);
    assert_eq!(register(&mut ua, "a", "rust_misc_device"), 0);
    assert_eq!(register(&mut ua, "a", "rust_misc_device_v3"), -EEXIST);
    let (p, _) = ustr(&mut ua, "a");
    assert_eq!(
        ringside_core::ffi::cmd_exports::rs_dev_register(p, 0, p, 1),
        -EINVAL
    );
    assert_eq!(
        ringside_core::ffi::cmd_exports::rs_dev_register(16, 1, p, 1),
        -EFAULT
    );
    let bad = [0xffu8, 0xfe];
    let q = ua.alloc(2);
    // SAFETY: `q` is user memory allocated just now.
    unsafe { core::ptr::copy_nonoverlapping(bad.as_ptr(), q as *mut u8, 2) };
    assert_eq!(
        ringside_core::ffi::cmd_exports::rs_dev_open(q, 2),
        -EINVAL,
        "invalid UTF-8"
    );
    assert_eq!(open(&mut ua, "nope"), -ENOENT);
    let fd = open(&mut ua, "a");
    assert!(fd >= 0);
    assert_eq!(ctl(&mut ua, 77, "x", 0), -EBADF);
    let mut r = setup_ring(&mut ua, 2, 0);
    assert_eq!(ctl(&mut ua, r.fd, "x", 0), -ENOTTY);
    assert_eq!(ctl(&mut ua, fd, "x", 0), -EINVAL);
    drain();
    // The driver's object goes away with the last reference: at close when nothing holds it…
    assert_eq!(rs_close(fd), 0);
    assert_eq!(of(&drain(), "sim_dev_release").len(), 1);
    // …or later, from the workqueue, when an in-flight request still held the file. (The
    // device answers 1 ms later: close() returning to user mode runs only what is due now.)
    let fd = dev(&mut ua, "late", "rust_delay_device");
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000_000, 0], 1);
    assert_eq!(submit(&mut r), 1);
    drain();
    assert_eq!(rs_close(fd), 0);
    assert!(of(&drain(), "sim_dev_release").is_empty());
    run_idle();
    assert_eq!(reap(&mut r), vec![(1, 0, 0, None)]);
    assert_eq!(of(&drain(), "sim_dev_release").len(), 1);
}

#[test]
fn userspace_sqe_writes_are_marked_in_the_sqe_provenance() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let r = setup_ring(&mut ua, 2, 0);
    let p = ringside_core::ffi::cmd_exports::rs_sqe_prov_ptr(r.fd) as *const u8;
    assert!(!p.is_null());
    // SAFETY: the SQE region has at least 64 provenance bytes.
    assert_eq!(unsafe { *p.add(64) }, Prov::Fresh as u8);
    rs_user_wrote(r.sqes as usize + 64, 64);
    // SAFETY: as above.
    assert_eq!(unsafe { *p.add(64) }, Prov::User as u8);
    // SAFETY: as above.
    assert_eq!(unsafe { *p }, Prov::Fresh as u8);
    assert_eq!(ringside_core::ffi::cmd_exports::rs_sqe_prov_ptr(99), 0);
}

#[test]
fn a_linked_uring_cmd_is_issued_from_task_work_with_its_sqe_copied() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "m", "rust_misc_device_v3");
    let mut r = setup_ring(&mut ua, 4, 0);
    let val = ubuf(&mut ua, &[9]);
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_NOP;
    sqe.flags = IOSQE_IO_LINK;
    sqe.user_data = 1;
    prep_cmd(
        &mut r,
        fd,
        RUST_MISC_DEV_URING_CMD_SET_VALUE,
        [val as u64, 0],
        2,
    );
    assert_eq!(r.submit_and_wait(2), 2);
    assert_eq!(reap(&mut r), vec![(1, 0, 0, None), (2, 0, 0, None)]);
    let recs = drain();
    assert_eq!(of(&recs, "sim_sqe_copy").len(), 1);
    let issue = of(&recs, "sim_uring_cmd_issue");
    assert_eq!(
        issue[0].a as u32,
        IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER,
        "io_req_task_submit: no INLINE"
    );
    assert!(sanitizers(&recs).is_empty());
}

#[test]
fn an_out_of_range_sq_index_drops_the_uring_cmd_without_a_cqe() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "m", "rust_misc_device_v3");
    let mut r = setup_ring(&mut ua, 4, 0);
    prep_cmd(&mut r, fd, RUST_MISC_DEV_URING_CMD_SET_VALUE, [0, 0], 1);
    wr32(r.rings, r.p.sq_off.array, 99);
    assert_eq!(submit(&mut r), 0);
    assert_eq!(r.sq_dropped(), 1);
    assert!(reap(&mut r).is_empty());
    assert!(of(&drain(), "sim_uring_cmd_issue").is_empty());
}

/// A uring_cmd task_work callback used by the tests below: completes with 7.
unsafe fn complete_with_7(cmd: *mut io_uring_cmd, _tw: ringside_core::linux::fs::TwToken) {
    // SAFETY: the core passes a live command to its task_work callback.
    unsafe {
        ringside_core::io_uring::uring_cmd::io_uring_cmd_done32(
            cmd,
            7,
            0,
            IO_URING_CMD_TASK_WORK_ISSUE_FLAGS,
        )
    };
}

/// The `io_uring_cmd` of the in-flight request with `user_data == ud`.
fn cmd_ptr(ring_fd: i32, ud: u64) -> *mut io_uring_cmd {
    use ringside_core::sim;
    sim::with(|s| {
        let f = s.linux.fds.fget(ring_fd).expect("ring fd");
        let id = match s.linux.fds.file(f).kind {
            ringside_core::linux::fs::FileKind::IoUring(id) => id,
            _ => panic!("not a ring"),
        };
        let ctx = s.ring_mut(id).expect("ring");
        let r = ctx
            .reqs
            .iter_mut()
            .find(|r| r.user_data == ud && r.state == ReqState::Inflight)
            .expect("in flight");
        &mut r.cmd as *mut io_uring_cmd
    })
}

#[test]
fn complete_in_task_wakes_a_defer_taskrun_waiter_at_once_and_the_lazy_variant_does_not() {
    use ringside_core::io_uring::uring_cmd::{
        io_uring_cmd_complete_in_task, io_uring_cmd_do_in_task_lazy,
    };
    use ringside_core::sim;
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "u", "rust_ublk");
    let mut r = setup_ring(
        &mut ua,
        4,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    );
    prep_cmd(&mut r, fd, UBLK_U_IO_FETCH_REQ, [0, 0], 10);
    prep_cmd(&mut r, fd, UBLK_U_IO_FETCH_REQ, [1 << 16, 0], 11);
    assert_eq!(submit(&mut r), 2);
    // Wait for two CQEs and let the task fall asleep.
    assert_eq!(rs_enter_begin(r.fd, 0, 2, IORING_ENTER_GETEVENTS, 0, 0), 0);
    while rs_task_state() != 2 {
        rs_step();
    }
    let wake = || sim::with(|s| ringside_core::io_uring::enter::should_wake(s));
    // SAFETY: both commands are in flight (parked by the driver).
    unsafe { io_uring_cmd_do_in_task_lazy(cmd_ptr(r.fd, 10), complete_with_7) };
    assert!(!wake(), "one lazy item for a waiter of two: no wake-up");
    // SAFETY: as above.
    unsafe { io_uring_cmd_complete_in_task(cmd_ptr(r.fd, 11), complete_with_7) };
    assert!(wake(), "a normal item wakes the waiter");
    run_idle();
    assert_eq!(rs_last_ret(), 0);
    assert_eq!(reap(&mut r), vec![(10, 7, 0, None), (11, 7, 0, None)]);
}

#[test]
fn ring_teardown_runs_pending_defer_taskrun_work_from_the_fallback_worker() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = setup_ring(
        &mut ua,
        4,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    );
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 3], 1);
    assert_eq!(submit(&mut r), 1);
    run_idle();
    assert!(reap(&mut r).is_empty(), "the task_work waits for GETEVENTS");
    drain();
    assert_eq!(rs_close(r.fd), 0);
    run_idle();
    let recs = drain();
    let names: Vec<&str> = recs.iter().map(|r| r.ev).collect();
    let exit = names.iter().position(|n| *n == "sim_ring_exit").unwrap();
    let tw = names
        .iter()
        .position(|n| *n == "sim_task_work_run")
        .unwrap();
    assert!(exit < tw);
    assert_eq!(recs[tw].ctx, 4, "run by the exit work's kworker");
    assert_eq!(reap(&mut r), vec![(1, 3, 0, None)]);
}

#[test]
fn a_command_finishing_after_teardown_completes_through_the_fallback_worker() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = setup_ring(&mut ua, 4, 0);
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000_000, 4], 1);
    assert_eq!(submit(&mut r), 1);
    drain();
    assert_eq!(rs_close(r.fd), 0);
    run_idle();
    let recs = drain();
    let names: Vec<&str> = recs.iter().map(|r| r.ev).collect();
    let i = |e: &str| names.iter().position(|n| *n == e).expect(e);
    assert!(i("sim_ring_exit") < i("sim_timer_fire"));
    assert!(i("sim_uring_cmd_do_in_task") < i("sim_task_work_run"));
    assert_eq!(of(&recs, "sim_uring_cmd_cancel").len(), 0);
    assert!(sanitizers(&recs).is_empty());
    assert_eq!(reap(&mut r), vec![(1, 4, 0, None)]);
}
