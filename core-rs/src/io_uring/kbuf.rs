//! Provided buffers, the classic kind: `IORING_OP_PROVIDE_BUFFERS` hands the kernel a group of
//! buffers in user memory, `IOSQE_BUFFER_SELECT` lets a RECV pick one when data arrives, and
//! its CQE names it (`IORING_CQE_F_BUFFER`, the buffer id in `flags >> 16`).
//!
//! Mirrors: `io_uring/kbuf.c` (`io_provide_buffers_prep`, `io_remove_buffers_prep`,
//! `io_manage_buffers_legacy`, `__io_manage_buffers_legacy`, `io_add_buffers`,
//! `io_remove_buffers_legacy`, `io_buffer_get_list`, `io_buffer_select`,
//! `io_provided_buffer_select`, `io_kbuf_recycle_legacy`, `io_kbuf_drop_legacy`,
//! `io_destroy_buffers`) and `io_uring/kbuf.h` (`io_put_kbuf`, `io_kbuf_recycle`).
//!
//! What the recordings `pbuf_provide`, `pbuf_recv_wait`, `net_recv_multishot*` show on 6.18:
//! buffers are selected in the order they were provided; a buffer a request selected and then
//! did not fill (no data yet, end of file) goes back to the front of its group; one it filled
//! is gone from the group for good once its CQE names it, and the kernel never writes it
//! again; REMOVE_BUFFERS answers how many it removed (0 from an empty group, `-ENOENT` for a
//! group that never existed); an empty or missing group is `-ENOBUFS` for a RECV.
//!
//! Registered buffer rings (`IORING_REGISTER_PBUF_RING`, `io_register_pbuf_ring`,
//! `io_unregister_pbuf_ring`, `io_ring_buffer_select`, `io_kbuf_commit`): the ring lives in the
//! program's memory, the program writes entries and publishes the tail (recordings
//! `pbuf_ring`, `net_recv_multishot_ring`); the kernel reads the tail with a load-acquire and
//! keeps the head to itself. A request on a socket takes the entry at the head and commits it
//! (head + 1) only when its CQE names the buffer; a head that meets the tail is `-ENOBUFS`.
//! Not modelled: kernel-allocated rings (`IOU_PBUF_RING_MMAP`) and incremental consumption
//! (`IOU_PBUF_RING_INC`), answered with [`ENOTMODELLED`] by the register call.

use super::opdata::*;
use super::sqe::{sqe16, sqe32, sqe64};
use super::*;

/// `MAX_BIDS_PER_BGID`: buffer ids are 16 bits.
pub const MAX_BIDS_PER_BGID: u32 = 1 << 16;

/// `io_provide_buffers_prep`.
///
/// # Errors
///
/// `EINVAL` for `rw_flags`/`splice_fd_in`, a zero `len` or ids past 65535; `E2BIG` for no
/// buffers, more than 65536 or a first id above 65535; `EOVERFLOW` when the area wraps;
/// `EFAULT` when it is not a user range (`access_ok`).
pub fn io_provide_buffers_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    if sqe32(sqe, sqe_off::OP_FLAGS) != 0 || sqe32(sqe, sqe_off::SPLICE_FD_IN) != 0 {
        return Err(EINVAL);
    }
    let nbufs = sqe32(sqe, sqe_off::FD);
    if nbufs == 0 || nbufs > MAX_BIDS_PER_BGID {
        return Err(E2BIG);
    }
    let addr = sqe64(sqe, sqe_off::ADDR);
    let len = sqe32(sqe, sqe_off::LEN);
    if len == 0 {
        return Err(EINVAL);
    }
    let size = u64::from(len) * u64::from(nbufs);
    let end = addr.checked_add(size).ok_or(EOVERFLOW)?;
    if end > super::rw::TASK_SIZE_MAX {
        return Err(EFAULT);
    }
    let bid = sqe64(sqe, sqe_off::OFF);
    if bid > u64::from(u16::MAX) {
        return Err(E2BIG);
    }
    if bid + u64::from(nbufs) > u64::from(MAX_BIDS_PER_BGID) {
        return Err(EINVAL);
    }
    let r = live!(s.req_mut(req));
    r.op.nbufs = nbufs;
    r.op.addr = addr;
    r.op.len = len;
    r.op.bid = bid as u16;
    r.op.buf_group = sqe16(sqe, sqe_off::BUF_INDEX);
    Ok(())
}

