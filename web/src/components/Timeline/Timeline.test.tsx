// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import { simStore, startSession } from '../../store';
import { Timeline } from './Timeline';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);

const st = () => simStore.getState();

describe('Timeline', () => {
  it('moves through time with its buttons, the step field and the slider', () => {
    startSession(core, { scenario: 'nop-batch' });
    render(<Timeline />);
    const slider = screen.getByRole('slider', { name: 'Timeline' });
    expect(slider.getAttribute('aria-valuenow')).toBe('0');
    expect(slider.getAttribute('aria-valuemax')).toBe(String(st().frames.length - 1));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(st().cursor).toBe(1);
    expect(slider.getAttribute('aria-valuenow')).toBe('1');
    fireEvent.click(screen.getByRole('button', { name: 'Go to end' }));
    expect(st().cursor).toBe(st().frames.length - 1);
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(st().cursor).toBe(st().frames.length - 2);
    fireEvent.click(screen.getByRole('button', { name: 'Go to start' }));
    expect(st().cursor).toBe(0);
    const field = screen.getByTestId('jump') as HTMLInputElement;
    fireEvent.change(field, { target: { value: '12' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(st().cursor).toBe(12);
    fireEvent.click(screen.getByRole('button', { name: 'Next stop' }));
    expect(st().models[st().cursor]?.stops.length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Previous stop' }));
    expect(st().cursor).toBeLessThan(13);
  });

  it('draws a tick per step, coloured by its stops, and a flag per chapter', () => {
    startSession(core, { scenario: 'nop-batch' });
    const { container } = render(<Timeline />);
    expect(container.querySelectorAll('.tl-tick')).toHaveLength(st().frames.length);
    expect(container.querySelectorAll('.tl-tick.stop-cqe_posted').length).toBeGreaterThan(0);
    expect(container.querySelectorAll('.tl-chapter')).toHaveLength(4);
  });

  it('plays and pauses, sets the speed, and toggles breakpoints', () => {
    startSession(core, { scenario: 'nop-batch' });
    render(<Timeline />);
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(st().playing).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(st().playing).toBe(false);
    const speed = screen.getByRole('slider', { name: /speed/ });
    fireEvent.change(speed, { target: { value: '100' } });
    expect(st().speed).toBe(100);
    const bp = screen.getByRole('button', { name: 'CQE posted' });
    expect(bp.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(bp);
    expect(st().breakpoints.cqe_posted).toBe(false);
    expect(bp.getAttribute('aria-pressed')).toBe('false');
  });

  it('leaves stepping to the free-play buttons in free play', () => {
    startSession(core);
    render(<Timeline />);
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Previous' })).toBeNull();
    act(() => simStore.setState({ mode: 'guided' }));
    expect(screen.getByRole('button', { name: 'Next' })).toBeTruthy();
  });
});

describe('chapter flags', () => {
  it('never overlap: a flag too close to the one before moves right and keeps a pole to its step', async () => {
    const { layoutFlags } = await import('./Timeline');
    const x = (i: number) => i * 4;
    const flags = layoutFlags(
      [
        { frame: 6, title: 'a' },
        { frame: 7, title: 'b' },
        { frame: -1, title: 'never' },
        { frame: 8, title: 'c' },
        { frame: 30, title: 'd' },
      ],
      x,
      15,
    );
    expect(flags.map((f) => f.i)).toEqual([0, 1, 3, 4]);
    for (let k = 1; k < flags.length; k++) expect(flags[k]!.x).toBeGreaterThanOrEqual(flags[k - 1]!.x + 15);
    expect(flags[1]!.at).toBe(28);
    expect(flags[3]).toMatchObject({ at: 120, x: 120 });
  });
});
