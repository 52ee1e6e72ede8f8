#!/usr/bin/env node
// `npm run bench [-- --quick] [--json]`: measures, side by side in one run,
//   1. core throughput: batched NOPs (64 per enter, tracing on) in the wasm core under Node,
//      the same core built natively, and the real kernel (bench/kernel_bench.c); uring_cmd on
//      the kernel's /dev/null and, where the core has it, through the v5 sample driver;
//   2. trace and memory: bytes per trace record, memory after one million requests, snapshot
//      size and restore time;
//   3. the UI in headless Chromium (bench/ui.mjs, when the app provides its hooks), and the
//      size of the built JS and wasm, raw and gzip.
// Prints a table, or with --json one object with a `targets` array of
// {name, value, unit, target, met}. Figures are measurements, never assertions: `npm test`
// only checks that `--quick` runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  instantiate,
  measureInlineCmd,
  measureNops,
  measureV5Sample,
  nopTemplate,
  runNops,
  setupRing,
  v5StepsPerCommand,
} from '../bench/wasm_core.mjs';
import { ensureNodeModules, ensureSystem, nativeCargo, root } from './bootstrap.mjs';
import { buildWasm } from './build-wasm.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const asJson = args.includes('--json');
const secs = quick ? 0.2 : 2;
const log = asJson ? () => {} : (m) => console.log(m);

ensureSystem({ recorder: true });
ensureNodeModules();
if (!buildWasm({ quiet: true })) process.exit(1);

const results = {};
const targets = [];
function target(name, value, unit, cmp, goal, note) {
  const met =
    value === null || value === undefined || Number.isNaN(value) ? false : cmp === '>=' ? value >= goal : value <= goal;
  targets.push({ name, value: value ?? null, unit, target: `${cmp} ${goal}`, met, ...(note ? { note } : {}) });
}

// 1. Core throughput.
log('core throughput...');
const wasmPath = join(root, 'public', 'core.wasm');
const e = await instantiate(wasmPath);
results.wasm_nop = measureNops(e, secs);

const cargo = nativeCargo() ?? 'cargo';
const nb = spawnSync(cargo, ['run', '-q', '--release', '--example', 'bench', '--', 'nop', String(secs)], {
  cwd: join(root, 'core-rs'),
  encoding: 'utf8',
});
results.native_nop =
  nb.status === 0 ? JSON.parse(nb.stdout.trim().split('\n').pop()) : { error: nb.stderr.slice(-500) };

const kdir = mkdtempSync(join(tmpdir(), 'ringside-bench-'));
const kbin = join(kdir, 'kernel_bench');
const cc = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', kbin, join(root, 'bench', 'kernel_bench.c')], {
  encoding: 'utf8',
});
function kernel(mode) {
  if (cc.status !== 0) return { error: `gcc: ${cc.stderr}` };
  const r = spawnSync(kbin, [mode, String(secs)], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout.trim());
  } catch {
    return { error: r.stdout + r.stderr };
  }
}
results.kernel_nop = kernel('nop');
results.kernel_devnull_cmd = kernel('devnull');
results.kernel_siocinq_cmd = kernel('siocinq');

