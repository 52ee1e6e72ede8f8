/** The simulated clock of the frame on screen (the Chrome trace export uses the same clock). */
import { memo } from 'react';
import { type SimState, useSim } from '../store';

/** Simulated nanoseconds as people read them. */
export function formatNs(ns: number): string {
  const trim = (x: string) => (x.includes('.') ? x.replace(/\.?0+$/, '') : x);
  if (ns < 1000) return `${ns} ns`;
  if (ns < 1_000_000) return `${trim((ns / 1000).toFixed(3))} µs`;
  return `${trim((ns / 1_000_000).toFixed(6))} ms`;
}

const selTime = (s: SimState) => s.frames[s.cursor]?.timeNs ?? 0;

export const SimClock = memo(function SimClock() {
  const ns = useSim(selTime);
  return (
    <span
      className="simclock"
      data-testid="sim-time"
      data-ns={ns}
      title="Simulated time of this step (the Chrome trace export uses the same clock)"
    >
      t = {formatNs(ns)}
    </span>
  );
});
