// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import { simStore, startSession } from '../../store';
import { Controls } from './Controls';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);

describe('Controls (free play)', () => {
  it('submits a NOP, enters the kernel and steps it; application actions wait while the task is in the kernel', () => {
    startSession(core);
    render(<Controls />);
    fireEvent.click(screen.getByRole('button', { name: 'Submit NOP' }));
    expect(simStore.getState().frames.at(-1)?.ring.sqTail).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'io_uring_enter' }));
    expect((screen.getByRole('button', { name: 'Submit NOP' }) as HTMLButtonElement).disabled).toBe(true);
    for (let i = 0; i < 20 && simStore.getState().frames.at(-1)?.taskState !== 0; i++)
      fireEvent.click(screen.getByRole('button', { name: 'Step' }));
    expect(simStore.getState().frames.at(-1)?.ring.cqTail).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Reap CQEs' }));
    expect(simStore.getState().frames.at(-1)?.ring.cqHead).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByTestId('cursor').textContent).toMatch(/^step \d+ \/ \d+$/);
    fireEvent.click(screen.getByRole('button', { name: 'Forward' }));
    expect(simStore.getState().cursor).toBe(simStore.getState().frames.length - 1);
  });
});
