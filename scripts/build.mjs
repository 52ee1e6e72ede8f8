#!/usr/bin/env node
// `npm run build`: wasm core + static site in dist/ (works under any base path, offline).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystem, root } from './bootstrap.mjs';
import { buildWasm } from './build-wasm.mjs';

ensureSystem({});
ensureNodeModules();
if (!buildWasm()) process.exit(1);
const r = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
  { cwd: root, stdio: 'inherit' },
);
if (r.status !== 0) process.exit(r.status ?? 1);
if (!existsSync(join(root, 'dist', 'core.wasm')) || !existsSync(join(root, 'dist', 'index.html'))) {
  console.error('build: dist/ lacks index.html or core.wasm');
  process.exit(1);
}
console.log('build: dist/ ready');
