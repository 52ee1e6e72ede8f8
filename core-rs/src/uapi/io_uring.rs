//! io_uring user-space ABI: SQE, CQE, setup parameters, ring offsets and flag words.
//!
//! Mirrors: `include/uapi/linux/io_uring.h` (layouts asserted like `io_uring.c:io_uring_init`
//! does with `BUILD_BUG_SQE_ELEM`). Unions are flattened to their first member; the other
//! members are reached through the byte offsets in [`sqe_off`].

use core::mem::size_of;

/// Submission queue entry (64 bytes; 128 with `IORING_SETUP_SQE128`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_sqe {
    pub opcode: u8,
    pub flags: u8,
    pub ioprio: u16,
    pub fd: i32,
    /// Union: `off`, `addr2`, `{cmd_op: u32, __pad1: u32}`.
    pub off: u64,
    /// Union: `addr`, `splice_off_in`, `{level: u32, optname: u32}`.
    pub addr: u64,
    pub len: u32,
    /// Union of the per-opcode flags: `rw_flags`, `nop_flags`, `uring_cmd_flags`, ...
    pub op_flags: u32,
    pub user_data: u64,
    /// Union: `buf_index`, `buf_group`.
    pub buf_index: u16,
    pub personality: u16,
    /// Union: `splice_fd_in`, `file_index`, `optlen`, `{addr_len, __pad3}`.
    pub splice_fd_in: i32,
    /// Union: `addr3` + `__pad2[1]`, `optval`, `cmd[]` (16 bytes here, 80 with SQE128).
    pub addr3: u64,
    pub __pad2: [u64; 1],
}

/// Byte offsets of SQE fields, for reads of the shared SQE array (`READ_ONCE(sqe->field)`).
pub mod sqe_off {
    pub const OPCODE: usize = 0;
    pub const FLAGS: usize = 1;
    pub const IOPRIO: usize = 2;
    pub const FD: usize = 4;
    pub const OFF: usize = 8;
    pub const CMD_OP: usize = 8;
    pub const PAD1: usize = 12;
    pub const ADDR: usize = 16;
    pub const LEVEL: usize = 16;
    pub const OPTNAME: usize = 20;
    pub const LEN: usize = 24;
    pub const OP_FLAGS: usize = 28;
    pub const USER_DATA: usize = 32;
    pub const BUF_INDEX: usize = 40;
    pub const PERSONALITY: usize = 42;
    pub const SPLICE_FD_IN: usize = 44;
    pub const OPTLEN: usize = 44;
    pub const ADDR3: usize = 48;
    pub const OPTVAL: usize = 48;
    pub const CMD: usize = 48;
    pub const PAD2: usize = 56;
}

/// Completion queue entry (16 bytes; 32 with `IORING_SETUP_CQE32` or `IORING_CQE_F_32`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_cqe {
    pub user_data: u64,
    pub res: i32,
    pub flags: u32,
}

/// Offsets into the SQ ring region published by `io_uring_setup`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_sqring_offsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub flags: u32,
    pub dropped: u32,
    pub array: u32,
    pub resv1: u32,
    pub user_addr: u64,
}

/// Offsets into the CQ ring region published by `io_uring_setup`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_cqring_offsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub overflow: u32,
    pub cqes: u32,
    pub flags: u32,
    pub resv1: u32,
    pub user_addr: u64,
}

/// The in/out argument of `io_uring_setup(2)`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_params {
    pub sq_entries: u32,
    pub cq_entries: u32,
    pub flags: u32,
    pub sq_thread_cpu: u32,
    pub sq_thread_idle: u32,
    pub features: u32,
    pub wq_fd: u32,
    pub resv: [u32; 3],
    pub sq_off: io_sqring_offsets,
    pub cq_off: io_cqring_offsets,
}

const _: () = assert!(size_of::<io_uring_sqe>() == 64);
const _: () = assert!(size_of::<io_uring_cqe>() == 16);
const _: () = assert!(size_of::<io_sqring_offsets>() == 40);
const _: () = assert!(size_of::<io_cqring_offsets>() == 40);
const _: () = assert!(size_of::<io_uring_params>() == 120);

/// Byte offsets inside [`io_uring_params`].
pub mod params_off {
    pub const SQ_ENTRIES: usize = 0;
    pub const CQ_ENTRIES: usize = 4;
    pub const FLAGS: usize = 8;
    pub const SQ_THREAD_CPU: usize = 12;
    pub const SQ_THREAD_IDLE: usize = 16;
    pub const FEATURES: usize = 20;
    pub const WQ_FD: usize = 24;
    pub const RESV: usize = 28;
    pub const SQ_OFF: usize = 40;
    pub const CQ_OFF: usize = 80;
}

