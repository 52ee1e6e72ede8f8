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
import type { Frame, RingBytes } from '../sim/frame';
import type { FrameModel, ResolvedChapter } from './model';

export type Theme = 'light' | 'dark' | 'projector';
export const THEMES: readonly Theme[] = ['light', 'dark', 'projector'];
export type Page = 'main' | 'library' | 'model';
export type InspectorTab = 'code' | 'bytes' | 'trace';
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
  /** The core trapped: the panic text (the page offers a reload). */
  panic: string | null;
}

export interface TimelineSlice {
  /** Guided scenario, or free play (the interactive sandbox). */
  mode: 'free' | 'guided';
  scenario: Scenario | null;
  frames: Frame[];
  models: FrameModel[];
  cursor: number;
  chapters: ResolvedChapter[];
  inspect: Inspect | null;
}

export interface PlaybackSlice {
  playing: boolean;
  /** Steps per second. */
  speed: number;
  /** Stop kinds that pause playback. */
  breakpoints: Record<StopKind, boolean>;
}

export interface UiSlice {
  theme: Theme;
  page: Page;
  inspector: InspectorTab;
  bytesMode: BytesMode;
  help: boolean;
  /** A request the viewer pinned (its serial); otherwise the frame's own focus is used. */
  pinned: number | null;
}

export type SimState = SessionSlice & TimelineSlice & PlaybackSlice & UiSlice;

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 100;

export function initialState(): SimState {
  return {
    status: 'loading',
    message: null,
    panic: null,
    mode: 'free',
    scenario: null,
    frames: [],
    models: [],
    cursor: 0,
    chapters: [],
    inspect: null,
    playing: false,
    speed: 2,
    breakpoints: Object.fromEntries(STOP_KINDS.map((k) => [k, k !== 'sqe_published'])) as Record<StopKind, boolean>,
    theme: 'light',
    page: 'main',
    inspector: 'code',
    bytesMode: 'typed',
    help: false,
    pinned: null,
  };
}

export const simStore = createStore<SimState>()(() => initialState());

/** React binding with a selector (pass a module-level selector; wrap object results in `useShallow`). */
export const useSim = <T,>(sel: (s: SimState) => T): T => useStore(simStore, sel);
