// The kernel's io_uring tracepoints, through tracefs: a private trace instance, the parser of
// its text output, the choice of the events that belong to one process tree, and the naming of
// kernel pointers (docs/tracepoints.md describes what is captured and why).
//
// Built-ins only: used by conformance/record.mjs and by `ringside record`.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TRACEPOINT_NAMES } from './tracepoint-names.mjs';

export const TRACEFS = '/sys/kernel/tracing';

/** Every io_uring tracepoint this module knows how to read, without the `io_uring_` prefix. */
export const KNOWN_EVENTS = TRACEPOINT_NAMES;

/** Pointer fields and the prefix of their stable names. */
const POINTER_PREFIX = {
  ring: 'ring',
  req: 'req',
  link: 'req',
  target_req: 'req',
  tctx: 'tctx',
  work: 'work',
  overflow_cqe: 'ocqe',
};

/**
 * How each event's text is read: a regular expression over the text after `io_uring_<event>: `
 * and the field names of its groups, with their kinds (`p` pointer, `x` hexadecimal number,
 * `d` decimal number, `s` string). The field names are the kernel's, as its print format shows
 * them (`request` is called `req` everywhere, as the kernel does in most events).
 */
const P = '([0-9a-f]+|\\(null\\)|\\(ptrval\\))';
const N = '(-?\\d+)';
const X = '0x([0-9a-f]+)';
const S = '(\\S+)';
const LAYOUTS = {
  complete: [
    `^ring ${P}, req ${P}, user_data ${X}, result ${N}, cflags ${X} extra1 ${N} extra2 ${N}`,
    'ring:p req:p user_data:x result:d cflags:x extra1:d extra2:d',
  ],
  cqe_overflow: [
    `^ring ${P}, user_data ${X}, res ${N}, cflags ${X}, overflow_cqe ${P}`,
    'ring:p user_data:x res:d cflags:x overflow_cqe:p',
  ],
  cqring_wait: [`^ring ${P}, min_events ${N}`, 'ring:p min_events:d'],
  create: [
    `^ring ${P}, fd ${N} sq size ${N}, cq size ${N}, flags ${X}`,
    'ring:p fd:d sq_entries:d cq_entries:d flags:x',
  ],
  defer: [`^ring ${P}, request ${P}, user_data ${X}, opcode ${S}`, 'ring:p req:p user_data:x opcode:s'],
  fail_link: [
    `^ring ${P}, request ${P}, user_data ${X}, opcode ${S}, link ${P}`,
    'ring:p req:p user_data:x opcode:s link:p',
  ],
  file_get: [`^ring ${P}, req ${P}, user_data ${X}, fd ${N}`, 'ring:p req:p user_data:x fd:d'],
  link: [`^ring ${P}, request ${P} linked after ${P}`, 'ring:p req:p target_req:p'],
  local_work_run: [`^ring ${P}, count ${N}, loops ${N}`, 'ring:p count:d loops:d'],
  poll_arm: [
    `^ring ${P}, req ${P}, user_data ${X}, opcode ${S}, mask ${X}, events ${X}`,
    'ring:p req:p user_data:x opcode:s mask:x events:x',
  ],
  queue_async_work: [
    `^ring ${P}, request ${P}, user_data ${X}, opcode ${S}, flags ${X}, (hashed|normal) queue, work ${P}`,
    'ring:p req:p user_data:x opcode:s flags:x queue:s work:p',
  ],
  register: [
    `^ring ${P}, opcode ${N}, nr_user_files ${N}, nr_user_bufs ${N}, ret ${N}`,
    'ring:p opcode:d nr_user_files:d nr_user_bufs:d ret:d',
  ],
  req_failed: [
    `^ring ${P}, req ${P}, user_data ${X}, opcode ${S}, flags ${X}, prio=${N}, off=(\\d+), addr=(\\d+), len=(\\d+), rw_flags=${X}, buf_index=${N}, personality=${N}, file_index=${N}, pad=${X}, addr3=([0-9a-f]+), error=${N}`,
    'ring:p req:p user_data:x opcode:s flags:x ioprio:d off:d addr:d len:d op_flags:x buf_index:d personality:d file_index:d pad:x addr3:x error:d',
  ],
  short_write: [`^ring ${P}, fpos ${N}, wanted ${N}, got ${N}`, 'ring:p fpos:d wanted:d got:d'],
  submit_req: [
    `^ring ${P}, req ${P}, user_data ${X}, opcode ${S}, flags ${X}, sq_thread ${N}`,
    'ring:p req:p user_data:x opcode:s flags:x sq_thread:d',
  ],
  // `mask %x`: hexadecimal without the 0x (include/trace/events/io_uring.h).
  task_add: [
    `^ring ${P}, req ${P}, user_data ${X}, opcode ${S}, mask ([0-9a-f]+)`,
    'ring:p req:p user_data:x opcode:s mask:x',
  ],
  task_work_run: [`^tctx ${P}, count ${N}`, 'tctx:p count:d'],
};
const COMPILED = Object.fromEntries(
  Object.entries(LAYOUTS).map(([k, [re, fields]]) => [
    k,
    { re: new RegExp(re), fields: fields.split(' ').map((f) => f.split(':')) },
  ]),
);

