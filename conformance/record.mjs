#!/usr/bin/env node
// Builds the C recorder and records the conformance scenarios on the running
// kernel.
//
//   node conformance/record.mjs [OUTDIR | --out OUTDIR] [scenario ...]
//       Record into OUTDIR (default conformance/traces/). When recording every
//       scenario into the default directory, traces of scenarios that no
//       longer exist are removed.
//   node conformance/record.mjs --check [scenario ...]
//       Record into a temporary directory and compare each fresh trace with
//       the committed one in conformance/traces/ (the committed trace is the
//       reference). Prints "kernel answers unchanged: N scenarios" or the
//       differences; exits 0 or 1. When io_uring is unavailable it says so and
//       exits 0. The io_uring tracepoints are compared too, and reported apart.
//   --runs N      record N times (default 10 into conformance/traces/, else 1) and
//                 declare in compare_ignore what the tracepoints did differently
//   --no-tracepoints   record without tracefs even as root
//
// Built-ins only. The recorder binary goes to conformance/.build/.

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  copyFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareTraces, compareTracepoints, formatMismatch } from './compare.mjs';
import {
  formatTrace,
  openInstance,
  parseTraceText,
  readStepClock,
  selectTree,
  splitBySteps,
  unavailableReason,
} from './tracefs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(HERE, 'recorder', 'recorder.c');
const BUILD_DIR = join(HERE, '.build');
const BINARY = join(BUILD_DIR, 'recorder');
const TRACES = join(HERE, 'traces');
const EXIT_UNAVAILABLE = 3;
/** Set by --no-tracepoints: record without tracefs even where it is available. */
let noTracepoints = null;
const UNAVAILABLE_MESSAGE = 'io_uring unavailable on this kernel: skipping re-recording';

function fail(msg) {
  console.error(`record: ${msg}`);
  process.exit(1);
}

function build() {
  mkdirSync(BUILD_DIR, { recursive: true });
  const r = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', BINARY, SOURCE], { encoding: 'utf8' });
  if (r.error) fail(`cannot run gcc: ${r.error.message}`);
  if (r.status !== 0) fail(`gcc failed:\n${r.stderr}`);
  if (r.stderr.trim()) fail(`gcc printed warnings (the recorder must build warning-free):\n${r.stderr}`);
}

/**
 * Runs the recorder; returns 'ok' or 'unavailable', or exits on error. With tracefs (root), the
 * io_uring tracepoints of the recorder and its io threads are captured in a private trace
 * instance and attached to the steps that caused them (docs/tracepoints.md); without, every
 * trace says why in `tracepoints_note` and has no `tracepoints`.
 */
function runRecorder(outDir, names) {
  const why = noTracepoints ?? unavailableReason();
  let inst = null;
  let clockFile = null;
  if (!why) {
    // Only the recorder, its io threads and kworkers: the machine may be busy with io_uring.
    inst = openInstance(`ringside-record-${process.pid}`, 16384, ['recorder', 'iou-*', 'kworker*']);
    clockFile = join(outDir, '.step-clock');
  }
  try {
    const env = clockFile ? { ...process.env, RINGSIDE_STEP_CLOCK: clockFile } : process.env;
    const r = spawnSync(BINARY, [outDir, ...names], { encoding: 'utf8', env });
    if (r.error) fail(`cannot run the recorder: ${r.error.message}`);
    if (r.status === EXIT_UNAVAILABLE) return 'unavailable';
    if (r.status !== 0) fail(`recorder exited with ${r.status}:\n${r.stdout}${r.stderr}`);
    if (r.stderr.trim()) process.stderr.write(r.stderr);
    const text = inst ? inst.read() : '';
    const lost = inst ? inst.overruns() : 0;
    const split = inst
      ? splitBySteps(
          selectTree(parseTraceText(text), readStepClock(readFileSync(clockFile, 'utf8')).pid),
          readStepClock(readFileSync(clockFile, 'utf8')),
        )
      : null;
    if (lost) fail(`the trace instance lost ${lost} events (buffer overrun); record again on a quieter machine`);
    for (const f of jsonFiles(outDir)) {
      const doc = JSON.parse(readFileSync(join(outDir, f), 'utf8'));
      const perStep = split?.get(doc.name);
      if (perStep && perStep.length === doc.steps.length) {
        doc.steps.forEach((st, i) => {
          st.tracepoints = perStep[i];
        });
        doc.tracepoints_captured = inst.captured;
      } else {
        doc.tracepoints_captured = [];
        doc.tracepoints_note = why ?? `the step clock of ${doc.name} does not match its steps; tracepoints left out`;
      }
      writeFileSync(join(outDir, f), formatTrace(doc));
    }
    return 'ok';
  } finally {
    if (clockFile) rmSync(clockFile, { force: true });
    inst?.close();
  }
}

