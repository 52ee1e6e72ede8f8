//! The io_uring system calls as a process makes them, with their arguments in user memory:
//! copy in, run the core, copy out. The wasm ABI (`ffi/`) forwards here and does nothing else.
//!
//! Mirrors: `io_uring/io_uring.c` (`SYSCALL_DEFINE2(io_uring_setup)` → `io_uring_setup`, which
//! copies `struct io_uring_params` in, and `io_uring_create`, which copies it back out),
//! `io_uring/memmap.c` (`io_uring_mmap` → `io_uring_validate_mmap_request`: which region an
//! mmap offset names), `io_uring/io_uring.c:io_is_uring_fops` (is this fd a ring?).
//!
//! The inspection helpers at the end ([`req_count`], [`req_info_ptr`], [`sqe_prov_ptr`]) have
//! no upstream counterpart: they are how the UI looks inside a ring.

use super::types::ReqInfo;
use crate::linux::fs::FileKind;
use crate::sim::Sim;
use crate::uapi::errno::*;
use crate::uapi::io_uring::*;

/// Size of `struct io_uring_params` in the user ABI.
pub const PARAMS_SIZE: usize = 120;

/// `io_uring_setup(entries, params)` with `params` a user address of an `io_uring_params`:
/// copies it in, creates the ring ([`super::io_uring_setup`]) and copies the filled-in params
/// back. Returns the ring fd, or `-EFAULT` for an unreadable or unwritable `params`, or the
/// errno of the setup.
///
/// Mirrors `io_uring/io_uring.c:io_uring_setup` (`copy_from_user` of the params) and
/// `io_uring_create` (`copy_to_user` of them once the ring exists).
pub fn sys_io_uring_setup(s: &mut Sim, entries: u32, params: u64) -> i32 {
    let mut raw = [0u8; PARAMS_SIZE];
    if s.linux.user.copy_from_user(&mut raw, params).is_err() {
        return -EFAULT;
    }
    let mut p = params_from_bytes(&raw);
    let fd = super::io_uring_setup(s, entries, &mut p);
    if fd >= 0 {
        // Upstream the fd is installed only after the copy succeeded; a ring whose params
        // cannot be written back is unreachable here, because the same bytes were just read.
        if s.linux
            .user
            .copy_to_user(params, &params_to_bytes(&p), 0)
            .is_err()
        {
            return -EFAULT;
        }
    }
    fd
}

