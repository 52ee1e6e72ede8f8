// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import { setShare, simStore, startSession } from '../../store';
import { ShareDialog, embedSnippet, openScenarioText } from './ShareDialog';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);
const st = () => simStore.getState();

describe('ShareDialog', () => {
  it('shows the permalink of the screen and an iframe snippet', () => {
    startSession(core, { scenario: 'nop-batch', step: 4 });
    render(<ShareDialog />);
    expect(screen.queryByRole('dialog')).toBeNull();
    act(() => setShare(true));
    expect(screen.getByRole('dialog', { name: 'Share and export' })).toBeTruthy();
    expect((screen.getByTestId('permalink') as HTMLInputElement).value).toMatch(/#p=1&s=nop-batch&t=4&th=light&pn=/);
    const snippet = (screen.getByLabelText('Embed snippet') as HTMLTextAreaElement).value;
    // The snippet starts at the chapter on screen, not at the current step, and ends before the next chapter.
    const chs = st().chapters.filter((c) => c.frame >= 0);
    const ch = chs.filter((c) => c.frame <= 4).at(-1)!;
    const next = chs.find((c) => c.frame > ch.frame)!;
    expect(ch.frame).toBeLessThan(4);
    // The code panel stands beside the rings on every screen; the inspector's default tab is Bytes.
    const panels = 'rings,lanes,state,bytes,timeline';
    expect(snippet).toMatch(
      new RegExp(
        `^<iframe src="[^"]*embed\\.html\\?s=nop-batch&amp;from=${ch.frame}&amp;to=${next.frame - 1}&amp;panels=${panels}&amp;origin=${encodeURIComponent(location.origin).replace(/[.]/g, '\\.')}&amp;autoplay=0&amp;loop=0&amp;theme=light"`,
      ),
    );
    expect(screen.getByTestId('snippet-range').textContent).toContain(`Steps ${ch.frame}–${next.frame - 1}`);
    // A host origin that is not one is said so, and left out of the snippet.
    fireEvent.change(screen.getByLabelText('Host page origin'), { target: { value: 'not an origin' } });
    expect(screen.getByRole('alert').textContent).toContain('is not an origin');
    expect((screen.getByLabelText('Embed snippet') as HTMLTextAreaElement).value).not.toContain('origin=');
    expect(snippet).toContain('title="Six NOPs through a four-entry ring (Ringside)"');
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(st().share).toBe(false);
  });

  it('keeps hostile titles out of the snippet markup', () => {
    startSession(core, { scenario: 'nop-batch' });
    const s = { ...st(), base: { ...st().base!, title: '"><script>alert(1)</script>' } };
    const html = embedSnippet(s, 'https://x.example/embed.html', undefined, 'https://docs.example');
    expect(html).toContain('title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; (Ringside)"');
    const el = new DOMParser().parseFromString(html, 'text/html').body;
    expect([...el.children].map((c) => c.localName)).toEqual(['iframe']);
    expect(el.querySelector('script')).toBeNull();
    // Before the first chapter, the whole run.
    const last = st().frames.length - 1;
    expect(el.querySelector('iframe')?.getAttribute('src')).toBe(
      `https://x.example/embed.html?s=nop-batch&from=0&to=${last}&panels=rings,lanes,state,bytes,timeline&origin=https%3A%2F%2Fdocs.example&autoplay=0&loop=0&theme=light`,
    );
    startSession(core);
    expect(embedSnippet(st(), 'https://x.example/embed.html', undefined, null)).toMatch(
      /^<iframe src="https:\/\/x\.example\/embed\.html\?from=0&amp;to=0&amp;panels=[a-z,]+&amp;autoplay=0&amp;loop=0#p=1&amp;s=sandbox&amp;t=0/,
    );
  });

  it('reports a malformed scenario file by line and column and keeps the session', () => {
    startSession(core, { scenario: 'nop-batch', step: 3 });
    expect(openScenarioText('bad.json', '{\n  "format": 1,,\n}')).toBe(false);
    expect(st().problem?.title).toBe('bad.json could not be opened');
    expect(st().problem?.lines[0]).toMatch(/not valid JSON at line 2, column 15/);
    expect([st().base?.id, st().cursor]).toEqual(['nop-batch', 3]);
    const doc = JSON.parse(readFileSync(join(process.cwd(), 'scenarios', 'eagain-reissue.json'), 'utf8'));
    expect(openScenarioText('ok.json', JSON.stringify({ ...doc, id: 'uploaded' }))).toBe(true);
    expect([st().base?.id, st().source, st().problem]).toEqual(['uploaded', 'document', null]);
  });
});
