//! Every scenario in `scenarios/` runs natively, without wasm, and its text trace — printed by
//! the core's one renderer (`trace::render::Line`) — equals its golden trace
//! (`scenarios/golden/<id>.trace`).
//!
//! The program side is a small Rust twin of the app's scenario runtime
//! (`web/src/scenario/runtime.ts`, `web/src/uring/IoUring.ts`) and of the compile loop of
//! `web/src/sim/controller.ts`: the same allocations, the same liburing-like ring use, the same
//! operation labels. `web/src/scenario/golden.test.ts` checks the same goldens through the wasm
//! build and the TypeScript renderer generated from the same templates, so the two must agree.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ringside_core::drivers::DRIVERS;
use ringside_core::ffi::cmd_exports::*;
use ringside_core::ffi::exports::*;
use ringside_core::ffi::ring_exports::{
    io_uring_register, rs_sleep_begin, rs_spin, rs_sys_pipe2, rs_sys_socketpair, rs_sys_write,
};
use ringside_core::trace::render::{Line, Names};
use ringside_core::trace::{Event, TraceRecord};
use ringside_core::uapi::io_uring::*;

// ---------------------------------------------------------------------------------------------
// A minimal JSON reader (no crates here).

#[derive(Clone, Debug)]
enum Json {
    Null,
    Bool(bool),
    /// The number and its source text (user_data labels print it as written).
    Num(f64, String),
    Str(String),
    Arr(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    fn get(&self, k: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.get(k),
            _ => None,
        }
    }
    fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
    fn num(&self) -> Option<f64> {
        match self {
            Json::Num(n, _) => Some(*n),
            _ => None,
        }
    }
    fn arr(&self) -> &[Json] {
        match self {
            Json::Arr(a) => a,
            _ => &[],
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && (self.s[self.i] as char).is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn value(&mut self) -> Json {
        self.ws();
        match self.s[self.i] {
            b'{' => {
                self.i += 1;
                let mut m = BTreeMap::new();
                loop {
                    self.ws();
                    if self.s[self.i] == b'}' {
                        self.i += 1;
                        break;
                    }
                    let k = match self.value() {
                        Json::Str(s) => s,
                        other => panic!("object key {:?}", other),
                    };
                    self.ws();
                    assert_eq!(self.s[self.i], b':');
                    self.i += 1;
                    let v = self.value();
                    m.insert(k, v);
                    self.ws();
                    if self.s[self.i] == b',' {
                        self.i += 1;
                    }
                }
                Json::Obj(m)
            }
            b'[' => {
                self.i += 1;
                let mut a = Vec::new();
                loop {
                    self.ws();
                    if self.s[self.i] == b']' {
                        self.i += 1;
                        break;
                    }
                    a.push(self.value());
                    self.ws();
                    if self.s[self.i] == b',' {
                        self.i += 1;
                    }
                }
                Json::Arr(a)
            }
            b'"' => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    let c = self.s[self.i];
                    self.i += 1;
                    match c {
                        b'"' => break,
                        b'\\' => {
                            let e = self.s[self.i];
                            self.i += 1;
                            match e {
                                b'n' => out.push('\n'),
                                b't' => out.push('\t'),
                                b'r' => out.push('\r'),
                                b'b' => out.push('\u{8}'),
                                b'f' => out.push('\u{c}'),
                                b'u' => {
                                    let h =
                                        std::str::from_utf8(&self.s[self.i..self.i + 4]).unwrap();
                                    self.i += 4;
                                    out.push(
                                        char::from_u32(u32::from_str_radix(h, 16).unwrap())
                                            .unwrap_or('?'),
                                    );
                                }
                                other => out.push(other as char),
                            }
                        }
                        _ => {
                            // Copy a whole UTF-8 sequence.
                            let start = self.i - 1;
                            let mut end = self.i;
                            while end < self.s.len() && (self.s[end] & 0xc0) == 0x80 {
                                end += 1;
                            }
                            out.push_str(std::str::from_utf8(&self.s[start..end]).unwrap());
                            self.i = end;
                        }
                    }
                }
                Json::Str(out)
            }
            b't' => {
                self.i += 4;
                Json::Bool(true)
            }
            b'f' => {
                self.i += 5;
                Json::Bool(false)
            }
            b'n' => {
                self.i += 4;
                Json::Null
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len() && b"+-0123456789.eE".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i])
                    .unwrap()
                    .to_string();
                Json::Num(t.parse().unwrap(), t)
            }
        }
    }
}

fn parse_json(text: &str) -> Json {
    Parser {
        s: text.as_bytes(),
        i: 0,
    }
    .value()
}

// ---------------------------------------------------------------------------------------------
// User memory and a liburing-like ring, as web/src/uring does it.

