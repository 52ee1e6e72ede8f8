//! The memory shared by userspace and the kernel: ring header words, CQE array, SQ index array
//! and SQE array, laid out at the offsets `io_uring_setup` publishes.
//!
//! Mirrors: `struct io_rings` in `include/linux/io_uring_types.h` (current mainline layout: the
//! head/tail pairs are not cacheline aligned), `io_uring.c:rings_size` and `io_prepare_config`,
//! and `io_uring/memmap.c` (the regions userspace maps).
//!
//! Differences from upstream: a region is a heap buffer in the simulator's address space (wasm
//! linear memory in the browser) instead of pages mapped into a process. Userspace (the
//! TypeScript library, or the Rust test harness) writes it directly, like an mmap'd ring.

pub mod barrier;

use crate::uapi::io_uring::*;

/// Offsets of the ring header words inside the ring region (`offsetof(struct io_rings, ...)`).
pub mod rings_off {
    /// `sq.head`.
    pub const SQ_HEAD: u32 = 0;
    /// `sq.tail`.
    pub const SQ_TAIL: u32 = 4;
    /// `cq.head`.
    pub const CQ_HEAD: u32 = 8;
    /// `cq.tail`.
    pub const CQ_TAIL: u32 = 12;
    /// `sq_ring_mask`.
    pub const SQ_RING_MASK: u32 = 16;
    /// `cq_ring_mask`.
    pub const CQ_RING_MASK: u32 = 20;
    /// `sq_ring_entries`.
    pub const SQ_RING_ENTRIES: u32 = 24;
    /// `cq_ring_entries`.
    pub const CQ_RING_ENTRIES: u32 = 28;
    /// `sq_dropped`.
    pub const SQ_DROPPED: u32 = 32;
    /// `sq_flags`.
    pub const SQ_FLAGS: u32 = 36;
    /// `cq_flags`.
    pub const CQ_FLAGS: u32 = 40;
    /// `cq_overflow`.
    pub const CQ_OVERFLOW: u32 = 44;
    /// `cqes[]` is cacheline aligned.
    pub const CQES: u32 = 64;
}

/// `SMP_CACHE_BYTES` on the modelled machine (x86-64).
pub const SMP_CACHE_BYTES: usize = 64;

/// A zero-initialised, 64-byte aligned buffer that userspace and the kernel both access.
///
/// # Invariants
///
/// `ptr` points to `len` bytes owned by this region, aligned to 64 bytes, for its whole life.
pub struct Region {
    buf: Vec<[u64; 8]>,
    len: usize,
}

impl Region {
    /// Allocates a zeroed region of `len` bytes (rounded up to the alignment unit).
    pub fn new(len: usize) -> Region {
        let units = (len + 63) / 64;
        Region {
            buf: vec![[0u64; 8]; units.max(1)],
            len,
        }
    }

    /// Returns the region's size in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Returns whether the region is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Returns the address userspace sees (a wasm linear-memory address in the browser).
    pub fn addr(&self) -> usize {
        self.buf.as_ptr() as usize
    }

    fn ptr(&self) -> *mut u8 {
        self.buf.as_ptr() as *mut u8
    }

    fn check(&self, off: usize, n: usize) {
        assert!(
            off + n <= self.len,
            "ring region access out of bounds: {}+{}",
            off,
            n
        );
    }

    /// `READ_ONCE` of a `u32` that userspace may change at any time.
    pub fn read_once_u32(&self, off: u32) -> u32 {
        self.check(off as usize, 4);
        // SAFETY: `check` proved the 4 bytes lie inside the region, and `off` is 4-aligned for
        // every header word, array slot and SQE field read this way.
        unsafe { barrier::read_once_u32(self.ptr().add(off as usize)) }
    }

    /// `WRITE_ONCE` of a `u32` that userspace reads.
    pub fn write_once_u32(&self, off: u32, v: u32) {
        self.check(off as usize, 4);
        // SAFETY: as in `read_once_u32`.
        unsafe { barrier::write_once_u32(self.ptr().add(off as usize), v) }
    }

    /// `smp_load_acquire` of a ring index written by userspace.
    pub fn load_acquire_u32(&self, off: u32) -> u32 {
        self.check(off as usize, 4);
        // SAFETY: as in `read_once_u32`.
        unsafe { barrier::smp_load_acquire_u32(self.ptr().add(off as usize)) }
    }

    /// `smp_store_release` of a ring index userspace reads.
    pub fn store_release_u32(&self, off: u32, v: u32) {
        self.check(off as usize, 4);
        // SAFETY: as in `read_once_u32`.
        unsafe { barrier::smp_store_release_u32(self.ptr().add(off as usize), v) }
    }

    /// Copies `out.len()` bytes at `off` out of the region, exactly once (like the kernel's
    /// `memcpy` of an SQE into async data): a compiler fence keeps the copy from being merged
    /// with later reads, so the kernel acts on this one snapshot of userspace's bytes.
    pub fn read_bytes(&self, off: usize, out: &mut [u8]) {
        self.check(off, out.len());
        // SAFETY: `check` proved the range is inside the region; `out` cannot overlap it
        // because the region is only reachable through raw pointers.
        unsafe { core::ptr::copy_nonoverlapping(self.ptr().add(off), out.as_mut_ptr(), out.len()) };
        core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
    }

    /// Copies `data` into the region at `off`, exactly once.
    pub fn write_bytes(&self, off: usize, data: &[u8]) {
        self.check(off, data.len());
        core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
        // SAFETY: `check` proved the range is inside the region; `data` cannot overlap it.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr().add(off), data.len()) };
    }

