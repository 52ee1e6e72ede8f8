/**
 * A liburing-shaped userspace library over the simulator's shared rings.
 *
 * The rings live in the core's memory at the offsets the simulated `io_uring_setup` returns,
 * exactly as a process maps them; this library writes SQEs, the SQ index array and the SQ
 * tail there, reads CQEs and stores the CQ head, following liburing's contracts.
 *
 * @see https://github.com/axboe/liburing (src/include/liburing.h, src/queue.c, src/setup.c)
 */
import {
  IORING_CQE_F_32,
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_OFF_SQES,
  IORING_OFF_SQ_RING,
  IORING_REGISTER_FILES,
  IORING_REGISTER_PROBE,
  IORING_SETUP_CQE32,
  IORING_SETUP_CQE_MIXED,
  IORING_SETUP_CQSIZE,
  IORING_SETUP_NO_SQARRAY,
  IORING_SETUP_SQE128,
  IORING_UNREGISTER_FILES,
  IO_URING_GETEVENTS_ARG_SIZE,
  IO_URING_OP_SUPPORTED,
  IO_URING_PROBE_OP_SIZE,
  IO_URING_PROBE_SIZE,
  PARAMS_OFF,
} from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import { Sqe } from './sqe';
import { UserMemory } from './userMemory';

/** An error carrying a negative errno returned by the kernel. */
export class UringError extends Error {
  constructor(
    readonly errno: number,
    what: string,
  ) {
    super(`${what} failed: ${errno}`);
    this.name = 'UringError';
  }
}

/** The ring offsets `io_uring_setup` published (`io_sqring_offsets`, `io_cqring_offsets`). */
export interface RingOffsets {
  sq: {
    head: number;
    tail: number;
    ringMask: number;
    ringEntries: number;
    flags: number;
    dropped: number;
    array: number;
  };
  cq: {
    head: number;
    tail: number;
    ringMask: number;
    ringEntries: number;
    overflow: number;
    cqes: number;
    flags: number;
  };
}

/** A completion as userspace reads it. */
export interface Cqe {
  userData: bigint;
  res: number;
  flags: number;
  /** `big_cqe[0..2]` on CQE32 rings, and for `IORING_CQE_F_32` CQEs on CQE_MIXED rings. */
  big?: [bigint, bigint];
  /** The CQ index (head value) it was read at. */
  index: number;
}

/** `struct io_uring_params` after `io_uring_setup` filled it in. */
export interface SetupParams {
  sqEntries: number;
  cqEntries: number;
  flags: number;
  features: number;
  off: RingOffsets;
}

/** What the raw `io_uring_setup(2)` returned: the ring fd (or a negative errno) and the params. */
export interface SetupResult {
  ret: number;
  params: SetupParams | null;
}

/** One entry of `struct io_uring_probe`. */
export interface ProbeOp {
  op: number;
  supported: boolean;
}

/** The result of `IORING_REGISTER_PROBE`. */
export interface Probe {
  ret: number;
  lastOp: number;
  opsLen: number;
  ops: ProbeOp[];
}

/** The wait limit of {@link IoUring.submitAndWaitTimeout}: a `__kernel_timespec`. */
export interface Timespec {
  sec: bigint;
  nsec: bigint;
}

/** Options of {@link IoUring.queueInit}. */
export interface QueueInitOptions {
  flags?: number;
  /** With `IORING_SETUP_CQSIZE`. */
  cqEntries?: number;
  /** With `IORING_SETUP_SQPOLL`: milliseconds the SQ thread spins idle before it sleeps. */
  sqThreadIdle?: number;
  /** With `IORING_SETUP_SQ_AFF`: the CPU the SQ thread is bound to. */
  sqThreadCpu?: number;
  /** With `IORING_SETUP_ATTACH_WQ`: the ring whose io-wq to share. */
  wqFd?: number;
}

/**
 * Writes a `struct io_uring_getevents_arg {sigmask, sigmask_sz, min_wait_usec, ts}` into user
 * memory (with the `__kernel_timespec` `ts` points to, or a NULL `ts`) and returns its address.
 */
export function writeGeteventsArg(
  mem: UserMemory,
  ts: Timespec | null,
  sigmask = 0n,
  sigmaskSz = 0,
  minWaitUsec = 0,
): number {
  const a = mem.alloc(IO_URING_GETEVENTS_ARG_SIZE);
  mem.writeU64(a, sigmask);
  mem.writeU32(a + 8, sigmaskSz);
  mem.writeU32(a + 12, minWaitUsec);
  if (ts) {
    const t = mem.alloc(16);
    mem.writeU64(t, ts.sec);
    mem.writeU64(t + 8, ts.nsec);
    mem.writeU64(a + 16, BigInt(t));
  }
  return a;
}

