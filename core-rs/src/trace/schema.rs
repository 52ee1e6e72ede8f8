//! The vocabulary of the trace schema: where a field lives in a record, what kind of value it
//! is, and the name tables of every flag family a field can hold.
//!
//! Mirrors: nothing upstream (the kernel describes a tracepoint's fields with `TP_STRUCT__entry`;
//! this is the simulator's equivalent for its fixed-size records).

use super::{Ctx, Event, TraceRecord};
use crate::include::io_uring_types::*;
use crate::uapi::io_uring::*;

/// Where in a [`TraceRecord`] a field is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// All of `a` (signed 64-bit).
    A,
    /// All of `b` (signed 64-bit).
    B,
    /// The low 32 bits of `b`, unsigned.
    BLo,
    /// The high 32 bits of `b`, unsigned.
    BHi,
    /// The low 8 bits of `b`.
    BLo8,
    /// The low 32 bits of `a`, signed (a result beside another field).
    ALo,
    /// The high 32 bits of `a`, unsigned.
    AHi,
}

impl Word {
    /// Reads the field from a record.
    pub fn get(self, r: &TraceRecord) -> i64 {
        match self {
            Word::A => r.a,
            Word::B => r.b,
            Word::BLo => i64::from(r.b as u32),
            Word::BHi => i64::from((r.b >> 32) as u32),
            Word::BLo8 => r.b & 0xff,
            Word::ALo => i64::from(r.a as i32),
            Word::AHi => i64::from((r.a >> 32) as u32),
        }
    }

    /// The name the TypeScript generator uses.
    pub fn name(self) -> &'static str {
        match self {
            Word::A => "A",
            Word::B => "B",
            Word::BLo => "BLo",
            Word::BHi => "BHi",
            Word::BLo8 => "BLo8",
            Word::ALo => "ALo",
            Word::AHi => "AHi",
        }
    }
}

/// A named family of flag bits, in the order their names print.
#[derive(Debug)]
pub struct FlagFamily {
    /// The family's name in generated code (`ISSUE_FLAGS`).
    pub name: &'static str,
    /// The C prefix the names drop (`IO_URING_F_`).
    pub prefix: &'static str,
    /// `(bit, name without the prefix)`.
    pub bits: &'static [(u32, &'static str)],
    /// Only these bits are flags (the upper half of `cqe->flags` is a buffer id).
    pub mask: u32,
}

impl FlagFamily {
    /// `NAME|NAME|0x..` for the set bits of `v` (unknown bits in hex), or `0` for none.
    pub fn names(&self, v: u32) -> String {
        let v = v & self.mask;
        let mut out = String::new();
        let mut rest = v;
        for (bit, name) in self.bits {
            if v & bit == *bit && *bit != 0 {
                if !out.is_empty() {
                    out.push('|');
                }
                out.push_str(name);
                rest &= !bit;
            }
        }
        if rest != 0 {
            if !out.is_empty() {
                out.push('|');
            }
            out.push_str(&format!("0x{:x}", rest));
        }
        if out.is_empty() {
            out.push('0');
        }
        out
    }
}

/// `enum io_uring_cmd_flags` (include/linux/io_uring_types.h), in the order traces print them.
pub const ISSUE_FLAGS: FlagFamily = FlagFamily {
    name: "ISSUE_FLAGS",
    prefix: "IO_URING_F_",
    mask: u32::MAX,
    bits: &[
        (IO_URING_F_NONBLOCK, "NONBLOCK"),
        (IO_URING_F_COMPLETE_DEFER, "COMPLETE_DEFER"),
        (IO_URING_F_UNLOCKED, "UNLOCKED"),
        (IO_URING_F_MULTISHOT, "MULTISHOT"),
        (IO_URING_F_IOWQ, "IOWQ"),
        (IO_URING_F_INLINE, "INLINE"),
        (IO_URING_F_SQE128, "SQE128"),
        (IO_URING_F_CQE32, "CQE32"),
        (IO_URING_F_IOPOLL, "IOPOLL"),
        (IO_URING_F_CANCEL, "CANCEL"),
        (IO_URING_F_COMPAT, "COMPAT"),
        (IO_URING_F_TASK_DEAD, "TASK_DEAD"),
    ],
};

