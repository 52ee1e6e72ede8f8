/**
 * Kernel recordings: what `ringside record` writes (the io_uring tracepoints of a real program)
 * and, read the same way, a conformance `kernel-trace` that carries tracepoints per step
 * (docs/tracepoints.md). The reader checks everything it uses and names the first problems with
 * their JSON pointers; it never throws.
 */
import { TRACEPOINT_NAMES } from '../../../conformance/tracepoint-names.mjs';

export const RECORDING_FORMAT = 'ringside-kernel-recording';
export const RECORDING_VERSION = 1;

/** The largest recording the app opens. */
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

export type ThreadKind = 'task' | 'iowq' | 'sqpoll' | 'kworker' | 'other';
export const THREAD_KINDS: readonly ThreadKind[] = ['task', 'iowq', 'sqpoll', 'kworker', 'other'];

export const THREAD_KIND_LABELS: Record<ThreadKind, string> = {
  task: 'task',
  iowq: 'io-wq worker',
  sqpoll: 'SQ thread',
  kworker: 'kworker',
  other: 'other',
};

/** The io_uring tracepoints (names without `io_uring_`), as Linux 6.18 has them: one list, shared
 * with the tracefs reader. */
export { TRACEPOINT_NAMES };

/** One tracepoint: the kernel's fields, pointers named (`ring1`, `req3`, ...). */
export interface Tracepoint {
  event: string;
  ctx: ThreadKind;
  /** Nanoseconds since the first recorded event (program recordings only). */
  ts_ns?: number;
  tid?: number;
  ring?: string;
  req?: string;
  user_data?: number | string;
  opcode?: string | number;
  result?: number;
  [field: string]: unknown;
}

export interface RecordedThread {
  tid: number;
  name: string;
  ctx: ThreadKind;
  events: number;
}

export interface KernelRecording {
  format: typeof RECORDING_FORMAT;
  format_version: typeof RECORDING_VERSION;
  program: string[];
  exit_status: number | null;
  signal?: string;
  started: string;
  kernel: { sysname: string; release: string; version: string; machine: string };
  clock: string;
  t0_ns: string;
  tracepoints_captured: string[];
  lost_events: number;
  threads: RecordedThread[];
  events: Tracepoint[];
}

/** What the app shows: a recording's events, with the step each came from when it has steps. */
export interface OpenRecording {
  kind: 'program' | 'scenario';
  title: string;
  kernel: string;
  threads: RecordedThread[];
  events: (Tracepoint & { step?: number })[];
  /** Step labels of a scenario (`2 enter`), by step index. */
  steps?: string[];
  /** Whether the events carry real timestamps. */
  timed: boolean;
  lostEvents: number;
  captured: string[];
}

export type RecordingResult = { ok: true; recording: OpenRecording } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const MAX_ERRORS = 5;

/** Checks one tracepoint object; pushes `path: expected X, found Y` lines. */
function checkTracepoint(t: unknown, path: string, errs: string[], timed: boolean): void {
  if (!isObj(t)) {
    errs.push(`${path}: expected a tracepoint object, found ${show(t)}`);
    return;
  }
  if (typeof t.event !== 'string' || !TRACEPOINT_NAMES.includes(t.event)) {
    errs.push(
      `${path}/event: expected one of the io_uring tracepoints (${TRACEPOINT_NAMES.join(', ')}), found ${show(t.event)}`,
    );
  }
  if (typeof t.ctx !== 'string' || !(THREAD_KINDS as readonly string[]).includes(t.ctx)) {
    errs.push(`${path}/ctx: expected one of ${THREAD_KINDS.join(', ')}, found ${show(t.ctx)}`);
  }
  if (timed && (typeof t.ts_ns !== 'number' || !Number.isFinite(t.ts_ns) || t.ts_ns < 0)) {
    errs.push(`${path}/ts_ns: expected a non-negative number, found ${show(t.ts_ns)}`);
  }
  if (timed && (typeof t.tid !== 'number' || !Number.isInteger(t.tid)))
    errs.push(`${path}/tid: expected an integer thread id, found ${show(t.tid)}`);
  for (const k of ['ring', 'req', 'link', 'target_req', 'tctx', 'work']) {
    if (t[k] !== undefined && t[k] !== null && (typeof t[k] !== 'string' || !/^[a-z]+\d+$/.test(t[k] as string))) {
      errs.push(
        `${path}/${k}: expected a pointer name such as "${k === 'tctx' ? 'tctx' : k === 'ring' ? 'ring' : k === 'work' ? 'work' : 'req'}1", found ${show(t[k])}`,
      );
    }
  }
  if (
    t.user_data !== undefined &&
    !(typeof t.user_data === 'number' || (typeof t.user_data === 'string' && /^\d+$/.test(t.user_data)))
  ) {
    errs.push(`${path}/user_data: expected a u64 (number or decimal string), found ${show(t.user_data)}`);
  }
}

