// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import { startSession } from '../../store';
import { Review } from './Review';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);

describe('Review', () => {
  it('runs both sides and highlights what differs, then walks the program side by side', async () => {
    startSession(core, { scenario: 'v3-sync-set-get', spawn: loadTestCore });
    render(<Review />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Comparison' }), { target: { value: 'v3-sync-set-get' } });
    await waitFor(() => expect(screen.getByTestId('review-count').textContent).toBe('3 of 3 requests differ.'));
    const sides = screen.getAllByTestId('review-side').map((s) => s.textContent);
    expect(sides[0]).toContain('rust_misc_device_v3');
    expect(sides[1]).toContain('rust_misc_device ·');
    const diff = [...document.querySelectorAll('tr.diff')].map((tr) => tr.getAttribute('data-field'));
    expect(diff).toEqual(expect.arrayContaining(['issue', 'postedIn', 'pdu']));
    expect(diff).not.toContain('sanitizers');
    expect(screen.getByTestId('review-op').textContent).toBe('1');
    fireEvent.click(screen.getByRole('button', { name: 'Next operation' }));
    expect(screen.getByTestId('review-op').textContent).toBe('2');
    expect(screen.getByRole('list', { name: 'RFC v3 API' })).toBeTruthy();
  });
});