/// No flags: a word (or a 32-bit half of one) printed as `0x..`.
pub const HEX_WORD: FlagFamily = FlagFamily {
    name: "HEX_WORD",
    prefix: "",
    mask: 0,
    bits: &[],
};

/// `IOSQE_*` (include/uapi/linux/io_uring.h).
pub const SQE_FLAGS: FlagFamily = FlagFamily {
    name: "SQE_FLAGS",
    prefix: "IOSQE_",
    mask: 0xff,
    bits: &[
        (IOSQE_FIXED_FILE as u32, "FIXED_FILE"),
        (IOSQE_IO_DRAIN as u32, "IO_DRAIN"),
        (IOSQE_IO_LINK as u32, "IO_LINK"),
        (IOSQE_IO_HARDLINK as u32, "IO_HARDLINK"),
        (IOSQE_ASYNC as u32, "ASYNC"),
        (IOSQE_BUFFER_SELECT as u32, "BUFFER_SELECT"),
        (IOSQE_CQE_SKIP_SUCCESS as u32, "CQE_SKIP_SUCCESS"),
    ],
};

/// `IORING_CQE_F_*` (the upper 16 bits of `cqe->flags` are a buffer id, not flags).
pub const CQE_FLAGS: FlagFamily = FlagFamily {
    name: "CQE_FLAGS",
    prefix: "IORING_CQE_",
    mask: 0xffff,
    bits: &[
        (IORING_CQE_F_BUFFER, "F_BUFFER"),
        (IORING_CQE_F_MORE, "F_MORE"),
        (IORING_CQE_F_SOCK_NONEMPTY, "F_SOCK_NONEMPTY"),
        (IORING_CQE_F_NOTIF, "F_NOTIF"),
        (IORING_CQE_F_BUF_MORE, "F_BUF_MORE"),
        (IORING_CQE_F_SKIP, "F_SKIP"),
        (IORING_CQE_F_32, "F_32"),
    ],
};