// enum io_uring_op (the values that matter here; the order is the kernel's).
pub const IORING_OP_NOP: u8 = 0;
pub const IORING_OP_READV: u8 = 1;
pub const IORING_OP_WRITEV: u8 = 2;
pub const IORING_OP_READ_FIXED: u8 = 4;
pub const IORING_OP_WRITE_FIXED: u8 = 5;
pub const IORING_OP_POLL_ADD: u8 = 6;
/// `IORING_OP_POLL_REMOVE`.
pub const IORING_OP_POLL_REMOVE: u8 = 7;
pub const IORING_OP_TIMEOUT: u8 = 11;
pub const IORING_OP_TIMEOUT_REMOVE: u8 = 12;
pub const IORING_OP_ASYNC_CANCEL: u8 = 14;
pub const IORING_OP_LINK_TIMEOUT: u8 = 15;
/// `IORING_OP_ACCEPT`.
pub const IORING_OP_ACCEPT: u8 = 13;
/// `IORING_OP_SEND`.
pub const IORING_OP_SEND: u8 = 26;
/// `IORING_OP_RECV`.
pub const IORING_OP_RECV: u8 = 27;
/// `IORING_OP_PROVIDE_BUFFERS`.
pub const IORING_OP_PROVIDE_BUFFERS: u8 = 31;
/// `IORING_OP_REMOVE_BUFFERS`.
pub const IORING_OP_REMOVE_BUFFERS: u8 = 32;
pub const IORING_OP_READ: u8 = 22;
pub const IORING_OP_WRITE: u8 = 23;
pub const IORING_OP_URING_CMD: u8 = 46;
pub const IORING_OP_PIPE: u8 = 62;
pub const IORING_OP_NOP128: u8 = 63;
pub const IORING_OP_URING_CMD128: u8 = 64;
/// First invalid opcode in the modelled kernel (≈ v6.19).
pub const IORING_OP_LAST: u8 = 65;

// sqe->flags.
pub const IOSQE_FIXED_FILE: u8 = 1 << 0;
pub const IOSQE_IO_DRAIN: u8 = 1 << 1;
pub const IOSQE_IO_LINK: u8 = 1 << 2;
pub const IOSQE_IO_HARDLINK: u8 = 1 << 3;
pub const IOSQE_ASYNC: u8 = 1 << 4;
pub const IOSQE_BUFFER_SELECT: u8 = 1 << 5;
pub const IOSQE_CQE_SKIP_SUCCESS: u8 = 1 << 6;
/// `SQE_VALID_FLAGS` of `io_uring/io_uring.h`.
pub const SQE_VALID_FLAGS: u8 = 0x7f;

// io_uring_params->flags.
pub const IORING_SETUP_IOPOLL: u32 = 1 << 0;
pub const IORING_SETUP_SQPOLL: u32 = 1 << 1;
pub const IORING_SETUP_SQ_AFF: u32 = 1 << 2;
pub const IORING_SETUP_CQSIZE: u32 = 1 << 3;
pub const IORING_SETUP_CLAMP: u32 = 1 << 4;
pub const IORING_SETUP_ATTACH_WQ: u32 = 1 << 5;
pub const IORING_SETUP_R_DISABLED: u32 = 1 << 6;
pub const IORING_SETUP_SUBMIT_ALL: u32 = 1 << 7;
pub const IORING_SETUP_COOP_TASKRUN: u32 = 1 << 8;
pub const IORING_SETUP_TASKRUN_FLAG: u32 = 1 << 9;
pub const IORING_SETUP_SQE128: u32 = 1 << 10;
pub const IORING_SETUP_CQE32: u32 = 1 << 11;
pub const IORING_SETUP_SINGLE_ISSUER: u32 = 1 << 12;
pub const IORING_SETUP_DEFER_TASKRUN: u32 = 1 << 13;
pub const IORING_SETUP_NO_MMAP: u32 = 1 << 14;
pub const IORING_SETUP_REGISTERED_FD_ONLY: u32 = 1 << 15;
pub const IORING_SETUP_NO_SQARRAY: u32 = 1 << 16;
pub const IORING_SETUP_HYBRID_IOPOLL: u32 = 1 << 17;
pub const IORING_SETUP_CQE_MIXED: u32 = 1 << 18;
pub const IORING_SETUP_SQE_MIXED: u32 = 1 << 19;
pub const IORING_SETUP_SQ_REWIND: u32 = 1 << 20;
/// `IORING_SETUP_FLAGS` of `io_uring/io_uring.h`: every bit the recorded 6.18 kernel accepts
/// (bits 0..=18; `SQE_MIXED` and `SQ_REWIND` came later and are `-EINVAL` there, as
/// `setup_flags_each` and `setup_flags_combos` record).
pub const IORING_SETUP_FLAGS: u32 = (1 << 19) - 1;

