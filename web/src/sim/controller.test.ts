import { describe, expect, it } from 'vitest';
import { loadCoreFromDisk } from '../wasm/node';
import { SNAPSHOT_INTERVAL, SimController } from './controller';

async function session() {
  const c = new SimController(await loadCoreFromDisk());
  c.apply({ kind: 'setup', entries: 4, opts: {} });
  return c;
}

describe('SimController', () => {
  it('records one frame per application action and kernel step', async () => {
    const c = await session();
    c.apply({ kind: 'nop', userData: 7n });
    c.apply({ kind: 'enter', minComplete: 0, flags: 0 });
    const n = c.runUntilIdle();
    expect(n).toBeGreaterThan(2);
    const last = c.frames[c.frames.length - 1]!;
    expect(last.taskState).toBe(0);
    expect(last.lastRet).toBe(1);
    expect(last.ring?.cqTail).toBe(1);
    const names = c.frames.flatMap((f) => f.events.map((e) => e.event));
    expect(names).toContain('io_uring_submit_req');
    expect(names).toContain('io_uring_complete');
    expect(names.indexOf('io_uring_complete')).toBeLessThan(names.indexOf('sim_sq_head_commit'));
  });

  it('goes back and forward to identical ring states', async () => {
    const c = await session();
    for (let i = 0; i < 3; i++) c.apply({ kind: 'nop', userData: BigInt(i) });
    c.apply({ kind: 'enter', minComplete: 0, flags: 0 });
    c.runUntilIdle();
    const end = c.cursor;
    const tails = c.frames.map((f) => f.ring?.cqTail);
    c.seek(2);
    expect(c.currentRing?.cqTail()).toBe(tails[2]);
    expect(c.currentRing?.sqeTail).toBe(c.frames[2]!.ring?.sqeTail);
    c.seek(end);
    expect(c.currentRing?.cqTail()).toBe(tails[end]);
    expect(c.currentRing?.sqHead()).toBe(3);
  });

  it('branches: an action after going back drops the old future', async () => {
    const c = await session();
    c.apply({ kind: 'nop', userData: 1n });
    c.apply({ kind: 'enter', minComplete: 0, flags: 0 });
    c.runUntilIdle();
    c.seek(2);
    c.apply({ kind: 'nop', userData: 2n });
    expect(c.frames).toHaveLength(4);
    expect(c.cursor).toBe(3);
    expect(c.currentRing?.sqeTail).toBe(2);
  });

  it('seeks deep into a long timeline through snapshots', async () => {
    const c = await session();
    for (let i = 0; i < SNAPSHOT_INTERVAL; i++) {
      c.apply({ kind: 'nop', userData: BigInt(i) });
      c.apply({ kind: 'enter', minComplete: 0, flags: 0 });
      c.runUntilIdle();
      c.apply({ kind: 'reap' });
    }
    const mid = Math.floor(c.frames.length * 0.6);
    const want = c.frames[mid]!.ring!;
    c.seek(mid);
    expect(c.currentRing?.sqHead()).toBe(want.sqHead);
    expect(c.currentRing?.cqHead()).toBe(want.cqHead);
    expect(c.snapshotBytes()).toBeGreaterThan(0);
  });
});
