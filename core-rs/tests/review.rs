//! What a kernel reviewer checks in the uring_cmd model (issue 15), each against Linux 6.18
//! (the running kernel of the recordings, 6.18.44) unless a test picks the 6.19 profile.

mod cmd_util;
mod common;

use cmd_util::*;
use common::*;
use ringside_core::drivers::rust_delay_device::DELAY_DEV_SUBMIT;
use ringside_core::drivers::rust_nvme_passthru::{
    NvmeUringCmd, FAKE_REQUEST_PTR, NVME_URING_CMD_IO,
};
use ringside_core::drivers::rust_pdu_counter::PDU_COUNTER_CMD;
use ringside_core::drivers::rust_res2_v3::{RES2_CMD, RES2_VALUE};
use ringside_core::drivers::rust_teardown_hazards::*;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::{
    rs_advance_clock, rs_run_until_idle, rs_sleep_begin, rs_spin, rs_sys_socket,
};
use ringside_core::io_uring::exit::{EXIT_WARN_NS, SPIN_NS};
use ringside_core::io_uring::types::*;
use ringside_core::sim::TICK_NS;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;

/// `rs_init` bit 1: the 6.19 (Rust v5 base) uring_cmd interface.
const PROFILE_619: u32 = 2;

fn ring(ua: &mut UserAlloc, flags: u32) -> Ring {
    setup(ua, 4, flags, 0).expect("setup")
}

fn now() -> u64 {
    ringside_core::sim::with(|s| s.clock_ns)
}

/// A delay-device command whose task_work is queued `delay` ns after submission.
fn submit_delayed(r: &mut Ring, fd: i32, delay: u64, value: u64, ud: u64) {
    prep_cmd(r, fd, DELAY_DEV_SUBMIT, [delay, value], ud);
    assert_eq!(submit(r), 1);
    rs_run_until_idle(1_000_000);
}

#[test]
fn io_uring_cmd_has_the_618_layout() {
    let c = core::mem::MaybeUninit::<io_uring_cmd>::uninit();
    let base = c.as_ptr() as usize;
    // SAFETY: only field addresses are taken, nothing is read.
    let off = |p: *const u8| p as usize - base;
    let p = c.as_ptr();
    // SAFETY: as above.
    unsafe {
        assert_eq!(off(core::ptr::addr_of!((*p).sqe).cast()), 8);
        assert_eq!(off(core::ptr::addr_of!((*p).task_work_cb).cast()), 16);
        assert_eq!(off(core::ptr::addr_of!((*p).cmd_op).cast()), 24);
        assert_eq!(off(core::ptr::addr_of!((*p).flags).cast()), 28);
        assert_eq!(off(core::ptr::addr_of!((*p).pdu).cast()), 32);
    }
    assert_eq!(core::mem::align_of::<io_uring_cmd>(), 64);
    assert_eq!(core::mem::size_of::<io_uring_cmd>(), 64);
}

#[test]
fn coop_taskrun_work_runs_at_the_next_tick_for_a_running_task() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = ring(
        &mut ua,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    );
    submit_delayed(&mut r, fd, 1_000, 7, 1);
    let t0 = now();
    drain();
    // The task computes in user mode for 1 ms: the device finishes after 1 µs and queues
    // task_work with TWA_SIGNAL_NO_IPI. No IPI: nothing runs; the flag tells userspace.
    rs_spin(1_000_000);
    assert!(reap(&mut r).is_empty(), "no CQE before the tick");
    assert_ne!(
        r.sq_flags() & IORING_SQ_TASKRUN,
        0,
        "IORING_SQ_TASKRUN is set"
    );
    let recs = drain();
    assert_eq!(of(&recs, "io_uring_task_add").len(), 1);
    assert!(of(&recs, "sim_task_work_run").is_empty());
    // The next tick (HZ=250: 4 ms boundaries) returns to user mode through the kernel.
    rs_spin(4_000_000);
    let recs = drain();
    let run = of(&recs, "sim_task_work_run");
    assert_eq!(run.len(), 1);
    let tick = (t0 / TICK_NS + 1) * TICK_NS;
    assert_eq!(
        run[0].time, tick,
        "run on the first tick after it was queued"
    );
    assert_eq!(reap(&mut r), vec![(1, 7, 0, None)]);
    assert_eq!(
        r.sq_flags() & IORING_SQ_TASKRUN,
        0,
        "cleared by ctx_flush_and_put"
    );
}

