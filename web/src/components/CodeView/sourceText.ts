/**
 * The Rust sources the code view can show: the abstraction (`core-rs/src/kernel/`) and the
 * sample drivers (`core-rs/src/drivers/`), bundled as text at build time (Vite `?raw`), so the
 * page needs no request to show them.
 */
const FILES = import.meta.glob(['../../../../core-rs/src/kernel/**/*.rs', '../../../../core-rs/src/drivers/**/*.rs'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** The text of a source file given as a path relative to `core-rs/src/`, or null. */
export function sourceText(path: string): string | null {
  const suffix = `/core-rs/src/${path}`;
  for (const [k, v] of Object.entries(FILES)) if (k.endsWith(suffix)) return v;
  return null;
}

/** Paths (relative to `core-rs/src/`) of every bundled source file. */
export function bundledSources(): string[] {
  return Object.keys(FILES).map((k) => k.replace(/^.*\/core-rs\/src\//, ''));
}
