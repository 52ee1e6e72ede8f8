/**
 * The address bar: `?s=<scenario>&step=<n>&theme=<theme>` opens a scenario at a step in a
 * theme, and the page keeps the address in step as the viewer moves (history.replaceState, no
 * navigation), so a copied address shows the same frame.
 */
import { THEMES, type SimState, type Theme, simStore } from '../store';

export interface UrlState {
  scenario: string | null;
  step: number | undefined;
  theme: Theme | null;
}

/** Reads the state the address asks for. */
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

/** The query string for a state. */
export function urlFor(s: Pick<SimState, 'mode' | 'scenario' | 'cursor' | 'theme'>): string {
  const q = new URLSearchParams();
  if (s.mode === 'guided' && s.scenario) {
    q.set('s', s.scenario.id);
    q.set('step', String(s.cursor));
  }
  q.set('theme', s.theme);
  return `?${q.toString()}`;
}

/** Keeps the address bar in step with the store; returns the unsubscribe function. */
export function syncUrl(): () => void {
  let last = '';
  let t: ReturnType<typeof setTimeout> | null = null;
  const unsub = simStore.subscribe((s) => {
    if (s.status !== 'ready') return;
    const next = urlFor(s);
    if (next === last) return;
    last = next;
    if (t) clearTimeout(t);
    t = setTimeout(() => {
      try {
        history.replaceState(null, '', next + location.hash);
      } catch {
        // Some origins (file://) refuse it; the page works without.
      }
    }, 150);
  });
  return () => {
    unsub();
    if (t) clearTimeout(t);
  };
}