const jsonFiles = (dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];

const WHY_INTERLEAVING =
  'io-wq workers run on another CPU: the order of their events among themselves and against the task varies between recordings';
const WHY_TASK_WORK =
  'how many task_work runs the task makes, how many items each runs, and in which step the last one lands (task_work also runs on a return from an interrupt) depends on when the io-wq completions arrive';
const WHY_SPAN =
  "an io-wq worker's events fire before or after the task's next step begins, so this step and the next are compared as one";
const WHY_WAIT =
  'whether and when the task starts waiting depends on whether the io-wq completions arrived before it looked';

/**
 * Declares what varies between recordings of a scenario's tracepoints, so that every one of
 * `others` matches `doc` (the first recording). A step where another thread (an io-wq worker)
 * fired an event races the task by construction, whatever the runs showed: the task's order is
 * kept, the other threads' events are compared as a multiset, task_work runs and waits are left
 * out, and the step is joined with the next (a worker's events may fire after the task's next
 * step began); the step after it leaves out task_work runs. Anything still differing is measured:
 * the step's tracepoints are then not compared, and the rule says so.
 */
function declareNondeterminism(doc, others) {
  if (!doc.tracepoints_captured?.length) return;
  const declared = [];
  const all = [doc, ...others];
  const racy = doc.steps.map((_, i) => all.some((d) => d.steps[i]?.tracepoints?.some((t) => t.ctx !== 'task')));
  doc.steps.forEach((st, i) => {
    if (!Array.isArray(st.tracepoints)) return;
    const path = `/steps/${i}/tracepoints`;
    let rules = [];
    if (racy[i]) {
      rules = [
        { path, interleaving: true, why: WHY_INTERLEAVING },
        { path, event: 'task_work_run', why: WHY_TASK_WORK },
        { path, event: 'cqring_wait', why: WHY_WAIT },
        { path, with_next: true, why: WHY_SPAN },
      ];
    } else if (i > 0 && racy[i - 1]) rules = [{ path, event: 'task_work_run', why: WHY_TASK_WORK }];
    const matches = (rs) => {
      const trial = { ...doc, compare_ignore: [...(doc.compare_ignore ?? []), ...rs] };
      return others.every((o) => compareTracepoints(trial, o).mismatches.every((m) => m.step !== i));
    };
    if (!matches(rules))
      rules = [
        {
          path,
          why: `the tracepoints of this step differed between ${all.length} recordings beyond thread interleaving`,
        },
      ];
    if (rules.length) {
      doc.compare_ignore = [...(doc.compare_ignore ?? []), ...rules];
      declared.push(`step ${i} tracepoints: ${rules.map((r) => r.why).join('; ')}`);
    }
  });
  doc.timing_dependent = [...(doc.timing_dependent ?? []), ...declared];
  doc.tracepoint_recordings = all.length;
}

