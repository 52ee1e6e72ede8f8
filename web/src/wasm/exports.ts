/**
 * The raw exports of `core.wasm`. Their signatures and names are generated from
 * `core-rs/src/ffi/` (`exports.generated.ts`). Pointers are wasm32 addresses (`number`, apply
 * `>>> 0`); `u64` values are `bigint`.
 */
import {
  CMD_EXPORT_NAMES,
  CORE_EXPORT_NAMES,
  type CmdExportFns,
  type CoreExportFns,
  RING_EXPORT_NAMES,
  type RingExportFns,
} from './exports.generated';

export { CMD_EXPORT_NAMES, CORE_EXPORT_NAMES, RING_EXPORT_NAMES };

/** Every export `loadCore` requires. */
export interface CoreExports extends WebAssembly.Exports, CoreExportFns, RingExportFns {
  memory: WebAssembly.Memory;
}

/**
 * Exports for misc devices, device pokes, the kernel log and provenance arrays.
 *
 * Generated from `core-rs/src/ffi/cmd_exports.rs`. Optional: callers feature-detect them
 * ({@link hasCmdExports}), so a page still loads an older core.
 */
export type CmdExports = CmdExportFns;

/** Names of the optional exports of {@link CmdExports}. */
export const CMD_EXPORTS: readonly (keyof CmdExports)[] = CMD_EXPORT_NAMES;

/** Whether the module has every export of {@link CmdExports}. */
export function hasCmdExports(e: WebAssembly.Exports): e is WebAssembly.Exports & CmdExports {
  return CMD_EXPORTS.every((n) => typeof (e as Record<string, unknown>)[n] === 'function');
}

/** Names of every export the glue relies on; `loadCore` refuses a module missing one. */
export const REQUIRED_EXPORTS: readonly (keyof CoreExports)[] = ['memory', ...CORE_EXPORT_NAMES, ...RING_EXPORT_NAMES];
