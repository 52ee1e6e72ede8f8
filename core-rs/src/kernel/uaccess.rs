//! Slices to user space memory regions.
//!
//! Mirrors: `rust/kernel/uaccess.rs` (`UserPtr`, `UserSlice`, `UserSliceReader`,
//! `UserSliceWriter`) over `include/linux/uaccess.h`.
//!
//! User memory is the simulator's user arena ([`crate::linux::uaccess::UserMem`]): every
//! address outside it is a bad address and yields [`EFAULT`], as an unmapped address does in
//! the kernel. Reads and writes are `#[track_caller]` so the trace points at the driver line.
//!
//! Differences from upstream: no `read_all` (it needs the kernel allocator API).

use core::ffi::c_void;
use core::mem::{size_of, MaybeUninit};
use core::panic::Location;

use crate::bindings;
use crate::kernel::error::code::EFAULT;
use crate::kernel::error::Result;
use crate::kernel::transmute::{AsBytes, FromBytes};

/// A pointer into userspace memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub struct UserPtr(usize);

impl UserPtr {
    /// Creates a user pointer from an address.
    pub fn from_addr(addr: usize) -> Self {
        UserPtr(addr)
    }

    /// Returns the address.
    pub fn addr(self) -> usize {
        self.0
    }
}

/// A region of userspace memory, to be read or written once.
///
/// Creating a reader or writer consumes the slice, so there are no two readers of the same
/// bytes (which would invite time-of-check-to-time-of-use bugs).
pub struct UserSlice {
    ptr: UserPtr,
    length: usize,
}

impl UserSlice {
    /// Creates a user slice; no check happens until bytes are read or written.
    pub fn new(ptr: UserPtr, length: usize) -> Self {
        UserSlice { ptr, length }
    }

    /// Creates a reader.
    pub fn reader(self) -> UserSliceReader {
        UserSliceReader {
            ptr: self.ptr.0,
            length: self.length,
        }
    }

    /// Creates a writer.
    pub fn writer(self) -> UserSliceWriter {
        UserSliceWriter {
            ptr: self.ptr.0,
            length: self.length,
        }
    }

    /// Creates a reader and a writer for the same region.
    pub fn reader_writer(self) -> (UserSliceReader, UserSliceWriter) {
        (
            UserSliceReader {
                ptr: self.ptr.0,
                length: self.length,
            },
            UserSliceWriter {
                ptr: self.ptr.0,
                length: self.length,
            },
        )
    }
}

/// Reads a [`UserSlice`] front to back.
pub struct UserSliceReader {
    ptr: usize,
    length: usize,
}

impl UserSliceReader {
    /// Skips `num_skip` bytes.
    ///
    /// # Errors
    ///
    /// [`EFAULT`] if that is more than what is left.
    pub fn skip(&mut self, num_skip: usize) -> Result {
        self.length = self.length.checked_sub(num_skip).ok_or(EFAULT)?;
        self.ptr = self.ptr.wrapping_add(num_skip);
        Ok(())
    }

    /// Creates a reader of the same remaining bytes (reading it does not advance this one).
    pub fn clone_reader(&self) -> UserSliceReader {
        UserSliceReader {
            ptr: self.ptr,
            length: self.length,
        }
    }

    /// Returns how many bytes are left.
    pub fn len(&self) -> usize {
        self.length
    }

    /// Returns whether nothing is left.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Reads raw bytes into `out`.
    ///
    /// # Errors
    ///
    /// [`EFAULT`] on a bad address or when `out` is longer than what is left.
    ///
    /// # Guarantees
    ///
    /// After a successful call, all bytes in `out` are initialised.
    #[track_caller]
    pub fn read_raw(&mut self, out: &mut [MaybeUninit<u8>]) -> Result {
        bindings::sim::set_src(Location::caller());
        let len = out.len();
        if len > self.length {
            return Err(EFAULT);
        }
        // SAFETY: `out` is valid for writes of `len` bytes.
        let res = unsafe {
            bindings::copy_from_user(
                out.as_mut_ptr().cast::<c_void>(),
                self.ptr as *const c_void,
                len,
            )
        };
        if res != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_add(len);
        self.length -= len;
        Ok(())
    }

    /// Reads raw bytes into `out`.
    ///
    /// # Errors
    ///
    /// [`EFAULT`] on a bad address or when `out` is longer than what is left.
    #[track_caller]
    pub fn read_slice(&mut self, out: &mut [u8]) -> Result {
        // SAFETY: `[u8]` and `[MaybeUninit<u8>]` have the same layout, and `read_raw` never
        // writes uninitialised bytes.
        let out = unsafe { &mut *(out as *mut [u8] as *mut [MaybeUninit<u8>]) };
        self.read_raw(out)
    }

    /// Reads a value of type `T`.
    ///
    /// # Errors
    ///
    /// [`EFAULT`] on a bad address or when `T` is longer than what is left.
    #[track_caller]
    pub fn read<T: FromBytes>(&mut self) -> Result<T> {
        bindings::sim::set_src(Location::caller());
        let len = size_of::<T>();
        if len > self.length {
            return Err(EFAULT);
        }
        let mut out: MaybeUninit<T> = MaybeUninit::uninit();
        // SAFETY: `out` is valid for writes of `size_of::<T>()` bytes.
        let res = unsafe {
            bindings::copy_from_user(
                out.as_mut_ptr().cast::<c_void>(),
                self.ptr as *const c_void,
                len,
            )
        };
        if res != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_add(len);
        self.length -= len;
        // SAFETY: the copy initialised every byte, and any bit pattern is a valid `T`.
        Ok(unsafe { out.assume_init() })
    }
}

/// Writes a [`UserSlice`] front to back.
pub struct UserSliceWriter {
    ptr: usize,
    length: usize,
}

impl UserSliceWriter {
    /// Returns how much room is left.
    pub fn len(&self) -> usize {
        self.length
    }

    /// Returns whether no room is left.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Writes raw bytes.
    ///
    /// # Errors
    ///
    /// [`EFAULT`] on a bad address or when `data` is longer than the room left.
    #[track_caller]
    pub fn write_slice(&mut self, data: &[u8]) -> Result {
        bindings::sim::set_src(Location::caller());
        let len = data.len();
        if len > self.length {
            return Err(EFAULT);
        }
        // SAFETY: `data` is valid for reads of `len` bytes.
        let res = unsafe {
            bindings::copy_to_user(self.ptr as *mut c_void, data.as_ptr().cast::<c_void>(), len)
        };
        if res != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_add(len);
        self.length -= len;
        Ok(())
    }

    /// Writes a value of type `T`.
    ///
    /// # Errors
    ///
    /// [`EFAULT`] on a bad address or when `T` is longer than the room left.
    #[track_caller]
    pub fn write<T: AsBytes>(&mut self, value: &T) -> Result {
        bindings::sim::set_src(Location::caller());
        let len = size_of::<T>();
        if len > self.length {
            return Err(EFAULT);
        }
        // SAFETY: `value` is valid for reads of `size_of::<T>()` bytes, all initialised.
        let res = unsafe {
            bindings::copy_to_user(
                self.ptr as *mut c_void,
                (value as *const T).cast::<c_void>(),
                len,
            )
        };
        if res != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_add(len);
        self.length -= len;
        Ok(())
    }
}