// io_uring_enter flags.
pub const IORING_ENTER_GETEVENTS: u32 = 1 << 0;
pub const IORING_ENTER_SQ_WAKEUP: u32 = 1 << 1;
pub const IORING_ENTER_SQ_WAIT: u32 = 1 << 2;
pub const IORING_ENTER_EXT_ARG: u32 = 1 << 3;
pub const IORING_ENTER_REGISTERED_RING: u32 = 1 << 4;
pub const IORING_ENTER_ABS_TIMER: u32 = 1 << 5;
pub const IORING_ENTER_EXT_ARG_REG: u32 = 1 << 6;
pub const IORING_ENTER_NO_IOWAIT: u32 = 1 << 7;
pub const IORING_ENTER_FLAGS: u32 = (1 << 8) - 1;

// sq_ring->flags.
pub const IORING_SQ_NEED_WAKEUP: u32 = 1 << 0;
pub const IORING_SQ_CQ_OVERFLOW: u32 = 1 << 1;
pub const IORING_SQ_TASKRUN: u32 = 1 << 2;

// cq_ring->flags.
pub const IORING_CQ_EVENTFD_DISABLED: u32 = 1 << 0;

// cqe->flags.
pub const IORING_CQE_F_BUFFER: u32 = 1 << 0;
pub const IORING_CQE_F_MORE: u32 = 1 << 1;
pub const IORING_CQE_F_SOCK_NONEMPTY: u32 = 1 << 2;
pub const IORING_CQE_F_NOTIF: u32 = 1 << 3;
pub const IORING_CQE_F_BUF_MORE: u32 = 1 << 4;
pub const IORING_CQE_F_SKIP: u32 = 1 << 5;
pub const IORING_CQE_F_32: u32 = 1 << 15;

// io_uring_params->features.
pub const IORING_FEAT_SINGLE_MMAP: u32 = 1 << 0;
pub const IORING_FEAT_NODROP: u32 = 1 << 1;
pub const IORING_FEAT_SUBMIT_STABLE: u32 = 1 << 2;
pub const IORING_FEAT_RW_CUR_POS: u32 = 1 << 3;
pub const IORING_FEAT_CUR_PERSONALITY: u32 = 1 << 4;
pub const IORING_FEAT_FAST_POLL: u32 = 1 << 5;
pub const IORING_FEAT_POLL_32BITS: u32 = 1 << 6;
pub const IORING_FEAT_SQPOLL_NONFIXED: u32 = 1 << 7;
pub const IORING_FEAT_EXT_ARG: u32 = 1 << 8;
pub const IORING_FEAT_NATIVE_WORKERS: u32 = 1 << 9;
pub const IORING_FEAT_RSRC_TAGS: u32 = 1 << 10;
pub const IORING_FEAT_CQE_SKIP: u32 = 1 << 11;
pub const IORING_FEAT_LINKED_FILE: u32 = 1 << 12;
pub const IORING_FEAT_REG_REG_RING: u32 = 1 << 13;
pub const IORING_FEAT_RECVSEND_BUNDLE: u32 = 1 << 14;
pub const IORING_FEAT_MIN_TIMEOUT: u32 = 1 << 15;
pub const IORING_FEAT_RW_ATTR: u32 = 1 << 16;
pub const IORING_FEAT_NO_IOWAIT: u32 = 1 << 17;
/// `IORING_FEAT_FLAGS` reported by `io_uring_setup` (all 18 bits).
pub const IORING_FEAT_FLAGS: u32 = (1 << 18) - 1;

// sqe->nop_flags (io_uring/nop.c).
pub const IORING_NOP_INJECT_RESULT: u32 = 1 << 0;
pub const IORING_NOP_FILE: u32 = 1 << 1;
pub const IORING_NOP_FIXED_FILE: u32 = 1 << 2;
pub const IORING_NOP_FIXED_BUFFER: u32 = 1 << 3;
pub const IORING_NOP_TW: u32 = 1 << 4;
pub const IORING_NOP_CQE32: u32 = 1 << 5;

