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
//       exits 0.
//
// Built-ins only. The recorder binary goes to conformance/.build/.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareTraces, formatMismatch } from './compare.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(HERE, 'recorder', 'recorder.c');
const BUILD_DIR = join(HERE, '.build');
const BINARY = join(BUILD_DIR, 'recorder');
const TRACES = join(HERE, 'traces');
const EXIT_UNAVAILABLE = 3;
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

/** Runs the recorder; returns 'ok' or 'unavailable', or exits on error. */
function runRecorder(outDir, names) {
  const r = spawnSync(BINARY, [outDir, ...names], { encoding: 'utf8' });
  if (r.error) fail(`cannot run the recorder: ${r.error.message}`);
  if (r.status === EXIT_UNAVAILABLE) return 'unavailable';
  if (r.status !== 0) fail(`recorder exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  if (r.stderr.trim()) process.stderr.write(r.stderr);
  return 'ok';
}

const jsonFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []);

function record(outArg, names) {
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
    for (const f of committed) {
      if (!fresh.includes(f)) {
        problems.push(`${f}: committed but no longer recorded`);
        continue;
      }
      const ref = JSON.parse(readFileSync(join(TRACES, f), 'utf8'));
      const got = JSON.parse(readFileSync(join(scratch, f), 'utf8'));
      for (const m of compareTraces(ref, got)) problems.push(`${f}: ${formatMismatch(m)}`);
    }
    for (const f of fresh) if (!committed.includes(f)) problems.push(`${f}: recorded but not committed`);
    if (problems.length) {
      console.log(`kernel answers changed (${problems.length} differences):`);
      for (const p of problems) console.log(`  ${p}`);
      return 1;
    }
    console.log(`kernel answers unchanged: ${committed.length} scenarios`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const opts = { check: false, out: undefined, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if (a === '--out') opts.out = argv[++i];
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
else record(opts.out, opts.names);
