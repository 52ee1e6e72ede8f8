/**
 * `ringside replay`: executes the inputs of kernel-trace documents in the simulator and writes
 * the simulator's traces (docs/trace-format.md §10).
 *
 *   ringside replay IN.json --out OUT.json
 *   ringside replay --out-dir DIR IN1.json [IN2.json ...]   (one process, one output per input)
 *
 * Exit status: 0 when every output was written; 2 for a bad command line or a bad input
 * document (the message names the JSON path, what was expected and what was found); 1 when
 * the simulator trapped or a file could not be read or written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayTrace } from '../web/src/replay/replayer';
import { TraceInputError } from '../web/src/replay/input';
import { loadCoreFromDisk } from '../web/src/wasm/node';
import type { Core } from '../web/src/wasm/load';

const USAGE =
  'usage: ringside replay IN.json --out OUT.json\n       ringside replay --out-dir DIR IN.json [IN.json ...]';

function version(): string {
  try {
    const p = fileURLToPath(new URL('../package.json', import.meta.url));
    return String(JSON.parse(readFileSync(p, 'utf8')).version ?? 'dev');
  } catch {
    return 'dev';
  }
}

interface Args {
  inputs: string[];
  out?: string;
  outDir?: string;
}

function parseArgs(args: string[]): Args | string {
  const a: Args = { inputs: [] };
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x === '--out' || x === '--out-dir') {
      const v = args[++i];
      if (v === undefined) return `${x} needs a path`;
      if (x === '--out') a.out = v;
      else a.outDir = v;
    } else if (x === '-h' || x === '--help') {
      return '';
    } else if (x.startsWith('-')) {
      return `unknown option ${x}`;
    } else {
      a.inputs.push(x);
    }
  }
  if (!a.inputs.length) return 'no input trace';
  if (a.out !== undefined && a.outDir !== undefined) return '--out and --out-dir exclude each other';
  if (a.out !== undefined && a.inputs.length !== 1) return '--out takes exactly one input (use --out-dir for several)';
  if (a.out === undefined && a.outDir === undefined) return 'missing --out OUT.json';
  return a;
}

/** Replays one file; returns the exit status it deserves. */
function replayFile(core: Core, input: string, output: string, release: string): number {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(input, 'utf8'));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`${input}: cannot read a JSON document: ${msg}`);
    return e instanceof SyntaxError ? 2 : 1;
  }
  try {
    const r = replayTrace(core, doc, { release });
    writeFileSync(output, JSON.stringify(r.trace, null, 1) + '\n');
    for (const e of r.errors) console.error(`${input}: step ${e.step}: ${e.message}`);
    if (r.panic !== null) {
      console.error(`${input}: the simulator core trapped: ${r.panic}`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof TraceInputError) {
      console.error(`${input}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

export async function main(args: string[]): Promise<number> {
  const a = parseArgs(args);
  if (typeof a === 'string') {
    if (a) console.error(`ringside replay: ${a}`);
    console.error(USAGE);
    return 2;
  }
  const release = version();
  let core: Core;
  try {
    core = await loadCoreFromDisk();
  } catch (e) {
    console.error(
      `ringside replay: cannot load public/core.wasm (run npm run build:wasm): ${e instanceof Error ? e.message : String(e)}`,
    );
    return 1;
  }
  let status = 0;
  for (const input of a.inputs) {
    const output = a.out ?? join(a.outDir!, basename(input));
    const s = replayFile(core, input, output, release);
    status = Math.max(status, s);
    // A trapped instance is dead: continue the batch on a fresh one.
    if (core.dead) core = await loadCoreFromDisk();
  }
  return status;
}
