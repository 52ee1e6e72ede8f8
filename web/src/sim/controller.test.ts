import { describe, expect, it } from 'vitest';
import type { Op } from '../scenario/format';
import { loadCoreFromDisk } from '../wasm/node';
import { MAX_SNAPSHOTS, SNAPSHOT_INTERVAL, SimController, emptyScenario } from './controller';

const nop = (ud: number): Op => ({ op: 'prep', sqe: { opcode: 'NOP', user_data: ud } });

async function session(entries = 4) {
  return new SimController(await loadCoreFromDisk(), emptyScenario(entries));
}

describe('SimController', () => {
  it('records one frame per program operation and kernel step', async () => {
    const c = await session();
    c.apply({ kind: 'op', op: nop(7) });
    c.apply({ kind: 'op', op: { op: 'submit' } });
    const n = c.settle(undefined);
    expect(n).toBeGreaterThan(2);
    const last = c.frames[c.frames.length - 1]!;
    expect(last.taskState).toBe(0);
    expect(last.lastRet).toBe(1);
    expect(last.ring.cqTail).toBe(1);
    const names = c.frames.flatMap((f) => f.events.map((e) => e.event));
    expect(names).toContain('io_uring_submit_req');
    expect(names.indexOf('io_uring_complete')).toBeLessThan(names.indexOf('sim_sq_head_commit'));
  });

  it('goes back and forward to identical ring states', async () => {
    const c = await session();
    for (let i = 0; i < 3; i++) c.apply({ kind: 'op', op: nop(i) });
    c.apply({ kind: 'op', op: { op: 'submit' } });
    c.settle(undefined);
    const end = c.cursor;
    const tails = c.frames.map((f) => f.ring.cqTail);
    c.seek(2);
    expect(c.ring.cqTail()).toBe(tails[2]);
    expect(c.ring.sqeTail).toBe(c.frames[2]!.ring.sqeTail);
    c.seek(end);
    expect(c.ring.cqTail()).toBe(tails[end]);
    expect(c.ring.sqHead()).toBe(3);
  });

  it('branches when an input is applied in the past, and can restore the old future', async () => {
    const c = await session();
    c.apply({ kind: 'op', op: nop(1) });
    c.apply({ kind: 'op', op: { op: 'submit' } });
    c.settle(undefined);
    const oldLen = c.frames.length;
    c.seek(1);
    c.apply({ kind: 'op', op: nop(2) });
    expect(c.frames).toHaveLength(3);
    expect(c.ring.sqeTail).toBe(2);
    expect(c.hasDiscardedBranch).toBe(true);
    expect(c.restoreBranch()).toBe(true);
    expect(c.frames).toHaveLength(oldLen);
    c.seek(oldLen - 1);
    expect(c.ring.cqTail()).toBe(1);
    expect(c.ring.sqeTail).toBe(1);
  });

  it('seeks deep into a long timeline through snapshots', async () => {
    const c = await session();
    for (let i = 0; i < SNAPSHOT_INTERVAL; i++) {
      c.apply({ kind: 'op', op: nop(i) });
      c.apply({ kind: 'op', op: { op: 'submit' } });
      c.settle(undefined);
      c.apply({ kind: 'op', op: { op: 'reap' } });
    }
    const mid = Math.floor(c.frames.length * 0.6);
    const want = c.frames[mid]!.ring;
    c.seek(mid);
    expect(c.ring.sqHead()).toBe(want.sqHead);
    expect(c.ring.cqHead()).toBe(want.cqHead);
    expect(c.snapshotBytes()).toBeGreaterThan(0);
  });

  it('leaves the timeline as it was when an input fails, and keeps going', async () => {
    const c = await session(2);
    c.apply({ kind: 'op', op: nop(1) });
    c.apply({ kind: 'op', op: nop(2) });
    const frames = c.frames.length;
    expect(() => c.apply({ kind: 'op', op: nop(3) })).toThrow(/SQ is full/);
    expect(c.frames).toHaveLength(frames);
    expect(c.ring.sqeTail).toBe(2);
    expect(() =>
      c.apply({ kind: 'op', op: { op: 'prep', sqe: { opcode: 'URING_CMD', cmd_op: 'NO_SUCH_CONSTANT' } } }),
    ).toThrow();
    c.apply({ kind: 'op', op: { op: 'submit' } });
    c.settle(undefined);
    expect(c.frames.at(-1)!.ring.cqTail).toBe(2);
  });

  it('replays a session from its schedule, frame for frame', async () => {
    const c = await session();
    c.apply({ kind: 'step' });
    c.apply({ kind: 'op', op: nop(1) });
    c.apply({ kind: 'op', op: { op: 'submit' } });
    for (let i = 0; i < 3; i++) c.apply({ kind: 'step' });
    c.apply({ kind: 'op', op: nop(2) });
    expect(c.schedule()).toEqual([1, 0, 3, 0]);
    expect(c.programOps()).toHaveLength(3);
    expect(c.opFrameIndices()).toEqual([2, 3, 7]);
    const scenario = { ...emptyScenario(4), program: c.programOps() };
    const r = SimController.replay(await loadCoreFromDisk(), scenario, c.schedule());
    expect(r.frames.map((f) => [f.label, f.ring.sqHead, f.ring.cqTail, f.taskState])).toEqual(
      c.frames.map((f) => [f.label, f.ring.sqHead, f.ring.cqTail, f.taskState]),
    );
    const again = SimController.fromInputs(await loadCoreFromDisk(), scenario, c.inputs);
    expect(again.frames.map((f) => f.label)).toEqual(c.frames.map((f) => f.label));
    expect(() => SimController.replay(r.core, scenario, [0, 0, 0, 0, 0, 0])).toThrow(/schedule names 5 operations/);
  });

  it('says which future a branch cut off, and can forget it', async () => {
    const c = await session();
    for (let i = 0; i < 3; i++) c.apply({ kind: 'op', op: nop(i) });
    c.seek(1);
    c.apply({ kind: 'op', op: nop(9) });
    expect(c.branchInfo).toEqual({ at: 1, frames: 2 });
    c.dropBranch();
    expect(c.branchInfo).toBeNull();
    expect(c.restoreBranch()).toBe(false);
  });
});

