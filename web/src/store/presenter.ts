/**
 * Presenter mode: the stage alone, full screen, driven by a clicker. Moving onto the first
 * frame of a chapter first shows the chapter's title card; the next press reveals the frame.
 * B or period blanks the screen (what a clicker's "blank" button sends); any key brings it back.
 */
import { back, forward, pause, seek } from './actions';
import { simStore } from './store';

/** Enters or leaves presenter mode. */
export function setPresenting(on: boolean): void {
  pause();
  simStore.setState({ presenting: on, blank: false, card: null, share: false, help: false, page: 'main' });
}

/** Blanks or unblanks the screen. */
export function toggleBlank(): void {
  simStore.setState({ blank: !simStore.getState().blank });
}

/** The chapter (index) that starts at frame `i`, or -1. */
function chapterAt(i: number): number {
  return simStore.getState().chapters.findIndex((c) => c.frame === i);
}

/** The next press: unblank, reveal the frame behind a title card, or move on (card first). */
export function presentNext(): void {
  const s = simStore.getState();
  if (s.blank) return void simStore.setState({ blank: false });
  if (s.card !== null) return void simStore.setState({ card: null });
  if (s.cursor >= s.frames.length - 1) return;
  forward();
  // A checkpoint's question came up instead of the next frame.
  if (simStore.getState().cursor === s.cursor) return;
  const ch = chapterAt(simStore.getState().cursor);
  // A new chapter shows the panels it declares.
  if (ch >= 0) simStore.setState({ card: ch, focus: null });
}

/** The previous press: unblank, or go back (a title card goes away with its frame). */
export function presentPrev(): void {
  const s = simStore.getState();
  if (s.blank) return void simStore.setState({ blank: false });
  if (s.card !== null) simStore.setState({ card: null });
  back();
}

/** Jumps to a chapter, showing its title card. */
export function presentChapter(n: number): void {
  const ch = simStore.getState().chapters[n];
  if (!ch || ch.frame < 0) return;
  seek(ch.frame);
  simStore.setState({ card: n, blank: false, focus: null });
}

/** First or last frame. */
export function presentEdge(which: 'first' | 'last'): void {
  const s = simStore.getState();
  simStore.setState({ card: null, blank: false });
  seek(which === 'first' ? 0 : s.frames.length - 1);
}
