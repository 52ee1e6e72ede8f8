/** Node-only loader: reads `public/core.wasm` from disk. Not imported by the browser bundle. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCoreFromBytes, type Core } from './load';

/** Path of the built module in the repository. */
export const CORE_WASM_PATH = fileURLToPath(new URL('../../../public/core.wasm', import.meta.url));

/** Loads the core from `public/core.wasm` (or `path`). */
export async function loadCoreFromDisk(path: string = CORE_WASM_PATH): Promise<Core> {
  return loadCoreFromBytes(await readFile(path));
}
