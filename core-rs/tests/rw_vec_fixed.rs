//! READV/WRITEV, READ_FIXED/WRITE_FIXED and registered buffers through the exported ABI. The
//! kernel's answers are held by the recordings `readv_*` and `fixed_*`
//! (`conformance/traces/`); these tests look at what a recording cannot see: trace events,
//! which request wrote which user bytes, and that a registered buffer is never written for a
//! request after the CQE that returned it.

mod common;

use common::*;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::*;
use ringside_core::io_uring::types::Prov;
use ringside_core::sim;
use ringside_core::trace::Event;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;

fn pipe(ua: &mut UserAlloc) -> (i32, i32) {
    let a = ua.alloc(8);
    assert_eq!(rs_sys_pipe2(a, 0), 0);
    (
        rd32(a as *const u8, 0) as i32,
        rd32(a as *const u8, 4) as i32,
    )
}

fn tmpfile(ua: &mut UserAlloc) -> i32 {
    let p = ua.alloc(8);
    let path = b"/tmp";
    // SAFETY: `p` is user memory of 8 bytes.
    unsafe { core::ptr::copy_nonoverlapping(path.as_ptr(), p as *mut u8, path.len()) };
    let fd = rs_sys_openat(p, path.len() as u32, 0o20200000 | 2); // O_TMPFILE | O_RDWR
    assert!(fd >= 0, "openat: {}", fd);
    fd
}

/// Writes `struct iovec` elements into user memory and returns the array's address.
fn iovec(ua: &mut UserAlloc, segs: &[(u64, u64)]) -> usize {
    let a = ua.alloc(16 * segs.len().max(1));
    for (i, &(base, len)) in segs.iter().enumerate() {
        let p = (a + 16 * i) as *mut u8;
        wr32(p, 0, base as u32);
        wr32(p, 4, (base >> 32) as u32);
        wr32(p, 8, len as u32);
        wr32(p, 12, (len >> 32) as u32);
    }
    a
}

#[allow(clippy::too_many_arguments)]
fn sqe(r: &mut Ring, op: u8, fd: i32, addr: u64, len: u32, off: u64, ud: u64, buf_index: u16) {
    let s = r.get_sqe().expect("sq has room");
    s.opcode = op;
    s.fd = fd;
    s.addr = addr;
    s.len = len;
    s.off = off;
    s.user_data = ud;
    s.buf_index = buf_index;
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

fn register_buffers(r: &Ring, ua: &mut UserAlloc, segs: &[(u64, u64)]) -> i32 {
    let a = iovec(ua, segs);
    io_uring_register(r.fd, IORING_REGISTER_BUFFERS, a, segs.len() as u32)
}

#[test]
fn writev_whose_second_element_faults_is_a_short_write_completed_with_the_bytes_done() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 4, 0, 0).expect("setup");
    let fd = tmpfile(&mut ua);
    let b = ua.alloc(4);
    wr32(b as *mut u8, 0, 0x0f0f_0f0f);
    let v = iovec(&mut ua, &[(b as u64, 4), (8, 4)]);
    sqe(&mut r, IORING_OP_WRITEV, fd, v as u64, 2, 0, 1, 0);
    assert_eq!(r.submit_and_wait(1), 1);
    assert_eq!(cqes(&mut r), vec![(1, 4)]);
    let sw = events(Event::io_uring_short_write);
    assert_eq!(sw.len(), 1, "one short_write tracepoint");
    assert_eq!(sw[0].2, 8 | 4 << 32, "wanted 8, got 4");
}

/// The request serial of each CQE posted so far, by user_data (`io_uring_complete` records).
fn completed_serials() -> Vec<(u64, u32)> {
    sim::with(|s| {
        s.trace
            .records()
            .iter()
            .filter(|t| t.event == Event::io_uring_complete as u16)
            .map(|t| (t.user_data, t.req))
            .collect()
    })
}

/// Every byte of user memory io_uring wrote, by the request serial that wrote it last.
fn core_bytes() -> std::collections::BTreeMap<u32, Vec<(usize, u8)>> {
    sim::with(|s| {
        let src = s.linux.user.src();
        let prov = s.linux.user.prov();
        let base = s.linux.user.base();
        let mut m: std::collections::BTreeMap<u32, Vec<(usize, u8)>> = Default::default();
        for i in 0..src.len() {
            if prov[i] == Prov::Core {
                // SAFETY: `base + i` lies inside the user memory the simulator owns.
                let v = unsafe { *((base + i) as *const u8) };
                m.entry(src[i]).or_default().push((i, v));
            }
        }
        m
    })
}

