/**
 * The lane diagram: one lane per context that runs kernel work (the submitting task, the
 * io_uring core, the SQPOLL thread when the run has one, the driver's ->uring_cmd(), io-wq, the
 * device/workqueue, task_work), the last
 * steps as columns, each request's path through the lanes, and each request as a token in the
 * lane where it runs now (solid) or waits (dashed).
 *
 * d3 computes the layout (viz/lanes); React renders; tokens glide between lanes with a CSS
 * transition (off under prefers-reduced-motion).
 */
import { memo, useMemo } from 'react';
import { Weight, eventWeight, shortName } from '../../captions/events';
import { opcodeName } from '../../captions/format';
import {
  type Frame,
  type FrameModel,
  LANES,
  LANE_LABELS,
  type Lane,
  type ReqTrack,
  type SimState,
  hoverRequest,
  pinRequest,
  selCursor,
  selFrames,
  selModels,
  selPinned,
  useHover,
  useSim,
} from '../../store';
import { laneLayout, trackPath } from '../../viz/lanes';
import { useSize } from '../common/useSize';

/** Steps of history drawn left of the cursor. */
export const LANE_WINDOW = 12;
const TITLE_W = 140;
const NOW_W = 176;

const selFocus = (s: SimState) => {
  const m = s.models[s.cursor];
  if (!m) return null;
  return s.pinned !== null && m.reqs.some((r) => r.serial === s.pinned) ? s.pinned : m.focus;
};

/** The lane and label of each program operation's mark in the user lane. */
function appMark(f: Frame, m: FrameModel): string {
  return m.op?.op ?? (f.label.split(' ')[0] || 'app');
}

