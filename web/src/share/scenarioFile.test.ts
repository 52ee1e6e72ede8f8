import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readScenarioText } from './scenarioFile';
import { fuzzRuns } from '../test/fuzzRuns';

describe('reading scenario files', () => {
  it('names the line and column of a syntax error', () => {
    const r = readScenarioText('{\n  "format": "ringside-scenario",\n  "version": 1,,\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^not valid JSON at line 3, column \d+/);
  });

  it('passes schema errors through with their paths', () => {
    const r = readScenarioText(JSON.stringify({ format: 'ringside-scenario', version: 1 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContain('/id: expected lowercase words joined by dashes, found nothing');
  });

  it('never throws on arbitrary text (10k cases)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (t) => {
        readScenarioText(t);
      }),
      { numRuns: fuzzRuns(10_000), seed: 11 },
    );
  });
});