/// `IORING_SETUP_*`.
pub const SETUP_FLAGS: FlagFamily = FlagFamily {
    name: "SETUP_FLAGS",
    prefix: "IORING_SETUP_",
    mask: u32::MAX,
    bits: &[
        (IORING_SETUP_IOPOLL, "IOPOLL"),
        (IORING_SETUP_SQPOLL, "SQPOLL"),
        (IORING_SETUP_SQ_AFF, "SQ_AFF"),
        (IORING_SETUP_CQSIZE, "CQSIZE"),
        (IORING_SETUP_CLAMP, "CLAMP"),
        (IORING_SETUP_ATTACH_WQ, "ATTACH_WQ"),
        (IORING_SETUP_R_DISABLED, "R_DISABLED"),
        (IORING_SETUP_SUBMIT_ALL, "SUBMIT_ALL"),
        (IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN"),
        (IORING_SETUP_TASKRUN_FLAG, "TASKRUN_FLAG"),
        (IORING_SETUP_SQE128, "SQE128"),
        (IORING_SETUP_CQE32, "CQE32"),
        (IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER"),
        (IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN"),
        (IORING_SETUP_NO_MMAP, "NO_MMAP"),
        (IORING_SETUP_REGISTERED_FD_ONLY, "REGISTERED_FD_ONLY"),
        (IORING_SETUP_NO_SQARRAY, "NO_SQARRAY"),
        (IORING_SETUP_HYBRID_IOPOLL, "HYBRID_IOPOLL"),
        (IORING_SETUP_CQE_MIXED, "CQE_MIXED"),
        (IORING_SETUP_SQE_MIXED, "SQE_MIXED"),
        (IORING_SETUP_SQ_REWIND, "SQ_REWIND"),
    ],
};

/// `IORING_ENTER_*`.
pub const ENTER_FLAGS: FlagFamily = FlagFamily {
    name: "ENTER_FLAGS",
    prefix: "IORING_ENTER_",
    mask: u32::MAX,
    bits: &[
        (IORING_ENTER_GETEVENTS, "GETEVENTS"),
        (IORING_ENTER_SQ_WAKEUP, "SQ_WAKEUP"),
        (IORING_ENTER_SQ_WAIT, "SQ_WAIT"),
        (IORING_ENTER_EXT_ARG, "EXT_ARG"),
        (IORING_ENTER_REGISTERED_RING, "REGISTERED_RING"),
        (IORING_ENTER_ABS_TIMER, "ABS_TIMER"),
        (IORING_ENTER_EXT_ARG_REG, "EXT_ARG_REG"),
        (IORING_ENTER_NO_IOWAIT, "NO_IOWAIT"),
    ],
};

/// `IORING_SQ_*` (the SQ ring's flags word).
pub const SQ_FLAGS: FlagFamily = FlagFamily {
    name: "SQ_FLAGS",
    prefix: "IORING_SQ_",
    mask: u32::MAX,
    bits: &[
        (IORING_SQ_NEED_WAKEUP, "NEED_WAKEUP"),
        (IORING_SQ_CQ_OVERFLOW, "CQ_OVERFLOW"),
        (IORING_SQ_TASKRUN, "TASKRUN"),
    ],
};

/// `IORING_FEAT_*`.
pub const FEAT_FLAGS: FlagFamily = FlagFamily {
    name: "FEAT_FLAGS",
    prefix: "IORING_FEAT_",
    mask: u32::MAX,
    bits: &[
        (IORING_FEAT_SINGLE_MMAP, "SINGLE_MMAP"),
        (IORING_FEAT_NODROP, "NODROP"),
        (IORING_FEAT_SUBMIT_STABLE, "SUBMIT_STABLE"),
        (IORING_FEAT_RW_CUR_POS, "RW_CUR_POS"),
        (IORING_FEAT_CUR_PERSONALITY, "CUR_PERSONALITY"),
        (IORING_FEAT_FAST_POLL, "FAST_POLL"),
        (IORING_FEAT_POLL_32BITS, "POLL_32BITS"),
        (IORING_FEAT_SQPOLL_NONFIXED, "SQPOLL_NONFIXED"),
        (IORING_FEAT_EXT_ARG, "EXT_ARG"),
        (IORING_FEAT_NATIVE_WORKERS, "NATIVE_WORKERS"),
        (IORING_FEAT_RSRC_TAGS, "RSRC_TAGS"),
        (IORING_FEAT_CQE_SKIP, "CQE_SKIP"),
        (IORING_FEAT_LINKED_FILE, "LINKED_FILE"),
        (IORING_FEAT_REG_REG_RING, "REG_REG_RING"),
        (IORING_FEAT_RECVSEND_BUNDLE, "RECVSEND_BUNDLE"),
        (IORING_FEAT_MIN_TIMEOUT, "MIN_TIMEOUT"),
        (IORING_FEAT_RW_ATTR, "RW_ATTR"),
        (IORING_FEAT_NO_IOWAIT, "NO_IOWAIT"),
    ],
};

/// `IORING_URING_CMD_*` (`sqe->uring_cmd_flags` plus the kernel-internal CANCELABLE/REISSUE).
pub const URING_CMD_FLAGS: FlagFamily = FlagFamily {
    name: "URING_CMD_FLAGS",
    prefix: "IORING_URING_CMD_",
    mask: u32::MAX,
    bits: &[
        (IORING_URING_CMD_FIXED, "FIXED"),
        (IORING_URING_CMD_MULTISHOT, "MULTISHOT"),
        (IORING_URING_CMD_CANCELABLE, "CANCELABLE"),
        (IORING_URING_CMD_REISSUE, "REISSUE"),
    ],
};

/// Every flag family, for the generator.
pub const FLAG_FAMILIES: &[&FlagFamily] = &[
    &ISSUE_FLAGS,
    &SQE_FLAGS,
    &CQE_FLAGS,
    &SETUP_FLAGS,
    &ENTER_FLAGS,
    &SQ_FLAGS,
    &FEAT_FLAGS,
    &URING_CMD_FLAGS,
    &HEX_WORD,
];

/// x86-64 numbers of the system calls the simulator models besides io_uring's own
/// (`arch/x86/entry/syscalls/syscall_64.tbl`).
pub const SYSCALL_NAMES: &[(i64, &str)] = &[
    (0, "read"),
    (1, "write"),
    (3, "close"),
    (16, "ioctl"),
    (44, "sendto"),
    (45, "recvfrom"),
    (54, "setsockopt"),
    (55, "getsockopt"),
    (257, "openat"),
    (293, "pipe2"),
];

/// What kind of value a field holds, which decides how it prints.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A number, printed in decimal.
    Num,
    /// A result or error: `-95 (EOPNOTSUPP)` when it is a negative errno.
    Result,
    /// An `IORING_OP_*` opcode, printed by name.
    Opcode,
    /// A flag word of a family, printed as `0x..`.
    FlagsHex(&'static FlagFamily),
    /// A flag word of a family, printed as `NAME|NAME`.
    Flags(&'static FlagFamily),
    /// A uring_cmd `cmd_op`: `0x0000abcd` and, when a sample driver defines it, `(NAME)`.
    CmdOp,
    /// A [`super::ReqState`].
    State,
    /// A [`super::ReqState`], or -1 for "the handler returned after `done()`".
    DoneState,
    /// A [`super::Prov`].
    ProvName,
    /// An address that prints relative to user memory (`user+0x..`) when it lies there.
    UserAddr,
    /// A kernel log message id; prints the message as a JSON string.
    Log,
    /// An x86-64 system call number.
    Syscall,
    /// A value printed as one of a few words (`(value, text)`), or the default text.
    Choice(&'static [(i64, &'static str)], &'static str),
}

impl Kind {
    /// The name the TypeScript generator uses.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Num => "num",
            Kind::Result => "result",
            Kind::Opcode => "opcode",
            Kind::FlagsHex(_) => "flags_hex",
            Kind::Flags(_) => "flags",
            Kind::CmdOp => "cmd_op",
            Kind::State => "state",
            Kind::DoneState => "done_state",
            Kind::ProvName => "prov",
            Kind::UserAddr => "user_addr",
            Kind::Log => "log",
            Kind::Syscall => "syscall",
            Kind::Choice(..) => "choice",
        }
    }

    /// The flag family of a flag word.
    pub fn family(&self) -> Option<&'static FlagFamily> {
        match self {
            Kind::Flags(f) | Kind::FlagsHex(f) => Some(f),
            _ => None,
        }
    }
}

