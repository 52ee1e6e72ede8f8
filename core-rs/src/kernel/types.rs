//! Kernel types the abstractions share: `Opaque` and `ForeignOwnable`.
//!
//! Mirrors: `rust/kernel/types.rs` (`Opaque`, `ForeignOwnable`) and its `Box` implementation in
//! `rust/kernel/alloc/kbox.rs`.
//!
//! Differences from upstream: `ForeignOwnable::Borrowed<'a>` is a generic associated type, which
//! Rust 1.63 lacks. Here the borrowed form is always `&'a Self::Target` (what `KBox<T>` borrows
//! as upstream), and only `Box<T>` implements the trait; `MiscDevice` therefore fixes
//! `type Ptr = Box<Self>` and takes `device: &Self`.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::marker::PhantomPinned;
use core::mem::MaybeUninit;

/// Stores an opaque value: a C object Rust code must not assume anything about.
///
/// The value may be uninitialised, may change while a `&Opaque<T>` exists (C owns it), and is
/// `!Unpin` because C may hold pointers to it.
#[repr(transparent)]
pub struct Opaque<T> {
    value: UnsafeCell<MaybeUninit<T>>,
    _pin: PhantomPinned,
}

impl<T> Opaque<T> {
    /// Creates a new opaque value.
    pub const fn new(value: T) -> Self {
        Self {
            value: UnsafeCell::new(MaybeUninit::new(value)),
            _pin: PhantomPinned,
        }
    }

    /// Creates an uninitialised value.
    pub const fn uninit() -> Self {
        Self {
            value: UnsafeCell::new(MaybeUninit::uninit()),
            _pin: PhantomPinned,
        }
    }

    /// Returns a raw pointer to the opaque data.
    pub const fn get(&self) -> *mut T {
        UnsafeCell::get(&self.value).cast::<T>()
    }

    /// Gets the raw pointer of an `Opaque<T>` behind a raw pointer, without creating a reference.
    pub const fn raw_get(this: *const Self) -> *mut T {
        // CAST: `Opaque<T>` is `repr(transparent)` over `UnsafeCell<MaybeUninit<T>>`, which has
        // the layout of `T`.
        this as *mut T
    }
}

/// Types that can be handed to C as a raw pointer and taken back later.
///
/// # Safety
///
/// Implementers must ensure that `into_foreign` returns a pointer that `from_foreign` and
/// `borrow` accept, and that `from_foreign` takes back ownership exactly once.
pub unsafe trait ForeignOwnable: Sized {
    /// What a borrow of the foreign pointer yields a shared reference to.
    type Target;

    /// Converts the value into a raw pointer C can store (`file->private_data`).
    fn into_foreign(self) -> *mut c_void;

    /// Takes back ownership of a value given to C.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `ptr` came from [`ForeignOwnable::into_foreign`] and that
    /// this is the only `from_foreign` call for it.
    unsafe fn from_foreign(ptr: *mut c_void) -> Self;

    /// Borrows a value given to C, for the duration of a call.
    ///
    /// # Safety
    ///
    /// The caller must ensure that `ptr` came from [`ForeignOwnable::into_foreign`] and that
    /// `from_foreign` is not called for it while the borrow lives.
    unsafe fn borrow<'a>(ptr: *mut c_void) -> &'a Self::Target;
}

// SAFETY: `into_foreign` leaks the box and `from_foreign` rebuilds it from the same pointer.
unsafe impl<T: 'static> ForeignOwnable for Box<T> {
    type Target = T;

    fn into_foreign(self) -> *mut c_void {
        Box::into_raw(self).cast()
    }

    unsafe fn from_foreign(ptr: *mut c_void) -> Self {
        // SAFETY: the caller guarantees `ptr` came from `into_foreign`, i.e. `Box::into_raw`.
        unsafe { Box::from_raw(ptr.cast()) }
    }

    unsafe fn borrow<'a>(ptr: *mut c_void) -> &'a T {
        // SAFETY: the caller guarantees `ptr` is a live leaked box not taken back meanwhile.
        unsafe { &*ptr.cast::<T>() }
    }
}