#[test]
fn coop_taskrun_work_wakes_an_interruptible_sleeper_at_once() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = ring(
        &mut ua,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    );
    submit_delayed(&mut r, fd, 1_000, 7, 1);
    let t0 = now();
    drain();
    // nanosleep(5 ms): __set_notify_signal wakes the TASK_INTERRUPTIBLE sleeper, the work
    // runs on the way out, and the sleep restarts for the rest of the time.
    rs_advance_clock(5_000_000);
    let recs = drain();
    let run = of(&recs, "sim_task_work_run");
    assert_eq!(run.len(), 1);
    assert!(
        run[0].time < t0 + 10_000,
        "run right after the device finished"
    );
    assert_eq!(now(), t0 + 5_000_000, "the sleep still lasts 5 ms");
    assert_eq!(reap(&mut r), vec![(1, 7, 0, None)]);
}

#[test]
fn a_stepped_sleep_is_woken_by_coop_work_and_ends_at_its_deadline() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = ring(
        &mut ua,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    );
    submit_delayed(&mut r, fd, 1_000, 7, 1);
    let t0 = now();
    drain();
    // The page's `sleep` op: one unit at a time, as the timeline shows it.
    rs_sleep_begin(5_000_000);
    assert_eq!(rs_task_state(), 2, "asleep in nanosleep");
    let mut steps = 0;
    while rs_task_state() != 0 {
        assert_ne!(rs_step(), 0);
        steps += 1;
        assert!(steps < 1_000);
    }
    assert_eq!(now(), t0 + 5_000_000);
    let recs = drain();
    let run = of(&recs, "sim_task_work_run");
    assert_eq!(run.len(), 1);
    assert!(run[0].time < t0 + 10_000, "woken at once");
    assert_eq!(reap(&mut r), vec![(1, 7, 0, None)]);
}

#[test]
fn without_coop_taskrun_the_signal_interrupts_user_mode_at_once() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = ring(&mut ua, 0);
    submit_delayed(&mut r, fd, 1_000, 7, 1);
    let t0 = now();
    drain();
    rs_spin(1_000_000);
    let recs = drain();
    let run = of(&recs, "sim_task_work_run");
    assert_eq!(run.len(), 1);
    assert!(run[0].time < t0 + 10_000);
    assert_eq!(reap(&mut r), vec![(1, 7, 0, None)]);
}

#[test]
fn a_system_call_runs_coop_work_on_its_way_out() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = ring(
        &mut ua,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    );
    submit_delayed(&mut r, fd, 1_000, 7, 1);
    rs_spin(1_000_000);
    assert!(reap(&mut r).is_empty());
    // Any io_uring_enter (here: submit nothing) returns through exit_to_user_mode.
    assert_eq!(submit(&mut r), 0);
    assert_eq!(reap(&mut r), vec![(1, 7, 0, None)]);
    assert_eq!(r.sq_flags() & IORING_SQ_TASKRUN, 0);
}

#[test]
fn exit_work_spins_on_a_driver_that_defers_its_cancel() {
    rs_init(PROFILE_619);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "t", "rust_teardown_hazards");
    let mut r = ring(&mut ua, 0);
    prep_cmd(&mut r, fd, TD_CANCEL_DEFER, [0, 0], 1);
    assert_eq!(submit(&mut r), 1);
    drain();
    assert_eq!(rs_close(r.fd), 0);
    run_idle();
    let recs = drain();
    let cancels = of(&recs, "sim_uring_cmd_cancel");
    // The abort takes 5 µs; the exit work calls the driver again every SPIN_NS until the
    // command is gone, so 5 or 6 calls, all with IO_URING_F_CANCEL|COMPLETE_DEFER.
    let n = cancels.len() as u64;
    assert!(
        (5_000 / SPIN_NS..=5_000 / SPIN_NS + 1).contains(&n),
        "{} cancel calls",
        n
    );
    for c in &cancels {
        assert_eq!(c.a as u32, IO_URING_F_CANCEL | IO_URING_F_COMPLETE_DEFER);
    }
    let freed = of(&recs, "sim_ring_freed");
    assert_eq!(freed.len(), 1);
    assert_eq!(freed[0].b as u64, n, "b counts the cancel calls");
    assert!(of(&recs, "sim_warn").is_empty());
    assert_eq!(reap(&mut r), vec![(1, -ECANCELED, 0, None)]);
}

