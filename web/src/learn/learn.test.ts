// The first-timer's aids: every guided step says why, every scenario asks at least one question
// whose answer comes from the run, and the glossary covers the kernel terms the captions use.
import { beforeAll, describe, expect, it } from 'vitest';
import { captionFor } from '../captions/caption';
import type { Scenario } from '../scenario/format';
import { SimController } from '../sim/controller';
import { LIBRARY } from '../store/scenarios';
import { loadTestCore } from '../test/core';
import type { Core } from '../wasm/load';
import { resolveCheckpoints } from './checkpoints';
import { GLOSSARY, splitTerms } from './glossary';
import { START_PATH } from './path';
import { formatNs } from './SimClock';
import { readReviewFragment, reviewFragment } from './reviewStages';
import { BOOKKEEPING_WHY, whyFor } from './why';

let core: Core;
beforeAll(async () => {
  core = await loadTestCore();
  runs();
}, 60_000);

let cached: { s: Scenario; c: SimController }[] | null = null;
const runs = () =>
  (cached ??= LIBRARY.filter((e) => e.scenario).map((e) => {
    const s = e.scenario as Scenario;
    return { s, c: SimController.compile(core, s) };
  }));

describe('why', () => {
  it('every step of every guided scenario says why, apart from what it says happened', () => {
    for (const { s, c } of runs()) {
      let bookkeeping = 0;
      c.frames.forEach((f, i) => {
        const op = f.op >= 0 ? s.program[f.op] : undefined;
        const why = whyFor(f, f.actor === 'app' ? op : undefined);
        expect(why.length, `${s.id} step ${i}`).toBeGreaterThan(20);
        expect(why).not.toBe(captionFor(f, c.frames[i - 1], op));
        if (why === BOOKKEEPING_WHY) bookkeeping++;
      });
      // Most steps have a reason of their own, not the catch-all.
      expect(bookkeeping / c.frames.length, s.id).toBeLessThan(0.5);
    }
  });
});

describe('checkpoints', () => {
  it('every scenario asks at least one question, placed on a step, answered by the run', () => {
    for (const { s, c } of runs()) {
      const cps = resolveCheckpoints(s, c.frames, c.opFrames);
      expect(cps.length, s.id).toBeGreaterThan(0);
      for (const cp of cps) {
        expect(cp.frame, `${s.id}: ${cp.question}`).toBeGreaterThan(0);
        expect(cp.answer, `${s.id}: ${cp.question}`).not.toBeNull();
        expect(cp.options).toContain(cp.answer);
        expect(new Set(cp.options).size).toBe(cp.options.length);
      }
    }
  });

  it('answers are the run’s: the stale PDU differs with and without patch 2/5, lanes and results follow the model', () => {
    const by = Object.fromEntries(runs().map(({ s, c }) => [s.id, resolveCheckpoints(s, c.frames, c.opFrames)]));
    const pdu = (id: string) => by[id]?.find((x) => x.ask === 'pdu')?.answer;
    expect(pdu('stale-pdu-patch2')).toBe('00 00 00 00 00 00 00 00');
    expect(pdu('stale-pdu')).not.toBe(pdu('stale-pdu-patch2'));
    expect(pdu('stale-pdu')).toMatch(/^0[1-9a-f] /);
    expect(by['stale-pdu']?.find((x) => x.ask === 'res')?.answer).toBe('2');
    expect(by['v5-queued-task-work']?.[0]?.answer).toBe('task_work');
    expect(by['hazard-workqueue-done']?.[0]?.answer).toBe('device');
    expect(by['eagain-reissue']?.[0]?.answer).toBe('io-wq');
    expect(by['v3-sync-set-get']?.[0]?.answer).toBe('-ENOTTY');
    expect(by['nop-batch']?.[0]?.answer).toBe('0');
  });
});

describe('glossary', () => {
  it('defines the terms a first-timer meets, one sentence each, ids unique', () => {
    const text =
      'COMPLETE_DEFER, -EIOCBQUEUED, task_work, io-wq, PDU, SQE128, CQE32, ->uring_cmd(), TWA_SIGNAL, DEFER_TASKRUN, -EAGAIN';
    const found = splitTerms(text)
      .filter((p) => p.term)
      .map((p) => p.text);
    expect(found).toEqual([
      'COMPLETE_DEFER',
      '-EIOCBQUEUED',
      'task_work',
      'io-wq',
      'PDU',
      'SQE128',
      'CQE32',
      '->uring_cmd()',
      'TWA_SIGNAL',
      'DEFER_TASKRUN',
      '-EAGAIN',
    ]);
    expect(new Set(GLOSSARY.map((g) => g.id)).size).toBe(GLOSSARY.length);
    for (const g of GLOSSARY) expect(g.def.trim().split(/(?<=[.!?])\s+(?=[A-Z])/).length, g.term).toBe(1);
  });

  it('does not mark parts of longer identifiers', () => {
    const terms = splitTerms('io_uring_task_work_run and io_uring_cmd_done and SQEs')
      .filter((p) => p.term)
      .map((p) => p.text);
    expect(terms).toEqual(['SQEs']);
  });

  it('covers every kernel constant and errno the captions and chapter notes of the library use', () => {
    const missing = new Set<string>();
    for (const { s, c } of runs()) {
      const texts = [
        ...c.frames.map((f, i) => captionFor(f, c.frames[i - 1], f.op >= 0 ? s.program[f.op] : undefined)),
        ...(s.chapters ?? []).map((ch) => ch.notes ?? ''),
      ];
      for (const t of texts) {
        for (const m of t.matchAll(
          /-E[A-Z]{3,}|\b(?:COMPLETE_DEFER|DEFER_TASKRUN|TWA_SIGNAL|SQE128|CQE32|NONBLOCK|task_work|io-wq|PDU)\b/g,
        )) {
          if (!splitTerms(m[0]).some((p) => p.term)) missing.add(m[0]);
        }
      }
    }
    expect([...missing]).toEqual([]);
  });
});

describe('start-here path', () => {
  it('names scenarios of the library and review comparisons, basics first', () => {
    expect(START_PATH[0]?.part).toBe('io_uring basics');
    expect(START_PATH[START_PATH.length - 1]?.part).toBe('RFC review');
    for (const p of START_PATH)
      if (!p.target.startsWith('review:'))
        expect(
          LIBRARY.some((e) => e.id === p.target && e.scenario),
          p.target,
        ).toBe(true);
  });
});

describe('simulated clock', () => {
  it('reads in ns, µs or ms without losing digits', () => {
    expect([
      formatNs(0),
      formatNs(800),
      formatNs(20_000),
      formatNs(1_900),
      formatNs(2_500_000),
      formatNs(10_000_000),
    ]).toEqual(['0 ns', '800 ns', '20 µs', '1.9 µs', '2.5 ms', '10 ms']);
  });
});

describe('review permalinks', () => {
  it('round-trip and refuse malformed ones with a reason', () => {
    expect(readReviewFragment(reviewFragment('stale-pdu+patch2', 12))).toEqual({ id: 'stale-pdu+patch2', at: 12 });
    expect(readReviewFragment('#p=1&s=nop-batch')).toBeNull();
    expect(readReviewFragment('#review=<x>&at=1')).toMatchObject({
      error: expect.stringContaining('not a comparison id'),
    });
    expect(readReviewFragment('#review=a&at=-1')).toMatchObject({ error: expect.stringContaining('at=') });
  });
});
