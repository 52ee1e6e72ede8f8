// "Kernel vs simulator", computed from the committed recordings (docs/tracepoints.md): every
// conformance recording that carries the kernel's tracepoints is replayed in the simulator
// (reduced to its inputs, through `ringside replay --out-dir`, as `npm test` does) and compared
// tracepoint for tracepoint. The app's badge and its kernel-vs-simulator page are built from
// this at build time (vite.config.ts, module `virtual:kernel-truth`); nothing there is typed.
//
//   node conformance/truth.mjs          prints the summary and every mismatch
//
// Built-ins only.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareTracepoints, compareTraces, formatMismatch, reduceToInputs } from './compare.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

/** Fields of a tracepoint the page shows (informational ones dropped). */
function slim(t) {
  const { ts_ns: _ts, tid: _tid, ...rest } = t;
  return rest;
}

/**
 * Replays the committed recordings with tracepoints and compares them. Returns
 * `{ kernel, total, matching, simulatorTracepoints, compared, error?, scenarios: [...] }`.
 */
export function computeTruth(root = ROOT) {
  const dir = join(root, 'conformance', 'traces');
  const refs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((d) => d.tracepoints_captured?.length);
  const releases = [...new Set(refs.map((d) => d.kernel?.release).filter(Boolean))];
  const truth = {
    kernel: releases.map((r) => `Linux ${r}`).join(', '),
    total: refs.length,
    matching: 0,
    compared: 0,
    simulatorTracepoints: false,
    scenarios: [],
  };
  if (!refs.length) return truth;
  const tmp = mkdtempSync(join(tmpdir(), 'ringside-truth-'));
  try {
    const inDir = join(tmp, 'in');
    const outDir = join(tmp, 'out');
    mkdirSync(inDir);
    mkdirSync(outDir);
    const files = refs.map((d) => {
      const f = join(inDir, `${d.name}.json`);
      writeFileSync(f, JSON.stringify(reduceToInputs(d)));
      return f;
    });
    const wasm = join(root, 'public', 'core.wasm');
    if (!existsSync(wasm)) truth.error = 'the simulator core (public/core.wasm) is not built';
    else {
      const r = spawnSync(
        process.execPath,
        [join(root, 'bin', 'ringside.mjs'), 'replay', '--out-dir', outDir, ...files],
        { encoding: 'utf8', cwd: root },
      );
      if (r.status !== 0)
        truth.error = `ringside replay exited with ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
    }
    for (const ref of refs) {
      const f = join(outDir, `${ref.name}.json`);
      const got = existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
      const simHas = !!got?.steps?.some((s) => Array.isArray(s.tracepoints));
      if (simHas) truth.simulatorTracepoints = true;
      const tp = got
        ? compareTracepoints(ref, got)
        : { compared: 0, mismatches: [{ step: 0, kind: '', field: 'replay', expected: 'a replay', found: undefined }] };
      const results = got ? compareTraces(ref, got).length : 1;
      const badSteps = new Set(tp.mismatches.map((m) => m.step));
      const match = simHas && tp.mismatches.length === 0;
      if (match) truth.matching++;
      truth.compared += tp.compared;
      truth.scenarios.push({
        name: ref.name,
        description: ref.description ?? '',
        match,
        resultsMatch: results === 0,
        compared: tp.compared,
        mismatches: tp.mismatches.slice(0, 40).map(formatMismatch),
        rules: (ref.compare_ignore ?? [])
          .filter((r) => /\/tracepoints$/.test(r.path))
          .map((r) => `${r.path}${r.interleaving ? ' interleaving' : ''}${r.event ? ` without ${r.event}` : ''}`),
        steps: ref.steps.map((s, i) => ({
          kind: s.kind,
          kernel: (s.tracepoints ?? []).map(slim),
          sim: got?.steps?.[i]?.tracepoints ? got.steps[i].tracepoints.map(slim) : null,
          mismatch: badSteps.has(i),
        })),
      });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return truth;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t = computeTruth();
  console.log(
    `${t.kernel}: ${t.matching} of ${t.total} scenarios match tracepoint for tracepoint (${t.compared} kernel tracepoints compared)${t.simulatorTracepoints ? '' : '; the simulator writes no tracepoints'}${t.error ? `; ${t.error}` : ''}`,
  );
  for (const s of t.scenarios) for (const m of s.mismatches) console.log(`  ${s.name}: ${m}`);
}
