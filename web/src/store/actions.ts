/**
 * Module-level actions (zustand "practice with no store actions"): the only code that talks to
 * the simulation controller. Components, keyboard commands and tests call these without hooks.
 *
 * Data flows one way: an action drives the controller, then `publish` puts the controller's
 * frames, their derived models, the cursor and the bytes of the frame on screen into the store
 * with one `setState`.
 */
import type { StopKind } from '../captions/stops';
import type { Op } from '../scenario/format';
import { SimController, emptyScenario } from '../sim/controller';
import { type Frame, readRingBytes } from '../sim/frame';
import { PROV_NAMES } from '../wasm/abi.generated';
import type { CoreExports } from '../wasm/exports';
import type { Core } from '../wasm/load';
import { CoreDeadError } from '../wasm/load';
import { type ModelCache, deriveModels, resolveChapters } from './model';
import { libraryEntry } from './scenarios';
import {
  type BytesMode,
  type Inspect,
  type InspectorTab,
  MAX_SPEED,
  MIN_SPEED,
  type Page,
  type SimState,
  type Theme,
  initialState,
  simStore,
} from './store';

let core: Core | null = null;
let controller: SimController | null = null;
let cache: ModelCache | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

/** User buffers are shown up to this many bytes. */
const USER_BYTES_SHOWN = 256;

function opOf(f: Frame): Op | undefined {
  const c = controller;
  // Frame 0 is io_uring_setup (op -1: no program operation ran yet).
  if (!c || f.index === 0) return undefined;
  if (f.op >= 0) return c.scenario.program[f.op];
  const input = c.inputs[f.index - 1];
  return input?.kind === 'op' ? input.op : undefined;
}

/** Who last wrote each byte of a user buffer, from the core's user-memory provenance arrays. */
function userWriters(c: SimController, addr: number, len: number): { prov: string[]; src: number[] } | undefined {
  const ex = c.core.exports as Partial<CoreExports>;
  if (typeof ex.rs_user_prov_ptr !== 'function' || typeof ex.rs_user_src_ptr !== 'function') return undefined;
  const base = c.core.call((e) => e.rs_user_mem_base()) >>> 0;
  const pp = c.core.call(() => (ex.rs_user_prov_ptr as () => number)()) >>> 0;
  const sp = c.core.call(() => (ex.rs_user_src_ptr as () => number)()) >>> 0;
  if (!pp || !sp) return undefined;
  const u8 = c.core.u8();
  const dv = c.core.view();
  const prov: string[] = [];
  const src: number[] = [];
  for (let i = 0; i < len; i++) {
    const off = addr - base + i;
    prov.push(PROV_NAMES[u8[pp + off] ?? 0] ?? 'fresh');
    src.push(dv.getUint32(sp + 4 * off, true));
  }
  return { prov, src };
}

function readInspect(c: SimController): Inspect {
  const user = Object.entries(c.rt.bufs).map(([name, b]) => {
    const len = Math.min(b.size, USER_BYTES_SHOWN);
    return { name, addr: b.addr, bytes: c.rt.mem.read(b.addr, len), ...userWriters(c, b.addr, len) };
  });
  return { frame: c.cursor, ring: readRingBytes(c.ring), user };
}

function publish(extra: Partial<SimState> = {}) {
  const c = controller;
  if (!c) return;
  cache = deriveModels(c.frames, opOf, cache);
  simStore.setState({ frames: cache.frames as Frame[], models: cache.models, cursor: c.cursor, inspect: readInspect(c), ...extra });
}

function fail(err: unknown) {
  if (err instanceof CoreDeadError) {
    stopTimer();
    simStore.setState({ panic: err.panic, message: err.message, playing: false });
  } else {
    simStore.setState({ message: err instanceof Error ? err.message : String(err) });
  }
}

function guard(f: (c: SimController) => void) {
  if (!controller) return;
  try {
    f(controller);
    publish({ message: null });
  } catch (err) {
    fail(err);
    try {
      publish();
    } catch {
      // The core is dead; the panic panel says so.
    }
  }
}

// ---- session ----

/** Starts a session on a loaded core, in free play (or on `scenario` at `step`, if given). */
export function startSession(loaded: Core, opts: { scenario?: string | null; step?: number } = {}): void {
  core = loaded;
  simStore.setState({ status: 'ready', message: null, panic: null });
  if (opts.scenario && loadScenario(opts.scenario)) {
    if (opts.step !== undefined) seek(opts.step);
    return;
  }
  freePlay();
}

/** Records a load failure. */
export function loadFailed(message: string): void {
  simStore.setState({ status: 'error', message });
}

/** Free play: a fresh machine with one 8-entry ring and nothing on it. */
export function freePlay(entries = 8): void {
  if (!core) return;
  pause();
  cache = null;
  nextUserData = 1n;
  try {
    controller = new SimController(core, emptyScenario(entries));
    publish({ mode: 'free', scenario: null, chapters: [], message: null, page: 'main', pinned: null });
  } catch (err) {
    fail(err);
  }
}

