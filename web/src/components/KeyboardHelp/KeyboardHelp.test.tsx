// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { simStore } from '../../store';
import { KeyboardHelp } from './KeyboardHelp';

afterEach(resetAll);

describe('KeyboardHelp', () => {
  it('opens as a dialog listing the keys, and closes', () => {
    const { container } = render(<KeyboardHelp />);
    const dialog = container.querySelector('dialog') as HTMLDialogElement;
    expect(dialog.hasAttribute('open')).toBe(false);
    act(() => simStore.setState({ help: true }));
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(dialog.textContent).toContain('PageDown');
    expect(dialog.textContent).toContain('jump to chapter');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(simStore.getState().help).toBe(false);
    expect(dialog.hasAttribute('open')).toBe(false);
  });
});
