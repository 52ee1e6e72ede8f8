// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetAll } from '../../test/core';
import { hoverByte, simStore } from '../../store';
import { SRC_FILE, SRC_LINE } from '../../test/story';
import { showStory } from '../../test/showStory';
import { highlightRust, splitHighlighted } from './highlight';

// A core that reports source lines: file SRC_FILE is a small driver.
const DRIVER = Array.from({ length: 100 }, (_, i) =>
  i === SRC_LINE - 1 ? '    cmd.write_pdu(&42u64)?; // the write' : `// line ${i + 1}`,
).join('\n');
vi.mock('../../captions/sources', async (orig) => ({
  ...(await orig<typeof import('../../captions/sources')>()),
  HAS_SOURCE_FILES: true,
  sourcePath: (id: number) => (id === 10 ? 'drivers/rust_misc_device_v5.rs' : null),
}));
vi.mock('./sourceText', () => ({
  sourceText: (p: string) => (p === 'drivers/rust_misc_device_v5.rs' ? DRIVER : null),
}));

const { CodeView } = await import('./CodeView');

afterEach(resetAll);

describe('CodeView', () => {
  it('lists the upstream functions of the step, linked to their source', () => {
    showStory(4);
    render(<CodeView />);
    const list = screen.getByTestId('step-functions');
    const names = [...list.querySelectorAll('li')].map((li) => li.getAttribute('data-fn'));
    expect(names).toEqual(['io_issue_sqe', 'io_uring_cmd', 'MiscdeviceVTable::uring_cmd', 'IoUringCmd::write_pdu']);
    const link = screen.getByRole('link', { name: 'io_uring_cmd()' });
    expect(link.getAttribute('href')).toBe('https://elixir.bootlin.com/linux/latest/A/ident/io_uring_cmd');
    expect(screen.getByRole('link', { name: 'io_uring/uring_cmd.c' }).getAttribute('href')).toBe(
      'https://github.com/torvalds/linux/blob/master/io_uring/uring_cmd.c',
    );
    expect(screen.getByText(/io_issue_sqe<\/code>|calls the opcode's issue handler/)).toBeTruthy();
    expect(list.textContent).toContain('not in mainline');
  });

  it('names the liburing call of an application step', () => {
    showStory(1);
    render(<CodeView />);
    expect(screen.getByTestId('step-functions').textContent).toContain('io_uring_get_sqe');
  });

  it('shows the Rust line running now, keeps the last one after, and marks the line that wrote a hovered byte', () => {
    showStory(4);
    const { container } = render(<CodeView />);
    const cur = screen.getByTestId('code-line-current');
    expect(cur.getAttribute('data-line')).toBe(String(SRC_LINE));
    expect(cur.className).toBe('current');
    expect(cur.getAttribute('aria-current')).toBe('step');
    expect(cur.textContent).toContain('write_pdu');
    expect(screen.getByText(/line 77 runs now/)).toBeTruthy();
    act(() => simStore.setState({ cursor: 5 }));
    expect(screen.getByTestId('code-line-current').className).toBe('last');
    expect(screen.getByText(/line 77 ran last/)).toBeTruthy();
    act(() => hoverByte('pdu', 0, 'pdu[0..8]', (SRC_FILE << 16) | 3, 1));
    expect(container.querySelector('tr[data-line="3"]')?.className).toBe('wrote');
  });
});

describe('CodeView layers', () => {
  it('highlights every line a step ran, numbered in the order they ran, with the last one current', () => {
    showStory(4);
    const s = simStore.getState();
    const f = s.frames[4]!;
    const first = { ...f.events.find((e) => e.srcFile)!, srcLine: 12 };
    const frames = s.frames.slice();
    // The step ran line 12 of the driver, then its own line SRC_LINE.
    frames[4] = { ...f, events: [first, ...f.events] };
    act(() => simStore.setState({ frames }));
    const { container } = render(<CodeView />);
    const driver = container.querySelector('[data-layer="driver"]')!;
    const ran = [...driver.querySelectorAll('tr[data-order]')].map((r) => [
      r.getAttribute('data-order'),
      r.getAttribute('data-line'),
    ]);
    expect(ran).toEqual([
      ['1', '12'],
      ['2', String(SRC_LINE)],
    ]);
    expect(screen.getByTestId('code-line-current').getAttribute('data-line')).toBe(String(SRC_LINE));
    expect(driver.textContent).toContain(`lines 12 → ${SRC_LINE} runs now`);
  });

  it('shows the kernel C layer as outlines of upstream, linked to the kernel of the recordings', () => {
    showStory(4);
    const { container } = render(<CodeView />);
    const c = container.querySelector('[data-layer="c"]')!;
    expect(screen.getByTestId('c-outline-note').textContent).toMatch(
      /outlines of upstream v\d+\.\d+ written for Ringside, not the kernel's text/,
    );
    const outline = c.querySelector('.c-outline[data-fn="io_uring_cmd"]')!;
    expect(outline.querySelector('pre')!.textContent).toContain('file->f_op->uring_cmd(ioucmd, issue_flags)');
    expect(outline.querySelector('a')!.getAttribute('href')).toMatch(
      /^https:\/\/elixir\.bootlin\.com\/linux\/v\d+\.\d+\/A\/ident\/io_uring_cmd$/,
    );
    // The uring_cmd functions come first.
    expect(c.querySelector('.c-outline')!.getAttribute('data-fn')).toBe('io_uring_cmd');
  });
});

describe('CodeView without a device', () => {
  it('shows the Rust layers only for runs with a misc device or Rust code that ran', () => {
    showStory(1);
    const scenario = simStore.getState().scenario!;
    const { container, rerender } = render(<CodeView />);
    // Step 1: no Rust code has run yet, and the story names no device.
    expect(container.querySelector('[data-layer="driver"]')).toBeNull();
    expect(container.querySelector('[data-layer="abstraction"]')).toBeNull();
    expect(container.querySelector('[data-layer="c"]')).not.toBeNull();
    act(() =>
      simStore.setState({ scenario: { ...scenario, devices: [{ name: 'rust-misc', driver: 'rust_misc_device' }] } }),
    );
    rerender(<CodeView />);
    expect(container.querySelector('[data-layer="driver"]')?.textContent).toContain('nothing has run here yet');
    // Once the driver ran, its layer stays even without a device in the scenario.
    act(() => simStore.setState({ scenario, cursor: 4 }));
    rerender(<CodeView />);
    expect(container.querySelector('[data-layer="driver"]')).not.toBeNull();
  });
});

describe('Rust highlighting', () => {
  it('keeps each line well-formed when a span crosses a line break', () => {
    const lines = splitHighlighted('<span class="a">x\ny</span>z');
    expect(lines).toEqual(['<span class="a">x</span>', '<span class="a">y</span>z']);
    const out = highlightRust('/* a\n b */\nfn main() {}');
    expect(out).toHaveLength(3);
    for (const l of out) expect((l.match(/<span/g) ?? []).length).toBe((l.match(/<\/span>/g) ?? []).length);
    expect(out[2]).toContain('hljs-keyword');
    expect(highlightRust('let s = "<b>";')[0]).toContain('&lt;b&gt;');
  });
});
