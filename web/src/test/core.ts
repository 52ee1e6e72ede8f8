/**
 * Test helpers: the real core, and a reset of every store.
 *
 * Loads the real core for tests in any Vitest environment (under jsdom, `import.meta.url` is
 * not a file URL, so wasm/node.ts cannot find the module from its own location).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup } from '@testing-library/react';
import { clearHover } from '../store/hover';
import { resetStore } from '../store/actions';
import { type Core, loadCoreFromBytes } from '../wasm/load';

export async function loadTestCore(): Promise<Core> {
  return loadCoreFromBytes(await readFile(join(process.cwd(), 'public', 'core.wasm')));
}

/** Everything a test may leave behind in the stores and the DOM. */
export function resetAll(): void {
  cleanup();
  resetStore();
  clearHover();
}
