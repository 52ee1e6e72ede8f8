/**
 * Trace records (48-byte `TraceRecord`s in linear memory) decoded into plain objects.
 *
 * @see core-rs/src/trace/mod.rs
 */
import { CTX_NAMES, EVENT, type EventName, TRACE_OFF, TRACE_RECORD_SIZE } from './abi.generated';
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
  for (const e of ev) if (e.event === 'sim_driver_log') e.text = logText(core, Number(e.a));
  return ev;
}
