// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { simStore } from '../../store';
import { ModelPage } from './ModelPage';

afterEach(resetAll);

describe('ModelPage', () => {
  it('says which kernel it follows, that the Rust series is not merged, and what is left out', () => {
    simStore.setState({ page: 'model' });
    render(<ModelPage />);
    expect(screen.getByRole('heading', { name: 'Model and simplifications' })).toBeTruthy();
    const text = document.body.textContent ?? '';
    expect(text).toContain('v6.18');
    expect(text).toContain('6.18.44');
    expect(text).toContain('6.19');
    expect(text).toContain('not merged');
    expect(text).toMatch(/SQPOLL, hybrid polling/);
    expect(text).toMatch(/IOPOLL rings are modelled for uring_cmd/);
    expect(screen.getByRole('heading', { name: 'Not modelled' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the visualizer' }));
    expect(simStore.getState().page).toBe('main');
  });
});
