/**
 * A kernel recording: the real threads as lanes, every io_uring tracepoint at its time, the
 * request objects travelling submit -> punt/poll/task_work -> complete, step controls and the
 * Chrome trace export.
 */
import { useEffect, useMemo } from 'react';
import { download } from '../../share/exportFrame';
import { recordingToChromeTrace } from '../../recording/chrome';
import {
  type OpenRecording,
  THREAD_KIND_LABELS,
  type Tracepoint,
  describeTracepoint,
  requestLives,
} from '../../recording/format';
import { closeRecording, setRecordingIndex, useRecording } from '../../recording/store';

const EVENT_CLASS: Record<string, string> = {
  submit_req: 'submit',
  complete: 'complete',
  queue_async_work: 'punt',
  poll_arm: 'punt',
  task_add: 'tw',
  task_work_run: 'tw',
  local_work_run: 'tw',
  link: 'link',
  fail_link: 'fail',
  req_failed: 'fail',
  cqe_overflow: 'fail',
  cqring_wait: 'wait',
};

function timeLabel(r: OpenRecording, e: Tracepoint | undefined): string {
  if (!e) return '';
  if (!r.timed) return (e as { step?: number }).step !== undefined ? `step ${(e as { step?: number }).step}` : '';
  const ns = e.ts_ns ?? 0;
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : `${(ns / 1e3).toFixed(1)} µs`;
}

const LANE_H = 30;
const LEFT = 170;
const WIDTH = 1000;
/** Events shown either side of the current one in the zoomed lanes. */
const HALF_WINDOW = 30;
const OVERVIEW_H = 16;

/** The x position of every event in [lo, hi]: real time when the recording has it, else order. */
function scale(r: OpenRecording, lo: number, hi: number, x0: number, x1: number): (i: number) => number {
  const at = (i: number) => (r.timed ? (r.events[i]?.ts_ns ?? 0) : i);
  const a = at(lo);
  const span = Math.max(1, at(hi) - a);
  return (i: number) => x0 + ((x1 - x0) * (at(i) - a)) / span;
}

