/**
 * Loads the real core for tests in any Vitest environment (under jsdom, `import.meta.url` is
 * not a file URL, so wasm/node.ts cannot find the module from its own location).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Core, loadCoreFromBytes } from '../wasm/load';

export async function loadTestCore(): Promise<Core> {
  return loadCoreFromBytes(await readFile(join(process.cwd(), 'public', 'core.wasm')));
}
