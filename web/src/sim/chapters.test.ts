/**
 * Every chapter of every scenario in scenarios/ owns a frame of its own: keys 1..9 and the
 * presenter's chapter cards reach each one, in order. A step whose records start two chapters is
 * shown in beats; seeking through the beats and rebuilding the session from its inputs give the
 * same frames.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../scenario/validate';
import { resolveChapters } from '../store/model';
import { loadCoreFromDisk } from '../wasm/node';
import { chapterAnchors, chapterCuts } from './chapters';
import { SimController } from './controller';
import type { Frame } from './frame';

const dir = join(__dirname, '..', '..', '..', 'scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** What a frame shows, for comparing two timelines. */
const shape = (f: Frame) => ({
  index: f.index,
  label: f.label,
  beat: f.beat,
  events: f.events.map((e) => e.event),
  sq: [f.ring.sqHead, f.ring.sqTail],
  cq: [f.ring.cqHead, f.ring.cqTail],
});

describe('chapterCuts', () => {
  it('cuts a frame before the second and later chapters that start in it', () => {
    const cuts = chapterCuts([
      { frame: 3, record: 4 },
      { frame: 3, record: 1 },
      { frame: 5, record: 0 },
      { frame: 3, record: 7 },
    ]);
    expect([...cuts]).toEqual([[3, [4, 7]]]);
  });
  it('leaves chapters on one record together (nothing can separate them)', () => {
    expect(
      chapterCuts([
        { frame: 2, record: 3 },
        { frame: 2, record: 3 },
      ]).size,
    ).toBe(0);
  });
});

describe('every chapter owns a frame', () => {
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    it(
      file,
      async () => {
        const s = validateScenario(JSON.parse(readFileSync(join(dir, file), 'utf8')));
        const c = SimController.compile(await loadCoreFromDisk(), s);
        const chapters = resolveChapters(s, c.frames, c.opFrames);
        chapters.forEach((ch, i) => {
          expect(ch.frame, `${s.id}: chapter ${i + 1} "${ch.title}" is reached`).toBeGreaterThanOrEqual(0);
          if (i > 0)
            expect(
              ch.frame,
              `${s.id}: chapter ${i + 1} "${ch.title}" starts after chapter ${i} "${chapters[i - 1]?.title}"`,
            ).toBeGreaterThan(chapters[i - 1]?.frame as number);
        });
        // The chapter's event is in its own frame (the beat starts with it, or the run-up to it).
        const anchors = chapterAnchors(s.chapters ?? [], c.frames, c.opFrames);
        anchors.forEach((a, i) => expect(a.frame, `${s.id}: chapter ${i + 1}`).toBe(chapters[i]?.frame));
        // Beats come in whole groups, only where chapters meet, and record every record once.
        const beats = c.frames.filter((f) => f.beat);
        for (const f of beats) expect(f.beat!.n).toBeLessThanOrEqual(f.beat!.of);
        if (beats.length) expect(c.hasBeats).toBe(true);
        if (!beats.length) return;
        // Seeking onto and across beats, and rebuilding from the inputs, give the same frames.
        const again = SimController.fromInputs(await loadCoreFromDisk(), s, c.inputs, c.opFrames);
        expect(again.frames.map(shape)).toEqual(c.frames.map(shape));
        for (const ch of chapters) {
          c.seek(ch.frame);
          expect(c.cursor).toBe(ch.frame);
        }
        c.seek(0);
        c.seek(c.frames.length - 1);
        expect(shape(c.frames[c.frames.length - 1]!)).toEqual(shape(again.frames[again.frames.length - 1]!));
      },
      60_000,
    );
  }
});
