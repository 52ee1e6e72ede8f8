//! Helpers for uring_cmd integration tests: devices, uring_cmd SQEs and trace inspection,
//! all through the exported ABI (as the TypeScript side drives it).

#![allow(dead_code)]

use ringside_core::ffi::cmd_exports::*;
use ringside_core::ffi::exports::*;
use ringside_core::io_uring::types::ReqInfo;
use ringside_core::trace::{Event, TraceRecord};
use ringside_core::uapi::io_uring::*;

use super::common::*;

/// Writes `s` into user memory and returns `(ptr, len)`.
pub fn ustr(ua: &mut UserAlloc, s: &str) -> (usize, u32) {
    let p = ua.alloc(s.len().max(1));
    // SAFETY: `p` is user memory allocated just now, `s.len()` bytes long.
    unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), p as *mut u8, s.len()) };
    rs_user_wrote(p, s.len() as u32);
    (p, s.len() as u32)
}

/// `rs_dev_register(name, driver)`.
pub fn register(ua: &mut UserAlloc, name: &str, driver: &str) -> i32 {
    let (n, nl) = ustr(ua, name);
    let (d, dl) = ustr(ua, driver);
    rs_dev_register(n, nl, d, dl)
}

/// `rs_dev_open(name)`.
pub fn open(ua: &mut UserAlloc, name: &str) -> i32 {
    let (n, nl) = ustr(ua, name);
    rs_dev_open(n, nl)
}

/// Registers `driver` as `/dev/<name>` and opens it.
pub fn dev(ua: &mut UserAlloc, name: &str, driver: &str) -> i32 {
    assert_eq!(register(ua, name, driver), 0, "register {}", driver);
    let fd = open(ua, name);
    assert!(fd >= 0, "open {}: {}", name, fd);
    fd
}

/// `rs_dev_ctl(fd, action, arg)`.
pub fn ctl(ua: &mut UserAlloc, fd: i32, action: &str, arg: i32) -> i32 {
    let (a, al) = ustr(ua, action);
    rs_dev_ctl(fd, a, al, arg)
}

/// Allocates user memory holding `words` (little-endian u64s).
pub fn ubuf(ua: &mut UserAlloc, words: &[u64]) -> usize {
    let p = ua.alloc(8 * words.len().max(1));
    for (i, w) in words.iter().enumerate() {
        // SAFETY: inside the allocation.
        unsafe { core::ptr::write_unaligned((p + 8 * i) as *mut u64, *w) };
    }
    rs_user_wrote(p, 8 * words.len() as u32);
    p
}

/// Reads an i32 from user memory.
pub fn read_i32(addr: usize) -> i32 {
    // SAFETY: tests only read user memory they allocated.
    unsafe { core::ptr::read_unaligned(addr as *const i32) }
}

/// `io_uring_prep_uring_cmd` plus the 16-byte command area.
pub fn prep_cmd(r: &mut Ring, fd: i32, cmd_op: u32, cmd: [u64; 2], ud: u64) {
    let sqe = r.get_sqe().expect("sq has room");
    sqe.opcode = IORING_OP_URING_CMD;
    sqe.fd = fd;
    sqe.off = u64::from(cmd_op);
    sqe.addr3 = cmd[0];
    sqe.__pad2 = [cmd[1]];
    sqe.user_data = ud;
}

/// A uring_cmd SQE whose fields a test then changes.
pub fn prep_cmd_with(
    r: &mut Ring,
    fd: i32,
    cmd_op: u32,
    ud: u64,
    f: impl FnOnce(&mut io_uring_sqe),
) {
    prep_cmd(r, fd, cmd_op, [0, 0], ud);
    let slot = (r.sqe_tail.wrapping_sub(1) & (r.p.sq_entries - 1)) as usize;
    // SAFETY: the slot was just handed out by get_sqe.
    let sqe = unsafe { &mut *(r.sqes.add(slot * r.sqe_size) as *mut io_uring_sqe) };
    f(sqe);
}

/// A NOP SQE.
pub fn prep_nop(r: &mut Ring, ud: u64) {
    let sqe = r.get_sqe().expect("sq has room");
    sqe.opcode = IORING_OP_NOP;
    sqe.user_data = ud;
}

/// Submits without waiting and runs the syscall to its end.
pub fn submit(r: &mut Ring) -> i32 {
    r.submit_and_wait(0)
}

/// Runs steps until nothing can run (bounded).
pub fn run_idle() -> u32 {
    let mut n = 0;
    while rs_step() != 0 {
        n += 1;
        assert!(n < 100_000, "the simulator does not go idle");
    }
    n
}

/// One decoded trace record.
#[derive(Clone, Debug)]
pub struct Rec {
    pub ev: &'static str,
    pub req: u32,
    pub ud: u64,
    pub a: i64,
    pub b: i64,
    pub ctx: u8,
    pub src: u32,
    pub time: u64,
}

/// Takes every trace record the core holds.
pub fn drain() -> Vec<Rec> {
    let p = rs_trace_ptr() as *const TraceRecord;
    let n = rs_trace_len() as usize;
    let mut out = Vec::new();
    for i in 0..n {
        // SAFETY: the core keeps `n` records at `p`.
        let r = unsafe { *p.add(i) };
        out.push(Rec {
            ev: r.event().map(Event::name).unwrap_or("unknown"),
            req: r.req,
            ud: r.user_data,
            a: r.a,
            b: r.b,
            ctx: r.ctx,
            src: r.src,
            time: r.time_ns,
        });
    }
    rs_trace_clear();
    out
}

/// The records of one event.
pub fn of<'a>(recs: &'a [Rec], ev: &str) -> Vec<&'a Rec> {
    recs.iter().filter(|r| r.ev == ev).collect()
}

/// Names of the sanitizer reports in `recs`.
pub fn sanitizers(recs: &[Rec]) -> Vec<&'static str> {
    recs.iter()
        .filter(|r| r.ev.starts_with("sanitizer_"))
        .map(|r| r.ev)
        .collect()
}

/// `(user_data, res, flags)` of reaped CQEs.
pub fn reap(r: &mut Ring) -> Vec<(u64, i32, u32, Option<[u64; 2]>)> {
    r.reap()
        .into_iter()
        .map(|(c, b)| (c.user_data, c.res, c.flags, b))
        .collect()
}

/// `rs_req_info` of slab entry `idx`.
pub fn req_info(r: &Ring, idx: u32) -> Option<ReqInfo> {
    let p = rs_req_info(r.fd, idx);
    if p == 0 {
        return None;
    }
    // SAFETY: the core returned a live `ReqInfo`.
    Some(unsafe { core::ptr::read_unaligned(p as *const ReqInfo) })
}

/// The request with `user_data == ud` that is not free.
pub fn req_by_ud(r: &Ring, ud: u64) -> Option<ReqInfo> {
    let n = rs_req_count(r.fd).max(0) as u32;
    (0..n)
        .filter_map(|i| req_info(r, i))
        .find(|i| i.user_data == ud && i.state != 0)
}