describe('frames share what did not change', () => {
  it('keeps the previous slot objects and arrays, and makes new ones only for changed slots', async () => {
    const c = await session(8);
    c.apply({ kind: 'op', op: nop(1) });
    const a = c.frames.at(-2)!.ring;
    const b = c.frames.at(-1)!.ring;
    // Writing one SQE changes one slot of the SQE array and nothing in the CQ.
    expect(b.cqes).toBe(a.cqes);
    expect(b.sqArray).toBe(a.sqArray);
    expect(b.sqes).not.toBe(a.sqes);
    const changed = b.sqes.filter((s, i) => s !== a.sqes[i]).map((s) => s.slot);
    expect(changed).toEqual([0]);
    expect(b.sqes[0]!.userData).toBe(1n);
    c.apply({ kind: 'op', op: { op: 'submit' } });
    c.settle(undefined);
    const d = c.frames.at(-1)!.ring;
    expect(d.cqes).not.toBe(b.cqes);
    expect(d.cqes[0]!.userData).toBe(1n);
    expect(d.cqes.slice(1).every((q, i) => q === b.cqes[i + 1])).toBe(true);
    // Going back shows the frame as it was recorded.
    c.seek(1);
    expect(c.ring.cqTail()).toBe(0);
  });
});

describe('snapshot memory', () => {
  it('stores the pages that changed since a key copy, not the whole memory each time', async () => {
    const c = await session();
    let ud = 0;
    while (c.frames.length < SNAPSHOT_INTERVAL * 12) {
      c.apply({ kind: 'op', op: nop(ud++) });
      c.apply({ kind: 'op', op: { op: 'submit' } });
      c.settle(undefined);
      c.apply({ kind: 'op', op: { op: 'reap' } });
    }
    // Twelve snapshots in far less than twelve copies of the memory, and every one exact.
    expect(c.snapshotBytes()).toBeLessThan(3 * c.core.u8().byteLength);
    for (const i of [SNAPSHOT_INTERVAL * 3 + 5, SNAPSHOT_INTERVAL * 7, SNAPSHOT_INTERVAL * 11 + 1, 2]) {
      c.seek(i);
      expect(c.ring.cqTail()).toBe(c.frames[i]!.ring.cqTail);
      expect(c.ring.sqHead()).toBe(c.frames[i]!.ring.sqHead);
      expect(c.ring.sqeTail).toBe(c.frames[i]!.ring.sqeTail);
    }
  });

  it('stays bounded on a long timeline while seeks remain exact', async () => {
    const c = await session();
    let ud = 0;
    while (c.frames.length < SNAPSHOT_INTERVAL * (MAX_SNAPSHOTS + 8)) {
      c.apply({ kind: 'op', op: nop(ud++) });
      c.apply({ kind: 'op', op: { op: 'submit' } });
      c.settle(undefined);
      c.apply({ kind: 'op', op: { op: 'reap' } });
    }
    const perSnapshot = c.core.u8().byteLength;
    expect(c.snapshotBytes()).toBeLessThanOrEqual((MAX_SNAPSHOTS + 1) * perSnapshot);
    for (const i of [3, Math.floor(c.frames.length / 3), c.frames.length - 2]) {
      c.seek(i);
      expect(c.ring.cqTail()).toBe(c.frames[i]!.ring.cqTail);
      expect(c.ring.sqHead()).toBe(c.frames[i]!.ring.sqHead);
    }
  });
});
