/**
 * The start-here path, as a strip above the caption of a guided scenario that is on it: where
 * the viewer is on the path, what this stop teaches, and the way on (the next scenario, or the
 * review comparison that ends the path). The library lists the same path first.
 */
import { memo } from 'react';
import { LIBRARY, loadScenario, selMode, selScenario, useSim } from '../store';
import { openReview } from '../store/review';
import { START_PATH, type PathStop, pathIndex } from './path';

export function pathTitle(stop: PathStop): string {
  if (stop.target.startsWith('review:')) return `Review: ${stop.learn}`;
  return LIBRARY.find((e) => e.id === stop.target)?.title ?? stop.target;
}

/** Opens a stop of the path. */
export function goToStop(stop: PathStop): void {
  if (stop.target.startsWith('review:')) openReview(stop.target.slice('review:'.length));
  else loadScenario(stop.target);
}

function StartPathComponent() {
  const mode = useSim(selMode);
  const scenario = useSim(selScenario);
  const at = mode === 'guided' && scenario ? pathIndex(scenario.id) : -1;
  if (at < 0) return null;
  const stop = START_PATH[at] as PathStop;
  const next = START_PATH[at + 1];
  const prev = START_PATH[at - 1];
  return (
    <nav className="start-path" aria-label="Start-here path" data-testid="start-path">
      <span className="sp-where">
        Start here · <b>{at + 1}</b> of {START_PATH.length} · {stop.part}: {stop.learn}
      </span>
      <ol className="sp-dots" aria-hidden="true">
        {START_PATH.map((p, i) => (
          <li key={p.target} className={i === at ? 'current' : i < at ? 'seen' : undefined} title={pathTitle(p)} />
        ))}
      </ol>
      {prev && (
        <button type="button" onClick={() => goToStop(prev)} title={pathTitle(prev)}>
          ← Previous
        </button>
      )}
      {next && (
        <button
          type="button"
          className="sp-next"
          onClick={() => goToStop(next)}
          data-testid="path-next"
          title={`Next: ${pathTitle(next)}`}
        >
          Next: {pathTitle(next)} →
        </button>
      )}
    </nav>
  );
}

export const StartPath = memo(StartPathComponent);
StartPath.displayName = 'StartPath';
