/**
 * The userspace program of a scenario: executes its operations against the core the way a
 * process would (liburing calls over the shared rings, user memory, open/close).
 *
 * Its own state (variables, buffers, the ring's local SQ tail, the allocator position) is small
 * and JSON-able, so the controller can keep it beside each memory snapshot.
 */
import * as abi from '../wasm/abi.generated';
import {
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_ENTER_SQ_WAKEUP,
  IORING_SETUP_SQPOLL,
  IORING_SQ_NEED_WAKEUP,
  IORING_OP_ASYNC_CANCEL,
  IORING_OP_LINK_TIMEOUT,
  IORING_OP_NOP,
  IORING_OP_POLL_ADD,
  IORING_OP_POLL_REMOVE,
  IORING_OP_SEND,
  IORING_OP_RECV,
  IORING_OP_ACCEPT,
  IORING_OP_PROVIDE_BUFFERS,
  IORING_OP_REMOVE_BUFFERS,
  IORING_REGISTER_PBUF_RING,
  IORING_OP_READ,
  IORING_OP_READ_FIXED,
  IORING_OP_READV,
  IORING_OP_TIMEOUT,
  IORING_OP_TIMEOUT_REMOVE,
  IORING_OP_URING_CMD,
  IORING_OP_URING_CMD128,
  IORING_OP_WRITE,
  IORING_OP_WRITE_FIXED,
  IORING_OP_WRITEV,
  IORING_REGISTER_BUFFERS,
  IORING_UNREGISTER_BUFFERS,
} from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import { IoUring } from '../uring/IoUring';
import { UserMemory } from '../uring/userMemory';
import { type BytesSpec, type Op, RING_VAR, type Scenario, type SqeSpec } from './format';
import { SETUP_FLAG_NAMES, SQE_FLAG_NAMES } from './validate';

/** What executing an operation did. */
export interface OpResult {
  /** The task entered the kernel; the caller steps until it returns. */
  syscall: boolean;
  /** For `sleep`: the simulated time to run background work until. */
  untilNs?: number;
  /** A one-line summary for the UI. */
  summary: string;
}

/** The runtime's JSON-able state (kept with snapshots). */
export interface RuntimeState {
  vars: Record<string, number>;
  bufs: Record<string, { addr: number; size: number }>;
  rings?: Record<string, { entries: number; tail: number }>;
  sqeTail: number;
  userNext: number;
  ringFd: number;
}

/** An operation failed in a way a real program would see as a userspace error. */
export class ProgramError extends Error {}

export function setupFlags(names: readonly string[] = []): number {
  let f = 0;
  for (const n of names) {
    const i = (SETUP_FLAG_NAMES as readonly string[]).indexOf(n);
    if (i < 0) throw new ProgramError(`unknown setup flag ${n}`);
    f |= 1 << i;
  }
  return f >>> 0;
}

export function sqeFlags(names: readonly string[] = []): number {
  let f = 0;
  for (const n of names) {
    const i = (SQE_FLAG_NAMES as readonly string[]).indexOf(n);
    if (i < 0) throw new ProgramError(`unknown SQE flag ${n}`);
    f |= 1 << i;
  }
  return f;
}

/** Opcode names a scenario may use, with their values. */
const OPCODES: Record<string, number | undefined> = {
  NOP: IORING_OP_NOP,
  URING_CMD: IORING_OP_URING_CMD,
  URING_CMD128: IORING_OP_URING_CMD128,
  READ: IORING_OP_READ,
  WRITE: IORING_OP_WRITE,
  READV: IORING_OP_READV,
  WRITEV: IORING_OP_WRITEV,
  READ_FIXED: IORING_OP_READ_FIXED,
  WRITE_FIXED: IORING_OP_WRITE_FIXED,
  TIMEOUT: IORING_OP_TIMEOUT,
  TIMEOUT_REMOVE: IORING_OP_TIMEOUT_REMOVE,
  LINK_TIMEOUT: IORING_OP_LINK_TIMEOUT,
  ASYNC_CANCEL: IORING_OP_ASYNC_CANCEL,
  POLL_ADD: IORING_OP_POLL_ADD,
  POLL_REMOVE: IORING_OP_POLL_REMOVE,
  SEND: IORING_OP_SEND,
  RECV: IORING_OP_RECV,
  ACCEPT: IORING_OP_ACCEPT,
  PROVIDE_BUFFERS: IORING_OP_PROVIDE_BUFFERS,
  REMOVE_BUFFERS: IORING_OP_REMOVE_BUFFERS,
};

