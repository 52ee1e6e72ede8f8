/**
 * Property tests for scenario validation: every malformed document gets a ScenarioError with
 * at least one precise error, and nothing else is ever thrown.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioError, validateScenario } from './validate';
import { fuzzRuns } from '../test/fuzzRuns';

const valid = {
  format: 'ringside-scenario',
  version: 1,
  id: 'fuzz-base',
  title: 'T',
  intro: 'I',
  api: 'v5',
  ring: { entries: 4, flags: ['CQE32'] },
  devices: [{ name: 'dev', driver: 'rust_misc_device' }],
  program: [
    { op: 'open', device: 'dev', as: 'd' },
    { op: 'alloc', as: 'b', size: 8, init: { i32: [1, 2] } },
    { op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'd', user_data: 1, cmd: { u64: ['&b'] } } },
    { op: 'submit', wait: 1 },
    { op: 'reap' },
  ],
  chapters: [{ title: 'x', op: 0 }],
};

/** Replaces the value at a random path of `doc` by `v`. */
function mutate(doc: unknown, path: number[], v: unknown): unknown {
  if (path.length === 0 || typeof doc !== 'object' || doc === null) return v;
  const keys = Object.keys(doc as object);
  if (keys.length === 0) return v;
  const k = keys[(path[0] as number) % keys.length] as string;
  const copy: Record<string, unknown> = Array.isArray(doc)
    ? ([...doc] as unknown as Record<string, unknown>)
    : { ...(doc as Record<string, unknown>) };
  copy[k] = mutate(copy[k], path.slice(1), v);
  return copy;
}

describe('validateScenario (fuzzed)', () => {
  it('accepts the base document', () => {
    expect(validateScenario(structuredClone(valid)).id).toBe('fuzz-base');
  });

  it('only ever throws ScenarioError with located errors, for any mutation', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue(), (path, v) => {
        const doc = mutate(structuredClone(valid), path, v);
        try {
          validateScenario(doc);
        } catch (e) {
          expect(e).toBeInstanceOf(ScenarioError);
          const errs = (e as ScenarioError).errors;
          expect(errs.length).toBeGreaterThan(0);
          for (const x of errs) {
            expect(x.path === '' || x.path.startsWith('/')).toBe(true);
            expect(x.expected.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: fuzzRuns(10_000), seed: 7 },
    );
  });

  it('treats hostile strings as data', () => {
    const doc = structuredClone(valid) as Record<string, unknown>;
    doc.title = '<img src=x onerror=alert(1)>';
    doc.intro = '"; DROP TABLE; <script>alert(1)</script>';
    expect(validateScenario(doc).title).toBe('<img src=x onerror=alert(1)>');
  });
});
