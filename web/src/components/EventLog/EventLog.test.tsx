// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { sourcePath } from '../../captions/sources';

import { showStory } from '../../test/showStory';
import { EventLog } from './EventLog';

afterEach(resetAll);

describe('EventLog', () => {
  it('lists the records of the step with their context and meaning', () => {
    showStory(4);
    const { container } = render(<EventLog />);
    const items = [...container.querySelectorAll('li')];
    expect(items.map((li) => li.getAttribute('data-event'))).toEqual([
      'sim_issue',
      'sim_uring_cmd_issue',
      'sim_pdu_zero',
      'sim_pdu_write',
      'sim_uring_cmd_ret',
    ]);
    expect(items[1]?.querySelector('.ctx')?.textContent).toBe('driver');
    // The file by name when the core has a SOURCE_FILES table, by id otherwise.
    expect(items[3]?.textContent).toContain(`${sourcePath(10) ?? 'src 10'}:77`);
  });

  it('marks sanitizer records and says when the step ran in user mode', () => {
    showStory(7, { sanitizer: true });
    const { container, unmount } = render(<EventLog />);
    expect(container.querySelector('li.sanitizer')?.getAttribute('data-event')).toBe('sanitizer_done_unlocked');
    unmount();
    showStory(1);
    render(<EventLog />);
    expect(screen.getByText(/application runs in user mode/)).toBeTruthy();
  });
});
