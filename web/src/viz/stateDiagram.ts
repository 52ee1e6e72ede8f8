/**
 * Geometry of the request state diagrams: the uring_cmd one (docs/kernel-notes.md §3.10) and the
 * generic request lifecycle every other opcode follows (docs/opcodes.md: prep → issue → -EAGAIN →
 * poll armed → woken → task_work → retry → complete; io-wq; linked; timed; cancelled). Where each
 * state box sits and the path of each transition. Pure math (d3-shape); the component renders it.
 */
import { curveBasis, line } from 'd3-shape';

/** A state box: the request states of core-rs `ReqState`, plus the SQE before it is a request. */
export type DiagramState =
  | 'sqe'
  | 'prepped'
  | 'linked'
  | 'failed_prep'
  | 'iowq_queued'
  | 'issuing'
  | 'inflight'
  | 'tw_pending'
  | 'complete_pending'
  | 'done'
  /** Generic lifecycle: in flight, waiting on its file's wait queue (async poll or POLL_ADD). */
  | 'poll_armed'
  /** Generic lifecycle: in flight, waiting for its timer (TIMEOUT, LINK_TIMEOUT). */
  | 'timed';

export interface DiagramNode {
  id: DiagramState;
  label: string;
  /** Centre. */
  x: number;
  y: number;
}

export interface DiagramEdge {
  from: DiagramState;
  to: DiagramState;
  label: string;
  /** Points the edge bends through, between the two boxes. */
  via?: [number, number][];
}

export const DIAGRAM_WIDTH = 700;
export const DIAGRAM_HEIGHT = 244;
export const NODE_W = 100;
export const NODE_H = 32;

export const NODES: readonly DiagramNode[] = [
  { id: 'sqe', label: 'SQE in ring', x: 52, y: 120 },
  { id: 'prepped', label: 'prepped', x: 176, y: 120 },
  { id: 'linked', label: 'linked', x: 176, y: 34 },
  { id: 'failed_prep', label: 'failed prep', x: 176, y: 206 },
  { id: 'iowq_queued', label: 'io-wq queued', x: 300, y: 34 },
  { id: 'issuing', label: 'issuing', x: 300, y: 120 },
  { id: 'inflight', label: 'in flight', x: 424, y: 120 },
  { id: 'tw_pending', label: 'task_work', x: 526, y: 200 },
  { id: 'complete_pending', label: 'CQE pending', x: 540, y: 34 },
  { id: 'done', label: 'CQE posted', x: 644, y: 120 },
];

export const EDGES: readonly DiagramEdge[] = [
  { from: 'sqe', to: 'prepped', label: 'prep' },
  { from: 'sqe', to: 'failed_prep', label: 'bad SQE', via: [[52, 206]] },
  { from: 'sqe', to: 'linked', label: 'IO_LINK', via: [[52, 34]] },
  { from: 'linked', to: 'issuing', label: 'head done', via: [[240, 80]] },
  { from: 'prepped', to: 'issuing', label: 'inline' },
  { from: 'prepped', to: 'iowq_queued', label: 'ASYNC', via: [[226, 66]] },
  { from: 'iowq_queued', to: 'issuing', label: 'worker', via: [[286, 78]] },
  { from: 'issuing', to: 'iowq_queued', label: '-EAGAIN', via: [[316, 78]] },
  { from: 'issuing', to: 'inflight', label: '-EIOCBQUEUED' },
  { from: 'issuing', to: 'tw_pending', label: 'io-wq -EAGAIN: fail', via: [[318, 196]] },
  {
    from: 'issuing',
    to: 'complete_pending',
    label: 'returns res',
    via: [
      [370, 74],
      [450, 40],
    ],
  },
  { from: 'inflight', to: 'complete_pending', label: 'done(COMPLETE_DEFER)', via: [[480, 82]] },
  { from: 'inflight', to: 'tw_pending', label: 'complete_in_task', via: [[452, 190]] },
  { from: 'tw_pending', to: 'complete_pending', label: 'done()', via: [[566, 130]] },
  { from: 'complete_pending', to: 'done', label: 'flush', via: [[616, 62]] },
  {
    from: 'failed_prep',
    to: 'done',
    label: 'CQE(-err)',
    via: [
      [340, 236],
      [610, 234],
    ],
  },
];

/** The generic request lifecycle (every opcode but URING_CMD), in the same drawing size. */
export const GENERIC_NODES: readonly DiagramNode[] = [
  { id: 'sqe', label: 'SQE in ring', x: 52, y: 120 },
  { id: 'prepped', label: 'prepped', x: 176, y: 120 },
  { id: 'linked', label: 'linked', x: 176, y: 34 },
  { id: 'failed_prep', label: 'failed prep', x: 176, y: 206 },
  { id: 'iowq_queued', label: 'io-wq queued', x: 300, y: 34 },
  { id: 'issuing', label: 'issuing', x: 300, y: 120 },
  { id: 'timed', label: 'timer armed', x: 424, y: 60 },
  { id: 'poll_armed', label: 'waits (poll)', x: 424, y: 170 },
  { id: 'complete_pending', label: 'CQE pending', x: 540, y: 34 },
  { id: 'tw_pending', label: 'task_work', x: 540, y: 206 },
  { id: 'done', label: 'CQE posted', x: 644, y: 120 },
];

