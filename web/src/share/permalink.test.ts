import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PANELS,
  THEMES,
  type ShareState,
  decodePermalink,
  decodePermalinkAsync,
  encodePermalink,
  encodePermalinkCompact,
} from './permalink';
import { fuzzRuns } from '../test/fuzzRuns';

const state: ShareState = {
  scenarioId: 'v5-queued-task-work',
  step: 42,
  theme: 'projector',
  panels: ['rings', 'code'],
  req: 3,
  byte: { region: 'pdu', offset: 4 },
};

describe('permalinks', () => {
  it('round-trips a state, including an embedded scenario', () => {
    const withDoc = { ...state, scenario: { id: 'sandbox', program: [{ op: 'reap', note: 'é ✓ <b>' }] } };
    const d = decodePermalink(encodePermalink(withDoc));
    expect(d).toEqual({ ok: true, state: withDoc });
  });

  it('carries a sandbox schedule with its scenario, and user-buffer bytes', () => {
    const sb = {
      ...state,
      scenario: { id: 'sandbox' },
      schedule: [0, 3, 0, 12],
      byte: { region: 'user-out' as const, offset: 7 },
    };
    expect(decodePermalink(encodePermalink(sb))).toEqual({ ok: true, state: sb });
    expect(decodePermalink('#p=1&s=a&k=1,2')).toMatchObject({
      ok: false,
      error: expect.stringContaining('needs the scenario'),
    });
    expect(decodePermalink('#p=1&s=a&k=1,-2&x=e30')).toMatchObject({
      ok: false,
      error: expect.stringContaining('step schedule (k=)'),
    });
    expect(decodePermalink('#p=1&s=a&b=user-Bad:1')).toMatchObject({
      ok: false,
      error: expect.stringContaining('byte (b=)'),
    });
  });

  it('compresses an embedded scenario (z=) and reads it back', async () => {
    const doc = {
      id: 'sandbox',
      intro: 'a long intro '.repeat(40),
      program: Array.from({ length: 30 }, (_, i) => ({ op: 'prep', sqe: { opcode: 'NOP', user_data: i } })),
    };
    const st = { ...state, scenario: doc, schedule: [0, 1, 2] };
    const compact = await encodePermalinkCompact(st);
    expect(compact).toMatch(/&z=[A-Za-z0-9_-]+$/);
    expect(compact.length * 3).toBeLessThan(encodePermalink(st).length);
    expect(await decodePermalinkAsync(compact)).toEqual({ ok: true, state: st });
    expect(await decodePermalinkAsync(encodePermalink(st))).toEqual({ ok: true, state: st });
    expect(decodePermalink(compact)).toMatchObject({
      ok: false,
      error: expect.stringContaining('needs decodePermalinkAsync'),
    });
    expect(await encodePermalinkCompact(state)).toBe(encodePermalink(state));
  });

  it('says what is wrong with a compressed scenario, and refuses a deflate bomb', async () => {
    expect(await decodePermalinkAsync('#p=1&s=a&z=%%')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not base64url'),
    });
    expect(await decodePermalinkAsync('#p=1&s=a&z=AAAA')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not valid deflate data'),
    });
    expect(await decodePermalinkAsync('#p=1&s=a&z=AA&x=e30')).toMatchObject({
      ok: false,
      error: expect.stringContaining('twice'),
    });
    const bomb = await encodePermalinkCompact({ ...state, scenario: 'x'.repeat(2_000_000) });
    expect(bomb.length).toBeLessThan(60_000);
    expect(await decodePermalinkAsync(bomb)).toMatchObject({
      ok: false,
      error: expect.stringContaining('expands beyond 524288 bytes'),
    });
  });

  it('is compact for library scenarios', () => {
    expect(encodePermalink(state).length).toBeLessThan(100);
  });

  it('says precisely what is wrong with a broken link', () => {
    expect(decodePermalink('#s=x')).toEqual({ ok: false, error: 'the link has no format version (p=)' });
    expect(decodePermalink('#p=9&s=x')).toMatchObject({
      ok: false,
      error: expect.stringContaining('newer Ringside (format 9)'),
    });
    expect(decodePermalink('#p=1&s=Bad_Id')).toMatchObject({
      ok: false,
      error: expect.stringContaining('scenario id'),
    });
    expect(decodePermalink('#p=1&s=a&t=-1')).toMatchObject({ ok: false, error: expect.stringContaining('step (t=)') });
    expect(decodePermalink('#p=1&s=a&th=neon')).toMatchObject({
      ok: false,
      error: expect.stringContaining('unknown theme'),
    });
    expect(decodePermalink('#p=1&s=a&pn=rings,x')).toMatchObject({
      ok: false,
      error: expect.stringContaining('unknown panel'),
    });
    expect(decodePermalink('#p=1&s=a&b=pdu')).toMatchObject({ ok: false, error: expect.stringContaining('byte (b=)') });
    expect(decodePermalink('#p=1&s=a&x=%%%')).toMatchObject({ ok: false, error: expect.stringContaining('base64url') });
    expect(decodePermalink('#p=1&s=a&x=bm90IGpzb24')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not valid'),
    });
  });

  it('never throws and always round-trips valid states (fuzzed)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        const r = decodePermalink(junk);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: fuzzRuns(5000), seed: 1 },
    );
    const arb = fc.record({
      scenarioId: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}$/),
      step: fc.nat(1e8),
      theme: fc.constantFrom(...THEMES),
      panels: fc.subarray([...PANELS], { minLength: 1 }),
    });
    fc.assert(
      fc.property(arb, (st) => {
        expect(decodePermalink(encodePermalink(st))).toEqual({ ok: true, state: st });
      }),
      { numRuns: fuzzRuns(2000), seed: 2 },
    );
  });
});
