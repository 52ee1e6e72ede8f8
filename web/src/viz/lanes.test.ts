import { describe, expect, it } from 'vitest';
import { laneLayout, trackPath } from './lanes';
import { bucketFrames, frameAt, speedScale, timelineScale } from './timeline';

describe('lane layout', () => {
  const lanes = ['user', 'io_uring', 'driver'] as const;
  it('stacks lanes top to bottom and puts the cursor column at the right edge', () => {
    const l = laneLayout(lanes, 600, 300, 20, 10, 100, 16);
    expect(l.laneY('user')).toBeLessThan(l.laneY('io_uring'));
    expect(l.laneY('io_uring')).toBeLessThan(l.laneY('driver'));
    expect(l.frameX(20)).toBeCloseTo(584);
    expect(l.frameX(11)).toBeCloseTo(110);
    expect(l.from).toBe(11);
    expect(laneLayout(lanes, 600, 300, 3, 10).from).toBe(0);
  });

  it('draws a request path through its lanes', () => {
    const l = laneLayout(lanes, 600, 300, 3, 4);
    const d = trackPath(l, [
      { frame: 1, lane: 'user' },
      { frame: 2, lane: 'driver' },
      { frame: 3, lane: 'driver' },
    ]);
    expect(d.startsWith('M')).toBe(true);
    expect(trackPath(l, [])).toBe('');
  });
});

describe('timeline scales', () => {
  it('maps frames to x and back', () => {
    const x = timelineScale(101, 1000, 10);
    expect(x(0)).toBe(10);
    expect(x(100)).toBe(990);
    expect(frameAt(101, 1000, 500, 10)).toBe(50);
    expect(frameAt(101, 1000, -50, 10)).toBe(0);
  });

  it('buckets frames so a long timeline draws one tick per few pixels', () => {
    const b = bucketFrames(10_000, 600, 3);
    expect(b.length).toBeLessThan(220);
    expect(b[0]?.first).toBe(0);
    expect(b[b.length - 1]?.last).toBe(9999);
    expect(bucketFrames(5, 600, 3)).toHaveLength(5);
  });

  it('puts speed on a log scale', () => {
    const s = speedScale(0.25, 100);
    expect(s(0.25)).toBe(0);
    expect(s(100)).toBe(100);
    expect(s.invert(50)).toBeCloseTo(5, 0);
  });
});
