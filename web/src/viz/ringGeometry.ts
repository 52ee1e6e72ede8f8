/**
 * Geometry of a ring drawn as a circle of slots: pure math with d3-shape, no DOM.
 */
import { arc } from 'd3-shape';

export interface SlotArc {
  slot: number;
  path: string;
  /** Centre of the slot's arc, for its label. */
  cx: number;
  cy: number;
}

/** Angle (radians, 0 = 12 o'clock, clockwise) of the middle of `slot` in a ring of `n`. */
export function slotAngle(slot: number, n: number): number {
  return ((slot + 0.5) / n) * 2 * Math.PI;
}

/** Arcs for `n` slots between radii `r0` and `r1`, with a small gap between slots. */
export function slotArcs(n: number, r0: number, r1: number, padAngle = 0.02): SlotArc[] {
  const gen = arc<{ startAngle: number; endAngle: number }>()
    .innerRadius(r0)
    .outerRadius(r1)
    .padAngle(Math.min(padAngle, Math.PI / n / 2));
  const out: SlotArc[] = [];
  for (let slot = 0; slot < n; slot++) {
    const a0 = (slot / n) * 2 * Math.PI;
    const a1 = ((slot + 1) / n) * 2 * Math.PI;
    const [cx, cy] = gen.centroid({ startAngle: a0, endAngle: a1 });
    out.push({ slot, path: gen({ startAngle: a0, endAngle: a1 }) ?? '', cx, cy });
  }
  return out;
}

/** Point at `radius` on the ray through the middle of `slot`. */
export function slotPoint(slot: number, n: number, radius: number): [number, number] {
  const a = slotAngle(slot, n);
  return [Math.sin(a) * radius, -Math.cos(a) * radius];
}

/** Whether free-running index `i` lies in the window `[head, tail)` (wrapping u32 arithmetic). */
export function inWindow(i: number, head: number, tail: number): boolean {
  return (i - head) >>> 0 < (tail - head) >>> 0;
}
