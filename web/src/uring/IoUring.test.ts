import { beforeEach, describe, expect, it } from 'vitest';
import {
  AF_UNIX,
  EBADF,
  EBUSY,
  ECANCELED,
  EINVAL,
  ETIME,
  IORING_CQE_F_32,
  IORING_CQE_F_SKIP,
  IORING_ENTER_GETEVENTS,
  IORING_FEAT_FLAGS,
  IORING_NOP_CQE32,
  IORING_NOP_FILE,
  IORING_NOP_FIXED_FILE,
  IORING_NOP_INJECT_RESULT,
  IORING_OP_PIPE,
  IORING_OP_NOP,
  IORING_OP_READV,
  IORING_OP_URING_CMD,
  IORING_SETUP_CQE32,
  IORING_SETUP_CQE_MIXED,
  IORING_SETUP_TASKRUN_FLAG,
  IORING_SQ_CQ_OVERFLOW,
  IOSQE_IO_LINK,
  O_RDWR,
  SOCKET_URING_OP_GETSOCKOPT,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_TYPE,
} from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import { IoUring, UringError } from './IoUring';
import { Libc } from './libc';
import { prepCmdSock, prepNop, prepNopFlags, sqeSetData64, sqeSetFlags } from './sqe';
import { UserMemory } from './userMemory';

let core: Core;
let mem: UserMemory;

beforeEach(async () => {
  core = await loadCoreFromDisk();
  core.call((e) => e.rs_init(0));
  mem = new UserMemory(core);
});

describe('IoUring over the real core.wasm', () => {
  it('sets up a ring with the kernel sizes, features and offsets', () => {
    const r = IoUring.queueInit(core, mem, 5);
    expect(r.sqEntries).toBe(8);
    expect(r.cqEntries).toBe(16);
    expect(r.features).toBe(IORING_FEAT_FLAGS);
    expect(r.off.sq.array).toBe(320);
    expect(r.off.cq.cqes).toBe(64);
    expect(r.sqArray(5)).toBe(5);
  });

  it('reports setup errors with the kernel errno', () => {
    expect(() => IoUring.queueInit(core, mem, 0)).toThrow(UringError);
    try {
      IoUring.queueInit(core, mem, 4, { flags: IORING_SETUP_TASKRUN_FLAG });
    } catch (e) {
      expect((e as UringError).errno).toBe(-EINVAL);
    }
  });

  it('submits NOPs through shared memory and reaps them in order', () => {
    const r = IoUring.queueInit(core, mem, 4);
    for (let i = 1; i <= 3; i++) {
      const sqe = r.getSqe();
      expect(sqe).not.toBeNull();
      prepNop(sqe!);
      sqeSetData64(sqe!, BigInt(i) << 40n);
    }
    expect(r.submitAndWait(3)).toBe(3);
    expect(r.sqHead()).toBe(3);
    expect(r.cqReady()).toBe(3);
    const cqes = r.reap();
    expect(cqes.map((c) => c.userData)).toEqual([1n << 40n, 2n << 40n, 3n << 40n]);
    expect(cqes.every((c) => c.res === 0)).toBe(true);
    expect(r.cqHead()).toBe(3);
  });

  it('returns null from getSqe when the SQ is full', () => {
    const r = IoUring.queueInit(core, mem, 2);
    expect(r.getSqe()).not.toBeNull();
    expect(r.getSqe()).not.toBeNull();
    expect(r.getSqe()).toBeNull();
    expect(r.sqSpaceLeft()).toBe(0);
  });

  it('exposes big CQEs on CQE32 rings', () => {
    const r = IoUring.queueInit(core, mem, 2, { flags: IORING_SETUP_CQE32 });
    prepNop(r.getSqe()!);
    expect(r.submitAndWait(1)).toBe(1);
    const c = r.peekCqe();
    expect(c?.big).toEqual([0n, 0n]);
  });

  it('lets the kernel work be stepped one unit at a time', () => {
    const r = IoUring.queueInit(core, mem, 4);
    prepNop(r.getSqe()!);
    const n = r.flushSq();
    expect(r.enterBegin(n, 1, IORING_ENTER_GETEVENTS)).toBe(0);
    let steps = 0;
    while (core.call((e) => e.rs_task_state()) !== 0) {
      expect(core.call((e) => e.rs_step())).not.toBe(0);
      steps++;
    }
    expect(steps).toBeGreaterThan(3);
    expect(core.call((e) => e.rs_last_ret())).toBe(1);
    expect(r.cqReady()).toBe(1);
  });
});

