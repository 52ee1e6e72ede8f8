import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../scenario/validate';
import { SimController, emptyScenario } from '../sim/controller';
import { CTX_NAMES } from '../wasm/abi.generated';
import { loadCoreFromDisk } from '../wasm/node';
import { type ChromeTraceEvent, checkChromeTrace, toChromeTrace } from './chromeTrace';

const stepsOf = (c: SimController) =>
  c.frames.map((f) => ({ index: f.index, timeNs: f.timeNs, label: f.label, events: f.events }));

describe('Chrome trace export', () => {
  it('produces a valid trace with one track per context from a real run', async () => {
    const c = new SimController(await loadCoreFromDisk(), emptyScenario(4));
    c.apply({ kind: 'op', op: { op: 'prep', sqe: { opcode: 'NOP', user_data: 5 } } });
    c.apply({ kind: 'op', op: { op: 'submit', wait: 1 } });
    c.settle(undefined);
    const t = toChromeTrace(stepsOf(c), { scenario: 'x' });
    const json = JSON.parse(JSON.stringify(t));
    expect(checkChromeTrace(json)).toEqual([]);
    const threads = json.traceEvents
      .filter((e: { name: string }) => e.name === 'thread_name')
      .map((e: { args: { name: string } }) => e.args.name);
    // The SQPOLL thread's track is left out of a run where it never ran (as its lane is).
    expect(threads).toEqual(['user', 'io_uring', 'driver', 'io-wq', 'device', 'task_work']);
    const complete = json.traceEvents.find((e: { name: string; ph: string }) => e.name === 'io_uring_complete');
    expect(complete.args.user_data).toBe('0x5');
    expect(complete.tid).toBe(1);
  });

  it('gives the SQPOLL thread a track in a run where it ran, with its records on it', async () => {
    const s = validateScenario(
      JSON.parse(readFileSync(join(process.cwd(), 'scenarios', 'sqpoll-no-syscalls.json'), 'utf8')),
    );
    const c = SimController.compile(await loadCoreFromDisk(), s);
    const json = JSON.parse(JSON.stringify(toChromeTrace(stepsOf(c)))) as { traceEvents: ChromeTraceEvent[] };
    expect(checkChromeTrace(json)).toEqual([]);
    const tid = CTX_NAMES.indexOf('sq-thread');
    const names = json.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args?.name);
    expect(names).toContain('sq-thread');
    expect(json.traceEvents.some((e) => e.ph === 'X' && e.cat !== 'step' && e.tid === tid)).toBe(true);
  });

  it('links a queued uring_cmd across its lanes with one flow, on the simulated clock', async () => {
    const s = validateScenario(
      JSON.parse(readFileSync(join(process.cwd(), 'scenarios', 'v5-queued-task-work.json'), 'utf8')),
    );
    const c = SimController.compile(await loadCoreFromDisk(), s);
    const json = JSON.parse(JSON.stringify(toChromeTrace(stepsOf(c)))) as { traceEvents: ChromeTraceEvent[] };
    expect(checkChromeTrace(json)).toEqual([]);
    // Every step is a slice at the frame's simulated time (µs = ns / 1000), lasting until the next frame.
    const steps = json.traceEvents.filter((e) => e.cat === 'step');
    expect(steps).toHaveLength(c.frames.length);
    steps.forEach((e, i) => {
      const f = c.frames[i]!;
      expect(e.ts! * 1000).toBeCloseTo(f.timeNs, 6);
      expect(e.args?.time_ns).toBe(f.timeNs);
      expect((e.ts! + e.dur!) * 1000).toBeCloseTo(c.frames[i + 1]?.timeNs ?? f.timeNs, 6);
    });
    expect(c.frames.at(-1)!.timeNs).toBeGreaterThan(0);
    // The first request's flow: the contexts it moved through, in order, as the records say.
    const req = c.frames.flatMap((f) => f.events).find((e) => e.userData === 1n && e.req)!.req;
    const ctxs: string[] = [];
    for (const e of c.frames.flatMap((f) => f.events)) if (e.req === req && ctxs.at(-1) !== e.ctx) ctxs.push(e.ctx);
    const flow = json.traceEvents.filter((e) => e.cat === 'flow' && e.id === req);
    expect(flow.map((e) => CTX_NAMES[e.tid])).toEqual(ctxs);
    expect(flow.map((e) => e.ph)).toEqual(['s', ...ctxs.slice(2).map(() => 't'), 'f']);
    expect(ctxs).toEqual(expect.arrayContaining(['io_uring', 'driver', 'task_work']));
    // Each flow point sits on a slice of its track at the same time (what viewers bind flows to).
    for (const p of flow)
      expect(json.traceEvents.some((e) => e.ph === 'X' && e.cat !== 'step' && e.tid === p.tid && e.ts === p.ts)).toBe(
        true,
      );
  });

  it('reports malformed documents', () => {
    expect(checkChromeTrace({ traceEvents: [{ name: 1, ph: 'Q', pid: 'a', tid: 0 }] })).toEqual([
      'traceEvents[0].name is not a string',
      'traceEvents[0].ph is not a known phase',
      'traceEvents[0] lacks integer pid/tid',
      'traceEvents[0].ts is not a non-negative number',
    ]);
    expect(checkChromeTrace(null)).toEqual(['not an object']);
    const flow = (ph: string, ts: number, extra = {}) => ({
      name: 'request',
      cat: 'flow',
      id: 1,
      ph,
      pid: 1,
      tid: 0,
      ts,
      ...extra,
    });
    expect(checkChromeTrace({ traceEvents: [flow('s', 5), flow('f', 4)] })).toEqual([
      'flow flow/request/1 goes back in time',
    ]);
    expect(checkChromeTrace({ traceEvents: [flow('t', 1), flow('s', 2)] })).toEqual([
      'flow flow/request/1 is not s, t…, f',
    ]);
    expect(checkChromeTrace({ traceEvents: [{ name: 'x', ph: 's', pid: 1, tid: 0, ts: 0 }] })).toContain(
      'traceEvents[0] is a flow event without id and cat',
    );
    expect(checkChromeTrace({ traceEvents: [], displayTimeUnit: 'us' })).toEqual([
      'displayTimeUnit is neither "ns" nor "ms"',
    ]);
  });
});