#[test]
fn exit_work_waits_for_a_command_nobody_completes_and_warns_after_five_minutes() {
    rs_init(PROFILE_619);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "t", "rust_teardown_hazards");
    let mut r = ring(&mut ua, 0);
    prep_cmd(&mut r, fd, TD_NEVER, [0, 0], 1);
    assert_eq!(submit(&mut r), 1);
    assert_eq!(rs_close(r.fd), 0);
    let t0 = now();
    rs_run_until_idle(1_000_000);
    drain();
    rs_advance_clock(EXIT_WARN_NS - 1_000_000);
    let recs = drain();
    assert!(of(&recs, "sim_warn").is_empty(), "not yet");
    assert!(of(&recs, "sim_ring_freed").is_empty());
    rs_advance_clock(2_000_000);
    let recs = drain();
    let warn = of(&recs, "sim_warn");
    assert_eq!(warn.len(), 1);
    assert_eq!(
        (warn[0].a, warn[0].b >> 32),
        (2, 1),
        "the exit work warns, 1 request left"
    );
    assert!(now() >= t0 + EXIT_WARN_NS);
    assert!(
        of(&recs, "sim_ring_freed").is_empty(),
        "the ring is still held"
    );
    // The device answers after all: the request goes, the wait ends, the ring is freed.
    assert_eq!(ctl(&mut ua, fd, "complete_all", 0), 1);
    rs_run_until_idle(1_000_000);
    let recs = drain();
    assert_eq!(of(&recs, "sim_ring_freed").len(), 1);
    assert!(sanitizers(&recs).is_empty());
}

#[test]
fn v5_gaps_leave_commands_nothing_can_complete() {
    for (op, why) in [(TD_DROP, 2), (TD_EIOCBQUEUED, 1)] {
        rs_init(PROFILE_619);
        let mut ua = UserAlloc::new();
        let fd = dev(&mut ua, "t", "rust_teardown_hazards");
        let mut r = ring(&mut ua, 0);
        prep_cmd(&mut r, fd, op, [0, 0], 1);
        assert_eq!(submit(&mut r), 1);
        rs_run_until_idle(1_000_000);
        let recs = drain();
        let lost = of(&recs, "sanitizer_cmd_lost");
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].a, why);
        assert_eq!(of(&recs, "sim_uring_cmd_ret")[0].a, -(EIOCBQUEUED as i64));
        assert!(reap(&mut r).is_empty());
        assert_eq!(
            req_by_ud(&r, 1).expect("in flight").state,
            ReqState::Inflight as u8
        );
        // Closing the ring never finishes.
        assert_eq!(rs_close(r.fd), 0);
        rs_advance_clock(EXIT_WARN_NS + 1);
        let recs = drain();
        assert_eq!(of(&recs, "sim_warn").len(), 1);
        assert!(of(&recs, "sim_ring_freed").is_empty());
    }
}

#[test]
fn done_with_unlocked_and_complete_defer_warns_and_posts_nothing() {
    rs_init(PROFILE_619);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "t", "rust_teardown_hazards");
    let mut r = ring(&mut ua, 0);
    prep_cmd(&mut r, fd, TD_UNLOCKED_DEFER, [0, 0], 1);
    assert_eq!(submit(&mut r), 1);
    rs_advance_clock(1_000_000);
    let recs = drain();
    let warn = of(&recs, "sim_warn");
    assert_eq!(warn.len(), 1);
    assert_eq!(
        (warn[0].a, warn[0].b as u32),
        (1, IO_URING_F_UNLOCKED | IO_URING_F_COMPLETE_DEFER)
    );
    assert!(of(&recs, "io_uring_complete").is_empty());
    assert!(reap(&mut r).is_empty(), "no CQE, ever");
    let info = req_by_ud(&r, 1).expect("the request leaked");
    assert_eq!(info.state, ReqState::Inflight as u8);
    // The flags were never handed out by the core.
    assert_eq!(sanitizers(&recs), vec!["sanitizer_done_bad_flags"]);
}

