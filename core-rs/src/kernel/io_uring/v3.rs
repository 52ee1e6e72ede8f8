//! Abstractions for io_uring commands, as of RFC v3 (the seed of this project).
//!
//! Mirrors: `rust/kernel/io_uring.rs` of "[RFC PATCH v3 3/5] rust: io_uring: introduce rust
//! abstraction for io-uring cmd" (Sidong Yang, 2025-08-22; not merged), over
//! `include/linux/io_uring/cmd.h` of that time (≈ v6.17, where `io_uring_cmd_done` takes
//! `res2`). The next generation is [`super`] (v5).
//!
//! The code keeps v3's shape on purpose, including what the review found wrong, so the
//! simulator can show each problem as behaviour:
//!
//! - [`IoUringCmd::done`] takes `self: Pin<&mut Self>`, so one command can be completed twice,
//!   and nothing ties the number of `done` calls to `uring_cmd`'s return value (Caleb Sander
//!   Mateos: completing must consume the command; `done` is only allowed after
//!   `-EIOCBQUEUED`). Scenario `hazard-double-done`; sanitizer `sanitizer_double_done`.
//! - `done` takes any `issue_flags`; they are not coupled to the command or to the context the
//!   core handed them to (Caleb: they must be exactly what `uring_cmd` or the task_work
//!   callback got; he suggested a type pairing both). Sanitizers `sanitizer_done_bad_flags`,
//!   `sanitizer_done_unlocked`.
//! - `uring_cmd` borrows the command (`Pin<&mut IoUringCmd>`), so an asynchronous driver can
//!   only keep it past the call through the public `unsafe fn from_raw` and a raw pointer
//!   (Caleb: ownership must move to the driver; Daniel Almeida: `from_raw` should not be
//!   `pub`). Scenario `hazard-sqe-after-issue` does exactly that.
//! - [`IoUringSqe::cmd_data`] checks the opcode with a plain read and reads the command area
//!   with `read_unaligned`, not volatile (Caleb: the SQE is user-mapped, so like C's
//!   `READ_ONCE` the reads must be volatile; and the opcode check guarantees nothing about the
//!   `cmd` bytes). The `sim_sqe_read` records carry `volatile = 0` for these reads.
//! - [`IoUringCmd::read_pdu`] makes a `&mut` to the command from `&self` (Daniel: take
//!   `&mut self` instead). Not observable in a single-threaded simulator; kept as written.
//! - `read_pdu`/`write_pdu` copy through `*const c_void`. Benno Lossin said that `c_void` is a
//!   zero-sized type so `copy_nonoverlapping::<c_void>(src, dst, len)` copies nothing. In fact
//!   `kernel::ffi::c_void` is `core::ffi::c_void`, a `#[repr(u8)]` enum of size 1, so the count
//!   is in bytes and the copy is complete: `len` bytes move. The mirror copies exactly as the
//!   seed does and the unit tests pin `size_of::<c_void>() == 1` and a full round trip; the
//!   review point that a byte pointer type would be clearer stands (v5 uses `cast::<u8>()`).
//! - `write_pdu` takes `&mut self`, but drivers get a `Pin<&mut IoUringCmd>` and `IoUringCmd`
//!   is `!Unpin` (it wraps `Opaque`), so safe driver code cannot call it at all: a v3 driver
//!   needs `unsafe { get_unchecked_mut() }` (the v3 sample never writes the PDU). Found while
//!   writing this mirror, not in the review.
//! - Oversized PDU types fail with `EFAULT` (Daniel suggested `EINVAL`, which v4/v5 adopted).
//!
//! The PDU bytes a v3 driver reads are whatever RFC patch 2/5 left there: zeroes with
//! [`crate::sim::Config::patch2_zero_pdu`], the previous request's bytes without it.

use core::ffi::c_void;
use core::mem::{size_of, MaybeUninit};
use core::panic::Location;
use core::pin::Pin;

use crate::bindings;
use crate::kernel::error::code::{EFAULT, EINVAL};
use crate::kernel::error::{from_result, Result};
use crate::kernel::fs::File;
use crate::kernel::transmute::{AsBytes, FromBytes};
use crate::kernel::types::Opaque;

/// io_uring opcodes.
pub mod opcode {
    use crate::bindings;

    /// The opcode of a uring_cmd.
    pub const URING_CMD: u32 = bindings::io_uring_op_IORING_OP_URING_CMD;
}

