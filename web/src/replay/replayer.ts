/**
 * The replayer of `kernel-trace` documents: executes a trace's inputs on the simulator, as the
 * recorded program did on Linux, and writes the simulator's results in the same format
 * (format §10).
 *
 * The program model is the recorder's (format §5.0): one ring at a time, mapped as one region,
 * a private local SQ tail, zero-filled SQEs at `local_tail & sq_mask` with an identity SQ index
 * entry, `publish` stores the SQ tail, `reap` reads from CQ head to CQ tail. It drives the core
 * through the userspace library ({@link IoUring}, {@link Libc}), never through the kernel's
 * internals. Between two steps the kernel finishes all work that is due (io-wq, task_work of
 * the task in user mode); only `sleep`, `settle` and timed waits move the simulated clock.
 *
 * @see docs/trace-format.md
 */
import {
  ABI_VERSION,
  AF_INET,
  AF_UNIX,
  F_SETFL,
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_SETUP_CQE32,
  IORING_SETUP_SQE128,
  IO_URING_GETEVENTS_ARG_SIZE,
  O_CLOEXEC,
  O_DIRECTORY,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_WRONLY,
  SOCK_DGRAM,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_RCVBUF,
  SO_SNDBUF,
} from '../wasm/abi.generated';
import { CoreDeadError, type Core } from '../wasm/load';
import { IoUring, writeGeteventsArg, type Cqe } from '../uring/IoUring';
import { Libc } from '../uring/libc';
import type { Sqe } from '../uring/sqe';
import { UserMemory } from '../uring/userMemory';
import { drainTrace } from '../wasm/decode';
import { SIM_TRACEPOINTS, TracepointNamer, toTracepoint } from './tracepoints';
import {
  parseTraceInput,
  STEP_INPUT_KEYS,
  type FdRef,
  type FileIn,
  type IovIn,
  type SqeIn,
  type StepIn,
  type TraceIn,
  type U64OrPtr,
} from './input';
import {
  bitNames,
  CQE_FLAG_NAMES,
  ENTER_NAMES,
  FEAT_NAMES,
  SETUP_NAMES,
  SQ_FLAG_NAMES,
  SQE_FLAG_NAMES,
  u64Out,
  withErrno,
} from './names';

/** A JSON object of the output document. */
export type Json = Record<string, unknown>;

/** Identification of the replaying implementation (the output's `kernel`). */
export interface ReplayOptions {
  /** `kernel.release`: the simulator's version. */
  release?: string;
  /** Steps the kernel may run between two program steps before the replay gives up. */
  maxIdleSteps?: number;
}

/** The output of {@link replayTrace}: the trace, and what went wrong while replaying it. */
export interface ReplayResult {
  trace: Json;
  /** Steps that could not be performed (they are emitted without results). */
  errors: { step: number; message: string }[];
  /** Set when the core trapped (a simulator bug); later steps are emitted without results. */
  panic: string | null;
}

/** The ring's words as a `state` object (format §8). */
export function ringState(r: IoUring): Json {
  const sqHead = r.sqHead();
  const sqTail = r.sqTail();
  const sqFlags = r.sqFlags();
  const cqHead = r.cqHead();
  const cqTail = r.cqTail();
  return {
    sq_head: sqHead,
    sq_tail: sqTail,
    sq_pending: (sqTail - sqHead) >>> 0,
    sq_flags: sqFlags,
    sq_flags_names: bitNames(sqFlags, SQ_FLAG_NAMES),
    sq_dropped: r.sqDropped(),
    cq_head: cqHead,
    cq_tail: cqTail,
    cq_ready: (cqTail - cqHead) >>> 0,
    cq_overflow: r.cqOverflow(),
    cq_flags: r.cqFlags(),
  };
}

