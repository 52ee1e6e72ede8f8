// @vitest-environment jsdom
import { act, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { hoverStore, simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { Lanes } from './Lanes';

afterEach(resetAll);

const token = (c: HTMLElement) => c.querySelector('g.token[data-req="1"]');

describe('Lanes', () => {
  it('draws a lane per context', () => {
    showStory(4);
    const { container } = render(<Lanes />);
    expect([...container.querySelectorAll('g.lane')].map((g) => g.getAttribute('data-lane'))).toEqual([
      'user',
      'io_uring',
      'driver',
      'io-wq',
      'device',
      'task_work',
    ]);
  });

  it('moves the request token from the driver to the device, then task_work', () => {
    showStory(4);
    const { container } = render(<Lanes />);
    expect(token(container)?.getAttribute('data-lane')).toBe('driver');
    expect(token(container)?.getAttribute('data-state')).toBe('inflight');
    expect(token(container)?.getAttribute('class')).toContain('active');
    // This step's records, by lane.
    expect(container.querySelector('g.lane-driver')?.getAttribute('class')).toContain('busy');
    expect([...container.querySelectorAll('.now-label')].map((t) => t.textContent).join(' ')).toContain(
      '->uring_cmd()',
    );
    act(() => simStore.setState({ cursor: 5 }));
    expect(token(container)?.getAttribute('data-lane')).toBe('device');
    expect(token(container)?.getAttribute('class')).toContain('waiting');
    act(() => simStore.setState({ cursor: 7 }));
    expect(token(container)?.getAttribute('data-lane')).toBe('task_work');
    expect(token(container)?.getAttribute('data-state')).toBe('done');
    // The path through the lanes.
    expect(container.querySelector('path.track')?.getAttribute('d')).toMatch(/^M/);
  });

  it('follows a request on click and lights it on hover', () => {
    showStory(5);
    const { container } = render(<Lanes />);
    const t = token(container) as Element;
    fireEvent.click(t);
    expect(simStore.getState().pinned).toBe(1);
    expect(t.getAttribute('aria-pressed')).toBe('true');
    fireEvent.mouseEnter(t);
    expect(hoverStore.getState().req).toBe(1);
    fireEvent.keyDown(t, { key: 'Enter' });
    expect(simStore.getState().pinned).toBeNull();
  });
});