/**
 * One io_uring instance as a program sees it: the mapped SQ/CQ rings and SQE array, the local
 * SQ tail, and liburing's operations on them.
 *
 * @see core-rs/src/io_uring/mod.rs for the kernel side.
 */
export class IoUring {
  /** The local SQ tail (`sq->sqe_tail`): SQEs handed out but maybe not yet published. */
  sqeTail = 0;
  readonly sqeSize: number;
  readonly cqeSize: number;

  private constructor(
    readonly core: Core,
    readonly mem: UserMemory,
    readonly fd: number,
    readonly flags: number,
    readonly sqEntries: number,
    readonly cqEntries: number,
    readonly features: number,
    readonly off: RingOffsets,
    readonly ringsAddr: number,
    readonly sqesAddr: number,
  ) {
    this.sqeSize = flags & IORING_SETUP_SQE128 ? 128 : 64;
    this.cqeSize = flags & IORING_SETUP_CQE32 ? 32 : 16;
  }

  /**
   * Mirrors liburing `io_uring_setup()` (the raw system call): fills a zeroed
   * `io_uring_params` with `flags` (and `cq_entries`), calls `io_uring_setup(entries, p)` and
   * reads the params back. The ring is not mapped.
   *
   * Returns the fd (or a negative errno) in `ret`; `params` is `null` on failure.
   */
  static setup(core: Core, mem: UserMemory, entries: number, opts: QueueInitOptions = {}): SetupResult {
    const flags = (opts.flags ?? 0) >>> 0;
    const p = mem.alloc(120);
    mem.writeU32(p + PARAMS_OFF.FLAGS, flags);
    if (opts.cqEntries !== undefined) mem.writeU32(p + PARAMS_OFF.CQ_ENTRIES, opts.cqEntries);
    if (opts.sqThreadIdle !== undefined) mem.writeU32(p + PARAMS_OFF.SQ_THREAD_IDLE, opts.sqThreadIdle >>> 0);
    if (opts.sqThreadCpu !== undefined) mem.writeU32(p + PARAMS_OFF.SQ_THREAD_CPU, opts.sqThreadCpu >>> 0);
    if (opts.wqFd !== undefined) mem.writeU32(p + PARAMS_OFF.WQ_FD, opts.wqFd >>> 0);
    const fd = core.call((e) => e.io_uring_setup(entries >>> 0, p));
    if (fd < 0) return { ret: fd, params: null };
    const dv = core.view();
    const u = (o: number) => dv.getUint32(p + o, true);
    const so = PARAMS_OFF.SQ_OFF;
    const co = PARAMS_OFF.CQ_OFF;
    const off: RingOffsets = {
      sq: {
        head: u(so),
        tail: u(so + 4),
        ringMask: u(so + 8),
        ringEntries: u(so + 12),
        flags: u(so + 16),
        dropped: u(so + 20),
        array: u(so + 24),
      },
      cq: {
        head: u(co),
        tail: u(co + 4),
        ringMask: u(co + 8),
        ringEntries: u(co + 12),
        overflow: u(co + 16),
        cqes: u(co + 20),
        flags: u(co + 24),
      },
    };
    return {
      ret: fd,
      params: {
        sqEntries: u(PARAMS_OFF.SQ_ENTRIES),
        cqEntries: u(PARAMS_OFF.CQ_ENTRIES),
        flags,
        features: u(PARAMS_OFF.FEATURES),
        off,
      },
    };
  }

  /**
   * Mirrors liburing `io_uring_queue_init_params()`: set up a ring, map it, fill the SQ index
   * array with the identity map.
   *
   * @throws UringError with the kernel's errno when setup fails.
   */
  static queueInit(core: Core, mem: UserMemory, entries: number, opts: QueueInitOptions = {}): IoUring {
    const flags = (opts.flags ?? 0) | (opts.cqEntries !== undefined ? IORING_SETUP_CQSIZE : 0);
    const r = IoUring.setup(core, mem, entries, { ...opts, flags });
    if (r.ret < 0 || !r.params) throw new UringError(r.ret, 'io_uring_setup');
    return IoUring.fromSetup(core, mem, r.ret, flags, r.params);
  }