/// `io_remove_buffers_prep`.
///
/// # Errors
///
/// `EINVAL` for any of `rw_flags`, `addr`, `len`, `off`, `splice_fd_in`, or a count of 0 or
/// above 65536.
pub fn io_remove_buffers_prep(s: &mut Sim, req: Req, sqe: &[u8]) -> Result<(), i32> {
    if sqe32(sqe, sqe_off::OP_FLAGS) != 0
        || sqe64(sqe, sqe_off::ADDR) != 0
        || sqe32(sqe, sqe_off::LEN) != 0
        || sqe64(sqe, sqe_off::OFF) != 0
        || sqe32(sqe, sqe_off::SPLICE_FD_IN) != 0
    {
        return Err(EINVAL);
    }
    let nbufs = sqe32(sqe, sqe_off::FD);
    if nbufs == 0 || nbufs > MAX_BIDS_PER_BGID {
        return Err(EINVAL);
    }
    let r = live!(s.req_mut(req));
    r.op.nbufs = nbufs;
    r.op.buf_group = sqe16(sqe, sqe_off::BUF_INDEX);
    Ok(())
}

/// `io_buffer_get_list`: the group's position in the ring's table.
fn list_pos(s: &Sim, ring: u32, bgid: u16) -> Option<usize> {
    s.ring(ring)?
        .ops
        .buf_lists
        .iter()
        .position(|l| l.bgid == bgid)
}

/// `io_manage_buffers_legacy` for PROVIDE_BUFFERS (`io_add_buffers`: each buffer at the next
/// `len` bytes, ids counting up, appended to the group, created if new) and REMOVE_BUFFERS
/// (`io_remove_buffers_legacy`: up to `nbufs` from the front; the answer is how many).
pub fn io_manage_buffers_legacy(s: &mut Sim, req: Req) -> i32 {
    let ring = req.ring;
    let (op, o, serial, ud) = {
        let r = live!(s.req(req));
        (r.opcode, r.op, r.serial, r.user_data)
    };
    let provide = op == crate::uapi::io_uring::IORING_OP_PROVIDE_BUFFERS;
    let is_ring = list_pos(s, ring, o.buf_group).map_or(false, |p| {
        live!(s.ring(ring)).ops.buf_lists[p].ring.is_some()
    });
    let ret: i32 = match list_pos(s, ring, o.buf_group) {
        None if !provide => -ENOENT,
        // `__io_manage_buffers_legacy`: not on a registered ring's group.
        Some(_) if is_ring => -EINVAL,
        pos => {
            let pos = match pos {
                Some(p) => p,
                None => {
                    let lists = &mut live!(s.ring_mut(ring)).ops.buf_lists;
                    lists.push(BufList {
                        bgid: o.buf_group,
                        bufs: Default::default(),
                        ring: None,
                    });
                    lists.len() - 1
                }
            };
            let list = &mut live!(s.ring_mut(ring)).ops.buf_lists[pos];
            if provide {
                for i in 0..o.nbufs {
                    list.bufs.push_back(Kbuf {
                        addr: o.addr + u64::from(i) * u64::from(o.len),
                        len: o.len.min(super::rw::MAX_RW_COUNT),
                        bid: (u32::from(o.bid) + i) as u16,
                        bgid: o.buf_group,
                        ring: false,
                    });
                }
                0
            } else {
                let n = (o.nbufs as usize).min(list.bufs.len());
                list.bufs.drain(..n);
                n as i32
            }
        }
    };
    s.emit(
        Event::sim_kbuf_manage,
        ring,
        serial,
        ud,
        ret as i64,
        i64::from(o.buf_group) | i64::from(provide) << 32,
    );
    if ret < 0 {
        req_set_fail(s, req);
    }
    io_req_set_res(s, req, ret, 0);
    0
}

/// Whether a request must pick a provided buffer before its I/O (`io_do_buffer_select`):
/// `IOSQE_BUFFER_SELECT` and none selected yet.
pub fn io_do_buffer_select(s: &Sim, req: Req) -> bool {
    let f = live!(s.req(req)).flags;
    f & REQ_F_BUFFER_SELECT != 0 && f & REQ_F_BUFFER_SELECTED == 0
}

