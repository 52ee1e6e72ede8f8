//! Traits for types that may be turned into and built from raw bytes.
//!
//! Mirrors: `rust/kernel/transmute.rs` (`FromBytes`, `AsBytes`).

/// Types for which any bit pattern is a valid value.
///
/// # Safety
///
/// Implementers must ensure that every bit pattern of `size_of::<Self>()` bytes is a valid
/// value of the type (no padding-dependent invariants, no references, no enums with holes).
pub unsafe trait FromBytes {}

/// Types whose bytes are all initialised (no padding), so they may be copied out as bytes.
///
/// # Safety
///
/// Implementers must ensure that values of the type contain no uninitialised bytes.
pub unsafe trait AsBytes {}

macro_rules! impl_both {
    ($($t:ty),*) => {
        $(
            // SAFETY: every bit pattern is a valid integer, and integers have no padding.
            unsafe impl FromBytes for $t {}
            // SAFETY: as above.
            unsafe impl AsBytes for $t {}
        )*
    };
}

impl_both!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

// SAFETY: an array of `FromBytes` elements has no other invariant.
unsafe impl<T: FromBytes, const N: usize> FromBytes for [T; N] {}
// SAFETY: arrays have no padding between elements of a padding-free type.
unsafe impl<T: AsBytes, const N: usize> AsBytes for [T; N] {}
