/**
 * `ringside run <scenario-id-or-path> [--json]`: runs a scenario headless and prints its trace.
 *
 * Without `--json` the trace is `TP_printk`-like text (one line per record, `#` lines for the
 * program's operations); with `--json` it is one JSON object per line per record (`step`,
 * `event`, `req`, `user_data`, and `res`/`cflags` on completions). A scenario file that does not
 * validate is reported with the JSON path, what was expected and what was found, and the exit
 * status is 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProgramError } from '../web/src/scenario/runtime';
import { runScenario, traceJsonLines, traceText } from '../web/src/scenario/run';
import { ScenarioError, validateScenario } from '../web/src/scenario/validate';
import { CORE_WASM_PATH, loadCoreFromDisk } from '../web/src/wasm/node';

const USAGE = 'usage: ringside run <scenario-id-or-path> [--json]';

/** Where scenario ids resolve to. */
export const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** Resolves an id (`v3-sync-set-get`) or a path to a file name. */
export function scenarioPath(arg: string): string {
  if (arg.endsWith('.json') || arg.includes('/') || arg.includes('\\')) return resolve(arg);
  return join(SCENARIO_DIR, `${arg}.json`);
}

/** Output sinks, replaceable in tests. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const stdio: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

export async function main(args: string[], io: Io = stdio): Promise<number> {
  const json = args.includes('--json');
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  const pos = args.filter((a) => !a.startsWith('-'));
  if (unknown.length || pos.length !== 1) {
    io.err(`${unknown.length ? `ringside run: unknown option ${unknown[0]}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const file = scenarioPath(pos[0] as string);
  if (!existsSync(file)) {
    io.err(`ringside run: no scenario ${pos[0]} (looked for ${file})\n`);
    return 2;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    io.err(`${file}: not valid JSON: ${(e as Error).message}\n`);
    return 2;
  }
  let scenario;
  try {
    scenario = validateScenario(doc);
  } catch (e) {
    if (e instanceof ScenarioError) {
      for (const x of e.errors) io.err(`${file}: ${x.path || '/'}: expected ${x.expected}, found ${x.found}\n`);
      return 2;
    }
    throw e;
  }
  if (!existsSync(CORE_WASM_PATH)) {
    io.err(`ringside run: ${CORE_WASM_PATH} is missing; build it with \`npm run build:wasm\`\n`);
    return 1;
  }
  const core = await loadCoreFromDisk();
  let run;
  try {
    run = runScenario(core, scenario);
  } catch (e) {
    if (e instanceof ProgramError) {
      io.err(`${file}: the program failed: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  io.out(json ? traceJsonLines(run) : traceText(run, scenario));
  return 0;
}