function readProgram(d: Obj): RecordingResult {
  const errs: string[] = [];
  if (!Array.isArray(d.program) || !d.program.every((a) => typeof a === 'string'))
    errs.push(`/program: expected an array of strings, found ${show(d.program)}`);
  if (!isObj(d.kernel) || typeof d.kernel.release !== 'string')
    errs.push(`/kernel/release: expected a string, found ${show(isObj(d.kernel) ? d.kernel.release : d.kernel)}`);
  if (!Array.isArray(d.threads)) errs.push(`/threads: expected an array, found ${show(d.threads)}`);
  if (!Array.isArray(d.events)) errs.push(`/events: expected an array, found ${show(d.events)}`);
  if (errs.length) return { ok: false, errors: errs };
  const threads = d.threads as unknown[];
  threads.forEach((t, i) => {
    if (errs.length >= MAX_ERRORS) return;
    if (
      !isObj(t) ||
      typeof t.tid !== 'number' ||
      typeof t.name !== 'string' ||
      !(THREAD_KINDS as readonly unknown[]).includes(t.ctx)
    ) {
      errs.push(`/threads/${i}: expected {tid, name, ctx, events}, found ${show(t)}`);
    }
  });
  const events = d.events as unknown[];
  let last = -Infinity;
  for (let i = 0; i < events.length && errs.length < MAX_ERRORS; i++) {
    checkTracepoint(events[i], `/events/${i}`, errs, true);
    const ts = (events[i] as Obj | undefined)?.ts_ns;
    if (typeof ts === 'number') {
      if (ts < last) errs.push(`/events/${i}/ts_ns: expected events in time order, found ${ts} after ${last}`);
      last = ts;
    }
  }
  if (errs.length) return { ok: false, errors: errs };
  const k = d.kernel as Obj;
  return {
    ok: true,
    recording: {
      kind: 'program',
      title: (d.program as string[]).join(' '),
      kernel: `${String(k.sysname ?? 'Linux')} ${String(k.release)}`,
      threads: threads as RecordedThread[],
      events: events as Tracepoint[],
      timed: true,
      lostEvents: typeof d.lost_events === 'number' ? d.lost_events : 0,
      captured: Array.isArray(d.tracepoints_captured) ? (d.tracepoints_captured as string[]) : [],
    },
  };
}

/** A conformance recording: its steps' tracepoints in order, one lane per thread kind. */
function readScenario(d: Obj): RecordingResult {
  const errs: string[] = [];
  if (!Array.isArray(d.steps)) return { ok: false, errors: [`/steps: expected an array, found ${show(d.steps)}`] };
  if (!Array.isArray(d.tracepoints_captured) || !d.tracepoints_captured.length) {
    const note = typeof d.tracepoints_note === 'string' ? ` (${d.tracepoints_note})` : '';
    return {
      ok: false,
      errors: [
        `/tracepoints_captured: this kernel trace was recorded without tracepoints${note}; there is nothing to show`,
      ],
    };
  }
  const events: (Tracepoint & { step: number })[] = [];
  const steps: string[] = [];
  (d.steps as unknown[]).forEach((s, i) => {
    if (errs.length >= MAX_ERRORS) return;
    if (!isObj(s)) {
      errs.push(`/steps/${i}: expected a step object, found ${show(s)}`);
      return;
    }
    steps.push(`${i} ${String(s.kind)}`);
    if (s.tracepoints === undefined) return;
    if (!Array.isArray(s.tracepoints)) {
      errs.push(`/steps/${i}/tracepoints: expected an array, found ${show(s.tracepoints)}`);
      return;
    }
    s.tracepoints.forEach((t, j) => {
      checkTracepoint(t, `/steps/${i}/tracepoints/${j}`, errs, false);
      if (isObj(t)) events.push({ ...(t as Tracepoint), step: i });
    });
  });
  if (errs.length) return { ok: false, errors: errs.slice(0, MAX_ERRORS) };
  const kinds = [...new Set(events.map((e) => e.ctx))];
  const k = isObj(d.kernel) ? d.kernel : {};
  return {
    ok: true,
    recording: {
      kind: 'scenario',
      title: String(d.name ?? 'kernel trace'),
      kernel: `${String(k.sysname ?? 'Linux')} ${String(k.release ?? '')}`.trim(),
      threads: kinds.map((c, i) => ({
        tid: i + 1,
        name: c === 'task' ? 'recorder' : THREAD_KIND_LABELS[c],
        ctx: c,
        events: events.filter((e) => e.ctx === c).length,
      })),
      events: events.map((e) => ({ ...e, tid: kinds.indexOf(e.ctx) + 1 })),
      steps,
      timed: false,
      lostEvents: 0,
      captured: d.tracepoints_captured as string[],
    },
  };
}