function cqeOut(c: Cqe): Json {
  const o: Json = { cq_index: c.index, user_data: u64Out(c.userData) };
  withErrno(o, 'res', c.res);
  o.flags = c.flags;
  o.flags_names = bitNames(c.flags, CQE_FLAG_NAMES);
  if (c.big) o.big_cqe = [u64Out(c.big[0]), u64Out(c.big[1])];
  return o;
}

/** One replay in progress: the core, the process's memory and the objects the trace names. */
class Session {
  readonly mem: UserMemory;
  readonly libc: Libc;
  ring: IoUring | null = null;
  readonly fds = new Map<string, number>();
  /** User buffers by name (`buffer` and `int32` pointer descriptors). */
  readonly bufs = new Map<string, number>();
  readonly cqes: Json[] = [];

  constructor(
    readonly core: Core,
    readonly input: TraceIn,
    readonly opts: ReplayOptions,
  ) {
    core.call((e) => e.rs_init(0));
    this.mem = new UserMemory(core);
    this.libc = new Libc(core, this.mem);
    this.allocBuffers();
  }

  /** Allocates every named buffer once, at the largest size any descriptor asks for. */
  private allocBuffers() {
    const sizes = new Map<string, number>();
    const need = (name: string, n: number) => sizes.set(name, Math.max(sizes.get(name) ?? 0, n));
    const iov = (l: IovIn[] | undefined) => l?.forEach((e) => e.buf !== undefined && need(e.buf, e.size));
    for (const s of this.input.steps) {
      if (s.kind === 'register') iov(s.iovecs);
      if (s.kind === 'buf_ring_add')
        for (const b of s.bufs) sizes.set(b.buf, Math.max(sizes.get(b.buf) ?? 0, b.offset + b.len, b.size));
      if (s.kind !== 'publish') continue;
      for (const q of s.sqes) {
        for (const v of [q.addr, q.addr3]) {
          if (typeof v === 'bigint' || v.type === 'timespec') continue;
          if (v.type === 'iovec') iov(v.iov);
          else need(v.buf, v.type === 'int32' ? 4 : v.size);
        }
      }
    }
    for (const [name, n] of sizes) this.bufs.set(name, this.mem.alloc(Math.max(n, 1), 16));
  }

  /** Writes a `struct iovec` array for the elements and returns its address (format §6.2). */
  iovArray(l: IovIn[]): number {
    const a = this.mem.alloc(Math.max(16 * l.length, 16), 16);
    l.forEach((e, i) => {
      let base = e.base;
      if (e.buf !== undefined) {
        const b = this.bufs.get(e.buf)! + e.offset;
        if (e.value !== undefined) this.mem.writeI32(b, e.value);
        base = BigInt(b);
      }
      this.mem.writeU64(a + 16 * i, base);
      this.mem.writeU64(a + 16 * i + 8, e.len);
    });
    return a;
  }

  idle() {
    this.core.call((e) => e.rs_run_until_idle(this.opts.maxIdleSteps ?? 1_000_000));
  }

  fdOf(ref: FdRef): number {
    if (ref.ref === 'literal') return ref.fd;
    if (ref.ref === 'ring') {
      if (!this.ring) throw new Error('the step refers to the ring, but no ring is open');
      return this.ring.fd;
    }
    const fd = this.fds.get(ref.file);
    if (fd === undefined) throw new Error(`file ${JSON.stringify(ref.file)} was not created`);
    return fd;
  }

  state(): Json | undefined {
    return this.ring ? ringState(this.ring) : undefined;
  }

  // --- files (format §3) -------------------------------------------------------------------

  private check(what: string, ret: number): number {
    if (ret < 0) throw new Error(`${what} failed with ${ret}`);
    return ret;
  }