/// `io_buffer_select` → `io_provided_buffer_select`: takes the first buffer of the request's
/// group; `len` 0 or larger than the buffer becomes the buffer's length. `None` when the group
/// does not exist or is empty (the caller answers `-ENOBUFS`).
pub fn io_buffer_select(s: &mut Sim, req: Req, len: u32) -> Option<(u64, u32)> {
    let ring = req.ring;
    let (bgid, serial, ud) = {
        let r = live!(s.req(req));
        (r.op.buf_group, r.serial, r.user_data)
    };
    let pos = list_pos(s, ring, bgid)?;
    let kbuf = match live!(s.ring(ring)).ops.buf_lists[pos].ring {
        Some(br) => io_ring_buffer_select(s, br, bgid)?,
        None => live!(s.ring_mut(ring)).ops.buf_lists[pos]
            .bufs
            .pop_front()?,
    };
    let len = if len == 0 || len > kbuf.len {
        kbuf.len
    } else {
        len
    };
    {
        let r = live!(s.req_mut(req));
        r.flags |= REQ_F_BUFFER_SELECTED;
        r.op.kbuf = Some(kbuf);
    }
    s.emit(
        Event::sim_kbuf_select,
        ring,
        serial,
        ud,
        i64::from(bgid),
        i64::from(kbuf.bid),
    );
    Some((kbuf.addr, len))
}

/// `io_kbuf_recycle` → `io_kbuf_recycle_legacy`: a selected buffer that got no data goes back
/// to the front of its group (`list_add`), to be selected first again.
pub fn io_kbuf_recycle(s: &mut Sim, req: Req) {
    let ring = req.ring;
    let kbuf = {
        let r = live!(s.req_mut(req));
        if r.flags & REQ_F_BUFFER_SELECTED == 0 {
            return;
        }
        r.flags &= !REQ_F_BUFFER_SELECTED;
        r.op.kbuf.take()
    };
    let kbuf = match kbuf {
        Some(k) => k,
        None => return,
    };
    if kbuf.ring {
        // `io_kbuf_recycle_ring`: the head was not moved, so the entry is simply taken again.
        return;
    }
    let pos = match list_pos(s, ring, kbuf.bgid) {
        Some(p) => p,
        None => {
            let lists = &mut live!(s.ring_mut(ring)).ops.buf_lists;
            lists.push(BufList {
                bgid: kbuf.bgid,
                bufs: Default::default(),
                ring: None,
            });
            lists.len() - 1
        }
    };
    live!(s.ring_mut(ring)).ops.buf_lists[pos]
        .bufs
        .push_front(kbuf);
    let (serial, ud) = {
        let r = live!(s.req(req));
        (r.serial, r.user_data)
    };
    s.emit(
        Event::sim_kbuf_recycle,
        ring,
        serial,
        ud,
        i64::from(kbuf.bgid),
        i64::from(kbuf.bid),
    );
}

/// `io_put_kbuf`: the request gives up its selected buffer for good (`io_kbuf_drop_legacy`)
/// and its CQE flags name it: `IORING_CQE_F_BUFFER | bid << IORING_CQE_BUFFER_SHIFT`; 0 when
/// it holds none.
pub fn io_put_kbuf(s: &mut Sim, req: Req) -> u32 {
    let ring = req.ring;
    let r = live!(s.req_mut(req));
    if r.flags & REQ_F_BUFFER_SELECTED == 0 {
        return 0;
    }
    r.flags &= !REQ_F_BUFFER_SELECTED;
    let k = match r.op.kbuf.take() {
        Some(k) => k,
        None => return 0,
    };
    if k.ring {
        // `io_kbuf_commit`: the entry is consumed, the head moves on.
        if let Some(p) = list_pos(s, ring, k.bgid) {
            if let Some(br) = live!(s.ring_mut(ring)).ops.buf_lists[p].ring.as_mut() {
                br.head = br.head.wrapping_add(1);
            }
        }
    }
    IORING_CQE_F_BUFFER | u32::from(k.bid) << 16
}

/// `io_ring_buffer_select`: the entry at the head, if the program's tail (read with a
/// load-acquire from the ring's first entry) is past it.
fn io_ring_buffer_select(s: &Sim, br: BufRing, bgid: u16) -> Option<Kbuf> {
    let mut t = [0u8; 2];
    s.linux.user.copy_from_user(&mut t, br.addr + 14).ok()?;
    let tail = u16::from_le_bytes(t);
    if tail == br.head {
        return None;
    }
    let e = br.addr + 16 * u64::from(u32::from(br.head) & (br.entries - 1));
    let mut b = [0u8; 16];
    s.linux.user.copy_from_user(&mut b, e).ok()?;
    Some(Kbuf {
        addr: u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        len: u32::from_le_bytes([b[8], b[9], b[10], b[11]]),
        bid: u16::from_le_bytes([b[12], b[13]]),
        bgid,
        ring: true,
    })
}

