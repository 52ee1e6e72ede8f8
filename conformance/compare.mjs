#!/usr/bin/env node
// Comparator for "kernel-trace" version 1 documents (docs/trace-format.md
// section 11) and the reduction of a trace to its inputs (section 10.2).
//
// Usage: node conformance/compare.mjs REF.json GOT.json
// Prints one mismatch per line and exits 1 when there is any, 0 otherwise.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const STATE_WORDS = ['sq_head', 'sq_tail', 'sq_flags', 'sq_dropped', 'cq_head', 'cq_tail', 'cq_overflow'];
const SETUP_WORDS = ['sq_entries', 'cq_entries', 'features'];
const CQE_FIELDS = ['user_data', 'res', 'flags'];
const NOT_COMPARED_KINDS = new Set(['fdinfo', 'note']);

// ---------------------------------------------------------------------------
// Values.

const DIGITS = /^[0-9]+$/;

/** A u64 as a BigInt when it is a non-negative integer number or a decimal string, else null. */
function asU64(v) {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && DIGITS.test(v)) return BigInt(v);
  return null;
}

/** Equality of u64 fields: the number and decimal-string forms of one value are equal. */
function sameU64(a, b) {
  const x = asU64(a);
  const y = asU64(b);
  if (x !== null && y !== null) return x === y;
  return sameValue(a, b);
}

