//! ioctl number encoding.
//!
//! Mirrors: `include/uapi/asm-generic/ioctl.h` (`_IOC`, `_IOR`, `_IOW`, `_IOC_SIZE`).

pub const _IOC_NRBITS: u32 = 8;
pub const _IOC_TYPEBITS: u32 = 8;
pub const _IOC_SIZEBITS: u32 = 14;
pub const _IOC_NRSHIFT: u32 = 0;
pub const _IOC_TYPESHIFT: u32 = _IOC_NRSHIFT + _IOC_NRBITS;
pub const _IOC_SIZESHIFT: u32 = _IOC_TYPESHIFT + _IOC_TYPEBITS;
pub const _IOC_DIRSHIFT: u32 = _IOC_SIZESHIFT + _IOC_SIZEBITS;
pub const _IOC_NONE: u32 = 0;
pub const _IOC_WRITE: u32 = 1;
pub const _IOC_READ: u32 = 2;

/// Builds an ioctl number from direction, type, number and argument size.
pub const fn _IOC(dir: u32, ty: u32, nr: u32, size: u32) -> u32 {
    (dir << _IOC_DIRSHIFT)
        | (ty << _IOC_TYPESHIFT)
        | (nr << _IOC_NRSHIFT)
        | (size << _IOC_SIZESHIFT)
}

/// Extracts the argument size of an ioctl number.
pub const fn _IOC_SIZE(nr: u32) -> u32 {
    (nr >> _IOC_SIZESHIFT) & ((1 << _IOC_SIZEBITS) - 1)
}

/// Extracts the type (the "magic" character) of an ioctl number.
pub const fn _IOC_TYPE(nr: u32) -> u32 {
    (nr >> _IOC_TYPESHIFT) & ((1 << _IOC_TYPEBITS) - 1)
}

/// Extracts the direction bits (`_IOC_READ`, `_IOC_WRITE`) of an ioctl number.
pub const fn _IOC_DIR(nr: u32) -> u32 {
    (nr >> _IOC_DIRSHIFT) & 3
}

/// Extracts the sequence number of an ioctl number.
pub const fn _IOC_NR(nr: u32) -> u32 {
    (nr >> _IOC_NRSHIFT) & ((1 << _IOC_NRBITS) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_asm_generic() {
        // _IOR('|', 0x81, i32) as in samples/rust/rust_misc_device.rs: 0x8004_7c81.
        assert_eq!(_IOC(_IOC_READ, b'|' as u32, 0x81, 4), 0x8004_7c81);
        assert_eq!(_IOC_SIZE(0x8004_7c81), 4);
        assert_eq!(_IOC_TYPE(0x8004_7c81), b'|' as u32);
        assert_eq!(_IOC_NR(0x8004_7c81), 0x81);
    }
}
