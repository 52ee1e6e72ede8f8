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
  IORING_ENTER_GETEVENTS,
  IORING_OFF_SQES,
  IORING_OFF_SQ_RING,
  IORING_SETUP_CQE32,
  IORING_SETUP_CQSIZE,
  IORING_SETUP_NO_SQARRAY,
  IORING_SETUP_SQE128,
  PARAMS_OFF,
} from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import { Sqe } from './sqe';
import { UserMemory } from './userMemory';

/** An error carrying a negative errno returned by the kernel. */
export class UringError extends Error {
  constructor(readonly errno: number, what: string) {
    super(`${what} failed: ${errno}`);
    this.name = 'UringError';
  }
}

/** The ring offsets `io_uring_setup` published (`io_sqring_offsets`, `io_cqring_offsets`). */
export interface RingOffsets {
  sq: { head: number; tail: number; ringMask: number; ringEntries: number; flags: number; dropped: number; array: number };
  cq: { head: number; tail: number; ringMask: number; ringEntries: number; overflow: number; cqes: number; flags: number };
}

/** A completion as userspace reads it. */
export interface Cqe {
  userData: bigint;
  res: number;
  flags: number;
  /** `big_cqe[0..2]` on CQE32 rings. */
  big?: [bigint, bigint];
  /** The CQ index (head value) it was read at. */
  index: number;
}

/** Options of {@link IoUring.queueInit}. */
export interface QueueInitOptions {
  flags?: number;
  /** With `IORING_SETUP_CQSIZE`. */
  cqEntries?: number;
}

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
   * Mirrors liburing `io_uring_queue_init_params()`: set up a ring, map it, fill the SQ index
   * array with the identity map.
   *
   * @throws UringError with the kernel's errno when setup fails.
   */
  static queueInit(core: Core, mem: UserMemory, entries: number, opts: QueueInitOptions = {}): IoUring {
    const flags = (opts.flags ?? 0) | (opts.cqEntries !== undefined ? IORING_SETUP_CQSIZE : 0);
    const p = mem.alloc(120);
    mem.writeU32(p + PARAMS_OFF.FLAGS, flags);
    if (opts.cqEntries !== undefined) mem.writeU32(p + PARAMS_OFF.CQ_ENTRIES, opts.cqEntries);
    const fd = core.call((e) => e.io_uring_setup(entries >>> 0, p));
    if (fd < 0) throw new UringError(fd, 'io_uring_setup');
    const dv = core.view();
    const u = (o: number) => dv.getUint32(p + o, true);
    const so = PARAMS_OFF.SQ_OFF;
    const co = PARAMS_OFF.CQ_OFF;
    const off: RingOffsets = {
      sq: { head: u(so), tail: u(so + 4), ringMask: u(so + 8), ringEntries: u(so + 12), flags: u(so + 16), dropped: u(so + 20), array: u(so + 24) },
      cq: { head: u(co), tail: u(co + 4), ringMask: u(co + 8), ringEntries: u(co + 12), overflow: u(co + 16), cqes: u(co + 20), flags: u(co + 24) },
    };
    const ringsAddr = core.call((e) => e.rs_mmap(fd, IORING_OFF_SQ_RING)) >>> 0;
    const sqesAddr = core.call((e) => e.rs_mmap(fd, IORING_OFF_SQES)) >>> 0;
    const ring = new IoUring(core, mem, fd, flags, u(PARAMS_OFF.SQ_ENTRIES), u(PARAMS_OFF.CQ_ENTRIES), u(PARAMS_OFF.FEATURES), off, ringsAddr, sqesAddr);
    if (!(flags & IORING_SETUP_NO_SQARRAY)) {
      for (let i = 0; i < ring.sqEntries; i++) ring.core.view().setUint32(ringsAddr + off.sq.array + 4 * i, i, true);
    }
    return ring;
  }

  private word(o: number): number {
    return this.core.view().getUint32(this.ringsAddr + o, true);
  }

  sqHead(): number { return this.word(this.off.sq.head); }
  sqTail(): number { return this.word(this.off.sq.tail); }
  sqFlags(): number { return this.word(this.off.sq.flags); }
  sqDropped(): number { return this.word(this.off.sq.dropped); }
  cqHead(): number { return this.word(this.off.cq.head); }
  cqTail(): number { return this.word(this.off.cq.tail); }
  cqOverflow(): number { return this.word(this.off.cq.overflow); }
  /** The SQ index array entry at position `i`. */
  sqArray(i: number): number { return this.word(this.off.sq.array + 4 * i); }

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
    if (((this.sqeTail - this.sqHead()) >>> 0) >= this.sqEntries) return null;
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

  /** `io_uring_enter(2)` run to completion. */
  enter(toSubmit: number, minComplete: number, flags: number, arg = 0, argsz = 0): number {
    return this.core.call((e) => e.io_uring_enter(this.fd, toSubmit >>> 0, minComplete >>> 0, flags >>> 0, arg, argsz));
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

  /** Reads the CQE at CQ index `index` without consuming it. */
  cqeAt(index: number): Cqe {
    const slot = index & (this.cqEntries - 1);
    const a = this.ringsAddr + this.off.cq.cqes + slot * this.cqeSize;
    const dv = this.core.view();
    const c: Cqe = { userData: dv.getBigUint64(a, true), res: dv.getInt32(a + 8, true), flags: dv.getUint32(a + 12, true), index };
    if (this.cqeSize === 32) c.big = [dv.getBigUint64(a + 16, true), dv.getBigUint64(a + 24, true)];
    return c;
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

  /** Mirrors liburing `io_uring_cqe_seen()`. */
  cqeSeen(_cqe: Cqe): void {
    this.cqAdvance(1);
  }

  /** Reads up to `max` CQEs and advances the head past them (liburing `io_uring_for_each_cqe` + advance). */
  reap(max = Infinity): Cqe[] {
    const out: Cqe[] = [];
    let head = this.cqHead();
    const tail = this.cqTail();
    while (head !== tail && out.length < max) {
      out.push(this.cqeAt(head));
      head = (head + 1) >>> 0;
    }
    this.core.view().setUint32(this.ringsAddr + this.off.cq.head, head, true);
    return out;
  }

  /** Mirrors liburing `io_uring_queue_exit()`. */
  queueExit(): number {
    return this.core.call((e) => e.rs_close(this.fd));
  }
}
