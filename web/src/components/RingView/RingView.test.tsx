// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RingView } from './RingView';

afterEach(cleanup);

describe('RingView', () => {
  it('shows head, tail and mask and marks the live slots', () => {
    const { container } = render(
      <RingView kind="CQ" entries={8} head={6} tail={10} slots={[]} tailOwner="kernel" headOwner="application" />,
    );
    expect(screen.getByTestId('cq-head').textContent).toBe('6');
    expect(screen.getByTestId('cq-tail').textContent).toBe('10');
    const live = [...container.querySelectorAll('g.slot.live')].map((g) => Number(g.getAttribute('data-slot')));
    // Indices 6, 7, 8, 9 live in slots 6, 7, 0, 1 (index & mask).
    expect(live.sort()).toEqual([0, 1, 6, 7]);
    expect(container.querySelectorAll('g.slot')).toHaveLength(8);
  });

  it('marks SQEs written but not yet published as staged', () => {
    const { container } = render(
      <RingView kind="SQ" entries={4} head={1} tail={2} localTail={4} slots={[]} tailOwner="application" headOwner="kernel" />,
    );
    const staged = [...container.querySelectorAll('g.slot.staged')].map((g) => Number(g.getAttribute('data-slot')));
    expect(staged.sort()).toEqual([2, 3]);
  });
});
