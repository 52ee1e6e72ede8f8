import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimController } from '../sim/controller';
import { loadCoreFromDisk } from '../wasm/node';
import { validateScenario } from './validate';

const load = (id: string) =>
  validateScenario(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'scenarios', `${id}.json`), 'utf8')));

describe('compiling scenarios', () => {
  it('runs nop-batch to the end with every CQE reaped in order', async () => {
    const c = SimController.compile(await loadCoreFromDisk(), load('nop-batch'));
    const last = c.frames[c.frames.length - 1]!;
    expect(last.taskState).toBe(0);
    expect(last.ring.cqHead).toBe(last.ring.cqTail);
    const completed = c.frames
      .flatMap((f) => f.events)
      .filter((e) => e.event === 'io_uring_complete')
      .map((e) => Number(e.userData));
    expect(completed).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c.opFrames).toHaveLength(load('nop-batch').program.length);
  });

  it('shows the CQ overflow list filling and draining', async () => {
    const c = SimController.compile(await loadCoreFromDisk(), load('cq-overflow-nop'));
    const overflowed = c.frames.some((f) => (f.ring.sqFlags & 2) !== 0);
    expect(overflowed).toBe(true);
    const last = c.frames[c.frames.length - 1]!;
    expect(last.ring.sqFlags & 2).toBe(0);
    const order = c.frames
      .flatMap((f) => f.events)
      .filter((e) => e.event === 'io_uring_complete' || e.event === 'io_uring_cqe_overflow')
      .map((e) => Number(e.userData));
    expect(order).toEqual([...Array(10).keys()].map((i) => i + 1));
  });
});
