//! Native build of the core doing the benchmark's work (the same as `bench/kernel_bench.c`):
//! batches of 64 SQEs per `io_uring_enter(64, 64, GETEVENTS)`, tracing on, the trace drained
//! after each batch, through the exported ABI exactly as the TypeScript library drives the wasm
//! build (`bench/wasm_core.mjs`).
//!
//! Usage: `cargo run --release --example bench -- MODE SECONDS [COUNT]`, MODE one of
//! - `nop`: IORING_OP_NOP;
//! - `inline`: uring_cmd `RUST_MISC_DEV_URING_CMD_GET_VALUE` on the RFC v3 sample, answered
//!   inline by its `->uring_cmd`;
//! - `v5`: uring_cmd on the v5 sample (queue → workqueue → task_work → done).
//!
//! With COUNT, runs exactly COUNT batches instead of timing (for `valgrind --tool=callgrind`,
//! see docs/performance.md). Prints one JSON object.

use std::time::Instant;

use ringside_core::ffi::cmd_exports::{rs_dev_open, rs_dev_register};
use ringside_core::ffi::exports::*;
use ringside_core::uapi::io_uring::*;

const BATCH: u32 = 64;

fn wr32(p: *mut u8, off: u32, v: u32) {
    // SAFETY: `p` is a ring region returned by rs_mmap and `off` one of its published offsets.
    unsafe { core::ptr::write_volatile(p.add(off as usize) as *mut u32, v) }
}

fn rd32(p: *const u8, off: u32) -> u32 {
    // SAFETY: as in `wr32`.
    unsafe { core::ptr::read_volatile(p.add(off as usize) as *const u32) }
}

/// Writes `s` into user memory at `addr`; returns its length.
fn put_str(addr: usize, s: &str) -> u32 {
    // SAFETY: `addr` is inside the user arena, which is far larger than the names.
    unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), addr as *mut u8, s.len()) };
    s.len() as u32
}

/// Registers `/dev/<name>` driven by `driver` and opens it; returns the fd.
fn open_dev(name: &str, driver: &str) -> i32 {
    let base = rs_user_mem_base() + 4096;
    let n1 = put_str(base, name);
    let n2 = put_str(base + 64, driver);
    assert!(
        rs_dev_register(base, n1, base + 64, n2) >= 0,
        "rs_dev_register"
    );
    let fd = rs_dev_open(base, n1);
    assert!(fd >= 0, "rs_dev_open: {}", fd);
    fd
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("nop");
    let secs: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let count: Option<u64> = args.get(3).and_then(|s| s.parse().ok());
    rs_init(0);
    let params = rs_user_mem_base();
    // SAFETY: user memory is at least 120 bytes and zeroed.
    unsafe { core::ptr::write_bytes(params as *mut u8, 0, 120) };
    let fd = io_uring_setup(256, params);
    assert!(fd >= 0, "setup failed: {}", fd);
    // SAFETY: the core wrote an io_uring_params there.
    let p = unsafe { core::ptr::read_unaligned(params as *const io_uring_params) };
    let rings = rs_mmap(fd, IORING_OFF_SQ_RING as u32) as *mut u8;
    let sqes = rs_mmap(fd, IORING_OFF_SQES as u32) as *mut io_uring_sqe;
    for i in 0..p.sq_entries {
        wr32(rings, p.sq_off.array + 4 * i, i);
    }
    let mut tmpl = io_uring_sqe::default();
    let value_addr = (rs_user_mem_base() + 4096 + 256) as u64;
    match mode {
        "nop" => {
            tmpl.opcode = IORING_OP_NOP;
            tmpl.fd = -1;
        }
        "inline" | "v5" => {
            let dfd = if mode == "inline" {
                open_dev("inline-dev", "rust_misc_device_v3")
            } else {
                open_dev("rust-misc-device", "rust_misc_device")
            };
            tmpl.opcode = IORING_OP_URING_CMD;
            tmpl.fd = dfd;
            if mode == "inline" {
                // cmd_op RUST_MISC_DEV_URING_CMD_GET_VALUE; cmd[0..8] the user pointer.
                // SAFETY: the SQE is 64 bytes; cmd_op sits at 8 and the command area at 48.
                unsafe {
                    let b = &mut tmpl as *mut io_uring_sqe as *mut u8;
                    core::ptr::write_unaligned(b.add(8) as *mut u32, 0x4004_7c84);
                    core::ptr::write_unaligned(b.add(48) as *mut u64, value_addr);
                }
            }
        }
        _ => panic!("unknown mode {}", mode),
    }
    let (mask, cmask) = (p.sq_entries - 1, p.cq_entries - 1);
    let mut tail = 0u32;
    let mut ops = 0u64;
    let mut records = 0u64;
    let t0 = Instant::now();
    let mut elapsed = 0.0;
    loop {
        match count {
            Some(n) if ops >= n * BATCH as u64 => break,
            None if elapsed >= secs => break,
            _ => {}
        }
        for i in 0..BATCH {
            // SAFETY: the slot is inside the SQE region.
            let s = unsafe { &mut *sqes.add((tail & mask) as usize) };
            *s = tmpl;
            s.user_data = ops + i as u64;
            tail = tail.wrapping_add(1);
        }
        wr32(rings, p.sq_off.tail, tail);
        let r = io_uring_enter(fd, BATCH, BATCH, IORING_ENTER_GETEVENTS, 0, 0);
        assert_eq!(r, BATCH as i32);
        let head = rd32(rings, p.cq_off.head);
        let ctail = rd32(rings, p.cq_off.tail);
        let mut h = head;
        while h != ctail {
            let off = p.cq_off.cqes as usize + (h & cmask) as usize * 16;
            // SAFETY: the CQE lies inside the ring region.
            let res = unsafe { core::ptr::read_volatile(rings.add(off + 8) as *const i32) };
            assert!(res >= 0, "res {}", res);
            h = h.wrapping_add(1);
        }
        wr32(rings, p.cq_off.head, h);
        records += rs_trace_len() as u64;
        rs_trace_clear();
        ops += BATCH as u64;
        if ops % 4096 == 0 {
            elapsed = t0.elapsed().as_secs_f64();
        }
    }
    let elapsed = t0.elapsed().as_secs_f64();
    println!(
        "{{\"mode\":\"{}\",\"ops\":{},\"seconds\":{:.6},\"ops_per_sec\":{:.0},\"trace_records\":{}}}",
        mode,
        ops,
        elapsed,
        ops as f64 / elapsed,
        records
    );
}
