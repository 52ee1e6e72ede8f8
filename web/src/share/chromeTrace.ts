/**
 * Export of a simulator run in the Chrome Trace Event format (JSON object form), which opens in
 * Perfetto and chrome://tracing: one process, one track (thread) per execution context, an
 * instant event per trace record and a complete event per kernel step.
 *
 * @see https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU (format)
 */
import { CTX_NAMES } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { rawWords } from '../wasm/events.generated';

export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'i' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 't' | 'p' | 'g';
  args?: Record<string, string | number>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns' | 'ms';
  otherData: Record<string, string>;
}

/** A step of the run: its records, and its simulated start time in ns. */
export interface StepRecords {
  index: number;
  timeNs: number;
  label: string;
  events: TraceEvent[];
}

const PID = 1;

/** Converts steps of a run to a Chrome trace. Times are simulated nanoseconds. */
export function toChromeTrace(steps: readonly StepRecords[], meta: Record<string, string> = {}): ChromeTrace {
  const out: ChromeTraceEvent[] = [{ name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: 'Ringside simulator' } }];
  CTX_NAMES.forEach((n, tid) => {
    out.push({ name: 'thread_name', ph: 'M', pid: PID, tid, args: { name: n } });
    out.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid, args: { sort_index: tid } });
  });
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as StepRecords;
    const next = steps[i + 1];
    const tsUs = s.timeNs / 1000;
    const durUs = Math.max(0.05, ((next?.timeNs ?? s.timeNs + 100) - s.timeNs) / 1000);
    const first = s.events[0];
    const tid = first ? Math.max(0, CTX_NAMES.indexOf(first.ctx)) : 0;
    out.push({ name: s.label, ph: 'X', pid: PID, tid, ts: tsUs, dur: durUs, cat: 'step', args: { step: s.index } });
    for (const e of s.events) {
      const args: Record<string, string | number> = { step: e.step, req: e.req, user_data: `0x${e.userData.toString(16)}`, a: String(rawWords(e).a), b: String(rawWords(e).b) };
      if (e.srcLine) args.src = `${e.srcFile}:${e.srcLine}`;
      out.push({
        name: e.event,
        ph: 'i',
        s: 't',
        pid: PID,
        tid: Math.max(0, CTX_NAMES.indexOf(e.ctx)),
        ts: e.timeNs / 1000,
        cat: e.event.startsWith('sanitizer_') ? 'sanitizer' : e.event.startsWith('sim_') ? 'sim' : 'tracepoint',
        args,
      });
    }
  }
  return { traceEvents: out, displayTimeUnit: 'ns', otherData: { generator: 'Ringside', ...meta } };
}

/** Checks a document against the parts of the Chrome trace format that viewers rely on. */
export function checkChromeTrace(doc: unknown): string[] {
  const errs: string[] = [];
  if (typeof doc !== 'object' || doc === null) return ['not an object'];
  const d = doc as Record<string, unknown>;
  if (!Array.isArray(d.traceEvents)) return ['traceEvents is not an array'];
  d.traceEvents.forEach((e: unknown, i: number) => {
    if (typeof e !== 'object' || e === null) return errs.push(`traceEvents[${i}] is not an object`);
    const x = e as Record<string, unknown>;
    if (typeof x.name !== 'string') errs.push(`traceEvents[${i}].name is not a string`);
    if (!['X', 'i', 'M', 'B', 'E'].includes(x.ph as string)) errs.push(`traceEvents[${i}].ph is not a known phase`);
    if (!Number.isInteger(x.pid) || !Number.isInteger(x.tid)) errs.push(`traceEvents[${i}] lacks integer pid/tid`);
    if (x.ph !== 'M' && !(typeof x.ts === 'number' && Number.isFinite(x.ts) && x.ts >= 0)) errs.push(`traceEvents[${i}].ts is not a non-negative number`);
    if (x.ph === 'X' && !(typeof x.dur === 'number' && x.dur >= 0)) errs.push(`traceEvents[${i}].dur is missing`);
    if (x.args !== undefined && (typeof x.args !== 'object' || x.args === null)) errs.push(`traceEvents[${i}].args is not an object`);
  });
  return errs;
}
