/**
 * The presenting window's side of the speaker view: while presenter mode is on, it publishes
 * where it is on the presenter BroadcastChannel (share/presenterSync.ts) and obeys the speaker
 * view's commands. The speaker view is this page with `?speaker`, in a second window.
 */
import { useEffect } from 'react';
import { CHANNEL_NAME, type PresenterMessage, connectPresenter } from '../share/presenterSync';
import {
  type SimState,
  presentChapter,
  presentEdge,
  presentNext,
  presentPrev,
  selChapterIndex,
  simStore,
  useSim,
} from '../store';

/** The position message for the speaker view. */
export function positionOf(s: SimState): PresenterMessage {
  const at = selChapterIndex(s);
  const ch = s.chapters[at];
  return {
    type: 'position',
    scenario: s.base?.title ?? 'Ringside',
    step: s.cursor,
    total: Math.max(0, s.frames.length - 1),
    chapter: at + 1,
    chapterTitle: ch?.title ?? null,
    notes: ch?.notes ?? null,
    caption: s.models[s.cursor]?.caption ?? null,
    nextCaption: s.models[s.cursor + 1]?.caption ?? null,
  };
}

/** Keeps the speaker view in step while presenting. */
export function usePresenterSync(): void {
  const presenting = useSim((s) => s.presenting);
  useEffect(() => {
    if (!presenting || typeof BroadcastChannel === 'undefined') return;
    const link = connectPresenter(new BroadcastChannel(CHANNEL_NAME), (m) => {
      if (m.type === 'hello') link.send(positionOf(simStore.getState()));
      else if (m.type === 'command') {
        if (m.command === 'next') presentNext();
        else if (m.command === 'prev') presentPrev();
        else if (m.command === 'first' || m.command === 'last') presentEdge(m.command);
        else if (m.command === 'chapter' && m.chapter !== undefined) presentChapter(m.chapter);
      }
    });
    link.send(positionOf(simStore.getState()));
    const unsub = simStore.subscribe((s, prev) => {
      if (s.cursor !== prev.cursor || s.frames !== prev.frames || s.chapters !== prev.chapters || s.card !== prev.card)
        link.send(positionOf(s));
    });
    return () => {
      unsub();
      link.close();
    };
  }, [presenting]);
}

/** Opens the speaker view in a second window. */
export function openSpeakerView(): void {
  const u = new URL(location.href);
  u.hash = '';
  u.search = '?speaker';
  window.open(u.href, 'ringside-speaker', 'width=960,height=640');
}