/// A command: a borrowed view of `struct io_uring_cmd`.
///
/// # Invariants
///
/// `inner` is a live `struct io_uring_cmd` (v3 states this as "always points to a valid, live
/// `bindings::io_uring_cmd`", which only holds until the command completes).
#[repr(transparent)]
pub struct IoUringCmd {
    inner: Opaque<bindings::io_uring_cmd>,
}

impl IoUringCmd {
    /// Returns the command's `cmd_op`.
    #[inline]
    pub fn cmd_op(&self) -> u32 {
        // SAFETY: `inner` is live by the type invariant.
        unsafe { (*self.inner.get()).cmd_op }
    }

    /// Returns the command's flags (`io_uring_cmd.flags`).
    #[inline]
    pub fn flags(&self) -> u32 {
        // SAFETY: `inner` is live by the type invariant.
        unsafe { (*self.inner.get()).flags }
    }

    /// Reads the PDU as a `T`.
    ///
    /// # Errors
    ///
    /// Returns [`EFAULT`] if `T` is bigger than the PDU.
    #[inline]
    #[track_caller]
    pub fn read_pdu<T: FromBytes>(&self) -> Result<T> {
        bindings::sim::set_src(Location::caller());
        // SAFETY: `inner` is live by the type invariant. (A `&mut` from `&self`, as in v3.)
        let inner = unsafe { &mut *self.inner.get() };

        let len = size_of::<T>();
        if len > inner.pdu.len() {
            // SAFETY: `inner` is live.
            unsafe { bindings::sim::pdu_too_big(self.inner.get(), len) };
            return Err(EFAULT);
        }
        // SAFETY: `inner` is live.
        unsafe { bindings::sim::pdu_read(self.inner.get(), 0, len) };

        let mut out: MaybeUninit<T> = MaybeUninit::uninit();
        let ptr = core::ptr::addr_of_mut!(inner.pdu) as *const c_void;

        // SAFETY:
        // * `ptr` points into the live command (type invariant), valid for `PDU_SIZE` bytes.
        // * `out` is valid for `size_of::<T>()` bytes and `len <= PDU_SIZE`.
        // * The count is in units of `c_void`, which is one byte (see the module docs).
        unsafe {
            core::ptr::copy_nonoverlapping(ptr, out.as_mut_ptr().cast::<c_void>(), len);
        }

        // SAFETY: the copy initialised all `len` bytes and `T: FromBytes`.
        Ok(unsafe { out.assume_init() })
    }

    /// Writes `value` into the PDU.
    ///
    /// # Errors
    ///
    /// Returns [`EFAULT`] if `T` is bigger than the PDU.
    #[inline]
    #[track_caller]
    pub fn write_pdu<T: AsBytes>(&mut self, value: &T) -> Result<()> {
        bindings::sim::set_src(Location::caller());
        // SAFETY: `inner` is live by the type invariant.
        let inner = unsafe { &mut *self.inner.get() };

        let len = size_of::<T>();
        if len > inner.pdu.len() {
            // SAFETY: `inner` is live.
            unsafe { bindings::sim::pdu_too_big(self.inner.get(), len) };
            return Err(EFAULT);
        }

        let src = (value as *const T).cast::<c_void>();
        let dst = core::ptr::addr_of_mut!(inner.pdu) as *mut c_void;

        // SAFETY:
        // * `src` is valid for `len` initialised bytes (`T: AsBytes`).
        // * `dst` points into the live command, valid for `PDU_SIZE >= len` bytes.
        // * The count is in units of `c_void`, which is one byte (see the module docs).
        unsafe {
            core::ptr::copy_nonoverlapping(src, dst, len);
        }
        // SAFETY: `inner` is live.
        unsafe { bindings::sim::pdu_write(self.inner.get(), 0, len) };

        Ok(())
    }