export const GENERIC_EDGES: readonly DiagramEdge[] = [
  { from: 'sqe', to: 'prepped', label: 'prep' },
  { from: 'sqe', to: 'failed_prep', label: 'bad SQE', via: [[52, 206]] },
  { from: 'sqe', to: 'linked', label: 'IO_LINK', via: [[52, 34]] },
  { from: 'linked', to: 'issuing', label: 'head done', via: [[240, 80]] },
  { from: 'prepped', to: 'issuing', label: 'inline' },
  { from: 'prepped', to: 'iowq_queued', label: 'ASYNC', via: [[226, 66]] },
  { from: 'iowq_queued', to: 'issuing', label: 'worker', via: [[286, 78]] },
  { from: 'issuing', to: 'iowq_queued', label: 'no poll: io-wq', via: [[316, 78]] },
  { from: 'issuing', to: 'poll_armed', label: '-EAGAIN: poll armed', via: [[352, 168]] },
  { from: 'issuing', to: 'timed', label: 'timer armed', via: [[356, 76]] },
  { from: 'poll_armed', to: 'tw_pending', label: 'woken / cancelled', via: [[500, 172]] },
  { from: 'timed', to: 'tw_pending', label: 'fires / removed', via: [[500, 116]] },
  {
    from: 'tw_pending',
    to: 'issuing',
    label: 'retry',
    via: [
      [430, 234],
      [320, 184],
    ],
  },
  { from: 'tw_pending', to: 'poll_armed', label: 'F_MORE CQE, waits again', via: [[470, 228]] },
  { from: 'tw_pending', to: 'complete_pending', label: 'complete', via: [[596, 130]] },
  {
    from: 'issuing',
    to: 'complete_pending',
    label: 'returns res',
    via: [
      [348, 38],
      [440, 12],
    ],
  },
  { from: 'complete_pending', to: 'done', label: 'flush', via: [[616, 62]] },
  {
    from: 'failed_prep',
    to: 'done',
    label: 'CQE(-err)',
    via: [
      [340, 238],
      [640, 238],
    ],
  },
];

/** One diagram: its boxes and transitions. */
export interface Diagram {
  nodes: readonly DiagramNode[];
  edges: readonly DiagramEdge[];
}

/** The uring_cmd state machine. */
export const URING_CMD_DIAGRAM: Diagram = { nodes: NODES, edges: EDGES };
/** The generic request lifecycle. */
export const GENERIC_DIAGRAM: Diagram = { nodes: GENERIC_NODES, edges: GENERIC_EDGES };

const byId = new Map(NODES.map((n) => [n.id, n]));
const genericById = new Map(GENERIC_NODES.map((n) => [n.id, n]));

/** A node by id (of the generic diagram with `d` = GENERIC_DIAGRAM). */
export function node(id: DiagramState, d: Diagram = URING_CMD_DIAGRAM): DiagramNode {
  return (d === GENERIC_DIAGRAM ? genericById : byId).get(id) as DiagramNode;
}

/** Where the segment from a box's centre towards `(tx, ty)` leaves the box. */
export function boxExit(n: DiagramNode, tx: number, ty: number, pad = 3): [number, number] {
  const dx = tx - n.x;
  const dy = ty - n.y;
  if (dx === 0 && dy === 0) return [n.x, n.y];
  const hw = NODE_W / 2 + pad;
  const hh = NODE_H / 2 + pad;
  const s = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return [n.x + dx * s, n.y + dy * s];
}

const curve = line<[number, number]>().curve(curveBasis);

/** The points of an edge, from the border of its source box to the border of its target box. */
export function edgePoints(e: DiagramEdge, d: Diagram = URING_CMD_DIAGRAM): [number, number][] {
  const a = node(e.from, d);
  const b = node(e.to, d);
  const via = e.via ?? [];
  const first = via[0] ?? [b.x, b.y];
  const last = via[via.length - 1] ?? [a.x, a.y];
  return [boxExit(a, first[0], first[1]), ...via, boxExit(b, last[0], last[1], 6)];
}

/** The SVG path of an edge. */
export function edgePath(e: DiagramEdge, d: Diagram = URING_CMD_DIAGRAM): string {
  return curve(edgePoints(e, d)) ?? '';
}

/** Where an edge's label goes: the middle of its control polygon. */
export function edgeLabelPoint(e: DiagramEdge, d: Diagram = URING_CMD_DIAGRAM): [number, number] {
  const pts = edgePoints(e, d);
  if (pts.length === 2) {
    // A straight edge between neighbours is short: its label goes above the boxes.
    const [a, b] = pts as [[number, number], [number, number]];
    return [(a[0] + b[0]) / 2, Math.min(a[1], b[1]) - NODE_H / 2 - 5];
  }
  const mid = pts[Math.floor(pts.length / 2)] as [number, number];
  return [mid[0], mid[1] - 6];
}

/** The edge between two states, if the diagram has one. */
export function edgeBetween(
  from: DiagramState,
  to: DiagramState,
  d: Diagram = URING_CMD_DIAGRAM,
): DiagramEdge | undefined {
  return d.edges.find((e) => e.from === from && e.to === to);
}