describe('liburing helpers', () => {
  it('prepCmdSock sends a GETSOCKOPT uring_cmd whose result is the optlen and whose value lands in optval', () => {
    const libc = new Libc(core, mem);
    const sv = libc.socketpair(AF_UNIX, SOCK_STREAM).fds;
    const r = IoUring.queueInit(core, mem, 4);
    const optval = mem.alloc(4, 4);
    mem.writeI32(optval, -1);
    const sqe = r.getSqe()!;
    prepCmdSock(sqe, SOCKET_URING_OP_GETSOCKOPT, sv[0], SOL_SOCKET, SO_TYPE, BigInt(optval), 4);
    sqeSetData64(sqe, 5n);
    expect(r.submitAndWait(1)).toBe(1);
    const { ret, cqe } = r.waitCqe();
    expect(ret).toBe(0);
    expect(cqe).toMatchObject({ userData: 5n, res: 4 });
    expect(mem.readI32(optval)).toBe(SOCK_STREAM);
    r.cqeSeen(cqe!);
    expect(r.cqReady()).toBe(0);
  });

  it('sqeSetFlags links requests; a failing soft link cancels the rest', () => {
    const r = IoUring.queueInit(core, mem, 4);
    for (const [i, res] of [
      [1, 0],
      [2, -5],
      [3, 0],
    ] as const) {
      const sqe = r.getSqe()!;
      prepNopFlags(sqe, res ? IORING_NOP_INJECT_RESULT : 0, res);
      sqeSetData64(sqe, BigInt(i));
      if (i < 3) sqeSetFlags(sqe, IOSQE_IO_LINK);
    }
    expect(r.submitAndWait(3)).toBe(3);
    expect(r.reap().map((c) => c.res)).toEqual([0, -5, -ECANCELED]);
  });

  it('waitCqeNr enters the kernel only when fewer CQEs are ready', () => {
    const r = IoUring.queueInit(core, mem, 4);
    prepNop(r.getSqe()!);
    prepNop(r.getSqe()!);
    expect(r.submit()).toBe(2);
    const { ret, cqe } = r.waitCqeNr(2);
    expect(ret).toBe(0);
    expect(cqe?.index).toBe(0);
  });

  it('submitAndWaitTimeout returns -ETIME when nothing completes in time', () => {
    const r = IoUring.queueInit(core, mem, 4);
    const t0 = core.call((e) => e.rs_clock_ns());
    expect(r.submitAndWaitTimeout(1, { sec: 0n, nsec: 5_000_000n })).toBe(-ETIME);
    expect(core.call((e) => e.rs_clock_ns()) - t0).toBeGreaterThanOrEqual(5_000_000n);
  });

  it('registerFiles makes fixed-file NOPs find the file; probe lists the recorded kernel opcode table', () => {
    const libc = new Libc(core, mem);
    const fd = libc.openat('/dev/null', O_RDWR);
    const r = IoUring.queueInit(core, mem, 4);
    expect(r.registerFiles([fd])).toBe(0);
    expect(r.registerFiles([fd])).toBe(-EBUSY);
    for (const idx of [0, 1]) {
      const sqe = r.getSqe()!;
      prepNopFlags(sqe, IORING_NOP_FILE | IORING_NOP_FIXED_FILE, 0, idx);
    }
    expect(r.submitAndWait(2)).toBe(2);
    expect(r.reap().map((c) => c.res)).toEqual([0, -EBADF]);
    expect(r.unregisterFiles()).toBe(0);
    const p = r.probe();
    expect(p.ret).toBe(0);
    // The kernel's table as 6.18 answers it (probe_ops): last_op IORING_OP_PIPE, every op
    // supported, whether or not the simulator models it (those are refused at issue instead).
    expect(p.lastOp).toBe(IORING_OP_PIPE);
    expect(p.opsLen).toBe(IORING_OP_PIPE + 1);
    expect(p.ops[IORING_OP_NOP]?.supported).toBe(true);
    expect(p.ops[IORING_OP_URING_CMD]?.supported).toBe(true);
    expect(p.ops[IORING_OP_READV]?.supported).toBe(true);
    expect(p.ops.every((o) => o.supported)).toBe(true);
  });

  it('reads 32-byte CQEs on a CQE_MIXED ring as two slots, skipping the wrap filler', () => {
    const r = IoUring.queueInit(core, mem, 2, { flags: IORING_SETUP_CQE_MIXED, cqEntries: 4 });
    expect(r.cqeMixed).toBe(true);
    const post = (cqe32: boolean) => {
      prepNopFlags(r.getSqe()!, cqe32 ? IORING_NOP_CQE32 : 0);
      expect(r.submitAndWait(1)).toBe(1);
      return r.reap();
    };
    expect(post(false).map((c) => c.flags)).toEqual([0]);
    expect(post(false).map((c) => c.flags)).toEqual([0]);
    expect(post(false).map((c) => c.flags)).toEqual([0]);
    // CQ tail 3 of 4: the filler goes to slot 3, the 32-byte CQE to slots 0-1.
    const c = post(true);
    expect(c.map((x) => [x.userData, x.flags])).toEqual([
      [0n, IORING_CQE_F_SKIP],
      [0n, IORING_CQE_F_32],
    ]);
    expect(c[1]?.big).toEqual([0n, 0n]);
    expect(r.cqTail()).toBe(6);
    expect(r.cqHead()).toBe(6);
  });

  it('shows the CQE cache quirk of Linux 6.18 on a CQE_MIXED ring (recorded by the fuzzer)', () => {
    // Two slots, one consumed: the 32-byte CQE posts a filler in slot 1, cannot fit in slot 0
    // and overflows; the next CQE is written from the cached range over the filler, and the
    // tail (3) exposes slot 0, still holding the first lap's CQE.
    const r = IoUring.queueInit(core, mem, 2, { flags: IORING_SETUP_CQE_MIXED, cqEntries: 2 });
    const sqe = (ud: bigint, nopFlags = 0) => {
      const q = r.getSqe()!;
      prepNopFlags(q, nopFlags);
      sqeSetData64(q, ud);
    };
    sqe(1n);
    expect(r.submit()).toBe(1);
    expect(r.reap().map((c) => c.userData)).toEqual([1n]);
    sqe(3n, IORING_NOP_CQE32);
    sqe(4n);
    expect(r.submit()).toBe(2);
    expect(r.cqTail()).toBe(3);
    expect(r.sqFlags() & IORING_SQ_CQ_OVERFLOW).toBe(IORING_SQ_CQ_OVERFLOW);
    expect(r.reap().map((c) => c.userData)).toEqual([4n, 1n]);
    expect(r.cqHead()).toBe(3);
  });
});
