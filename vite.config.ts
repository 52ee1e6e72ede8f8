import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * `virtual:kernel-truth`: the committed kernel recordings replayed in the simulator and compared
 * tracepoint for tracepoint (conformance/truth.mjs), computed when the app is built, so the
 * app's "matches Linux ..." badge is never typed by hand.
 */
function kernelTruth(): Plugin {
  const id = 'virtual:kernel-truth';
  return {
    name: 'ringside-kernel-truth',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    async load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const { computeTruth } = await import('./conformance/truth.mjs');
      return `export default ${JSON.stringify(computeTruth(fileURLToPath(new URL('.', import.meta.url))))};`;
    },
  };
}

/**
 * `virtual:kernel-recordings`: the kernel releases the conformance recordings were made on
 * (conformance/traces/*.json, `kernel.release`), counted at build time, so the version badge
 * names the kernel the model is checked against without anyone typing it.
 */
function kernelRecordings(): Plugin {
  const id = 'virtual:kernel-recordings';
  const dir = fileURLToPath(new URL('conformance/traces', import.meta.url));
  return {
    name: 'ringside-kernel-recordings',
    resolveId: (src) => (src === id ? `\0${id}` : null),
    load(src) {
      if (src !== `\0${id}`) return null;
      const releases: Record<string, number> = {};
      for (const f of readdirSync(dir)
        .filter((n) => n.endsWith('.json'))
        .sort()) {
        this.addWatchFile(join(dir, f));
        const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
          kernel?: { sysname?: string; release?: string };
        };
        const r = doc.kernel?.sysname === 'Linux' ? doc.kernel.release : undefined;
        if (r) releases[r] = (releases[r] ?? 0) + 1;
      }
      return `export const RELEASES = ${JSON.stringify(releases)};`;
    },
  };
}

/**
 * The production build takes the core from the package: every module of the package's entry and
 * glue (`web/src/pkg/index.ts`, `web/src/{wasm,uring}/*.ts`) resolves to its compiled twin in
 * `pkg/` (scripts/build-pkg.mjs, run by `npm run build` first), so the site ships what
 * `ringside-core` ships, with one copy of the glue's classes. Dev and Vitest use the sources.
 */
function corePackage(): Plugin {
  const src = fileURLToPath(new URL('web/src/', import.meta.url));
  const pkg = fileURLToPath(new URL('pkg/', import.meta.url));
  let mapped = 0;
  return {
    name: 'ringside-core-package',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || importer.startsWith(pkg)) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!r || r.external || !r.id.startsWith(src)) return null;
      const rel = relative(src, r.id).split(sep).join('/');
      let out: string | null = null;
      if (rel === 'pkg/index.ts') out = join(pkg, 'ringside_core.js');
      else if (/^(wasm|uring)\/[\w.]+\.ts$/.test(rel)) out = join(pkg, 'lib', rel.replace(/\.ts$/, '.js'));
      if (!out) return null;
      if (!existsSync(out)) {
        // A glue file the package does not contain (a Node-only helper) stays as it is.
        if (rel !== 'pkg/index.ts' && existsSync(join(pkg, 'package.json'))) return null;
        this.error(`pkg/ lacks ${relative(pkg, out)}: build the package first (npm run build:wasm)`);
      }
      mapped++;
      return out;
    },
    buildEnd() {
      if (mapped === 0) this.error('the app took no module from pkg/');
    },
  };
}

// The site is static: a relative base makes dist/ work under any path and from file servers.
export default defineConfig({
  root: 'web',
  base: './',
  publicDir: '../public',
  plugins: [corePackage(), react(), kernelTruth(), kernelRecordings()],
  // The core package's entry by the name a consumer imports it under (its source; the
  // production build swaps in the compiled package, corePackage above).
  resolve: { alias: { 'ringside-core': fileURLToPath(new URL('web/src/pkg/index.ts', import.meta.url)) } },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    // Two pages: the app, and the embed for iframes (README "Embedding").
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('web/index.html', import.meta.url)),
        embed: fileURLToPath(new URL('web/embed.html', import.meta.url)),
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
  test: {
    root: '.',
    include: ['web/src/**/*.test.{ts,tsx}', 'cli/**/*.test.ts'],
    environment: 'node',
    // Tests assert behaviour, not speed (speed is `npm run bench`): a whole-scenario golden run or
    // a fuzz property may take many seconds on a loaded two-core CI machine.
    testTimeout: 60_000,
  },
});
