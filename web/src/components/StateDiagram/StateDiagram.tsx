/**
 * The followed request's state machine, with its state lit and the transitions it took in this
 * step drawn bold: the uring_cmd one (docs/kernel-notes.md §3.10) for a URING_CMD, the generic
 * request lifecycle (docs/opcodes.md) for every other opcode, where "in flight" is a wait on
 * the file's wait queue (poll) or on a timer.
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isReissue, isUringCmd, uringCmdFlagNames } from '../../captions/format';
import {
  IORING_OP_LINK_TIMEOUT,
  IORING_OP_TIMEOUT,
  type ReqStateName,
  type SimState,
  type StateChange,
  selFocusTrack,
  selPrevFocusTrack,
  useSim,
} from '../../store';
import {
  DIAGRAM_HEIGHT,
  DIAGRAM_WIDTH,
  type Diagram,
  type DiagramEdge,
  type DiagramState,
  GENERIC_DIAGRAM,
  NODE_H,
  NODE_W,
  URING_CMD_DIAGRAM,
  edgeLabelPoint,
  edgePath,
} from '../../viz/stateDiagram';

/** The diagram a request of `opcode` follows (none yet: the uring_cmd one). */
export function diagramFor(opcode: number | null): Diagram {
  return opcode === null || isUringCmd(opcode) ? URING_CMD_DIAGRAM : GENERIC_DIAGRAM;
}

/**
 * The diagram box of a request state. In the generic lifecycle a request in flight waits on a
 * timer (TIMEOUT, LINK_TIMEOUT) or on its file (everything else that can be in flight).
 */
export function diagramState(s: ReqStateName, opcode: number | null = null): DiagramState {
  if (s === 'free') return 'done';
  if (s === 'inflight' && diagramFor(opcode) === GENERIC_DIAGRAM)
    return opcode === IORING_OP_TIMEOUT || opcode === IORING_OP_LINK_TIMEOUT ? 'timed' : 'poll_armed';
  return s;
}

/**
 * The transitions a request took in one step: from its state before, through the states the
 * core recorded it entering (`sim_req_state`), to its state after (a step may pass several
 * boxes: issue and -EIOCBQUEUED happen in one call).
 */
export function stepPath(
  from: DiagramState,
  states: readonly StateChange[],
  serial: number,
  to: DiagramState,
  opcode: number | null = null,
): DiagramEdge[] {
  const stops: DiagramState[] = [from];
  for (const c of states) {
    const s = c.req === serial ? diagramState(c.to, opcode) : null;
    if (s && s !== stops[stops.length - 1]) stops.push(s);
  }
  if (stops[stops.length - 1] !== to) stops.push(to);
  const edges = diagramFor(opcode).edges;
  const out: DiagramEdge[] = [];
  for (let i = 1; i < stops.length; i++)
    out.push(...pathBetween(stops[i - 1] as DiagramState, stops[i] as DiagramState, edges));
  return out;
}

/** The transitions from one state to another: the shortest path through the diagram. */
export function pathBetween(
  from: DiagramState,
  to: DiagramState,
  edges: readonly DiagramEdge[] = URING_CMD_DIAGRAM.edges,
): DiagramEdge[] {
  if (from === to) return [];
  const prev = new Map<DiagramState, DiagramEdge>();
  const queue: DiagramState[] = [from];
  const seen = new Set<DiagramState>([from]);
  while (queue.length) {
    const at = queue.shift() as DiagramState;
    for (const e of edges) {
      if (e.from !== at || seen.has(e.to)) continue;
      seen.add(e.to);
      prev.set(e.to, e);
      if (e.to === to) {
        const out: DiagramEdge[] = [];
        for (let s: DiagramState = to; s !== from;) {
          const edge = prev.get(s) as DiagramEdge;
          out.unshift(edge);
          s = edge.from;
        }
        return out;
      }
      queue.push(e.to);
    }
  }
  return [];
}

const selDiagram = (s: SimState) => {
  const t = selFocusTrack(s);
  const p = selPrevFocusTrack(s);
  const r = s.frames[s.cursor]?.ring;
  return {
    serial: t?.serial ?? null,
    userData: t?.userData ?? null,
    opcode: t?.opcode ?? null,
    state: t ? diagramState(t.state, t.opcode ?? null) : null,
    prevState: t ? (p ? diagramState(p.state, t.opcode ?? null) : 'sqe') : null,
    cmdFlags: t?.view?.cmdFlags ?? 0,
    issues: t?.view?.issues ?? 0,
    sqePending: r ? r.sqTail !== r.sqHead : false,
    states: s.frames[s.cursor]?.states ?? NO_STATES,
  };
};

