/**
 * Where chapters start, down to the trace record: a chapter names a program operation, or the
 * `nth` frame whose records include an event (docs/scenario-format.md). One kernel step can
 * hold several chapters' events (the v5 wrapper zeroes the PDU and the driver returns
 * -EIOCBQUEUED inside one `->uring_cmd()` call); the controller then splits that step's frame
 * into beats so that every chapter owns a frame of its own (see SimController.compile).
 */
import type { Chapter } from '../scenario/format';
import type { Frame } from './frame';

/** A chapter's start: its frame (-1 when its event never happens) and the record it starts at. */
export interface ChapterAnchor {
  frame: number;
  record: number;
}

/** Resolves each chapter to the frame, and the record inside it, where it starts. */
export function chapterAnchors(
  chapters: readonly Chapter[],
  frames: readonly Frame[],
  opFrames: readonly number[],
): ChapterAnchor[] {
  return chapters.map((ch) => {
    if (ch.op !== undefined) return { frame: opFrames[ch.op] ?? -1, record: 0 };
    if (!ch.event) return { frame: -1, record: 0 };
    let n = ch.nth ?? 1;
    for (const f of frames) {
      const r = f.events.findIndex((e) => e.event === ch.event);
      if (r >= 0 && --n === 0) return { frame: f.index, record: r };
    }
    return { frame: -1, record: 0 };
  });
}

/**
 * The cuts that give every chapter a frame of its own: for each frame where more than one
 * chapter starts, the record indices (after the first chapter's) at which the frame must be
 * split. Chapters that start on the very same record cannot be separated and are left as they
 * are (the chapter test reports them).
 */
export function chapterCuts(anchors: readonly ChapterAnchor[]): Map<number, number[]> {
  const byFrame = new Map<number, number[]>();
  for (const a of anchors) {
    if (a.frame < 0) continue;
    const list = byFrame.get(a.frame) ?? [];
    if (!list.includes(a.record)) list.push(a.record);
    byFrame.set(a.frame, list);
  }
  const out = new Map<number, number[]>();
  for (const [frame, records] of byFrame) {
    if (records.length < 2) continue;
    records.sort((x, y) => x - y);
    // The earliest chapter keeps the frame's start (its records before the anchor are the run-up).
    const cuts = records.slice(1).filter((r) => r > 0);
    if (cuts.length) out.set(frame, cuts);
  }
  return out;
}
