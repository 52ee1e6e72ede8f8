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
    expect(snippet).toMatch(/^<iframe src="[^"]*embed\.html\?autoplay=0&amp;loop=0#p=1&amp;s=nop-batch&amp;t=4/);
    expect(snippet).toContain('title="Six NOPs through a four-entry ring (Ringside)"');
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(st().share).toBe(false);
  });

  it('keeps hostile titles out of the snippet markup', () => {
    startSession(core, { scenario: 'nop-batch' });
    const s = { ...st(), base: { ...st().base!, title: '"><script>alert(1)</script>' } };
    const html = embedSnippet(s, 'https://x.example/embed.html');
    expect(html).toContain('title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; (Ringside)"');
    const el = new DOMParser().parseFromString(html, 'text/html').body;
    expect([...el.children].map((c) => c.localName)).toEqual(['iframe']);
    expect(el.querySelector('script')).toBeNull();
    expect(el.querySelector('iframe')?.getAttribute('src')).toMatch(/^https:\/\/x\.example\/embed\.html\?autoplay=0&loop=0#p=1&s=nop-batch/);
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
