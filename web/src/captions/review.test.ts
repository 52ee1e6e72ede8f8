import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANITIZERS } from './review';

// The review thread the product explains (read-only material beside the repository).
const SEED = new URL('../../../../shared/seed/000_3a76513bf376e9ab.txt', import.meta.url);
const haveSeed = existsSync(SEED);

describe('review quotes', () => {
  it('name who said what, when, on which patch', () => {
    for (const info of Object.values(SANITIZERS)) {
      for (const q of info.review) {
        expect(q.who).toMatch(/^[A-Z][a-z]+ [A-Z]/);
        expect(q.date).toMatch(/^2025-\d\d-\d\d$/);
        expect(q.on).toMatch(/^\[RFC PATCH v3 \d\/5\]/);
      }
    }
  });

  it.skipIf(!haveSeed)('are verbatim from the thread (shared/seed)', () => {
    // Join the thread's own (unquoted) lines so wrapped sentences compare as written.
    const text = readFileSync(SEED, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('>'))
      .join(' ')
      .replace(/\s+/g, ' ');
    for (const info of Object.values(SANITIZERS)) for (const q of info.review) expect(text).toContain(q.quote);
  });
});
