#!/usr/bin/env node
// Builds core-rs for wasm32-unknown-unknown and copies the module to public/core.wasm, then
// writes the package pkg/ from it (scripts/build-pkg.mjs: wasm-pack's layout).
//
// It picks the first rustc proven to build wasm32 (scripts/toolchain.mjs compiles, links and
// runs a tiny cdylib with it): the user's rustup toolchain (`rustc` on PATH) first, then
// Debian's /usr/bin/rustc (1.63 with libstd-rust-dev-wasm32 and lld-14), each with the cargo
// that sits beside it, and says which it picked.
// `--force` rebuilds even when public/core.wasm is newer than every source file.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPkg } from './build-pkg.mjs';
import { TARGET, describe, prove } from './toolchain.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crate = join(root, 'core-rs');
const out = join(root, 'public', 'core.wasm');

function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'target') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Returns `{rustc, cargo, version, ...}` of the first toolchain proven to build wasm32, or null. */
export function pickToolchain() {
  const r = prove('wasm');
  return r.ok ? r : null;
}

export function buildWasm({ force = false, quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(m);
  if (!force && existsSync(out) && statSync(out).mtimeMs > newestMtime(crate)) {
    log(`wasm: public/core.wasm is up to date`);
    return buildPkg({ quiet });
  }
  const tc = pickToolchain();
  if (!tc) {
    console.error(`wasm: no installed rustc can build ${TARGET}.\n  ${describe('wasm', prove('wasm'))}`);
    return false;
  }
  log(`wasm: building with ${tc.version} (${tc.rustc})`);
  const targetDir = join(crate, 'target', tc.rustc.startsWith('/usr/bin') ? 'wasm-debian' : 'wasm-rustup');
  const env = { ...process.env, RUSTC: tc.rustc, CARGO_TARGET_DIR: targetDir };
  delete env.RUSTUP_TOOLCHAIN;
  const r = spawnSync(tc.cargo, ['build', '--release', '--lib', '--target', TARGET], {
    cwd: crate,
    env,
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(r.stdout + r.stderr);
    console.error('wasm: build failed');
    return false;
  }
  mkdirSync(dirname(out), { recursive: true });
  const built = join(targetDir, TARGET, 'release', 'ringside_core.wasm');
  // Binaryen's optimizer (Debian: binaryen) makes the module both smaller and faster; the
  // build works without it and says so.
  const wo = prove('wasm-opt');
  const opt = wo.ok ? wo.path : null;
  if (opt && spawnSync(opt, ['-O3', built, '-o', out], { stdio: quiet ? 'pipe' : 'inherit' }).status === 0) {
    log(`wasm: public/core.wasm (${statSync(out).size} bytes, wasm-opt -O3 from ${statSync(built).size})`);
  } else {
    copyFileSync(built, out);
    log(`wasm: public/core.wasm (${statSync(out).size} bytes; unoptimized: ${describe('wasm-opt', wo)})`);
  }
  return buildPkg({ quiet });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(buildWasm({ force: process.argv.includes('--force') }) ? 0 : 1);
}
