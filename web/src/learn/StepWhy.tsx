/** The "why" line under the caption of a guided scenario's step (learn/why.ts). */
import { memo } from 'react';
import { type SimState, useSim } from '../store';
import { GlossaryText } from './GlossaryText';
import { whyFor } from './why';

/** Frames are immutable: each one's why is computed once. */
const cache = new WeakMap<object, string>();

const selWhy = (s: SimState): string => {
  const f = s.frames[s.cursor];
  if (!f) return '';
  let w = cache.get(f);
  if (w === undefined) {
    w = whyFor(f, s.models[s.cursor]?.op);
    cache.set(f, w);
  }
  return w;
};

function StepWhyComponent() {
  const why = useSim(selWhy);
  if (!why) return null;
  return (
    <p className="why" data-testid="why">
      <span className="why-label">Why: </span>
      <GlossaryText text={why} />
    </p>
  );
}

export const StepWhy = memo(StepWhyComponent);
StepWhy.displayName = 'StepWhy';
