/**
 * Trace records (48-byte `TraceRecord`s in linear memory) decoded into plain objects. What a
 * record's `a` and `b` words mean is decoded in one place only: `eventArgs` of
 * `events.generated.ts`, generated from the schema in core-rs/src/trace/mod.rs.
 *
 * @see core-rs/src/trace/mod.rs
 */
import { CTX_NAMES, EVENT, type EventName, REQ_STATE_NAMES, TRACE_OFF, TRACE_RECORD_SIZE } from './abi.generated';
import { eventArgs } from './events.generated';
import { hasCmdExports } from './exports';
import type { Core } from './load';

const NAMES: Record<number, EventName> = Object.fromEntries(
  Object.entries(EVENT).map(([k, v]) => [v, k as EventName]),
) as Record<number, EventName>;

/** One decoded trace record. */
export interface TraceEvent {
  step: number;
  event: EventName | `unknown_${number}`;
  ctx: (typeof CTX_NAMES)[number];
  ring: number;
  req: number;
  /** Source location: file id and line of the driver/abstraction code (0 when none). */
  srcFile: number;
  srcLine: number;
  timeNs: number;
  userData: bigint;
  a: bigint;
  b: bigint;
  /** For `sim_driver_log`: the message the driver printed. */
  text?: string;
}

/** A request's move from one state to another, as the core recorded it (`sim_req_state`). */
export interface StateChange {
  req: number;
  from: (typeof REQ_STATE_NAMES)[number];
  to: (typeof REQ_STATE_NAMES)[number];
}

/**
 * Separates the core's state-transition records from the other records of a step: the state
 * diagram reads the former, everything else (captions, event log, text trace) the latter.
 */
export function splitStates(records: readonly TraceEvent[]): { events: TraceEvent[]; states: StateChange[] } {
  const events: TraceEvent[] = [];
  const states: StateChange[] = [];
  for (const e of records) {
    // Compare the name first: decoding every record would allocate on the hot path.
    const f = e.event === 'sim_req_state' ? eventArgs(e) : null;
    if (f?.event === 'sim_req_state')
      states.push({ req: e.req, from: REQ_STATE_NAMES[f.from] ?? 'free', to: REQ_STATE_NAMES[f.to] ?? 'free' });
    else events.push(e);
  }
  return { events, states };
}

/** Decodes `count` records starting at `ptr`. */
export function decodeRecords(dv: DataView, ptr: number, count: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 0; i < count; i++) {
    const o = (ptr >>> 0) + i * TRACE_RECORD_SIZE;
    const id = dv.getUint16(o + TRACE_OFF.EVENT, true);
    const src = dv.getUint32(o + TRACE_OFF.SRC, true);
    out.push({
      step: dv.getUint32(o + TRACE_OFF.STEP, true),
      event: NAMES[id] ?? `unknown_${id}`,
      ctx: CTX_NAMES[dv.getUint8(o + TRACE_OFF.CTX)] ?? 'user',
      ring: dv.getUint8(o + TRACE_OFF.RING),
      req: dv.getUint32(o + TRACE_OFF.REQ, true),
      srcFile: src >>> 16,
      srcLine: src & 0xffff,
      timeNs: Number(dv.getBigUint64(o + TRACE_OFF.TIME_NS, true)),
      userData: dv.getBigUint64(o + TRACE_OFF.USER_DATA, true),
      a: dv.getBigInt64(o + TRACE_OFF.A, true),
      b: dv.getBigInt64(o + TRACE_OFF.B, true),
    });
  }
  return out;
}

/** Reads kernel log message `id` (the text of a `sim_driver_log` record), if the core has it. */
export function logText(core: Core, id: number): string | undefined {
  const ex = core.exports;
  if (!hasCmdExports(ex)) return undefined;
  const [p, n] = core.call(() => [ex.rs_log_ptr(id) >>> 0, ex.rs_log_len(id) >>> 0]);
  if (!p) return undefined;
  return new TextDecoder().decode(core.u8().subarray(p, p + n));
}

/** Takes every record the core holds and clears its buffer; log records get their text. */
export function drainTrace(core: Core): TraceEvent[] {
  const [ptr, len] = core.call((e) => [e.rs_trace_ptr() >>> 0, e.rs_trace_len() >>> 0]);
  const ev = decodeRecords(core.view(), ptr, len);
  core.call((e) => e.rs_trace_clear());
  for (const e of ev) {
    const f = e.event === 'sim_driver_log' ? eventArgs(e) : null;
    if (f?.event === 'sim_driver_log') e.text = logText(core, f.msg);
  }
  return ev;
}
