// Conformance against the real kernel: re-record every scenario on this machine's kernel (when
// io_uring is available) and compare with the committed recordings, then replay every committed
// recording in the simulator and compare the simulator's answers with the kernel's.
//
// One test for the re-recording, one per committed trace (conformance/traces and the fuzzer's
// kept regressions in conformance/fuzz/traces), one for the `npx --no-install ringside replay`
// command line itself, and one per differential-fuzzer program run on this kernel. The
// replays run in one process through the same command (`ringside replay --out-dir`), fed the
// traces reduced to their inputs (format §10.2), so the simulator never sees a recorded
// result.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTracepoints, compareTraces, formatMismatch, reduceToInputs } from '../../conformance/compare.mjs';

export const name = 'conformance (real kernel recordings, simulator replay)';

export function run({ root, run: sh }) {
  let passed = 0;
  let failed = 0;
  const out = [];
  const say = (line) => {
    // Printed at once as well: the runner shows a suite's output only when it fails.
    console.log(line);
    out.push(line);
  };

  // (a) The kernel's answers: re-record and diff against the committed traces.
  const rec = sh(process.execPath, [join(root, 'conformance', 'record.mjs'), '--check']);
  const unavailable = /io_uring unavailable/.test(rec.out);
  if (unavailable) {
    say('io_uring unavailable: not re-recording (the committed traces are replayed as they are)');
  } else {
    // Results and tracepoints are reported, and counted, apart.
    const answers = /kernel answers unchanged: \d+ scenarios/.exec(rec.out);
    if (answers) {
      passed++;
      say(`re-recorded on this kernel: ${answers[0]}`);
    } else {
      failed++;
      say('re-recording: the kernel now answers differently from the committed traces:');
      say(rec.out.split('kernel tracepoints')[0].trimEnd());
    }
    const tpSame = /kernel tracepoints unchanged: .*/.exec(rec.out);
    const tpNot = /kernel tracepoints not compared: .*/.exec(rec.out);
    if (tpSame) {
      passed++;
      say(`re-recorded tracepoints: ${tpSame[0]}`);
    } else if (tpNot) {
      say(tpNot[0]);
    } else {
      failed++;
      say("re-recording: the kernel's tracepoints differ from the committed traces beyond what they declare:");
      say(rec.out.slice(rec.out.indexOf('kernel tracepoints')).trimEnd());
    }
  }

  // (b) The simulator's answers, one test per committed trace (the 70 scenarios, then the
  // kernel recordings the differential fuzzer kept as regressions).
  const tracesDir = join(root, 'conformance', 'traces');
  const fuzzDir = join(root, 'conformance', 'fuzz', 'traces');
  const scenarioNames = readdirSync(tracesDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const fuzzNames = readdirSync(fuzzDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const names = [...scenarioNames, ...fuzzNames];
  const dirOf = (f) => (fuzzNames.includes(f) && !scenarioNames.includes(f) ? fuzzDir : tracesDir);
  const tmp = mkdtempSync(join(tmpdir(), 'ringside-conformance-'));
  try {
    const inDir = join(tmp, 'in');
    const gotDir = join(tmp, 'got');
    mkdirSync(inDir);
    mkdirSync(gotDir);
    const refs = new Map();
    for (const f of names) {
      const ref = JSON.parse(readFileSync(join(dirOf(f), f), 'utf8'));
      refs.set(f, ref);
      writeFileSync(join(inDir, f), JSON.stringify(reduceToInputs(ref)));
    }
    const bin = join(root, 'bin', 'ringside.mjs');
    const rep = sh(process.execPath, [bin, 'replay', '--out-dir', gotDir, ...names.map((f) => join(inDir, f))]);
    if (rep.status !== 0) out.push(`ringside replay exited with ${rep.status}:\n${rep.out.trimEnd()}`);
    let match = 0;
    let fuzzMatch = 0;
    for (const f of names) {
      let got;
      try {
        got = JSON.parse(readFileSync(join(gotDir, f), 'utf8'));
      } catch (e) {
        failed++;
        out.push(`${f}: no replay output (${e.message})`);
        continue;
      }
      const mismatches = compareTraces(refs.get(f), got);
      if (mismatches.length === 0) {
        passed++;
        if (scenarioNames.includes(f)) match++;
        else fuzzMatch++;
      } else {
        failed++;
        out.push(`${f}: ${mismatches.length} mismatches`);
        for (const m of mismatches) out.push(`  ${formatMismatch(m)}`);
      }
    }
    say(`replayed in the simulator: ${match}/${scenarioNames.length} traces match the kernel's recording`);
    // Tracepoint for tracepoint (format section 10.5), reported apart from the results. Each
    // recording with tracepoints is one test once the simulator writes tracepoints.
    let tpTraces = 0;
    let tpMatch = 0;
    let tpCompared = 0;
    let simWrites = false;
    const tpOut = [];
    for (const f of scenarioNames) {
      const ref = refs.get(f);
      if (!ref?.tracepoints_captured?.length) continue;
      let got;
      try {
        got = JSON.parse(readFileSync(join(gotDir, f), 'utf8'));
      } catch {
        continue;
      }
      if (got.steps?.some((st) => Array.isArray(st.tracepoints))) simWrites = true;
      const tp = compareTracepoints(ref, got);
      tpTraces++;
      tpCompared += tp.compared;
      if (tp.mismatches.length === 0) tpMatch++;
      else {
        tpOut.push(`${f}: ${tp.mismatches.length} tracepoint mismatches`);
        for (const m of tp.mismatches.slice(0, 12)) tpOut.push(`  ${formatMismatch(m)}`);
      }
    }
    if (!simWrites) {
      say(
        `tracepoints: the simulator's replay writes no tracepoints; ${tpTraces} recordings with tracepoints not compared`,
      );
    } else {
      passed += tpMatch;
      failed += tpTraces - tpMatch;
      out.push(...tpOut);
      say(
        `tracepoints: ${tpMatch}/${tpTraces} recordings match the kernel tracepoint for tracepoint (${tpCompared} kernel tracepoints compared)`,
      );
    }
    say(`fuzzer regressions replayed: ${fuzzMatch}/${fuzzNames.length} match the kernel's recording`);

    // (c) The documented command line, on one reduced trace.
    const one = names.includes('nop_two.json') ? 'nop_two.json' : names[0];
    if (one) {
      const dst = join(tmp, 'one.json');
      const cli = sh('npx', ['--no-install', 'ringside', 'replay', join(inDir, one), '--out', dst]);
      let ok = cli.status === 0;
      if (ok) ok = compareTraces(refs.get(one), JSON.parse(readFileSync(dst, 'utf8'))).length === 0;
      if (ok) passed++;
      else {
        failed++;
        out.push(`npx --no-install ringside replay ${one}: exit ${cli.status}\n${cli.out.trimEnd()}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // (d) Differential fuzzing: fresh random programs run on this kernel and in the simulator
  // (fixed seeds, so a failure reproduces with `node conformance/fuzz/fuzz.mjs --seed N
  // --count 1 --keep DIR`). One test per program.
  if (unavailable) {
    say('io_uring unavailable: not fuzzing against the kernel');
  } else {
    const count = Number(process.env.RINGSIDE_FUZZ_COUNT ?? 100);
    const fz = sh(process.execPath, [
      join(root, 'conformance', 'fuzz', 'fuzz.mjs'),
      '--seed',
      '1',
      '--count',
      String(count),
      '--quiet',
    ]);
    const m = /differential fuzz: (\d+)\/(\d+)/.exec(fz.out);
    if (m && fz.status !== 3) {
      passed += Number(m[1]);
      failed += Number(m[2]) - Number(m[1]);
      say(m[0] + ' random programs match the kernel');
      if (m[1] !== m[2]) out.push(fz.out.trimEnd());
    } else if (/io_uring unavailable/.test(fz.out)) {
      say('io_uring unavailable: not fuzzing against the kernel');
    } else {
      failed++;
      out.push(`conformance/fuzz/fuzz.mjs exited with ${fz.status}:\n${fz.out.trimEnd()}`);
    }
  }
  return { passed, failed, out: out.join('\n') };
}
