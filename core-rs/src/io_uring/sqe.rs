//! Reading SQE fields: the opcodes' prep handlers read each field once from the SQE copy they
//! were given (`READ_ONCE(sqe->field)` in `io_uring/*.c`), little-endian as on x86-64.

/// A 16-bit SQE field at byte offset `o`.
pub fn sqe16(sqe: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([sqe[o], sqe[o + 1]])
}

/// A 32-bit SQE field at byte offset `o`.
pub fn sqe32(sqe: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([sqe[o], sqe[o + 1], sqe[o + 2], sqe[o + 3]])
}

/// A 64-bit SQE field at byte offset `o`.
pub fn sqe64(sqe: &[u8], o: usize) -> u64 {
    u64::from(sqe32(sqe, o)) | u64::from(sqe32(sqe, o + 4)) << 32
}
