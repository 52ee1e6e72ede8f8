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
    expect(text).toMatch(/SQPOLL and NO_MMAP rings with user memory/);
    expect(text).toMatch(/IOPOLL rings are modelled for uring_cmd/);
    expect(screen.getByRole('heading', { name: 'Not modelled' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the visualizer' }));
    expect(simStore.getState().page).toBe('main');
  });

  it("lists the opcodes from the core's own table, modelled and not, and how an unmodelled one is answered", () => {
    render(<ModelPage />);
    const text = document.body.textContent ?? '';
    const modelled = document.querySelector('p > .opcode-list')?.textContent ?? '';
    expect(modelled.split(', ')).toEqual(
      expect.arrayContaining([
        'NOP',
        'READ',
        'WRITE',
        'READV',
        'WRITEV',
        'READ_FIXED',
        'WRITE_FIXED',
        'TIMEOUT',
        'LINK_TIMEOUT',
        'ASYNC_CANCEL',
        'URING_CMD',
      ]),
    );
    expect(modelled).not.toContain('FSYNC');
    expect(text).toMatch(/Not modelled \(\d+ opcodes\): answered with -4096/);
    expect(text).toContain('POLL_ADD');
    expect(text).toContain('one past MAX_ERRNO');
  });
});
