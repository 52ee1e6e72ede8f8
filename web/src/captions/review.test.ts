import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REVIEW_POINTS, SANITIZERS } from './review';

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

  it('of every review point are shown where the list says, in the same words', () => {
    const dir = join(__dirname, '..', '..', '..', 'scenarios');
    expect(REVIEW_POINTS.length).toBeGreaterThanOrEqual(7);
    for (const p of REVIEW_POINTS) {
      expect(p.quote.who).toMatch(/^[A-Z][a-z]+ [A-Z]/);
      expect(p.quote.date).toMatch(/^2025-\d\d-\d\d$/);
      expect(p.quote.on).toMatch(/^\[RFC PATCH v3 \d\/5\]/);
      expect(p.shown.length, p.point).toBeGreaterThan(0);
      for (const place of p.shown) {
        if (place.sanitizer) {
          const info = SANITIZERS[place.sanitizer];
          expect(info, place.sanitizer).toBeTruthy();
          expect((info?.review ?? []).map((q) => q.quote).join(' '), p.point).toContain(p.quote.quote);
        }
        if (place.scenario) {
          const doc = JSON.parse(readFileSync(join(dir, `${place.scenario}.json`), 'utf8')) as {
            intro: string;
            chapters?: { title: string; notes?: string }[];
          };
          const text = place.chapter ? (doc.chapters ?? []).find((c) => c.title === place.chapter)?.notes : doc.intro;
          expect(text, `${place.scenario} / ${place.chapter ?? 'intro'}`).toBeTruthy();
          // Names go with the words: the reviewer is named where the quote is shown.
          expect(text, p.point).toContain(p.quote.quote);
          const first = p.quote.who.split(' ')[0];
          expect(`${doc.intro} ${text}`, p.point).toContain(first);
        }
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
    for (const p of REVIEW_POINTS) expect(text, p.point).toContain(p.quote.quote);
  });
});
