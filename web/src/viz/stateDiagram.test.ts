import { describe, expect, it } from 'vitest';
import { pathBetween } from '../components/StateDiagram/StateDiagram';
import {
  DIAGRAM_HEIGHT,
  DIAGRAM_WIDTH,
  EDGES,
  NODES,
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
  it('keeps every box inside the drawing and apart from the others', () => {
    for (const n of NODES) {
      expect(n.x - NODE_W / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + NODE_W / 2).toBeLessThanOrEqual(DIAGRAM_WIDTH);
      expect(n.y - NODE_H / 2).toBeGreaterThanOrEqual(0);
      expect(n.y + NODE_H / 2).toBeLessThanOrEqual(DIAGRAM_HEIGHT);
      for (const m of NODES) {
        if (m === n) continue;
        const apart = Math.abs(m.x - n.x) >= NODE_W + 8 || Math.abs(m.y - n.y) >= NODE_H + 8;
        expect(apart, `${n.id} and ${m.id} overlap`).toBe(true);
      }
    }
  });

  it('starts and ends every edge on the border of its boxes', () => {
    for (const e of EDGES) {
      const pts = edgePoints(e);
      const [a, b] = [pts[0] as [number, number], pts[pts.length - 1] as [number, number]];
      const onBorder = (p: [number, number], id: typeof e.from, pad: number) => {
        const n = node(id);
        const dx = Math.abs(p[0] - n.x) - NODE_W / 2 - pad;
        const dy = Math.abs(p[1] - n.y) - NODE_H / 2 - pad;
        return Math.abs(Math.max(dx, dy)) < 0.01;
      };
      expect(onBorder(a, e.from, 3), `${e.from}>${e.to} start`).toBe(true);
      expect(onBorder(b, e.to, 6), `${e.from}>${e.to} end`).toBe(true);
      expect(edgePath(e)).toMatch(/^M/);
      expect(edgeLabelPoint(e).every(Number.isFinite)).toBe(true);
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
});
