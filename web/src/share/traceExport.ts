/**
 * The trace of a run as a JSON document (`ringside-trace`, version 1): every frame with its
 * ring counters and the trace records its step produced. 64-bit values are decimal strings
 * (JSON numbers lose precision past 2^53).
 */
import type { TraceEvent } from '../wasm/decode';
import { rawWords } from '../wasm/events.generated';

export const TRACE_FORMAT = 'ringside-trace';
export const TRACE_VERSION = 1;

/** The parts of a frame the export needs (structurally a `Frame`). */
export interface FrameLike {
  index: number;
  actor: string;
  label: string;
  timeNs: number;
  coreStep: number;
  taskState: number;
  lastRet: number;
  ring: { sqHead: number; sqTail: number; cqHead: number; cqTail: number; cqOverflow: number; sqDropped: number };
  events: TraceEvent[];
}

export interface TraceRecordJson {
  step: number;
  time_ns: number;
  ctx: string;
  event: string;
  ring: number;
  req: number;
  user_data: string;
  a: string;
  b: string;
  src?: { file: number; line: number };
  text?: string;
}

export interface TraceDocument {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  scenario: string;
  api: string;
  frames: {
    index: number;
    actor: string;
    label: string;
    time_ns: number;
    core_step: number;
    task_state: number;
    last_ret: number;
    ring: FrameLike['ring'];
    records: TraceRecordJson[];
  }[];
}

export function recordJson(e: TraceEvent): TraceRecordJson {
  const r: TraceRecordJson = {
    step: e.step,
    time_ns: e.timeNs,
    ctx: e.ctx,
    event: e.event,
    ring: e.ring,
    req: e.req,
    user_data: e.userData.toString(),
    a: String(rawWords(e).a),
    b: String(rawWords(e).b),
  };
  if (e.srcLine) r.src = { file: e.srcFile, line: e.srcLine };
  if (e.text !== undefined) r.text = e.text;
  return r;
}

/** The trace document of a run. */
export function traceDocument(frames: readonly FrameLike[], scenario: string, api: string): TraceDocument {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    scenario,
    api,
    frames: frames.map((f) => ({
      index: f.index,
      actor: f.actor,
      label: f.label,
      time_ns: f.timeNs,
      core_step: f.coreStep,
      task_state: f.taskState,
      last_ret: f.lastRet,
      ring: {
        sqHead: f.ring.sqHead,
        sqTail: f.ring.sqTail,
        cqHead: f.ring.cqHead,
        cqTail: f.ring.cqTail,
        cqOverflow: f.ring.cqOverflow,
        sqDropped: f.ring.sqDropped,
      },
      records: f.events.map(recordJson),
    })),
  };
}
