#!/usr/bin/env node
// Writes pkg/: the core as an npm package in wasm-pack's layout (wasm-pack itself cannot run
// here: it needs wasm-bindgen from the crate registry).
//
//   pkg/package.json            name, version, type module, main/module/types, files, sideEffects
//   pkg/ringside_core.js        the entry (web/src/pkg/index.ts compiled): loads the .wasm in
//                               browsers (fetch + instantiateStreaming) and in Node (file: URL)
//   pkg/ringside_core.d.ts      its types, emitted by tsc from the same TypeScript, whose layouts
//                               and event fields come from the files core-rs generates
//   pkg/ringside_core_bg.wasm   public/core.wasm
//   pkg/lib/{wasm,uring}/*      the TypeScript glue the entry re-exports, compiled (.js + .d.ts)
//   pkg/README.md
//
// Called by scripts/build-wasm.mjs after the module is built; rebuilds only when an input is
// newer than pkg/package.json (`--force` rebuilds anyway).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PKG_DIR = join(root, 'pkg');
const src = join(root, 'web', 'src');
const entry = join(src, 'pkg', 'index.ts');
const wasm = join(root, 'public', 'core.wasm');
/** The only source folders the package may contain: the entry and the glue. */
const ALLOWED = ['pkg', 'wasm', 'uring'].map((d) => join(src, d) + sep);
const NAME = 'ringside_core';

/** Files whose change makes pkg/ stale: the wasm, this script, the entry and the glue. */
function inputs() {
  const files = [wasm, fileURLToPath(import.meta.url), join(root, 'package.json'), entry];
  for (const d of ['wasm', 'uring']) {
    for (const f of readdirSafe(join(src, d)))
      if (f.endsWith('.ts') && !f.endsWith('.test.ts')) files.push(join(src, d, f));
  }
  return files;
}

function readdirSafe(d) {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

export function pkgIsFresh() {
  const stamp = join(PKG_DIR, 'package.json');
  if (!existsSync(stamp) || !existsSync(join(PKG_DIR, `${NAME}_bg.wasm`))) return false;
  const t = statSync(stamp).mtimeMs;
  return inputs().every((f) => !existsSync(f) || statSync(f).mtimeMs <= t);
}

/** Rewrites the relative specifiers of an emitted file for its place in pkg/ (adding `.js`). */
function rewriteSpecifiers(text, fromSrcDir, toOutDir, outOf) {
  return text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\2/g, (m, pre, q, spec) => {
    const target = outOf(resolve(fromSrcDir, spec));
    let rel = relative(toOutDir, target).split(sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${pre}${q}${rel}${q}`;
  });
}

export function buildPkg({ force = false, quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(m);
  if (!existsSync(wasm)) {
    console.error('pkg: public/core.wasm is missing (build the module first)');
    return false;
  }
  if (!force && pkgIsFresh()) {
    log('pkg: pkg/ is up to date');
    return true;
  }
  const require = createRequire(import.meta.url);
  const ts = require('typescript');
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    isolatedModules: true,
    skipLibCheck: true,
    declaration: true,
    rootDir: src,
    outDir: join(PKG_DIR, 'lib'),
    newLine: ts.NewLineKind.LineFeed,
  };
  const program = ts.createProgram([entry], options);
  const diags = ts.getPreEmitDiagnostics(program);
  if (diags.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    console.error(`pkg: the package sources do not type-check:\n${ts.formatDiagnostics(diags, host)}`);
    return false;
  }
  const sources = program
    .getSourceFiles()
    .filter((f) => !f.isDeclarationFile)
    .map((f) => resolve(f.fileName));
  const stray = sources.filter((f) => !ALLOWED.some((d) => f.startsWith(d)));
  if (stray.length) {
    console.error(`pkg: the package would pull in app code: ${stray.map((f) => relative(root, f)).join(', ')}`);
    return false;
  }
  // Where each source lands: the entry at the top as ringside_core.*, the glue under lib/.
  const outBase = (f) => {
    const noExt = f.replace(/\.tsx?$/, '');
    if (noExt === entry.replace(/\.ts$/, '')) return join(PKG_DIR, NAME);
    return join(PKG_DIR, 'lib', relative(src, noExt));
  };
  const outOf = (specTarget) => `${outBase(specTarget)}.js`;
  rmSync(PKG_DIR, { recursive: true, force: true });
  mkdirSync(PKG_DIR, { recursive: true });
  const written = [];
  const emitted = program.emit(undefined, (fileName, text) => {
    // Map the emitted file back to its source (same relative path under rootDir).
    const rel = relative(options.outDir, fileName);
    const isDts = rel.endsWith('.d.ts');
    const srcFile = join(src, rel.replace(/\.d\.ts$|\.js$/, '.ts'));
    const out = outBase(srcFile) + (isDts ? '.d.ts' : '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, rewriteSpecifiers(text, dirname(srcFile), dirname(out), outOf));
    written.push(out);
  });
  if (emitted.emitSkipped) {
    console.error('pkg: tsc emitted nothing');
    return false;
  }
  copyFileSync(wasm, join(PKG_DIR, `${NAME}_bg.wasm`));
  const app = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const manifest = {
    name: 'ringside-core',
    version: app.version,
    description:
      'The Ringside simulator core: a deterministic model of Linux io_uring and its uring_cmd path, compiled to WebAssembly, with its TypeScript glue.',
    license: app.license,
    type: 'module',
    main: `${NAME}.js`,
    module: `${NAME}.js`,
    types: `${NAME}.d.ts`,
    exports: {
      '.': { types: `./${NAME}.d.ts`, default: `./${NAME}.js` },
      [`./${NAME}_bg.wasm`]: `./${NAME}_bg.wasm`,
      './package.json': './package.json',
    },
    files: [`${NAME}.js`, `${NAME}.d.ts`, `${NAME}_bg.wasm`, 'lib/', 'README.md'],
    sideEffects: false,
    engines: app.engines,
  };
  writeFileSync(join(PKG_DIR, 'README.md'), README);
  // Written last: its mtime marks the build complete (pkgIsFresh).
  writeFileSync(join(PKG_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(
    `pkg: pkg/ (${written.length} files from ${sources.length} sources, ${statSync(join(PKG_DIR, `${NAME}_bg.wasm`)).size} bytes of wasm)`,
  );
  return true;
}

const README = `# ringside-core

The Ringside simulator core: a deterministic model of Linux io_uring and its \`uring_cmd\` path
(Rust, compiled to WebAssembly), with the TypeScript glue that drives it. Built by Ringside's
\`scripts/build-pkg.mjs\`; see Ringside's \`docs/ARCHITECTURE.md\` ("The core as a package").

\`\`\`js
import { init, UserMemory, IoUring, prepNop, sqeSetData64, drainTrace } from 'ringside-core';

const core = await init(); // loads ringside_core_bg.wasm next to this module (browser or Node)
const mem = new UserMemory(core);
const ring = IoUring.queueInit(core, mem, 8);
const sqe = ring.getSqe();
prepNop(sqe);
sqeSetData64(sqe, 42n);
ring.submitAndWait(1);
console.log(ring.reap()); // [{ userData: 42n, res: 0, flags: 0, index: 0 }]
console.log(drainTrace(core).map((e) => e.event));
\`\`\`

The rings live in the module's linear memory; \`IoUring\` reads and writes them in place.
Types need the DOM library (\`WebAssembly\`, \`Response\`) in the consumer's \`lib\`.
`;

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(buildPkg({ force: process.argv.includes('--force') }) ? 0 : 1);
}