/** Structural equality for JSON values (key order ignored). */
function sameValue(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

const has = (o, k) => o !== null && typeof o === 'object' && Object.hasOwn(o, k);

// ---------------------------------------------------------------------------
// compare_ignore rules (section 9).

function parsePointer(p) {
  if (p === '') return [];
  if (typeof p !== 'string' || !p.startsWith('/'))
    throw new Error(`bad JSON pointer in compare_ignore: ${JSON.stringify(p)}`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function compileRules(ref) {
  const rules = Array.isArray(ref.compare_ignore) ? ref.compare_ignore : [];
  return rules.map((r) => ({
    segs: parsePointer(r.path),
    hasUd: has(r, 'user_data'),
    ud: r.user_data,
    unordered: r.unordered === true,
  }));
}

/** True when the rule's segments are a prefix of `segs` (`*` matches any one segment). */
function prefixMatch(ruleSegs, segs) {
  if (ruleSegs.length > segs.length) return false;
  return ruleSegs.every((s, i) => s === '*' || s === String(segs[i]));
}

/**
 * Whether a value at `segs` (a path into REF) is covered by an ignore rule.
 * `refCqe` is the REF CQE on the path, if the path goes through `cqes/<i>`,
 * for rules with a `user_data` filter. Unordered rules never ignore.
 */
function ignored(rules, segs, refCqe) {
  for (const r of rules) {
    if (r.unordered) continue;
    if (!prefixMatch(r.segs, segs)) continue;
    if (r.hasUd) {
      // A user_data rule covers only paths through one CQE whose user_data matches.
      if (!refCqe || !sameU64(refCqe.user_data, r.ud)) continue;
    }
    return true;
  }
  return false;
}

function unorderedRule(rules, segs) {
  return rules.some((r) => r.unordered && r.segs.length === segs.length && prefixMatch(r.segs, segs));
}

// ---------------------------------------------------------------------------
// Comparison (section 11).

/**
 * Compares a replay (GOT) with a reference trace (REF).
 * Returns [{step, kind, field, expected, found}], empty when they match.
 */
export function compareTraces(ref, got) {
  const out = [];
  const rules = compileRules(ref);
  const refSteps = Array.isArray(ref.steps) ? ref.steps : [];
  const gotSteps = Array.isArray(got?.steps) ? got.steps : [];
  const n = Math.max(refSteps.length, gotSteps.length);

  for (let i = 0; i < n; i++) {
    const r = refSteps[i];
    const g = gotSteps[i];
    if (r === undefined) {
      out.push({ step: i, kind: g?.kind, field: 'step', expected: undefined, found: g?.kind });
      continue;
    }
    if (g === undefined) {
      out.push({ step: i, kind: r.kind, field: 'step', expected: r.kind, found: undefined });
      continue;
    }
    if (r.kind !== g.kind) {
      out.push({ step: i, kind: r.kind, field: 'kind', expected: r.kind, found: g.kind });
      continue;
    }
    if (NOT_COMPARED_KINDS.has(r.kind)) continue;
    compareStep(out, rules, i, r, g);
  }
  return out;
}

function compareStep(out, rules, i, r, g) {
  const base = ['steps', i];
  const field = (segs, name, expected, found, eq = sameValue) => {
    if (ignored(rules, [...base, ...segs])) return;
    if (found === undefined || !eq(expected, found)) out.push({ step: i, kind: r.kind, field: name, expected, found });
  };

  if (has(r, 'ret')) field(['ret'], 'ret', r.ret, g.ret);

  if (has(r, 'state') && r.state && typeof r.state === 'object') {
    const gs = g.state && typeof g.state === 'object' ? g.state : {};
    for (const w of STATE_WORDS) {
      if (has(r.state, w)) field(['state', w], `state.${w}`, r.state[w], gs[w]);
    }
  }

  if (r.kind === 'setup' || r.kind === 'setup_probe') {
    for (const w of SETUP_WORDS) if (has(r, w)) field([w], w, r[w], g[w]);
    // The offsets io_uring_fill_params writes back (recordings made since they were added).
    for (const o of ['sq_off', 'cq_off']) {
      if (!has(r, o) || !r[o] || typeof r[o] !== 'object') continue;
      const go = g[o] && typeof g[o] === 'object' ? g[o] : {};
      for (const k of Object.keys(r[o])) field([o, k], `${o}.${k}`, r[o][k], go[k]);
    }
  }

  // IORING_REGISTER_PROBE: the kernel's opcode table (last_op, ops_len, each op's SUPPORTED bit).
  if (r.kind === 'register' && r.opcode_num === 8 && has(r, 'ops') && Array.isArray(r.ops)) {
    for (const k of ['last_op', 'ops_len']) if (has(r, k)) field([k], k, r[k], g[k]);
    const gops = Array.isArray(g.ops) ? g.ops : [];
    r.ops.forEach((o, j) => {
      const go = gops[j] && typeof gops[j] === 'object' ? gops[j] : {};
      field(['ops', j, 'op'], `ops[${j}].op`, o.op, go.op);
      field(['ops', j, 'supported'], `ops[${j}].supported`, o.supported, go.supported);
    });
  }

  if (r.kind === 'reap' && has(r, 'cqes')) compareCqes(out, rules, i, r, g);

  if (r.kind === 'get_sqe' && has(r, 'result')) field(['result'], 'result', r.result, g.result);

  if ((r.kind === 'peek' || (r.kind === 'syscall' && r.call === 'getsockopt')) && has(r, 'value')) {
    field(['value'], 'value', r.value, g.value);
  }
}

/** Compares one CQE's result fields; returns mismatches as {name, expected, found}. */
function cqeDiffs(rules, segsBase, rc, gc) {
  const diffs = [];
  const gcq = gc && typeof gc === 'object' ? gc : {};
  for (const f of CQE_FIELDS) {
    if (!has(rc, f)) continue;
    if (ignored(rules, [...segsBase, f], rc)) continue;
    const eq = f === 'user_data' ? sameU64 : sameValue;
    if (gcq[f] === undefined || !eq(rc[f], gcq[f])) diffs.push({ name: f, expected: rc[f], found: gcq[f] });
  }
  if (!ignored(rules, [...segsBase, 'big_cqe'], rc)) {
    const rb = has(rc, 'big_cqe');
    const gb = has(gcq, 'big_cqe');
    if (rb !== gb) {
      diffs.push({ name: 'big_cqe', expected: rb ? rc.big_cqe : undefined, found: gb ? gcq.big_cqe : undefined });
    } else if (rb) {
      const re = Array.isArray(rc.big_cqe) ? rc.big_cqe : [];
      const ge = Array.isArray(gcq.big_cqe) ? gcq.big_cqe : [];
      for (let w = 0; w < 2; w++) {
        if (ignored(rules, [...segsBase, 'big_cqe', w], rc)) continue;
        if (ge[w] === undefined || !sameU64(re[w], ge[w])) {
          diffs.push({ name: `big_cqe[${w}]`, expected: re[w], found: ge[w] });
        }
      }
    }
  }
  return diffs;
}

function compareCqes(out, rules, i, r, g) {
  const segs = ['steps', i, 'cqes'];
  if (ignored(rules, segs)) return;
  const rl = Array.isArray(r.cqes) ? r.cqes : [];
  if (!Array.isArray(g.cqes)) {
    out.push({ step: i, kind: r.kind, field: 'cqes', expected: rl, found: g.cqes });
    return;
  }
  const gl = g.cqes;
  if (rl.length !== gl.length) {
    out.push({ step: i, kind: r.kind, field: 'cqes.length', expected: rl.length, found: gl.length });
  }

  if (unorderedRule(rules, segs)) {
    // Multiset: every REF CQE needs a distinct equal GOT CQE.
    const used = new Array(gl.length).fill(false);
    rl.forEach((rc, j) => {
      const k = gl.findIndex((gc, m) => !used[m] && cqeDiffs(rules, [...segs, j], rc, gc).length === 0);
      if (k >= 0) used[k] = true;
      else out.push({ step: i, kind: r.kind, field: `cqes[${j}]`, expected: rc, found: 'no matching CQE' });
    });
    return;
  }

  const m = Math.min(rl.length, gl.length);
  for (let j = 0; j < m; j++) {
    for (const d of cqeDiffs(rules, [...segs, j], rl[j], gl[j])) {
      out.push({ step: i, kind: r.kind, field: `cqes[${j}].${d.name}`, expected: d.expected, found: d.found });
    }
  }
}

// ---------------------------------------------------------------------------
// Tracepoints (format section 10.5; docs/tracepoints.md).

/** Informational fields of a tracepoint object, never compared. */
const TRACEPOINT_INFO = new Set(['ts_ns', 'tid', 'comm', 'cpu']);

/**
 * The fields compared per event (docs/tracepoints.md): the request and ring it is about, its
 * user_data, opcode, result, CQE flags, counts, and the SQE flag bits of a submission (the low
 * byte of req->flags mirrors IOSQE_*; the bits above are kernel bookkeeping). Left out: the
 * ring's descriptor number (`create.fd`), the SQE fields `req_failed` echoes (inputs the
 * recording already holds), the opcode `fail_link` prints for a request that may have failed
 * before it had one, the overflow entry's address, and io-wq's internal work flags. An event
 * not listed has every field compared.
 */
const TRACEPOINT_FIELDS = {
  create: ['ring', 'sq_entries', 'cq_entries', 'flags'],
  register: ['ring', 'opcode', 'nr_user_files', 'nr_user_bufs', 'ret'],
  submit_req: ['ring', 'req', 'user_data', 'opcode', 'flags&255', 'sq_thread'],
  file_get: ['ring', 'req', 'user_data', 'fd'],
  link: ['ring', 'req', 'target_req'],
  fail_link: ['ring', 'req', 'user_data', 'link'],
  req_failed: ['ring', 'req', 'user_data', 'error'],
  defer: ['ring', 'req', 'user_data', 'opcode'],
  queue_async_work: ['ring', 'req', 'user_data', 'opcode', 'queue', 'work'],
  poll_arm: ['ring', 'req', 'user_data', 'opcode', 'mask', 'events'],
  task_add: ['ring', 'req', 'user_data', 'opcode', 'mask'],
  task_work_run: ['tctx', 'count'],
  local_work_run: ['ring', 'count', 'loops'],
  cqring_wait: ['ring', 'min_events'],
  complete: ['ring', 'req', 'user_data', 'result', 'cflags', 'extra1', 'extra2'],
  cqe_overflow: ['ring', 'user_data', 'res', 'cflags'],
  short_write: ['ring', 'fpos', 'wanted', 'got'],
};

/**
 * The tracepoint rules of REF for step `i`: `skip` (a plain rule covering the step's
 * tracepoints), `interleaving` (order compared within each context only) and `leaveOut` (event
 * names left out of the comparison on both sides).
 */
function tracepointRules(ref, i) {
  const out = { skip: false, interleaving: false, withNext: false, leaveOut: new Set() };
  const rules = Array.isArray(ref.compare_ignore) ? ref.compare_ignore : [];
  const segs = ['steps', String(i), 'tracepoints'];
  for (const r of rules) {
    let rs;
    try {
      rs = parsePointer(r.path);
    } catch {
      continue;
    }
    if (!prefixMatch(rs, segs)) continue;
    if (rs.length < segs.length) {
      out.skip = true;
      continue;
    }
    if (rs.length !== segs.length) continue;
    if (r.interleaving === true || typeof r.event === 'string' || r.with_next === true) {
      if (r.interleaving === true) out.interleaving = true;
      if (r.with_next === true) out.withNext = true;
      if (typeof r.event === 'string') out.leaveOut.add(r.event);
    } else out.skip = true;
  }
  return out;
}

/** Differences between two tracepoint objects: event, ctx, then every non-informational REF field. */
function tracepointDiffs(rt, gt) {
  const g = gt && typeof gt === 'object' ? gt : {};
  const r = rt ?? {};
  const diffs = [];
  const listed = TRACEPOINT_FIELDS[r.event];
  const fields = listed ?? Object.keys(r).filter((k) => !TRACEPOINT_INFO.has(k) && k !== 'event' && k !== 'ctx');
  for (const spec of fields) {
    const [k, mask] = spec.split('&');
    if (!Object.hasOwn(r, k)) continue;
    let [want, got] = [r[k], g[k]];
    if (mask !== undefined && typeof want === 'number' && typeof got === 'number') {
      want = Number(BigInt(want) & BigInt(mask));
      got = Number(BigInt(got) & BigInt(mask));
    }
    if (got === undefined || !sameU64(want, got)) diffs.push({ name: k, expected: r[k], found: g[k] });
  }
  return diffs;
}

/**
 * Compares the tracepoints of a replay (GOT) with those of a reference (REF), step by step: the
 * same events in the same order, with the same context and the fields TRACEPOINT_FIELDS lists
 * (pointer names included, so a reused request object must be reused in the same place). Returns `{ captured, compared,
 * mismatches }`: `captured` is false when REF has no tracepoints (recorded without tracefs),
 * `compared` the number of REF tracepoints compared, `mismatches` as compareTraces returns them
 * (fields such as `tracepoints[2].ctx`).
 */
export function compareTracepoints(ref, got) {
  const captured = Array.isArray(ref?.tracepoints_captured) && ref.tracepoints_captured.length > 0;
  const out = { captured, compared: 0, mismatches: [] };
  if (!captured) return out;
  const refSteps = Array.isArray(ref.steps) ? ref.steps : [];
  const gotSteps = Array.isArray(got?.steps) ? got.steps : [];
  // A `with_next` rule joins a step's tracepoints with the next step's: an event of another
  // thread may fire before or after the task's next step begins. Joined steps are compared as
  // one list, reported at the first step, under the union of their rules.
  let covered = -1;
  refSteps.forEach((r0, i) => {
    if (i <= covered) return;
    let last = i;
    while (last + 1 < refSteps.length && tracepointRules(ref, last).withNext) last++;
    covered = last;
    const r = r0;
    if (!Array.isArray(r?.tracepoints)) return;
    const g = gotSteps[i];
    if (!g || g.kind !== r.kind) return; // compareTraces reports the step itself
    const span = [];
    for (let k = i; k <= last; k++) span.push(k);
    const rules = { skip: false, interleaving: false, leaveOut: new Set() };
    for (const k of span) {
      const rk = tracepointRules(ref, k);
      rules.skip ||= rk.skip;
      rules.interleaving ||= rk.interleaving;
      for (const e of rk.leaveOut) rules.leaveOut.add(e);
    }
    if (rules.skip) return;
    const join = (steps) => {
      const all = [];
      let off = 0;
      for (const k of span) {
        const list = steps[k]?.tracepoints;
        if (!Array.isArray(list)) return null;
        list.forEach((t, j) => all.push([t, off + j]));
        off += list.length;
      }
      return all;
    };
    const keep = (list) => list.filter(([t]) => !rules.leaveOut.has(t?.event));
    const rAll = join(refSteps);
    if (!rAll) return;
    const rl = keep(rAll);
    out.compared += rl.length;
    const gAll = span.every((k) => gotSteps[k]?.kind === refSteps[k]?.kind) ? join(gotSteps) : null;
    if (!gAll) {
      out.mismatches.push({
        step: i,
        kind: r.kind,
        field: 'tracepoints',
        expected: `${rl.length} events`,
        found: undefined,
      });
      return;
    }
    const gl = keep(gAll);
    const summary = (t) => (t === undefined ? undefined : `${t?.event} (${t?.ctx})`);
    const pairwise = (rs, gs) => {
      for (let j = 0; j < Math.max(rs.length, gs.length); j++) {
        const [rt, rj] = rs[j] ?? [undefined, undefined];
        const [gt, gj] = gs[j] ?? [undefined, undefined];
        if (rt === undefined) {
          out.mismatches.push({
            step: i,
            kind: r.kind,
            field: `tracepoints[+${gj}]`,
            expected: undefined,
            found: summary(gt),
          });
        } else if (gt === undefined || gt?.event !== rt.event || gt?.ctx !== rt.ctx) {
          out.mismatches.push({
            step: i,
            kind: r.kind,
            field: `tracepoints[${rj}]`,
            expected: summary(rt),
            found: summary(gt),
          });
        } else {
          for (const d of tracepointDiffs(rt, gt)) {
            out.mismatches.push({
              step: i,
              kind: r.kind,
              field: `tracepoints[${rj}].${d.name}`,
              expected: d.expected,
              found: d.found,
            });
          }
        }
      }
    };
    if (!rules.interleaving) {
      pairwise(rl, gl);
      return;
    }
    // The task's own events in order; those of other threads (io-wq workers racing each other
    // and the task, kworkers) as a multiset.
    pairwise(
      rl.filter(([t]) => t?.ctx === 'task'),
      gl.filter(([t]) => t?.ctx === 'task'),
    );
    const others = gl.filter(([t]) => t?.ctx !== 'task');
    const used = new Array(others.length).fill(false);
    for (const [rt, rj] of rl.filter(([t]) => t?.ctx !== 'task')) {
      const k = others.findIndex(
        ([gt], m) => !used[m] && gt?.event === rt.event && gt?.ctx === rt.ctx && tracepointDiffs(rt, gt).length === 0,
      );
      if (k >= 0) used[k] = true;
      else
        out.mismatches.push({
          step: i,
          kind: r.kind,
          field: `tracepoints[${rj}]`,
          expected: rt,
          found: 'no matching event on another thread',
        });
    }
    others.forEach(([gt, gj], m) => {
      if (!used[m])
        out.mismatches.push({
          step: i,
          kind: r.kind,
          field: `tracepoints[+${gj}]`,
          expected: undefined,
          found: summary(gt),
        });
    });
  });
  return out;
}

// ---------------------------------------------------------------------------
// Reduction to inputs (section 10.2).

const FILE_INPUTS = [
  'id',
  'fd_kind',
  'access',
  'path',
  'peer',
  'listener',
  'backlog',
  'so_rcvbuf',
  'so_sndbuf',
  'nonblock',
];

const SQE_INPUTS = [
  'opcode',
  'flags',
  'ioprio',
  'fd',
  'fd_ref',
  'file',
  'fd_kind',
  'off',
  'cmd_op',
  '__pad1',
  'addr',
  'addr_ptr',
  'len',
  'op_flags',
  'user_data',
  'buf_index',
  'personality',
  'splice_fd_in',
  'addr3',
  'addr3_ptr',
  '__pad2',
  'sqe128_upper_hex',
];

const FDREF_INPUTS = ['fd', 'fd_ref', 'file', 'fd_kind'];

/** Input fields of each step kind, besides `step` and `kind`. */
const STEP_INPUTS = {
  setup: ['entries', 'flags', 'cq_entries_requested', 'sq_thread_idle', 'sq_thread_cpu'],
  setup_probe: ['entries', 'flags', 'cq_entries_requested', 'wq_fd', 'wq_fd_ref', 'sq_thread_idle', 'sq_thread_cpu'],
  register: ['opcode', 'opcode_num', 'nr_args', 'files', 'iovecs', 'arg', 'buf_reg'],
  buf_ring_add: ['ring', 'ring_entries', 'bufs'],
  publish: ['sqes'],
  sq_array_write: ['index', 'value'],
  sq_tail_store: ['value'],
  enter: ['to_submit', 'min_complete', 'flags', 'ext_arg_timeout_ms'],
  enter_raw: [...FDREF_INPUTS, 'to_submit', 'min_complete', 'flags', 'arg', 'argsz'],
  reap: ['max'],
  get_sqe: ['attempted'],
  state: [],
  ring_close: [],
  syscall: [
    'call',
    ...FDREF_INPUTS,
    'bytes',
    'flags',
    'request',
    'request_num',
    'level',
    'optname',
    'optlen',
    'chunk',
    'to',
  ],
  settle: [...FDREF_INPUTS, 'request', 'request_num', 'want', 'timeout_ms'],
  sleep: ['ms'],
  peek: ['buf', 'type', 'offset'],
  fdinfo: [],
  note: [],
};

function pick(obj, keys) {
  const o = {};
  for (const k of keys) if (has(obj, k)) o[k] = obj[k];
  return o;
}

/** `fd` is an input only with `fd_ref: "literal"` (section 4). */
function dropNonLiteralFd(o) {
  if (has(o, 'fd') && o.fd_ref !== undefined && o.fd_ref !== 'literal') delete o.fd;
  return o;
}

/** The reduced, inputs-only form of a trace that a replayer may be given. */
export function reduceToInputs(trace) {
  const steps = (Array.isArray(trace.steps) ? trace.steps : []).map((s) => {
    const o = { step: s.step, kind: s.kind, ...pick(s, STEP_INPUTS[s.kind] ?? []) };
    if (s.kind === 'publish' && Array.isArray(s.sqes)) {
      o.sqes = s.sqes.map((q) => dropNonLiteralFd(pick(q, SQE_INPUTS)));
    }
    if (s.kind === 'get_sqe' && s.attempted) o.attempted = pick(s.attempted, ['opcode', 'user_data']);
    return dropNonLiteralFd(o);
  });
  return {
    format: trace.format,
    format_version: trace.format_version,
    name: trace.name,
    files: (Array.isArray(trace.files) ? trace.files : []).map((f) => pick(f, FILE_INPUTS)),
    steps,
  };
}

// ---------------------------------------------------------------------------
// CLI.

function show(v) {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

/** One line per mismatch: "step 3 (reap) cqes[1].res: expected -22, found 0". */
export function formatMismatch(m) {
  return `step ${m.step} (${m.kind ?? '?'}) ${m.field}: expected ${show(m.expected)}, found ${show(m.found)}`;
}

function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: node conformance/compare.mjs REF.json GOT.json');
    return 2;
  }
  const [ref, got] = argv.map((p) => JSON.parse(readFileSync(p, 'utf8')));
  const mismatches = compareTraces(ref, got);
  for (const m of mismatches) console.log(formatMismatch(m));
  const tp = compareTracepoints(ref, got);
  for (const m of tp.mismatches) console.log(formatMismatch(m));
  if (tp.captured) console.log(`tracepoints: ${tp.compared} compared, ${tp.mismatches.length} mismatches`);
  return mismatches.length || tp.mismatches.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