/** A number as the kernel-trace format writes u64 values: a number below 2^53, else a decimal string. */
function u64(big) {
  return big < 2n ** 53n ? Number(big) : big.toString();
}

function fieldValue(kind, text) {
  if (kind === 'x') return u64(BigInt(`0x${text}`));
  if (kind === 'd') return u64(BigInt(text));
  return text;
}

/**
 * One line of a trace instance's `trace` file, or null for comments, other events and lines
 * this reader does not understand (`unknown` is set for an io_uring event it cannot read, so
 * callers can say so rather than drop it silently).
 *
 *   `          fio-1234    [001] .....  6878.541335: io_uring_submit_req: ring 0000..., ...`
 *   `   <...>-1240    [000] ...1.  6878.541337: task_newtask: pid=1241 comm=fio clone_flags=3d0f00 ...`
 */
const LINE = /^\s*(.+?)-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(\d+)\]\s+\S+\s+(\d+)\.(\d+):\s+(\w+):\s?(.*)$/;

export function parseLine(line) {
  if (!line || line.startsWith('#')) return null;
  const m = LINE.exec(line);
  if (!m) return null;
  const [, comm, pid, cpu, sec, frac, name, rest] = m;
  const tsNs = BigInt(sec) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
  const base = { comm, tid: Number(pid), cpu: Number(cpu), tsNs };
  if (name === 'task_newtask') {
    const t = /pid=(\d+) comm=(.*?) clone_flags=([0-9a-f]+)/.exec(rest);
    if (!t) return null;
    return {
      ...base,
      event: 'task_newtask',
      child: Number(t[1]),
      childComm: t[2],
      cloneFlags: Number.parseInt(t[3], 16),
    };
  }
  if (name === 'sched_process_exec') {
    return { ...base, event: 'sched_process_exec' };
  }
  if (!name.startsWith('io_uring_')) return null;
  const event = name.slice('io_uring_'.length);
  const layout = COMPILED[event];
  const f = layout && layout.re.exec(rest);
  if (!f) return { ...base, event, unknown: rest };
  const fields = {};
  layout.fields.forEach(([key, kind], i) => {
    fields[key] = kind === 'p' ? f[i + 1] : fieldValue(kind, f[i + 1]);
  });
  return { ...base, event, fields };
}

export function parseTraceText(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const e = parseLine(line);
    if (e) out.push(e);
  }
  return out;
}

/** CLONE_IO: set by the kernel's create_io_thread() for io-wq workers and the SQ thread. */
const CLONE_IO = 0x80000000;