function record(outArg, names, runs) {
  const outDir = resolve(outArg ?? TRACES);
  mkdirSync(outDir, { recursive: true });
  // Record into a scratch directory first so a failed run leaves OUTDIR as it was.
  const scratch = mkdtempSync(join(tmpdir(), 'ringside-record-'));
  try {
    if (runRecorder(scratch, names) === 'unavailable') {
      console.log(UNAVAILABLE_MESSAGE);
      process.exitCode = EXIT_UNAVAILABLE;
      return;
    }
    if (runs > 1) {
      // Record again and declare what the kernel did differently (docs/tracepoints.md).
      const again = [];
      for (let k = 1; k < runs; k++) {
        const dir = join(scratch, `.run${k}`);
        mkdirSync(dir);
        runRecorder(dir, names);
        again.push(dir);
      }
      for (const f of jsonFiles(scratch)) {
        const doc = JSON.parse(readFileSync(join(scratch, f), 'utf8'));
        const others = again.map((d) => JSON.parse(readFileSync(join(d, f), 'utf8')));
        declareNondeterminism(doc, others);
        writeFileSync(join(scratch, f), formatTrace(doc));
      }
      for (const d of again) rmSync(d, { recursive: true, force: true });
    }
    const fresh = jsonFiles(scratch);
    for (const f of fresh) {
      try {
        renameSync(join(scratch, f), join(outDir, f));
      } catch {
        copyFileSync(join(scratch, f), join(outDir, f));
      }
    }
    if (!names.length && outDir === TRACES) {
      for (const f of jsonFiles(outDir)) {
        if (!fresh.includes(f)) {
          rmSync(join(outDir, f));
          console.log(`removed stale ${f}`);
        }
      }
    }
    console.log(`recorded ${fresh.length} scenarios into ${outDir}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function check(names) {
  const scratch = mkdtempSync(join(tmpdir(), 'ringside-check-'));
  try {
    if (runRecorder(scratch, names) === 'unavailable') {
      console.log(UNAVAILABLE_MESSAGE);
      return 0;
    }
    const fresh = jsonFiles(scratch);
    const committed = jsonFiles(TRACES).filter((f) => !names.length || names.includes(f.replace(/\.json$/, '')));
    const problems = [];
    const tpProblems = [];
    let tpFiles = 0;
    let tpCompared = 0;
    for (const f of committed) {
      if (!fresh.includes(f)) {
        problems.push(`${f}: committed but no longer recorded`);
        continue;
      }
      const ref = JSON.parse(readFileSync(join(TRACES, f), 'utf8'));
      const got = JSON.parse(readFileSync(join(scratch, f), 'utf8'));
      for (const m of compareTraces(ref, got)) problems.push(`${f}: ${formatMismatch(m)}`);
      const tp = compareTracepoints(ref, got);
      if (tp.captured && got.tracepoints_captured?.length) {
        tpFiles++;
        tpCompared += tp.compared;
        for (const m of tp.mismatches) tpProblems.push(`${f}: ${formatMismatch(m)}`);
      }
    }
    for (const f of fresh) if (!committed.includes(f)) problems.push(`${f}: recorded but not committed`);
    let rc = 0;
    if (problems.length) {
      console.log(`kernel answers changed (${problems.length} differences):`);
      for (const p of problems) console.log(`  ${p}`);
      rc = 1;
    } else console.log(`kernel answers unchanged: ${committed.length} scenarios`);
    if (tpProblems.length) {
      console.log(
        `kernel tracepoints changed (${tpProblems.length} differences in ${tpCompared} tracepoints of ${tpFiles} scenarios):`,
      );
      for (const p of tpProblems) console.log(`  ${p}`);
      rc = 1;
    } else if (tpFiles) console.log(`kernel tracepoints unchanged: ${tpCompared} tracepoints in ${tpFiles} scenarios`);
    else
      console.log(
        `kernel tracepoints not compared: ${noTracepoints ?? unavailableReason() ?? 'the committed recordings have none'}`,
      );
    return rc;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const opts = { check: false, out: undefined, names: [], runs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if (a === '--no-tracepoints') noTracepoints = 'recorded with --no-tracepoints';
    else if (a === '--runs') {
      opts.runs = Number(argv[++i]);
      if (!Number.isInteger(opts.runs) || opts.runs < 1 || opts.runs > 100) fail('--runs takes an integer 1..100');
    } else if (a === '--out') opts.out = argv[++i];
    else if (a.startsWith('-')) fail(`unknown option ${a}`);
    // The first positional argument is OUTDIR when it looks like a path.
    else if (opts.out === undefined && !opts.names.length && (a.includes('/') || existsSync(a))) opts.out = a;
    else opts.names.push(a);
  }
  if (opts.check && opts.out !== undefined) fail('--check always compares against conformance/traces/');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
build();
if (opts.check) process.exitCode = check(opts.names);
else record(opts.out, opts.names, opts.runs ?? (opts.out === undefined ? 10 : 1));