  /**
   * Maps a ring `io_uring_setup` created (the `mmap` part of liburing
   * `io_uring_queue_mmap()`) and fills the SQ index array with the identity map, as liburing
   * `io_uring_setup_ring_pointers()` does.
   */
  static fromSetup(core: Core, mem: UserMemory, fd: number, flags: number, p: SetupParams): IoUring {
    const { off } = p;
    const ringsAddr = core.call((e) => e.rs_mmap(fd, IORING_OFF_SQ_RING)) >>> 0;
    const sqesAddr = core.call((e) => e.rs_mmap(fd, IORING_OFF_SQES)) >>> 0;
    if (!ringsAddr || !sqesAddr) throw new UringError(-22, 'mmap');
    const ring = new IoUring(core, mem, fd, flags, p.sqEntries, p.cqEntries, p.features, off, ringsAddr, sqesAddr);
    if (!(flags & IORING_SETUP_NO_SQARRAY)) {
      for (let i = 0; i < ring.sqEntries; i++) ring.core.view().setUint32(ringsAddr + off.sq.array + 4 * i, i, true);
    }
    return ring;
  }

  /** Whether 16- and 32-byte CQEs share the CQ ring (`IORING_SETUP_CQE_MIXED`). */
  get cqeMixed(): boolean {
    return (this.flags & IORING_SETUP_CQE_MIXED) !== 0;
  }

  private word(o: number): number {
    return this.core.view().getUint32(this.ringsAddr + o, true);
  }

  sqHead(): number {
    return this.word(this.off.sq.head);
  }
  sqTail(): number {
    return this.word(this.off.sq.tail);
  }
  sqFlags(): number {
    return this.word(this.off.sq.flags);
  }
  sqDropped(): number {
    return this.word(this.off.sq.dropped);
  }
  cqHead(): number {
    return this.word(this.off.cq.head);
  }
  cqTail(): number {
    return this.word(this.off.cq.tail);
  }
  cqOverflow(): number {
    return this.word(this.off.cq.overflow);
  }
  /** The CQ ring's flags word (`IORING_CQ_EVENTFD_DISABLED`, written by the application). */
  cqFlags(): number {
    return this.word(this.off.cq.flags);
  }
  /** Whether the ring has an SQ index array (no `IORING_SETUP_NO_SQARRAY`). */
  get hasSqArray(): boolean {
    return (this.flags & IORING_SETUP_NO_SQARRAY) === 0;
  }
  /** The SQ index array entry at position `i`. */
  sqArray(i: number): number {
    return this.word(this.off.sq.array + 4 * i);
  }

  /** Mirrors liburing `io_uring_sq_ready()`: SQEs handed out and not yet consumed. */
  sqReady(): number {
    return (this.sqeTail - this.sqHead()) >>> 0;
  }

  /** Mirrors liburing `io_uring_sq_space_left()`. */
  sqSpaceLeft(): number {
    return this.sqEntries - this.sqReady();
  }

  /**
   * Mirrors liburing `io_uring_get_sqe()`: returns a vacant, zeroed SQE, or `null` if the SQ is
   * full.
   */
  getSqe(): Sqe | null {
    if ((this.sqeTail - this.sqHead()) >>> 0 >= this.sqEntries) return null;
    const slot = this.sqeTail & (this.sqEntries - 1);
    this.sqeTail = (this.sqeTail + 1) >>> 0;
    const addr = this.sqesAddr + slot * this.sqeSize;
    this.core.u8().fill(0, addr, addr + this.sqeSize);
    return new Sqe(this.core, addr, this.sqeSize, slot);
  }

  /**
   * Specific to the simulator's replay of raw programs: claims the SQE at the local tail
   * without liburing's SQ-full check (zero-filled, local tail incremented), as a program that
   * manages the ring itself may.
   */
  claimSqe(): Sqe {
    const slot = this.sqeTail & (this.sqEntries - 1);
    this.sqeTail = (this.sqeTail + 1) >>> 0;
    const addr = this.sqesAddr + slot * this.sqeSize;
    this.core.u8().fill(0, addr, addr + this.sqeSize);
    return new Sqe(this.core, addr, this.sqeSize, slot);
  }

  /** Writes the SQ index array entry `i` (misuse scenarios: out-of-range indices). */
  writeSqArray(i: number, value: number): void {
    this.core.view().setUint32(this.ringsAddr + this.off.sq.array + 4 * i, value >>> 0, true);
  }

  /** Stores the SQ tail directly (misuse scenarios); the local tail follows it. */
  storeSqTail(value: number): void {
    this.sqeTail = value >>> 0;
    this.core.view().setUint32(this.ringsAddr + this.off.sq.tail, this.sqeTail, true);
  }

  /**
   * Mirrors liburing `__io_uring_flush_sq()`: publishes the local tail (a store-release on a
   * real machine) and returns how many SQEs are pending.
   */
  flushSq(): number {
    this.core.view().setUint32(this.ringsAddr + this.off.sq.tail, this.sqeTail, true);
    return (this.sqeTail - this.sqHead()) >>> 0;
  }

