//! SEND, RECV, ACCEPT and provided buffers through the exported ABI. The kernel's answers are
//! held by the recordings `net_*` and `pbuf_*` (`conformance/traces/`); these tests check what
//! a recording cannot, over random programs on AF_UNIX stream and datagram pairs:
//! - every request ends with exactly one CQE without `IORING_CQE_F_MORE`, after any number
//!   with it (a multishot sequence always ends);
//! - a buffer is never written by the kernel after the CQE that handed it back (provided
//!   buffers, classic and ring, and a plain RECV's own buffer);
//! - nothing is left behind when the ring goes away: no request, no armed poll, no pending
//!   socket wake-up, no buffer group.

mod common;

use common::*;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::*;
use ringside_core::sim;
use ringside_core::uapi::errno::*;
use ringside_core::uapi::io_uring::*;
use std::collections::BTreeMap;

const AF_UNIX: u32 = 1;
const SOCK_STREAM: u32 = 1;
const SOCK_DGRAM: u32 = 2;
const RECV_MULTISHOT: u16 = 2;
const POLLIN: u32 = 1;

fn pair(ua: &mut UserAlloc, ty: u32) -> (i32, i32) {
    let a = ua.alloc(8);
    assert_eq!(rs_sys_socketpair(AF_UNIX, ty, 0, a), 0);
    (
        rd32(a as *const u8, 0) as i32,
        rd32(a as *const u8, 4) as i32,
    )
}

fn fill(addr: usize, len: usize, byte: u8) {
    for i in 0..len {
        // SAFETY: `addr..addr+len` was allocated from the user arena.
        unsafe { *((addr + i) as *mut u8) = byte };
    }
    rs_user_wrote(addr, len as u32);
}

