//! Simulated user memory: the only addresses `copy_to_user`/`copy_from_user` accept.
//!
//! Mirrors: `include/linux/uaccess.h` (`access_ok`, `copy_{to,from}_user` returning the
//! number of bytes not copied, `-EFAULT` to callers).
//!
//! Userspace (TypeScript) writes this arena directly; its addresses are real addresses in the
//! simulator's memory, so a user pointer in an SQE is a plain number both sides agree on.

pub use crate::include::linux::UserMem;
use crate::trace::Prov;
use crate::uapi::errno::{EINVAL, ENAMETOOLONG};

impl UserMem {
    /// Allocates `len` zeroed bytes of user memory.
    pub fn new(len: usize) -> UserMem {
        UserMem {
            buf: vec![0; len],
            prov: vec![Prov::Fresh; len],
            src: vec![0; len],
        }
    }

    /// Returns the arena's base address.
    pub fn base(&self) -> usize {
        self.buf.as_ptr() as usize
    }

    /// Returns the arena's size.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Returns whether the arena is empty.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    fn range(&self, addr: u64, len: usize) -> Option<usize> {
        let base = self.base() as u64;
        if addr < base {
            return None;
        }
        let off = (addr - base) as usize;
        if off.checked_add(len)? <= self.buf.len() {
            Some(off)
        } else {
            None
        }
    }

    /// `access_ok`: whether `addr..addr+len` is user memory.
    pub fn access_ok(&self, addr: u64, len: usize) -> bool {
        self.range(addr, len).is_some()
    }

    /// `copy_from_user`.
    ///
    /// # Errors
    ///
    /// Returns `EFAULT` if the range is not user memory.
    pub fn copy_from_user(&self, out: &mut [u8], addr: u64) -> Result<(), i32> {
        let off = self
            .range(addr, out.len())
            .ok_or(crate::uapi::errno::EFAULT)?;
        // Userspace (JS) may have written these bytes between calls; volatile reads keep the
        // compiler from assuming the buffer did not change behind Rust's back.
        for (i, b) in out.iter_mut().enumerate() {
            // SAFETY: `range` checked that `off..off + out.len()` lies inside `self.buf`.
            *b = unsafe { core::ptr::read_volatile(self.buf.as_ptr().add(off + i)) };
        }
        Ok(())
    }

    /// `copy_to_user`; records the writer for the UI.
    ///
    /// # Errors
    ///
    /// Returns `EFAULT` if the range is not user memory.
    pub fn copy_to_user(&mut self, addr: u64, data: &[u8], src: u32) -> Result<(), i32> {
        self.copy_to_user_as(addr, data, Prov::Driver, src)
    }

    /// `copy_to_user` by a given writer (`Prov::Core` for io_uring's own reads into user
    /// buffers, with the request serial as `src`).
    ///
    /// # Errors
    ///
    /// Returns `EFAULT` if the range is not user memory.
    pub fn copy_to_user_as(
        &mut self,
        addr: u64,
        data: &[u8],
        prov: Prov,
        src: u32,
    ) -> Result<(), i32> {
        let off = self
            .range(addr, data.len())
            .ok_or(crate::uapi::errno::EFAULT)?;
        self.buf[off..off + data.len()].copy_from_slice(data);
        for i in off..off + data.len() {
            self.prov[i] = prov;
            self.src[i] = src;
        }
        Ok(())
    }

    /// Marks bytes as written by userspace (called by the userspace side after it writes).
    pub fn mark_user(&mut self, addr: u64, len: usize) {
        if let Some(off) = self.range(addr, len) {
            for p in &mut self.prov[off..off + len] {
                *p = Prov::User;
            }
            for s in &mut self.src[off..off + len] {
                *s = 0;
            }
        }
    }

    /// Returns the provenance array (one entry per byte).
    pub fn prov(&self) -> &[Prov] {
        &self.prov
    }

    /// Returns the source array: the `file << 16 | line` of the last kernel writer per byte.
    pub fn src(&self) -> &[u32] {
        &self.src
    }
}

/// `PATH_MAX`: the longest path a system call accepts.
pub const PATH_MAX: u32 = 4096;

/// Copies a path of `len` bytes (not NUL-terminated: the ABI passes its length) from user
/// address `addr`. `-ENAMETOOLONG` beyond [`PATH_MAX`], `-EFAULT` outside user memory (as
/// positive errnos, like the other uaccess helpers).
///
/// Mirrors `fs/namei.c:getname` (`strncpy_from_user` bounded by `PATH_MAX`).
pub fn getname(mem: &UserMem, addr: u64, len: u32) -> Result<Vec<u8>, i32> {
    if len > PATH_MAX {
        return Err(ENAMETOOLONG);
    }
    let mut b = vec![0u8; len as usize];
    mem.copy_from_user(&mut b, addr)?;
    Ok(b)
}

/// Copies a UTF-8 name of `len` bytes (1..=`max`) from user address `addr`: `EINVAL` for an
/// empty, too long or non-UTF-8 name, `EFAULT` outside user memory (positive errnos).
///
/// Mirrors `mm/util.c:strndup_user`, which bounds the copy the same way (there by a NUL).
pub fn strndup_user(mem: &UserMem, addr: u64, len: u32, max: u32) -> Result<String, i32> {
    if len == 0 || len > max {
        return Err(EINVAL);
    }
    let mut buf = vec![0u8; len as usize];
    mem.copy_from_user(&mut buf, addr)?;
    String::from_utf8(buf).map_err(|_| EINVAL)
}