/** `AF_UNIX`, `SOCK_STREAM` (include/linux/socket.h, include/linux/net.h). */
const AF_UNIX = 1;
const SOCK_STREAM = 1;

/** Driver constants (cmd_op names) the core exports, if any. */
function driverCmdOps(): Record<string, number> {
  return ((abi as Record<string, unknown>).DRIVER_CMD_OPS as Record<string, number> | undefined) ?? {};
}

export class ProgramRuntime {
  readonly mem: UserMemory;
  ring: IoUring;
  vars: Record<string, number> = {};
  bufs: Record<string, { addr: number; size: number }> = {};
  /** Registered buffer rings by buffer name: entries and the program's local tail. */
  rings: Record<string, { entries: number; tail: number }> = {};

  /** Sets up the machine for `scenario`: devices, then the ring. */
  constructor(
    readonly core: Core,
    readonly scenario: Scenario,
  ) {
    this.mem = new UserMemory(core);
    for (const d of scenario.devices ?? []) {
      const r = this.callStr2('rs_dev_register', d.name, d.driver);
      if (r < 0) throw new ProgramError(`registering /dev/${d.name} (${d.driver}) failed: ${r}`);
    }
    this.ring = IoUring.queueInit(core, this.mem, scenario.ring.entries, {
      flags: setupFlags(scenario.ring.flags),
      cqEntries: scenario.ring.cq_entries,
      sqThreadIdle: scenario.ring.sq_thread_idle,
    });
    this.vars[RING_VAR] = this.ring.fd;
  }

  save(): RuntimeState {
    return {
      vars: { ...this.vars },
      bufs: { ...this.bufs },
      rings: Object.fromEntries(Object.entries(this.rings).map(([k, v]) => [k, { ...v }])),
      sqeTail: this.ring.sqeTail,
      userNext: this.mem.position(),
      ringFd: this.ring.fd,
    };
  }

  load(s: RuntimeState): void {
    this.vars = { ...s.vars };
    this.bufs = { ...s.bufs };
    this.rings = Object.fromEntries(Object.entries(s.rings ?? {}).map(([k, v]) => [k, { ...v }]));
    this.ring.sqeTail = s.sqeTail;
    this.mem.setPosition(s.userNext);
  }

