import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../test/fuzzRuns';
import { acceptSource, allowedOriginFrom, originPolicy, parseEmbedCommand } from './embedApi';

describe('embed API', () => {
  it('parses the documented commands', () => {
    expect(parseEmbedCommand({ type: 'ringside:play' })).toEqual({ ok: true, cmd: { type: 'ringside:play' } });
    expect(parseEmbedCommand({ type: 'ringside:seek', step: 12 })).toEqual({
      ok: true,
      cmd: { type: 'ringside:seek', step: 12 },
    });
  });

  it('ignores foreign messages and rejects malformed Ringside ones', () => {
    expect(parseEmbedCommand('hello')).toEqual({ ok: false, ignore: true });
    expect(parseEmbedCommand({ type: 'webpackOk' })).toEqual({ ok: false, ignore: true });
    expect(parseEmbedCommand({ type: 'ringside:seek', step: -1 })).toMatchObject({
      ok: false,
      error: expect.stringContaining('non-negative'),
    });
    expect(parseEmbedCommand({ type: 'ringside:launch' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('unknown message type'),
    });
  });

  it('never throws on arbitrary data', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        parseEmbedCommand(x);
      }),
      { numRuns: fuzzRuns(3000), seed: 3 },
    );
  });

  it('accepts only the parent, and only the configured origin', () => {
    const parent = {};
    expect(acceptSource({ source: parent, origin: 'https://a.example' }, parent, null)).toBe(true);
    expect(acceptSource({ source: {}, origin: 'https://a.example' }, parent, null)).toBe(false);
    expect(acceptSource({ source: parent, origin: 'https://evil.example' }, parent, 'https://a.example')).toBe(false);
    expect(allowedOriginFrom('?origin=https://docs.example')).toBe('https://docs.example');
    expect(allowedOriginFrom('?origin=https://docs.example/path')).toBeNull();
    expect(allowedOriginFrom('?origin=javascript:alert(1)')).toBeNull();
    expect(originPolicy('?s=x')).toEqual({ kind: 'any' });
    expect(originPolicy('?origin=https://docs.example')).toEqual({ kind: 'only', origin: 'https://docs.example' });
    expect(originPolicy('?origin=https://docs.example/path')).toEqual({
      kind: 'invalid',
      value: 'https://docs.example/path',
    });
  });
});
