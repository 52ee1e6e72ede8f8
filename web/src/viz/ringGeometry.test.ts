import { describe, expect, it } from 'vitest';
import { inWindow, slotAngle, slotArcs, slotPoint } from './ringGeometry';

describe('ring geometry', () => {
  it("places slot 0 just clockwise of 12 o'clock and spaces slots evenly", () => {
    expect(slotAngle(0, 4)).toBeCloseTo(Math.PI / 4);
    expect(slotAngle(3, 4) - slotAngle(2, 4)).toBeCloseTo(Math.PI / 2);
    const [x, y] = slotPoint(0, 4, 10);
    expect(x).toBeGreaterThan(0);
    expect(y).toBeLessThan(0);
  });

  it('builds one closed arc path per slot', () => {
    const arcs = slotArcs(8, 50, 80);
    expect(arcs).toHaveLength(8);
    for (const a of arcs) {
      expect(a.path.startsWith('M')).toBe(true);
      expect(Math.hypot(a.cx, a.cy)).toBeCloseTo(65, 0);
    }
  });

  it('treats head/tail as free-running u32 counters', () => {
    expect(inWindow(5, 4, 6)).toBe(true);
    expect(inWindow(6, 4, 6)).toBe(false);
    expect(inWindow(0, 0xfffffffe, 2)).toBe(true);
    expect(inWindow(2, 0xfffffffe, 2)).toBe(false);
  });
});
