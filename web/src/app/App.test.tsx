// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../test/core';
import { loadScenario, simStore, startSession } from '../store';
import { App } from './App';
import { Core } from '../wasm/load';
import { fragmentFor, sandboxOp, stepKernel } from '../store';
import { EmbedApp } from './EmbedApp';
import { EmbedPlayer, parseEmbedOptions } from './embed';
import { openRequest, readLocation, readUrl, stripLegacy } from './url';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);

const st = () => simStore.getState();
const key = (k: string, target: Element = document.body, init: KeyboardEventInit = {}) =>
  act(() => void fireEvent.keyDown(target, { key: k, ...init }));

describe('App', () => {
  it('starts in free play with the foundation controls, whose names no other button shares', () => {
    render(<App />);
    act(() => startSession(core));
    const names = screen.getAllByRole('button').map((b) => b.getAttribute('aria-label') ?? b.textContent ?? '');
    // Playwright's getByRole(name) matches substrings, case-insensitively.
    for (const [word, only] of [
      ['step', 'Step'],
      ['back', 'Back'],
      ['forward', 'Forward'],
      ['submit nop', 'Submit NOP'],
      ['io_uring_enter', 'io_uring_enter'],
    ]) {
      expect(names.filter((n) => n.toLowerCase().includes(word as string))).toEqual([only]);
    }
    expect(screen.getByTestId('sq-tail').textContent).toBe('0');
    expect(screen.getByTestId('caption').textContent).toMatch(/io_uring_setup/);
  });

  it('walks a scenario with the keyboard: Space . PageDown forward, PageUp Backspace back, Home End, chapters, stops', () => {
    render(<App />);
    act(() => startSession(core, { scenario: 'nop-batch' }));
    key(' ');
    expect(st().cursor).toBe(1);
    key('.');
    key('PageDown');
    expect(st().cursor).toBe(3);
    key('PageUp');
    key('Backspace');
    expect(st().cursor).toBe(1);
    key('End');
    expect(st().cursor).toBe(st().frames.length - 1);
    key('Home');
    expect(st().cursor).toBe(0);
    key('3');
    expect(st().cursor).toBe(st().chapters[2]?.frame);
    key(']');
    expect(st().models[st().cursor]?.stops.length).toBeGreaterThan(0);
    expect(screen.getByTestId('caption').textContent).toBe(st().models[st().cursor]?.caption);
  });

  it('leaves keys alone in a field and Space to a focused button', () => {
    render(<App />);
    act(() => startSession(core, { scenario: 'nop-batch' }));
    const field = screen.getByTestId('jump');
    key(' ', field);
    key('5', field);
    key('Backspace', field);
    expect(st().cursor).toBe(0);
    const btn = screen.getByRole('button', { name: 'Library' });
    key(' ', btn);
    expect(st().cursor).toBe(0);
    key('PageDown', btn);
    expect(st().cursor).toBe(1);
    key(' ', document.body, { ctrlKey: true });
    expect(st().cursor).toBe(1);
  });

  it('opens the help, the library and the model page, switches the inspector and the theme', () => {
    render(<App />);
    act(() => startSession(core, { scenario: 'nop-batch' }));
    key('?');
    expect(st().help).toBe(true);
    key('?');
    expect(st().help).toBe(false);
    key('l');
    expect(st().page).toBe('library');
    expect(screen.getByRole('heading', { name: 'Scenarios' })).toBeTruthy();
    key(' ');
    expect(st().cursor).toBe(0);
    key('Escape');
    expect(st().page).toBe('main');
    key('m');
    expect(st().page).toBe('model');
    key('m');
    key('b');
    expect(st().inspector).toBe('bytes');
    const theme = st().theme;
    key('T', document.body, { shiftKey: true });
    expect(st().theme).not.toBe(theme);
    expect(document.documentElement.dataset.theme).toBe(st().theme);
  });

  it('switches scenario from the header and shows a refusal as a dismissible message', () => {
    render(<App />);
    act(() => startSession(core));
    fireEvent.change(screen.getByRole('combobox', { name: 'Scenario' }), { target: { value: 'cq-overflow-nop' } });
    expect(st().scenario?.id).toBe('cq-overflow-nop');
    act(() => void loadScenario('nope'));
    expect(screen.getByRole('alert').textContent).toContain('There is no scenario nope.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss message' }));
    expect(st().message).toBeNull();
  });
});

