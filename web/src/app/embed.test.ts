import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadTestCore, resetAll } from '../test/core';
import { simStore, startSession } from '../store';
import { EmbedPlayer, connectHost, parseEmbedOptions, rangeOf, rangeProblems } from './embed';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(() => {
  vi.useRealTimers();
  resetAll();
});
const st = () => simStore.getState();

describe('embed options', () => {
  it('reads the documented parameters and ignores malformed ones', () => {
    expect(
      parseEmbedOptions(
        '?s=nop-batch&from=2&to=9&autoplay=1&loop=1&speed=4&theme=dark&title=Hi&panels=rings,bogus,lanes&origin=https://docs.example',
      ),
    ).toEqual({
      scenario: 'nop-batch',
      from: 2,
      to: 9,
      autoplay: true,
      loop: true,
      speed: 4,
      theme: 'dark',
      title: 'Hi',
      panels: ['rings', 'lanes'],
      origin: { kind: 'only', origin: 'https://docs.example' },
      quiz: true,
      problems: [
        'panels=: "bogus" is not a panel (panels are rings, lanes, state, bytes, code, timeline, log); ignored.',
      ],
    });
    const d = parseEmbedOptions('?s=Bad!&from=-1&speed=9999&theme=neon&autoplay=0&origin=nope');
    // Every malformed value is named, so the embed can say what it ignored.
    expect(d.problems.map((p) => p.split('=')[0])).toEqual(['from', 's', 'speed', 'theme']);
    expect(parseEmbedOptions('?s=nop-batch&quiz=0')).toMatchObject({ quiz: false, problems: [] });
    expect(parseEmbedOptions('?s=nop-batch&from=9&to=3&loop=maybe').problems).toEqual([
      'loop="maybe" is not 1 or 0; ignored.',
      'to=3 comes before from=9; the range ends at from.',
    ]);
    expect(rangeProblems({ from: 50, to: 60 }, 20)).toHaveLength(2);
    expect(rangeProblems({ from: 5, to: 20 }, 20)).toEqual([]);
    expect(d).toMatchObject({
      scenario: null,
      from: 0,
      to: null,
      autoplay: false,
      loop: false,
      speed: 2,
      theme: null,
      panels: null,
      origin: { kind: 'invalid', value: 'nope' },
    });
    expect(rangeOf({ from: 5, to: 99 }, 20)).toEqual({ from: 5, to: 20 });
    expect(rangeOf({ from: 50, to: null }, 20)).toEqual({ from: 20, to: 20 });
  });
});

describe('the embed player', () => {
  it('stays in its range, plays and loops', () => {
    vi.useFakeTimers();
    startSession(core, { scenario: 'nop-batch' });
    const p = new EmbedPlayer(parseEmbedOptions('?from=2&to=4&loop=1&speed=10'));
    p.seek(0);
    expect(st().cursor).toBe(2);
    p.seek(100);
    expect(st().cursor).toBe(4);
    p.play();
    expect([st().cursor, st().playing]).toEqual([2, true]);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      vi.advanceTimersByTime(100);
      seen.push(st().cursor);
    }
    expect(seen).toEqual([3, 4, 2, 3, 4, 2, 3, 4]);
    p.pause();
    expect(st().playing).toBe(false);
    expect(p.state()).toMatchObject({
      type: 'ringside:state',
      scenario: 'nop-batch',
      step: 4,
      from: 2,
      to: 4,
      playing: false,
    });
  });

  it('answers its parent only, from the allowed origin only, and posts state events there', () => {
    startSession(core, { scenario: 'nop-batch' });
    const posted: { m: { type: string; step?: number; error?: string }; to: string }[] = [];
    const parent = { postMessage: (m: never, to: string) => posted.push({ m, to }) };
    const listeners: ((e: unknown) => void)[] = [];
    const win = {
      parent,
      addEventListener: (_: string, f: (e: unknown) => void) => listeners.push(f),
      removeEventListener: () => {},
    } as unknown as Window;
    const p = new EmbedPlayer(parseEmbedOptions('?to=6&origin=https://docs.example'));
    const stop = connectHost(p, win);
    expect(posted[0]).toMatchObject({ m: { type: 'ringside:ready', step: 0 }, to: 'https://docs.example' });
    const send = (data: unknown, source: unknown = parent, origin = 'https://docs.example') =>
      listeners.forEach((f) => f({ data, source, origin }));
    send({ type: 'ringside:seek', step: 3 });
    expect(st().cursor).toBe(3);
    expect(posted.at(-1)?.m).toMatchObject({ type: 'ringside:state', step: 3 });
    send({ type: 'ringside:seek', step: 1 }, {});
    send({ type: 'ringside:seek', step: 1 }, parent, 'https://evil.example');
    expect(st().cursor).toBe(3);
    send({ type: 'ringside:step' });
    send({ type: 'ringside:step' });
    send({ type: 'ringside:step' });
    send({ type: 'ringside:step' });
    expect(st().cursor).toBe(6);
    send({ type: 'ringside:launch' });
    expect(posted.at(-1)?.m).toMatchObject({
      type: 'ringside:error',
      error: expect.stringContaining('unknown message type'),
    });
    send({ type: 'webpackOk' });
    expect(posted.at(-1)?.m.type).toBe('ringside:error');
    stop();
  });

  it('turns the API off for a malformed origin', () => {
    startSession(core, { scenario: 'nop-batch' });
    const listeners: unknown[] = [];
    const win = {
      parent: { postMessage: () => listeners.push('posted') },
      addEventListener: (_: string, f: unknown) => listeners.push(f),
    } as unknown as Window;
    connectHost(new EmbedPlayer(parseEmbedOptions('?origin=https://docs.example/x')), win);
    expect(listeners).toEqual([]);
  });
});