/// `IOU_PBUF_RING_MMAP`: the kernel allocates the ring (mapped by the program with `mmap`).
pub const IOU_PBUF_RING_MMAP: u16 = 1;
/// `IOU_PBUF_RING_INC`: buffers consumed incrementally.
pub const IOU_PBUF_RING_INC: u16 = 2;
/// `PAGE_SIZE`.
const PAGE_SIZE: u64 = 4096;

/// Reads a `struct io_uring_buf_reg` (40 bytes): `ring_addr`, `ring_entries`, `bgid`, `flags`,
/// and whether `resv[3]` is all zero.
fn read_buf_reg(s: &Sim, arg: u64) -> Result<(u64, u32, u16, u16, bool), i32> {
    let mut b = [0u8; 40];
    s.linux.user.copy_from_user(&mut b, arg)?;
    let addr = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    let entries = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
    let bgid = u16::from_le_bytes([b[12], b[13]]);
    let flags = u16::from_le_bytes([b[14], b[15]]);
    let resv_zero = b[16..].iter().all(|&x| x == 0);
    Ok((addr, entries, bgid, flags, resv_zero))
}

/// `io_register_pbuf_ring`: registers the ring at `reg.ring_addr` for group `reg.bgid`.
///
/// Errors as the kernel checks them: `EFAULT` (the argument), `EINVAL` (`resv`, unknown flags,
/// entries not a power of two or 65536 and more, a ring address that is not page-aligned),
/// `EEXIST` (the group has a ring or classic buffers), `EFAULT` (ring memory not mapped,
/// `io_create_region` pinning it); [`ENOTMODELLED`] for the MMAP and INC flags.
pub fn io_register_pbuf_ring(s: &mut Sim, ring: u32, arg: u64) -> i32 {
    let (addr, entries, bgid, flags, resv_zero) = match read_buf_reg(s, arg) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    if !resv_zero || flags & !(IOU_PBUF_RING_MMAP | IOU_PBUF_RING_INC) != 0 {
        return -EINVAL;
    }
    if !entries.is_power_of_two() || entries >= 65536 {
        return -EINVAL;
    }
    if let Some(p) = list_pos(s, ring, bgid) {
        let l = &live!(s.ring(ring)).ops.buf_lists[p];
        if l.ring.is_some() || !l.bufs.is_empty() {
            return -EEXIST;
        }
    }
    if flags != 0 {
        return -ENOTMODELLED;
    }
    // `io_create_region`: user memory must be page-aligned and mapped.
    if addr & (PAGE_SIZE - 1) != 0 {
        return -EINVAL;
    }
    if addr == 0
        || !s
            .linux
            .user
            .access_ok(addr, (u64::from(entries) * 16) as usize)
    {
        return -EFAULT;
    }
    let lists = &mut live!(s.ring_mut(ring)).ops.buf_lists;
    lists.retain(|l| l.bgid != bgid);
    lists.push(BufList {
        bgid,
        bufs: Default::default(),
        ring: Some(BufRing {
            addr,
            entries,
            head: 0,
        }),
    });
    s.emit(
        Event::sim_kbuf_ring,
        ring,
        0,
        0,
        i64::from(bgid),
        i64::from(entries),
    );
    0
}

/// `io_unregister_pbuf_ring`.
///
/// Errors: `EFAULT` (the argument), `EINVAL` (`resv` or flags set, a group without a ring),
/// `ENOENT` (no such group).
pub fn io_unregister_pbuf_ring(s: &mut Sim, ring: u32, arg: u64) -> i32 {
    let (_, _, bgid, flags, resv_zero) = match read_buf_reg(s, arg) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    if !resv_zero || flags != 0 {
        return -EINVAL;
    }
    let p = match list_pos(s, ring, bgid) {
        Some(p) => p,
        None => return -ENOENT,
    };
    if live!(s.ring(ring)).ops.buf_lists[p].ring.is_none() {
        return -EINVAL;
    }
    live!(s.ring_mut(ring)).ops.buf_lists.remove(p);
    s.emit(Event::sim_kbuf_ring, ring, 0, 0, i64::from(bgid), 0);
    0
}
