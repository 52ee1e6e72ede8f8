/** The "why" line under the caption of a guided scenario's step (learn/why.ts). */
import { memo } from 'react';
import { type SimState, useSim } from '../store';
import { GlossaryText } from './GlossaryText';
import { whyFor } from './why';

const selWhy = (s: SimState): string => {
  const f = s.frames[s.cursor];
  if (!f) return '';
  return whyFor(f, s.models[s.cursor]?.op);
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
