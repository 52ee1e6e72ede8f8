/**
 * Export of a simulator run in the Chrome Trace Event format (JSON object form), which opens in
 * Perfetto and chrome://tracing: one process, one track (thread) per execution context, a
 * complete event per step, a zero-length complete event per trace record that concerns a request
 * (an instant for the others), and flow events (`s`/`t`/`f`, one flow per request, id = the
 * request's serial) linking a request's records each time it moves to another context, so the
 * viewer draws its path across the lanes.
 *
 * Time is the simulator's clock: `ts` is the simulated time in microseconds (the format's unit)
 * with nanosecond fractions, i.e. exactly `time_ns / 1000` of the frame or record, the clock the
 * app shows; `args.time_ns` carries the integer nanoseconds too.
 *
 * @see https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU (format)
 */
import { CTX_NAMES } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { rawWords } from '../wasm/events.generated';

export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'i' | 'M' | 's' | 't' | 'f' | 'b' | 'e';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 't' | 'p' | 'g';
  /** Flow events and async (b/e) slices: the id that ties their events together. */
  id?: number | string;
  /** Flow end: bind to the enclosing slice. */
  bp?: 'e';
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
  const out: ChromeTraceEvent[] = [
    { name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: 'Ringside simulator' } },
  ];
  // The SQPOLL thread gets a track only in runs where it ran, as it gets a lane (Lanes.tsx).
  const sqThread = steps.some((st) => st.events.some((e) => e.ctx === 'sq-thread'));
  CTX_NAMES.forEach((n, tid) => {
    if (n === 'sq-thread' && !sqThread) return;
    out.push({ name: 'thread_name', ph: 'M', pid: PID, tid, args: { name: n } });
    out.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid, args: { sort_index: tid } });
  });
  /** Per request: the last context it was seen in, and its flow points so far. */
  const flows = new Map<number, { ctx: string; points: { ts: number; tid: number }[] }>();
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as StepRecords;
    const next = steps[i + 1];
    const tsUs = s.timeNs / 1000;
    const durUs = Math.max(0, ((next?.timeNs ?? s.timeNs) - s.timeNs) / 1000);
    const first = s.events[0];
    const tid = first ? Math.max(0, CTX_NAMES.indexOf(first.ctx)) : 0;
    out.push({
      name: s.label || `step ${s.index}`,
      ph: 'X',
      pid: PID,
      tid,
      ts: tsUs,
      dur: durUs,
      cat: 'step',
      args: { step: s.index, time_ns: s.timeNs },
    });
    for (const e of s.events) {
      const args: Record<string, string | number> = {
        step: e.step,
        time_ns: e.timeNs,
        req: e.req,
        user_data: `0x${e.userData.toString(16)}`,
        a: String(rawWords(e).a),
        b: String(rawWords(e).b),
      };
      if (e.srcLine) args.src = `${e.srcFile}:${e.srcLine}`;
      const etid = Math.max(0, CTX_NAMES.indexOf(e.ctx));
      const cat = e.event.startsWith('sanitizer_') ? 'sanitizer' : e.event.startsWith('sim_') ? 'sim' : 'tracepoint';
      const ts = e.timeNs / 1000;
      if (!e.req) {
        out.push({ name: e.event, ph: 'i', s: 't', pid: PID, tid: etid, ts, cat, args });
        continue;
      }
      // A slice (zero length) so that flow events have something to bind to.
      out.push({ name: e.event, ph: 'X', pid: PID, tid: etid, ts, dur: 0, cat, args });
      const f = flows.get(e.req);
      if (!f) flows.set(e.req, { ctx: e.ctx, points: [{ ts, tid: etid }] });
      else if (f.ctx !== e.ctx) {
        f.ctx = e.ctx;
        f.points.push({ ts, tid: etid });
      }
    }
  }
  for (const [req, f] of flows) {
    if (f.points.length < 2) continue;
    f.points.forEach((p, k) => {
      const ph = k === 0 ? 's' : k === f.points.length - 1 ? 'f' : 't';
      out.push({
        name: 'request',
        cat: 'flow',
        ph,
        id: req,
        pid: PID,
        tid: p.tid,
        ts: p.ts,
        ...(ph === 'f' ? { bp: 'e' as const } : {}),
      });
    });
  }
  return { traceEvents: out, displayTimeUnit: 'ns', otherData: { generator: 'Ringside', ...meta } };
}

