/**
 * Geometry of the lane diagram: one horizontal lane per execution context, one column per step
 * of a window ending at the cursor, and each request's path through the lanes. Pure math
 * (d3-scale, d3-shape); the component renders it.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { curveMonotoneX, line } from 'd3-shape';

export interface LaneLayout<L extends string> {
  width: number;
  height: number;
  /** Left edge of the step columns (lane titles sit left of it). */
  x0: number;
  /** Right edge of the history; the "now" column follows it. */
  xNow: number;
  /** The centre y of a lane. */
  laneY(l: L): number;
  laneHeight: number;
  /** The x of a frame's column. */
  frameX(frame: number): number;
  /** First and last frame of the window. */
  from: number;
  to: number;
}

/**
 * Lays out `lanes` in `width × height`, with step columns for frames `[to - window + 1, to]`.
 * The cursor's column sits at `xNow`; earlier columns spread to its left.
 */
export function laneLayout<L extends string>(
  lanes: readonly L[],
  width: number,
  height: number,
  to: number,
  window: number,
  titleWidth = 150,
  nowWidth = 16,
): LaneLayout<L> {
  const y = scaleBand<L>()
    .domain(lanes as L[])
    .range([4, height - 4])
    .paddingInner(0.12);
  const from = Math.max(0, to - window + 1);
  const x0 = titleWidth;
  const xNow = width - nowWidth;
  const x = scaleLinear()
    .domain([to - window + 1, to])
    .range([x0 + 10, xNow]);
  return {
    width,
    height,
    x0,
    xNow,
    laneY: (l) => (y(l) ?? 0) + y.bandwidth() / 2,
    laneHeight: y.bandwidth(),
    frameX: (f) => x(f),
    from,
    to,
  };
}

const path = line<[number, number]>().curve(curveMonotoneX);

/** A request's path through `(frame, lane)` points. */
export function trackPath<L extends string>(
  layout: LaneLayout<L>,
  points: readonly { frame: number; lane: L }[],
): string {
  // Each lane change is drawn as a short S between the two columns, so a path stays readable
  // where a request changes lane every step.
  const pts: [number, number][] = [];
  points.forEach((p, i) => {
    const x = layout.frameX(p.frame);
    const y = layout.laneY(p.lane);
    const prev = points[i - 1];
    if (prev && prev.lane !== p.lane) {
      const px = layout.frameX(prev.frame);
      pts.push([px + (x - px) * 0.35, layout.laneY(prev.lane)]);
      pts.push([px + (x - px) * 0.65, y]);
    }
    pts.push([x, y]);
  });
  return path(pts) ?? '';
}
