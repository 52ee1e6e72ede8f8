/**
 * Trace records as text and JSON: the `TP_printk`-like lines of `ringside run`, the golden traces
 * (`scenarios/golden/<id>.trace`) and the `--json` records.
 *
 * The lines themselves come from the trace schema: core-rs/src/trace/render.rs prints them in
 * Rust, and `events.generated.ts` is the same templates compiled to TypeScript. This module only
 * adds what is not a record: user addresses in operation labels, and the JSON shape.
 */
import { SOURCE_FILES } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import {
  eventArgs,
  type FormatOptions,
  formatRecord,
  rawWords,
  recordFields,
  resultText,
  srcText,
} from '../wasm/events.generated';

export { type FormatOptions, formatRecord, recordFields, resultText, srcText };

/** Rewrites every `0x…` in `text` that lies in user memory as `user+0x…`. */
export function relativizeUserAddrs(text: string, o: FormatOptions): string {
  const { userBase, userLen } = o;
  if (userBase === undefined || userLen === undefined) return text;
  return text.replace(/0x([0-9a-f]+)/g, (m, h: string) => {
    const v = parseInt(h, 16);
    return v >= userBase && v < userBase + userLen ? `user+0x${(v - userBase).toString(16)}` : m;
  });
}

/** A record as a plain JSON object (`--json`): always step, event, req, user_data; res and cflags on CQEs. */
export function recordJson(e: TraceEvent, o: FormatOptions = {}): Record<string, unknown> {
  const ud = e.userData <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(e.userData) : e.userData.toString();
  const raw = rawWords(e);
  const out: Record<string, unknown> = {
    step: e.step,
    time_ns: e.timeNs,
    ctx: e.ctx,
    event: e.event,
    ring: e.ring,
    req: e.req,
    user_data: ud,
    a: Number(raw.a),
    b: raw.b,
    text: recordFields(e, o),
  };
  const f = eventArgs(e);
  if (f && (f.event === 'io_uring_complete' || f.event === 'io_uring_cqe_overflow')) {
    out.res = f.res;
    out.cflags = f.cflags;
  }
  const path = SOURCE_FILES[e.srcFile];
  if (e.srcFile || e.srcLine) out.src = { file: path ?? null, line: e.srcLine };
  if (e.text !== undefined) out.message = e.text;
  return out;
}