// sqe->uring_cmd_flags (user bits) and ioucmd->flags (kernel bits, include/linux/io_uring/cmd.h).
pub const IORING_URING_CMD_FIXED: u32 = 1 << 0;
pub const IORING_URING_CMD_MULTISHOT: u32 = 1 << 1;
pub const IORING_URING_CMD_MASK: u32 = IORING_URING_CMD_FIXED | IORING_URING_CMD_MULTISHOT;
pub const IORING_URING_CMD_CANCELABLE: u32 = 1 << 30;
pub const IORING_URING_CMD_REISSUE: u32 = 1 << 31;

// enum io_uring_socket_op.
pub const SOCKET_URING_OP_SIOCINQ: u32 = 0;
pub const SOCKET_URING_OP_SIOCOUTQ: u32 = 1;
pub const SOCKET_URING_OP_GETSOCKOPT: u32 = 2;
pub const SOCKET_URING_OP_SETSOCKOPT: u32 = 3;
pub const SOCKET_URING_OP_TX_TIMESTAMP: u32 = 4;
pub const SOCKET_URING_OP_GETSOCKNAME: u32 = 5;

// mmap offsets.
pub const IORING_OFF_SQ_RING: u64 = 0;
pub const IORING_OFF_CQ_RING: u64 = 0x800_0000;
pub const IORING_OFF_SQES: u64 = 0x1000_0000;

/// Largest `entries` accepted without `IORING_SETUP_CLAMP` (`IORING_MAX_ENTRIES`).
pub const IORING_MAX_ENTRIES: u32 = 32768;
/// Largest CQ size accepted without `IORING_SETUP_CLAMP` (`IORING_MAX_CQ_ENTRIES`).
pub const IORING_MAX_CQ_ENTRIES: u32 = 2 * IORING_MAX_ENTRIES;

// io_uring_register(2) opcodes (enum io_uring_register_op), the ones the simulator knows.
pub const IORING_REGISTER_BUFFERS: u32 = 0;
pub const IORING_UNREGISTER_BUFFERS: u32 = 1;
pub const IORING_REGISTER_FILES: u32 = 2;
pub const IORING_UNREGISTER_FILES: u32 = 3;
pub const IORING_REGISTER_PROBE: u32 = 8;
pub const IORING_REGISTER_ENABLE_RINGS: u32 = 12;
/// `IORING_MAX_REG_BUFFERS`: the most buffers one `IORING_REGISTER_BUFFERS` takes.
pub const IORING_MAX_REG_BUFFERS: u32 = 1 << 14;
/// `IORING_REGISTER_PBUF_RING`: register a provided-buffer ring (`struct io_uring_buf_reg`).
pub const IORING_REGISTER_PBUF_RING: u32 = 22;
/// `IORING_UNREGISTER_PBUF_RING`.
pub const IORING_UNREGISTER_PBUF_RING: u32 = 23;
/// First invalid register opcode on the modelled kernel.
pub const IORING_REGISTER_LAST: u32 = 36;
/// Or'ed into the opcode: the fd is an index into the registered-ring table.
pub const IORING_REGISTER_USE_REGISTERED_RING: u32 = 1 << 31;
/// `IO_URING_OP_SUPPORTED` in `struct io_uring_probe_op.flags`.
pub const IO_URING_OP_SUPPORTED: u16 = 1 << 0;
/// `sizeof(struct io_uring_probe)` without its flexible `ops[]` array.
pub const IO_URING_PROBE_SIZE: u32 = 16;
/// `sizeof(struct io_uring_probe_op)`.
pub const IO_URING_PROBE_OP_SIZE: u32 = 8;
/// `IORING_MAX_FIXED_FILES` (io_uring/rsrc.h).
pub const IORING_MAX_FIXED_FILES: u32 = 1 << 20;
/// `sizeof(struct io_uring_getevents_arg)`.
pub const IO_URING_GETEVENTS_ARG_SIZE: u32 = 24;