/// Property: once a request's CQE was reaped, the user bytes it wrote stay as they were (no
/// registered or plain buffer is written for a request after the CQE that returned it), and
/// no byte it had not written becomes its; every request reaches exactly one CQE. Random
/// programs of READ_FIXED/READV/READ on a pipe and a regular file, `write()`s that wake them,
/// and REGISTER/UNREGISTER_BUFFERS at any point (also while reads wait on a buffer).
#[test]
fn a_buffer_is_never_written_for_a_request_after_its_cqe() {
    for seed in 1..=24u64 {
        rs_init(0);
        let mut ua = UserAlloc::new();
        let mut r = setup(&mut ua, 16, 0, 0).expect("setup");
        let (pr, pw) = pipe(&mut ua);
        let fd = tmpfile(&mut ua);
        let bufs = [ua.alloc(256), ua.alloc(256)];
        let src = ua.alloc(64);
        for i in 0..16 {
            wr32(src as *mut u8, 4 * i, 0x0101_0101 * (i + 1));
        }
        assert_eq!(rs_sys_write(fd, src, 64), 64);
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut registered = false;
        let mut next_ud = 1u64;
        let mut outstanding = 0u32;
        let mut done: Vec<(u32, Vec<(usize, u8)>)> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..60 {
            match rng.below(7) {
                0 => {
                    let ret = register_buffers(
                        &r,
                        &mut ua,
                        &[(bufs[0] as u64, 256), (bufs[1] as u64, 256)],
                    );
                    assert_eq!(ret, if registered { -EBUSY } else { 0 });
                    registered = true;
                }
                1 => {
                    let ret = io_uring_register(r.fd, IORING_UNREGISTER_BUFFERS, 0, 0);
                    assert_eq!(
                        ret,
                        if registered { 0 } else { -ENXIO },
                        "unregister, also while in use"
                    );
                    registered = false;
                }
                2 | 3 => {
                    let b = rng.below(2) as usize;
                    let off = rng.below(200);
                    let file = if rng.below(2) == 0 { pr } else { fd };
                    let op = [IORING_OP_READ_FIXED, IORING_OP_READV, IORING_OP_READ]
                        [rng.below(3) as usize];
                    let addr = bufs[b] as u64 + off;
                    let (a, len) = if op == IORING_OP_READV {
                        (
                            iovec(&mut ua, &[(addr, 8), (bufs[1 - b] as u64, 8)]) as u64,
                            2,
                        )
                    } else {
                        (addr, 16)
                    };
                    if r.get_sqe().is_none() {
                        continue;
                    }
                    r.sqe_tail -= 1;
                    sqe(&mut r, op, file, a, len, 0, next_ud, b as u16);
                    next_ud += 1;
                    outstanding += 1;
                    r.flush_sq();
                    assert_eq!(io_uring_enter(r.fd, 1, 0, 0, 0, 0), 1);
                }
                4 => {
                    let n = 1 + rng.below(40) as u32;
                    assert!(rs_sys_write(pw, src, n) > 0);
                }
                _ => {}
            }
            rs_run_until_idle(100_000);
            let reaped = cqes(&mut r);
            outstanding -= reaped.len() as u32;
            let serials = completed_serials();
            for (ud, _) in &reaped {
                assert!(
                    seen.insert(*ud),
                    "seed {}: user_data {} completed twice",
                    seed,
                    ud
                );
                let serial = serials
                    .iter()
                    .rev()
                    .find(|x| x.0 == *ud)
                    .expect("complete record")
                    .1;
                done.push((serial, core_bytes().remove(&serial).unwrap_or_default()));
            }
            // Bytes another writer overwrote since are no longer the request's; every byte
            // still marked as the request's must be one it had written, unchanged, by its CQE.
            let now = core_bytes();
            for (serial, snap) in &done {
                for b in now.get(serial).into_iter().flatten() {
                    assert!(
                        snap.contains(b),
                        "seed {}: request {} wrote user byte {} after its CQE",
                        seed,
                        serial,
                        b.0
                    );
                }
            }
        }
        // The rest completes once the pipe has data for every waiting read.
        for _ in 0..outstanding {
            assert!(rs_sys_write(pw, src, 64) > 0);
            rs_run_until_idle(100_000);
        }
        let reaped = cqes(&mut r);
        outstanding -= reaped.len() as u32;
        assert_eq!(
            outstanding, 0,
            "seed {}: every request reached its CQE",
            seed
        );
    }
}