    /// Returns a raw pointer to byte `off` (for `ioucmd->sqe`, which aliases the SQ ring).
    pub fn byte_ptr(&self, off: usize) -> *const u8 {
        self.check(off, 1);
        // SAFETY: `check` proved `off` is inside the region.
        unsafe { self.ptr().add(off) }
    }

    /// Returns whether `addr..addr+len` lies inside the region.
    pub fn contains(&self, addr: usize, len: usize) -> bool {
        addr >= self.addr()
            && addr
                .checked_add(len)
                .map_or(false, |e| e <= self.addr() + self.len)
    }
}

/// The layout of one ring instance, as `io_uring_setup` computes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingLayout {
    /// SQ entries.
    pub sq_entries: u32,
    /// CQ entries.
    pub cq_entries: u32,
    /// Bytes per SQE (64 or 128).
    pub sqe_size: u32,
    /// Bytes per CQE slot (16 or 32).
    pub cqe_size: u32,
    /// Offset of the SQ index array in the ring region, or `None` with `IORING_SETUP_NO_SQARRAY`.
    pub sq_array: Option<u32>,
    /// Bytes of the ring region (header, CQEs, SQ index array).
    pub rings_bytes: u32,
    /// Bytes of the SQE array region.
    pub sqes_bytes: u32,
}

impl RingLayout {
    /// Computes the layout for validated sizes and setup flags.
    ///
    /// Mirrors `io_uring.c:rings_size`: `struct_size(rings, cqes, cq_entries)` = `64 +
    /// cq_entries * 16` bytes, the whole of it doubled for `CQE32` (header included: a CQE32
    /// ring of 16 CQEs puts the SQ array at 640, not 576, as `setup_flags_each` records),
    /// rounded to `SMP_CACHE_BYTES`, then the SQ index array unless `NO_SQARRAY`; the SQE array
    /// is `64 * sq_entries` bytes (doubled for `SQE128`).
    pub fn new(sq_entries: u32, cq_entries: u32, flags: u32) -> RingLayout {
        let cqe_size = if flags & IORING_SETUP_CQE32 != 0 {
            32
        } else {
            16
        };
        let sqe_size = if flags & IORING_SETUP_SQE128 != 0 {
            128
        } else {
            64
        };
        let mut off = rings_off::CQES as usize + cq_entries as usize * 16;
        if cqe_size == 32 {
            off *= 2;
        }
        off = (off + SMP_CACHE_BYTES - 1) & !(SMP_CACHE_BYTES - 1);
        let sq_array = if flags & IORING_SETUP_NO_SQARRAY == 0 {
            let a = off as u32;
            off += 4 * sq_entries as usize;
            Some(a)
        } else {
            None
        };
        RingLayout {
            sq_entries,
            cq_entries,
            sqe_size: sqe_size as u32,
            cqe_size: cqe_size as u32,
            sq_array,
            rings_bytes: off as u32,
            sqes_bytes: sqe_size as u32 * sq_entries,
        }
    }

    /// Fills the offset structs the way `io_prepare_config` does.
    pub fn offsets(&self) -> (io_sqring_offsets, io_cqring_offsets) {
        let sq = io_sqring_offsets {
            head: rings_off::SQ_HEAD,
            tail: rings_off::SQ_TAIL,
            ring_mask: rings_off::SQ_RING_MASK,
            ring_entries: rings_off::SQ_RING_ENTRIES,
            flags: rings_off::SQ_FLAGS,
            dropped: rings_off::SQ_DROPPED,
            array: self.sq_array.unwrap_or(0),
            resv1: 0,
            user_addr: 0,
        };
        let cq = io_cqring_offsets {
            head: rings_off::CQ_HEAD,
            tail: rings_off::CQ_TAIL,
            ring_mask: rings_off::CQ_RING_MASK,
            ring_entries: rings_off::CQ_RING_ENTRIES,
            overflow: rings_off::CQ_OVERFLOW,
            cqes: rings_off::CQES,
            flags: rings_off::CQ_FLAGS,
            resv1: 0,
            user_addr: 0,
        };
        (sq, cq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_for_eight_entries_matches_kernel_notes() {
        // docs/kernel-notes.md §1.4: entries=8 -> sq=8, cq=16 -> cqes end at 320, array @320..352.
        let l = RingLayout::new(8, 16, 0);
        assert_eq!(l.sq_array, Some(320));
        assert_eq!(l.rings_bytes, 352);
        assert_eq!(l.sqes_bytes, 512);
    }

    #[test]
    fn big_entries_double_sizes_and_no_sqarray_drops_the_array() {
        let l = RingLayout::new(4, 8, IORING_SETUP_CQE32 | IORING_SETUP_SQE128);
        assert_eq!(l.cqe_size, 32);
        assert_eq!(l.sqes_bytes, 512);
        assert_eq!(l.sq_array, Some(2 * (64 + 8 * 16)));
        let n = RingLayout::new(4, 8, IORING_SETUP_NO_SQARRAY);
        assert_eq!(n.sq_array, None);
        assert_eq!(n.rings_bytes, 192);
    }

    #[test]
    fn region_words_round_trip() {
        let r = Region::new(128);
        r.store_release_u32(4, 7);
        assert_eq!(r.load_acquire_u32(4), 7);
        r.write_bytes(10, &[1, 2, 3]);
        let mut out = [0u8; 3];
        r.read_bytes(10, &mut out);
        assert_eq!(out, [1, 2, 3]);
        assert!(r.contains(r.addr() + 120, 8));
        assert!(!r.contains(r.addr() + 121, 8));
    }
}
