#!/usr/bin/env node
// `npm run fuzz [-- --quick]`: the long fuzzing run (fixed seeds, so any failure reproduces).
//   1. core: one million random SQEs through the ring invariants property test (release build);
//   2. the wasm exports and the shared ring bytes, and every input parser (scenario documents,
//      scenario files, permalinks, embed messages), with RINGSIDE_FUZZ_RUNS cases each;
//   3. the differential fuzzer: random programs on this kernel vs the simulator.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystem, nativeCargo, root } from './bootstrap.mjs';
import { buildWasm } from './build-wasm.mjs';

const quick = process.argv.includes('--quick');
ensureSystem({ recorder: true });
ensureNodeModules();
if (!buildWasm({ quiet: true })) process.exit(1);
let failed = 0;
function run(title, cmd, args, env = {}, cwd = root) {
  console.log(`\n== ${title}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`-- ${title}: ${r.status === 0 ? 'clean' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0 && !(r.status === 3 && title.startsWith('differential'))) failed++;
}
const sqes = quick ? '100000' : '1000000';
run(
  `core: ${sqes} random SQEs`,
  nativeCargo() ?? 'cargo',
  ['test', '--release', '--test', 'props', '--', '--nocapture'],
  { PROPS_SQES: sqes },
  join(root, 'core-rs'),
);
const cases = quick ? '2000' : '20000';
run(
  `inputs and wasm exports: ${cases} cases per property`,
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', 'web/src/wasm/robustness.test.ts', 'web/src/scenario/validate.fuzz.test.ts', 'web/src/share'],
  { RINGSIDE_FUZZ_RUNS: cases },
);
run('differential: kernel vs simulator', process.execPath, [
  join(root, 'conformance', 'fuzz', 'fuzz.mjs'),
  '--count',
  quick ? '50' : '1000',
  '--quiet',
]);
console.log(failed ? `\nfuzz: ${failed} part(s) failed` : '\nfuzz: clean');
process.exit(failed ? 1 : 0);
