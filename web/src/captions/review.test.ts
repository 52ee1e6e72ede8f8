import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANITIZERS } from './review';

// The review thread the product explains, as a saved mbox/text copy of the public mailing-list
// thread ("rust: miscdevice: abstraction for uring_cmd", RFC v3): point RINGSIDE_REVIEW_THREAD at
// it to check the quotes verbatim. A clone does not carry the thread, so without it this is skipped.
const SEED = process.env.RINGSIDE_REVIEW_THREAD ?? '';
const haveSeed = SEED !== '' && existsSync(SEED);

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

  it.skipIf(!haveSeed)('are verbatim from the thread (RINGSIDE_REVIEW_THREAD)', () => {
    // Join the thread's own (unquoted) lines so wrapped sentences compare as written.
    const text = readFileSync(SEED, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('>'))
      .join(' ')
      .replace(/\s+/g, ' ');
    for (const info of Object.values(SANITIZERS)) for (const q of info.review) expect(text).toContain(q.quote);
  });
});