fn bytes(addr: usize, len: usize) -> Vec<u8> {
    // SAFETY: the range lies in the user arena.
    unsafe { std::slice::from_raw_parts(addr as *const u8, len).to_vec() }
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

/// What the program knows about each request it submitted.
#[derive(Default)]
struct Req {
    /// CQEs with `F_MORE` so far.
    more: u32,
    /// The terminal CQE's result, once seen.
    done: Option<i32>,
    /// A plain RECV's own buffer (address, length).
    own: Option<(usize, usize)>,
}

struct Prog {
    r: Ring,
    reqs: BTreeMap<u64, Req>,
    /// Buffers the kernel handed back: address → the bytes when the CQE was reaped.
    returned: Vec<(usize, Vec<u8>)>,
    /// Provided buffers by group and id: (address, length).
    provided: BTreeMap<(u16, u16), (usize, usize)>,
}

impl Prog {
    fn reap(&mut self) {
        for (c, _) in self.r.reap() {
            let q = self
                .reqs
                .get_mut(&c.user_data)
                .expect("a CQE for a request we submitted");
            assert!(
                q.done.is_none(),
                "user_data {}: a CQE after its last one",
                c.user_data
            );
            if c.flags & IORING_CQE_F_MORE != 0 {
                q.more += 1;
            } else {
                q.done = Some(c.res);
            }
            if c.flags & IORING_CQE_F_BUFFER != 0 {
                let bid = (c.flags >> 16) as u16;
                let (a, l) = *self
                    .provided
                    .iter()
                    .find(|(k, _)| k.1 == bid)
                    .map(|(_, v)| v)
                    .expect("the CQE names a buffer that was provided");
                self.returned.push((a, bytes(a, l)));
                self.provided.retain(|k, _| k.1 != bid);
            }
            if q.done.is_some() {
                if let Some((a, l)) = q.own {
                    self.returned.push((a, bytes(a, l)));
                }
            }
        }
    }

    fn check_returned(&self) {
        for (a, b) in &self.returned {
            assert_eq!(
                &bytes(*a, b.len()),
                b,
                "buffer at {:#x} was written after its CQE",
                a
            );
        }
    }
}

fn run_program(seed: u64) {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let r = setup(&mut ua, 64, 0, 0).expect("setup");
    let mut p = Prog {
        r,
        reqs: BTreeMap::new(),
        returned: Vec::new(),
        provided: BTreeMap::new(),
    };
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (sa, sb) = pair(&mut ua, SOCK_STREAM);
    let (da, db) = pair(&mut ua, SOCK_DGRAM);
    let socks = [sa, sb, da, db];
    let mut ud = 0u64;
    let mut next_bid = 0u16;
    for _ in 0..120 {
        let fd = socks[rng.below(4) as usize];
        let peer = socks[(socks.iter().position(|&f| f == fd).unwrap()) ^ 1];
        ud += 1;
        let mut submitted = true;
        match rng.below(9) {
            0 | 1 => {
                let len = 1 + rng.below(40) as usize;
                let src = ua.alloc(len);
                fill(src, len, ud as u8);
                let sqe = p.r.get_sqe().expect("room");
                sqe.opcode = IORING_OP_SEND;
                sqe.fd = fd;
                sqe.addr = src as u64;
                sqe.len = len as u32;
                sqe.user_data = ud;
                p.reqs.insert(ud, Req::default());
            }
            2 => {
                let len = 1 + rng.below(40) as usize;
                let dst = ua.alloc(len);
                let sqe = p.r.get_sqe().expect("room");
                sqe.opcode = IORING_OP_RECV;
                sqe.fd = fd;
                sqe.addr = dst as u64;
                sqe.len = len as u32;
                sqe.user_data = ud;
                p.reqs.insert(
                    ud,
                    Req {
                        own: Some((dst, len)),
                        ..Req::default()
                    },
                );
            }
            3 | 4 => {
                let multi = rng.below(2) == 0;
                let sqe = p.r.get_sqe().expect("room");
                sqe.opcode = IORING_OP_RECV;
                sqe.fd = fd;
                sqe.flags = IOSQE_BUFFER_SELECT;
                sqe.buf_index = 1;
                sqe.ioprio = if multi { RECV_MULTISHOT } else { 0 };
                sqe.user_data = ud;
                p.reqs.insert(ud, Req::default());
            }
            5 => {
                let n = 1 + rng.below(3) as u32;
                let len = 8 + rng.below(24) as usize;
                let pool = ua.alloc(len * n as usize);
                for i in 0..n {
                    p.provided.insert(
                        (1, next_bid.wrapping_add(i as u16)),
                        (pool + i as usize * len, len),
                    );
                }
                let sqe = p.r.get_sqe().expect("room");
                sqe.opcode = IORING_OP_PROVIDE_BUFFERS;
                sqe.fd = n as i32;
                sqe.addr = pool as u64;
                sqe.len = len as u32;
                sqe.off = u64::from(next_bid);
                sqe.buf_index = 1;
                sqe.user_data = ud;
                next_bid = next_bid.wrapping_add(n as u16);
                p.reqs.insert(ud, Req::default());
            }
            6 => {
                let sqe = p.r.get_sqe().expect("room");
                sqe.opcode = IORING_OP_POLL_ADD;
                sqe.fd = fd;
                sqe.op_flags = POLLIN;
                sqe.len = rng.below(2) as u32;
                sqe.user_data = ud;
                p.reqs.insert(ud, Req::default());
            }
            7 => {
                let pending: Vec<u64> = p
                    .reqs
                    .iter()
                    .filter(|(_, q)| q.done.is_none())
                    .map(|(&k, _)| k)
                    .collect();
                let target = if pending.is_empty() {
                    999_999
                } else {
                    pending[rng.below(pending.len() as u64) as usize]
                };
                let sqe = p.r.get_sqe().expect("room");
                sqe.opcode = IORING_OP_ASYNC_CANCEL;
                sqe.fd = -1;
                sqe.addr = target;
                sqe.user_data = ud;
                p.reqs.insert(ud, Req::default());
            }
            _ => {
                // The peer writes with a plain system call.
                submitted = false;
                let len = 1 + rng.below(30) as usize;
                let src = ua.alloc(len);
                fill(src, len, 0xa5);
                let ret = rs_sys_sendto(peer, src, len as u32, 0x40);
                assert!(ret == len as i32 || ret == -EAGAIN, "send(): {}", ret);
            }
        }
        if submitted {
            assert_eq!(p.r.submit_and_wait(0), 1);
        }
        rs_run_until_idle(10_000);
        p.reap();
        p.check_returned();
    }
    // Cancel whatever still waits, then take the ring down.
    let pending: Vec<u64> = p
        .reqs
        .iter()
        .filter(|(_, q)| q.done.is_none())
        .map(|(&k, _)| k)
        .collect();
    for t in pending {
        ud += 1;
        let sqe = p.r.get_sqe().expect("room");
        sqe.opcode = IORING_OP_ASYNC_CANCEL;
        sqe.fd = -1;
        sqe.addr = t;
        sqe.user_data = ud;
        p.reqs.insert(ud, Req::default());
        assert_eq!(p.r.submit_and_wait(0), 1);
        rs_run_until_idle(10_000);
        p.reap();
    }
    for (u, q) in &p.reqs {
        assert!(
            q.done.is_some(),
            "seed {}: user_data {} has no final CQE ({} with F_MORE)",
            seed,
            u,
            q.more
        );
    }
    p.check_returned();
    assert_eq!(rs_close(p.r.fd), 0);
    rs_run_until_idle(100_000);
    assert_eq!(
        live_reqs(),
        0,
        "seed {}: requests left after teardown",
        seed
    );
    sim::with(|s| {
        assert!(s.linux.vfs.net.wakes.is_empty() && s.linux.vfs.wakes.is_empty());
        for c in s.io_uring.rings.iter().flatten() {
            assert!(
                c.ops.apoll.is_empty(),
                "seed {}: an armed poll survived",
                seed
            );
        }
    });
}

#[test]
fn random_socket_programs_end_every_request_once_and_never_write_a_returned_buffer() {
    for seed in 1..=60 {
        run_program(seed);
    }
}

fn recv_select(r: &mut Ring, fd: i32, bgid: u16, ioprio: u16, ud: u64) {
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_RECV;
    sqe.fd = fd;
    sqe.flags = IOSQE_BUFFER_SELECT;
    sqe.buf_index = bgid;
    sqe.ioprio = ioprio;
    sqe.user_data = ud;
}

fn cqes(r: &mut Ring) -> Vec<(u64, i32, u32)> {
    r.reap()
        .iter()
        .map(|(c, _)| (c.user_data, c.res, c.flags))
        .collect()
}

#[test]
fn a_multishot_recv_on_a_buffer_ring_runs_dry_and_the_program_refills_it() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 8, 0, 0).expect("setup");
    let (a, b) = pair(&mut ua, SOCK_STREAM);
    // A 4-entry ring on its own page, two 16-byte buffers published.
    let base = ua.alloc(8192);
    let ring = (base + 4095) & !4095;
    let pool = ua.alloc(64);
    let add = |slot: u32, bid: u16| {
        let e = ring + 16 * (slot as usize & 3);
        let addr = (pool + 16 * bid as usize) as u64;
        wr32(e as *mut u8, 0, addr as u32);
        wr32(e as *mut u8, 4, (addr >> 32) as u32);
        wr32(e as *mut u8, 8, 16);
        // bid at 12 (u16); the tail in the first entry's last u16 is written below.
        // SAFETY: inside the ring page.
        unsafe { *((e + 12) as *mut u16) = bid };
        rs_user_wrote(e, 16);
    };
    let publish = |tail: u16| {
        // SAFETY: inside the ring page.
        unsafe { *((ring + 14) as *mut u16) = tail };
        rs_user_wrote(ring + 14, 2);
    };
    let reg = ua.alloc(40);
    wr32(reg as *mut u8, 0, ring as u32);
    wr32(reg as *mut u8, 4, (ring as u64 >> 32) as u32);
    wr32(reg as *mut u8, 8, 4);
    wr32(reg as *mut u8, 12, 7); // bgid 7, flags 0
    rs_user_wrote(reg, 40);
    assert_eq!(
        io_uring_register(r.fd, IORING_REGISTER_PBUF_RING, reg, 1),
        0
    );
    add(0, 0);
    add(1, 1);
    publish(2);
    recv_select(&mut r, b, 7, RECV_MULTISHOT, 1);
    assert_eq!(r.submit_and_wait(0), 1);
    rs_run_until_idle(1000);
    assert_eq!(cqes(&mut r), vec![]);
    let src = ua.alloc(40);
    fill(src, 40, 0x5a);
    assert_eq!(rs_sys_sendto(a, src, 20, 0), 20);
    // 16 bytes into buffer 0 (more queued: it goes on at once), 4 into buffer 1; nothing is
    // left, so it stays armed on an empty ring.
    let more = IORING_CQE_F_MORE | IORING_CQE_F_BUFFER;
    assert_eq!(
        cqes(&mut r),
        vec![
            (1, 16, more | IORING_CQE_F_SOCK_NONEMPTY),
            (1, 4, more | 1 << 16)
        ]
    );
    assert_eq!(bytes(pool, 20), vec![0x5a; 20]);
    // The next byte finds no entry: -ENOBUFS without F_MORE ends it; the byte stays queued.
    fill(src, 1, 0x77);
    assert_eq!(rs_sys_sendto(a, src, 1, 0), 1);
    assert_eq!(cqes(&mut r), vec![(1, -ENOBUFS, 0)]);
    // The program gives buffer 0 back through the tail and arms again: the queued byte lands
    // in buffer 0 at once.
    add(2, 0);
    publish(3);
    recv_select(&mut r, b, 7, RECV_MULTISHOT, 2);
    assert_eq!(r.submit_and_wait(0), 1);
    assert_eq!(cqes(&mut r), vec![(2, 1, more)]);
    assert_eq!(bytes(pool, 1), vec![0x77]);
    // Buffer 1 was handed back by a CQE: never written again.
    assert_eq!(bytes(pool + 16, 4), vec![0x5a; 4]);
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_ASYNC_CANCEL;
    sqe.fd = -1;
    sqe.addr = 2;
    sqe.user_data = 3;
    assert_eq!(r.submit_and_wait(2), 1);
    assert_eq!(cqes(&mut r), vec![(3, 0, 0), (2, -ECANCELED, 0)]);
    assert_eq!(rs_close(r.fd), 0);
    rs_run_until_idle(10_000);
    assert_eq!(live_reqs(), 0);
}

