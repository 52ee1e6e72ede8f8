import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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

// The site is static: a relative base makes dist/ work under any path and from file servers.
export default defineConfig({
  root: 'web',
  base: './',
  publicDir: '../public',
  plugins: [react(), kernelTruth(), kernelRecordings()],
  // The core package's entry (compiled into pkg/ by scripts/build-pkg.mjs), by the name a
  // consumer imports it under; the app takes it from source, so one copy of the glue exists.
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