/**
 * Checks a document against the Trace Event Format as viewers read it: the JSON object form,
 * known phases, integer pid/tid, numeric non-negative `ts` (µs) on every non-metadata event,
 * `dur` on complete events, metadata with `args`, and flows whose events carry `id` and `cat`,
 * start with `s`, end with one `f`, and never go back in time.
 */
export function checkChromeTrace(doc: unknown): string[] {
  const errs: string[] = [];
  if (typeof doc !== 'object' || doc === null) return ['not an object'];
  const d = doc as Record<string, unknown>;
  if (!Array.isArray(d.traceEvents)) return ['traceEvents is not an array'];
  if (d.displayTimeUnit !== undefined && d.displayTimeUnit !== 'ns' && d.displayTimeUnit !== 'ms')
    errs.push('displayTimeUnit is neither "ns" nor "ms"');
  const flows = new Map<string, { phs: string[]; ts: number[] }>();
  d.traceEvents.forEach((e: unknown, i: number) => {
    if (typeof e !== 'object' || e === null) return errs.push(`traceEvents[${i}] is not an object`);
    const x = e as Record<string, unknown>;
    if (typeof x.name !== 'string') errs.push(`traceEvents[${i}].name is not a string`);
    if (!['X', 'i', 'I', 'M', 'B', 'E', 's', 't', 'f', 'b', 'e'].includes(x.ph as string))
      errs.push(`traceEvents[${i}].ph is not a known phase`);
    if (!Number.isInteger(x.pid) || !Number.isInteger(x.tid)) errs.push(`traceEvents[${i}] lacks integer pid/tid`);
    if (x.ph !== 'M' && !(typeof x.ts === 'number' && Number.isFinite(x.ts) && x.ts >= 0))
      errs.push(`traceEvents[${i}].ts is not a non-negative number`);
    if (x.ph === 'X' && !(typeof x.dur === 'number' && x.dur >= 0)) errs.push(`traceEvents[${i}].dur is missing`);
    if (x.ph === 'M' && (typeof x.args !== 'object' || x.args === null))
      errs.push(`traceEvents[${i}] is metadata without args`);
    if (x.ph === 'i' && x.s !== undefined && !['t', 'p', 'g'].includes(x.s as string))
      errs.push(`traceEvents[${i}].s is not t, p or g`);
    if (x.args !== undefined && (typeof x.args !== 'object' || x.args === null))
      errs.push(`traceEvents[${i}].args is not an object`);
    if (x.ph === 's' || x.ph === 't' || x.ph === 'f') {
      if (x.id === undefined || typeof x.cat !== 'string')
        errs.push(`traceEvents[${i}] is a flow event without id and cat`);
      const key = `${String(x.cat)}/${String(x.name)}/${String(x.id)}`;
      const f = flows.get(key) ?? { phs: [], ts: [] };
      f.phs.push(x.ph);
      f.ts.push(Number(x.ts));
      flows.set(key, f);
    }
  });
  for (const [key, f] of flows) {
    if (f.phs[0] !== 's' || f.phs[f.phs.length - 1] !== 'f' || f.phs.slice(1, -1).some((p) => p !== 't'))
      errs.push(`flow ${key} is not s, t…, f`);
    if (f.ts.some((t, k) => k > 0 && t < (f.ts[k - 1] as number))) errs.push(`flow ${key} goes back in time`);
  }
  return errs;
}