fn rd32(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

/// Decodes the fields userspace passes in (`sq_off`/`cq_off` are output only).
fn params_from_bytes(b: &[u8; PARAMS_SIZE]) -> io_uring_params {
    io_uring_params {
        sq_entries: rd32(b, 0),
        cq_entries: rd32(b, 4),
        flags: rd32(b, 8),
        sq_thread_cpu: rd32(b, 12),
        sq_thread_idle: rd32(b, 16),
        features: rd32(b, 20),
        wq_fd: rd32(b, 24),
        resv: [rd32(b, 28), rd32(b, 32), rd32(b, 36)],
        // Only `user_addr` of the offsets is an input (`IORING_SETUP_NO_MMAP`).
        sq_off: io_sqring_offsets {
            user_addr: rd32(b, 72) as u64 | (rd32(b, 76) as u64) << 32,
            ..Default::default()
        },
        cq_off: io_cqring_offsets {
            user_addr: rd32(b, 112) as u64 | (rd32(b, 116) as u64) << 32,
            ..Default::default()
        },
    }
}

/// Encodes the params as the kernel writes them back (little-endian, the uapi layout).
fn params_to_bytes(p: &io_uring_params) -> [u8; PARAMS_SIZE] {
    let mut b = [0u8; PARAMS_SIZE];
    let words = [
        p.sq_entries,
        p.cq_entries,
        p.flags,
        p.sq_thread_cpu,
        p.sq_thread_idle,
        p.features,
        p.wq_fd,
        p.resv[0],
        p.resv[1],
        p.resv[2],
        p.sq_off.head,
        p.sq_off.tail,
        p.sq_off.ring_mask,
        p.sq_off.ring_entries,
        p.sq_off.flags,
        p.sq_off.dropped,
        p.sq_off.array,
        p.sq_off.resv1,
    ];
    for (i, w) in words.iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    b[72..80].copy_from_slice(&p.sq_off.user_addr.to_le_bytes());
    let cq = [
        p.cq_off.head,
        p.cq_off.tail,
        p.cq_off.ring_mask,
        p.cq_off.ring_entries,
        p.cq_off.overflow,
        p.cq_off.cqes,
        p.cq_off.flags,
        p.cq_off.resv1,
    ];
    for (i, w) in cq.iter().enumerate() {
        b[80 + i * 4..84 + i * 4].copy_from_slice(&w.to_le_bytes());
    }
    b[112..120].copy_from_slice(&p.cq_off.user_addr.to_le_bytes());
    b
}

/// The ring id behind `fd`, if `fd` is an open io_uring file.
///
/// Mirrors `io_uring/io_uring.c:io_is_uring_fops` applied to `fget(fd)`.
pub fn ring_of_fd(s: &Sim, fd: i32) -> Option<u32> {
    let f = s.linux.fds.fget(fd)?;
    match s.linux.fds.file(f).kind {
        FileKind::IoUring(id) => Some(id),
        _ => None,
    }
}

/// `mmap(fd, offset)` of a ring region: the address and length of the SQ/CQ rings
/// (`IORING_OFF_SQ_RING` and `IORING_OFF_CQ_RING` name one region, `IORING_FEAT_SINGLE_MMAP`)
/// or of the SQE array (`IORING_OFF_SQES`); `None` for a bad fd or offset.
///
/// Mirrors `io_uring/memmap.c:io_uring_mmap` → `io_uring_validate_mmap_request`.
pub fn io_uring_mmap(s: &Sim, fd: i32, offset: u64) -> Option<(usize, u32)> {
    let ctx = s.ring(ring_of_fd(s, fd)?)?;
    match offset {
        IORING_OFF_SQ_RING | IORING_OFF_CQ_RING => Some((ctx.rings.addr(), ctx.rings.len() as u32)),
        IORING_OFF_SQES => Some((ctx.sqes.addr(), ctx.sqes.len() as u32)),
        _ => None,
    }
}

/// How many request objects the ring's slab holds (live and cached), or `-EBADF` when `fd`
/// is not a ring.
pub fn req_count(s: &Sim, fd: i32) -> i32 {
    match ring_of_fd(s, fd).and_then(|id| s.ring(id)) {
        Some(ctx) => ctx.reqs.len() as i32,
        None => -EBADF,
    }
}

/// Fills the machine's [`ReqInfo`] buffer for slab entry `idx` of the ring behind `fd` and
/// returns its address (valid until the next call into the machine), or 0 for a bad fd or
/// index.
pub fn req_info_ptr(s: &mut Sim, fd: i32, idx: u32) -> usize {
    let info = match ring_of_fd(s, fd).and_then(|id| s.req(super::types::Req::new(id, idx))) {
        Some(r) => ReqInfo::of(r),
        None => return 0,
    };
    s.io_uring.req_info = info;
    &s.io_uring.req_info as *const ReqInfo as usize
}

/// The address of the SQE array's provenance (one `Prov` byte per byte of the region) of the
/// ring behind `fd`, or 0 when `fd` is not a ring.
pub fn sqe_prov_ptr(s: &Sim, fd: i32) -> usize {
    ring_of_fd(s, fd)
        .and_then(|id| s.ring(id))
        .map_or(0, |c| c.sqe_prov.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Config;

    #[test]
    fn setup_copies_params_in_and_out_and_faults_outside_user_memory() {
        let mut s = Sim::new(Config::default());
        let base = s.linux.user.base() as u64;
        assert_eq!(sys_io_uring_setup(&mut s, 4, 0), -EFAULT);
        // The last byte of user memory cannot hold a whole io_uring_params.
        let last = base + s.linux.user.len() as u64 - 1;
        assert_eq!(sys_io_uring_setup(&mut s, 4, last), -EFAULT);
        // A non-zero resv word is refused, as upstream does.
        s.linux
            .user
            .copy_to_user(base + 28, &1u32.to_le_bytes(), 0)
            .unwrap();
        assert_eq!(sys_io_uring_setup(&mut s, 4, base), -EINVAL);
        s.linux
            .user
            .copy_to_user(base + 28, &0u32.to_le_bytes(), 0)
            .unwrap();
        let fd = sys_io_uring_setup(&mut s, 4, base);
        assert!(fd >= 0, "{}", fd);
        let mut raw = [0u8; PARAMS_SIZE];
        s.linux.user.copy_from_user(&mut raw, base).unwrap();
        let p = params_from_bytes(&raw);
        assert_eq!((p.sq_entries, p.cq_entries), (4, 8));
        assert_eq!(params_to_bytes(&p)[..40], raw[..40]);
        // sq_off (output only) came back filled in: the SQ array lies inside the rings region.
        assert_ne!(rd32(&raw, 64), 0);
        let (_, len) = io_uring_mmap(&s, fd, IORING_OFF_SQ_RING).expect("rings");
        assert!(rd32(&raw, 64) < len, "array offset inside the rings region");
        assert_eq!(io_uring_mmap(&s, fd, 12345), None);
        assert_eq!(io_uring_mmap(&s, fd + 1, IORING_OFF_SQES), None);
        assert_eq!(req_count(&s, fd + 1), -EBADF);
        assert_eq!(req_info_ptr(&mut s, fd, 1 << 20), 0);
    }

    #[test]
    fn a_request_handle_resolves_only_to_a_live_ring_and_slot() {
        use crate::io_uring::types::Req;
        let mut s = Sim::new(Config::default());
        // No ring yet: nothing resolves, ring id 0 included.
        assert!(s.req(Req::new(0, 0)).is_none());
        assert!(s.req(Req::new(1, 0)).is_none());
        let base = s.linux.user.base() as u64;
        let fd = sys_io_uring_setup(&mut s, 4, base);
        assert!(fd >= 0, "{}", fd);
        let ring = ring_of_fd(&s, fd).expect("a ring behind the fd");
        // An empty slab: slot 0 does not exist yet.
        assert!(s.req(Req::new(ring, 0)).is_none());
        let h = Req::new(ring, crate::io_uring::io_alloc_req(&mut s, ring));
        let serial = s.req(h).map(|r| r.serial);
        assert_eq!(serial, Some(s.io_uring.serial));
        assert_eq!(s.req(h).map(|r| r.index), Some(h.idx));
        assert!(s.req(Req::new(ring, h.idx + 1)).is_none());
        assert!(s.req_mut(Req::new(ring + 1, h.idx)).is_none());
        // The UI's view goes through the same lookup.
        assert_ne!(req_info_ptr(&mut s, fd, h.idx), 0);
        assert_eq!(req_info_ptr(&mut s, fd, h.idx + 1), 0);
    }
}