function LanesComponent() {
  const allFrames = useSim(selFrames);
  const allModels = useSim(selModels);
  const cursor = useSim(selCursor);
  const { frames, models } = useMemo(() => {
    const from = Math.max(0, cursor - LANE_WINDOW + 1);
    return { frames: allFrames.slice(from, cursor + 1), models: allModels.slice(from, cursor + 1) };
  }, [allFrames, allModels, cursor]);
  const focus = useSim(selFocus);
  const pinned = useSim(selPinned);
  const hovered = useHover((h) => h.req);
  const [box, { width: W, height: H }] = useSize<HTMLDivElement>({ width: 760, height: 300 });
  // The SQPOLL thread's lane is drawn only for a run that has such a thread.
  const sqThread = useMemo(() => allFrames.some((f) => f.events.some((e) => e.ctx === 'sq-thread')), [allFrames]);
  const lanes = useMemo(() => (sqThread ? LANES : LANES.filter((l) => l !== 'sq-thread')), [sqThread]);
  const layout = useMemo(
    () => laneLayout(lanes, W - NOW_W + 16, H, cursor, LANE_WINDOW, TITLE_W, 16),
    [lanes, cursor, W, H],
  );
  const model = models[models.length - 1];
  const frame = frames[frames.length - 1];

  const tracks = useMemo(() => {
    const byReq = new Map<number, { frame: number; lane: Lane }[]>();
    for (const m of models) {
      for (const t of m.reqs) {
        const pts = byReq.get(t.serial) ?? [];
        pts.push({ frame: m.index, lane: t.lane });
        byReq.set(t.serial, pts);
      }
    }
    return byReq;
  }, [models]);

  if (!model || !frame) {
    return (
      <section className="panel lanes-panel" aria-label="Lanes: where each request runs">
        <div className="lanes-box" ref={box} />
      </section>
    );
  }

  // The current step's records, by lane, for the "now" column.
  const now = new Map<Lane, string[]>();
  const visible = frame.events.filter(
    (e) => eventWeight(e) > Weight.Noise || frame.events.every((x) => eventWeight(x) === Weight.Noise),
  );
  for (const e of visible) {
    const list = now.get(e.ctx) ?? [];
    const name = shortName(e);
    if (!list.includes(name)) list.push(name);
    now.set(e.ctx, list);
  }
  if (frame.actor === 'app' && frame.index > 0) now.set('user', [appMark(frame, model), ...(now.get('user') ?? [])]);

  // Tokens sharing a lane sit side by side.
  const perLane = new Map<Lane, ReqTrack[]>();
  for (const t of model.reqs) perLane.set(t.lane, [...(perLane.get(t.lane) ?? []), t]);

  const xNow = layout.frameX(cursor);
  const reqClass = (serial: number) => `req-c${serial % 6}`;

  return (
    <section className="panel lanes-panel" aria-label="Lanes: where each request runs">
      <div className="lanes-box" ref={box}>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          width={W}
          height={H}
          className="lanes"
          role="img"
          aria-label={laneSummary(model)}
        >
          {lanes.map((l) => (
            <g key={l} className={`lane lane-${l}${now.has(l) ? ' busy' : ''}`} data-lane={l}>
              <rect x={0} y={layout.laneY(l) - layout.laneHeight / 2} width={W} height={layout.laneHeight} rx={6} />
              <text className="lane-name" x={8} y={layout.laneY(l) - 3}>
                {l === 'driver' ? '->uring_cmd()' : l}
              </text>
              <text className="lane-desc" x={8} y={layout.laneY(l) + 12}>
                {LANE_LABELS[l]}
              </text>
            </g>
          ))}
          <rect className="now-band" x={xNow - 12} y={0} width={24} height={H} rx={4} />
          {frames.map((f, i) => {
            const m = models[i] as FrameModel;
            const x = layout.frameX(f.index);
            const lanes = new Set<Lane>(f.events.map((e) => e.ctx));
            if (f.actor === 'app' && f.index > 0) lanes.add('user');
            return (
              <g key={f.index} className="step-col" data-frame={f.index}>
                {[...lanes].map((l) => (
                  <circle
                    key={l}
                    className={`ev-dot${m.stops.includes('sanitizer') && l !== 'user' ? ' alarm' : ''}`}
                    cx={x}
                    cy={layout.laneY(l)}
                    r={f.index === cursor ? 5 : 3.5}
                  >
                    <title>{`step ${f.index}, ${l}: ${
                      f.events
                        .filter((e) => e.ctx === l)
                        .map((e) => e.event)
                        .join(', ') || appMark(f, m)
                    }`}</title>
                  </circle>
                ))}
              </g>
            );
          })}
          {[...tracks].map(([serial, pts]) => (
            <path
              key={serial}
              className={`track ${reqClass(serial)}${serial === focus ? ' focus' : ''}${serial === hovered ? ' hover' : ''}`}
              d={trackPath(layout, pts)}
            />
          ))}
          {[...now].map(([l, names]) => (
            <text key={l} className="now-label" x={xNow + 32} y={layout.laneY(l) + (names.length > 1 ? -3 : 4)}>
              <tspan x={xNow + 32}>{names[0]}</tspan>
              {names.length > 1 && (
                <tspan x={xNow + 32} dy={14}>
                  {names[1]}
                  {names.length > 2 ? ` +${names.length - 2}` : ''}
                </tspan>
              )}
            </text>
          ))}
          {model.reqs.map((t) => {
            const k = (perLane.get(t.lane) ?? []).indexOf(t);
            const x = xNow + 14 - k * 21;
            const y = layout.laneY(t.lane);
            const cls = [
              'token',
              reqClass(t.serial),
              t.active ? 'active' : 'waiting',
              t.serial === focus ? 'focus' : '',
              t.serial === hovered ? 'hover' : '',
              t.serial === pinned ? 'pinned' : '',
            ]
              .filter(Boolean)
              .join(' ');
            return (
              <g
                key={t.serial}
                className={cls}
                style={{ transform: `translate(${x}px, ${y}px)` }}
                data-req={t.serial}
                data-lane={t.lane}
                data-state={t.state}
                tabIndex={0}
                role="button"
                aria-pressed={t.serial === pinned}
                aria-label={`Request #${t.userData}, ${t.state.replace('_', ' ')} in lane ${t.lane}${t.serial === pinned ? ' (followed)' : ''}`}
                onMouseEnter={() => hoverRequest(t.serial)}
                onMouseLeave={() => hoverRequest(null)}
                onClick={() => pinRequest(t.serial === pinned ? null : t.serial)}
                onKeyDown={(ev) => {
                  if (ev.key === 'Enter') pinRequest(t.serial === pinned ? null : t.serial);
                }}
              >
                <title>{`request #${t.userData} (${opcodeName(t.opcode)}, request object ${t.serial}): ${t.state}${t.active ? ', running now' : ', waiting'}`}</title>
                <circle r={9} />
                <text y={k % 2 ? 22 : -13}>#{String(t.userData)}</text>
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}

function laneSummary(m: FrameModel): string {
  if (m.reqs.length === 0) return 'Lanes: no request in flight.';
  return `Lanes: ${m.reqs.map((t) => `request #${t.userData} ${t.active ? 'runs' : 'waits'} in ${t.lane}, ${t.state}`).join('; ')}.`;
}

export const Lanes = memo(LanesComponent);
Lanes.displayName = 'Lanes';
