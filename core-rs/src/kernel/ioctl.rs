//! `ioctl()` number definitions.
//!
//! Mirrors: `rust/kernel/ioctl.rs` over `include/asm-generic/ioctl.h`. Also used for `cmd_op`
//! values of uring_cmds, "the same as for ioctls" as the review of the uring_cmd sample asked.

#![allow(non_snake_case)]

use crate::bindings;

/// Builds an ioctl number, like the C macro `_IOC`.
#[inline(always)]
const fn _IOC(dir: u32, ty: u32, nr: u32, size: usize) -> u32 {
    (dir << bindings::_IOC_DIRSHIFT)
        | (ty << bindings::_IOC_TYPESHIFT)
        | (nr << bindings::_IOC_NRSHIFT)
        | ((size as u32) << bindings::_IOC_SIZESHIFT)
}

/// An ioctl number with no parameters (`_IO`).
#[inline(always)]
pub const fn _IO(ty: u32, nr: u32) -> u32 {
    _IOC(bindings::_IOC_NONE, ty, nr, 0)
}

/// An ioctl number for reading data from the driver (`_IOR`): the driver *writes* `T`.
#[inline(always)]
pub const fn _IOR<T>(ty: u32, nr: u32) -> u32 {
    _IOC(bindings::_IOC_READ, ty, nr, core::mem::size_of::<T>())
}

/// An ioctl number for writing data to the driver (`_IOW`): the driver *reads* `T`.
#[inline(always)]
pub const fn _IOW<T>(ty: u32, nr: u32) -> u32 {
    _IOC(bindings::_IOC_WRITE, ty, nr, core::mem::size_of::<T>())
}

/// An ioctl number for reading and writing data (`_IOWR`).
#[inline(always)]
pub const fn _IOWR<T>(ty: u32, nr: u32) -> u32 {
    _IOC(
        bindings::_IOC_READ | bindings::_IOC_WRITE,
        ty,
        nr,
        core::mem::size_of::<T>(),
    )
}

/// Returns the direction bits of an ioctl number.
pub const fn _IOC_DIR(nr: u32) -> u32 {
    crate::uapi::ioctl::_IOC_DIR(nr)
}

/// Returns the type (the "magic" byte) of an ioctl number.
pub const fn _IOC_TYPE(nr: u32) -> u32 {
    crate::uapi::ioctl::_IOC_TYPE(nr)
}

/// Returns the sequence number of an ioctl number.
pub const fn _IOC_NR(nr: u32) -> u32 {
    crate::uapi::ioctl::_IOC_NR(nr)
}

/// Returns the argument size of an ioctl number.
pub const fn _IOC_SIZE(nr: u32) -> usize {
    crate::uapi::ioctl::_IOC_SIZE(nr) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_c_macros() {
        assert_eq!(_IOR::<i32>(b'|' as u32, 0x81), 0x8004_7c81);
        assert_eq!(_IOW::<i32>(b'|' as u32, 0x82), 0x4004_7c82);
        assert_eq!(_IO(b'|' as u32, 0x80), 0x7c80);
        assert_eq!(_IOWR::<[u8; 72]>(b'N' as u32, 0x80), 0xc048_4e80);
        assert_eq!(_IOC_SIZE(0xc048_4e80), 72);
        assert_eq!(_IOC_TYPE(0xc048_4e80), b'N' as u32);
        assert_eq!(_IOC_NR(0xc048_4e80), 0x80);
        assert_eq!(_IOC_DIR(0x8004_7c81), 2);
    }
}
