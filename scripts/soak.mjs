#!/usr/bin/env node
// `npm run soak [-- STEPS]`: runs the wasm core for ten million kernel steps (default) in one
// instance, with the trace never drained, and reports memory as it goes. The trace keeps at
// most 2^18 records (12 MiB); past that it discards the oldest half (policy of core-rs
// trace::Trace), so memory must plateau. Exits 1 if memory keeps growing past the bound.
import { join } from 'node:path';
import { instantiate, nopTemplate, runNops, setupRing } from '../bench/wasm_core.mjs';
import { root } from './bootstrap.mjs';
import { buildWasm } from './build-wasm.mjs';

const target = Number(process.argv[2] ?? 10_000_000);
if (!buildWasm({ quiet: true })) process.exit(1);
const e = await instantiate(join(root, 'public', 'core.wasm'));
const ring = setupRing(e);
const tmpl = nopTemplate();
const BOUND = 32 * 1024 * 1024;
let ops = 0;
let nextReport = 1_000_000;
let peak = 0;
const t0 = performance.now();
while (e.rs_step_count() >>> 0 < target) {
  ops += runNops(e, ring, 1, tmpl, false);
  const steps = e.rs_step_count() >>> 0;
  peak = Math.max(peak, e.memory.buffer.byteLength);
  if (steps >= nextReport) {
    console.log(
      `steps ${steps.toLocaleString('en')}  requests ${ops.toLocaleString('en')}  trace records kept ${e.rs_trace_len().toLocaleString('en')}  wasm memory ${(e.memory.buffer.byteLength / 1048576).toFixed(1)} MiB`,
    );
    nextReport += 1_000_000;
  }
}
const secs = (performance.now() - t0) / 1000;
console.log(
  `soak: ${(e.rs_step_count() >>> 0).toLocaleString('en')} steps, ${ops.toLocaleString('en')} requests in ${secs.toFixed(1)} s; peak wasm memory ${(peak / 1048576).toFixed(1)} MiB (bound ${BOUND / 1048576} MiB)`,
);
process.exit(peak <= BOUND ? 0 : 1);
