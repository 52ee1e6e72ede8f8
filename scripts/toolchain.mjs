// Proves every external tool the build and the suites use by using it once, never by looking
// for files: a rustc counts only after a tiny wasm32 cdylib compiles, links and runs with it;
// wasm-opt only after it optimises that module; gcc only after it builds and runs a program
// with the io_uring uapi header; Chromium only after it renders a page headless.
//
// Answers are cached in `.cache/toolchain.json` (not committed), keyed by the tool's path and
// the version it prints, so later runs cost one `--version` per tool. `prove(name, {fresh})`
// ignores the cache (the "setup" suite of `npm test` does, as the regression guard).
//
// Each failed proof names the missing piece and the Debian packages that supply it;
// scripts/bootstrap.mjs installs those (as root) or prints the exact apt-get line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/chromium.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET = 'wasm32-unknown-unknown';
const CACHE = join(root, '.cache', 'toolchain.json');

/**
 * The Debian packages the bootstrap installs, by need, exactly as it passes them to
 * `apt-get install --no-install-recommends` (README's "System packages" lists the same; a test
 * checks). `lld-14` is the wasm32 linker: Debian's rustc links wasm32 with `rust-lld`, which is
 * `/usr/bin/rust-lld -> lld-14`, and `libstd-rust-dev-wasm32` only recommends it.
 */
