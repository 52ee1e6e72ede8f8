/**
 * A kernel recording as a Chrome trace (Perfetto, chrome://tracing): one track per real thread,
 * an instant event per tracepoint at its real time, and an async slice per request object's
 * life from submit to completion (async, since lives on one thread overlap without nesting).
 */
import type { ChromeTrace, ChromeTraceEvent } from '../share/chromeTrace';
import { type OpenRecording, THREAD_KIND_LABELS, requestLives } from './format';

type Ev = Omit<ChromeTraceEvent, 'ph'> & { ph: ChromeTraceEvent['ph'] | 'b' | 'e'; id?: string };

export function recordingToChromeTrace(r: OpenRecording): {
  traceEvents: Ev[];
  displayTimeUnit: 'ns';
  otherData: Record<string, string>;
} {
  const PID = 1;
  const out: Ev[] = [{ name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: r.title } }];
  r.threads.forEach((t, i) => {
    out.push({
      name: 'thread_name',
      ph: 'M',
      pid: PID,
      tid: t.tid,
      args: { name: `${t.name} (${THREAD_KIND_LABELS[t.ctx]})` },
    });
    out.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: t.tid, args: { sort_index: i } });
  });
  // Without real times (a conformance trace), events are a microsecond apart in their order.
  const tsUs = (i: number) => (r.timed ? (r.events[i]?.ts_ns ?? 0) / 1000 : i);
  r.events.forEach((e, i) => {
    const args: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === 'event' || k === 'ts_ns' || k === 'tid') continue;
      if (typeof v === 'string' || typeof v === 'number') args[k] = v;
    }
    out.push({ name: e.event, ph: 'i', s: 't', pid: PID, tid: e.tid ?? 0, ts: tsUs(i), cat: 'io_uring', args });
  });
  for (const life of requestLives(r.events)) {
    const first = life.events[0] as number;
    const last = life.events[life.events.length - 1] as number;
    const name = `${life.opcode ?? 'request'} ${life.userData ?? ''}`.trim();
    const args: Record<string, string | number> = { req: life.req, path: life.path.join(' -> ') };
    if (life.result !== undefined) args.result = life.result;
    const tid = r.events[first]?.tid ?? 0;
    out.push({ name, ph: 'b', id: life.id, pid: PID, tid, ts: tsUs(first), cat: 'request', args });
    out.push({ name, ph: 'e', id: life.id, pid: PID, tid, ts: tsUs(last), cat: 'request', args: {} });
  }
  return {
    traceEvents: out,
    displayTimeUnit: 'ns',
    otherData: { generator: 'Ringside', kernel: r.kernel, recording: r.title },
  };
}

export type { ChromeTrace };
