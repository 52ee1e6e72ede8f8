import { describe, expect, it } from 'vitest';
import { SimController, emptyScenario } from '../sim/controller';
import { loadCoreFromDisk } from '../wasm/node';
import { checkChromeTrace, toChromeTrace } from './chromeTrace';

describe('Chrome trace export', () => {
  it('produces a valid trace with one track per context from a real run', async () => {
    const c = new SimController(await loadCoreFromDisk(), emptyScenario(4));
    c.apply({ kind: 'op', op: { op: 'prep', sqe: { opcode: 'NOP', user_data: 5 } } });
    c.apply({ kind: 'op', op: { op: 'submit', wait: 1 } });
    c.settle(undefined);
    const t = toChromeTrace(c.frames.map((f) => ({ index: f.index, timeNs: f.timeNs, label: f.label, events: f.events })), { scenario: 'x' });
    const json = JSON.parse(JSON.stringify(t));
    expect(checkChromeTrace(json)).toEqual([]);
    const threads = json.traceEvents.filter((e: { name: string }) => e.name === 'thread_name').map((e: { args: { name: string } }) => e.args.name);
    expect(threads).toEqual(['user', 'io_uring', 'driver', 'io-wq', 'device', 'task_work']);
    const complete = json.traceEvents.find((e: { name: string; ph: string }) => e.name === 'io_uring_complete' && e.ph === 'i');
    expect(complete.args.user_data).toBe('0x5');
    expect(complete.tid).toBe(1);
  });

  it('reports malformed documents', () => {
    expect(checkChromeTrace({ traceEvents: [{ name: 1, ph: 'Q', pid: 'a', tid: 0 }] })).toEqual([
      'traceEvents[0].name is not a string',
      'traceEvents[0].ph is not a known phase',
      'traceEvents[0] lacks integer pid/tid',
      'traceEvents[0].ts is not a non-negative number',
    ]);
    expect(checkChromeTrace(null)).toEqual(['not an object']);
  });
});