function LanesView({ r, index }: { r: OpenRecording; index: number }) {
  const lanes = r.threads;
  const laneOf = useMemo(() => new Map(lanes.map((t, i) => [t.tid, i])), [lanes]);
  const n = r.events.length;
  // The whole recording in a thin overview strip, and a window of events around the current one.
  const lo = Math.max(0, Math.min(index - HALF_WINDOW, n - 1 - 2 * HALF_WINDOW));
  const hi = Math.min(n - 1, lo + 2 * HALF_WINDOW);
  const top = OVERVIEW_H + 18;
  const x = scale(r, lo, hi, LEFT + 10, WIDTH - 10);
  const ox = scale(r, 0, n - 1, LEFT + 10, WIDTH - 10);
  const y = (tid: number | undefined) => top + (laneOf.get(tid ?? -1) ?? 0) * LANE_H + LANE_H / 2;
  const height = top + lanes.length * LANE_H + 6;
  const lives = useMemo(() => requestLives(r.events), [r.events]);
  const current = lives.find((l) => l.events.includes(index));
  const stride = Math.max(1, Math.ceil(n / 4000));
  const inWindow = (i: number) => i >= lo && i <= hi;
  const stepStarts: { i: number; step: number }[] = [];
  if (!r.timed) {
    let last = -1;
    for (let i = lo; i <= hi; i++) {
      const st = (r.events[i] as { step?: number } | undefined)?.step ?? -1;
      if (st !== last) stepStarts.push({ i, step: st });
      last = st;
    }
  }
  const span = r.timed ? (r.events[hi]?.ts_ns ?? 0) - (r.events[lo]?.ts_ns ?? 0) : hi - lo;
  const spanLabel = r.timed
    ? span >= 1e6
      ? `${(span / 1e6).toFixed(3)} ms`
      : `${(span / 1e3).toFixed(1)} µs`
    : `${span + 1} events`;
  return (
    <svg
      className="rec-lanes"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`${lanes.length} threads; tracepoints ${lo + 1} to ${hi + 1} of ${n}`}
      data-testid="rec-lanes"
    >
      <text x={6} y={OVERVIEW_H - 2} className="rec-lane-kind">
        whole recording
      </text>
      <rect x={LEFT + 10} y={2} width={WIDTH - LEFT - 20} height={OVERVIEW_H} className="rec-overview" />
      {r.events.map((e, i) =>
        i % stride === 0 ? (
          <rect
            key={`o${i}`}
            x={ox(i) - 0.5}
            y={4}
            width={1}
            height={OVERVIEW_H - 4}
            className={`rec-${EVENT_CLASS[e.event] ?? 'other'}`}
          />
        ) : null,
      )}
      <rect
        x={ox(lo) - 1}
        y={1}
        width={Math.max(3, ox(hi) - ox(lo) + 2)}
        height={OVERVIEW_H + 2}
        className="rec-overview-window"
      />
      <text x={WIDTH - 10} y={top - 3} textAnchor="end" className="rec-lane-kind">
        {r.timed ? `real time, ${spanLabel} shown` : `in order, ${spanLabel} shown`}
      </text>
      {lanes.map((t, i) => (
        <g key={t.tid}>
          <rect
            x={0}
            y={top + i * LANE_H}
            width={WIDTH}
            height={LANE_H}
            className={i % 2 ? 'rec-lane-b' : 'rec-lane-a'}
          />
          <text x={6} y={top + i * LANE_H + LANE_H / 2 + 4} className="rec-lane-label">
            {t.name.length > 16 ? `${t.name.slice(0, 15)}…` : t.name}{' '}
            <tspan className="rec-lane-kind">
              {r.timed ? `${t.tid} ` : ''}
              {THREAD_KIND_LABELS[t.ctx]}
            </tspan>
          </text>
        </g>
      ))}
      {stepStarts.map((s) => (
        <g key={`s${s.i}`}>
          <line x1={x(s.i) - 4} x2={x(s.i) - 4} y1={top - 12} y2={height} className="rec-step-line" />
          <text x={x(s.i) - 2} y={top - 3} className="rec-step-label">
            step {s.step}
          </text>
        </g>
      ))}
      {r.events.map((e, i) =>
        inWindow(i) ? (
          <rect
            key={i}
            x={x(i) - 2}
            y={y(e.tid) - 9}
            width={4}
            height={18}
            className={`rec-tick rec-${EVENT_CLASS[e.event] ?? 'other'}`}
            onClick={() => setRecordingIndex(i)}
          >
            <title>{describeTracepoint(e)}</title>
          </rect>
        ) : null,
      )}
      {current && current.events.filter(inWindow).length > 1 && (
        <polyline
          className="rec-journey"
          points={current.events
            .filter(inWindow)
            .map((i) => `${x(i)},${y(r.events[i]?.tid)}`)
            .join(' ')}
        />
      )}
      <line x1={x(index)} x2={x(index)} y1={top} y2={height} className="rec-cursor" />
      <circle cx={x(index)} cy={y(r.events[index]?.tid)} r={7} className="rec-now" />
    </svg>
  );
}

