#!/usr/bin/env node
// The `ringside` command (package bin). Subcommands live in cli/<name>.ts and are loaded
// through tsx, so the CLI and the web app share one TypeScript implementation.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const here = dirname(fileURLToPath(import.meta.url));
const [cmd, ...args] = process.argv.slice(2);
const file = cmd && /^[a-z][a-z-]*$/.test(cmd) ? join(here, '..', 'cli', `${cmd}.ts`) : null;
if (!file || !existsSync(file)) {
  console.error(
    'usage: ringside <command> [args]\n\ncommands:\n  replay IN.json --out OUT.json   replay a kernel trace in the simulator\n  run <scenario> [--json]         run a scenario and print its trace\n  record --out FILE -- PROGRAM    record the io_uring tracepoints of a program (root)',
  );
  process.exit(2);
}
register();
const mod = await import(file);
const code = await mod.main(args);
// exitCode, not exit(): exit() would drop output still queued for a pipe (`ringside run x | less`).
process.exitCode = typeof code === 'number' ? code : 0;
