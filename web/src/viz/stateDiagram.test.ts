import { describe, expect, it } from 'vitest';
import { pathBetween } from '../components/StateDiagram/StateDiagram';
import {
  DIAGRAM_HEIGHT,
  DIAGRAM_WIDTH,
  EDGES,
  GENERIC_DIAGRAM,
  NODES,
  URING_CMD_DIAGRAM,
  NODE_H,
  NODE_W,
  boxExit,
  edgeBetween,
  edgeLabelPoint,
  edgePath,
  edgePoints,
  node,
} from './stateDiagram';

describe('state diagram geometry', () => {
  it('keeps every box inside the drawing and apart from the others, in both diagrams', () => {
    for (const n of [...NODES, ...GENERIC_DIAGRAM.nodes]) {
      expect(n.x - NODE_W / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + NODE_W / 2).toBeLessThanOrEqual(DIAGRAM_WIDTH);
      expect(n.y - NODE_H / 2).toBeGreaterThanOrEqual(0);
      expect(n.y + NODE_H / 2).toBeLessThanOrEqual(DIAGRAM_HEIGHT);
      const same = NODES.includes(n) ? NODES : GENERIC_DIAGRAM.nodes;
      for (const m of same) {
        if (m === n) continue;
        const apart = Math.abs(m.x - n.x) >= NODE_W + 8 || Math.abs(m.y - n.y) >= NODE_H + 8;
        expect(apart, `${n.id} and ${m.id} overlap`).toBe(true);
      }
    }
  });

  it('starts and ends every edge on the border of its boxes', () => {
    for (const [e, d] of [
      ...EDGES.map((x) => [x, URING_CMD_DIAGRAM] as const),
      ...GENERIC_DIAGRAM.edges.map((x) => [x, GENERIC_DIAGRAM] as const),
    ]) {
      const pts = edgePoints(e, d);
      const [a, b] = [pts[0] as [number, number], pts[pts.length - 1] as [number, number]];
      const onBorder = (p: [number, number], id: typeof e.from, pad: number) => {
        const n = node(id, d);
        const dx = Math.abs(p[0] - n.x) - NODE_W / 2 - pad;
        const dy = Math.abs(p[1] - n.y) - NODE_H / 2 - pad;
        return Math.abs(Math.max(dx, dy)) < 0.01;
      };
      expect(onBorder(a, e.from, 3), `${e.from}>${e.to} start`).toBe(true);
      expect(onBorder(b, e.to, 6), `${e.from}>${e.to} end`).toBe(true);
      expect(edgePath(e, d)).toMatch(/^M/);
      expect(edgeLabelPoint(e, d).every(Number.isFinite)).toBe(true);
    }
    expect(boxExit(node('sqe'), node('sqe').x, node('sqe').y)).toEqual([node('sqe').x, node('sqe').y]);
  });

  it('follows the uring_cmd life of docs/kernel-notes.md §3.10', () => {
    const names = (p: ReturnType<typeof pathBetween>) => p.map((e) => `${e.from}>${e.to}`);
    expect(names(pathBetween('prepped', 'inflight'))).toEqual(['prepped>issuing', 'issuing>inflight']);
    expect(names(pathBetween('inflight', 'done'))).toEqual(['inflight>complete_pending', 'complete_pending>done']);
    expect(names(pathBetween('tw_pending', 'done'))).toEqual(['tw_pending>complete_pending', 'complete_pending>done']);
    expect(names(pathBetween('issuing', 'iowq_queued'))).toEqual(['issuing>iowq_queued']);
    expect(pathBetween('done', 'sqe')).toEqual([]);
    expect(pathBetween('inflight', 'inflight')).toEqual([]);
    expect(edgeBetween('issuing', 'inflight')?.label).toBe('-EIOCBQUEUED');
  });

  it('follows the generic request lifecycle of docs/opcodes.md', () => {
    const names = (p: ReturnType<typeof pathBetween>) => p.map((e) => `${e.from}>${e.to}`);
    const g = GENERIC_DIAGRAM.edges;
    // -EAGAIN, poll armed, woken, task_work, retried, done.
    expect(names(pathBetween('issuing', 'poll_armed', g))).toEqual(['issuing>poll_armed']);
    expect(names(pathBetween('poll_armed', 'issuing', g))).toEqual(['poll_armed>tw_pending', 'tw_pending>issuing']);
    expect(names(pathBetween('timed', 'done', g))).toEqual([
      'timed>tw_pending',
      'tw_pending>complete_pending',
      'complete_pending>done',
    ]);
    // A multishot poll goes back to waiting after its F_MORE CQE.
    expect(names(pathBetween('tw_pending', 'poll_armed', g))).toEqual(['tw_pending>poll_armed']);
    expect(edgeBetween('issuing', 'poll_armed', GENERIC_DIAGRAM)?.label).toBe('-EAGAIN: poll armed');
    // Every generic box but the SQE is reachable from it, and every one reaches "CQE posted".
    for (const n of GENERIC_DIAGRAM.nodes) {
      if (n.id !== 'sqe') expect(pathBetween('sqe', n.id, g).length, n.id).toBeGreaterThan(0);
      if (n.id !== 'done') expect(pathBetween(n.id, 'done', g).length, n.id).toBeGreaterThan(0);
    }
  });
});
