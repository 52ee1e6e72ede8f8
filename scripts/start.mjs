#!/usr/bin/env node
// `npm start`: install what is missing, build the wasm core, start the dev server, print the URL.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystem, root } from './bootstrap.mjs';
import { buildWasm } from './build-wasm.mjs';

ensureSystem({});
ensureNodeModules();
if (!buildWasm()) process.exit(1);
const port = process.env.PORT ?? '5173';
console.log(`ringside: starting the dev server on http://127.0.0.1:${port}/`);
const child = spawn(
  process.execPath,
  [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), '--host', '127.0.0.1', '--port', port],
  { cwd: root, stdio: 'inherit' },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