export const PACKAGES = {
  wasm: ['rustc', 'cargo', 'libstd-rust-dev-wasm32', 'lld-14'],
  'wasm-opt': ['binaryen'],
  'rust-checks': ['cargo', 'rustfmt', 'rust-clippy', 'gcc', 'libc6-dev'],
  recorder: ['gcc', 'libc6-dev', 'linux-libc-dev'],
  browser: ['chromium'],
  programs: ['fio', 'liburing-dev'],
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26, ...opts });
  return { ok: !r.error && r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim(), error: r.error };
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v "${cmd}"`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The first line a tool prints for `--version` (or null when it does not run at all). */
function versionOf(path, args = ['--version']) {
  const r = run(path, args, { timeout: 30_000 });
  return r.ok ? r.out.split('\n')[0] : null;
}

function readCache() {
  try {
    return JSON.parse(readFileSync(CACHE, 'utf8'));
  } catch {
    return {};
  }
}

function writeCache(c) {
  try {
    mkdirSync(dirname(CACHE), { recursive: true });
    writeFileSync(CACHE, JSON.stringify(c, null, 2) + '\n');
  } catch {
    // A read-only checkout still works; it just proves again next time.
  }
}

/** Runs `fn(dir)` in a fresh temporary directory and removes it afterwards. */
function inScratch(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-probe-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PROBE_RS =
  '#![no_std]\n#[no_mangle]\npub extern "C" fn probe(x: u32) -> u32 { x.wrapping_mul(3) }\n' +
  '#[panic_handler]\nfn panic(_: &core::panic::PanicInfo) -> ! { loop {} }\n';

/** Instantiates a wasm file in this Node and checks that `probe(14)` answers 42. */
function runsProbe(file) {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)));
    return instance.exports.probe(14) === 42;
  } catch {
    return false;
  }
}

/** Turns a failed wasm32 compile into the missing piece and how to get it. */
export function diagnoseWasm(rustc, out) {
  const debian = rustc === '/usr/bin/rustc';
  if (/linker `?rust-lld`? not found|rust-lld.*No such file/i.test(out)) {
    return debian
      ? { missing: 'the wasm32 linker rust-lld (Debian package lld-14)', packages: ['lld-14'] }
      : {
          missing: 'the wasm32 linker rust-lld of this toolchain',
          hint: `rustup component add rust-src; rustup target add ${TARGET}`,
        };
  }
  if (/can't find crate for `core`|target may not be installed|could not find specification/i.test(out)) {
    return debian
      ? {
          missing: `the ${TARGET} standard library (Debian package libstd-rust-dev-wasm32)`,
          packages: ['libstd-rust-dev-wasm32', 'lld-14'],
        }
      : { missing: `the ${TARGET} standard library of this toolchain`, hint: `rustup target add ${TARGET}` };
  }
  return { missing: `a working ${TARGET} compile with ${rustc}`, packages: debian ? PACKAGES.wasm : undefined };
}

/**
 * Proves one rustc for wasm32: compile and link a no_std cdylib, instantiate it, call it; then
 * run the cargo beside it. Returns `{ok, rustc, cargo, version, linker, ...}`.
 */
function proveWasmRustc(rustc) {
  const version = versionOf(rustc);
  if (!version) {
    const debian = rustc === '/usr/bin/rustc';
    return {
      ok: false,
      rustc,
      missing: debian ? "Debian's rustc (/usr/bin/rustc)" : `${rustc} does not run`,
      packages: debian ? PACKAGES.wasm : undefined,
    };
  }
  return inScratch((dir) => {
    writeFileSync(join(dir, 'probe.rs'), PROBE_RS);
    const out = join(dir, 'probe.wasm');
    const env = { ...process.env };
    delete env.RUSTUP_TOOLCHAIN;
    const c = run(
      rustc,
      ['--edition', '2021', '--crate-type', 'cdylib', '--target', TARGET, '-O', '-o', out, join(dir, 'probe.rs')],
      { env },
    );
    if (!c.ok)
      return {
        ok: false,
        rustc,
        version,
        ...diagnoseWasm(rustc, c.out),
        detail: c.out.split('\n').slice(0, 4).join('\n'),
      };
    if (!runsProbe(out)) return { ok: false, rustc, version, missing: `a module from ${rustc} that runs` };
    const cargo = join(dirname(rustc), 'cargo');
    const cargoVersion = versionOf(cargo);
    if (!cargoVersion) {
      return {
        ok: false,
        rustc,
        version,
        missing: `cargo beside ${rustc}`,
        packages: rustc === '/usr/bin/rustc' ? ['cargo'] : undefined,
      };
    }
    const linker =
      rustc === '/usr/bin/rustc'
        ? (versionOf('rust-lld', ['-flavor', 'wasm', '--version']) ?? 'rust-lld')
        : 'rust-lld (rustup)';
    return { ok: true, rustc, cargo, version, cargoVersion, linker };
  });
}

/** Proves Binaryen's wasm-opt: optimise a module built from text and run the result. */
function proveWasmOpt(path) {
  const version = versionOf(path);
  if (!version) return { ok: false, missing: "Binaryen's wasm-opt", packages: PACKAGES['wasm-opt'] };
  return inScratch((dir) => {
    // (module (func (export "probe") (param i32) (result i32) local.get 0 i32.const 3 i32.mul))
    const bytes = Uint8Array.from([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 7, 9, 1, 5, 112, 114, 111, 98, 101, 0, 0,
      10, 9, 1, 7, 0, 32, 0, 65, 3, 108, 11,
    ]);
    writeFileSync(join(dir, 'in.wasm'), bytes);
    const r = run(path, ['-O3', join(dir, 'in.wasm'), '-o', join(dir, 'out.wasm')]);
    if (!r.ok || !runsProbe(join(dir, 'out.wasm'))) {
      return {
        ok: false,
        path,
        version,
        missing: `a working wasm-opt (${path}: ${r.out.split('\n')[0] || 'bad output'})`,
        packages: PACKAGES['wasm-opt'],
      };
    }
    return { ok: true, path, version };
  });
}

/** Proves gcc the way the recorder uses it: io_uring uapi header, raw syscall, run the result. */
function proveGcc(path) {
  const version = versionOf(path);
  if (!version) return { ok: false, missing: 'gcc', packages: PACKAGES.recorder };
  return inScratch((dir) => {
    const src = join(dir, 'probe.c');
    writeFileSync(
      src,
      '#include <linux/io_uring.h>\n#include <stdio.h>\n#include <sys/syscall.h>\n#include <unistd.h>\n' +
        'int main(void) { printf("%d %zu\\n", (int)IORING_OP_NOP, sizeof(struct io_uring_sqe)); return 0; }\n',
    );
    const c = run(path, ['-O2', '-Wall', '-Wextra', '-o', join(dir, 'probe'), src]);
    if (!c.ok)
      return {
        ok: false,
        path,
        version,
        missing: `a working C build (${c.out.split('\n')[0]})`,
        packages: PACKAGES.recorder,
      };
    const r = run(join(dir, 'probe'), []);
    if (!r.ok || r.out !== '0 64')
      return { ok: false, path, version, missing: 'a C program that runs', packages: PACKAGES.recorder };
    return { ok: true, path, version };
  });
}

/** Proves Chromium: render a page headless with the flags the browser tests use, read the DOM back. */
function proveChromium(path) {
  const version = versionOf(path);
  if (!version) return { ok: false, missing: 'Chromium', packages: PACKAGES.browser };
  return inScratch((dir) => {
    const page = 'data:text/html,<p id=p></p><script>document.getElementById("p").textContent=6*7</script>';
    const r = run(path, [...CHROMIUM_ARGS, `--user-data-dir=${dir}`, '--dump-dom', page], { timeout: 60_000 });
    if (!/<p id="p">42<\/p>/.test(r.out)) {
      return {
        ok: false,
        path,
        version,
        missing: `a Chromium that renders headless (${r.error?.message ?? r.out.split('\n').pop()})`,
        packages: PACKAGES.browser,
      };
    }
    return { ok: true, path, version };
  });
}

/**
 * Proves the third-party programs `npm test` records with `ringside record`: fio answers, and a
 * program using liburing (the library liburing's link-cp example needs) compiles, links and runs.
 */
function provePrograms(fio) {
  const version = versionOf(fio);
  if (!version) return { ok: false, missing: 'fio', packages: PACKAGES.programs };
  return inScratch((dir) => {
    const src = join(dir, 'probe.c');
    writeFileSync(
      src,
      '#include <liburing.h>\n#include <stdio.h>\nint main(void) { struct io_uring_probe *p = io_uring_get_probe(); printf("%d\\n", p != NULL); return 0; }\n',
    );
    const c = run('gcc', ['-O2', '-o', join(dir, 'probe'), src, '-luring']);
    if (!c.ok)
      return {
        ok: false,
        path: fio,
        version,
        missing: `liburing to build against (${c.out.split('\n')[0]})`,
        packages: ['liburing-dev'],
      };
    if (!run(join(dir, 'probe'), []).ok)
      return { ok: false, path: fio, version, missing: 'a liburing program that runs', packages: ['liburing-dev'] };
    return { ok: true, path: fio, version };
  });
}

/** Proves cargo fmt, cargo clippy and a native build that links and runs (for cargo test). */
function proveRustChecks(cargo) {
  const version = versionOf(cargo);
  if (!version) return { ok: false, missing: 'cargo', packages: PACKAGES['rust-checks'] };
  const fmt = versionOf(cargo, ['fmt', '--version']);
  if (!fmt) return { ok: false, cargo, version, missing: `rustfmt for ${cargo}`, packages: ['rustfmt'] };
  const clippy = versionOf(cargo, ['clippy', '--version']);
  if (!clippy) return { ok: false, cargo, version, missing: `clippy for ${cargo}`, packages: ['rust-clippy'] };
  const rustc = join(dirname(cargo), 'rustc');
  return inScratch((dir) => {
    writeFileSync(join(dir, 'probe.rs'), 'fn main() { println!("{}", 6 * 7); }\n');
    const c = run(existsSync(rustc) ? rustc : 'rustc', ['-o', join(dir, 'probe'), join(dir, 'probe.rs')]);
    if (!c.ok)
      return {
        ok: false,
        cargo,
        version,
        missing: `a native Rust build that links (${c.out.split('\n')[0]})`,
        packages: ['gcc', 'libc6-dev'],
      };
    if (run(join(dir, 'probe'), []).out !== '42')
      return { ok: false, cargo, version, missing: 'a native Rust program that runs' };
    return { ok: true, cargo, version, fmt, clippy };
  });
}

/** The rustcs to try for the wasm build, in order: the one on PATH (rustup), then Debian's. */
export function rustcCandidates() {
  const list = [];
  const onPath = which('rustc');
  if (onPath) list.push(onPath);
  if (!list.includes('/usr/bin/rustc')) list.push('/usr/bin/rustc');
  return list;
}

function cargoCandidates() {
  const list = [];
  const onPath = which('cargo');
  if (onPath) list.push(onPath);
  if (!list.includes('/usr/bin/cargo')) list.push('/usr/bin/cargo');
  return list;
}

function wasmOptCandidates() {
  const list = [join(root, 'node_modules', '.bin', 'wasm-opt')].filter((p) => existsSync(p));
  const onPath = which('wasm-opt');
  if (onPath) list.push(onPath);
  return list.length ? list : ['wasm-opt'];
}

/** One proof per candidate path, cached by path + printed version. */
function cached(kind, path, fresh, fn) {
  const version = versionOf(path) ?? 'absent';
  const key = `${kind}:${path}:${version}`;
  const cache = readCache();
  if (!fresh && cache[key]?.ok) return { ...cache[key], cached: true };
  const res = fn(path);
  const now = readCache();
  if (res.ok) now[key] = { ...res, provenAt: new Date().toISOString() };
  else delete now[key];
  writeCache(now);
  return res;
}

function first(kind, paths, fresh, fn) {
  const tried = [];
  for (const p of paths) {
    const r = cached(kind, p, fresh, fn);
    if (r.ok) return { ...r, tried };
    tried.push(r);
  }
  // Report the most telling failure: one of an installed tool over "does not run".
  // Packages and hints of every candidate are offered (rustup's hint beside Debian's packages).
  const best = tried.find((t) => t.version) ?? tried[tried.length - 1] ?? { missing: kind };
  const packages = [...new Set(tried.flatMap((t) => t.packages ?? []))];
  const hint = tried.map((t) => t.hint).find(Boolean);
  const missing =
    tried.length > 1 ? tried.map((t) => `${t.rustc ?? t.cargo ?? t.path}: ${t.missing}`).join('; ') : best.missing;
  const detail = tried
    .map((t) => t.detail)
    .filter(Boolean)
    .pop();
  return { ok: false, ...best, missing, detail, packages: packages.length ? packages : undefined, hint, tried };
}

/**
 * The proofs by name. `wasm` picks the first rustc that builds wasm32; `wasm-1.63` insists on
 * Debian's 1.63 (the minimum version the crate promises).
 */
export const PROOFS = {
  wasm: (fresh) => first('wasm', rustcCandidates(), fresh, proveWasmRustc),
  'wasm-1.63': (fresh) => {
    const r = cached('wasm', '/usr/bin/rustc', fresh, proveWasmRustc);
    if (r.ok && !/^rustc 1\.63\./.test(r.version))
      return { ...r, ok: false, missing: `Debian's rustc 1.63 (found ${r.version})` };
    return r.ok ? r : { ...r, packages: r.packages ?? PACKAGES.wasm };
  },
  'wasm-opt': (fresh) => first('wasm-opt', wasmOptCandidates(), fresh, proveWasmOpt),
  'rust-checks': (fresh) => first('rust-checks', cargoCandidates(), fresh, proveRustChecks),
  recorder: (fresh) => cached('recorder', which('gcc') ?? 'gcc', fresh, proveGcc),
  browser: (fresh) => cached('browser', CHROMIUM_PATH, fresh, proveChromium),
  programs: (fresh) => cached('programs', which('fio') ?? 'fio', fresh, provePrograms),
};

