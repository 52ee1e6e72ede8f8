/**
 * The scenario library: every `scenarios/*.json` of the repository, bundled with the page and
 * validated once at start-up. A document that fails validation stays in the library with its
 * errors, so an author sees why instead of a missing entry.
 */
import type { Scenario } from '../scenario/format';
import { validateScenario } from '../scenario/validate';

export interface LibraryEntry {
  /** The scenario id (or the file name when the document is invalid). */
  id: string;
  /** `scenarios/<file>.json`. */
  file: string;
  title: string;
  intro: string;
  scenario: Scenario | null;
  /** Validation errors, one per line. */
  error: string | null;
}

const docs = import.meta.glob('../../../scenarios/*.json', { eager: true, import: 'default' }) as Record<
  string,
  unknown
>;

/**
 * The order a tour takes (the start-here path of learn/path.ts): ring basics, the io_uring-from-zero
 * requests, then uring_cmd, then the RFC review, then the rest.
 */
const ORDER = [
  'nop-batch',
  'cq-overflow-nop',
  'first-read',
  'batching',
  'read-waits-on-pipe',
  'readv-scatter',
  'fixed-buffers',
  'linked-write-read',
  'timeout-races-read',
  'linked-timeout',
  'cancel-read',
  'poll-multishot',
  'sqpoll-no-syscalls',
  'echo-multishot-recv',
  'v3-sync-set-get',
  'v5-queued-task-work',
  'eagain-reissue',
  'stale-pdu',
  'stale-pdu-patch2',
];

function rank(id: string): number {
  const i = ORDER.indexOf(id);
  return i < 0 ? ORDER.length : i;
}

/** Builds library entries from documents keyed by path (exported for tests). */
export function buildLibrary(files: Record<string, unknown>): LibraryEntry[] {
  const out: LibraryEntry[] = [];
  for (const [path, doc] of Object.entries(files)) {
    const file = path.replace(/^.*\/(scenarios\/[^/]+)$/, '$1');
    const base = file.replace(/^scenarios\//, '').replace(/\.json$/, '');
    try {
      const s = validateScenario(doc);
      out.push({ id: s.id, file, title: s.title, intro: s.intro, scenario: s, error: null });
    } catch (err) {
      const d = (doc ?? {}) as Record<string, unknown>;
      out.push({
        id: typeof d.id === 'string' ? d.id : base,
        file,
        title: typeof d.title === 'string' ? d.title : base,
        intro: typeof d.intro === 'string' ? d.intro : '',
        scenario: null,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return out.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

/** Every scenario of the repository. */
export const LIBRARY: readonly LibraryEntry[] = buildLibrary(docs);

/** A library entry by id. */
export function libraryEntry(id: string): LibraryEntry | undefined {
  return LIBRARY.find((e) => e.id === id);
}