#[test]
fn task_work_callbacks_get_task_dead_on_618_only() {
    for (cfg, want) in [
        (0, IO_URING_F_COMPLETE_DEFER | IO_URING_F_TASK_DEAD),
        (PROFILE_619, IO_URING_F_COMPLETE_DEFER),
    ] {
        rs_init(cfg);
        let mut ua = UserAlloc::new();
        let fd = dev(&mut ua, "d", "rust_delay_device");
        let mut r = ring(&mut ua, 0);
        prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000_000, 4], 1);
        assert_eq!(submit(&mut r), 1);
        drain();
        assert_eq!(rs_close(r.fd), 0);
        run_idle();
        let recs = drain();
        let run = of(&recs, "sim_task_work_run");
        assert_eq!(run.len(), 1);
        assert_eq!(run[0].b as u32, want, "cfg {}", cfg);
        assert!(sanitizers(&recs).is_empty());
        assert_eq!(reap(&mut r), vec![(1, 4, 0, None)]);
    }
    // A live ring hands plain COMPLETE_DEFER in both.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = ring(&mut ua, 0);
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 4], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    let recs = drain();
    assert_eq!(
        of(&recs, "sim_task_work_run")[0].b as u32,
        IO_URING_F_COMPLETE_DEFER
    );
}

#[test]
fn a_pdu_reference_needs_the_alignment_the_kernel_gives_the_pdu() {
    for (cfg, res, report) in [(0, 0, None), (PROFILE_619, -EINVAL, Some((16, 8)))] {
        rs_init(cfg);
        let mut ua = UserAlloc::new();
        let fd = dev(&mut ua, "t", "rust_teardown_hazards");
        let mut r = ring(&mut ua, 0);
        prep_cmd(&mut r, fd, TD_PDU_REF16, [0, 0], 1);
        assert_eq!(r.submit_and_wait(1), 1);
        assert_eq!(reap(&mut r), vec![(1, res, 0, None)]);
        let recs = drain();
        let got = of(&recs, "sanitizer_pdu_misaligned")
            .first()
            .map(|m| (m.a, m.b));
        assert_eq!(got, report, "cfg {}", cfg);
    }
}

#[test]
fn v3_done_loses_res2_on_618() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "r", "rust_res2_v3");
    let mut r = ring(&mut ua, IORING_SETUP_CQE32);
    prep_cmd(&mut r, fd, RES2_CMD, [0, 0], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(
        reap(&mut r),
        vec![(1, 0, 0, Some([0, 0]))],
        "big_cqe[0] stays 0"
    );
    let recs = drain();
    let lost = of(&recs, "sanitizer_res2_lost");
    assert_eq!(lost.len(), 1);
    assert_eq!((lost[0].b as u64, lost[0].a), (RES2_VALUE, 1));
}

#[test]
fn a_recycled_request_shows_the_previous_drivers_kernel_pointer() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let nvme = dev(&mut ua, "ng0n1", "rust_nvme_passthru");
    let counter = dev(&mut ua, "c", "rust_pdu_counter");
    let mut r = ring(&mut ua, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
    let slot = r.sqe_tail & (r.p.sq_entries - 1);
    prep_cmd(&mut r, nvme, NVME_URING_CMD_IO, [0, 0], 1);
    let c = NvmeUringCmd {
        opcode: 0x02,
        nsid: 1,
        ..Default::default()
    };
    // SAFETY: `NvmeUringCmd` is 72 plain bytes; the SQE128 command area is 80.
    let raw: [u8; 72] = unsafe { core::mem::transmute(c) };
    r.sqe_bytes(slot)[48..120].copy_from_slice(&raw);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(reap(&mut r).len(), 1);
    drain();
    // The v3 counter trusts its PDU to start at zero; it gets the NVMe request's object.
    prep_cmd(&mut r, counter, PDU_COUNTER_CMD, [0, 0], 2);
    assert_eq!(r.submit_and_wait(1), 1);
    let cqes = reap(&mut r);
    let leaked = (FAKE_REQUEST_PTR as u32).wrapping_add(1) as i32;
    assert_eq!(
        cqes[0].1, leaked,
        "the CQE carries the pointer's low half, plus one"
    );
    let recs = drain();
    let stale = of(&recs, "sanitizer_pdu_stale_read");
    assert_eq!(stale.len(), 1);
    assert_eq!((stale[0].a, stale[0].b as u64), (0, FAKE_REQUEST_PTR));
}