/** Runs one proof; `fresh` ignores the cache. */
export function prove(name, { fresh = false } = {}) {
  return PROOFS[name](fresh);
}

/** A one-line account of a proof, for logs and the setup suite. */
export function describe(name, r) {
  if (!r.ok) {
    const fixes = [r.packages && `apt-get install -y --no-install-recommends ${r.packages.join(' ')}`, r.hint].filter(
      Boolean,
    );
    const detail = r.detail ? `\n    ${r.detail.replace(/\n/g, '\n    ')}` : '';
    return `${name}: MISSING ${r.missing}${fixes.map((f, i) => `\n    ${i ? 'or' : 'install'}: ${f}`).join('')}${detail}`;
  }
  const how = r.cached ? ` (proven ${r.provenAt}, cached)` : ' (proven now)';
  switch (name) {
    case 'wasm':
    case 'wasm-1.63':
      return `${name}: ${r.version} at ${r.rustc}, ${r.cargoVersion}, linker ${r.linker}${how}`;
    case 'rust-checks':
      return `${name}: ${r.cargo} (${r.version}; ${r.fmt}; ${r.clippy})${how}`;
    default:
      return `${name}: ${r.path} (${r.version})${how}`;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  let bad = 0;
  for (const n of names.length ? names : Object.keys(PROOFS)) {
    const r = prove(n, { fresh: process.argv.includes('--fresh') });
    if (!r.ok) bad++;
    console.log(describe(n, r));
  }
  process.exit(bad ? 1 : 0);
}
