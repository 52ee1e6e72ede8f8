/**
 * Module-level selectors. Scalar selectors are used as they are; selectors returning objects
 * or arrays built on the fly must go through `useShallow`.
 */
import type { Frame } from '../sim/frame';
import type { FrameModel, ReqTrack } from './model';
import { DEFAULT_FOCUS, FOCUS_PANELS, type FocusPanel, MAX_FOCUS, type SimState } from './store';

export const selStatus = (s: SimState) => s.status;
export const selMessage = (s: SimState) => s.message;
export const selPanic = (s: SimState) => s.panic;
export const selMode = (s: SimState) => s.mode;
export const selScenario = (s: SimState) => s.scenario;
export const selCursor = (s: SimState) => s.cursor;
export const selLast = (s: SimState) => Math.max(0, s.frames.length - 1);
export const selFrame = (s: SimState): Frame | undefined => s.frames[s.cursor];
export const selPrevFrame = (s: SimState): Frame | undefined => s.frames[s.cursor - 1];
export const selModel = (s: SimState): FrameModel | undefined => s.models[s.cursor];
export const selRing = (s: SimState) => s.frames[s.cursor]?.ring;
export const selEvents = (s: SimState) => s.frames[s.cursor]?.events ?? EMPTY;
export const selCaption = (s: SimState) => s.models[s.cursor]?.caption ?? '';
export const selChapters = (s: SimState) => s.chapters;
export const selModels = (s: SimState) => s.models;
export const selFrames = (s: SimState) => s.frames;
export const selPlaying = (s: SimState) => s.playing;
export const selSpeed = (s: SimState) => s.speed;
export const selBreakpoints = (s: SimState) => s.breakpoints;
export const selTheme = (s: SimState) => s.theme;
export const selPage = (s: SimState) => s.page;
export const selInspector = (s: SimState) => s.inspector;
export const selBytesMode = (s: SimState) => s.bytesMode;
export const selHelp = (s: SimState) => s.help;
export const selInspect = (s: SimState) => s.inspect;
export const selPinned = (s: SimState) => s.pinned;
export const selReady = (s: SimState) => s.status === 'ready' && s.panic === null;
export const selInKernel = (s: SimState) => (s.frames[s.cursor]?.taskState ?? 0) !== 0;

const EMPTY: never[] = [];

/** The request the views follow: the pinned one if it is on screen, else the frame's focus. */
export const selFocusTrack = (s: SimState): ReqTrack | null => {
  const m = s.models[s.cursor];
  if (!m) return null;
  const id = s.pinned !== null && m.reqs.some((r) => r.serial === s.pinned) ? s.pinned : m.focus;
  return m.reqs.find((r) => r.serial === id) ?? null;
};

/** The focus request's track in the previous frame (for the edge it just took). */
export const selPrevFocusTrack = (s: SimState): ReqTrack | null => {
  const cur = selFocusTrack(s);
  if (!cur) return null;
  return s.models[s.cursor - 1]?.reqs.find((r) => r.serial === cur.serial) ?? null;
};

/** The chapter the cursor is in (index), or -1. */
export const selChapterIndex = (s: SimState): number => {
  let at = -1;
  s.chapters.forEach((c, i) => {
    if (c.frame >= 0 && c.frame <= s.cursor && (at < 0 || c.frame >= (s.chapters[at]?.frame ?? -1))) at = i;
  });
  return at;
};

/** Sanitizer records of the frame on screen. */
export const selSanitizers = (s: SimState) => {
  const f = s.frames[s.cursor];
  return f ? f.events.filter((e) => e.event.startsWith('sanitizer_')) : EMPTY;
};

/** Whether the stage is focused: fewer, larger panels (projector theme, presenter mode). */
export const selFocused = (s: SimState): boolean => s.presenting || s.theme === 'projector';

/** The panels the focused stage shows: the viewer's choice, else the chapter's, else the default. */
export const selFocusPanels = (s: SimState): readonly FocusPanel[] => {
  if (s.focus && s.focus.length) return s.focus;
  const ch = s.chapters[selChapterIndex(s)];
  const declared = ch?.panels?.filter((p): p is FocusPanel => (FOCUS_PANELS as readonly string[]).includes(p));
  return declared && declared.length ? declared.slice(0, MAX_FOCUS) : DEFAULT_FOCUS;
};