#[test]
fn pdu_bytes_copied_per_command_by_api_generation() {
    // v3 (copy in, copy out of an 8-byte state): 16 bytes.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let counter = dev(&mut ua, "c", "rust_pdu_counter");
    let mut r = ring(&mut ua, 0);
    prep_cmd(&mut r, counter, PDU_COUNTER_CMD, [0, 0], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    let recs = drain();
    assert_eq!(of(&recs, "sim_req_free")[0].b, 16);
    // v5 delay device: the wrapper's 32-byte zeroing, a 16-byte write in the "interrupt" and
    // a 16-byte read in task_work.
    rs_init(PROFILE_619);
    let mut ua = UserAlloc::new();
    let fd = dev(&mut ua, "d", "rust_delay_device");
    let mut r = ring(&mut ua, 0);
    prep_cmd(&mut r, fd, DELAY_DEV_SUBMIT, [1_000, 3], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    let recs = drain();
    assert_eq!(of(&recs, "sim_req_free")[0].b, 32 + 16 + 16);
    // A reference (Ming Lei's io_uring_cmd_to_pdu-style accessor) copies nothing beyond the
    // wrapper's zeroing.
    rs_init(0);
    let mut ua = UserAlloc::new();
    let td = dev(&mut ua, "t", "rust_teardown_hazards");
    let mut r = ring(&mut ua, 0);
    prep_cmd(&mut r, td, TD_PDU_REF16, [0, 0], 1);
    assert_eq!(r.submit_and_wait(1), 1);
    let recs = drain();
    assert_eq!(of(&recs, "sim_req_free")[0].b, 32);
}

/// Item 4, the multishot completion fix: `io_uring/uring_cmd.c:io_uring_cmd` of 6.18.44 (and of
/// 6.19) returns `IOU_ISSUE_SKIP_COMPLETE` for a MULTISHOT command whose driver returned a
/// value ≥ 0, so a command that finished synchronously never gets a CQE. Commit 360941242f09
/// ("io_uring/uring_cmd: don't skip completion for a synchronous multishot cmd", for 7.3,
/// queued for 6.18.y after 6.18.44) removed that branch. Measured on the running 6.18.44 with
/// `conformance/probes/mshot_sync.c`: no CQE. Both profiles keep the pre-fix behaviour.
#[test]
fn a_synchronous_multishot_uring_cmd_gets_no_cqe_on_6_18_44_and_6_19() {
    for profile in [0, PROFILE_619] {
        rs_init(profile);
        let mut ua = UserAlloc::new();
        // A UDP socket: SOCKET_URING_OP_SIOCINQ (cmd_op 0) answers 0 at once.
        let fd = rs_sys_socket(2, 2, 0);
        assert!(fd >= 0);
        let mut r = ring(&mut ua, 0);
        prep_cmd_with(&mut r, fd, 0, 1, |sqe| {
            sqe.op_flags = IORING_URING_CMD_MULTISHOT;
            sqe.flags = IOSQE_BUFFER_SELECT;
        });
        prep_cmd(&mut r, fd, 0, [0, 0], 2);
        assert_eq!(submit(&mut r), 2);
        run_idle();
        assert_eq!(
            reap(&mut r),
            vec![(2, 0, 0, None)],
            "profile {}: only the single-shot command completes",
            profile
        );
        let left = req_by_ud(&r, 1).expect("the multishot request is still allocated");
        assert_ne!(left.state, 0, "in flight, with no way to complete");
    }
}