/**
 * Keeps the events of one process tree: the root, every task it (or its descendants) created
 * (threads, children, io-wq workers, SQ threads, seen through `task:task_newtask`), and kernel
 * threads (kworkers) acting on a ring or a task context that the tree used. Adds `ctx` (the
 * thread kind: task, iowq, sqpoll, kworker, other) to each kept event.
 */
export function selectTree(events, rootPid) {
  const members = new Map([[rootPid, 'task']]);
  const rings = new Set();
  const tctxs = new Set();
  const kept = [];
  const kindOf = (e) => {
    if (members.has(e.tid)) return members.get(e.tid);
    if (/^kworker/.test(e.comm)) return 'kworker';
    return null;
  };
  for (const e of events) {
    if (e.event === 'task_newtask') {
      if (members.has(e.tid)) {
        let kind = 'task';
        if (e.cloneFlags & CLONE_IO) kind = 'iowq';
        members.set(e.child, kind);
      }
      continue;
    }
    if (e.event === 'sched_process_exec') continue;
    let kind = kindOf(e);
    if (kind === null) continue;
    if (/^iou-sqp-/.test(e.comm)) kind = 'sqpoll';
    else if (/^iou-wrk-/.test(e.comm)) kind = 'iowq';
    if (members.has(e.tid) && members.get(e.tid) !== kind) members.set(e.tid, kind);
    const f = e.fields ?? {};
    if (kind === 'kworker') {
      if (!(f.ring && rings.has(f.ring)) && !(f.tctx && tctxs.has(f.tctx))) continue;
    } else {
      if (f.ring) rings.add(f.ring);
      if (f.tctx) tctxs.add(f.tctx);
    }
    kept.push({ ...e, ctx: kind });
  }
  // An io thread is created before its name is set, and a thread's kind is decided by its
  // first event; settle the kinds of threads seen only through their clone flags.
  for (const e of kept) if (e.ctx === 'iowq' && /^iou-sqp-/.test(e.comm)) e.ctx = 'sqpoll';
  return kept;
}

/** Gives every kernel pointer a stable name in order of first appearance (ring1, req1, tctx1, ...). */
export function makeNamer() {
  const names = new Map();
  const counters = {};
  const namer = (field, value) => {
    if (value === '0000000000000000' || value === '(null)') return null;
    const prefix = POINTER_PREFIX[field] ?? field;
    const key = `${prefix}:${value}`;
    let n = names.get(key);
    if (!n) {
      counters[prefix] = (counters[prefix] ?? 0) + 1;
      n = `${prefix}${counters[prefix]}`;
      names.set(key, n);
    }
    return n;
  };
  /** Forgets a pointer: the next event naming it gets a new name (a new ring at a reused address). */
  namer.forget = (field, value) => names.delete(`${POINTER_PREFIX[field] ?? field}:${value}`);
  return namer;
}

/**
 * The format's tracepoint object for one parsed event: `event`, `ctx`, then the kernel's fields
 * with pointers named (`target_req` is kept under that name: the request linked after).
 */
export function toTracepoint(e, name, extra = {}) {
  const out = { event: e.event, ctx: e.ctx };
  // A ring is a new object at every io_uring_setup, even where the allocator hands back the
  // address of a ring freed before (when that happens depends on the kworker that frees it).
  if (e.event === 'create' && e.fields?.ring && typeof name.forget === 'function') name.forget('ring', e.fields.ring);
  if (e.unknown !== undefined) {
    out.unparsed = e.unknown;
    return { ...out, ...extra };
  }
  for (const [k, v] of Object.entries(e.fields)) {
    out[k] = k in POINTER_PREFIX ? name(k, v) : v;
  }
  return { ...out, ...extra };
}

function write(path, value) {
  writeFileSync(path, `${value}\n`);
}

/**
 * Why tracepoints cannot be captured here, or null when they can: not root, tracefs missing and
 * not mountable, or no io_uring events in it.
 */
