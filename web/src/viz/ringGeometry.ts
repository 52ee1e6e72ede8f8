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

/**
 * A ring with more slots than this is drawn as an aggregate: bands for the live and staged
 * windows instead of one path per slot (at 304 px a slot of a 512-entry ring is under 2 px).
 */
export const AGGREGATE_ABOVE = 256;

/**
 * The band covering `count` slots from `slot` (wrapping), between radii `r0` and `r1`; a band
 * narrower than `minAngle` radians is widened to it so a single slot stays visible.
 */
export function bandPath(slot: number, count: number, n: number, r0: number, r1: number, minAngle = 0): string {
  const span = Math.max((Math.min(count, n) / n) * 2 * Math.PI, minAngle);
  const a0 = (slot / n) * 2 * Math.PI - Math.max(0, minAngle - (count / n) * 2 * Math.PI) / 2;
  return (
    arc<{ startAngle: number; endAngle: number }>().innerRadius(r0).outerRadius(r1)({
      startAngle: a0,
      endAngle: a0 + span,
    }) ?? ''
  );
}