  /** Mirrors liburing `io_uring_submit()`. Returns the number submitted or a negative errno. */
  submit(): number {
    return this.submitAndWait(0);
  }

  /** Mirrors liburing `io_uring_submit_and_wait()`. */
  submitAndWait(waitNr: number): number {
    const n = this.flushSq();
    return this.enter(n, waitNr, waitNr > 0 ? IORING_ENTER_GETEVENTS : 0);
  }

  /** `io_uring_enter(2)` on this ring, run to completion (liburing `io_uring_enter2()`). */
  enter(toSubmit: number, minComplete: number, flags: number, arg = 0, argsz = 0): number {
    return IoUring.enterRaw(this.core, this.fd, toSubmit, minComplete, flags, arg, argsz);
  }

  /**
   * Mirrors liburing `io_uring_enter2()` (the raw system call) on any descriptor, run to
   * completion: returns what the kernel returned.
   */
  static enterRaw(
    core: Core,
    fd: number,
    toSubmit: number,
    minComplete: number,
    flags: number,
    arg = 0,
    argsz = 0,
  ): number {
    return core.call((e) =>
      e.io_uring_enter(fd | 0, toSubmit >>> 0, minComplete >>> 0, flags >>> 0, arg >>> 0, argsz >>> 0),
    );
  }

  /**
   * Specific to the simulator: starts `io_uring_enter(2)` and returns at once; the kernel's
   * work then happens one unit per `rs_step()`.
   */
  enterBegin(toSubmit: number, minComplete: number, flags: number, arg = 0, argsz = 0): number {
    return this.core.call((e) => e.rs_enter_begin(this.fd, toSubmit >>> 0, minComplete >>> 0, flags >>> 0, arg, argsz));
  }

  /** Mirrors liburing `io_uring_cq_ready()`. */
  cqReady(): number {
    return (this.cqTail() - this.cqHead()) >>> 0;
  }

  /**
   * Reads the CQE at CQ index `index` without consuming it. A CQE is 32 bytes on a CQE32
   * ring, and on a CQE_MIXED ring when it carries `IORING_CQE_F_32`.
   */
  cqeAt(index: number): Cqe {
    const slot = index & (this.cqEntries - 1);
    const a = this.ringsAddr + this.off.cq.cqes + slot * this.cqeSize;
    const dv = this.core.view();
    const c: Cqe = {
      userData: dv.getBigUint64(a, true),
      res: dv.getInt32(a + 8, true),
      flags: dv.getUint32(a + 12, true),
      index,
    };
    if (this.cqeSize === 32 || (this.cqeMixed && c.flags & IORING_CQE_F_32)) {
      c.big = [dv.getBigUint64(a + 16, true), dv.getBigUint64(a + 24, true)];
    }
    return c;
  }

  /** Mirrors liburing `io_uring_cqe_nr()`: CQ slots the CQE takes (2 for a 32-byte CQE on a CQE_MIXED ring). */
  cqeNr(cqe: Cqe): number {
    return this.cqeMixed && cqe.flags & IORING_CQE_F_32 ? 2 : 1;
  }

  /** Mirrors liburing `io_uring_peek_cqe()`: the next CQE, or `null` if none is ready. */
  peekCqe(): Cqe | null {
    const head = this.cqHead();
    return head === this.cqTail() ? null : this.cqeAt(head);
  }

  /** Mirrors liburing `io_uring_cq_advance()`: stores the CQ head (store-release). */
  cqAdvance(nr: number): void {
    this.core.view().setUint32(this.ringsAddr + this.off.cq.head, (this.cqHead() + nr) >>> 0, true);
  }

  /** Mirrors liburing `io_uring_cqe_seen()`: consumes the CQE (two slots for a mixed 32-byte CQE). */
  cqeSeen(cqe: Cqe): void {
    this.cqAdvance(this.cqeNr(cqe));
  }

  /**
   * Reads up to `max` CQEs and advances the head past them (liburing `io_uring_for_each_cqe`
   * followed by `io_uring_cq_advance`).
   *
   * Unlike liburing, the head never moves past the tail: on a CQE_MIXED ring Linux 6.18 can
   * expose a stale slot just before the tail whose flags claim `IORING_CQE_F_32` (see
   * `io_get_cqe_overflow` in core-rs/src/io_uring/mod.rs); stepping two slots there would
   * leave head past tail and this loop would run round the whole u32 range.
   */
  reap(max = Infinity): Cqe[] {
    const out: Cqe[] = [];
    let head = this.cqHead();
    const tail = this.cqTail();
    while (head !== tail && out.length < max) {
      const c = this.cqeAt(head);
      out.push(c);
      head = (head + Math.min(this.cqeNr(c), (tail - head) >>> 0)) >>> 0;
    }
    this.core.view().setUint32(this.ringsAddr + this.off.cq.head, head, true);
    return out;
  }

