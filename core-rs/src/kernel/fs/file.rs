//! Files and file descriptors.
//!
//! Mirrors: `rust/kernel/fs/file.rs` (`File`, `File::from_raw_file`, `File::as_ptr`).
//!
//! Differences from upstream: no refcounting types (`ARef<File>`, `LocalFile`, `fget`); drivers
//! only ever see the `&File` a callback hands them.

use crate::bindings;
use crate::kernel::types::Opaque;

/// A file: a borrowed view of a `struct file`.
///
/// # Invariants
///
/// `inner` is a live `struct file` whose reference count is held by whoever lent the `&File`
/// (the VFS during a file operation, a request while it is in flight).
#[repr(transparent)]
pub struct File {
    inner: Opaque<bindings::file>,
}

impl File {
    /// Creates a reference to a [`File`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `ptr` points to a live `struct file` whose reference count
    /// stays positive for `'a`.
    pub unsafe fn from_raw_file<'a>(ptr: *const bindings::file) -> &'a File {
        // SAFETY: `File` is `repr(transparent)` over `Opaque<file>`, itself transparent over
        // `file`; the caller guarantees the file is live for `'a`.
        unsafe { &*ptr.cast() }
    }

    /// Returns a raw pointer to the inner C struct.
    pub fn as_ptr(&self) -> *mut bindings::file {
        self.inner.get()
    }
}