#[test]
fn a_multishot_accept_posts_one_descriptor_per_connection_until_cancelled() {
    rs_init(0);
    let mut ua = UserAlloc::new();
    let mut r = setup(&mut ua, 8, 0, 0).expect("setup");
    let l = rs_sys_socket(2, SOCK_STREAM, 0);
    let sa = ua.alloc(16);
    wr32(sa as *mut u8, 0, 2); // AF_INET, port 0
    wr32(sa as *mut u8, 4, u32::from_be(0x7f00_0001));
    rs_user_wrote(sa, 16);
    assert_eq!(rs_sys_bind(l, sa, 16), 0);
    assert_eq!(rs_sys_listen(l, 8), 0);
    let len = ua.alloc(4);
    wr32(len as *mut u8, 0, 16);
    rs_user_wrote(len, 4);
    assert_eq!(rs_sys_getsockname(l, sa, len), 0);
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_ACCEPT;
    sqe.fd = l;
    sqe.ioprio = 1; // IORING_ACCEPT_MULTISHOT
    sqe.user_data = 1;
    assert_eq!(r.submit_and_wait(0), 1);
    rs_run_until_idle(1000);
    assert_eq!(cqes(&mut r), vec![]);
    let mut fds = Vec::new();
    for _ in 0..3 {
        let c = rs_sys_socket(2, SOCK_STREAM, 0);
        assert_eq!(rs_sys_connect(c, sa, 16), 0);
        let got = cqes(&mut r);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, IORING_CQE_F_MORE);
        fds.push(got[0].1);
    }
    // Each descriptor is new and usable: the accepted end reaches its client.
    assert!(fds.windows(2).all(|w| w[0] < w[1]));
    let sqe = r.get_sqe().expect("room");
    sqe.opcode = IORING_OP_ASYNC_CANCEL;
    sqe.fd = -1;
    sqe.addr = 1;
    sqe.user_data = 2;
    assert_eq!(r.submit_and_wait(2), 1);
    assert_eq!(cqes(&mut r), vec![(2, 0, 0), (1, -ECANCELED, 0)]);
    assert_eq!(rs_close(r.fd), 0);
    rs_run_until_idle(10_000);
    assert_eq!(live_reqs(), 0);
}