/// Opcode names in `enum io_uring_op` order (the `.name` of `io_uring/opdef.c:io_cold_defs`).
pub const OPCODE_NAMES: [&str; IORING_OP_LAST as usize] = [
    "NOP",
    "READV",
    "WRITEV",
    "FSYNC",
    "READ_FIXED",
    "WRITE_FIXED",
    "POLL_ADD",
    "POLL_REMOVE",
    "SYNC_FILE_RANGE",
    "SENDMSG",
    "RECVMSG",
    "TIMEOUT",
    "TIMEOUT_REMOVE",
    "ACCEPT",
    "ASYNC_CANCEL",
    "LINK_TIMEOUT",
    "CONNECT",
    "FALLOCATE",
    "OPENAT",
    "CLOSE",
    "FILES_UPDATE",
    "STATX",
    "READ",
    "WRITE",
    "FADVISE",
    "MADVISE",
    "SEND",
    "RECV",
    "OPENAT2",
    "EPOLL_CTL",
    "SPLICE",
    "PROVIDE_BUFFERS",
    "REMOVE_BUFFERS",
    "TEE",
    "SHUTDOWN",
    "RENAMEAT",
    "UNLINKAT",
    "MKDIRAT",
    "SYMLINKAT",
    "LINKAT",
    "MSG_RING",
    "FSETXATTR",
    "SETXATTR",
    "FGETXATTR",
    "GETXATTR",
    "SOCKET",
    "URING_CMD",
    "SEND_ZC",
    "SENDMSG_ZC",
    "READ_MULTISHOT",
    "WAITID",
    "FUTEX_WAIT",
    "FUTEX_WAKE",
    "FUTEX_WAITV",
    "FIXED_FD_INSTALL",
    "FTRUNCATE",
    "BIND",
    "LISTEN",
    "RECV_ZC",
    "EPOLL_WAIT",
    "READV_FIXED",
    "WRITEV_FIXED",
    "PIPE",
    "NOP128",
    "URING_CMD128",
];

/// Returns the name of an opcode, as the kernel's `io_uring_get_opcode` does (`"INVALID"` at or
/// above [`IORING_OP_LAST`]).
pub fn opcode_name(op: u8) -> &'static str {
    OPCODE_NAMES.get(op as usize).copied().unwrap_or("INVALID")
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::MaybeUninit;
    use core::ptr::addr_of;

    fn off<T, F>(base: &MaybeUninit<T>, field: *const F) -> usize {
        field as usize - base.as_ptr() as usize
    }

    #[test]
    fn sqe_offsets_match_uapi() {
        let s = MaybeUninit::<io_uring_sqe>::uninit();
        let p = s.as_ptr();
        // SAFETY: `addr_of!` only computes addresses; nothing is read.
        unsafe {
            assert_eq!(off(&s, addr_of!((*p).fd)), sqe_off::FD);
            assert_eq!(off(&s, addr_of!((*p).off)), sqe_off::OFF);
            assert_eq!(off(&s, addr_of!((*p).addr)), sqe_off::ADDR);
            assert_eq!(off(&s, addr_of!((*p).len)), sqe_off::LEN);
            assert_eq!(off(&s, addr_of!((*p).op_flags)), sqe_off::OP_FLAGS);
            assert_eq!(off(&s, addr_of!((*p).user_data)), sqe_off::USER_DATA);
            assert_eq!(off(&s, addr_of!((*p).buf_index)), sqe_off::BUF_INDEX);
            assert_eq!(off(&s, addr_of!((*p).personality)), sqe_off::PERSONALITY);
            assert_eq!(off(&s, addr_of!((*p).splice_fd_in)), sqe_off::SPLICE_FD_IN);
            assert_eq!(off(&s, addr_of!((*p).addr3)), sqe_off::ADDR3);
            assert_eq!(off(&s, addr_of!((*p).__pad2)), sqe_off::PAD2);
        }
    }

    #[test]
    fn params_offsets_match_uapi() {
        let s = MaybeUninit::<io_uring_params>::uninit();
        let p = s.as_ptr();
        // SAFETY: `addr_of!` only computes addresses; nothing is read.
        unsafe {
            assert_eq!(off(&s, addr_of!((*p).features)), params_off::FEATURES);
            assert_eq!(off(&s, addr_of!((*p).resv)), params_off::RESV);
            assert_eq!(off(&s, addr_of!((*p).sq_off)), params_off::SQ_OFF);
            assert_eq!(off(&s, addr_of!((*p).cq_off)), params_off::CQ_OFF);
        }
    }

    #[test]
    fn feature_word_is_the_kernels() {
        // conformance/traces/setup_basic.json, recorded on 6.18, reports 262143.
        assert_eq!(IORING_FEAT_FLAGS, 262_143);
    }
}
