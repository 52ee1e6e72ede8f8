/**
 * The address bar and permalinks.
 *
 * The page keeps a versioned permalink (share/permalink.ts) in the URL fragment as the viewer
 * moves (history.replaceState, no navigation): the scenario (by id, or carried whole when it was
 * edited, uploaded or written in the sandbox, with the sandbox's step schedule), the step, the
 * theme, the panels on screen, the followed request and the selected byte. Opening such a link
 * reproduces that screen. The older query form `?s=<scenario>&step=<n>&theme=<theme>` still
 * opens, and the page then rewrites it into the fragment form. A link that cannot be opened
 * says why, and the page starts in free play.
 */
import { type ShareState, decodePermalink, decodePermalinkAsync } from '../share/permalink';
import { readReviewFragment, reviewFragment } from '../learn/reviewStages';
import {
  THEMES,
  type Theme,
  compactFragmentFor,
  loadScenario,
  openShareState,
  seek,
  setTheme,
  showProblem,
  simStore,
} from '../store';
import { openReview } from '../store/review';

export interface UrlState {
  scenario: string | null;
  step: number | undefined;
  theme: Theme | null;
}

/** What the address asks the page to open. */
export type LinkRequest =
  | { kind: 'none' }
  | { kind: 'legacy'; legacy: UrlState }
  | { kind: 'permalink'; state: ShareState }
  | { kind: 'review'; id: string; at: number }
  | { kind: 'error'; error: string };

/** Reads the older query form `?s=&step=&theme=`. */
export function readUrl(search: string): UrlState {
  const q = new URLSearchParams(search);
  const step = q.get('step');
  const theme = q.get('theme');
  return {
    scenario: q.get('s'),
    step: step !== null && /^\d+$/.test(step) ? Number(step) : undefined,
    theme: theme && (THEMES as readonly string[]).includes(theme) ? (theme as Theme) : null,
  };
}

/** Whether a fragment is meant as a permalink (rather than, say, an anchor). */
function isPermalinkHash(hash: string): boolean {
  const h = hash.replace(/^#/, '');
  return h.includes('=');
}

/**
 * Reads what the address asks for: a permalink in the fragment, else the older query form.
 * A compressed scenario (`z=`) needs {@link readLocationAsync}.
 */
export function readLocation(search: string, hash: string): LinkRequest {
  const review = readReview(hash);
  if (review) return review;
  if (isPermalinkHash(hash)) {
    const d = decodePermalink(hash);
    return d.ok ? { kind: 'permalink', state: d.state } : { kind: 'error', error: d.error };
  }
  return readLegacy(search);
}

/** A review permalink (`#review=<comparison>&at=<aligned step>`), or null. */
function readReview(hash: string): LinkRequest | null {
  const r = readReviewFragment(hash);
  if (!r) return null;
  return 'error' in r ? { kind: 'error', error: r.error } : { kind: 'review', id: r.id, at: r.at };
}

function readLegacy(search: string): LinkRequest {
  const legacy = readUrl(search);
  if (legacy.scenario !== null || legacy.theme !== null || legacy.step !== undefined) return { kind: 'legacy', legacy };
  return { kind: 'none' };
}

/** Reads what the address asks for, compressed scenarios included. */
export async function readLocationAsync(search: string, hash: string): Promise<LinkRequest> {
  const review = readReview(hash);
  if (review) return review;
  if (isPermalinkHash(hash)) {
    const d = await decodePermalinkAsync(hash);
    return d.ok ? { kind: 'permalink', state: d.state } : { kind: 'error', error: d.error };
  }
  return readLegacy(search);
}

/** Opens what the address asks for (after the core started); shows any problem. */
export function openRequest(req: LinkRequest): void {
  switch (req.kind) {
    case 'none':
      return;
    case 'error':
      showProblem({
        title: 'This link could not be opened',
        lines: [`${req.error[0]?.toUpperCase() ?? ''}${req.error.slice(1)}.`, 'Ringside started in free play instead.'],
      });
      return;
    case 'legacy': {
      const { scenario, step, theme } = req.legacy;
      if (theme) setTheme(theme);
      if (scenario === null) return;
      if (!loadScenario(scenario)) {
        showProblem({
          title: 'This link could not be opened',
          lines: [
            `There is no scenario "${scenario}" in this version of Ringside.`,
            'Ringside started in free play instead.',
          ],
        });
        return;
      }
      if (step !== undefined) seek(step);
      return;
    }
    case 'review':
      if (!openReview(req.id, req.at))
        showProblem({
          title: 'This link could not be opened',
          lines: [`There is no comparison "${req.id}" in this version of Ringside.`, 'Open Review to pick one.'],
        });
      return;
    case 'permalink': {
      const problems = openShareState(req.state);
      if (problems.length) showProblem({ title: 'This link could not be opened exactly', lines: problems });
    }
  }
}

/** Removes the older query keys from a search string (other parameters, e.g. embed options, stay). */
export function stripLegacy(search: string): string {
  const q = new URLSearchParams(search);
  for (const k of ['s', 'step', 'theme']) q.delete(k);
  const out = q.toString();
  return out ? `?${out}` : '';
}

/** The longest fragment the address bar is given (a compressed scenario link is refused past 60000 characters). */
const MAX_BAR_FRAGMENT = 64 * 1024;

/**
 * Keeps the address bar in step with the store, and opens a permalink pasted into the address
 * bar of the running page. Returns the function that stops both.
 */
export function syncUrl(): () => void {
  let last = '';
  let t: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;
  const write = async () => {
    t = null;
    const s = simStore.getState();
    if (s.status !== 'ready' || s.panic) return;
    const mine = ++seq;
    let next = s.page === 'review' && s.review ? reviewFragment(s.review.id, s.reviewAt) : await compactFragmentFor(s);
    // A session too long for a link (the decoder refuses it) leaves the address bar without a
    // fragment: rewriting a URL of hundreds of KB on every seek froze the page for ~200 ms.
    if (next.length > MAX_BAR_FRAGMENT) next = '';
    // A later change wrote (or will write) a newer fragment.
    if (mine !== seq || next === last || (!next && !last)) return;
    last = next;
    try {
      history.replaceState(null, '', location.pathname + stripLegacy(location.search) + next);
    } catch {
      // Some origins (file://) refuse it; the page works without.
    }
  };
  const unsub = simStore.subscribe((s, prev) => {
    if (s.status !== 'ready') return;
    if (
      s.frames === prev.frames &&
      s.cursor === prev.cursor &&
      s.theme === prev.theme &&
      s.panels === prev.panels &&
      s.inspector === prev.inspector &&
      s.pinned === prev.pinned &&
      s.selectedByte === prev.selectedByte &&
      s.mode === prev.mode &&
      s.page === prev.page &&
      s.review?.id === prev.review?.id &&
      s.reviewAt === prev.reviewAt &&
      s.playing === prev.playing
    )
      return;
    if (t) clearTimeout(t);
    // While playing, the address bar waits for the pause (a frame slower than the debounce
    // would otherwise rewrite it on every step).
    if (s.playing) return;
    t = setTimeout(() => void write(), 150);
  });
  void write();
  const onHash = () => {
    if (location.hash === last || !(isPermalinkHash(location.hash) || readReviewFragment(location.hash))) return;
    last = location.hash;
    void readLocationAsync('', location.hash).then(openRequest);
  };
  window.addEventListener('hashchange', onHash);
  return () => {
    unsub();
    window.removeEventListener('hashchange', onHash);
    if (t) clearTimeout(t);
  };
}
