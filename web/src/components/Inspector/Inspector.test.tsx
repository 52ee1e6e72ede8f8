// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { Inspector } from './Inspector';

afterEach(resetAll);

describe('Inspector', () => {
  it('switches between bytes and trace with clicks and arrow keys (the code has its own panel)', () => {
    showStory(4);
    render(<Inspector />);
    expect(screen.queryByRole('tab', { name: 'Code' })).toBeNull();
    expect(screen.getByRole('tab', { name: 'Bytes' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('tab', { name: 'Trace' }));
    expect(simStore.getState().inspector).toBe('trace');
    fireEvent.click(screen.getByRole('tab', { name: 'Bytes' }));
    expect(simStore.getState().inspector).toBe('bytes');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-bytes');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Bytes' }), { key: 'ArrowRight' });
    expect(simStore.getState().inspector).toBe('trace');
    expect(screen.getByRole('list', { name: 'Trace records of this step' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Trace' }), { key: 'ArrowRight' });
    expect(simStore.getState().inspector).toBe('bytes');
  });
});
