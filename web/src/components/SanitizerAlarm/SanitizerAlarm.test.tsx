// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { SanitizerAlarm } from './SanitizerAlarm';

afterEach(resetAll);

describe('SanitizerAlarm', () => {
  it('stays away while nothing is wrong', () => {
    showStory(7);
    render(<SanitizerAlarm />);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('raises an alert with the explanation and the review comment behind it', () => {
    showStory(7, { sanitizer: true });
    render(<SanitizerAlarm />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('done() without uring_lock');
    expect(alert.textContent).toContain("needs to be called with the io_ring_ctx's uring_lock held");
    expect(alert.textContent).toContain('Caleb Sander Mateos, 2025-09-02');
    expect(alert.textContent).toContain('complete_in_task');
    fireEvent.click(screen.getByRole('button', { name: /Hide/ }));
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => simStore.setState({ cursor: 6 }));
    act(() => simStore.setState({ cursor: 7 }));
    expect(screen.getByRole('alert')).toBeTruthy();
  });
});
