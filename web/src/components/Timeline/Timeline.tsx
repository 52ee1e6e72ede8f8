/**
 * Time: transport buttons, jump to step N, speed on a log scale, the semantic-stop breakpoints,
 * and a scrubbable timeline with a tick per step (coloured by its stops) and the chapters.
 *
 * Button names avoid the words of the free-play controls ("Step", "Back", "Forward"), which the
 * foundation browser test finds by name.
 */
import { memo, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { STOP_KINDS, STOP_LABELS, type StopKind } from '../../captions/stops';
import {
  MAX_SPEED,
  MIN_SPEED,
  type SimState,
  back,
  forward,
  nextStop,
  prevStop,
  seek,
  selBreakpoints,
  selChapters,
  selCursor,
  selLast,
  selMode,
  selPlaying,
  selSpeed,
  setSpeed,
  toEnd,
  toStart,
  toggleBreakpoint,
  togglePlay,
  useSim,
} from '../../store';
import { Icon } from '../common/Icon';
import { useSize } from '../common/useSize';
import { bucketFrames, frameAt, speedScale, timelineScale } from '../../viz/timeline';

const PAD = 14;
const H = 40;
/** When several stops share a pixel, the tick shows the most important. */
const STOP_RANK: StopKind[] = [
  'sanitizer',
  'eagain',
  'eiocbqueued',
  'device_done',
  'task_work_ran',
  'cqe_posted',
  'sqe_published',
];

const selStops = (s: SimState) => s.models.map((m) => m.stops);

function Scrubber() {
  const cursor = useSim(selCursor);
  const last = useSim(selLast);
  const stops = useSim(useShallow(selStops));
  const chapters = useSim(selChapters);
  const [ref, { width }] = useSize<HTMLDivElement>({ width: 800, height: H });
  const count = last + 1;
  const x = useMemo(() => timelineScale(count, width, PAD), [count, width]);
  const buckets = useMemo(() => bucketFrames(count, width, 3, PAD), [count, width]);
  const dragging = useRef(false);
  const seekAt = (clientX: number, el: Element) => {
    const r = el.getBoundingClientRect();
    seek(frameAt(count, width, clientX - r.left, PAD));
  };
  return (
    <div className="scrubber" ref={ref}>
      <svg
        width="100%"
        height={H}
        viewBox={`0 0 ${width} ${H}`}
        role="slider"
        tabIndex={0}
        aria-label="Timeline"
        aria-valuemin={0}
        aria-valuemax={last}
        aria-valuenow={cursor}
        aria-valuetext={`step ${cursor} of ${last}`}
        data-testid="timeline"
        onPointerDown={(e) => {
          dragging.current = true;
          e.currentTarget.setPointerCapture?.(e.pointerId);
          seekAt(e.clientX, e.currentTarget);
        }}
        onPointerMove={(e) => {
          if (dragging.current) seekAt(e.clientX, e.currentTarget);
        }}
        onPointerUp={() => {
          dragging.current = false;
        }}
      >
        <line className="tl-axis" x1={PAD} x2={width - PAD} y1={27} y2={27} />
        {buckets.map((b) => {
          let kind: StopKind | null = null;
          for (let i = b.first; i <= b.last; i++) {
            for (const k of stops[i] ?? [])
              if (kind === null || STOP_RANK.indexOf(k) < STOP_RANK.indexOf(kind)) kind = k;
          }
          return (
            <line
              key={b.first}
              className={`tl-tick${kind ? ` stop-${kind}` : ''}`}
              x1={b.x}
              x2={b.x}
              y1={kind ? 15 : 22}
              y2={33}
            />
          );
        })}
        {chapters.map((c, i) =>
          c.frame < 0 ? null : (
            <g key={i} className="tl-chapter" transform={`translate(${x(c.frame)}, 0)`}>
              <title>{`Chapter ${i + 1}: ${c.title}`}</title>
              <path d="M0 18 V1 h15 l-3 6 l3 6 h-15" />
              <text x={2} y={11}>
                {i + 1}
              </text>
            </g>
          ),
        )}
        <g className="tl-cursor" style={{ transform: `translateX(${x(cursor)}px)` }}>
          <line y1={10} y2={38} />
          <path d="M-6 40 h12 l-6 -7 z" />
        </g>
      </svg>
    </div>
  );
}

function SpeedControl() {
  const speed = useSim(selSpeed);
  const scale = useMemo(() => speedScale(MIN_SPEED, MAX_SPEED), []);
  return (
    <label className="speed">
      <span>speed</span>
      <input
        type="range"
        min={0}
        max={100}
        step={1}
        value={Math.round(scale(speed))}
        onChange={(e) => setSpeed(scale.invert(Number(e.target.value)))}
        aria-valuetext={`${fmtSpeed(speed)} steps per second`}
      />
      <span className="speed-val">{fmtSpeed(speed)}/s</span>
    </label>
  );
}

function fmtSpeed(s: number): string {
  return s >= 10 ? s.toFixed(0) : s >= 1 ? s.toFixed(1).replace(/\.0$/, '') : s.toFixed(2).replace(/0$/, '');
}

function JumpTo() {
  const cursor = useSim(selCursor);
  const last = useSim(selLast);
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label className="jump">
      <span className="visually-hidden">Jump to step</span>
      <input
        type="number"
        min={0}
        max={last}
        value={draft ?? String(cursor)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => setDraft(null)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            const n = Number(draft ?? cursor);
            if (Number.isFinite(n)) seek(Math.round(n));
            setDraft(null);
            (e.target as HTMLInputElement).blur();
          } else if (e.key === 'Escape') {
            setDraft(null);
            (e.target as HTMLInputElement).blur();
          }
        }}
        data-testid="jump"
      />
      <span className="of" data-testid="position">
        / {last}
      </span>
    </label>
  );
}

