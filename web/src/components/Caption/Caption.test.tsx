// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { simStore } from '../../store';
import { showStory } from '../../test/showStory';
import { Caption } from './Caption';

afterEach(resetAll);

describe('Caption', () => {
  it('says what the step does in a polite live region, with the chapter and the step number', () => {
    showStory(4);
    const { container } = render(<Caption />);
    const c = screen.getByTestId('caption');
    expect(c.getAttribute('aria-live')).toBe('polite');
    expect(c.textContent).toMatch(/^The core calls the driver's ->uring_cmd\(\)/);
    expect(screen.getByTestId('step-of').textContent).toBe('step 4 of 8');
    expect(container.querySelector('.where')?.textContent).toBe('A queued command · 1. Issue');
    expect(screen.getByRole('button', { name: 'Chapter 1: Issue' }).getAttribute('aria-current')).toBe('true');
    act(() => simStore.setState({ cursor: 7 }));
    expect(screen.getByRole('button', { name: 'Chapter 2: Completion' }).getAttribute('aria-current')).toBe('true');
  });

  it('reads free play when no scenario runs', () => {
    showStory(0);
    simStore.setState({ mode: 'free', chapters: [] });
    render(<Caption />);
    expect(screen.getByText('Free play')).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});

describe('line breaks', () => {
  it('keeps identifiers with hyphens whole', () => {
    showStory(4);
    render(<Caption />);
    const spans = [...screen.getByTestId('caption').querySelectorAll('.nowrap')].map((s) => s.textContent);
    expect(spans).toContain('->uring_cmd()');
    expect(spans).toContain('-EIOCBQUEUED:');
  });
});
