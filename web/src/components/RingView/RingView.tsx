/**
 * One ring (SQ or CQ) drawn as the circular buffer it is: a slot per entry, the free-running
 * head and tail counters with the mask applied, and who owns the entries between them.
 *
 * d3 computes the arcs (viz/ringGeometry); React renders the SVG. The head and tail markers turn
 * by the free-running counter (never the masked slot), so a CSS transition always moves them
 * forward around the ring, the way the counters move; prefers-reduced-motion turns it off.
 */
import { memo, useMemo } from 'react';
import { inWindow, slotArcs } from '../../viz/ringGeometry';

export interface RingSlot {
  /** A short label drawn in the slot. */
  label: string;
  /** A second, smaller line (a CQE's result). */
  sub?: string;
  /** The full description (tooltip and accessible text). */
  title?: string;
}

export interface RingViewProps {
  /** "SQ" or "CQ". */
  kind: 'SQ' | 'CQ';
  entries: number;
  head: number;
  tail: number;
  /** The application's local tail (SQ only: written, not yet published). */
  localTail?: number;
  /** Per slot: label and description. */
  slots: RingSlot[];
  /** Who writes the tail / the head, for the legend. */
  tailOwner: string;
  headOwner: string;
  /** Slots whose contents changed in this step (they flash). */
  changed?: readonly number[];
  /** Identifies the step, so a changed slot flashes again on the next change. */
  frameKey?: number;
  /** The slot of the request the views follow. */
  focusSlot?: number | null;
}

const SIZE = 304;
const R0 = 80;
const R1 = 124;

/** A marker's label, kept upright: it slides (not turns) to its slot. */
function MarkerLabel({
  className,
  text,
  at,
  entries,
  r,
}: {
  className: string;
  text: string;
  at: number;
  entries: number;
  r: number;
}) {
  const a = ((at + 0.5) / entries) * 2 * Math.PI;
  return (
    <g
      className={`marker-label ${className}`}
      style={{ transform: `translate(${Math.sin(a) * r}px, ${-Math.cos(a) * r}px)` }}
    >
      <text dy="0.35em">{text}</text>
    </g>
  );
}

function RingViewComponent({
  kind,
  entries,
  head,
  tail,
  localTail,
  slots,
  tailOwner,
  headOwner,
  changed = [],
  frameKey = 0,
  focusSlot = null,
}: RingViewProps) {
  const arcs = useMemo(() => slotArcs(entries, R0, R1), [entries]);
  const mask = entries - 1;
  const k = kind.toLowerCase();
  const pending = (tail - head) >>> 0;
  const staged = localTail === undefined ? 0 : (localTail - tail) >>> 0;
  const showLabels = entries <= 16;
  // Free-running counters → angles: one full turn per `entries` steps.
  const angle = (i: number) => ((i % (entries * 1024)) + 0.5) * (360 / entries);
  const what = kind === 'SQ' ? 'SQE' : 'CQE';
  // A label never spills out of its slot: the font shrinks to the slot's arc (CSS min() keeps
  // the theme's size as the upper bound).
  const arcLen = (2 * Math.PI * ((R0 + R1) / 2)) / entries;
  const fit = (text: string | undefined) => ({
    fontSize: `min(var(--ring-label), ${Math.floor(arcLen / (0.62 * Math.max(3, text?.length ?? 0) + 0.6))}px)`,
  });
  return (
    <figure className={`ring ring-${k}`} aria-label={`${kind} ring`}>
      <svg
        viewBox={`${-SIZE / 2} ${-SIZE / 2} ${SIZE} ${SIZE}`}
        className={entries <= 8 ? 'few' : 'many'}
        role="img"
        aria-label={`${kind} ring: ${entries} entries, head ${head}, tail ${tail}, ${pending} ${what}${pending === 1 ? '' : 's'} ${kind === 'SQ' ? 'for the kernel' : 'for the application'}`}
      >
        {arcs.map((a) => {
          // Slot `a.slot` holds the entry whose free-running index is in [head, tail), if any.
          const idx = (((head & ~mask) >>> 0) + a.slot) >>> 0;
          const candidates = [idx, (idx + entries) >>> 0, (idx - entries) >>> 0];
          const live = candidates.some((i) => inWindow(i, head, tail));
          const isStaged = localTail !== undefined && candidates.some((i) => inWindow(i, tail, localTail));
          const flash = changed.includes(a.slot);
          const cls = [
            'slot',
            live ? 'live' : isStaged ? 'staged' : '',
            flash ? 'changed' : '',
            focusSlot === a.slot ? 'focus' : '',
          ]
            .filter(Boolean)
            .join(' ');
          const s = slots[a.slot];
          return (
            <g key={flash ? `${a.slot}-${frameKey}` : a.slot} data-slot={a.slot} className={cls}>
              <title>{`${kind} slot ${a.slot}${s?.title ? `: ${s.title}` : ''}`}</title>
              <path d={a.path} />
              {showLabels && !s?.sub && (
                <text x={a.cx} y={a.cy} className="slot-label" style={fit(s?.label)}>
                  {s?.label ?? ''}
                </text>
              )}
              {showLabels && s?.sub && (
                <text
                  x={a.cx}
                  y={a.cy}
                  className="slot-label"
                  style={fit(s.label.length > s.sub.length ? s.label : s.sub)}
                >
                  <tspan x={a.cx} dy="-0.45em">
                    {s.label}
                  </tspan>
                  <tspan x={a.cx} dy="1.05em" className="slot-sub">
                    {s.sub}
                  </tspan>
                </text>
              )}
            </g>
          );
        })}
        <g className="marker head" style={{ transform: `rotate(${angle(head)}deg)` }}>
          <path d={`M0 ${-R1 - 2} l-8 -12 h16 z`} />
        </g>
        <g className="marker tail" style={{ transform: `rotate(${angle(tail)}deg)` }}>
          <path d={`M0 ${-R0 + 2} l-8 12 h16 z`} />
        </g>
        <MarkerLabel className="head" text="head" at={head & mask} entries={entries} r={R1 + 22} />
        <MarkerLabel className="tail" text="tail" at={tail & mask} entries={entries} r={R0 - 26} />
        {/* Titles sit in the corners, so the tail label inside the ring never covers them. */}
        <text className="ring-title" x={-SIZE / 2 + 2} y={-SIZE / 2 + 34}>
          {kind}
        </text>
        <text className="ring-sub" x={-SIZE / 2 + 2} y={SIZE / 2 - 6}>
          {pending} pending
        </text>
        {staged > 0 && (
          <text className="ring-sub staged-text" x={SIZE / 2 - 2} y={SIZE / 2 - 6}>
            {staged} staged
          </text>
        )}
      </svg>
      <figcaption>
        <dl className="ring-words">
          <div className="w-head" title={`head: written by the ${headOwner}`}>
            <dt>head</dt>
            <dd data-testid={`${k}-head`}>{head}</dd>
            <dd className="owner">{headOwner === 'application' ? 'app' : headOwner}</dd>
          </div>
          <div className="w-tail" title={`tail: written by the ${tailOwner}`}>
            <dt>tail</dt>
            <dd data-testid={`${k}-tail`}>{tail}</dd>
            <dd className="owner">{tailOwner === 'application' ? 'app' : tailOwner}</dd>
          </div>
          <div>
            <dt>mask</dt>
            <dd>{mask}</dd>
          </div>
        </dl>
      </figcaption>
    </figure>
  );
}

export const RingView = memo(RingViewComponent);
RingView.displayName = 'RingView';
