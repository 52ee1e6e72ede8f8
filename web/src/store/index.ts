/**
 * The application store (zustand, vanilla): the timeline of frames and the playback cursor.
 *
 * The simulation controller is not state; it lives beside the store and actions call it, then
 * publish the frames it produced with one `setState`.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Frame } from '../sim/frame';
import type { Core } from '../wasm/load';
import { CoreDeadError } from '../wasm/load';
import { SimController, emptyScenario } from '../sim/controller';

export interface SimState {
  status: 'loading' | 'ready' | 'error';
  /** A message for the user: a load failure, a refused action, a core panic. */
  message: string | null;
  /** The core trapped: the panic text (the page offers a reset). */
  panic: string | null;
  frames: Frame[];
  cursor: number;
}

const initial: SimState = { status: 'loading', message: null, panic: null, frames: [], cursor: 0 };

export const simStore = createStore<SimState>()(() => ({ ...initial }));

/** React binding with a selector. */
export const useSim = <T,>(sel: (s: SimState) => T): T => useStore(simStore, sel);

let controller: SimController | null = null;

function publish(extra: Partial<SimState> = {}) {
  if (!controller) return;
  simStore.setState({ frames: controller.frames.slice(), cursor: controller.cursor, ...extra });
}

function guard(f: (c: SimController) => void) {
  if (!controller) return;
  try {
    f(controller);
    publish({ message: null });
  } catch (err) {
    if (err instanceof CoreDeadError) {
      simStore.setState({ panic: err.panic, message: err.message });
    } else {
      publish({ message: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** Starts a session on a loaded core: a fresh machine with one 8-entry ring. */
export function startSession(core: Core, entries = 8): void {
  controller = new SimController(core, emptyScenario(entries));
  publish({ status: 'ready', message: null, panic: null });
}

/** Records a load failure. */
export function loadFailed(message: string): void {
  simStore.setState({ status: 'error', message });
}

let nextUserData = 1n;

/** Writes a NOP SQE and publishes the SQ tail. */
export const submitNop = () =>
  guard((c) => c.apply({ kind: 'op', op: { op: 'prep', sqe: { opcode: 'NOP', user_data: Number(nextUserData++) } } }));
/** Calls `io_uring_enter` (submit everything pending, wait for nothing). */
export const enter = () => guard((c) => c.apply({ kind: 'op', op: { op: 'submit' } }));
/** Runs one unit of kernel work. */
export const stepKernel = () => guard((c) => c.apply({ kind: 'step' }));
/** Reads every visible CQE and stores the CQ head. */
export const reap = () => guard((c) => c.apply({ kind: 'op', op: { op: 'reap' } }));
/** Moves the cursor one frame back (restoring the core's memory). */
export const back = () => guard((c) => c.seek(c.cursor - 1));
/** Moves the cursor one frame forward in the recorded timeline. */
export const forward = () => guard((c) => c.seek(c.cursor + 1));
/** Moves the cursor to a frame. */
export const seek = (i: number) => guard((c) => c.seek(i));

/** Returns the store to its initial state (tests). */
export function resetStore(): void {
  controller = null;
  nextUserData = 1n;
  simStore.setState({ ...initial }, true);
}