  /** Executes one program operation. */
  exec(op: Op): OpResult {
    switch (op.op) {
      case 'open': {
        const fd = this.callStr('rs_dev_open', op.device);
        if (fd < 0) throw new ProgramError(`open("/dev/${op.device}") failed: ${fd}`);
        this.vars[op.as] = fd;
        return { syscall: false, summary: `fd ${fd} = open("/dev/${op.device}")` };
      }
      case 'pipe': {
        const a = this.mem.alloc(8, 4);
        const r = this.core.call((e) => e.rs_sys_pipe2(a, 0));
        if (r < 0) throw new ProgramError(`pipe2() failed: ${r}`);
        const rd = this.mem.readI32(a);
        const wr = this.mem.readI32(a + 4);
        this.vars[op.read_as] = rd;
        this.vars[op.write_as] = wr;
        return { syscall: false, summary: `pipe2() = 0: read end fd ${rd}, write end fd ${wr}` };
      }
      case 'socketpair': {
        const a = this.mem.alloc(8, 4);
        const r = this.core.call((e) => e.rs_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, a));
        if (r < 0) throw new ProgramError(`socketpair() failed: ${r}`);
        const fa = this.mem.readI32(a);
        const fb = this.mem.readI32(a + 4);
        this.vars[op.a_as] = fa;
        this.vars[op.b_as] = fb;
        return { syscall: false, summary: `socketpair(AF_UNIX, SOCK_STREAM) = 0: fds ${fa} and ${fb}` };
      }
      case 'buf_ring': {
        // The ring lives in the program's memory, page-aligned (io_uring_setup_buf_ring).
        const size = Math.ceil((op.entries * 16) / 4096) * 4096;
        const addr = this.mem.alloc(size, 4096);
        this.bufs[op.as] = { addr, size };
        this.rings[op.as] = { entries: op.entries, tail: 0 };
        // struct io_uring_buf_reg: ring_addr, ring_entries, bgid (flags and resv stay 0).
        const reg = this.mem.alloc(40, 8);
        const r16 = new Uint8Array(16);
        const v = new DataView(r16.buffer);
        v.setBigUint64(0, BigInt(addr), true);
        v.setUint32(8, op.entries, true);
        v.setUint16(12, op.bgid, true);
        this.mem.write(reg, r16);
        const r = this.ring.register(IORING_REGISTER_PBUF_RING, reg, 1);
        return {
          syscall: false,
          summary: `io_uring_register(REGISTER_PBUF_RING, ${op.entries} entries, group ${op.bgid}) = ${r}`,
        };
      }
      case 'buf_ring_add': {
        // io_uring_buf_ring_add + io_uring_buf_ring_advance: the entry at the local tail, then
        // the tail (the first entry's last u16) is published.
        const ring = this.rings[op.ring] as { entries: number; tail: number };
        const base = (this.bufs[op.ring] as { addr: number }).addr;
        const b = this.bufs[op.buf] as { addr: number; size: number };
        const e = base + 16 * (ring.tail & (ring.entries - 1));
        // struct io_uring_buf: addr, len, bid (its last u16 is the tail's slot in entry 0).
        const ent = new Uint8Array(14);
        const v = new DataView(ent.buffer);
        v.setBigUint64(0, BigInt(b.addr + (op.offset ?? 0)), true);
        v.setUint32(8, op.len, true);
        v.setUint16(12, op.bid, true);
        this.mem.write(e, ent);
        ring.tail = (ring.tail + 1) & 0xffff;
        this.mem.write(base + 14, new Uint8Array([ring.tail & 0xff, ring.tail >> 8]));
        return {
          syscall: false,
          summary: `buffer ${op.bid} (${op.len} bytes of ${op.buf}) added to ring ${op.ring}: tail ${ring.tail}`,
        };
      }
      case 'write': {
        const fd = this.vars[op.fd] as number;
        const b = this.bufs[op.buf] as { addr: number; size: number };
        const len = Math.min(op.len ?? b.size, b.size);
        const r = this.core.call((e) => e.rs_sys_write(fd, b.addr, len));
        return { syscall: false, summary: `write(${fd}, ${op.buf}, ${len}) = ${r}` };
      }
      case 'alloc': {
        const addr = this.mem.alloc(op.size);
        this.bufs[op.as] = { addr, size: op.size };
        if (op.init) this.mem.write(addr, this.bytes(op.init, op.size));
        return { syscall: false, summary: `${op.as} = ${op.size} bytes of user memory at 0x${addr.toString(16)}` };
      }
      case 'write_user': {
        const b = this.bufs[op.target] as { addr: number; size: number };
        const off = op.offset ?? 0;
        const data = this.bytes(op.data, b.size - off);
        this.mem.write(b.addr + off, data);
        return { syscall: false, summary: `userspace writes ${data.length} bytes to ${op.target}` };
      }
      case 'register_buffers': {
        const a = this.mem.alloc(16 * op.bufs.length, 8);
        op.bufs.forEach((name, i) => {
          const b = this.bufs[name] as { addr: number; size: number };
          this.mem.writeU64(a + 16 * i, BigInt(b.addr));
          this.mem.writeU64(a + 16 * i + 8, BigInt(b.size));
        });
        const r = this.ring.register(IORING_REGISTER_BUFFERS, a, op.bufs.length);
        return { syscall: false, summary: `io_uring_register(REGISTER_BUFFERS, [${op.bufs.join(', ')}]) = ${r}` };
      }
      case 'unregister_buffers': {
        const r = this.ring.register(IORING_UNREGISTER_BUFFERS, 0, 0);
        return { syscall: false, summary: `io_uring_register(UNREGISTER_BUFFERS) = ${r}` };
      }
      case 'prep':
        return this.prep(op.sqe);
      case 'submit': {
        const n = this.ring.flushSq();
        const wait = op.wait ?? 0;
        let flags = wait > 0 ? IORING_ENTER_GETEVENTS : 0;
        if (this.ring.flags & IORING_SETUP_SQPOLL) {
          // liburing's sq_ring_needs_enter: with SQPOLL the SQ tail store is the submission;
          // enter only to wake a sleeping SQ thread (IORING_SQ_NEED_WAKEUP) or to wait.
          if (this.ring.sqFlags() & IORING_SQ_NEED_WAKEUP) flags |= IORING_ENTER_SQ_WAKEUP;
          else if (wait === 0)
            return { syscall: false, summary: `${n} SQEs published for the awake SQ thread: no system call` };
        }
        this.begin(n, wait, flags);
        const wake = flags & IORING_ENTER_SQ_WAKEUP ? ', SQ_WAKEUP' : '';
        return { syscall: true, summary: `io_uring_enter(to_submit ${n}, min_complete ${wait}${wake})` };
      }
      case 'wait': {
        let arg = 0;
        let argsz = 0;
        let flags = IORING_ENTER_GETEVENTS;
        if (op.timeout_ms !== undefined) {
          const ts = this.mem.alloc(16);
          this.mem.writeU64(ts, BigInt(Math.floor(op.timeout_ms / 1000)));
          this.mem.writeU64(ts + 8, BigInt((op.timeout_ms % 1000) * 1_000_000));
          arg = this.mem.alloc(24);
          this.mem.writeU64(arg + 16, BigInt(ts));
          argsz = 24;
          flags |= IORING_ENTER_EXT_ARG;
        }
        this.begin(0, op.min, flags, arg, argsz);
        return { syscall: true, summary: `io_uring_enter(GETEVENTS, min_complete ${op.min})` };
      }
      case 'reap': {
        const c = this.ring.reap(op.max);
        return {
          syscall: false,
          summary: c.length ? `reaped ${c.map((x) => `${x.userData}:${x.res}`).join(', ')}` : 'no CQE to reap',
        };
      }
      case 'sleep': {
        // nanosleep: the task sleeps interruptibly (task_work with TWA_SIGNAL_NO_IPI wakes
        // it); the steps that follow run to the end of the sleep.
        const now = Number(this.core.call((e) => e.rs_clock_ns()));
        this.core.call((e) => e.rs_sleep_begin(BigInt(op.ms) * 1_000_000n));
        return { syscall: false, untilNs: now + op.ms * 1_000_000, summary: `userspace sleeps ${op.ms} ms` };
      }
      case 'spin': {
        // Busy in user mode, no system call: COOP_TASKRUN task_work waits for a timer tick.
        const n = this.core.call((e) => e.rs_spin(BigInt(op.ms) * 1_000_000n));
        return {
          syscall: false,
          summary: `userspace computes for ${op.ms} ms without a system call (${n} kernel steps meanwhile)`,
        };
      }
      case 'device': {
        const fd = this.vars[op.fd] as number;
        const r = this.callStr('rs_dev_ctl', op.action, fd, op.arg ?? 0);
        if (r < 0) throw new ProgramError(`device action ${op.action} failed: ${r}`);
        return { syscall: false, summary: `device ${op.fd}: ${op.action}` };
      }
      case 'close': {
        const fd = this.vars[op.fd] as number;
        const r = this.core.call((e) => e.rs_close(fd));
        return { syscall: false, summary: `close(${fd}) = ${r}` };
      }
      case 'exit': {
        const r = this.ring.queueExit();
        return { syscall: false, summary: `io_uring_queue_exit() = ${r}` };
      }
    }
  }

  private begin(toSubmit: number, min: number, flags: number, arg = 0, argsz = 0) {
    const r = this.ring.enterBegin(toSubmit, min, flags, arg, argsz);
    if (r < 0) throw new ProgramError(`io_uring_enter could not start: ${r} (the task is already in a syscall)`);
  }

  private prep(s: SqeSpec): OpResult {
    const sqe = this.ring.getSqe();
    if (!sqe) throw new ProgramError('io_uring_get_sqe() returned NULL: the SQ is full');
    const opcode = typeof s.opcode === 'number' ? s.opcode : OPCODES[s.opcode];
    if (opcode === undefined) throw new ProgramError(`unknown opcode ${String(s.opcode)}`);
    sqe.opcode = opcode;
    sqe.flags = sqeFlags(s.flags);
    sqe.fd = s.fd === undefined ? -1 : typeof s.fd === 'number' ? s.fd : (this.vars[s.fd] ?? -1);
    if (s.ioprio !== undefined) sqe.ioprio = s.ioprio;
    if (s.user_data !== undefined) sqe.userData = BigInt(s.user_data);
    if (s.cmd_op !== undefined) {
      const ops = driverCmdOps();
      const v =
        typeof s.cmd_op === 'number'
          ? s.cmd_op
          : Object.prototype.hasOwnProperty.call(ops, s.cmd_op)
            ? ops[s.cmd_op]
            : undefined;
      if (v === undefined) throw new ProgramError(`unknown cmd_op name ${s.cmd_op}`);
      sqe.cmdOp = v;
    }
    if (s.pad1 !== undefined) sqe.pad1 = s.pad1;
    if (s.off !== undefined) sqe.off = BigInt(s.off);
    if (s.addr !== undefined) {
      if (typeof s.addr === 'string' && s.addr.startsWith('&')) {
        const buf = this.bufs[s.addr.slice(1)];
        if (!buf) throw new ProgramError(`no buffer ${s.addr.slice(1)}`);
        sqe.addr64 = BigInt(buf.addr);
      } else sqe.addr64 = BigInt(s.addr);
    }
    if (s.len !== undefined) sqe.len = s.len;
    if (s.buf_index !== undefined) sqe.bufIndex = s.buf_index;
    if (s.op_flags !== undefined) sqe.opFlags = s.op_flags;
    if (s.buf_index !== undefined) sqe.bufIndex = s.buf_index;
    if (s.cmd) sqe.setCmd(this.bytes(s.cmd, sqe.size - 48));
    this.core.call((e) => e.rs_user_wrote(sqe.addr, sqe.size));
    const pub = this.ring.flushSq();
    return {
      syscall: false,
      summary: `SQE in slot ${sqe.slot}: ${typeof s.opcode === 'number' ? `opcode ${s.opcode}` : s.opcode}, user_data ${s.user_data ?? 0} (SQ tail ${this.ring.sqTail()}, ${pub} pending)`,
    };
  }

  /** Encodes a byte spec (u64 words may name buffers as `&name`). */
  bytes(b: BytesSpec, max: number): Uint8Array {
    let out: Uint8Array;
    if (b.u64) {
      out = new Uint8Array(b.u64.length * 8);
      const dv = new DataView(out.buffer);
      b.u64.forEach((w, i) => {
        let v: bigint;
        if (typeof w === 'string' && w.startsWith('&')) {
          const buf = this.bufs[w.slice(1)];
          if (!buf) throw new ProgramError(`no buffer ${w.slice(1)}`);
          v = BigInt(buf.addr);
        } else v = BigInt(w);
        dv.setBigUint64(i * 8, BigInt.asUintN(64, v), true);
      });
    } else if (b.i32) {
      out = new Uint8Array(b.i32.length * 4);
      const dv = new DataView(out.buffer);
      b.i32.forEach((w, i) => dv.setInt32(i * 4, w, true));
    } else {
      const hex = b.hex ?? '';
      out = new Uint8Array(hex.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    }
    if (out.length > max) throw new ProgramError(`${out.length} bytes do not fit in ${max}`);
    return out;
  }

  private scratchStr(s: string): [number, number] {
    const bytes = new TextEncoder().encode(s);
    const a = this.mem.alloc(Math.max(bytes.length, 1), 1);
    this.mem.write(a, bytes);
    return [a, bytes.length];
  }

  private exportFn(name: string): (...a: number[]) => number {
    const f = (this.core.exports as unknown as Record<string, unknown>)[name];
    if (typeof f !== 'function') throw new ProgramError(`this core has no ${name}: misc devices are not available`);
    return f as (...a: number[]) => number;
  }

  private callStr(name: string, s: string, ...rest: number[]): number {
    const f = this.exportFn(name);
    const save = this.mem.position();
    const [p, l] = this.scratchStr(s);
    const r = this.core.call(() => (rest.length ? f(rest[0] as number, p, l, ...rest.slice(1)) : f(p, l)));
    this.mem.setPosition(save);
    return r;
  }

  private callStr2(name: string, a: string, b: string): number {
    const f = this.exportFn(name);
    const save = this.mem.position();
    const [p1, l1] = this.scratchStr(a);
    const [p2, l2] = this.scratchStr(b);
    const r = this.core.call(() => f(p1, l1, p2, l2));
    this.mem.setPosition(save);
    return r;
  }
}
