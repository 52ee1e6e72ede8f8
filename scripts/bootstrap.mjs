// Sets up a fresh machine for `npm start` and `npm test`, using only Node built-ins.
//
// - System tools, each proven by use (scripts/toolchain.mjs): a rustc that compiles, links and
//   runs a wasm32 module (Debian: rustc cargo libstd-rust-dev-wasm32 lld-14), Binaryen's
//   wasm-opt, and for `npm test` also Debian's rustc 1.63 (the minimum supported version),
//   cargo fmt/clippy with a native build that links, gcc with the io_uring uapi header (the
//   kernel recorder), a Chromium that renders headless, and fio with liburing (the programs
//   `ringside record` is tested on). What fails its proof is installed
//   with apt as root (one `apt-get update` first, then `apt-get install -y
//   --no-install-recommends` with the packages of PACKAGES); otherwise the exact command is
//   printed and the script stops. After installing, every failed proof is run again.
// - npm packages: `npm ci` when node_modules is missing or older than package-lock.json.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES, describe, prove, root } from './toolchain.mjs';

export { root };

/** The proofs a command needs: `npm start`/`build` need the wasm build and wasm-opt. */
function proofsFor({ browser = false, rustChecks = false, recorder = false, programs = false } = {}) {
  const names = ['wasm', 'wasm-opt'];
  if (rustChecks) names.push('wasm-1.63', 'rust-checks');
  if (recorder) names.push('recorder');
  if (browser) names.push('browser');
  if (programs) names.push('programs');
  return names;
}

/** Returns the proven cargo for native Rust checks (fmt, clippy, test), or null. */
export function nativeCargo() {
  const r = prove('rust-checks');
  return r.ok ? r.cargo : null;
}

/** Returns the failed proofs among `names` with the packages that would supply each. */
function failing(names, fresh) {
  return names.map((n) => ({ n, r: prove(n, { fresh }) })).filter(({ r }) => !r.ok);
}

export function ensureSystem(needs) {
  const names = proofsFor(needs);
  let bad = failing(names, false);
  if (bad.length === 0) return;
  const pkgs = [...new Set(bad.flatMap(({ n, r }) => r.packages ?? PACKAGES[n === 'wasm-1.63' ? 'wasm' : n] ?? []))];
  for (const { n, r } of bad) console.error(`ringside: ${describe(n, r)}`);
  const hints = bad.map(({ r }) => r.hint).filter(Boolean);
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(
      `ringside: missing system packages. Run as root:\n  ${cmd}${hints.map((h) => `\n  or: ${h}`).join('')}`,
    );
    process.exit(1);
  }
  console.log(`ringside: installing ${pkgs.join(' ')} with apt`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...pkgs]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`ringside: apt-get ${args[0]} failed; run by hand:\n  ${cmd}`);
      process.exit(1);
    }
  }
  bad = failing(names, true);
  if (bad.length) {
    for (const { n, r } of bad) console.error(`ringside: after installing, still ${describe(n, r)}`);
    process.exit(1);
  }
}

export function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('ringside: installing npm packages (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('ringside: npm ci failed');
    process.exit(1);
  }
}
