/**
 * Source locations of trace records: the `SOURCE_FILES` table of abi.generated.ts maps a
 * record's `srcFile` id to a file of core-rs (the Rust abstraction or a sample driver).
 *
 * The table is added by the core when drivers report where they are; until a core has it, the
 * page shows only the C function of each step. Both shapes a generator would naturally emit are
 * accepted: an array indexed by id, or an object keyed by id.
 */
import * as abi from '../wasm/abi.generated';

/** A path relative to `core-rs/src/` (`kernel/io_uring.rs`). */
export function normalizeSourcePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)?(core-rs\/)?(src\/)?/, '');
}

/**
 * Reads a generated table: an object `{ id: path }`, an array indexed by id, an array of
 * `[id, path]` pairs, or an array of `{ id, path }` objects.
 */
export function parseSourceTable(t: unknown): Map<number, string> | null {
  if (!t || typeof t !== 'object') return null;
  const m = new Map<number, string>();
  const put = (id: unknown, path: unknown) => {
    if (typeof path === 'string' && path && Number.isInteger(Number(id)) && Number(id) > 0)
      m.set(Number(id), normalizeSourcePath(path));
  };
  if (Array.isArray(t)) {
    t.forEach((v, i) => {
      if (typeof v === 'string') put(i, v);
      else if (Array.isArray(v)) put(v[0], v[1]);
      else if (v && typeof v === 'object') put((v as Record<string, unknown>).id, (v as Record<string, unknown>).path);
    });
  } else {
    for (const [k, v] of Object.entries(t as Record<string, unknown>)) put(k, v);
  }
  return m;
}

const TABLE = parseSourceTable((abi as Record<string, unknown>).SOURCE_FILES);

/** Whether this core reports source locations. */
export const HAS_SOURCE_FILES = TABLE !== null;

/** The path (relative to `core-rs/src/`) of a source file id, or null. */
export function sourcePath(id: number): string | null {
  if (!id || !TABLE) return null;
  return TABLE.get(id) ?? null;
}

/** Every known source path. */
export function sourcePaths(): string[] {
  return TABLE ? [...TABLE.values()] : [];
}

/** Splits a byte's packed source (`file << 16 | line`, as in PDU provenance) into its parts. */
export function unpackSrc(src: number): { file: number; line: number } {
  return { file: src >>> 16, line: src & 0xffff };
}