/** Compiles a library scenario and shows its first frame. Returns false if it cannot run. */
export function loadScenario(id: string): boolean {
  if (!core) return false;
  const entry = libraryEntry(id);
  if (!entry?.scenario) {
    simStore.setState({ message: entry ? `Scenario ${id} is invalid: ${entry.error}` : `There is no scenario ${id}.` });
    return false;
  }
  pause();
  try {
    const c = SimController.compile(core, entry.scenario);
    const chapters = resolveChapters(entry.scenario, c.frames, c.opFrames);
    c.seek(0);
    controller = c;
    cache = null;
    publish({ mode: 'guided', scenario: entry.scenario, chapters, message: null, page: 'main', pinned: null });
    return true;
  } catch (err) {
    fail(err);
    simStore.setState({ message: `Scenario ${id} could not run: ${err instanceof Error ? err.message : String(err)}` });
    return false;
  }
}

// ---- free play (application actions and single kernel steps) ----

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

// ---- time ----

/** Moves the cursor to a frame (restoring the core's memory: snapshot + replay). */
export const seek = (i: number) => guard((c) => c.seek(i));
/** One frame back. */
export const back = () => guard((c) => c.seek(c.cursor - 1));
/** One frame forward in the recorded timeline. */
export const forward = () => guard((c) => c.seek(c.cursor + 1));
/** The first frame. */
export const toStart = () => seek(0);
/** The last frame. */
export const toEnd = () => guard((c) => c.seek(c.frames.length - 1));

/** The next frame after the cursor that is a stop of an enabled kind (or any stop with `any`). */
function findStop(dir: 1 | -1, any = false): number | null {
  const { models, cursor, breakpoints } = simStore.getState();
  for (let i = cursor + dir; i >= 0 && i < models.length; i += dir) {
    const m = models[i];
    if (m && m.stops.some((k) => any || breakpoints[k])) return i;
  }
  return null;
}

/** Jumps to the next semantic stop. */
export function nextStop(): void {
  const i = findStop(1, true);
  if (i !== null) seek(i);
}

/** Jumps to the previous semantic stop. */
export function prevStop(): void {
  const i = findStop(-1, true);
  if (i !== null) seek(i);
}

/** Jumps to chapter `n` (0-based). */
export function jumpToChapter(n: number): void {
  const ch = simStore.getState().chapters[n];
  if (ch && ch.frame >= 0) seek(ch.frame);
}

function stopTimer() {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function tick() {
  timer = null;
  const s = simStore.getState();
  if (!s.playing || !controller) return;
  const last = s.frames.length - 1;
  // Fast speeds advance several frames per tick; each frame passed is checked for breakpoints.
  const interval = Math.max(1000 / s.speed, 16);
  const per = Math.max(1, Math.round((s.speed * interval) / 1000));
  let target = s.cursor;
  let hit = false;
  for (let k = 0; k < per && target < last; k++) {
    target++;
    if (s.models[target]?.stops.some((kind) => s.breakpoints[kind])) {
      hit = true;
      break;
    }
  }
  seek(target);
  if (hit || target >= last || simStore.getState().panic) {
    simStore.setState({ playing: false });
    return;
  }
  timer = setTimeout(tick, interval);
}

/** Plays forward at the current speed, pausing at enabled stops and at the end. */
export function play(): void {
  const s = simStore.getState();
  if (!controller || s.panic) return;
  if (s.cursor >= s.frames.length - 1) seek(0);
  simStore.setState({ playing: true });
  stopTimer();
  timer = setTimeout(tick, Math.max(1000 / s.speed, 16));
}

/** Pauses playback. */
export function pause(): void {
  stopTimer();
  if (simStore.getState().playing) simStore.setState({ playing: false });
}

/** Play or pause. */
export function togglePlay(): void {
  if (simStore.getState().playing) pause();
  else play();
}

/** Sets the playback speed in steps per second (clamped). */
export function setSpeed(speed: number): void {
  simStore.setState({ speed: Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed)) });
}

/** Doubles or halves the speed. */
export function faster(): void {
  setSpeed(simStore.getState().speed * 2);
}
export function slower(): void {
  setSpeed(simStore.getState().speed / 2);
}

/** Turns a stop kind on or off as a breakpoint. */
export function toggleBreakpoint(kind: StopKind): void {
  const b = simStore.getState().breakpoints;
  simStore.setState({ breakpoints: { ...b, [kind]: !b[kind] } });
}

// ---- ui ----

export function setTheme(theme: Theme): void {
  simStore.setState({ theme });
}
export function setPage(page: Page): void {
  if (page !== 'main') pause();
  simStore.setState({ page });
}
export function setInspector(inspector: InspectorTab): void {
  simStore.setState({ inspector });
}
export function setBytesMode(bytesMode: BytesMode): void {
  simStore.setState({ bytesMode });
}
export function setHelp(help: boolean): void {
  simStore.setState({ help });
}
export function toggleHelp(): void {
  simStore.setState({ help: !simStore.getState().help });
}
/** Follows one request (null: follow whatever each step is about). */
export function pinRequest(serial: number | null): void {
  simStore.setState({ pinned: serial });
}
/** Dismisses the current message. */
export function dismissMessage(): void {
  simStore.setState({ message: null });
}

/** Returns the store to its initial state (tests). */
export function resetStore(): void {
  stopTimer();
  core = null;
  controller = null;
  cache = null;
  nextUserData = 1n;
  simStore.setState(initialState(), true);
}
