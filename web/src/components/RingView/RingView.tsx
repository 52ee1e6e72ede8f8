/**
 * One ring (SQ or CQ) drawn as the circular buffer it is: a slot per entry, the free-running
 * head and tail counters with the mask applied, and who owns the entries between them.
 *
 * d3 computes the arcs (viz/ringGeometry); React renders the SVG. The head and tail markers turn
 * by the free-running counter (never the masked slot), so a CSS transition always moves them
 * forward around the ring, the way the counters move; prefers-reduced-motion turns it off.
 *
 * The SVG scales with its panel, and its text with it. So that a squeezed ring (the projector's
 * focused stage at 1280×720) stays readable, the component measures how many user units one CSS
 * pixel is (`--u`) and the stylesheet keeps every label at least `--ring-floor` CSS pixels on screen.
 */
import { type CSSProperties, type RefObject, memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { AGGREGATE_ABOVE, bandPath, inWindow, slotArcs } from '../../viz/ringGeometry';

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

/** One slot of a ring; memoised, so a step re-renders only the slots whose look changed. */
const Slot = memo(function Slot({
  slot,
  cls,
  path,
  cx,
  cy,
  title,
  label,
  sub,
  font,
}: {
  slot: number;
  cls: string;
  path: string;
  cx: number;
  cy: number;
  title: string;
  label?: string;
  sub?: string;
  font: string;
}) {
  return (
    <g data-slot={slot} className={cls}>
      <title>{title}</title>
      <path d={path} />
      {label !== undefined && !sub && (
        <text x={cx} y={cy} className="slot-label" style={{ fontSize: font }}>
          {label}
        </text>
      )}
      {label !== undefined && sub && (
        <text x={cx} y={cy} className="slot-label" style={{ fontSize: font }}>
          <tspan x={cx} dy="-0.45em">
            {label}
          </tspan>
          <tspan x={cx} dy="1.05em" className="slot-sub">
            {sub}
          </tspan>
        </text>
      )}
    </g>
  );
});

/** At most this many changed slots are marked on an aggregate ring. */
const MAX_MARKS = 64;

/**
 * A ring with more slots than pixels: the whole ring as one band, the live window
 * `[head, tail)` and the staged window `[tail, localTail)` as bands over it, the changed slots
 * and the focus slot as marks at least a degree wide. Five paths or so, whatever the size.
 */
function AggregateSlots({
  kind,
  entries,
  head,
  tail,
  localTail,
  changed,
  frameKey,
  focusSlot,
}: {
  kind: string;
  entries: number;
  head: number;
  tail: number;
  localTail?: number;
  changed: readonly number[];
  frameKey: number;
  focusSlot: number | null;
}) {
  const mask = entries - 1;
  const pending = Math.min((tail - head) >>> 0, entries);
  const staged = localTail === undefined ? 0 : Math.min((localTail - tail) >>> 0, entries - pending);
  const deg = Math.PI / 180;
  const whole = useMemo(() => bandPath(0, entries, entries, R0, R1), [entries]);
  return (
    <>
      <g className="slot">
        <title>{`${kind}: ${entries} slots, drawn as one band (more slots than pixels)`}</title>
        <path d={whole} />
      </g>
      {pending > 0 && (
        <g className="slot live">
          <title>{`${kind} slots ${head & mask} to ${(tail - 1) & mask}: ${pending} live`}</title>
          <path d={bandPath(head & mask, pending, entries, R0, R1, deg)} />
        </g>
      )}
      {staged > 0 && (
        <g className="slot staged">
          <title>{`${kind} slots ${tail & mask} to ${((localTail as number) - 1) & mask}: ${staged} staged`}</title>
          <path d={bandPath(tail & mask, staged, entries, R0, R1, deg)} />
        </g>
      )}
      {changed.slice(0, MAX_MARKS).map((slot) => (
        <g key={`${slot}-${frameKey}`} data-slot={slot} className="slot changed">
          <title>{`${kind} slot ${slot} changed`}</title>
          <path d={bandPath(slot, 1, entries, R0, R1, deg)} />
        </g>
      ))}
      {focusSlot !== null && (
        <g data-slot={focusSlot} className="slot focus">
          <title>{`${kind} slot ${focusSlot}`}</title>
          <path d={bandPath(focusSlot, 1, entries, R0, R1, deg)} />
        </g>
      )}
    </>
  );
}

/**
 * User units of the ring's square viewBox per CSS pixel on screen (at least 1: a ring drawn larger
 * than its viewBox keeps its design sizes). Measured on resize; 1 where ResizeObserver is missing.
 */
function useUserUnitsPerPixel(ref: RefObject<SVGSVGElement | null>): number {
  const [unit, setUnit] = useState(1);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const px = Math.min(r.width, r.height);
      if (px > 0) setUnit(Math.max(1, Math.round((SIZE / px) * 100) / 100));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return unit;
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
  const aggregate = entries > AGGREGATE_ABOVE;
  const arcs = useMemo(() => (aggregate ? [] : slotArcs(entries, R0, R1)), [entries, aggregate]);
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
  // The floor wins over the fit: on a projector a readable label beats one that stays inside its slot.
  const fit = (text: string | undefined) => ({
    fontSize: `max(min(var(--ring-label), ${Math.floor(arcLen / (0.62 * Math.max(3, text?.length ?? 0) + 0.6))}px), calc(var(--ring-floor) * var(--u)))`,
  });
  const svg = useRef<SVGSVGElement>(null);
  const unit = useUserUnitsPerPixel(svg);
  return (
    <figure className={`ring ring-${k}`} aria-label={`${kind} ring`}>
      <svg
        ref={svg}
        style={{ '--u': unit } as CSSProperties}
        viewBox={`${-SIZE / 2} ${-SIZE / 2} ${SIZE} ${SIZE}`}
        className={entries <= 8 ? 'few' : 'many'}
        role="img"
        aria-label={`${kind} ring: ${entries} entries, head ${head}, tail ${tail}, ${pending} ${what}${pending === 1 ? '' : 's'} ${kind === 'SQ' ? 'for the kernel' : 'for the application'}`}
      >
        {aggregate && (
          <AggregateSlots
            kind={kind}
            entries={entries}
            head={head}
            tail={tail}
            localTail={localTail}
            changed={changed}
            frameKey={frameKey}
            focusSlot={focusSlot}
          />
        )}
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
          const label = showLabels ? (s?.label ?? '') : undefined;
          const sub = showLabels ? s?.sub : undefined;
          const font = showLabels
            ? fit(sub !== undefined && s ? (s.label.length > sub.length ? s.label : sub) : s?.label).fontSize
            : '';
          return (
            <Slot
              key={flash ? `${a.slot}-${frameKey}` : a.slot}
              slot={a.slot}
              cls={cls}
              path={a.path}
              cx={a.cx}
              cy={a.cy}
              title={`${kind} slot ${a.slot}${s?.title ? `: ${s.title}` : ''}`}
              label={label}
              sub={sub}
              font={font}
            />
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