/// One named field of an event.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The field's name (snake_case, as in the kernel's tracepoints).
    pub name: &'static str,
    /// Where it is stored.
    pub word: Word,
    /// What it holds.
    pub kind: Kind,
}

/// Everything the code knows about one event.
#[derive(Clone, Copy, Debug)]
pub struct EventSchema {
    /// The event.
    pub event: Event,
    /// Its doc comment, as `doc = "..."` attribute text (one per line).
    pub doc: &'static str,
    /// The kernel function it models (`file:function`), or "" for a simulator-only report.
    pub kernel: &'static str,
    /// The context it is always recorded in, when it is always the same one.
    pub ctx: Option<Ctx>,
    /// Its fields.
    pub fields: &'static [Field],
    /// Its text-trace line after `event: ` (see the template syntax in `trace/mod.rs`), or
    /// `None` for the generic `req N, user_data 0x.., a A, b B`.
    pub text: Option<&'static str>,
}

impl EventSchema {
    /// The doc comment as plain text.
    pub fn doc_text(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            let l = line.trim();
            let l = l.strip_prefix("doc = \"").unwrap_or(l);
            let l = l.strip_suffix('"').unwrap_or(l);
            let l = l.replace("\\\"", "\"").replace("\\\\", "\\");
            let l = l.trim();
            if !out.is_empty() && !l.is_empty() {
                out.push(' ');
            }
            out.push_str(l);
        }
        out
    }

    /// Returns the field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}