export function unavailableReason() {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (tracefs needs root)';
  if (!existsSync(join(TRACEFS, 'instances'))) {
    mkdirSync(TRACEFS, { recursive: true });
    const r = spawnSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(join(TRACEFS, 'instances'))) {
      return `tracefs is not mounted at ${TRACEFS} and mounting it failed${r.stderr ? `: ${r.stderr.trim()}` : ''}`;
    }
  }
  if (!existsSync(join(TRACEFS, 'events', 'io_uring')))
    return 'this kernel has no io_uring tracepoints (events/io_uring missing)';
  return null;
}

/** Removes the instances of Ringside recorders that were killed before they could (`ringside-*-PID`). */
function removeStaleInstances() {
  const dir = join(TRACEFS, 'instances');
  for (const n of readdirSync(dir)) {
    const m = /^ringside-[a-z]+-(\d+)$/.exec(n);
    if (!m || existsSync(`/proc/${m[1]}`)) continue;
    try {
      writeFileSync(join(dir, n, 'tracing_on'), '0\n');
      writeFileSync(join(dir, n, 'events', 'enable'), '0\n');
      rmdirSync(join(dir, n));
    } catch {
      // another recorder is tearing it down
    }
  }
}

/**
 * Creates a private trace instance that records every io_uring event and every task creation,
 * with the monotonic clock (the clock `clock_gettime(CLOCK_MONOTONIC)` reads). Returns
 * `{ path, captured, read(), close() }`; throws with a message when tracefs refuses.
 */
export function openInstance(name, bufferKb = 16384, comms = null) {
  removeStaleInstances();
  const path = join(TRACEFS, 'instances', name);
  if (existsSync(path)) rmdirSync(path);
  mkdirSync(path);
  try {
    write(join(path, 'tracing_on'), '0');
    write(join(path, 'buffer_size_kb'), String(bufferKb));
    write(join(path, 'trace_clock'), 'mono');
    const captured = [];
    // With `comms`, the kernel keeps only events of threads with those names (globs), so other
    // programs' io_uring traffic on a busy machine cannot overrun the buffer.
    const byComm = comms?.length ? comms.map((c) => `comm ~ "${c}"`).join(' || ') : null;
    for (const ev of KNOWN_EVENTS) {
      const dir = join(path, 'events', 'io_uring', `io_uring_${ev}`);
      if (!existsSync(join(dir, 'enable'))) continue;
      // An SQ thread runs its task_work on every loop, and says so (count 0) about 10^5 times a
      // second when idle: only runs that ran something are recorded.
      const filter = [ev === 'task_work_run' ? 'count != 0' : null, byComm]
        .filter(Boolean)
        .map((f) => `(${f})`)
        .join(' && ');
      if (filter) write(join(dir, 'filter'), filter);
      write(join(dir, 'enable'), '1');
      captured.push(ev);
    }
    write(join(path, 'events', 'task', 'task_newtask', 'enable'), '1');
    write(join(path, 'trace'), '');
    write(join(path, 'tracing_on'), '1');
    return {
      path,
      captured,
      /** Stops recording and returns the instance's buffer as text. */
      read() {
        write(join(path, 'tracing_on'), '0');
        return readFileSync(join(path, 'trace'), 'utf8');
      },
      /** Empties the buffer and goes on recording. */
      clear() {
        write(join(path, 'trace'), '');
        write(join(path, 'tracing_on'), '1');
      },
      /** Lost events: the sum of the per-CPU overrun counts of the instance. */
      overruns() {
        let total = 0;
        for (const cpu of readdirSync(join(path, 'per_cpu'))) {
          const m = /overrun: (\d+)/.exec(readFileSync(join(path, 'per_cpu', cpu, 'stats'), 'utf8'));
          if (m) total += Number(m[1]);
        }
        return total;
      },
      close() {
        try {
          write(join(path, 'tracing_on'), '0');
          write(join(path, 'events', 'enable'), '0');
        } finally {
          rmdirSync(path);
        }
      },
    };
  } catch (e) {
    try {
      rmdirSync(path);
    } catch {
      // leave it; the error below says what failed
    }
    throw new Error(`tracefs instance ${path}: ${e.message}`);
  }
}

