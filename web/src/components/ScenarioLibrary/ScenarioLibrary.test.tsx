// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import { LIBRARY, simStore, startSession } from '../../store';
import { ScenarioLibrary } from './ScenarioLibrary';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);

describe('ScenarioLibrary', () => {
  it('lists every scenario with its intro and opens one', () => {
    startSession(core);
    simStore.setState({ page: 'library' });
    const { container } = render(<ScenarioLibrary />);
    expect(container.querySelectorAll('.card')).toHaveLength(LIBRARY.length + 1);
    expect(container.querySelector('[data-scenario="nop-batch"]')?.textContent).toMatch(
      /free-running head and tail counters wrap/,
    );
    // The start-here path comes first.
    expect(screen.getByTestId('start-here').querySelectorAll('li').length).toBeGreaterThan(5);
    fireEvent.click(screen.getByRole('button', { name: 'Open Six NOPs through a four-entry ring' }));
    expect(simStore.getState()).toMatchObject({ mode: 'guided', page: 'main', cursor: 0 });
    expect(simStore.getState().scenario?.id).toBe('nop-batch');
  });

  it('goes back to free play', () => {
    startSession(core, { scenario: 'nop-batch' });
    render(<ScenarioLibrary />);
    fireEvent.click(screen.getByRole('button', { name: 'Open free play' }));
    expect(simStore.getState().mode).toBe('free');
  });
});