  /**
   * Mirrors liburing `io_uring_wait_cqe_nr()`: waits until `waitNr` CQEs are ready (entering
   * the kernel with `IORING_ENTER_GETEVENTS` if they are not) and returns the first one
   * without consuming it. `ret` is 0 or the kernel's negative errno.
   */
  waitCqeNr(waitNr: number): { ret: number; cqe: Cqe | null } {
    if (this.cqReady() < waitNr) {
      const ret = this.enter(0, waitNr, IORING_ENTER_GETEVENTS);
      if (ret < 0) return { ret, cqe: null };
    }
    const cqe = this.peekCqe();
    return { ret: cqe ? 0 : -11, cqe };
  }

  /** Mirrors liburing `io_uring_wait_cqe()`: {@link IoUring.waitCqeNr} for one CQE. */
  waitCqe(): { ret: number; cqe: Cqe | null } {
    return this.waitCqeNr(1);
  }

  /**
   * Writes a `struct io_uring_getevents_arg` (and its timespec, if `ts` is given) into user
   * memory and returns its address, for `io_uring_enter(..., IORING_ENTER_EXT_ARG, arg, 24)`.
   *
   * Specific to the simulator's memory model; liburing builds the same struct on its stack in
   * `io_uring_submit_and_wait_timeout()`.
   */
  getEventsArg(ts: Timespec | null, sigmask = 0n, sigmaskSz = 0, minWaitUsec = 0): number {
    return writeGeteventsArg(this.mem, ts, sigmask, sigmaskSz, minWaitUsec);
  }

  /**
   * Mirrors liburing `io_uring_submit_and_wait_timeout()`: publishes the SQ, submits it and
   * waits for `waitNr` CQEs or until `ts` passes (`IORING_ENTER_EXT_ARG`). Returns what
   * `io_uring_enter` returned.
   */
  submitAndWaitTimeout(waitNr: number, ts: Timespec): number {
    const n = this.flushSq();
    const arg = this.getEventsArg(ts);
    return this.enter(n, waitNr, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, arg, IO_URING_GETEVENTS_ARG_SIZE);
  }

  /** Mirrors liburing `io_uring_register()` (the raw system call) on this ring. */
  register(opcode: number, arg: number, nrArgs: number): number {
    return this.core.call((e) => e.io_uring_register(this.fd, opcode >>> 0, arg >>> 0, nrArgs >>> 0));
  }

  /**
   * Mirrors liburing `io_uring_register_files()`: registers `fds` as the fixed-file table
   * (index = position). Returns 0 or a negative errno.
   */
  registerFiles(fds: readonly number[]): number {
    const a = this.mem.alloc(Math.max(4, 4 * fds.length), 4);
    fds.forEach((fd, i) => this.mem.writeI32(a + 4 * i, fd));
    return this.register(IORING_REGISTER_FILES, a, fds.length);
  }

  /** Mirrors liburing `io_uring_unregister_files()`. */
  unregisterFiles(): number {
    return this.register(IORING_UNREGISTER_FILES, 0, 0);
  }

  /**
   * Mirrors liburing `io_uring_get_probe_ring()`: `IORING_REGISTER_PROBE` with room for
   * `nrOps` ops, decoded.
   */
  probe(nrOps = 256): Probe {
    const size = IO_URING_PROBE_SIZE + nrOps * IO_URING_PROBE_OP_SIZE;
    const a = this.mem.alloc(size);
    const ret = this.register(IORING_REGISTER_PROBE, a, nrOps);
    const dv = this.core.view();
    const lastOp = dv.getUint8(a);
    const opsLen = dv.getUint8(a + 1);
    const ops: ProbeOp[] = [];
    if (ret === 0) {
      for (let i = 0; i < opsLen; i++) {
        const o = a + IO_URING_PROBE_SIZE + i * IO_URING_PROBE_OP_SIZE;
        ops.push({ op: dv.getUint8(o), supported: (dv.getUint16(o + 2, true) & IO_URING_OP_SUPPORTED) !== 0 });
      }
    }
    return { ret, lastOp, opsLen, ops };
  }

  /** Mirrors liburing `io_uring_queue_exit()`. */
  queueExit(): number {
    return this.core.call((e) => e.rs_close(this.fd));
  }
}
