/**
 * Trace records (48-byte `TraceRecord`s in linear memory) decoded into plain objects.
 *
 * @see core-rs/src/trace/mod.rs
 */
import { CTX_NAMES, EVENT, type EventName, TRACE_OFF, TRACE_RECORD_SIZE } from './abi.generated';
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

/** Takes every record the core holds and clears its buffer. */
export function drainTrace(core: Core): TraceEvent[] {
  const [ptr, len] = core.call((e) => [e.rs_trace_ptr() >>> 0, e.rs_trace_len() >>> 0]);
  const ev = decodeRecords(core.view(), ptr, len);
  core.call((e) => e.rs_trace_clear());
  return ev;
}