const NO_STATES: StateChange[] = [];
/** The edges' paths never change: computed once per diagram, not on every step. */
const EDGE_PATHS = new Map<Diagram, Map<string, string>>(
  [URING_CMD_DIAGRAM, GENERIC_DIAGRAM].map((dg) => [
    dg,
    new Map(dg.edges.map((e) => [`${e.from}>${e.to}`, edgePath(e, dg)])),
  ]),
);

function StateDiagramComponent() {
  const d = useSim(useShallow(selDiagram));
  const big = useSim((s) => s.theme === 'projector');
  const current: DiagramState | null = d.state ?? (d.sqePending ? 'sqe' : null);
  const dg = diagramFor(d.opcode);
  const paths = EDGE_PATHS.get(dg) as Map<string, string>;
  const taken = useMemo(
    () =>
      d.state && d.prevState && d.serial !== null
        ? stepPath(d.prevState as DiagramState, d.states, d.serial, d.state, d.opcode)
        : [],
    [d.state, d.prevState, d.states, d.serial, d.opcode],
  );
  const takenKeys = new Set(taken.map((e) => `${e.from}>${e.to}`));
  const title = d.serial === null ? 'No request yet' : `Request #${d.userData}`;
  return (
    <section className="panel state-panel" aria-label="Request state machine">
      <header className="panel-head">
        <h2>{dg === URING_CMD_DIAGRAM ? 'uring_cmd state machine' : 'request lifecycle'}</h2>
        <span className="state-who" data-testid="state-who">
          {title}
          {isReissue(d.cmdFlags) && (
            <span className="badge" title="IORING_URING_CMD_REISSUE: the driver is called again after -EAGAIN">
              REISSUE
            </span>
          )}
          {d.issues > 1 && <span className="badge">issued {d.issues}×</span>}
          {d.cmdFlags !== 0 && <span className="visually-hidden"> flags {uringCmdFlagNames(d.cmdFlags)}</span>}
        </span>
      </header>
      <svg
        viewBox={`0 0 ${DIAGRAM_WIDTH} ${DIAGRAM_HEIGHT}`}
        className="state-diagram"
        role="img"
        aria-label={current ? `${title}: state ${current.replace('_', ' ')}` : 'No request'}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="8"
            refY="5"
            markerUnits="userSpaceOnUse"
            markerWidth="9"
            markerHeight="9"
            orient="auto-start-reverse"
          >
            <path d="M0 0 L10 5 L0 10 z" className="arrow-head" />
          </marker>
          <marker
            id="arrow-taken"
            viewBox="0 0 10 10"
            refX="8"
            refY="5"
            markerUnits="userSpaceOnUse"
            markerWidth="13"
            markerHeight="13"
            orient="auto-start-reverse"
          >
            <path d="M0 0 L10 5 L0 10 z" className="arrow-head taken" />
          </marker>
        </defs>
        {dg.edges.map((e) => {
          const on = takenKeys.has(`${e.from}>${e.to}`);
          return (
            <g key={`${e.from}>${e.to}`} className={`edge${on ? ' taken' : ''}`} data-edge={`${e.from}>${e.to}`}>
              <title>{`${e.from} → ${e.to}: ${e.label}`}</title>
              <path d={paths.get(`${e.from}>${e.to}`)} markerEnd={on ? 'url(#arrow-taken)' : 'url(#arrow)'} />
            </g>
          );
        })}
        {dg.nodes.map((n) => (
          <g
            key={n.id}
            className={`state${n.id === current ? ' current' : ''}`}
            data-state={n.id}
            transform={`translate(${n.x - NODE_W / 2}, ${n.y - NODE_H / 2})`}
          >
            <rect width={NODE_W} height={NODE_H} rx={NODE_H / 2} />
            {/* Projector type is large: a long label is set condensed to stay inside its box. */}
            <text
              x={NODE_W / 2}
              y={NODE_H / 2 + 1}
              {...(big && n.label.length > 7 ? { textLength: NODE_W - 12, lengthAdjust: 'spacingAndGlyphs' } : {})}
            >
              {n.label}
            </text>
          </g>
        ))}
        {/* Labels of the transitions taken go over the boxes. */}
        {taken.map((e) => {
          const [x, y] = edgeLabelPoint(e, dg);
          return (
            <text key={`l-${e.from}>${e.to}`} className="edge-label" x={x} y={y}>
              {e.label}
            </text>
          );
        })}
      </svg>
    </section>
  );
}

export const StateDiagram = memo(StateDiagramComponent);
StateDiagram.displayName = 'StateDiagram';
