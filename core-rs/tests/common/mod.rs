//! A mini-liburing over the simulator's exported ABI, for integration tests.
//!
//! It drives the core exactly as the TypeScript library does: through the `extern "C"`
//! functions, writing SQEs and ring indices into the shared regions by address.

#![allow(dead_code)]

use ringside_core::ffi::exports::*;
use ringside_core::uapi::io_uring::*;

/// A ring as userspace sees it.
pub struct Ring {
    pub fd: i32,
    pub rings: *mut u8,
    pub sqes: *mut u8,
    pub p: io_uring_params,
    pub sqe_tail: u32,
    pub sqe_size: usize,
    pub cqe_size: usize,
}

/// Allocates `len` bytes of user memory (a bump allocator over the arena).
pub struct UserAlloc {
    next: usize,
}

impl UserAlloc {
    pub fn new() -> UserAlloc {
        UserAlloc {
            next: rs_user_mem_base(),
        }
    }
    pub fn alloc(&mut self, len: usize) -> usize {
        let a = (self.next + 7) & !7;
        self.next = a + len;
        a
    }
}

pub fn rd32(p: *const u8, off: u32) -> u32 {
    // SAFETY: tests only read inside regions the core returned.
    unsafe { core::ptr::read_volatile(p.add(off as usize) as *const u32) }
}

pub fn wr32(p: *mut u8, off: u32, v: u32) {
    // SAFETY: tests only write inside regions the core returned.
    unsafe { core::ptr::write_volatile(p.add(off as usize) as *mut u32, v) }
}

pub fn write_params(addr: usize, flags: u32, cq_entries: u32) {
    let p = addr as *mut u8;
    for i in 0..120 {
        // SAFETY: `addr` is user memory allocated by `UserAlloc`.
        unsafe { *p.add(i) = 0 };
    }
    wr32(p, 8, flags);
    wr32(p, 4, cq_entries);
}

pub fn read_params(addr: usize) -> io_uring_params {
    // SAFETY: `addr` holds an `io_uring_params` the core wrote.
    unsafe { core::ptr::read_unaligned(addr as *const io_uring_params) }
}

/// `io_uring_queue_init_params`: setup + map + identity SQ index array.
pub fn setup(ua: &mut UserAlloc, entries: u32, flags: u32, cq_entries: u32) -> Result<Ring, i32> {
    setup_sq(ua, entries, flags, cq_entries, 0, 0)
}

/// [`setup`] with `sq_thread_idle` (ms) and `sq_thread_cpu` for SQPOLL rings.
pub fn setup_sq(
    ua: &mut UserAlloc,
    entries: u32,
    flags: u32,
    cq_entries: u32,
    idle_ms: u32,
    cpu: u32,
) -> Result<Ring, i32> {
    let pa = ua.alloc(120);
    write_params(pa, flags, cq_entries);
    wr32(pa as *mut u8, 12, cpu);
    wr32(pa as *mut u8, 16, idle_ms);
    let fd = io_uring_setup(entries, pa);
    if fd < 0 {
        return Err(fd);
    }
    let p = read_params(pa);
    let rings = rs_mmap(fd, IORING_OFF_SQ_RING as u32) as *mut u8;
    let sqes = rs_mmap(fd, IORING_OFF_SQES as u32) as *mut u8;
    if flags & IORING_SETUP_NO_SQARRAY == 0 {
        for i in 0..p.sq_entries {
            wr32(rings, p.sq_off.array + 4 * i, i);
        }
    }
    Ok(Ring {
        fd,
        rings,
        sqes,
        p,
        sqe_tail: 0,
        sqe_size: if flags & IORING_SETUP_SQE128 != 0 {
            128
        } else {
            64
        },
        cqe_size: if flags & IORING_SETUP_CQE32 != 0 {
            32
        } else {
            16
        },
    })
}

impl Ring {
    pub fn sq_head(&self) -> u32 {
        rd32(self.rings, self.p.sq_off.head)
    }
    pub fn sq_tail(&self) -> u32 {
        rd32(self.rings, self.p.sq_off.tail)
    }
    pub fn cq_head(&self) -> u32 {
        rd32(self.rings, self.p.cq_off.head)
    }
    pub fn cq_tail(&self) -> u32 {
        rd32(self.rings, self.p.cq_off.tail)
    }
    pub fn sq_flags(&self) -> u32 {
        rd32(self.rings, self.p.sq_off.flags)
    }
    pub fn sq_dropped(&self) -> u32 {
        rd32(self.rings, self.p.sq_off.dropped)
    }