describe('the address bar', () => {
  it('still reads the older query form, and prefers a permalink in the fragment', () => {
    expect(readUrl('?s=nop-batch&step=12&theme=projector')).toEqual({
      scenario: 'nop-batch',
      step: 12,
      theme: 'projector',
    });
    expect(readUrl('?step=x&theme=neon')).toEqual({ scenario: null, step: undefined, theme: null });
    expect(readLocation('?s=nop-batch&step=3', '')).toEqual({
      kind: 'legacy',
      legacy: { scenario: 'nop-batch', step: 3, theme: null },
    });
    expect(readLocation('', '')).toEqual({ kind: 'none' });
    expect(readLocation('', '#top')).toEqual({ kind: 'none' });
    expect(readLocation('?s=x', '#p=1&s=nop-batch&t=4')).toMatchObject({
      kind: 'permalink',
      state: { scenarioId: 'nop-batch', step: 4 },
    });
    expect(readLocation('', '#p=7&s=nop-batch')).toMatchObject({
      kind: 'error',
      error: expect.stringContaining('newer Ringside'),
    });
    expect(stripLegacy('?s=a&step=2&theme=dark&embed=1')).toBe('?embed=1');
  });

  it('writes the screen as a versioned fragment: library scenarios by id, sandbox sessions whole', () => {
    startSession(core, { scenario: 'nop-batch', step: 7 });
    simStore.setState({ theme: 'dark' });
    expect(fragmentFor(st())).toBe('#p=1&s=nop-batch&t=7&th=dark&pn=rings%2Clanes%2Cstate%2Cbytes%2Ctimeline');
    act(() => {
      startSession(core);
    });
    expect(fragmentFor(st())).toMatch(/^#p=1&s=sandbox&t=0&th=dark&pn=[^&]+&k=0&x=[A-Za-z0-9_-]+$/);
  });
});

describe('sharing in the shell', () => {
  it('shows a malformed link as a problem and stays usable', () => {
    render(<App />);
    act(() => startSession(core));
    act(() => openRequest(readLocation('', '#p=1&s=nop-batch&th=neon')));
    expect(screen.getByTestId('problem').textContent).toContain('Unknown theme (th=) "neon"');
    expect(screen.getByTestId('problem').textContent).toContain('Ringside started in free play instead.');
    fireEvent.click(screen.getByRole('button', { name: 'Submit NOP' }));
    expect(st().frames.at(-1)?.ring.sqeTail).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('problem')).toBeNull();
  });

  it('hides panels from the View menu, opens Share, and presents with clicker keys', () => {
    render(<App />);
    act(() => startSession(core, { scenario: 'v5-queued-task-work' }));
    fireEvent.click(screen.getByLabelText('Lanes'));
    expect(st().panels.lanes).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(screen.getByRole('dialog', { name: 'Share and export' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close share and export' }));
    fireEvent.click(screen.getByRole('button', { name: 'Present' }));
    expect(st().presenting).toBe(true);
    expect(document.querySelector('.app-header')).toBeNull();
    key('PageDown');
    key('ArrowRight');
    expect(st().cursor).toBe(2);
    key('PageUp');
    expect(st().cursor).toBe(1);
    key('2');
    expect(screen.getByTestId('title-card').textContent).toContain(st().chapters[1]?.title ?? '?');
    key('b');
    expect(screen.getByTestId('blank-screen')).toBeTruthy();
    key('.');
    expect(screen.queryByTestId('blank-screen')).toBeNull();
    key('Escape');
    expect(st().presenting).toBe(false);
    expect(document.querySelector('.app-header')).not.toBeNull();
  }, 20_000); // The whole shell in jsdom, with the focused stage: slow on a loaded machine.

  it('shows a core panic with its text and offers the last good state', async () => {
    const box = { msg: null as string | null };
    const real = await loadTestCore();
    const exports = { ...real.exports };
    exports.rs_step = () => {
      box.msg = 'panicked at core-rs/src/sim/mod.rs:9:9: <img src=x onerror=alert(1)>';
      throw new WebAssembly.RuntimeError('unreachable');
    };
    render(<App />);
    act(() => startSession(new Core(exports, box), { spawn: loadTestCore }));
    act(() => void sandboxOp({ op: 'prep', sqe: { opcode: 'NOP' } }));
    act(() => stepKernel());
    const panel = screen.getByTestId('panic');
    expect(panel.textContent).toContain('panicked at core-rs/src/sim/mod.rs:9:9: <img src=x onerror=alert(1)>');
    expect(panel.querySelector('img')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Return to the last good state' }));
    await waitFor(() => expect(screen.queryByTestId('panic')).toBeNull(), { timeout: 5000 });
    expect(st().frames.at(-1)?.ring.sqeTail).toBe(1);
  });

  it('renders the embed with its title, range and transport', () => {
    const player = new EmbedPlayer(parseEmbedOptions('?s=nop-batch&from=1&to=5'));
    render(<EmbedApp player={player} title="A <b>title</b>" />);
    act(() => startSession(core, { scenario: 'nop-batch' }));
    act(() => player.seek(0));
    expect(screen.getByTestId('embed-title').textContent).toBe('A <b>title</b>');
    expect(screen.getByTestId('embed-step').textContent).toBe('step 1 of 1–5');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.keyDown(document.querySelector('.embed')!, { key: 'ArrowRight' });
    expect(st().cursor).toBe(3);
    fireEvent.keyDown(document.querySelector('.embed')!, { key: 'End' });
    expect(st().cursor).toBe(5);
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
