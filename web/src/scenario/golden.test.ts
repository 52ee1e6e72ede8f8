/**
 * Every scenario in scenarios/ runs to the end on the real core.wasm, matches its golden trace
 * (scenarios/golden/<id>.trace; `UPDATE_GOLDEN=1` rewrites them), raises exactly the sanitizer
 * reports it declares (none unless it is a hazard scenario), and every chapter it names exists.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCoreFromDisk } from '../wasm/node';
import { runScenario, sanitizerReports, traceText } from './run';
import { validateScenario } from './validate';

const dir = join(__dirname, '..', '..', '..', 'scenarios');
const goldenDir = join(dir, 'golden');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const update = !!process.env.UPDATE_GOLDEN;

describe('scenarios', () => {
  it('are all covered', () => {
    const ids = files.map((f) => f.replace(/\.json$/, ''));
    for (const id of [
      'v3-sync-set-get',
      'v5-queued-task-work',
      'eagain-reissue',
      'no-uring-cmd-hook',
      'big-sqe-cqe',
      'ublk-fetch-cancel',
      'defer-taskrun-lazy',
      'stale-pdu',
      'stale-pdu-patch2',
      'hazard-double-done',
      'hazard-workqueue-done',
      'hazard-sqe-after-issue',
      'cq-overflow-uring-cmd',
      'coop-taskrun-tick',
      'teardown-cancel-spin',
      'teardown-waits-forever',
      'hazard-v5-lost-command',
      'hazard-done-unlocked-defer',
      'stale-pdu-kernel-pointer',
      'hazard-res2-lost',
      'pdu-ref-aligned-618',
      'hazard-pdu-ref-misaligned-619',
    ])
      expect(ids).toContain(id);
  });

  for (const f of files) {
    it(`${f} runs, matches its golden trace, and raises only the sanitizer reports it declares`, async () => {
      const scenario = validateScenario(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect(f).toBe(`${scenario.id}.json`);
      const run = runScenario(await loadCoreFromDisk(), scenario);

      const last = run.controller.frames[run.controller.frames.length - 1]!;
      expect(last.taskState, 'the program ends in user mode').toBe(0);

      const fired = [...new Set(sanitizerReports(run))].sort();
      const declared = [...(scenario.sanitizers ?? [])].sort();
      expect(fired, 'sanitizer reports').toEqual(declared);
      if (scenario.id.startsWith('hazard-'))
        expect(declared.length, 'a hazard scenario declares its reports').toBeGreaterThan(0);

      for (const [i, c] of (scenario.chapters ?? []).entries()) {
        if (c.event !== undefined) {
          const n = run.events.filter((e) => e.event === c.event).length;
          expect(n, `chapter ${i} (${c.title}) needs ${c.nth ?? 1} ${c.event}`).toBeGreaterThanOrEqual(c.nth ?? 1);
        } else expect(c.op, `chapter ${i} (${c.title})`).toBeLessThan(scenario.program.length);
      }

      const text = traceText(run, scenario);
      const golden = join(goldenDir, `${scenario.id}.trace`);
      if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(golden, text);
      } else {
        expect(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
        expect(text).toBe(readFileSync(golden, 'utf8'));
      }
    }, 60_000); // many-in-flight runs thousands of kernel steps: 5 s is too tight on a loaded machine
  }
});
