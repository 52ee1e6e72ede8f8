#!/usr/bin/env node
// `npm test`: every check, in order, then one summary line `N passed, N failed`.
//
// Suites: setup (every external tool proven by use, fresh: which rustc, linker, wasm-opt, gcc
// and browser were picked), cargo fmt --check, cargo clippy, cargo test, the wasm build with Rust
// 1.63, tsc, eslint, prettier --check, Vitest (real core.wasm), the kernel-trace comparator tests,
// the browser tests
// (Playwright + Debian's Chromium against the production build). Each suite's own test counts
// are summed; a suite without counts (fmt, clippy, builds, type check, lint) counts as one test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystem, nativeCargo, root } from './bootstrap.mjs';
import { describe, prove } from './toolchain.mjs';

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
ensureSystem({ browser: true, rustChecks: true, recorder: true, programs: true });
ensureNodeModules();
mkdirSync(join(root, 'test-results'), { recursive: true });

const cargo = nativeCargo() ?? 'cargo';
const crate = join(root, 'core-rs');
const bin = (name) => join(root, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;
const failures = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? root,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  return { status: r.status ?? 1, out };
}

async function suite(name, fn) {
  if (only.length && !only.some((o) => name.includes(o))) return;
  const t0 = Date.now();
  process.stdout.write(`\n== ${name}\n`);
  let res;
  try {
    res = await fn();
  } catch (err) {
    res = { passed: 0, failed: 1, out: String(err?.stack ?? err) };
  }
  passed += res.passed;
  failed += res.failed;
  if (res.failed > 0) failures.push(name);
  if (res.failed > 0 || process.env.VERBOSE) process.stdout.write(res.out.trimEnd() + '\n');
  console.log(`-- ${name}: ${res.passed} passed, ${res.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const single = ({ status, out }) => ({ passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, out });

// The regression guard for "works here, fails on a fresh machine": every tool the suites use is
// proven again by use (ignoring the cache), and each one's pick is reported.
await suite('setup', () => {
  const lines = [];
  let p = 0;
  let f = 0;
  for (const n of ['wasm', 'wasm-1.63', 'wasm-opt', 'rust-checks', 'recorder', 'browser', 'programs']) {
    const r = prove(n, { fresh: true });
    if (r.ok) p++;
    else f++;
    lines.push(describe(n, r));
  }
  const out = lines.join('\n');
  if (f === 0) process.stdout.write(out + '\n');
  return { passed: p, failed: f, out };
});
await suite('cargo fmt --check', () => single(run(cargo, ['fmt', '--check'], { cwd: crate })));
await suite('cargo clippy', () =>
  single(run(cargo, ['clippy', '--all-targets', '--', '-D', 'warnings'], { cwd: crate })),
);
await suite('cargo test', () => {
  const r = run(cargo, ['test'], { cwd: crate });
  let p = 0;
  let f = 0;
  for (const m of r.out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    p += Number(m[1]);
    f += Number(m[2]);
  }
  if (r.status !== 0 && f === 0) f = 1;
  return { passed: p, failed: f, out: r.out };
});
await suite('wasm build (Rust 1.63)', () => {
  const tc = prove('wasm-1.63');
  if (!tc.ok) return { passed: 0, failed: 1, out: describe('wasm-1.63', tc) };
  const r = run(tc.cargo, ['build', '--release', '--lib', '--target', 'wasm32-unknown-unknown'], {
    cwd: crate,
    env: { RUSTC: tc.rustc, CARGO_TARGET_DIR: join(crate, 'target', 'wasm-debian'), RUSTUP_TOOLCHAIN: '' },
  });
  if (r.status === 0) {
    const b = run(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')]);
    return single({ status: b.status, out: r.out + b.out });
  }
  return single(r);
});
await suite('tsc --noEmit', () => single(run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])));
await suite('eslint', () => single(run(bin('eslint'), ['.', '--max-warnings', '0'])));
// Prettier (printWidth 120, .prettierrc.json) over the TypeScript, JavaScript, JSON, CSS and Markdown.
await suite('format --check (prettier)', () => single(run(bin('prettier'), ['--check', '.'])));
await suite('vitest', () => {
  const json = join(root, 'test-results', 'vitest.json');
  const r = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
  if (!existsSync(json)) return { passed: 0, failed: 1, out: r.out };
  const j = JSON.parse(readFileSync(json, 'utf8'));
  const f = j.numFailedTests + (r.status !== 0 && j.numFailedTests === 0 ? 1 : 0);
  return { passed: j.numPassedTests, failed: f, out: r.out };
});
await suite('conformance comparator (node --test)', () => {
  const r = run(process.execPath, ['--test', 'conformance/']);
  const p = Number(/^# pass (\d+)/m.exec(r.out)?.[1] ?? 0);
  let f = Number(/^# fail (\d+)/m.exec(r.out)?.[1] ?? 0);
  if (r.status !== 0 && f === 0) f = 1;
  return { passed: p, failed: f, out: r.out };
});
// Further suites: scripts/suites/*.mjs, each `export const name` and `export function run(ctx)`
// returning { passed, failed, out } (ctx has root, run, single, cargo).
const extra = join(root, 'scripts', 'suites');
if (existsSync(extra)) {
  for (const f of readdirSync(extra)
    .filter((x) => x.endsWith('.mjs'))
    .sort()) {
    const mod = await import(join(extra, f));
    await suite(mod.name, () => mod.run({ root, run, single, cargo }));
  }
}

await suite('browser (playwright + chromium)', () => {
  const b = run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
  if (b.status !== 0) return { passed: 0, failed: 1, out: b.out };
  const r = run(process.execPath, [join(root, 'tests', 'browser', 'run.mjs')]);
  const m = /^browser: (\d+) passed, (\d+) failed/m.exec(r.out);
  const p = Number(m?.[1] ?? 0);
  let f = Number(m?.[2] ?? 0);
  if (r.status !== 0 && f === 0) f = 1;
  return { passed: p, failed: f, out: r.out };
});

if (failures.length) console.log(`\nfailed suites: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
