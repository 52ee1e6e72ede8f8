// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { RingsPanel } from './RingsPanel';

afterEach(resetAll);

describe('RingsPanel', () => {
  it('draws the SQ index array, the SQE array and the CQ ring of the frame on screen', () => {
    showStory(1);
    const { container } = render(<RingsPanel />);
    expect(screen.getByTestId('sq-tail').textContent).toBe('1');
    expect(screen.getByTestId('cq-tail').textContent).toBe('0');
    const boxes = container.querySelectorAll('.sqe-box');
    expect(boxes).toHaveLength(4);
    expect(boxes[0]?.className).toContain('pending');
    expect(boxes[0]?.textContent).toContain('#42');
    expect(boxes[1]?.className).toContain('empty');
    expect(screen.getByText('empty')).toBeTruthy();
  });

  it('shows a consumed SQE, the CQE and the followed request', () => {
    showStory(7);
    const { container } = render(<RingsPanel />);
    expect(container.querySelector('.sqe-box')?.className).toContain('consumed');
    const cqe = container.querySelector('.ring-cq g.slot.live');
    expect([...(cqe?.querySelectorAll('tspan') ?? [])].map((t) => t.textContent)).toEqual(['#42', '0']);
    expect(cqe?.querySelector('title')?.textContent).toBe('CQ slot 0: user_data 42, res 0');
    expect(container.querySelector('.ring-cq g.slot.focus')).not.toBeNull();
  });

  it('lists the overflow list in order and flags IORING_SQ_CQ_OVERFLOW', () => {
    showStory(5);
    const s = simStore.getState();
    const m = s.models[5];
    const f = s.frames[5];
    if (!m || !f) throw new Error('story');
    simStore.setState({
      models: s.models.map((x, i) =>
        i === 5
          ? {
              ...m,
              overflow: [
                { req: 7, userData: 9n, res: 0, flags: 0 },
                { req: 8, userData: 10n, res: -11, flags: 0 },
              ],
            }
          : x,
      ),
      frames: s.frames.map((x, i) => (i === 5 ? { ...f, ring: { ...f.ring, sqFlags: 2 } } : x)),
    });
    const { container } = render(<RingsPanel />);
    expect([...container.querySelectorAll('.overflow-cqe')].map((e) => e.textContent)).toEqual(['#9:0', '#10:-EAGAIN']);
    expect(screen.getByText('SQ_CQ_OVERFLOW').className).toBe('flag-on');
  });
});
