/**
 * One ring (SQ or CQ) drawn as the circular buffer it is: a slot per entry, the free-running
 * head and tail counters with the mask applied, and who owns the entries between them.
 *
 * d3 computes the arcs (viz/ringGeometry); React renders the SVG.
 */
import { memo, useMemo } from 'react';
import { inWindow, slotArcs, slotPoint } from '../../viz/ringGeometry';

export interface RingViewProps {
  /** "SQ" or "CQ". */
  kind: 'SQ' | 'CQ';
  entries: number;
  head: number;
  tail: number;
  /** The application's local tail (SQ only: written, not yet published). */
  localTail?: number;
  /** A short label per slot (user_data, result...). */
  labels: string[];
  /** Who writes the tail / the head, for the legend. */
  tailOwner: string;
  headOwner: string;
}

const SIZE = 280;
const R0 = 78;
const R1 = 118;

function RingViewComponent({ kind, entries, head, tail, localTail, labels, tailOwner, headOwner }: RingViewProps) {
  const arcs = useMemo(() => slotArcs(entries, R0, R1), [entries]);
  const mask = entries - 1;
  const [hx, hy] = slotPoint(head & mask, entries, R1 + 14);
  const [tx, ty] = slotPoint(tail & mask, entries, R0 - 14);
  const pending = (tail - head) >>> 0;
  return (
    <figure className={`ring ring-${kind.toLowerCase()}`} aria-label={`${kind} ring`}>
      <svg viewBox={`${-SIZE / 2} ${-SIZE / 2} ${SIZE} ${SIZE}`} role="img" aria-label={`${kind} ring with ${entries} entries`}>
        {arcs.map((a) => {
          // Slot `a.slot` holds the entry with the free-running index in [head, tail), if any.
          const idx = (((head & ~mask) >>> 0) + a.slot) >>> 0;
          const candidates = [idx, (idx + entries) >>> 0, (idx - entries) >>> 0];
          const live = candidates.some((i) => inWindow(i, head, tail));
          const staged = localTail !== undefined && candidates.some((i) => inWindow(i, tail, localTail));
          const cls = live ? 'slot live' : staged ? 'slot staged' : 'slot';
          return (
            <g key={a.slot} data-slot={a.slot} className={cls}>
              <path d={a.path} />
              <text x={a.cx} y={a.cy} className="slot-label">{labels[a.slot] ?? ''}</text>
            </g>
          );
        })}
        <g className="marker head"><circle cx={hx} cy={hy} r={6} /><text x={hx} y={hy - 10}>head</text></g>
        <g className="marker tail"><circle cx={tx} cy={ty} r={6} /><text x={tx} y={ty + 18}>tail</text></g>
        <text className="ring-title" y={-6}>{kind}</text>
        <text className="ring-sub" y={14}>{pending} pending</text>
      </svg>
      <figcaption>
        <dl className="ring-words">
          <dt>head</dt><dd data-testid={`${kind.toLowerCase()}-head`}>{head}</dd>
          <dt>tail</dt><dd data-testid={`${kind.toLowerCase()}-tail`}>{tail}</dd>
          <dt>mask</dt><dd>{mask}</dd>
        </dl>
        <p className="owners">tail written by <b>{tailOwner}</b>, head by <b>{headOwner}</b></p>
      </figcaption>
    </figure>
  );
}

export const RingView = memo(RingViewComponent);
RingView.displayName = 'RingView';
