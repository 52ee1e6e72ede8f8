/**
 * The export list generated from core-rs/src/ffi/ (exports.generated.ts) is exactly what the
 * built module exports: no export the glue declares is missing, and none the module has is
 * left out of the list.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CMD_EXPORT_NAMES, CORE_EXPORT_NAMES, RING_EXPORT_NAMES, REQUIRED_EXPORTS } from './exports';
import { CORE_WASM_PATH } from './node';

describe('the generated export list', () => {
  it('names every function core.wasm exports, and nothing else', async () => {
    const mod = new WebAssembly.Module(await readFile(CORE_WASM_PATH));
    const exported = WebAssembly.Module.exports(mod);
    const fns = exported
      .filter((e) => e.kind === 'function')
      .map((e) => e.name)
      .sort();
    const listed = [...CORE_EXPORT_NAMES, ...RING_EXPORT_NAMES, ...CMD_EXPORT_NAMES].map(String).sort();
    expect(fns).toEqual(listed);
    expect(exported.some((e) => e.kind === 'memory' && e.name === 'memory')).toBe(true);
  });

  it('makes the loader require the core and ring exports and the memory', () => {
    expect(REQUIRED_EXPORTS).toContain('memory');
    expect(REQUIRED_EXPORTS.length).toBe(1 + CORE_EXPORT_NAMES.length + RING_EXPORT_NAMES.length);
    expect(new Set(REQUIRED_EXPORTS).size).toBe(REQUIRED_EXPORTS.length);
  });
});