fn wr(addr: usize, bytes: &[u8]) {
    // SAFETY: every address written is inside user memory or a ring region the core returned.
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), addr as *mut u8, bytes.len()) };
}
fn rd32(addr: usize) -> u32 {
    // SAFETY: as `wr`.
    unsafe { core::ptr::read_unaligned(addr as *const u32) }
}
fn wr32(addr: usize, v: u32) {
    wr(addr, &v.to_le_bytes());
}
fn rd64(addr: usize) -> u64 {
    // SAFETY: as `wr`.
    unsafe { core::ptr::read_unaligned(addr as *const u64) }
}

struct Mem {
    next: usize,
    end: usize,
}

impl Mem {
    fn alloc(&mut self, len: usize, align: usize) -> usize {
        let a = (self.next + align - 1) / align * align;
        assert!(a + len <= self.end, "user memory exhausted");
        self.next = a + len;
        wr(a, &vec![0u8; len]);
        a
    }
    /// `UserMemory.write`: the bytes, then the provenance hook.
    fn write(&self, addr: usize, b: &[u8]) {
        wr(addr, b);
        rs_user_wrote(addr, b.len() as u32);
    }
}

struct Ring {
    fd: i32,
    flags: u32,
    sq_entries: u32,
    cq_entries: u32,
    rings: usize,
    sqes: usize,
    sq_head: u32,
    sq_tail: u32,
    sq_flags: u32,
    cq_head: u32,
    cq_tail: u32,
    cqes: u32,
    sqe_size: usize,
    cqe_size: usize,
    sqe_tail: u32,
}