const wasmRate = results.wasm_nop.opsPerSec;
const kRate = results.kernel_nop.ops_per_sec;
const nRate = results.native_nop.ops_per_sec;
target(
  'wasm batched NOPs vs real kernel',
  kRate ? wasmRate / kRate : null,
  'x',
  '>=',
  1.0,
  kRate ? undefined : `kernel: ${results.kernel_nop.error}`,
);
target('wasm batched NOPs vs native build', nRate ? wasmRate / nRate : null, 'x', '>=', 0.7);
// (a) The fair synchronous comparison: a uring_cmd answered inline by the file's ->uring_cmd.
results.wasm_inline_cmd = measureInlineCmd(await instantiate(wasmPath), secs);
const kSock = results.kernel_siocinq_cmd.ops_per_sec;
target(
  'inline uring_cmd (v3 sample GET_VALUE) vs kernel SIOCINQ on a UDP socket',
  kSock ? results.wasm_inline_cmd.opsPerSec / kSock : null,
  'x',
  '>=',
  1.0,
  kSock
    ? `both 64 per io_uring_enter(64, 64, GETEVENTS); sim res ${results.wasm_inline_cmd.res}, kernel nonzero res ${results.kernel_siocinq_cmd.nonzero_res}`
    : `kernel: ${results.kernel_siocinq_cmd.error}`,
);
// (b) The v5 asynchronous path, per command, with the kernel steps one command takes.
results.wasm_v5_sample_cmd = measureV5Sample(await instantiate(wasmPath), secs);
results.v5_steps_per_command = v5StepsPerCommand(await instantiate(wasmPath));
target(
  'uring_cmd through the v5 sample (queue, workqueue, task_work, done)',
  results.wasm_v5_sample_cmd.opsPerSec / 1e6,
  'M/s',
  '>=',
  1.0,
  `${results.v5_steps_per_command} kernel steps for one command submitted alone (syscall entry and exit included)`,
);

// 2. Trace and memory.
log('trace and memory...');
results.trace_record_bytes = 48;
{
  const e2 = await instantiate(wasmPath);
  const ring = setupRing(e2);
  const total = quick ? 64 * 1024 : 1_000_000;
  runNops(e2, ring, Math.ceil(total / 64), nopTemplate());
  results.requests_run = Math.ceil(total / 64) * 64;
  results.memory_after_requests_bytes = e2.memory.buffer.byteLength;
  const snap = new Uint8Array(e2.memory.buffer).slice();
  results.snapshot_bytes = snap.byteLength;
  const n = quick ? 20 : 200;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) new Uint8Array(e2.memory.buffer).set(snap);
  results.snapshot_restore_ms = (performance.now() - t0) / n;
}

// 3. The UI figures, when bench/ui.mjs exists.
const uiBench = join(root, 'bench', 'ui.mjs');
if (existsSync(uiBench)) {
  log('UI in headless Chromium...');
  const mod = await import(uiBench);
  const ui = await mod.measureUi({ quick, root });
  results.ui = ui;
  target('p95 frame time, 256 in flight at 1x', ui.p95_1x_ms, 'ms', '<=', 16.7);
  target('p95 frame time, 256 in flight at 8x', ui.p95_8x_ms, 'ms', '<=', 16.7);
  target('play at 100/s (many-in-flight): steps delivered per second', ui.play_delivered_steps_per_s, '/s', '>=', 95);
  target('play at 100/s: a Pause click answered (max)', ui.pause_click_max_ms, 'ms', '<=', 100);
  target(
    `play at 100/s: JS heap after/before (${Math.round(ui.play_heap_start_mb)} -> ${Math.round(ui.play_heap_end_mb)} MB)`,
    ui.play_heap_growth,
    'x',
    '<=',
    1.1,
  );
  target('sandbox ring of 32768 entries: creation', ui.big_ring_create_ms, 'ms', '<=', 1000);
  target('sandbox ring of 32768 entries: slowest action', ui.big_ring_action_max_ms, 'ms', '<=', 50);
  target(
    `page seek p95, ${ui.page_timeline_frames}-step timeline (p50 ${Math.round(ui.page_seek_p50_ms)}, max ${Math.round(ui.page_seek_max_ms)})`,
    ui.page_seek_p95_ms,
    'ms',
    '<=',
    50,
  );
  target(`building a ${ui.page_timeline_frames}-step timeline in the page`, ui.page_timeline_build_ms, 'ms', '<=', 500);
  target(
    `controller seek max, ${ui.controller_frames}-step timeline (Node)`,
    ui.controller_seek_max_ms,
    'ms',
    '<=',
    50,
  );
  target(
    `building a ${ui.controller_frames}-step timeline (controller, Node)`,
    ui.controller_build_ms,
    'ms',
    '<=',
    500,
  );
  target('cold load to first interactive frame', ui.load_ms, 'ms', '<=', 1000);
} else {
  target('UI frame/seek/load figures', null, 'ms', '<=', 0, 'bench/ui.mjs not present yet');
}