    /// Creates a pinned mutable reference to a command from a raw pointer.
    ///
    /// `pub` as in v3 (Daniel Almeida asked for `pub(crate)`); drivers that complete
    /// asynchronously have no other way to get the command back later.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `ptr` points to a live `struct io_uring_cmd` for `'a`, that
    /// no other reference to it is used during `'a`, and that it is not moved.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::io_uring_cmd) -> Pin<&'a mut IoUringCmd> {
        // SAFETY: `IoUringCmd` is transparent over the command; the caller guarantees
        // liveness, exclusivity and that the object does not move.
        unsafe { Pin::new_unchecked(&mut *ptr.cast()) }
    }

    /// Returns the file the command targets.
    #[inline]
    pub fn file(&self) -> &File {
        // SAFETY: `inner` is live by the type invariant.
        let file = unsafe { (*self.inner.get()).file };
        // SAFETY: the request holds a reference to its file while it is in flight.
        unsafe { File::from_raw_file(file) }
    }

    /// Returns the SQE the command was submitted with.
    #[inline]
    #[track_caller]
    pub fn sqe(&self) -> &IoUringSqe {
        bindings::sim::set_src(Location::caller());
        // SAFETY: `inner` is live by the type invariant.
        unsafe { bindings::sim::sqe_access(self.inner.get()) };
        // SAFETY: `inner` is live by the type invariant.
        let sqe = unsafe { (*self.inner.get()).sqe };
        // SAFETY: v3 assumes the pointer stays valid; it is readable simulator memory either
        // way (ring slot or async copy), which is what makes the hazard silent in C.
        unsafe { IoUringSqe::from_raw(sqe.cast()) }
    }

    /// Completes a command whose `uring_cmd` returned `-EIOCBQUEUED`.
    ///
    /// `ret` goes to userspace, `res2` to `big_cqe[0]` on a CQE32 ring; `issue_flags` should be
    /// "typically the same as those passed to the `uring_cmd` handler" (v3's words) — nothing
    /// checks it, and nothing stops a second call.
    #[inline]
    #[track_caller]
    pub fn done(self: Pin<&mut IoUringCmd>, ret: Result<i32>, res2: u64, issue_flags: u32) {
        bindings::sim::set_src(Location::caller());
        let ret = from_result(|| ret) as isize;
        // SAFETY: v3 relies on the caller: the command must still be in flight.
        unsafe {
            bindings::io_uring_cmd_done(self.inner.get(), ret, res2, issue_flags);
        }
    }
}

/// A submission queue entry, as v3 wraps it.
///
/// # Invariants
///
/// `inner` points to a live `struct io_uring_sqe`.
#[repr(transparent)]
pub struct IoUringSqe {
    inner: Opaque<bindings::io_uring_sqe>,
}

impl IoUringSqe {
    /// Reads the 16-byte `cmd` area as a `T`.
    ///
    /// Only the 64-byte SQE layout is handled (no SQE128).
    ///
    /// # Errors
    ///
    /// * [`EINVAL`] if the SQE's opcode is not `URING_CMD`.
    /// * [`EFAULT`] if `T` does not fit in the command area.
    #[track_caller]
    pub fn cmd_data<T: FromBytes>(&self) -> Result<T> {
        bindings::sim::set_src(Location::caller());
        // SAFETY: `inner` is live by the type invariant.
        let sqe = unsafe { &*self.inner.get() };

        // A plain (non-volatile) read of user-shared memory, as in v3.
        bindings::sim::sqe_read(0, 1, false);
        if u32::from(sqe.opcode) != opcode::URING_CMD {
            return Err(EINVAL);
        }

        let cmd_len = size_of::<u64>() * 2;
        if cmd_len < size_of::<T>() {
            return Err(EFAULT);
        }

        bindings::sim::sqe_read(48, size_of::<T>(), false);
        let cmd_ptr = core::ptr::addr_of!(sqe.addr3).cast::<T>();
        // SAFETY: `cmd_ptr` is the 16-byte command area of the live SQE (`addr3` and
        // `__pad2`), `T` fits, and any bit pattern is a valid `T`.
        let ret = unsafe { core::ptr::read_unaligned(cmd_ptr) };

        Ok(ret)
    }

    /// Creates a reference from a raw pointer (`pub` in v3).
    ///
    /// # Safety
    ///
    /// The caller must ensure that `ptr` points to a live `struct io_uring_sqe` for `'a`.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *const bindings::io_uring_sqe) -> &'a IoUringSqe {
        // SAFETY: transparent over the SQE; the caller guarantees liveness.
        unsafe { &*ptr.cast() }
    }
}

#[cfg(test)]
mod tests {
    use core::ffi::c_void;
    use core::mem::size_of;

    #[test]
    fn c_void_is_one_byte_so_the_v3_copy_moves_every_byte() {
        // `kernel::ffi::c_void` re-exports `core::ffi::c_void`: a `#[repr(u8)]` enum.
        assert_eq!(size_of::<c_void>(), 1);
        let src = [0x11u8, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
        let mut dst = [0u8; 32];
        // SAFETY: both buffers are valid for 8 bytes and do not overlap.
        unsafe {
            core::ptr::copy_nonoverlapping(
                src.as_ptr().cast::<c_void>(),
                dst.as_mut_ptr().cast::<c_void>(),
                src.len(),
            )
        };
        assert_eq!(&dst[..8], &src);
    }
}