impl Ring {
    fn queue_init(
        mem: &mut Mem,
        entries: u32,
        mut flags: u32,
        cq_entries: Option<u32>,
        sq_thread_idle: Option<u32>,
    ) -> Ring {
        if cq_entries.is_some() {
            flags |= IORING_SETUP_CQSIZE;
        }
        let p = mem.alloc(120, 8);
        mem.write(p + params_off::FLAGS, &flags.to_le_bytes());
        if let Some(c) = cq_entries {
            mem.write(p + params_off::CQ_ENTRIES, &c.to_le_bytes());
        }
        if let Some(i) = sq_thread_idle {
            mem.write(p + params_off::SQ_THREAD_IDLE, &i.to_le_bytes());
        }
        let fd = io_uring_setup(entries, p);
        assert!(fd >= 0, "io_uring_setup failed: {}", fd);
        let u = |o: usize| rd32(p + o);
        let (so, co) = (params_off::SQ_OFF, params_off::CQ_OFF);
        let rings = rs_mmap(fd, IORING_OFF_SQ_RING as u32);
        let sqes = rs_mmap(fd, IORING_OFF_SQES as u32);
        let r = Ring {
            fd,
            flags,
            sq_entries: u(params_off::SQ_ENTRIES),
            cq_entries: u(params_off::CQ_ENTRIES),
            rings,
            sqes,
            sq_head: u(so),
            sq_tail: u(so + 4),
            sq_flags: u(so + 16),
            cq_head: u(co),
            cq_tail: u(co + 4),
            cqes: u(co + 20),
            sqe_size: if flags & IORING_SETUP_SQE128 != 0 {
                128
            } else {
                64
            },
            cqe_size: if flags & IORING_SETUP_CQE32 != 0 {
                32
            } else {
                16
            },
            sqe_tail: 0,
        };
        if flags & IORING_SETUP_NO_SQARRAY == 0 {
            let array = u(so + 24) as usize;
            for i in 0..r.sq_entries {
                wr32(rings + array + 4 * i as usize, i);
            }
        }
        r
    }
    fn head(&self) -> u32 {
        rd32(self.rings + self.sq_head as usize)
    }
    fn tail(&self) -> u32 {
        rd32(self.rings + self.sq_tail as usize)
    }
    fn get_sqe(&mut self) -> Option<(usize, u32)> {
        if self.sqe_tail.wrapping_sub(self.head()) >= self.sq_entries {
            return None;
        }
        let slot = self.sqe_tail & (self.sq_entries - 1);
        self.sqe_tail = self.sqe_tail.wrapping_add(1);
        let addr = self.sqes + slot as usize * self.sqe_size;
        wr(addr, &vec![0u8; self.sqe_size]);
        Some((addr, slot))
    }
    fn flush_sq(&self) -> u32 {
        wr32(self.rings + self.sq_tail as usize, self.sqe_tail);
        self.sqe_tail.wrapping_sub(self.head())
    }
    fn reap(&self, max: usize) -> Vec<(u64, i32)> {
        let mut out = Vec::new();
        let mut head = rd32(self.rings + self.cq_head as usize);
        let tail = rd32(self.rings + self.cq_tail as usize);
        let mixed = self.flags & IORING_SETUP_CQE_MIXED != 0;
        while head != tail && out.len() < max {
            let slot = head & (self.cq_entries - 1);
            let a = self.rings + self.cqes as usize + slot as usize * self.cqe_size;
            let flags = rd32(a + 12);
            out.push((rd64(a), rd32(a + 8) as i32));
            let nr = if mixed && flags & IORING_CQE_F_32 != 0 {
                2
            } else {
                1
            };
            head = head.wrapping_add(nr.min(tail.wrapping_sub(head)));
        }
        wr32(self.rings + self.cq_head as usize, head);
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The scenario runtime and the compile loop.

fn setup_bit(name: &str) -> u32 {
    let fam = &ringside_core::trace::schema::SETUP_FLAGS;
    fam.bits
        .iter()
        .find(|(_, n)| *n == name)
        .expect("setup flag")
        .0
}

fn sqe_bit(name: &str) -> u8 {
    let fam = &ringside_core::trace::schema::SQE_FLAGS;
    fam.bits
        .iter()
        .find(|(_, n)| *n == name)
        .expect("sqe flag")
        .0 as u8
}

/// The opcode names a scenario may use (`OPCODES` in web/src/scenario/runtime.ts).
fn opcode_by_name(name: &str) -> u8 {
    match name {
        "NOP" => IORING_OP_NOP,
        "URING_CMD" => IORING_OP_URING_CMD,
        "URING_CMD128" => IORING_OP_URING_CMD128,
        "READ" => IORING_OP_READ,
        "WRITE" => IORING_OP_WRITE,
        "READV" => IORING_OP_READV,
        "WRITEV" => IORING_OP_WRITEV,
        "READ_FIXED" => IORING_OP_READ_FIXED,
        "WRITE_FIXED" => IORING_OP_WRITE_FIXED,
        "TIMEOUT" => IORING_OP_TIMEOUT,
        "TIMEOUT_REMOVE" => IORING_OP_TIMEOUT_REMOVE,
        "LINK_TIMEOUT" => IORING_OP_LINK_TIMEOUT,
        "ASYNC_CANCEL" => IORING_OP_ASYNC_CANCEL,
        "POLL_ADD" => IORING_OP_POLL_ADD,
        "POLL_REMOVE" => IORING_OP_POLL_REMOVE,
        "SEND" => IORING_OP_SEND,
        "RECV" => IORING_OP_RECV,
        "ACCEPT" => IORING_OP_ACCEPT,
        "PROVIDE_BUFFERS" => IORING_OP_PROVIDE_BUFFERS,
        "REMOVE_BUFFERS" => IORING_OP_REMOVE_BUFFERS,
        other => panic!("unknown opcode {}", other),
    }
}

fn cmd_op_value(name: &str) -> u32 {
    DRIVERS
        .iter()
        .flat_map(|d| d.cmd_ops.iter())
        .find(|(n, _)| *n == name)
        .expect("cmd_op name")
        .1
}

struct Runtime {
    mem: Mem,
    ring: Ring,
    vars: BTreeMap<String, i32>,
    bufs: BTreeMap<String, (usize, usize)>,
    /// Registered buffer rings by buffer name: entries and the program's local tail.
    rings: BTreeMap<String, (u32, u16)>,
}

fn num_text(v: &Json) -> String {
    match v {
        Json::Num(_, t) => t.clone(),
        Json::Str(s) => s.clone(),
        _ => "0".to_string(),
    }
}

impl Runtime {
    fn scratch(&mut self, s: &str) -> (usize, u32) {
        let a = self.mem.alloc(s.len().max(1), 1);
        self.mem.write(a, s.as_bytes());
        (a, s.len() as u32)
    }

    fn bytes(&self, b: &Json) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(words) = b.get("u64") {
            for w in words.arr() {
                let v = match w {
                    Json::Str(s) if s.starts_with('&') => self.bufs[&s[1..]].0 as u64,
                    Json::Str(s) => s.parse::<u64>().unwrap(),
                    Json::Num(n, _) => *n as i64 as u64,
                    _ => 0,
                };
                out.extend_from_slice(&v.to_le_bytes());
            }
        } else if let Some(words) = b.get("i32") {
            for w in words.arr() {
                out.extend_from_slice(&(w.num().unwrap() as i32).to_le_bytes());
            }
        } else {
            let h = b.get("hex").and_then(Json::str).unwrap_or("");
            for i in 0..h.len() / 2 {
                out.push(u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap());
            }
        }
        out
    }

    fn fd_of(&self, v: Option<&Json>) -> i32 {
        match v {
            None => -1,
            Some(Json::Num(n, _)) => *n as i32,
            Some(Json::Str(s)) => self.vars.get(s).copied().unwrap_or(-1),
            _ => -1,
        }
    }

    fn begin(&self, to_submit: u32, min: u32, flags: u32, arg: usize, argsz: u32) {
        let r = rs_enter_begin(self.ring.fd, to_submit, min, flags, arg, argsz);
        assert!(r >= 0, "io_uring_enter could not start: {}", r);
    }

    /// Executes one operation: its label and, for `sleep`, the time to run until.
    fn exec(&mut self, op: &Json) -> (String, Option<f64>) {
        let kind = op.get("op").and_then(Json::str).unwrap();
        match kind {
            "open" => {
                let dev = op.get("device").and_then(Json::str).unwrap().to_string();
                let save = self.mem.next;
                let (p, l) = self.scratch(&dev);
                let fd = rs_dev_open(p, l);
                self.mem.next = save;
                assert!(fd >= 0, "open /dev/{} failed: {}", dev, fd);
                self.vars
                    .insert(op.get("as").and_then(Json::str).unwrap().to_string(), fd);
                (format!("fd {} = open(\"/dev/{}\")", fd, dev), None)
            }
            "pipe" => {
                let a = self.mem.alloc(8, 4);
                let r = rs_sys_pipe2(a, 0);
                assert!(r >= 0, "pipe2() failed: {}", r);
                let (rd, wr_end) = (rd32(a) as i32, rd32(a + 4) as i32);
                for (k, v) in [("read_as", rd), ("write_as", wr_end)] {
                    let name = op.get(k).and_then(Json::str).unwrap().to_string();
                    self.vars.insert(name, v);
                }
                (
                    format!("pipe2() = 0: read end fd {}, write end fd {}", rd, wr_end),
                    None,
                )
            }
            "socketpair" => {
                let a = self.mem.alloc(8, 4);
                let r = rs_sys_socketpair(1, 1, 0, a);
                assert!(r >= 0, "socketpair() failed: {}", r);
                let (fa, fb) = (rd32(a) as i32, rd32(a + 4) as i32);
                for (k, v) in [("a_as", fa), ("b_as", fb)] {
                    let name = op.get(k).and_then(Json::str).unwrap().to_string();
                    self.vars.insert(name, v);
                }
                (
                    format!(
                        "socketpair(AF_UNIX, SOCK_STREAM) = 0: fds {} and {}",
                        fa, fb
                    ),
                    None,
                )
            }
            "buf_ring" => {
                let entries = op.get("entries").and_then(Json::num).unwrap() as usize;
                let bgid = op.get("bgid").and_then(Json::num).unwrap() as u16;
                let size = (entries * 16 + 4095) / 4096 * 4096;
                let addr = self.mem.alloc(size, 4096);
                let name = op.get("as").and_then(Json::str).unwrap().to_string();
                self.bufs.insert(name.clone(), (addr, size));
                self.rings.insert(name, (entries as u32, 0));
                let reg = self.mem.alloc(40, 8);
                let mut b = [0u8; 16];
                b[..8].copy_from_slice(&(addr as u64).to_le_bytes());
                b[8..12].copy_from_slice(&(entries as u32).to_le_bytes());
                b[12..14].copy_from_slice(&bgid.to_le_bytes());
                self.mem.write(reg, &b);
                let r = io_uring_register(self.ring.fd, IORING_REGISTER_PBUF_RING, reg, 1);
                (
                    format!(
                        "io_uring_register(REGISTER_PBUF_RING, {} entries, group {}) = {}",
                        entries, bgid, r
                    ),
                    None,
                )
            }
            "buf_ring_add" => {
                let rname = op.get("ring").and_then(Json::str).unwrap().to_string();
                let buf = op.get("buf").and_then(Json::str).unwrap();
                let off = op.get("offset").and_then(Json::num).unwrap_or(0.0) as usize;
                let len = op.get("len").and_then(Json::num).unwrap() as u32;
                let bid = op.get("bid").and_then(Json::num).unwrap() as u16;
                let (base, _) = self.bufs[&rname];
                let (baddr, _) = self.bufs[buf];
                let (entries, tail) = self.rings[&rname];
                let e = base + 16 * (u32::from(tail) & (entries - 1)) as usize;
                let mut b = [0u8; 14];
                b[..8].copy_from_slice(&((baddr + off) as u64).to_le_bytes());
                b[8..12].copy_from_slice(&len.to_le_bytes());
                b[12..14].copy_from_slice(&bid.to_le_bytes());
                self.mem.write(e, &b);
                let tail = tail.wrapping_add(1);
                self.rings.insert(rname.clone(), (entries, tail));
                self.mem.write(base + 14, &tail.to_le_bytes());
                (
                    format!(
                        "buffer {} ({} bytes of {}) added to ring {}: tail {}",
                        bid, len, buf, rname, tail
                    ),
                    None,
                )
            }
            "write" => {
                let fd = self.vars[op.get("fd").and_then(Json::str).unwrap()];
                let buf = op.get("buf").and_then(Json::str).unwrap();
                let (addr, size) = self.bufs[buf];
                let len = op
                    .get("len")
                    .and_then(Json::num)
                    .map_or(size, |l| (l as usize).min(size));
                let r = rs_sys_write(fd, addr, len as u32);
                (format!("write({}, {}, {}) = {}", fd, buf, len, r), None)
            }
            "alloc" => {
                let size = op.get("size").and_then(Json::num).unwrap() as usize;
                let addr = self.mem.alloc(size, 8);
                let name = op.get("as").and_then(Json::str).unwrap().to_string();
                self.bufs.insert(name.clone(), (addr, size));
                if let Some(init) = op.get("init") {
                    let b = self.bytes(init);
                    self.mem.write(addr, &b);
                }
                (
                    format!("{} = {} bytes of user memory at 0x{:x}", name, size, addr),
                    None,
                )
            }
            "write_user" => {
                let target = op.get("target").and_then(Json::str).unwrap();
                let (addr, _) = self.bufs[target];
                let off = op.get("offset").and_then(Json::num).unwrap_or(0.0) as usize;
                let data = self.bytes(op.get("data").unwrap());
                self.mem.write(addr + off, &data);
                (
                    format!("userspace writes {} bytes to {}", data.len(), target),
                    None,
                )
            }
            "prep" => self.prep(op.get("sqe").unwrap()),
            "submit" => {
                let n = self.ring.flush_sq();
                let wait = op.get("wait").and_then(Json::num).unwrap_or(0.0) as u32;
                let mut flags = if wait > 0 { IORING_ENTER_GETEVENTS } else { 0 };
                if self.ring.flags & IORING_SETUP_SQPOLL != 0 {
                    // liburing's sq_ring_needs_enter, as web/src/scenario/runtime.ts.
                    if rd32(self.ring.rings + self.ring.sq_flags as usize) & IORING_SQ_NEED_WAKEUP
                        != 0
                    {
                        flags |= IORING_ENTER_SQ_WAKEUP;
                    } else if wait == 0 {
                        return (
                            format!(
                                "{} SQEs published for the awake SQ thread: no system call",
                                n
                            ),
                            None,
                        );
                    }
                }
                self.begin(n, wait, flags, 0, 0);
                let wake = if flags & IORING_ENTER_SQ_WAKEUP != 0 {
                    ", SQ_WAKEUP"
                } else {
                    ""
                };
                (
                    format!(
                        "io_uring_enter(to_submit {}, min_complete {}{})",
                        n, wait, wake
                    ),
                    None,
                )
            }
            "wait" => {
                let min = op.get("min").and_then(Json::num).unwrap() as u32;
                let (mut arg, mut argsz, mut flags) = (0, 0, IORING_ENTER_GETEVENTS);
                if let Some(ms) = op.get("timeout_ms").and_then(Json::num) {
                    let ts = self.mem.alloc(16, 8);
                    self.mem
                        .write(ts, &((ms / 1000.0).floor() as u64).to_le_bytes());
                    self.mem
                        .write(ts + 8, &(((ms % 1000.0) * 1e6) as u64).to_le_bytes());
                    arg = self.mem.alloc(24, 8);
                    self.mem.write(arg + 16, &(ts as u64).to_le_bytes());
                    argsz = 24;
                    flags |= IORING_ENTER_EXT_ARG;
                }
                self.begin(0, min, flags, arg, argsz);
                (
                    format!("io_uring_enter(GETEVENTS, min_complete {})", min),
                    None,
                )
            }
            "reap" => {
                let max = op
                    .get("max")
                    .and_then(Json::num)
                    .map_or(usize::MAX, |m| m as usize);
                let c = self.ring.reap(max);
                if c.is_empty() {
                    ("no CQE to reap".to_string(), None)
                } else {
                    let parts: Vec<String> =
                        c.iter().map(|(u, r)| format!("{}:{}", u, r)).collect();
                    (format!("reaped {}", parts.join(", ")), None)
                }
            }
            "sleep" => {
                // nanosleep: the task sleeps interruptibly (task_work with TWA_SIGNAL_NO_IPI
                // wakes it); the steps that follow run to the end of the sleep.
                let ms = op.get("ms").unwrap();
                let now = rs_clock_ns();
                let until = now as f64 + ms.num().unwrap() * 1e6;
                rs_sleep_begin((ms.num().unwrap() * 1e6) as u64);
                (format!("userspace sleeps {} ms", num_text(ms)), Some(until))
            }
            "spin" => {
                // Busy in user mode, no system call: COOP_TASKRUN task_work waits for a tick.
                let ms = op.get("ms").unwrap();
                let n = rs_spin((ms.num().unwrap() * 1e6) as u64);
                (
                    format!(
                        "userspace computes for {} ms without a system call ({} kernel steps meanwhile)",
                        num_text(ms),
                        n
                    ),
                    None,
                )
            }
            "device" => {
                let var = op.get("fd").and_then(Json::str).unwrap().to_string();
                let action = op.get("action").and_then(Json::str).unwrap().to_string();
                let fd = self.vars[&var];
                let arg = op.get("arg").and_then(Json::num).unwrap_or(0.0) as i32;
                let save = self.mem.next;
                let (p, l) = self.scratch(&action);
                let r = rs_dev_ctl(fd, p, l, arg);
                self.mem.next = save;
                assert!(r >= 0, "device action {} failed: {}", action, r);
                (format!("device {}: {}", var, action), None)
            }
            "close" => {
                let fd = self.vars[op.get("fd").and_then(Json::str).unwrap()];
                (format!("close({}) = {}", fd, rs_close(fd)), None)
            }
            "register_buffers" => {
                let names: Vec<String> = op
                    .get("bufs")
                    .map_or(&[][..], Json::arr)
                    .iter()
                    .map(|b| b.str().unwrap().to_string())
                    .collect();
                let a = self.mem.alloc(16 * names.len().max(1), 8);
                let mut raw = Vec::new();
                for n in &names {
                    let (ba, bs) = self.bufs[n];
                    raw.extend_from_slice(&(ba as u64).to_le_bytes());
                    raw.extend_from_slice(&(bs as u64).to_le_bytes());
                }
                self.mem.write(a, &raw);
                let r = io_uring_register(self.ring.fd, 0, a, names.len() as u32);
                (
                    format!(
                        "io_uring_register(REGISTER_BUFFERS, [{}]) = {}",
                        names.join(", "),
                        r
                    ),
                    None,
                )
            }
            "unregister_buffers" => {
                let r = io_uring_register(self.ring.fd, 1, 0, 0);
                (
                    format!("io_uring_register(UNREGISTER_BUFFERS) = {}", r),
                    None,
                )
            }
            "exit" => (
                format!("io_uring_queue_exit() = {}", rs_close(self.ring.fd)),
                None,
            ),
            other => panic!("unknown op {}", other),
        }
    }

    fn prep(&mut self, s: &Json) -> (String, Option<f64>) {
        let (addr, slot) = self.ring.get_sqe().expect("SQ full");
        let opcode_json = s.get("opcode").unwrap();
        let opcode = match opcode_json {
            Json::Num(n, _) => *n as u8,
            Json::Str(n) => opcode_by_name(n),
            _ => panic!("opcode"),
        };
        wr(addr + sqe_off::OPCODE, &[opcode]);
        let mut flags = 0u8;
        for f in s.get("flags").map_or(&[][..], Json::arr) {
            flags |= sqe_bit(f.str().unwrap());
        }
        wr(addr + sqe_off::FLAGS, &[flags]);
        let fd = self.fd_of(s.get("fd"));
        wr(addr + sqe_off::FD, &fd.to_le_bytes());
        if let Some(v) = s.get("ioprio").and_then(Json::num) {
            wr(addr + sqe_off::IOPRIO, &(v as u16).to_le_bytes());
        }
        if let Some(v) = s.get("user_data") {
            let u: u64 = match v {
                Json::Str(t) => t.parse().unwrap(),
                Json::Num(_, t) => t.parse::<u64>().unwrap_or_else(|_| v.num().unwrap() as u64),
                _ => 0,
            };
            wr(addr + sqe_off::USER_DATA, &u.to_le_bytes());
        }
        if let Some(v) = s.get("cmd_op") {
            let op = match v {
                Json::Num(n, _) => *n as i64 as u32,
                Json::Str(name) => cmd_op_value(name),
                _ => 0,
            };
            wr(addr + sqe_off::CMD_OP, &op.to_le_bytes());
        }
        if let Some(v) = s.get("pad1").and_then(Json::num) {
            wr(addr + sqe_off::PAD1, &(v as i64 as u32).to_le_bytes());
        }
        if let Some(v) = s.get("off") {
            let off = match v {
                Json::Str(t) => t.parse::<i64>().unwrap() as u64,
                Json::Num(n, _) => *n as i64 as u64,
                _ => 0,
            };
            wr(addr + sqe_off::OFF, &off.to_le_bytes());
        }
        if let Some(v) = s.get("addr") {
            let a = match v {
                Json::Str(t) if t.starts_with('&') => self.bufs[&t[1..]].0 as u64,
                Json::Str(t) => t.parse::<i64>().unwrap() as u64,
                Json::Num(n, _) => *n as i64 as u64,
                _ => 0,
            };
            wr(addr + sqe_off::ADDR, &a.to_le_bytes());
        }
        if let Some(v) = s.get("len").and_then(Json::num) {
            wr(addr + sqe_off::LEN, &(v as i64 as u32).to_le_bytes());
        }
        if let Some(v) = s.get("buf_index").and_then(Json::num) {
            wr(addr + sqe_off::BUF_INDEX, &(v as u16).to_le_bytes());
        }
        if let Some(v) = s.get("op_flags").and_then(Json::num) {
            wr(addr + sqe_off::OP_FLAGS, &(v as i64 as u32).to_le_bytes());
        }
        if let Some(v) = s.get("buf_index").and_then(Json::num) {
            wr(addr + sqe_off::BUF_INDEX, &(v as u16).to_le_bytes());
        }
        if let Some(c) = s.get("cmd") {
            let b = self.bytes(c);
            wr(addr + sqe_off::CMD, &b);
        }
        rs_user_wrote(addr, self.ring.sqe_size as u32);
        let pending = self.ring.flush_sq();
        let name = match opcode_json {
            Json::Num(_, t) => format!("opcode {}", t),
            Json::Str(n) => n.clone(),
            _ => String::new(),
        };
        let ud = s.get("user_data").map_or("0".to_string(), num_text);
        (
            format!(
                "SQE in slot {}: {}, user_data {} (SQ tail {}, {} pending)",
                slot,
                name,
                ud,
                self.ring.tail(),
                pending
            ),
            None,
        )
    }
}

/// What the renderer needs beyond a record: cmd_op names, log texts, user memory.
struct RunNames {
    logs: BTreeMap<i64, String>,
    user: (u64, u64),
}

impl Names for RunNames {
    fn cmd_op_name(&self, op: u32) -> Option<&str> {
        DRIVERS
            .iter()
            .flat_map(|d| d.cmd_ops.iter())
            .find(|(_, v)| *v == op)
            .map(|(n, _)| *n)
    }
    fn log_text(&self, id: i64) -> Option<String> {
        self.logs.get(&id).cloned()
    }
    fn user_mem(&self) -> Option<(u64, u64)> {
        Some(self.user)
    }
}

/// Takes the core's records (without the state transitions, which the text trace leaves out)
/// and keeps the text of every log record.
fn drain(logs: &mut BTreeMap<i64, String>) -> Vec<TraceRecord> {
    let (p, n) = (rs_trace_ptr(), rs_trace_len() as usize);
    // SAFETY: the core's trace buffer holds `n` records at `p` until the next call into it.
    let recs: Vec<TraceRecord> =
        unsafe { std::slice::from_raw_parts(p as *const TraceRecord, n) }.to_vec();
    rs_trace_clear();
    let mut out = Vec::new();
    for r in recs {
        match r.event() {
            Some(Event::sim_req_state) => continue,
            Some(Event::sim_driver_log) => {
                let (lp, ll) = (rs_log_ptr(r.a as u32), rs_log_len(r.a as u32) as usize);
                if lp != 0 {
                    // SAFETY: the core returned a message of `ll` bytes at `lp`.
                    let b = unsafe { std::slice::from_raw_parts(lp as *const u8, ll) };
                    logs.insert(r.a, String::from_utf8_lossy(b).into_owned());
                }
            }
            _ => {}
        }
        out.push(r);
    }
    out
}

/// `relativizeUserAddrs`: user addresses in a label as `user+0x..`.
fn relativize(label: &str, base: u64, len: u64) -> String {
    let mut out = String::new();
    let mut rest = label;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        let hex: String = rest[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            .collect();
        match u64::from_str_radix(&hex, 16) {
            Ok(v) if v >= base && v < base + len => write!(out, "user+0x{:x}", v - base).unwrap(),
            _ => write!(out, "0x{}", hex).unwrap(),
        }
        rest = &rest[i + 2 + hex.len()..];
    }
    out.push_str(rest);
    out
}

/// Runs `scenario` as `SimController.compile` does and returns its text trace.
fn run(scenario: &Json) -> String {
    // As `coreConfig` (web/src/scenario/format.ts): bit 0 patch 2, bit 1 the 6.19 profile.
    let config = scenario.get("config");
    let patch2 = config
        .and_then(|c| c.get("patch2_zero_pdu"))
        .map_or(false, |v| matches!(v, Json::Bool(true)));
    let k619 = config.and_then(|c| c.get("kernel")).and_then(Json::str) == Some("6.19");
    rs_init(patch2 as u32 | (k619 as u32) << 1);
    let base = rs_user_mem_base();
    let len = rs_user_mem_len() as usize;
    let mut mem = Mem {
        next: base,
        end: base + len,
    };
    let mut logs = BTreeMap::new();
    // Devices, then the ring.
    for d in scenario.get("devices").map_or(&[][..], Json::arr) {
        let name = d.get("name").and_then(Json::str).unwrap();
        let driver = d.get("driver").and_then(Json::str).unwrap();
        let save = mem.next;
        let a1 = mem.alloc(name.len().max(1), 1);
        mem.write(a1, name.as_bytes());
        let a2 = mem.alloc(driver.len().max(1), 1);
        mem.write(a2, driver.as_bytes());
        let r = rs_dev_register(a1, name.len() as u32, a2, driver.len() as u32);
        mem.next = save;
        assert!(r >= 0, "registering {} failed: {}", name, r);
    }
    let ring = scenario.get("ring").unwrap();
    let entries = ring.get("entries").and_then(Json::num).unwrap() as u32;
    let mut flags = 0;
    for f in ring.get("flags").map_or(&[][..], Json::arr) {
        flags |= setup_bit(f.str().unwrap());
    }
    let cq = ring.get("cq_entries").and_then(Json::num).map(|v| v as u32);
    let idle = ring
        .get("sq_thread_idle")
        .and_then(Json::num)
        .map(|v| v as u32);
    let r = Ring::queue_init(&mut mem, entries, flags, cq, idle);
    let mut rt = Runtime {
        mem,
        ring: r,
        vars: BTreeMap::new(),
        bufs: BTreeMap::new(),
        rings: BTreeMap::new(),
    };
    rt.vars.insert("ring".to_string(), rt.ring.fd);

    // (label line or None, records) per frame.
    let mut frames: Vec<(Option<String>, Vec<TraceRecord>)> = Vec::new();
    let id = scenario.get("id").and_then(Json::str).unwrap();
    let title = scenario.get("title").and_then(Json::str).unwrap();
    frames.push((
        Some(format!("# setup: io_uring_setup({})", entries)),
        drain(&mut logs),
    ));
    let step = |frames: &mut Vec<(Option<String>, Vec<TraceRecord>)>,
                logs: &mut BTreeMap<i64, String>|
     -> bool {
        let kind = rs_step();
        let recs = drain(logs);
        if kind == 0 {
            return false;
        }
        frames.push((None, recs));
        true
    };
    let mut budget: i64 = 100_000;
    for (i, op) in scenario.get("program").unwrap().arr().iter().enumerate() {
        let (label, until) = rt.exec(op);
        let name = op.get("op").and_then(Json::str).unwrap();
        frames.push((
            Some(format!(
                "# op {} {}: {}",
                i,
                name,
                relativize(&label, base as u64, len as u64)
            )),
            drain(&mut logs),
        ));
        while budget > 0 {
            let in_kernel = rs_task_state() != 0;
            let early = until.map_or(false, |u| (rs_clock_ns() as f64) < u);
            if !in_kernel && !early {
                break;
            }
            budget -= 1;
            if !step(&mut frames, &mut logs) {
                break;
            }
        }
    }
    while budget > 0 {
        budget -= 1;
        if !step(&mut frames, &mut logs) {
            break;
        }
    }
    assert!(budget > 0, "{} did not finish", id);

    let names = RunNames {
        logs,
        user: (base as u64, len as u64),
    };
    let mut out = format!("# {}: {}\n", id, title);
    for (label, recs) in frames {
        if let Some(l) = label {
            out.push_str(&l);
            out.push('\n');
        }
        for r in &recs {
            writeln!(
                out,
                "{}",
                Line {
                    record: r,
                    names: &names
                }
            )
            .unwrap();
        }
    }
    out
}

/// The goldens are traces of the wasm32 build. The one place the host shows through is a driver
/// reading a `usize` from the SQE (the RFC v3 sample reads the user pointer that way): 4 bytes on
/// wasm32, 8 on a 64-bit host. This rewrites that record's range to its wasm32 width, and
/// nothing else.
fn wasm32_widths(trace: &str) -> String {
    if cfg!(target_pointer_width = "32") {
        return trace.to_string();
    }
    trace
        .lines()
        .map(|l| {
            if l.contains("sim_sqe_read:") && l.contains("[rust_misc_device_v3.rs:") {
                l.replace("sqe[48..56]", "sqe[48..52]")
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect()
}

#[test]
fn every_scenario_matches_its_golden_trace_natively() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().map_or(false, |x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 13,
        "scenarios/ has {} scenarios",
        files.len()
    );
    let mut bad = Vec::new();
    for f in files {
        let scenario = parse_json(&std::fs::read_to_string(&f).unwrap());
        let id = scenario.get("id").and_then(Json::str).unwrap().to_string();
        let got = wasm32_widths(&run(&scenario));
        let want =
            std::fs::read_to_string(dir.join("golden").join(format!("{}.trace", id))).unwrap();
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
            bad.push(format!(
                "{}: first difference at line {}:\n  got  {:?}\n  want {:?}",
                id,
                line + 1,
                got.lines().nth(line),
                want.lines().nth(line)
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
