// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { IORING_OP_POLL_ADD, IORING_OP_READ, IORING_OP_TIMEOUT, IORING_OP_URING_CMD, simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { GENERIC_DIAGRAM } from '../../viz/stateDiagram';
import { StateDiagram, diagramFor, diagramState, stepPath } from './StateDiagram';

afterEach(resetAll);

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
    expect(screen.getByTestId('state-who').textContent).toContain('Request #42');
  });
});

describe('the transitions of one step', () => {
  const mv = (from: string, to: string, req = 1) => ({ req, from, to }) as never;
  const names = (p: ReturnType<typeof stepPath>) => p.map((e) => `${e.from}>${e.to}`);
  it('goes through the boxes the core recorded, not the shortest way', () => {
    // -EAGAIN: issued inline first, then punted (not the IOSQE_ASYNC edge).
    expect(
      names(stepPath('prepped', [mv('prepped', 'issuing'), mv('issuing', 'iowq_queued')], 1, 'iowq_queued')),
    ).toEqual(['prepped>issuing', 'issuing>iowq_queued']);
    // done() without COMPLETE_DEFER goes through task_work.
    expect(names(stepPath('inflight', [mv('inflight', 'tw_pending')], 1, 'tw_pending'))).toEqual([
      'inflight>tw_pending',
    ]);
    expect(
      names(stepPath('inflight', [mv('inflight', 'complete_pending'), mv('complete_pending', 'done')], 1, 'done')),
    ).toEqual(['inflight>complete_pending', 'complete_pending>done']);
    // Transitions of other requests do not move this one.
    expect(names(stepPath('inflight', [mv('inflight', 'done', 2)], 1, 'inflight'))).toEqual([]);
    // A freed request stays in the done box.
    expect(
      names(stepPath('complete_pending', [mv('complete_pending', 'done'), mv('done', 'free')], 1, 'done')),
    ).toEqual(['complete_pending>done']);
  });
});

describe('the generic request lifecycle', () => {
  const mv = (from: string, to: string, req = 1) => ({ req, from, to }) as never;
  const names = (p: ReturnType<typeof stepPath>) => p.map((e) => `${e.from}>${e.to}`);
  it('shows a READ in flight as a wait on its file, a TIMEOUT as a wait on its timer', () => {
    expect(diagramFor(IORING_OP_READ)).toBe(GENERIC_DIAGRAM);
    expect(diagramFor(IORING_OP_URING_CMD)).not.toBe(GENERIC_DIAGRAM);
    expect(diagramState('inflight', IORING_OP_READ)).toBe('poll_armed');
    expect(diagramState('inflight', IORING_OP_POLL_ADD)).toBe('poll_armed');
    expect(diagramState('inflight', IORING_OP_TIMEOUT)).toBe('timed');
    expect(diagramState('inflight', IORING_OP_URING_CMD)).toBe('inflight');
    // A READ on an empty pipe: issued inline, -EAGAIN, poll armed, in one step.
    expect(
      names(
        stepPath(
          'prepped',
          [mv('prepped', 'issuing'), mv('issuing', 'inflight')],
          1,
          diagramState('inflight', IORING_OP_READ),
          IORING_OP_READ,
        ),
      ),
    ).toEqual(['prepped>issuing', 'issuing>poll_armed']);
    // Woken: task_work retries it, and it completes.
    expect(
      names(
        stepPath(
          'tw_pending',
          [mv('tw_pending', 'issuing'), mv('issuing', 'complete_pending'), mv('complete_pending', 'done')],
          1,
          'done',
          IORING_OP_READ,
        ),
      ),
    ).toEqual(['tw_pending>issuing', 'issuing>complete_pending', 'complete_pending>done']);
  });
});
