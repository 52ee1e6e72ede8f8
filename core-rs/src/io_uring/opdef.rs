//! Per-opcode properties the core consults before and after an opcode's own handlers.
//!
//! Mirrors: `io_uring/opdef.c` (`io_issue_defs[]`: `needs_file`, `ioprio`, `iopoll`,
//! `buffer_select`, `is_128`, `pollin`/`pollout`; `io_uring_op_supported`).
//!
//! Differences from upstream: opcodes the simulator does not model get the definition of an
//! opcode compiled out of the kernel (`.prep = io_eopnotsupp_prep` and every flag clear), so
//! their SQEs pass the generic checks of `io_init_req` and then fail with `-EOPNOTSUPP`, and
//! `IORING_REGISTER_PROBE` reports them as unsupported.

use crate::uapi::io_uring::*;

/// The fields of `struct io_issue_def` the model uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IoIssueDef {
    /// The request needs `req->file` (resolved by `io_assign_file` at issue).
    pub needs_file: bool,
    /// `sqe->ioprio` may be non-zero.
    pub ioprio: bool,
    /// Allowed on an `IORING_SETUP_IOPOLL` ring.
    pub iopoll: bool,
    /// `IOSQE_BUFFER_SELECT` is allowed.
    pub buffer_select: bool,
    /// A 128-byte SQE opcode.
    pub is_128: bool,
    /// Can be retried by polling its file for reading.
    pub pollin: bool,
    /// Can be retried by polling its file for writing.
    pub pollout: bool,
    /// Its async poll waits exclusively (`EPOLLEXCLUSIVE`: ACCEPT).
    pub poll_exclusive: bool,
    /// The simulator has a prep and issue handler (`prep != io_eopnotsupp_prep`).
    pub supported: bool,
}

/// Returns the definition of `opcode` (which must be below [`IORING_OP_LAST`]).
pub fn io_issue_def(opcode: u8) -> IoIssueDef {
    match opcode {
        IORING_OP_NOP | IORING_OP_NOP128 => IoIssueDef {
            iopoll: true,
            is_128: opcode == IORING_OP_NOP128,
            supported: true,
            ..IoIssueDef::default()
        },
        IORING_OP_URING_CMD | IORING_OP_URING_CMD128 => IoIssueDef {
            needs_file: true,
            iopoll: true,
            buffer_select: true,
            is_128: opcode == IORING_OP_URING_CMD128,
            supported: true,
            ..IoIssueDef::default()
        },
        // `io_issue_defs[IORING_OP_READ]` / `[IORING_OP_WRITE]`, `[IORING_OP_READV]` /
        // `[IORING_OP_WRITEV]` (`vectored`) and `[IORING_OP_READ_FIXED]` /
        // `[IORING_OP_WRITE_FIXED]` (no buffer selection).
        IORING_OP_READ
        | IORING_OP_WRITE
        | IORING_OP_READV
        | IORING_OP_WRITEV
        | IORING_OP_READ_FIXED
        | IORING_OP_WRITE_FIXED => {
            let read = matches!(
                opcode,
                IORING_OP_READ | IORING_OP_READV | IORING_OP_READ_FIXED
            );
            IoIssueDef {
                needs_file: true,
                ioprio: true,
                iopoll: true,
                buffer_select: matches!(opcode, IORING_OP_READ | IORING_OP_READV),
                pollin: read,
                pollout: !read,
                supported: true,
                ..IoIssueDef::default()
            }
        }
        // `[IORING_OP_TIMEOUT]`, `[IORING_OP_TIMEOUT_REMOVE]`, `[IORING_OP_LINK_TIMEOUT]`,
        // `[IORING_OP_ASYNC_CANCEL]`: no file, no ioprio.
        IORING_OP_TIMEOUT
        | IORING_OP_TIMEOUT_REMOVE
        | IORING_OP_LINK_TIMEOUT
        | IORING_OP_ASYNC_CANCEL => IoIssueDef {
            supported: true,
            ..IoIssueDef::default()
        },
        // `[IORING_OP_POLL_ADD]` (a file, no ioprio) and `[IORING_OP_POLL_REMOVE]`.
        IORING_OP_POLL_ADD => IoIssueDef {
            needs_file: true,
            supported: true,
            ..IoIssueDef::default()
        },
        IORING_OP_POLL_REMOVE => IoIssueDef {
            supported: true,
            ..IoIssueDef::default()
        },
        // `[IORING_OP_SEND]`, `[IORING_OP_RECV]`, `[IORING_OP_ACCEPT]`: a file, ioprio (the
        // `IORING_RECVSEND_*` / `IORING_ACCEPT_*` flags), no IOPOLL.
        IORING_OP_SEND | IORING_OP_RECV => IoIssueDef {
            needs_file: true,
            ioprio: true,
            buffer_select: true,
            pollin: opcode == IORING_OP_RECV,
            pollout: opcode == IORING_OP_SEND,
            supported: true,
            ..IoIssueDef::default()
        },
        IORING_OP_ACCEPT => IoIssueDef {
            needs_file: true,
            ioprio: true,
            pollin: true,
            poll_exclusive: true,
            supported: true,
            ..IoIssueDef::default()
        },
        // `[IORING_OP_PROVIDE_BUFFERS]`, `[IORING_OP_REMOVE_BUFFERS]`: no file (`fd` is the
        // buffer count), allowed on IOPOLL rings.
        IORING_OP_PROVIDE_BUFFERS | IORING_OP_REMOVE_BUFFERS => IoIssueDef {
            iopoll: true,
            supported: true,
            ..IoIssueDef::default()
        },
        _ => IoIssueDef::default(),
    }
}

/// `io_uring_op_supported`.
pub fn io_uring_op_supported(opcode: u8) -> bool {
    opcode < IORING_OP_LAST && io_issue_def(opcode).supported
}
