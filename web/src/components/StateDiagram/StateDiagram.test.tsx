// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetStore, simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { StateDiagram } from './StateDiagram';

afterEach(() => {
  cleanup();
  resetStore();
});

const current = (c: HTMLElement) => c.querySelector('g.state.current')?.getAttribute('data-state');
const taken = (c: HTMLElement) => [...c.querySelectorAll('g.edge.taken')].map((g) => g.getAttribute('data-edge'));

describe('StateDiagram', () => {
  it('lights the SQE box while the SQE waits in the ring', () => {
    showStory(1);
    const { container } = render(<StateDiagram />);
    expect(current(container)).toBe('sqe');
    expect(screen.getByTestId('state-who').textContent).toContain('No request yet');
  });

  it('walks the followed request through its states and draws the transitions it took', () => {
    showStory(3);
    const { container } = render(<StateDiagram />);
    expect(current(container)).toBe('prepped');
    expect(taken(container)).toEqual(['sqe>prepped']);
    act(() => simStore.setState({ cursor: 4 }));
    expect(current(container)).toBe('inflight');
    expect(taken(container)).toEqual(['prepped>issuing', 'issuing>inflight']);
    expect(screen.getByText('-EIOCBQUEUED')).toBeTruthy();
    act(() => simStore.setState({ cursor: 6 }));
    expect(current(container)).toBe('tw_pending');
    act(() => simStore.setState({ cursor: 7 }));
    expect(current(container)).toBe('done');
    expect(taken(container)).toEqual(['tw_pending>complete_pending', 'complete_pending>done']);
    expect(screen.getByTestId('state-who').textContent).toContain('Request 1 (user_data 42)');
  });
});
