/**
 * The application store (zustand, vanilla) and its React binding.
 *
 * The state is made of four slices, each owned by the actions in `actions.ts`:
 * - session: is the core loaded, did it panic, what should the user be told;
 * - timeline: the frames of the running scenario (or free play), their derived models, the
 *   chapters and the cursor, plus the bytes of the frame on screen;
 * - playback: playing, speed, which semantic stops are breakpoints;
 * - ui: theme, page, inspector tab, byte display mode, the help sheet, a pinned request.
 *
 * Hover state lives in its own tiny store (`hover.ts`) so that moving the pointer over bytes
 * does not wake the whole tree.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { STOP_KINDS, type StopKind } from '../captions/stops';
import type { Scenario } from '../scenario/format';
import type { BranchInfo } from '../sim/controller';
import type { Frame, RingBytes } from '../sim/frame';
import type { FrameModel, ResolvedChapter } from './model';

export type Theme = 'light' | 'dark' | 'projector';
export const THEMES: readonly Theme[] = ['light', 'dark', 'projector'];
export type Page = 'main' | 'library' | 'model' | 'review';
/** The panels of the stage a viewer can show or hide. */
export type StagePanel = 'rings' | 'lanes' | 'state' | 'inspector' | 'timeline';
export const STAGE_PANELS: readonly StagePanel[] = ['rings', 'lanes', 'state', 'inspector', 'timeline'];
export type InspectorTab = 'code' | 'bytes' | 'trace';
/**
 * The panels of the focused stage (projector theme and presenter mode): fewer, larger things.
 * A chapter may declare them (`panels` in the scenario); keys switch them.
 */
export type FocusPanel = 'rings' | 'lanes' | 'state' | 'code' | 'bytes' | 'trace';
export const FOCUS_PANELS: readonly FocusPanel[] = ['rings', 'lanes', 'state', 'code', 'bytes', 'trace'];
/** The focused stage shows at most this many panels side by side. */
export const MAX_FOCUS = 2;
/** What the focused stage shows when neither the viewer nor the chapter chose. */
export const DEFAULT_FOCUS: readonly FocusPanel[] = ['rings', 'code'];
export type BytesMode = 'typed' | 'raw';

export type { ResolvedChapter } from './model';

/** A user buffer of the scenario's program, read at the cursor. */
export interface UserBuffer {
  name: string;
  addr: number;
  bytes: Uint8Array;
  /** Who last wrote each byte (core-rs `Prov` names), when the core reports it. */
  prov?: string[];
  /** Source location (`file << 16 | line`) of the driver code that wrote each byte (0: userspace). */
  src?: number[];
}

/** The bytes of the frame on screen (read from the core's memory after a seek). */
export interface Inspect {
  frame: number;
  ring: RingBytes;
  user: UserBuffer[];
}

export interface SessionSlice {
  status: 'loading' | 'ready' | 'error';
  /** A message for the user: a load failure, a refused action, a core panic. */
  message: string | null;
  /** The core trapped: the panic text (the page offers a return to the last good frame). */
  panic: string | null;
  /** A problem the viewer must read (a link or a file that could not be opened), with its details. */
  problem: { title: string; lines: string[] } | null;
}

export interface TimelineSlice {
  /** Guided scenario, or free play (the interactive sandbox). */
  mode: 'free' | 'guided';
  scenario: Scenario | null;
  /**
   * The document the session runs: the guided scenario, or in free play the setup (ring,
   * devices, API generation) whose program the sandbox writes.
   */
  base: Scenario | null;
  /** Where the guided scenario came from: the library, or a document (upload, link). */
  source: 'library' | 'document';
  /** The future the last branch cut off, kept until it is restored or dropped. */
  branch: BranchInfo | null;
  frames: Frame[];
  models: FrameModel[];
  cursor: number;
  chapters: ResolvedChapter[];
  /** Predict-then-reveal questions of the guided scenario, placed and answered from the run. */
  checkpoints: import('../learn/checkpoints').ResolvedCheckpoint[];
  quiz: import('./quiz').QuizState;
  inspect: Inspect | null;
}

export interface PlaybackSlice {
  playing: boolean;
  /** Steps per second. */
  speed: number;
  /** Stop kinds that pause playback. */
  breakpoints: Record<StopKind, boolean>;
  /** Why playback last stopped, and where (null while playing or before any playback). */
  stopped: PlaybackStop | null;
}

/** Why playback stopped: a pause-at stop (which kinds), the end, a trap, or the viewer. */
export interface PlaybackStop {
  why: 'stop' | 'end' | 'panic' | 'paused';
  /** The step it stopped at. */
  step: number;
  /** For `stop`: the pause-at kinds of that step that stopped it. */
  kinds: StopKind[];
}

export interface UiSlice {
  theme: Theme;
  page: Page;
  inspector: InspectorTab;
  bytesMode: BytesMode;
  help: boolean;
  /** A request the viewer pinned (its serial); otherwise the frame's own focus is used. */
  pinned: number | null;
  /** The byte the viewer selected in the bytes view. */
  selectedByte: { region: string; offset: number } | null;
  /** Which stage panels are shown. */
  panels: Record<StagePanel, boolean>;
  /** The viewer's choice of focused panels (null: the chapter's, or DEFAULT_FOCUS). */
  focus: FocusPanel[] | null;
  /** The sandbox drawer is open (free play). */
  sandbox: boolean;
  /** The share and export dialog is open. */
  share: boolean;
  /** Presenter mode: chrome hidden, clicker keys, chapter title cards. */
  presenting: boolean;
  /** Presenter mode: the screen is blanked (B or period). */
  blank: boolean;
  /** Presenter mode: the title card of this chapter is on screen. */
  card: number | null;
  /** Review mode: the aligned step both stages show. */
  reviewAt: number;
}

/** Review mode: a comparison being run or shown (the sides come from store/review.ts). */
export interface ReviewSlice {
  review: {
    id: string;
    status: 'running' | 'ready' | 'error';
    left: import('./review').ReviewSide | null;
    right: import('./review').ReviewSide | null;
    error: string | null;
  } | null;
}

export type SimState = SessionSlice & TimelineSlice & PlaybackSlice & UiSlice & ReviewSlice;

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 100;

export function initialState(): SimState {
  return {
    status: 'loading',
    message: null,
    panic: null,
    problem: null,
    mode: 'free',
    scenario: null,
    base: null,
    source: 'library',
    branch: null,
    frames: [],
    models: [],
    cursor: 0,
    chapters: [],
    checkpoints: [],
    quiz: { on: true, asking: null, picked: {}, revealed: [] },
    inspect: null,
    playing: false,
    speed: 2,
    stopped: null,
    breakpoints: Object.fromEntries(STOP_KINDS.map((k) => [k, k !== 'sqe_published'])) as Record<StopKind, boolean>,
    theme: 'light',
    page: 'main',
    inspector: 'bytes',
    bytesMode: 'typed',
    help: false,
    pinned: null,
    selectedByte: null,
    panels: { rings: true, lanes: true, state: true, inspector: true, timeline: true },
    focus: null,
    sandbox: false,
    share: false,
    presenting: false,
    blank: false,
    card: null,
    reviewAt: 0,
    review: null,
  };
}

export const simStore = createStore<SimState>()(() => initialState());

/** React binding with a selector (pass a module-level selector; wrap object results in `useShallow`). */
export const useSim = <T>(sel: (s: SimState) => T): T => useStore(simStore, sel);