// 4. Sizes of the built site, after the UI run (bench/ui.mjs builds dist/ first, so the sizes
// are of this tree, not of an older build).
const dist = join(root, 'dist');
if (existsSync(join(dist, 'index.html'))) {
  let js = 0;
  let jsGz = 0;
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, f.name);
      if (f.isDirectory()) walk(p);
      else if (f.name.endsWith('.js')) {
        const b = readFileSync(p);
        js += b.length;
        jsGz += gzipSync(b, { level: 9 }).length;
      }
    }
  };
  walk(dist);
  const w = readFileSync(join(dist, 'core.wasm'));
  results.js_bytes = js;
  results.js_gzip_bytes = jsGz;
  results.wasm_bytes = w.length;
  results.wasm_gzip_bytes = gzipSync(w, { level: 9 }).length;
} else {
  results.wasm_bytes = statSync(wasmPath).size;
  results.wasm_gzip_bytes = gzipSync(readFileSync(wasmPath), { level: 9 }).length;
}
target('wasm size', results.wasm_bytes / 1000, 'KB', '<=', 150);
target(
  'JS size (gzip)',
  results.js_gzip_bytes !== undefined ? results.js_gzip_bytes / 1000 : null,
  'KB',
  '<=',
  300,
  results.js_gzip_bytes === undefined ? 'dist/ not built (npm run build)' : undefined,
);
const out = { quick, results, targets };
if (asJson) {
  console.log(JSON.stringify(out, null, 2));
} else {
  const f = (x) =>
    typeof x === 'number' ? (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en') : x.toFixed(3)) : String(x);
  console.log('');
  console.log(`wasm core, batched NOPs:    ${f(wasmRate)} ops/s`);
  console.log(`native core, batched NOPs:  ${f(nRate)} ops/s`);
  console.log(`real kernel, batched NOPs:  ${f(kRate)} ops/s`);
  console.log(`real kernel, /dev/null uring_cmd: ${f(results.kernel_devnull_cmd.ops_per_sec)} ops/s`);
  console.log(`real kernel, SIOCINQ uring_cmd on a UDP socket: ${f(kSock)} ops/s`);
  console.log(`wasm core, inline uring_cmd (v3 sample GET_VALUE): ${f(results.wasm_inline_cmd.opsPerSec)} ops/s`);
  console.log(
    `wasm core, uring_cmd through the v5 sample: ${f(results.wasm_v5_sample_cmd.opsPerSec)} ops/s (${results.v5_steps_per_command} kernel steps per command alone)`,
  );
  console.log(
    `trace record: ${results.trace_record_bytes} bytes; memory after ${f(results.requests_run)} requests: ${f(results.memory_after_requests_bytes)} bytes`,
  );
  console.log(`snapshot: ${f(results.snapshot_bytes)} bytes, restore ${f(results.snapshot_restore_ms)} ms`);
  console.log(
    `wasm ${f(results.wasm_bytes)} B (gzip ${f(results.wasm_gzip_bytes)} B)${results.js_bytes ? `, JS ${f(results.js_bytes)} B (gzip ${f(results.js_gzip_bytes)} B)` : ''}`,
  );
  console.log('\ntarget                                                                  value        goal      met');
  for (const t of targets) {
    console.log(
      `${t.name.padEnd(72)}${f(t.value).padStart(10)} ${t.unit.padEnd(3)} ${t.target.padEnd(9)} ${t.met ? 'yes' : 'NO'}${t.note ? `  (${t.note})` : ''}`,
    );
  }
}