function Breakpoints() {
  const bp = useSim(selBreakpoints);
  return (
    <div className="breakpoints" role="group" aria-label="Pause playback at">
      <span className="bp-title" aria-hidden="true">
        pause at
      </span>
      {STOP_KINDS.map((k) => (
        <button
          key={k}
          type="button"
          className={`bp stop-${k}`}
          aria-pressed={bp[k]}
          onClick={() => toggleBreakpoint(k)}
          title={`Pause playback at: ${STOP_LABELS[k]}`}
        >
          <span className="swatch" aria-hidden="true" />
          {STOP_LABELS[k]}
        </button>
      ))}
    </div>
  );
}

function TimelineComponent() {
  const playing = useSim(selPlaying);
  const mode = useSim(selMode);
  const { cursor, last } = useSim(useShallow((s: SimState) => ({ cursor: s.cursor, last: selLast(s) })));
  return (
    <section className="timeline" aria-label="Time">
      <div className="transport">
        <div className="transport-buttons" role="group" aria-label="Playback">
          <button
            type="button"
            onClick={toStart}
            disabled={cursor === 0}
            aria-label="Go to start"
            title="Go to start (Home)"
          >
            <Icon name="first" />
          </button>
          {mode === 'guided' && (
            <button
              type="button"
              onClick={back}
              disabled={cursor === 0}
              aria-label="Previous"
              title="Previous (PageUp, Backspace)"
            >
              <Icon name="prev" />
            </button>
          )}
          <button
            type="button"
            className="play"
            onClick={togglePlay}
            aria-label={playing ? 'Pause' : 'Play'}
            title="Play / pause (P)"
            disabled={last === 0}
          >
            <Icon name={playing ? 'pause' : 'play'} />
          </button>
          {mode === 'guided' && (
            <button
              type="button"
              onClick={forward}
              disabled={cursor >= last}
              aria-label="Next"
              title="Next (Space, PageDown)"
            >
              <Icon name="next" />
            </button>
          )}
          <button
            type="button"
            onClick={toEnd}
            disabled={cursor >= last}
            aria-label="Go to end"
            title="Go to end (End)"
          >
            <Icon name="last" />
          </button>
          <button type="button" onClick={prevStop} aria-label="Previous stop" title="Previous semantic stop ([)">
            <Icon name="prevStop" />
          </button>
          <button type="button" onClick={nextStop} aria-label="Next stop" title="Next semantic stop (])">
            <Icon name="nextStop" />
          </button>
        </div>
        <JumpTo />
        <Scrubber />
        <SpeedControl />
      </div>
      <Breakpoints />
    </section>
  );
}

export const Timeline = memo(TimelineComponent);
Timeline.displayName = 'Timeline';
