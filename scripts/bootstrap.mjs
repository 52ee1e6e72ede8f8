// Sets up a fresh machine for `npm start` and `npm test`, using only Node built-ins.
//
// - System packages: a rustc with the wasm32 std (Debian: rustc cargo libstd-rust-dev-wasm32),
//   binaryen's wasm-opt for the release module,
//   rustfmt and clippy for the Rust checks, gcc for the kernel recorder, chromium for browser
//   tests. As root they are installed with apt (one `apt-get update` first); otherwise the
//   exact command is printed and the script stops.
// - npm packages: `npm ci` when node_modules is missing or older than package-lock.json.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pickToolchain } from './build-wasm.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function ok(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** Returns the cargo to use for native Rust checks (fmt, clippy, test), or null. */
export function nativeCargo() {
  if (ok('cargo', ['fmt', '--version']) && ok('cargo', ['clippy', '--version'])) return 'cargo';
  if (ok('/usr/bin/cargo', ['fmt', '--version']) && ok('/usr/bin/cargo', ['clippy', '--version'])) return '/usr/bin/cargo';
  return null;
}

/** Returns Debian's Rust 1.63 (the minimum supported version) if it can build wasm32. */
export function debianRustc() {
  return existsSync('/usr/bin/rustc') && existsSync('/usr/lib/rustlib/wasm32-unknown-unknown/lib') ? '/usr/bin/rustc' : null;
}

/** Lists the Debian packages that are missing for the given needs. */
export function missingPackages({ browser = false, rustChecks = false, recorder = false } = {}) {
  const pkgs = new Set();
  if (!pickToolchain()) ['rustc', 'cargo', 'libstd-rust-dev-wasm32'].forEach((p) => pkgs.add(p));
  if (!ok('wasm-opt', ['--version'])) pkgs.add('binaryen');
  if (rustChecks) {
    if (!debianRustc()) ['rustc', 'cargo', 'libstd-rust-dev-wasm32'].forEach((p) => pkgs.add(p));
    if (!nativeCargo()) ['rustfmt', 'rust-clippy', 'cargo'].forEach((p) => pkgs.add(p));
  }
  if (recorder && !ok('gcc', ['--version'])) pkgs.add('gcc').add('libc6-dev');
  if (browser && !existsSync('/usr/bin/chromium')) pkgs.add('chromium');
  return [...pkgs];
}

export function ensureSystem(needs) {
  const pkgs = missingPackages(needs);
  if (pkgs.length === 0) return;
  const cmd = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(`ringside: missing system packages. Run as root:\n  ${cmd}`);
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
