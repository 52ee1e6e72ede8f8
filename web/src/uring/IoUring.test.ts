import { beforeEach, describe, expect, it } from 'vitest';
import { EINVAL, IORING_ENTER_GETEVENTS, IORING_FEAT_FLAGS, IORING_SETUP_CQE32, IORING_SETUP_TASKRUN_FLAG } from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import { IoUring, UringError } from './IoUring';
import { prepNop, sqeSetData64 } from './sqe';
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
