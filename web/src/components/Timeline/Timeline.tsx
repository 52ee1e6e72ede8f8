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
import { useMedia } from '../common/useMedia';
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

const selModels = (s: SimState) => s.models;

/** Where each chapter's flag goes: at its step, or just right of the flag before it. */
export function layoutFlags(
  chapters: readonly { frame: number; title: string }[],
  x: (i: number) => number,
  width: number,
  gap = 2,
) {
  const out: { i: number; title: string; at: number; x: number }[] = [];
  let right = -Infinity;
  chapters.forEach((c, i) => {
    if (c.frame < 0) return;
    const at = x(c.frame);
    const fx = Math.max(at, right + gap);
    right = fx + width;
    out.push({ i, title: c.title, at, x: fx });
  });
  return out;
}

function Scrubber() {
  const cursor = useSim(selCursor);
  const last = useSim(selLast);
  const models = useSim(selModels);
  const chapters = useSim(selChapters);
  const [ref, { width }] = useSize<HTMLDivElement>({ width: 800, height: H });
  const count = last + 1;
  const x = useMemo(() => timelineScale(count, width, PAD), [count, width]);
  const buckets = useMemo(() => bucketFrames(count, width, 3, PAD), [count, width]);
  const big = useSim((s) => s.theme === 'projector');
  // Flags: wide enough for their number; each starts right of the one before, so none hides another.
  const fw = big ? 24 : 15;
  const fh = big ? 22 : 14;
  const dy = big ? 12 : 0;
  const flags = useMemo(() => layoutFlags(chapters, x, fw), [chapters, x, fw]);
  // The ticks change only with the timeline (not with the cursor): one pass over the frames.
  const ticks = useMemo(
    () =>
      buckets.map((b) => {
        let kind: StopKind | null = null;
        for (let i = b.first; i <= b.last; i++) {
          for (const k of models[i]?.stops ?? [])
            if (kind === null || STOP_RANK.indexOf(k) < STOP_RANK.indexOf(kind)) kind = k;
        }
        return (
          <line
            key={b.first}
            className={`tl-tick${kind ? ` stop-${kind}` : ''}`}
            x1={b.x}
            x2={b.x}
            y1={(kind ? 15 : 22) + dy}
            y2={33 + dy}
          />
        );
      }),
    [buckets, models, dy],
  );
  const dragging = useRef(false);
  const seekAt = (clientX: number, el: Element) => {
    const r = el.getBoundingClientRect();
    seek(frameAt(count, width, clientX - r.left, PAD));
  };
  return (
    <div className="scrubber" ref={ref}>
      <svg
        width="100%"
        height={H + dy}
        viewBox={`0 0 ${width} ${H + dy}`}
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
        <line className="tl-axis" x1={PAD} x2={width - PAD} y1={27 + dy} y2={27 + dy} />
        {ticks}
        {flags.map((f) => (
          <g key={f.i} className="tl-chapter" data-chapter={f.i + 1}>
            <title>{`Chapter ${f.i + 1}: ${f.title}`}</title>
            {/* A flag pushed right of its step keeps a pole down to the step. */}
            <line className="tl-pole" x1={f.at} x2={f.x} y1={fh + 4} y2={fh} />
            <path
              transform={`translate(${f.x}, 0)`}
              d={`M0 ${fh + 4} V1 h${fw} l-3 ${fh / 2 - 1} l3 ${fh / 2 - 1} h-${fw}`}
            />
            <text x={f.x + 2} y={fh - 3} className="tl-chapter-no">
              {f.i + 1}
            </text>
          </g>
        ))}
        <g className="tl-cursor" style={{ transform: `translateX(${x(cursor)}px)` }}>
          <line y1={10 + dy} y2={38 + dy} />
          <path d={`M-6 ${40 + dy} h12 l-6 -7 z`} />
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

/** Why playback stopped: which stop, at which step (shown while the cursor stays there). */
function PlayStatus() {
  const st = useSim(
    useShallow((s: SimState) => ({ stopped: s.stopped, cursor: s.cursor, playing: s.playing, chapters: s.chapters })),
  );
  const { stopped } = st;
  if (st.playing || !stopped || stopped.step !== st.cursor) return null;
  const ch = st.chapters.findIndex((c) => c.frame === stopped.step);
  const at = `step ${stopped.step}${ch >= 0 ? ` (chapter ${ch + 1})` : ''}`;
  const text =
    stopped.why === 'stop'
      ? `Paused at ${at}: ${stopped.kinds.map((k) => STOP_LABELS[k]).join(', ')} (a pause-at stop)`
      : stopped.why === 'end'
        ? `Stopped at ${at}: the end of the timeline`
        : stopped.why === 'panic'
          ? `Stopped at ${at}: the simulator core trapped`
          : `Paused at ${at} by you`;
  return (
    <p className={`play-status why-${stopped.why}`} role="status" data-testid="play-status" data-why={stopped.why}>
      {text}
    </p>
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
  // The projector's large type leaves no room for a row of stop buttons: they open from a menu.
  const projector = useSim((s) => s.theme === 'projector');
  const compact = useMedia('(max-width: 1560px)') && projector;
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
        {compact && (
          <details className="bp-menu">
            <summary title="Stops that pause playback">pause at…</summary>
            <Breakpoints />
          </details>
        )}
      </div>
      <div className="timeline-foot">
        {!compact && <Breakpoints />}
        <PlayStatus />
      </div>
    </section>
  );
}

export const Timeline = memo(TimelineComponent);
Timeline.displayName = 'Timeline';