function EventList({ r, index }: { r: OpenRecording; index: number }) {
  const from = Math.max(0, index - 8);
  const rows = r.events.slice(from, from + 18);
  const thread = new Map(r.threads.map((t) => [t.tid, t]));
  return (
    <ol className="rec-events" start={from + 1} aria-label="Tracepoints" data-testid="rec-events">
      {rows.map((e, k) => {
        const i = from + k;
        const t = thread.get(e.tid ?? -1);
        return (
          <li key={i} className={i === index ? 'current' : undefined} aria-current={i === index ? 'step' : undefined}>
            <button type="button" onClick={() => setRecordingIndex(i)}>
              <span className="rec-when">{timeLabel(r, e)}</span>
              <span className={`rec-who rec-ctx-${e.ctx}`}>{t ? t.name : e.ctx}</span>
              <span className="rec-what">{describeTracepoint(e)}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function Requests({ r, index }: { r: OpenRecording; index: number }) {
  const lives = useMemo(() => requestLives(r.events), [r.events]);
  const cur = lives.findIndex((l) => l.events.includes(index));
  const from = Math.max(0, (cur < 0 ? lives.findIndex((l) => (l.events[0] ?? 0) > index) : cur) - 4);
  const rows = lives.slice(Math.max(0, from), Math.max(0, from) + 12);
  return (
    <div className="rec-requests" data-testid="rec-requests">
      <h3>
        Requests{' '}
        <span className="rec-count">
          {lives.length} lives of {new Set(lives.map((l) => l.req)).size} request objects
        </span>
      </h3>
      <ul>
        {rows.map((l) => (
          <li key={l.id} className={`${l.events.includes(index) ? 'current' : ''}${l.failed ? ' failed' : ''}`}>
            <button
              type="button"
              onClick={() => setRecordingIndex(l.events[0] ?? 0)}
              title="Go to this request's first tracepoint"
            >
              <span className="rec-req">{l.id}</span> {l.opcode ?? '?'} {l.userData ?? ''}
              <span className="rec-path">
                {l.path.join(' → ')}
                {l.result !== undefined && <span className="rec-res"> = {l.result}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RecordingPage() {
  const r = useRecording((s) => s.recording);
  const index = useRecording((s) => s.index);
  const file = useRecording((s) => s.file);
  // The step keys move through the recording, not the simulator, while it is open.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const st = useRecording.getState();
      if (
        !st.recording ||
        (e.target instanceof HTMLElement &&
          /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) &&
          (e.target as HTMLInputElement).type !== 'range')
      )
        return;
      const n = st.recording.events.length;
      const moves: Record<string, number> = {
        ArrowRight: st.index + 1,
        ArrowLeft: st.index - 1,
        '.': st.index + 1,
        Backspace: st.index - 1,
        Home: 0,
        End: n - 1,
        PageDown: st.index + 10,
        PageUp: st.index - 10,
      };
      if (e.key === 'Escape') closeRecording();
      else if (e.key in moves) setRecordingIndex(moves[e.key] as number);
      else return;
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  if (!r) return null;
  const n = r.events.length;
  const e = r.events[index];
  const rings = new Set(r.events.map((x) => x.ring).filter(Boolean)).size;
  const exportChrome = () =>
    download(
      `${file.replace(/\.json$/, '') || 'recording'}.chrome-trace.json`,
      JSON.stringify(recordingToChromeTrace(r)),
    );
  return (
    <section className="rec-page" aria-label="Kernel recording" data-testid="recording">
      <div className="rec-head">
        <div>
          <h2>{r.kind === 'program' ? r.title : `${r.title} (conformance recording)`}</h2>
          <p className="rec-meta">
            Recorded on {r.kernel} · {n} tracepoints · {r.threads.length} threads · {rings} rings
            {r.timed && n ? ` · ${timeLabel(r, r.events[n - 1])}` : ''}
          </p>
        </div>
        <div className="rec-actions">
          <button type="button" onClick={exportChrome} title="Opens in Perfetto (ui.perfetto.dev) and chrome://tracing">
            Chrome trace
          </button>
          <button type="button" onClick={closeRecording} title="Back to the simulator (Esc)">
            Close
          </button>
        </div>
      </div>
      {r.lostEvents > 0 && (
        <p role="alert" className="rec-lost">
          The kernel's trace buffer overflowed during this recording: {r.lostEvents} tracepoints were lost, so some
          requests are incomplete.
        </p>
      )}
      {n === 0 ? (
        <p className="rec-empty">This program made no io_uring tracepoints (it may not use io_uring).</p>
      ) : (
        <>
          <div className="rec-controls" role="group" aria-label="Step through the recording">
            <button
              type="button"
              onClick={() => setRecordingIndex(0)}
              aria-label="First tracepoint"
              disabled={index === 0}
            >
              Start
            </button>
            <button
              type="button"
              onClick={() => setRecordingIndex(index - 1)}
              aria-label="Previous tracepoint"
              disabled={index === 0}
            >
              ◀
            </button>
            <input
              type="range"
              min={0}
              max={n - 1}
              value={index}
              onChange={(ev) => setRecordingIndex(Number(ev.target.value))}
              aria-label="Tracepoint"
            />
            <button
              type="button"
              onClick={() => setRecordingIndex(index + 1)}
              aria-label="Next tracepoint"
              disabled={index >= n - 1}
            >
              ▶
            </button>
            <button
              type="button"
              onClick={() => setRecordingIndex(n - 1)}
              aria-label="Last tracepoint"
              disabled={index >= n - 1}
            >
              End
            </button>
            <span className="rec-pos" data-testid="rec-pos">
              {index + 1} / {n} · {timeLabel(r, e)} · {e ? THREAD_KIND_LABELS[e.ctx] : ''}
            </span>
          </div>
          <p className="rec-caption" aria-live="polite" data-testid="rec-caption">
            {e ? describeTracepoint(e) : ''}
          </p>
          <LanesView r={r} index={index} />
          <div className="rec-bottom">
            <EventList r={r} index={index} />
            <Requests r={r} index={index} />
          </div>
        </>
      )}
    </section>
  );
}
