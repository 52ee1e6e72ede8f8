import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkChromeTrace } from '../share/chromeTrace';
import { recordingToChromeTrace } from './chrome';
import { type OpenRecording, readRecordingText, requestLives } from './format';

const ROOT = join(__dirname, '..', '..', '..');
const text = (p: string) => readFileSync(join(ROOT, p), 'utf8');

function open(p: string): OpenRecording {
  const r = readRecordingText(text(p));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.recording;
}

describe('kernel recordings', () => {
  it('reads a recording of liburing link-cp: real threads, a READV -> WRITEV link, writes punted to io-wq', () => {
    const r = open('conformance/programs/link-cp.json');
    expect(r.kind).toBe('program');
    expect(r.timed).toBe(true);
    expect(r.threads.map((t) => t.ctx).sort()).toEqual(['iowq', 'task']);
    expect(r.events.some((e) => e.event === 'link')).toBe(true);
    const lives = requestLives(r.events);
    const writes = lives.filter((l) => l.opcode === 'WRITEV');
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      expect(w.path).toContain('io-wq');
      expect(w.path).toContain('linked');
      expect(w.result).toBeGreaterThan(0);
    }
    // Every request submitted is completed, and each life is one submit and one complete.
    for (const l of lives) expect(l.path.filter((p) => p === 'submit').length).toBe(1);
    expect(lives.every((l) => l.result !== undefined)).toBe(true);
  });

  it('reads a recording of fio --ioengine=io_uring: every READ/WRITE completes, request objects reused', () => {
    const r = open('conformance/programs/fio-randrw.json');
    expect(r.title.startsWith('fio ')).toBe(true);
    const submits = r.events.filter((e) => e.event === 'submit_req');
    const completes = r.events.filter((e) => e.event === 'complete');
    expect(submits.length).toBeGreaterThan(10);
    expect(completes.length).toBe(submits.length);
    expect(new Set(submits.map((e) => e.opcode))).toEqual(new Set(['READ', 'WRITE']));
    const lives = requestLives(r.events);
    // fio keeps iodepth requests in flight: the kernel's request cache hands the same objects out again.
    expect(new Set(lives.map((l) => l.req)).size).toBeLessThan(lives.length);
    expect(lives.some((l) => l.id.endsWith('#2'))).toBe(true);
    for (let i = 1; i < r.events.length; i++)
      expect(r.events[i]!.ts_ns!).toBeGreaterThanOrEqual(r.events[i - 1]!.ts_ns!);
  });

  it('reads a conformance trace with tracepoints as steps, without real times', () => {
    const r = open('conformance/traces/nop_async.json');
    expect(r.kind).toBe('scenario');
    expect(r.timed).toBe(false);
    expect(r.steps?.[2]).toBe('2 enter');
    expect(r.events.filter((e) => e.ctx === 'iowq').map((e) => e.event)).toEqual(['complete', 'complete', 'complete']);
    expect(r.events.every((e) => typeof e.step === 'number')).toBe(true);
  });

  it('exports a Chrome trace Perfetto reads: thread names, instants at real times, request slices', () => {
    const r = open('conformance/programs/link-cp.json');
    const t = JSON.parse(JSON.stringify(recordingToChromeTrace(r)));
    expect(checkChromeTrace(t)).toEqual([]);
    const names = t.traceEvents
      .filter((e: { name: string }) => e.name === 'thread_name')
      .map((e: { args: { name: string } }) => e.args.name);
    expect(names.some((n: string) => n.includes('io-wq worker'))).toBe(true);
    const inst = t.traceEvents.filter((e: { ph: string }) => e.ph === 'i');
    expect(inst.length).toBe(r.events.length);
    expect(inst[inst.length - 1].ts).toBeCloseTo((r.events[r.events.length - 1]!.ts_ns ?? 0) / 1000);
    const begins = t.traceEvents.filter((e: { ph: string }) => e.ph === 'b');
    const ends = t.traceEvents.filter((e: { ph: string }) => e.ph === 'e');
    expect(begins.length).toBe(requestLives(r.events).length);
    expect(ends.map((e: { id: string }) => e.id)).toEqual(begins.map((e: { id: string }) => e.id));
  });

  it('refuses malformed and unknown recordings with the place and the reason', () => {
    const bad = (t: string) => {
      const r = readRecordingText(t);
      expect(r.ok).toBe(false);
      return r.ok ? [] : r.errors;
    };
    expect(bad('{"format":')[0]).toMatch(/^not valid JSON/);
    expect(bad('[1]')[0]).toMatch(/^\/: expected a JSON object/);
    expect(bad('{"format":"perf-script"}')[0]).toMatch(
      /^\/format: expected "ringside-kernel-recording" .* found "perf-script"/,
    );
    const doc = JSON.parse(text('conformance/programs/link-cp.json'));
    expect(bad(JSON.stringify({ ...doc, format_version: 2 }))[0]).toBe(
      '/format_version: this app reads ringside-kernel-recording version 1, found 2',
    );
    const ev = structuredClone(doc);
    ev.events[3].event = 'io_uring_submit_req';
    expect(bad(JSON.stringify(ev))[0]).toMatch(/^\/events\/3\/event: expected one of the io_uring tracepoints/);
    const ctx = structuredClone(doc);
    ctx.events[1].ctx = 'irq';
    expect(bad(JSON.stringify(ctx))[0]).toMatch(
      /^\/events\/1\/ctx: expected one of task, iowq, sqpoll, kworker, other, found "irq"/,
    );
    const ptr = structuredClone(doc);
    ptr.events[3].req = '0xffff888100000000';
    expect(bad(JSON.stringify(ptr))[0]).toMatch(/^\/events\/3\/req: expected a pointer name/);
    const order = structuredClone(doc);
    order.events[5].ts_ns = 0;
    expect(bad(JSON.stringify(order)).join('\n')).toMatch(/\/events\/5\/ts_ns: expected events in time order/);
    expect(bad(JSON.stringify({ ...doc, events: {} }))[0]).toBe('/events: expected an array, found {}');
    const trace = JSON.parse(text('conformance/traces/nop_two.json'));
    trace.tracepoints_captured = [];
    trace.tracepoints_note = 'not running as root (tracefs needs root)';
    expect(bad(JSON.stringify(trace))[0]).toBe(
      '/tracepoints_captured: this kernel trace was recorded without tracepoints (not running as root (tracefs needs root)); there is nothing to show',
    );
  });
});