/** Reads a recording's text: a program recording, or a kernel trace with tracepoints. */
export function readRecordingText(text: string): RecordingResult {
  if (text.length > MAX_RECORDING_BYTES)
    return { ok: false, errors: [`the file is too large (${text.length} bytes; at most ${MAX_RECORDING_BYTES})`] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (!isObj(doc)) return { ok: false, errors: [`/: expected a JSON object, found ${show(doc)}`] };
  if (doc.format === RECORDING_FORMAT) {
    if (doc.format_version !== RECORDING_VERSION) {
      return {
        ok: false,
        errors: [
          `/format_version: this app reads ${RECORDING_FORMAT} version ${RECORDING_VERSION}, found ${show(doc.format_version)}`,
        ],
      };
    }
    return readProgram(doc);
  }
  if (doc.format === 'kernel-trace') {
    if (doc.format_version !== 1)
      return {
        ok: false,
        errors: [`/format_version: this app reads kernel-trace version 1, found ${show(doc.format_version)}`],
      };
    return readScenario(doc);
  }
  return {
    ok: false,
    errors: [
      `/format: expected "${RECORDING_FORMAT}" (ringside record) or "kernel-trace" (a conformance recording), found ${show(doc.format)}`,
    ],
  };
}

/** One request object's life: from submit (or first sight) to completion, by req name. */
export interface RequestLife {
  /** `req3#2`: the second request that used the object req3. */
  id: string;
  req: string;
  ring?: string;
  opcode?: string;
  userData?: string;
  /** Indices into the events, in order: submit, punt/poll/task_work, link, complete. */
  events: number[];
  path: string[];
  result?: number;
  failed: boolean;
}

function hexUd(v: unknown): string | undefined {
  if (typeof v === 'number') return `0x${v.toString(16)}`;
  if (typeof v === 'string' && /^\d+$/.test(v)) return `0x${BigInt(v).toString(16)}`;
  return undefined;
}

const PATH_LABEL: Record<string, string> = {
  submit_req: 'submit',
  queue_async_work: 'io-wq',
  poll_arm: 'poll',
  task_add: 'task_work',
  defer: 'deferred',
  link: 'linked',
  fail_link: 'link failed',
  file_get: 'file',
  req_failed: 'failed',
  complete: 'complete',
  cqe_overflow: 'overflow',
};

/**
 * Follows request objects through a recording. A `complete` ends a life, so a req object that
 * the kernel's request cache hands out again starts a new one (`req1#2`).
 */
export function requestLives(events: readonly Tracepoint[]): RequestLife[] {
  const lives: RequestLife[] = [];
  const open = new Map<string, RequestLife>();
  const uses = new Map<string, number>();
  events.forEach((e, i) => {
    const req = typeof e.req === 'string' ? e.req : undefined;
    if (!req) return;
    let life = open.get(req);
    if (!life || e.event === 'submit_req') {
      const n = (uses.get(req) ?? 0) + 1;
      uses.set(req, n);
      life = { id: `${req}#${n}`, req, events: [], path: [], failed: false };
      lives.push(life);
      open.set(req, life);
    }
    life.events.push(i);
    if (e.ring && !life.ring) life.ring = e.ring;
    if (typeof e.opcode === 'string' && !life.opcode) life.opcode = e.opcode;
    const ud = hexUd(e.user_data);
    if (ud && !life.userData) life.userData = ud;
    const label = PATH_LABEL[e.event] ?? e.event;
    const where = e.ctx === 'task' ? '' : ` (${THREAD_KIND_LABELS[e.ctx] ?? e.ctx})`;
    life.path.push(`${label}${where}`);
    if (e.event === 'req_failed' || e.event === 'fail_link') life.failed = true;
    if (e.event === 'complete') {
      life.result = typeof e.result === 'number' ? e.result : undefined;
      if (typeof e.result === 'number' && e.result < 0) life.failed = true;
      open.delete(req);
    }
  });
  // The request a `link` event names as the one before it.
  return lives;
}

/** One line describing an event, for the event list and captions. */
export function describeTracepoint(e: Tracepoint): string {
  const skip = new Set(['event', 'ctx', 'ts_ns', 'tid', 'step']);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (skip.has(k) || v === undefined || v === null) continue;
    if (k === 'user_data') parts.push(`user_data ${hexUd(v) ?? String(v)}`);
    else if (k === 'cflags' || k === 'flags' || k === 'mask' || k === 'events')
      parts.push(`${k} 0x${typeof v === 'number' ? v.toString(16) : String(v)}`);
    else parts.push(`${k} ${String(v)}`);
  }
  return `${e.event}: ${parts.join(', ')}`;
}
