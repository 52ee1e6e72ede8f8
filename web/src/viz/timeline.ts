/**
 * Scales of the timeline: frame index ↔ x, and the log-scaled speed control.
 */
import { scaleLinear, scaleLog } from 'd3-scale';

/** The x scale of a timeline of `count` frames drawn in `[pad, width - pad]`. */
export function timelineScale(count: number, width: number, pad = 12) {
  return scaleLinear()
    .domain([0, Math.max(1, count - 1)])
    .range([pad, Math.max(pad + 1, width - pad)])
    .clamp(true);
}

/** The frame under an x position. */
export function frameAt(count: number, width: number, x: number, pad = 12): number {
  return Math.round(timelineScale(count, width, pad).invert(x));
}

/** Speed (steps per second, log scale) ↔ a slider position in 0..100. */
export function speedScale(min: number, max: number) {
  return scaleLog().domain([min, max]).range([0, 100]).clamp(true);
}

/**
 * Groups frames into pixel buckets so a long timeline draws at most one tick per `px` pixels:
 * each bucket keeps the frames it covers.
 */
export function bucketFrames(
  count: number,
  width: number,
  px = 3,
  pad = 12,
): { x: number; first: number; last: number }[] {
  const x = timelineScale(count, width, pad);
  const out: { x: number; first: number; last: number }[] = [];
  for (let i = 0; i < count; i++) {
    const xi = Math.round(x(i) / px) * px;
    const b = out[out.length - 1];
    if (b && b.x === xi) b.last = i;
    else out.push({ x: xi, first: i, last: i });
  }
  return out;
}
