// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import { sandboxOp, seek, simStore, startSession } from '../../store';
import { BranchBar } from './BranchBar';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);

describe('BranchBar', () => {
  it('says a new branch started and offers the old future back, or drops it', () => {
    startSession(core, { scenario: 'nop-batch' });
    render(<BranchBar />);
    expect(screen.queryByTestId('branch-bar')).toBeNull();
    const total = simStore.getState().frames.length;
    act(() => {
      seek(2);
      sandboxOp({ op: 'reap' });
    });
    expect(screen.getByTestId('branch-bar').textContent).toContain(`Sandbox from Six NOPs`);
    expect(screen.getByTestId('branch-bar').textContent).toContain(
      `New branch from step 2. The old future (${total - 3} frames after step 2) is kept.`,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Return to the old future' }));
    expect(simStore.getState().frames).toHaveLength(total);
    expect(screen.getByTestId('branch-bar').getAttribute('data-branch')).toBe('none');
    act(() => {
      seek(1);
      sandboxOp({ op: 'reap' });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Drop the old future' }));
    expect(simStore.getState().branch).toBeNull();
    expect(simStore.getState().frames).toHaveLength(3);
  });
});
