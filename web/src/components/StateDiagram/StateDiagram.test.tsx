// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { StateDiagram, stepPath } from './StateDiagram';

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
  const ev = (event: string, a = 0, b = 0) => ({ step: 0, event, ctx: 'driver', ring: 1, req: 1, srcFile: 0, srcLine: 0, timeNs: 0, userData: 1n, a: BigInt(a), b: BigInt(b) }) as never;
  it('goes through the boxes the records name, not the shortest way', () => {
    const names = (p: ReturnType<typeof stepPath>) => p.map((e) => `${e.from}>${e.to}`);
    // -EAGAIN: issued inline first, then punted (not the IOSQE_ASYNC edge).
    expect(names(stepPath('prepped', [ev('sim_issue'), ev('sim_uring_cmd_issue'), ev('sim_uring_cmd_ret', -11), ev('io_uring_queue_async_work')], 1, 'iowq_queued'))).toEqual([
      'prepped>issuing',
      'issuing>iowq_queued',
    ]);
    // done() without COMPLETE_DEFER goes through task_work.
    expect(names(stepPath('inflight', [ev('sim_uring_cmd_done', 0, 0)], 1, 'tw_pending'))).toEqual(['inflight>tw_pending']);
    expect(names(stepPath('inflight', [ev('sim_uring_cmd_done', 0, 1), ev('io_uring_complete')], 1, 'done'))).toEqual(['inflight>complete_pending', 'complete_pending>done']);
    // Records of other requests do not move this one.
    expect(names(stepPath('inflight', [{ ...(ev('io_uring_complete') as object), req: 2 } as never], 1, 'inflight'))).toEqual([]);
  });
});

describe('io-wq -EAGAIN', () => {
  it('fails through task_work instead of being punted again', () => {
    const ev = (event: string, a = 0) => ({ step: 0, event, ctx: 'io-wq', ring: 1, req: 1, srcFile: 0, srcLine: 0, timeNs: 0, userData: 1n, a: BigInt(a), b: 0n }) as never;
    const p = stepPath('iowq_queued', [ev('sim_iowq_run'), ev('sim_issue'), ev('sim_uring_cmd_issue', 0xa), ev('sim_uring_cmd_ret', -11), ev('io_uring_task_add')], 1, 'tw_pending');
    expect(p.map((e) => `${e.from}>${e.to}`)).toEqual(['iowq_queued>issuing', 'issuing>tw_pending']);
  });
});