    /// `io_uring_get_sqe`: a zeroed SQE, or `None` when the SQ is full.
    pub fn get_sqe(&mut self) -> Option<&mut io_uring_sqe> {
        if self.sqe_tail.wrapping_sub(self.sq_head()) >= self.p.sq_entries {
            return None;
        }
        let slot = (self.sqe_tail & (self.p.sq_entries - 1)) as usize;
        self.sqe_tail = self.sqe_tail.wrapping_add(1);
        // SAFETY: the slot lies inside the SQE region returned by rs_mmap.
        unsafe {
            let p = self.sqes.add(slot * self.sqe_size);
            core::ptr::write_bytes(p, 0, self.sqe_size);
            Some(&mut *(p as *mut io_uring_sqe))
        }
    }

    /// Raw bytes of SQE slot `slot` (for SQE128 command areas).
    pub fn sqe_bytes(&mut self, slot: u32) -> &mut [u8] {
        // SAFETY: the slot lies inside the SQE region returned by rs_mmap.
        unsafe {
            core::slice::from_raw_parts_mut(
                self.sqes.add(slot as usize * self.sqe_size),
                self.sqe_size,
            )
        }
    }

    /// `__io_uring_flush_sq`: publish the local tail; returns how many are pending.
    pub fn flush_sq(&mut self) -> u32 {
        wr32(self.rings, self.p.sq_off.tail, self.sqe_tail);
        self.sqe_tail.wrapping_sub(self.sq_head())
    }

    /// `io_uring_submit_and_wait`.
    pub fn submit_and_wait(&mut self, wait_nr: u32) -> i32 {
        let n = self.flush_sq();
        let flags = if wait_nr > 0 {
            IORING_ENTER_GETEVENTS
        } else {
            0
        };
        io_uring_enter(self.fd, n, wait_nr, flags, 0, 0)
    }

    /// Returns the SQ index array's offset, or `None` with `IORING_SETUP_NO_SQARRAY`.
    pub fn array_off(&self) -> Option<u32> {
        if self.p.flags & IORING_SETUP_NO_SQARRAY != 0 {
            None
        } else {
            Some(self.p.sq_off.array)
        }
    }

    /// Reads the CQE at CQ index `index` (and its extra words on a CQE32 ring, or for an
    /// `IORING_CQE_F_32` CQE on a CQE_MIXED ring) without consuming it.
    pub fn cqe_at(&self, index: u32) -> (io_uring_cqe, Option<[u64; 2]>) {
        let slot = index & (self.p.cq_entries - 1);
        let off = self.p.cq_off.cqes as usize + slot as usize * self.cqe_size;
        // SAFETY: the CQE lies inside the ring region.
        let cqe = unsafe { core::ptr::read_unaligned(self.rings.add(off) as *const io_uring_cqe) };
        let big = self.cqe_size == 32
            || (self.p.flags & IORING_SETUP_CQE_MIXED != 0 && cqe.flags & IORING_CQE_F_32 != 0);
        let words = if big {
            // SAFETY: a 32-byte CQE lies inside the ring region.
            Some(unsafe { core::ptr::read_unaligned(self.rings.add(off + 16) as *const [u64; 2]) })
        } else {
            None
        };
        (cqe, words)
    }

    /// Reads every visible CQE and advances the head.
    pub fn reap(&mut self) -> Vec<(io_uring_cqe, Option<[u64; 2]>)> {
        let mut out = Vec::new();
        let mut head = self.cq_head();
        let tail = self.cq_tail();
        while head != tail {
            let slot = head & (self.p.cq_entries - 1);
            let off = self.p.cq_off.cqes as usize + slot as usize * self.cqe_size;
            // SAFETY: the CQE lies inside the ring region.
            let cqe =
                unsafe { core::ptr::read_unaligned(self.rings.add(off) as *const io_uring_cqe) };
            let big = if self.cqe_size == 32 {
                // SAFETY: as above, 32-byte CQEs.
                Some(unsafe {
                    core::ptr::read_unaligned(self.rings.add(off + 16) as *const [u64; 2])
                })
            } else {
                None
            };
            out.push((cqe, big));
            head = head.wrapping_add(1);
        }
        wr32(self.rings, self.p.cq_off.head, head);
        out
    }
}

/// A small deterministic generator (xorshift64), so a failing seed can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