  private sockOpts(f: FileIn, fd: number) {
    if (f.soRcvbuf !== undefined)
      this.check(`setsockopt(${f.id}, SO_RCVBUF)`, this.libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, f.soRcvbuf));
    if (f.soSndbuf !== undefined)
      this.check(`setsockopt(${f.id}, SO_SNDBUF)`, this.libc.setsockoptInt(fd, SOL_SOCKET, SO_SNDBUF, f.soSndbuf));
  }

  private nonblock(f: FileIn | undefined, fd: number) {
    if (f?.nonblock) this.check(`fcntl(${f.id}, F_SETFL, O_NONBLOCK)`, this.libc.fcntl(fd, F_SETFL, O_NONBLOCK));
  }

  private access(f: FileIn): number {
    return f.access === 'rdonly' ? O_RDONLY : f.access === 'wronly' ? O_WRONLY : O_RDWR;
  }

  private file(id: string): FileIn {
    const f = this.input.files.find((x) => x.id === id);
    if (!f) throw new Error(`no files entry ${JSON.stringify(id)}`);
    return f;
  }

  /** Creates every file, each group when its first member comes up (format §3). */
  createFiles() {
    for (const f of this.input.files) if (!this.fds.has(f.id)) this.createGroup(f);
    this.idle();
  }

  private createGroup(f: FileIn) {
    const L = this.libc;
    const set = (id: string, fd: number) => this.fds.set(id, this.check(`creating ${id}`, fd));
    switch (f.fdKind) {
      case 'regular_file':
        set(f.id, L.openat('/tmp', O_TMPFILE | (f.access ? this.access(f) : O_RDWR) | O_CLOEXEC));
        break;
      case 'directory': {
        const path = f.path ?? '.';
        L.mkdir(path);
        set(f.id, L.openat(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        break;
      }
      case 'dev_null':
      case 'dev_zero':
      case 'dev_fuse':
      case 'tun': {
        const path = { dev_null: '/dev/null', dev_zero: '/dev/zero', dev_fuse: '/dev/fuse', tun: '/dev/net/tun' }[
          f.fdKind
        ];
        set(f.id, L.openat(path, this.access(f) | O_CLOEXEC));
        break;
      }
      case 'pipe_read_end':
      case 'pipe_write_end': {
        const p = L.pipe2(O_CLOEXEC);
        this.check('pipe2', p.ret);
        const [r, w] = f.fdKind === 'pipe_read_end' ? [f.id, f.peer!] : [f.peer!, f.id];
        set(r, p.fds[0]);
        set(w, p.fds[1]);
        break;
      }
      case 'eventfd':
        set(f.id, L.eventfd(0, 0));
        break;
      case 'epoll':
        set(f.id, L.epollCreate1(0));
        break;
      case 'memfd':
        set(f.id, L.memfdCreate(f.id, 0));
        break;
      case 'unix_stream':
      case 'unix_dgram':
      case 'unix_seqpacket': {
        const type = { unix_stream: SOCK_STREAM, unix_dgram: SOCK_DGRAM, unix_seqpacket: SOCK_SEQPACKET }[f.fdKind];
        const p = L.socketpair(AF_UNIX, type | O_CLOEXEC, 0);
        this.check('socketpair', p.ret);
        set(f.id, p.fds[0]);
        set(f.peer!, p.fds[1]);
        const peer = this.file(f.peer!);
        this.sockOpts(f, p.fds[0]);
        this.sockOpts(peer, p.fds[1]);
        this.nonblock(f, p.fds[0]);
        this.nonblock(peer, p.fds[1]);
        break;
      }
      case 'tcp_unconnected': {
        const fd = L.socket(AF_INET, SOCK_STREAM | O_CLOEXEC, 0);
        set(f.id, fd);
        this.sockOpts(f, fd);
        this.nonblock(f, fd);
        break;
      }
      case 'tcp_listener':
        this.tcpListener(f);
        break;
      case 'tcp_client':
      case 'tcp_server': {
        const client = f.fdKind === 'tcp_client' ? f : this.file(f.peer!);
        this.tcpConnection(client);
        break;
      }
      case 'udp_rx':
        this.udpRx(f);
        break;
      case 'udp_tx': {
        const rx = this.file(f.peer!);
        if (!this.fds.has(rx.id)) this.udpRx(rx);
        const fd = L.socket(AF_INET, SOCK_DGRAM | O_CLOEXEC, 0);
        set(f.id, fd);
        this.sockOpts(f, fd);
        this.check(`connect(${f.id})`, L.connect(fd, this.port(rx.id)));
        this.nonblock(f, fd);
        break;
      }
    }
  }

  private readonly ports = new Map<string, number>();

  private port(id: string): number {
    const p = this.ports.get(id);
    if (p === undefined) throw new Error(`${id} has no port`);
    return p;
  }

  private bound(f: FileIn, type: number): number {
    const fd = this.libc.socket(AF_INET, type | O_CLOEXEC, 0);
    this.fds.set(f.id, this.check(`socket(${f.id})`, fd));
    this.sockOpts(f, fd);
    this.check(`bind(${f.id})`, this.libc.bind(fd, 0));
    const n = this.libc.getsockname(fd);
    this.check(`getsockname(${f.id})`, n.ret);
    this.ports.set(f.id, n.port);
    return fd;
  }

  private tcpListener(f: FileIn) {
    const fd = this.bound(f, SOCK_STREAM);
    this.check(`listen(${f.id})`, this.libc.listen(fd, f.backlog ?? 0));
    this.nonblock(f, fd);
  }

  private udpRx(f: FileIn) {
    const fd = this.bound(f, SOCK_DGRAM);
    this.nonblock(f, fd);
  }

  private tcpConnection(client: FileIn) {
    const L = this.libc;
    const listener = this.file(client.listener!);
    if (!this.fds.has(listener.id)) this.tcpListener(listener);
    const c = L.socket(AF_INET, SOCK_STREAM | O_CLOEXEC, 0);
    this.fds.set(client.id, this.check(`socket(${client.id})`, c));
    this.sockOpts(client, c);
    this.check(`connect(${client.id})`, L.connect(c, this.port(listener.id)));
    const server = this.file(client.peer!);
    const s = L.accept4(this.fds.get(listener.id)!, O_CLOEXEC);
    this.fds.set(server.id, this.check(`accept4(${listener.id})`, s));
    this.sockOpts(server, s);
    this.nonblock(client, c);
    this.nonblock(server, s);
  }

  // --- steps (format §5) -------------------------------------------------------------------

  run(step: StepIn): Json {
    const out: Json = {};
    switch (step.kind) {
      case 'setup':
      case 'setup_probe':
        this.setup(step, out);
        break;
      case 'buf_ring_add':
        out.tail = this.bufRingAdd(step);
        break;
      case 'register':
        this.register(step, out);
        break;
      case 'publish':
        this.publish(step.sqes, out);
        break;
      case 'sq_array_write':
        this.needRing().writeSqArray(step.index, step.value);
        break;
      case 'sq_tail_store':
        this.needRing().storeSqTail(step.value);
        break;
      case 'enter':
        this.enter(step, out);
        break;
      case 'enter_raw':
        this.enterRaw(step, out);
        break;
      case 'reap':
        this.reap(step.max, out);
        break;
      case 'get_sqe': {
        const r = this.needRing();
        // liburing `_io_uring_get_sqe`: full when local tail - SQ head >= entries.
        out.result = (r.sqeTail - r.sqHead()) >>> 0 >= r.sqEntries ? null : 'sqe';
        break;
      }
      case 'state':
        break;
      case 'ring_close': {
        const r = this.needRing();
        const st = ringState(r);
        r.queueExit();
        this.ring = null;
        return { ...out, state: st };
      }
      case 'syscall':
        this.syscall(step, out);
        break;
      case 'settle':
        this.settle(step, out);
        break;
      case 'sleep':
        this.core.call((e) => e.rs_advance_clock(BigInt(step.ms) * 1_000_000n));
        return out;
      case 'peek':
        out.value = this.mem.readI32(this.bufs.get(step.buf)! + step.offset);
        return out;
      case 'fdinfo':
        out.lines = [];
        return out;
      case 'note':
        return out;
    }
    return out;
  }

  needRing(): IoUring {
    if (!this.ring) throw new Error('no ring is open');
    return this.ring;
  }

  private setup(step: Extract<StepIn, { kind: 'setup' | 'setup_probe' }>, out: Json) {
    out.flags_names = bitNames(step.flags, SETUP_NAMES);
    const r = IoUring.setup(this.core, this.mem, step.entries, {
      flags: step.flags,
      cqEntries: step.cqEntries,
      sqThreadIdle: step.sqThreadIdle,
      sqThreadCpu: step.sqThreadCpu,
      wqFd: step.wqFd ? this.fdOf(step.wqFd) : undefined,
    });
    withErrno(out, 'ret', r.ret < 0 ? r.ret : 0);
    if (r.ret < 0 || !r.params) return;
    const p = r.params;
    out.sq_entries = p.sqEntries;
    out.cq_entries = p.cqEntries;
    out.features = p.features;
    out.features_names = bitNames(p.features, FEAT_NAMES);
    out.sq_off = {
      head: p.off.sq.head,
      tail: p.off.sq.tail,
      ring_mask: p.off.sq.ringMask,
      ring_entries: p.off.sq.ringEntries,
      flags: p.off.sq.flags,
      dropped: p.off.sq.dropped,
      array: p.off.sq.array,
    };
    out.cq_off = {
      head: p.off.cq.head,
      tail: p.off.cq.tail,
      ring_mask: p.off.cq.ringMask,
      ring_entries: p.off.cq.ringEntries,
      overflow: p.off.cq.overflow,
      cqes: p.off.cq.cqes,
      flags: p.off.cq.flags,
    };
    if (step.kind === 'setup_probe') {
      out.sq_off_array = p.off.sq.array;
      this.libc.close(r.ret);
      return;
    }
    out.sqe_size = step.flags & IORING_SETUP_SQE128 ? 128 : 64;
    out.cqe_size = step.flags & IORING_SETUP_CQE32 ? 32 : 16;
    // The recorder maps the fd it got; map this one the same way.
    this.ring = IoUring.fromSetup(this.core, this.mem, r.ret, step.flags, p);
  }

  /** Page-aligned buffer-ring memory by name, and the program's local tail of each. */
  private readonly bufRings = new Map<string, { addr: number; tail: number }>();

  private bufRing(name: string, entries: number) {
    let b = this.bufRings.get(name);
    if (!b) {
      const bytes = Math.min(Math.ceil((Math.max(entries, 1) * 16) / 4096) * 4096, 1 << 16);
      b = { addr: this.mem.alloc(bytes, 4096), tail: 0 };
      this.bufRings.set(name, b);
    }
    return b;
  }

  /** liburing's `io_uring_buf_ring_add` for each buffer, then `io_uring_buf_ring_advance`. */
  private bufRingAdd(step: Extract<StepIn, { kind: 'buf_ring_add' }>) {
    const b = this.bufRing(step.ring, step.ringEntries);
    step.bufs.forEach((x, i) => {
      const e = b.addr + 16 * ((b.tail + i) & (step.ringEntries - 1));
      this.mem.writeU64(e, BigInt(this.bufs.get(x.buf)! + x.offset));
      this.mem.writeU32(e + 8, x.len);
      this.mem.writeU16(e + 12, x.bid);
    });
    b.tail = (b.tail + step.bufs.length) & 0xffff;
    this.mem.writeU16(b.addr + 14, b.tail);
    return b.tail;
  }

  private register(step: Extract<StepIn, { kind: 'register' }>, out: Json) {
    const r = this.needRing();
    if (step.bufReg) {
      const g = step.bufReg;
      const a = this.mem.alloc(40, 8);
      const ringAddr = g.ring ? this.bufRing(g.ring, g.ringEntries).addr + g.ringOffset : 0;
      this.mem.writeU64(a, BigInt(ringAddr));
      this.mem.writeU32(a + 8, g.ringEntries);
      this.mem.writeU16(a + 12, g.bgid);
      this.mem.writeU16(a + 14, g.flags);
      withErrno(out, 'ret', r.register(step.opcodeNum, a, step.nrArgs));
      return;
    }
    if (step.files) {
      const fds = step.files.map((id) => this.fdOf({ ref: 'file', file: id }));
      withErrno(
        out,
        'ret',
        r.registerFiles(fds.slice(0, step.nrArgs).concat(Array(Math.max(0, step.nrArgs - fds.length)).fill(-1))),
      );
      return;
    }
    if (step.iovecs) {
      withErrno(out, 'ret', r.register(step.opcodeNum, this.iovArray(step.iovecs), step.nrArgs));
      return;
    }
    if (step.arg !== undefined) {
      withErrno(out, 'ret', r.register(step.opcodeNum, Number(BigInt.asUintN(32, step.arg)), step.nrArgs));
      return;
    }
    if (step.opcodeNum === 8) {
      const p = r.probe(step.nrArgs);
      withErrno(out, 'ret', p.ret);
      if (p.ret === 0) {
        out.last_op = p.lastOp;
        out.ops_len = p.opsLen;
        out.ops = p.ops.map((o) => ({ op: o.op, supported: o.supported }));
      }
      return;
    }
    withErrno(out, 'ret', r.register(step.opcodeNum, 0, step.nrArgs));
  }

  private ptr(v: U64OrPtr, publish: boolean): bigint {
    if (typeof v === 'bigint') return v;
    if (v.type === 'timespec') {
      const a = this.mem.alloc(16);
      this.mem.writeU64(a, BigInt.asUintN(64, v.sec));
      this.mem.writeU64(a + 8, BigInt.asUintN(64, v.nsec));
      return BigInt(a);
    }
    if (v.type === 'iovec') return BigInt(this.iovArray(v.iov));
    const a = this.bufs.get(v.buf)!;
    if (v.type === 'int32' && v.value !== undefined && publish) this.mem.writeI32(a, v.value);
    return BigInt(v.type === 'buffer' ? a + v.offset : a);
  }

  private writeSqe(sqe: Sqe, q: SqeIn) {
    sqe.opcode = q.opcode;
    sqe.flags = q.flags;
    sqe.ioprio = q.ioprio;
    sqe.fd = this.fdOf(q.fd);
    sqe.off = q.off;
    sqe.addr64 = this.ptr(q.addr, true);
    sqe.len = q.len;
    sqe.opFlags = q.opFlags;
    sqe.userData = q.userData;
    sqe.bufIndex = q.bufIndex;
    sqe.personality = q.personality;
    sqe.spliceFdIn = q.spliceFdIn;
    sqe.addr3 = this.ptr(q.addr3, true);
    sqe.pad2 = q.pad2;
    if (q.upper) {
      if (sqe.size < 128) throw new Error('sqe128_upper_hex on a ring without IORING_SETUP_SQE128');
      sqe.setBytes(64, q.upper);
    }
  }

  private publish(sqes: SqeIn[], out: Json) {
    const r = this.needRing();
    out.sqes = sqes.map((q) => {
      const index = r.sqeTail;
      // The program writes at its local tail whether liburing would call the SQ full or not.
      const sqe = r.claimSqe();
      this.writeSqe(sqe, q);
      if (r.hasSqArray) r.writeSqArray(sqe.slot, sqe.slot);
      return {
        sq_index: index,
        slot: sqe.slot,
        opcode: q.opcode,
        flags: q.flags,
        flags_names: bitNames(q.flags, SQE_FLAG_NAMES),
        fd: sqe.fd,
        user_data: u64Out(q.userData),
      };
    });
    r.flushSq();
  }

  private timed<T>(f: () => T, out: Json, waits: boolean): T {
    const t0 = this.core.call((e) => e.rs_clock_ns());
    const v = f();
    if (waits) {
      const t1 = this.core.call((e) => e.rs_clock_ns());
      out.elapsed_ms_informational = Number(t1 - t0) / 1e6;
    }
    return v;
  }

  private enter(step: Extract<StepIn, { kind: 'enter' }>, out: Json) {
    const r = this.needRing();
    let arg = 0;
    let argsz = 0;
    if (step.extArgTimeoutMs !== undefined) {
      const ms = BigInt(step.extArgTimeoutMs);
      arg = writeGeteventsArg(this.mem, { sec: ms / 1000n, nsec: (ms % 1000n) * 1_000_000n });
      argsz = IO_URING_GETEVENTS_ARG_SIZE;
    }
    out.flags_names = bitNames(step.flags, ENTER_NAMES);
    const waits =
      (step.flags & IORING_ENTER_GETEVENTS) !== 0 && (step.minComplete > 0 || step.extArgTimeoutMs !== undefined);
    const ret = this.timed(() => r.enter(step.toSubmit, step.minComplete, step.flags, arg, argsz), out, waits);
    withErrno(out, 'ret', ret);
  }

  private enterRaw(step: Extract<StepIn, { kind: 'enter_raw' }>, out: Json) {
    const fd = this.fdOf(step.fd);
    out.fd = fd;
    let arg = 0;
    if (step.arg) arg = writeGeteventsArg(this.mem, null, step.arg.sigmask, step.arg.sigmaskSz, step.arg.minWaitUsec);
    const waits =
      (step.flags & IORING_ENTER_GETEVENTS) !== 0 &&
      (step.minComplete > 0 || (step.flags & IORING_ENTER_EXT_ARG) !== 0);
    const ret = this.timed(
      () => IoUring.enterRaw(this.core, fd, step.toSubmit, step.minComplete, step.flags, arg, step.argsz),
      out,
      waits,
    );
    withErrno(out, 'ret', ret);
  }

  private reap(max: number | undefined, out: Json) {
    const r = this.needRing();
    const list = r.reap(max ?? Infinity).map(cqeOut);
    out.cqes = list;
    out.count = list.length;
    for (const c of list) {
      const summary: Json = { ...c };
      delete summary.cq_index;
      delete summary.flags_names;
      this.cqes.push(summary);
    }
  }

  private syscall(step: Extract<StepIn, { kind: 'syscall' }>, out: Json) {
    const L = this.libc;
    const fd = this.fdOf({ ref: 'file', file: step.file });
    out.fd = fd;
    let ret: number;
    switch (step.call) {
      case 'write':
        ret = L.write(fd, step.bytes);
        break;
      case 'read':
        ret = L.read(fd, step.bytes);
        break;
      case 'send':
        ret = L.send(fd, step.bytes, step.flags);
        break;
      case 'recv':
        ret = L.recv(fd, step.bytes, step.flags);
        break;
      case 'ioctl': {
        const r = L.ioctlInt(fd, step.requestNum);
        ret = r.ret === 0 ? r.value : r.ret;
        break;
      }
      case 'getsockopt': {
        const r = L.getsockoptInt(fd, step.level, step.optname, step.optlen);
        ret = r.ret;
        out.value = r.value;
        break;
      }
      case 'write_until_eagain': {
        // Until a call fails with EAGAIN (or anything else, which ends the loop as well).
        let total = 0;
        for (let i = 0; i < 1 << 20; i++) {
          const n = L.write(fd, step.chunk);
          if (n <= 0) break;
          total += n;
        }
        ret = total;
        break;
      }
      case 'close':
        ret = L.close(fd);
        break;
      case 'connect':
        // To the listener the step names, on 127.0.0.1 (format §5.13).
        ret = L.connect(fd, this.port(step.to!));
        break;
    }
    withErrno(out, 'ret', ret);
  }

  private settle(step: Extract<StepIn, { kind: 'settle' }>, out: Json) {
    const fd = this.fdOf({ ref: 'file', file: step.file });
    out.fd = fd;
    const probe = () => {
      const r = this.libc.ioctlInt(fd, step.requestNum);
      return r.ret === 0 ? r.value : r.ret;
    };
    let v = probe();
    // Poll once a millisecond of simulated time, as the recorder does.
    for (let t = 0; v !== step.want && t < step.timeoutMs; t++) {
      this.core.call((e) => e.rs_advance_clock(1_000_000n));
      v = probe();
    }
    withErrno(out, 'ret', v);
  }
}

/** The input fields of a raw step, with fd references resolved to the replay's descriptors. */
function echoInputs(raw: Json, kind: string): Json {
  const o: Json = {};
  for (const k of STEP_INPUT_KEYS[kind] ?? []) if (Object.hasOwn(raw, k) && k !== 'sqes') o[k] = raw[k];
  return o;
}

/**
 * Replays a trace document (complete or reduced to its inputs) on a fresh simulator in `core`
 * and returns the simulator's trace.
 *
 * @throws TraceInputError when the document is not a valid kernel-trace input.
 */
export function replayTrace(core: Core, doc: unknown, opts: ReplayOptions = {}): ReplayResult {
  const input = parseTraceInput(doc);
  const errors: ReplayResult['errors'] = [];
  let panic: string | null = null;
  const steps: Json[] = [];
  let session: Session | null = null;
  try {
    session = new Session(core, input, opts);
    session.createFiles();
  } catch (e) {
    if (e instanceof CoreDeadError) panic = e.panic;
    errors.push({ step: -1, message: `creating the files: ${e instanceof Error ? e.message : String(e)}` });
  }
  // The simulator's io_uring tracepoints per step (docs/tracepoints.md): what a step's call did,
  // then what the kernel finished after it (io-wq, task_work) goes with the next step, as a
  // recording attaches an event to the step during which it fired.
  const names = new TracepointNamer();
  const tracepoints = (): Json[] =>
    session
      ? drainTrace(session.core)
          .map((e) => toTracepoint(e, names))
          .filter((t): t is Json => t !== null)
      : [];
  if (session) drainTrace(session.core);
  let carried: Json[] = [];
  input.steps.forEach((step, i) => {
    const base: Json = { step: step.step, kind: step.kind, ...echoInputs(input.rawSteps[i]!, step.kind) };
    if (panic !== null || !session) {
      steps.push(base);
      return;
    }
    try {
      const res = session.run(step);
      const withState = !['note', 'fdinfo', 'sleep', 'peek', 'ring_close'].includes(step.kind);
      const st = withState ? session.state() : undefined;
      const tp = [...carried, ...tracepoints()];
      steps.push({ ...base, ...res, ...(st ? { state: st } : {}), tracepoints: tp });
      session.idle();
      carried = tracepoints();
      if (i === input.steps.length - 1) tp.push(...carried);
    } catch (e) {
      if (e instanceof CoreDeadError) panic = e.panic;
      const message = e instanceof Error ? e.message : String(e);
      errors.push({ step: step.step, message });
      const st = session.ring && panic === null ? session.state() : undefined;
      steps.push({ ...base, replay_error: message, ...(st ? { state: st } : {}) });
    }
  });
  const files = input.files.map((f) => ({ id: f.id, fd_kind: f.fdKind, fd: session?.fds.get(f.id) ?? -1 }));
  const trace: Json = {
    format: 'kernel-trace',
    format_version: 1,
    name: input.name,
    kernel: {
      sysname: 'Ringside',
      release: opts.release ?? 'dev',
      version: `core ABI ${ABI_VERSION}`,
      machine: 'wasm32',
    },
    files,
    steps,
    cqes: session?.cqes ?? [],
    tracepoints_captured: SIM_TRACEPOINTS,
    skipped: false,
  };
  return { trace, errors, panic };
}
