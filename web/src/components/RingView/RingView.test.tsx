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
      <RingView
        kind="SQ"
        entries={4}
        head={1}
        tail={2}
        localTail={4}
        slots={[]}
        tailOwner="application"
        headOwner="kernel"
      />,
    );
    const staged = [...container.querySelectorAll('g.slot.staged')].map((g) => Number(g.getAttribute('data-slot')));
    expect(staged.sort()).toEqual([2, 3]);
    expect(screen.getByText('2 staged')).toBeTruthy();
  });

  it('labels slots, flashes changed ones, rings the followed one and says who owns the counters', () => {
    const { container } = render(
      <RingView
        kind="SQ"
        entries={4}
        head={0}
        tail={1}
        slots={[{ label: '#42', title: 'URING_CMD' }]}
        tailOwner="application"
        headOwner="kernel"
        changed={[0]}
        frameKey={3}
        focusSlot={0}
      />,
    );
    const g = container.querySelector('g.slot[data-slot="0"]');
    expect(g?.getAttribute('class')).toContain('changed');
    expect(g?.getAttribute('class')).toContain('focus');
    expect(g?.textContent).toContain('#42');
    expect(container.querySelector('.w-head')?.textContent).toContain('kernel');
    expect(container.querySelector('.w-tail')?.textContent).toContain('app');
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'SQ ring: 4 entries, head 0, tail 1, 1 SQE for the kernel',
    );
  });

  it('turns the markers by the free-running counter, so they keep moving forward past a wrap', () => {
    const { container, rerender } = render(
      <RingView kind="CQ" entries={4} head={3} tail={3} slots={[]} tailOwner="k" headOwner="a" />,
    );
    const angle = () =>
      Number(
        /rotate\(([-\d.]+)deg\)/.exec((container.querySelector('.marker.tail') as SVGGElement).style.transform)?.[1],
      );
    const before = angle();
    rerender(<RingView kind="CQ" entries={4} head={3} tail={5} slots={[]} tailOwner="k" headOwner="a" />);
    expect(angle()).toBeGreaterThan(before);
    expect(angle() - before).toBeCloseTo(180);
  });

  it('draws a ring with more slots than pixels as bands, not one path per slot', () => {
    const { container } = render(
      <RingView
        kind="SQ"
        entries={32768}
        head={100}
        tail={300}
        localTail={310}
        slots={[]}
        tailOwner="application"
        headOwner="kernel"
        changed={[5, 6]}
        frameKey={1}
        focusSlot={200}
      />,
    );
    // The whole ring, the live band, the staged band, two changed marks and the focus mark.
    expect(container.querySelectorAll('g.slot').length).toBe(6);
    expect(container.querySelector('g.slot.live title')?.textContent).toBe('SQ slots 100 to 299: 200 live');
    expect(container.querySelector('g.slot.staged title')?.textContent).toBe('SQ slots 300 to 309: 10 staged');
    expect([...container.querySelectorAll('g.slot.changed')].map((g) => g.getAttribute('data-slot'))).toEqual([
      '5',
      '6',
    ]);
    expect(container.querySelector('g.slot.focus')?.getAttribute('data-slot')).toBe('200');
    expect(screen.getByText('10 staged')).toBeTruthy();
  });
});
