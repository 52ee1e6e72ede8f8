import { describe, expect, it } from 'vitest';
import { SimController } from '../sim/controller';
import { validateScenario } from '../scenario/validate';
import { story, storyFrames } from '../test/story';
import { loadCoreFromDisk } from '../wasm/node';
import overflowDoc from '../../../scenarios/cq-overflow-nop.json';
import nopDoc from '../../../scenarios/nop-batch.json';
import { deriveModels, waitingLane } from './model';

describe('the fold over frames', () => {
  it('follows a queued uring_cmd through the lanes and its states', () => {
    const { models } = story();
    const t = (i: number) => models[i]?.reqs.find((r) => r.serial === 1);
    expect(models[2]?.reqs).toEqual([]);
    expect(t(3)).toMatchObject({
      state: 'prepped',
      lane: 'io_uring',
      active: true,
      sqIndex: 0,
      sqeSlot: 0,
      opcode: 46,
    });
    // The issue step ran in the driver; the command then waits for the device.
    expect(t(4)).toMatchObject({ state: 'inflight', lane: 'driver', active: true });
    expect(t(5)).toMatchObject({ state: 'inflight', lane: 'device', active: false });
    expect(t(6)).toMatchObject({ state: 'tw_pending', lane: 'device', active: true });
    expect(t(7)).toMatchObject({ state: 'done', lane: 'task_work', active: true, cqIndex: 0, res: 0, view: null });
    // Reaped: the request leaves the screen.
    expect(t(8)).toBeUndefined();
    expect(models[4]?.focus).toBe(1);
    expect(models[4]?.codeEvent?.srcLine).toBe(77);
    expect(models[7]?.cqWrites).toBe(1);
  });

  it('puts waiting requests in the lane where they wait', () => {
    expect(waitingLane('inflight')).toBe('device');
    expect(waitingLane('tw_pending')).toBe('task_work');
    expect(waitingLane('iowq_queued')).toBe('io-wq');
    expect(waitingLane('done')).toBe('user');
    expect(waitingLane('prepped')).toBe('io_uring');
  });

  it('reuses the models of an unchanged prefix', () => {
    const frames = storyFrames();
    const first = deriveModels(frames.slice(0, 5), () => undefined);
    const second = deriveModels(frames, () => undefined, first);
    expect(second.models[4]).toBe(first.models[4]);
    expect(second.models).toHaveLength(frames.length);
    // The same timeline (a seek, a playback step) keeps the arrays the store already holds.
    expect(deriveModels(frames.slice(), () => undefined, second)).toBe(second);
    const branched = deriveModels(
      [...frames.slice(0, 3), { ...(frames[3] as (typeof frames)[number]) }],
      () => undefined,
      second,
    );
    expect(branched.models[2]).toBe(second.models[2]);
    expect(branched.models[3]).not.toBe(second.models[3]);
  });

  it('keeps the CQ overflow list in order and moves it into the ring when flushed', async () => {
    const c = SimController.compile(await loadCoreFromDisk(), validateScenario(overflowDoc));
    const { models } = deriveModels(c.frames, (f) => (f.index > 0 ? c.scenario.program[f.op] : undefined));
    const longest = Math.max(...models.map((m) => m.overflow.length));
    expect(longest).toBeGreaterThan(0);
    const full = models.find((m) => m.overflow.length === longest);
    const uds = full?.overflow.map((o) => Number(o.userData)) ?? [];
    expect(uds).toEqual([...uds].sort((a, b) => a - b));
    const last = models[models.length - 1];
    expect(last?.overflow).toEqual([]);
    // Every NOP's CQE was written into the ring exactly once, overflowed or not.
    expect(last?.cqWrites).toBe(10);
    // The flush frames are stops and their CQ indices follow the ring ones.
    for (const m of models) for (const r of m.reqs) if (r.cqIndex !== null) expect(r.cqIndex).toBeLessThan(10);
  });

  it('captions every frame of the NOP batch and marks its stops', async () => {
    const c = SimController.compile(await loadCoreFromDisk(), validateScenario(nopDoc));
    const { models } = deriveModels(c.frames, (f) => (f.index > 0 ? c.scenario.program[f.op] : undefined));
    for (const m of models) {
      if (m.op?.note) expect(m.caption).toBe(m.op.note);
      else expect(m.caption).toMatch(/^([A-Z]|[a-z_]+_[a-z_]+ ).*[.]$/);
    }
    expect(models.filter((m) => m.stops.includes('cqe_posted')).length).toBeGreaterThan(0);
    expect(models.filter((m) => m.stops.includes('sqe_published'))).toHaveLength(6);
    expect(models[models.length - 1]?.reqs).toEqual([]);
  });
});