/**
 * Reads the recorder's step clock (RINGSIDE_STEP_CLOCK): `pid N`, then per scenario `NAME begin
 * US`, `NAME stepK US` for every step, `NAME end US`. Returns { pid, scenarios: Map(name ->
 * { begin, steps: [us...], end }) } with boundaries in microseconds.
 */
export function readStepClock(text) {
  let pid = null;
  const scenarios = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parts = line.trim().split(' ');
    if (parts[0] === 'pid') {
      pid = Number(parts[1]);
      continue;
    }
    const [name, what, us] = parts;
    let s = scenarios.get(name);
    if (!s) scenarios.set(name, (s = { begin: 0n, steps: [], end: 0n }));
    const v = BigInt(us);
    if (what === 'begin') s.begin = v;
    else if (what === 'end') s.end = v;
    else s.steps[Number(what.slice(4))] = v;
  }
  return { pid, scenarios };
}

/**
 * Splits the recorder's tracepoints by scenario and step. An event belongs to the first step
 * whose boundary is at or after its time; events after the last step's boundary and up to the
 * scenario's end belong to the last step (closing the ring happens after its step is written).
 * Returns Map(name -> array (per step) of tracepoint objects), pointers named per scenario.
 */
export function splitBySteps(events, clock) {
  const out = new Map();
  const order = [...clock.scenarios.entries()].sort((a, b) => (a[1].begin < b[1].begin ? -1 : 1));
  let i = 0;
  const sorted = [...events].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0));
  for (const [name, s] of order) {
    const perStep = s.steps.map(() => []);
    const name2 = makeNamer();
    const beginNs = s.begin * 1000n;
    const endNs = s.end * 1000n;
    while (i < sorted.length && sorted[i].tsNs <= beginNs) i++;
    for (; i < sorted.length && sorted[i].tsNs <= endNs; i++) {
      const e = sorted[i];
      let k = s.steps.findIndex((b) => e.tsNs <= b * 1000n);
      if (k < 0) k = s.steps.length - 1;
      if (k < 0) continue;
      perStep[k].push(toTracepoint(e, name2));
    }
    out.set(name, perStep);
  }
  return out;
}

/**
 * A kernel-trace document as JSON text, laid out like the recorder's: one top-level key per
 * line, one array element per line for the files, steps, CQEs and rules, and inside a step one
 * line per SQE, CQE and tracepoint.
 */
export function formatTrace(doc) {
  const j = (v) => JSON.stringify(v);
  const stepText = (st) => {
    const parts = [];
    for (const [k, v] of Object.entries(st)) {
      if (Array.isArray(v) && v.length && (k === 'sqes' || k === 'cqes' || k === 'tracepoints')) {
        parts.push(`${j(k)}:[\n${v.map((x) => `        ${j(x)}`).join(',\n')}\n      ]`);
      } else parts.push(`${j(k)}:${j(v)}`);
    }
    return `{${parts.join(',')}}`;
  };
  const lines = [];
  for (const [k, v] of Object.entries(doc)) {
    if (Array.isArray(v) && v.length && ['files', 'steps', 'cqes', 'compare_ignore', 'timing_dependent'].includes(k)) {
      const items = v.map((x) => `    ${k === 'steps' ? stepText(x) : j(x)}`);
      lines.push(`  ${j(k)}:[\n${items.join(',\n')}\n  ]`);
    } else lines.push(`  ${j(k)}:${j(v)}`);
  }
  return `{\n${lines.join(',\n')}\n}\n`;
}
