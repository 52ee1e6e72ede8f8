/**
 * Module-level actions (zustand "practice with no store actions"): the only code that talks to
 * the simulation controller. Components, keyboard commands and tests call these without hooks.
 *
 * Data flows one way: an action drives the controller, then `publish` puts the controller's
 * frames, their derived models, the cursor and the bytes of the frame on screen into the store
 * with one `setState`.
 */
import type { StopKind } from '../captions/stops';
import type { Op, Scenario } from '../scenario/format';
import { ScenarioError, validateScenario } from '../scenario/validate';
import { type Schedule, SimController, emptyScenario } from '../sim/controller';
import { type Frame, readRingBytes } from '../sim/frame';
import { PROV_NAMES } from '../wasm/abi.generated';
import type { CoreExports } from '../wasm/exports';
import type { Core } from '../wasm/load';
import { CoreDeadError } from '../wasm/load';
import { type ModelCache, deriveModels, resolveChapters } from './model';
import { libraryEntry } from './scenarios';
import { resolveCheckpoints } from '../learn/checkpoints';
import { askBefore, freshQuiz } from './quiz';
import { selFocusPanels } from './selectors';
import {
  type BytesMode,
  type FocusPanel,
  MAX_FOCUS,
  type Inspect,
  type InspectorTab,
  MAX_SPEED,
  MIN_SPEED,
  type Page,
  type SimState,
  type StagePanel,
  type Theme,
  initialState,
  simStore,
} from './store';

let core: Core | null = null;
/** Makes a fresh instance of the core (no request: the module is compiled once). */
let spawnCore: (() => Promise<Core>) | null = null;
let controller: SimController | null = null;
let cache: ModelCache | null = null;
let timer: number | null = null;

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
  // Copied now: the slots the byte view can show at this frame (the SQE and CQE slot of every
  // request it can follow, and the most recently written SQE); any other slot is read on demand
  // while the core still holds this frame.
  const ring = c.frames[c.cursor]?.ring;
  const sq = new Set<number>();
  const cq = new Set<number>();
  if (ring) {
    if (ring.sqeTail > 0) {
      const last = ring.sqArray[((ring.sqeTail - 1) >>> 0) & (ring.sqEntries - 1)];
      if (last !== undefined) sq.add(last);
    }
    for (const t of cache?.models[c.cursor]?.reqs ?? []) {
      if (t.sqeSlot !== null) sq.add(t.sqeSlot);
      if (t.cqIndex !== null) cq.add(t.cqIndex & (ring.cqEntries - 1));
    }
  }
  const version = c.liveVersion;
  const live = () => controller === c && c.liveVersion === version;
  return { frame: c.cursor, ring: readRingBytes(c.ring, live, sq, cq), user };
}

function publish(extra: Partial<SimState> = {}) {
  const c = controller;
  if (!c) return;
  cache = deriveModels(c.frames, opOf, cache);
  const s = simStore.getState();
  const mode = extra.mode ?? s.mode;
  const base = extra.base !== undefined ? extra.base : s.base;
  const more: Partial<SimState> = {};
  // A sandbox forked from a guided scenario keeps the chapters its timeline still reaches.
  if (mode === 'free' && base?.chapters?.length && extra.chapters === undefined)
    more.chapters = resolveChapters(base, c.frames, c.opFrameIndices());
  simStore.setState({
    frames: cache.frames as Frame[],
    models: cache.models,
    cursor: c.cursor,
    inspect: readInspect(c),
    branch: c.branchInfo,
    ...more,
    ...extra,
  });
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

/**
 * Starts a session on a loaded core, in free play (or on `scenario` at `step`, if given).
 * `spawn` makes fresh instances of the core (review mode, recovery after a trap).
 */
export function startSession(
  loaded: Core,
  opts: { scenario?: string | null; step?: number; spawn?: () => Promise<Core> } = {},
): void {
  core = loaded;
  if (opts.spawn) spawnCore = opts.spawn;
  simStore.setState({ status: 'ready', message: null, panic: null });
  if (opts.scenario && loadScenario(opts.scenario)) {
    if (opts.step !== undefined) seek(opts.step);
    return;
  }
  freePlay();
}

/** A fresh instance of the core (review mode). */
export async function newCore(): Promise<Core> {
  if (!spawnCore) throw new Error('no second instance of the core can be made here');
  return spawnCore();
}

/** Records a load failure. */
export function loadFailed(message: string): void {
  simStore.setState({ status: 'error', message });
}

/** Free play: a fresh machine with one 8-entry ring and nothing on it. */
export function freePlay(entries = 8): void {
  sandboxSetup(emptyScenario(entries));
}

/**
 * The sandbox on a machine set up as `setup` says (ring entries and flags, devices, API
 * generation, config); its program is ignored: the sandbox writes a new one.
 */
export function sandboxSetup(setup: Scenario): boolean {
  if (!core) return false;
  pause();
  try {
    const base = validateScenario({ ...setup, program: setup.program.length ? setup.program : [{ op: 'reap' }] });
    const c = new SimController(core, base);
    controller = c;
    cache = null;
    nextUserData = 1n;
    publish({
      mode: 'free',
      scenario: null,
      base,
      chapters: [],
      checkpoints: [],
      message: null,
      page: 'main',
      pinned: null,
      selectedByte: null,
    });
    return true;
  } catch (err) {
    fail(err);
    return false;
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
  return loadScenarioDoc(entry.scenario, 'library');
}

/**
 * Runs a validated scenario document (from the library, an upload or a link) as a guided
 * scenario and shows its first frame; with a `schedule`, replays it as the sandbox session it
 * was (free play). Returns false, keeping the current session, if it cannot run.
 */
export function loadScenarioDoc(
  scenario: Scenario,
  source: 'library' | 'document' = 'document',
  schedule?: Schedule,
): boolean {
  if (!core) return false;
  pause();
  try {
    const c = schedule ? SimController.replay(core, scenario, schedule) : SimController.compile(core, scenario);
    const chapters = resolveChapters(scenario, c.frames, c.opFrames);
    c.seek(0);
    controller = c;
    cache = null;
    nextUserData = BigInt(maxUserData(c.programOps()) + 1);
    const learn = {
      checkpoints: schedule ? [] : resolveCheckpoints(scenario, c.frames, c.opFrames),
      quiz: freshQuiz(simStore.getState().quiz.on),
    };
    if (schedule)
      publish({
        mode: 'free',
        scenario: null,
        base: scenario,
        source,
        chapters,
        message: null,
        page: 'main',
        pinned: null,
        selectedByte: null,
        ...learn,
      });
    else
      publish({
        mode: 'guided',
        scenario,
        base: scenario,
        source,
        chapters,
        message: null,
        page: 'main',
        pinned: null,
        selectedByte: null,
        ...learn,
      });
    return true;
  } catch (err) {
    fail(err);
    simStore.setState({
      message: `Scenario ${scenario.id} could not run: ${err instanceof Error ? err.message : String(err)}`,
    });
    return false;
  }
}

function maxUserData(ops: readonly Op[]): number {
  let m = 0;
  for (const o of ops) {
    if (o.op === 'prep' && o.sqe.user_data !== undefined) {
      const v = Number(o.sqe.user_data);
      if (Number.isSafeInteger(v) && v > m && v < 1e9) m = v;
    }
  }
  return m;
}

/**
 * The document behind the session: the guided scenario as it is, or in free play the setup
 * with the program the sandbox wrote, plus the schedule that replays it step for step.
 */
export function sessionDocument(): { scenario: Scenario; schedule: Schedule | null } | null {
  const s = simStore.getState();
  if (!controller || !s.base) return null;
  if (s.mode === 'guided' && s.scenario) return { scenario: s.scenario, schedule: null };
  const ops = controller.programOps();
  return { scenario: { ...s.base, program: ops.length ? ops : [{ op: 'reap' }] }, schedule: controller.schedule() };
}

/** Problems a program operation would have, checked against the sandbox's program so far (none: []). */
export function checkOp(op: Op): string[] {
  const s = simStore.getState();
  if (!controller || !s.base) return ['the simulator is not running'];
  const ops = controller.inputs.slice(0, controller.cursor).flatMap((x) => (x.kind === 'op' ? [x.op] : []));
  try {
    validateScenario({ ...s.base, program: [...ops, op] });
    return [];
  } catch (err) {
    if (err instanceof ScenarioError) {
      const at = `/program/${ops.length}`;
      return err.errors
        .filter((e) => e.path.startsWith(at))
        .map((e) => `${e.path.slice(at.length) || 'operation'}: expected ${e.expected}, found ${e.found}`);
    }
    return [String(err)];
  }
}

/**
 * Runs one program operation in the sandbox at the cursor (a cursor in the past starts a
 * branch). A guided scenario turns into a sandbox session forked from it. Returns whether it ran.
 */
export function sandboxOp(op: Op): boolean {
  if (!controller) return false;
  const problems = checkOp(op);
  if (problems.length) {
    simStore.setState({ message: `That operation cannot run: ${problems.join('; ')}` });
    return false;
  }
  if (simStore.getState().mode === 'guided') editHere();
  let ok = false;
  guard((c) => {
    c.apply({ kind: 'op', op });
    ok = true;
  });
  if (ok && op.op === 'device') {
    const note = idlePokeNote(op);
    if (note) simStore.setState({ message: note });
  }
  return ok;
}

/** Device actions that arm the device for a later command rather than act on one in flight. */
const ARMING_ACTIONS = new Set(['fail_next', 'stall']);

/** What a poke meant when nothing was in flight (null: something was). */
function idlePokeNote(op: Extract<Op, { op: 'device' }>): string | null {
  const s = simStore.getState();
  const m = s.models[s.cursor];
  const busy = m?.reqs.some(
    (r) => r.state === 'inflight' || r.state === 'issuing' || r.state === 'iowq_queued' || r.state === 'tw_pending',
  );
  // The poke itself may have completed something (dispatch, complete_now): then it acted.
  const acted = s.frames[s.cursor]?.events.some(
    (e) => e.event === 'io_uring_complete' || e.event === 'sim_uring_cmd_done' || e.event === 'sim_task_work_run',
  );
  if (busy || acted) return null;
  return ARMING_ACTIONS.has(op.action)
    ? `Nothing is in flight on ${op.fd}: ${op.action} is armed and acts on the next command.`
    : `Nothing is in flight on ${op.fd}: ${op.action} had nothing to act on.`;
}

/** Steps the kernel until nothing can run (at most `max` steps). */
export const runKernel = (max = 10_000) => guard((c) => c.runUntilIdle(max));

/**
 * Fills the CQ: NOPs are written and submitted until every CQ entry holds an unreaped CQE and
 * one more goes to the overflow list. Each write and submit is a program operation.
 */
export function fillCq(): void {
  const c = controller;
  if (!c) return;
  const r = c.frames[c.cursor]?.ring;
  if (!r) return;
  let want = r.cqEntries + 1 - ((r.cqTail - r.cqHead) >>> 0);
  for (let guardN = 0; want > 0 && guardN < 64; guardN++) {
    const cur = c.frames[c.cursor]?.ring;
    if (!cur || simStore.getState().panic) return;
    const free = cur.sqEntries - ((cur.sqeTail - cur.sqHead) >>> 0);
    const n = Math.min(free, want);
    for (let i = 0; i < n; i++)
      if (!sandboxOp({ op: 'prep', sqe: { opcode: 'NOP', user_data: Number(nextUserData++) } })) return;
    if (!sandboxOp({ op: 'submit' })) return;
    guard((cc) => cc.settle(undefined));
    want -= n;
  }
}

/**
 * Runs `n` NOP round trips in the sandbox, each a program operation followed by the kernel's
 * steps: write the SQE, io_uring_enter, the kernel's steps, reap (a long session made at once,
 * for load tests and `npm run bench`). Publishes once. Returns the number of frames.
 */
export function sandboxNopCycles(n: number): number {
  if (!controller) return 0;
  if (simStore.getState().mode === 'guided') editHere();
  guard((c) => {
    for (let i = 0; i < n; i++) {
      c.apply({ kind: 'op', op: { op: 'prep', sqe: { opcode: 'NOP', user_data: Number(nextUserData++) } } });
      c.apply({ kind: 'op', op: { op: 'submit' } });
      c.settle(undefined);
      c.apply({ kind: 'op', op: { op: 'reap' } });
    }
  });
  return controller.frames.length;
}

/** Turns a guided scenario into a sandbox session at the cursor; acting now branches. */
export function editHere(): void {
  const s = simStore.getState();
  if (s.mode !== 'guided' || !controller) return;
  pause();
  nextUserData = BigInt(maxUserData(controller.programOps()) + 1);
  if (controller.hasBeats && core) {
    // Free play records kernel steps, not beats: the session continues on the same steps
    // without the chapter beats, at the frame the cursor's state belongs to.
    const old = controller;
    const inputs = old.inputs.filter((x) => x.kind !== 'beat');
    const at = old.inputs.slice(0, old.cursor).filter((x) => x.kind !== 'beat').length;
    try {
      const c = SimController.fromInputs(core, old.scenario, inputs);
      c.seek(at);
      controller = c;
      cache = null;
      publish({ mode: 'free', scenario: null, sandbox: true });
      return;
    } catch (err) {
      fail(err);
      return;
    }
  }
  simStore.setState({ mode: 'free', scenario: null, sandbox: true });
}

/** Brings back the future the last branch cut off (the current branch is dropped). */
export const restoreBranch = () => guard((c) => void c.restoreBranch());
/** Forgets the future the last branch cut off. */
export const dropBranch = () => guard((c) => c.dropBranch());

/** A user_data for the next SQE the sandbox writes (counts up). */
export function takeUserData(): number {
  return Number(nextUserData++);
}

/**
 * After a trap: a fresh instance of the core, the session rebuilt from its recorded inputs, and
 * the cursor back on the last frame that was shown. Returns whether it worked.
 */
export async function recover(): Promise<boolean> {
  const old = controller;
  const s = simStore.getState();
  if (!old || !spawnCore) {
    simStore.setState({ message: 'This page cannot make a fresh instance of the core; reload it.' });
    return false;
  }
  stopTimer();
  try {
    const fresh = await spawnCore();
    const c = SimController.fromInputs(fresh, old.scenario, old.inputs, old.opFrames);
    c.seek(Math.min(s.cursor, c.frames.length - 1));
    core = fresh;
    controller = c;
    cache = null;
    publish({
      panic: null,
      message: 'The simulator was restarted; this is the last frame before it stopped.',
      playing: false,
    });
    return true;
  } catch (err) {
    simStore.setState({
      panic: err instanceof CoreDeadError ? err.panic : s.panic,
      message: `Restarting did not help: ${err instanceof Error ? err.message : String(err)}`,
    });
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
/** What the page says when a kernel step finds nothing to run. */
export const IDLE_MESSAGE =
  'Nothing can run: the kernel is idle. Submit SQEs, wait, sleep or poke a device to give it work.';

/** Runs one unit of kernel work; when nothing can run, no step is added and the page says so. */
export function stepKernel(): void {
  let idle = false;
  guard((c) => {
    idle = c.stepOnce() === null;
  });
  if (idle) simStore.setState({ message: IDLE_MESSAGE });
}
/** Reads every visible CQE and stores the CQ head. */
export const reap = () => guard((c) => c.apply({ kind: 'op', op: { op: 'reap' } }));

// ---- time ----

/** Moves the cursor to a frame (restoring the core's memory: snapshot + replay). */
export const seek = (i: number) => guard((c) => c.seek(i));
/** One frame back. */
export const back = () => guard((c) => c.seek(c.cursor - 1));
/** One frame forward in the recorded timeline. */
export const forward = () => {
  // A checkpoint on the next frame asks first (store/quiz.ts).
  if (controller && askBefore(controller.cursor + 1)) return;
  guard((c) => c.seek(c.cursor + 1));
};
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
  if (timer !== null) cancelFrame(timer);
  timer = null;
}

/**
 * Playback runs once per animation frame (a 16 ms timer where there is no
 * requestAnimationFrame, as under Node): each frame advances by the steps that fell due since the
 * last one at the current speed, so 100 steps/s is delivered as ~2 steps per 60 Hz frame, the
 * store is published once per frame, and input events run between frames.
 */
const hasRaf = typeof requestAnimationFrame === 'function';
function nextFrame(f: () => void): number {
  return hasRaf ? requestAnimationFrame(() => f()) : (setTimeout(f, 16) as unknown as number);
}
function cancelFrame(id: number) {
  if (hasRaf) cancelAnimationFrame(id);
  else clearTimeout(id as unknown as ReturnType<typeof setTimeout>);
}
/** Steps due but not yet shown (fractional), and when the last frame ran. */
let due = 0;
let lastTick = 0;
/** A frame later than this does not make playback jump ahead by more than this much time. */
const MAX_FRAME_GAP_MS = 250;

function tick() {
  timer = null;
  const s = simStore.getState();
  if (!s.playing || !controller) return;
  const now = Date.now();
  due += (Math.min(Math.max(0, now - lastTick), MAX_FRAME_GAP_MS) * s.speed) / 1000;
  lastTick = now;
  const per = Math.floor(due);
  if (per === 0) {
    timer = nextFrame(tick);
    return;
  }
  due -= per;
  const last = s.frames.length - 1;
  // Each frame passed is checked for breakpoints.
  let target = s.cursor;
  let hit: StopKind[] = [];
  for (let k = 0; k < per && target < last; k++) {
    if (askBefore(target + 1)) {
      // A checkpoint's question is up (or was just revealed): stop here.
      if (simStore.getState().quiz.asking !== null && target !== s.cursor) seek(target);
      simStore.setState({ playing: false });
      return;
    }
    target++;
    hit = s.models[target]?.stops.filter((kind) => s.breakpoints[kind]) ?? [];
    if (hit.length) break;
  }
  seek(target);
  const panic = simStore.getState().panic;
  if (hit.length || target >= last || panic) {
    const why = panic ? 'panic' : hit.length ? 'stop' : 'end';
    simStore.setState({ playing: false, stopped: { why, step: simStore.getState().cursor, kinds: hit } });
    return;
  }
  timer = nextFrame(tick);
}

/** Plays forward at the current speed, pausing at enabled stops and at the end. */
export function play(): void {
  const s = simStore.getState();
  if (!controller || s.panic) return;
  if (s.cursor >= s.frames.length - 1) seek(0);
  simStore.setState({ playing: true, stopped: null });
  stopTimer();
  due = 0;
  lastTick = Date.now();
  timer = nextFrame(tick);
}

/** Pauses playback. */
export function pause(): void {
  stopTimer();
  const s = simStore.getState();
  if (s.playing) simStore.setState({ playing: false, stopped: { why: 'paused', step: s.cursor, kinds: [] } });
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
/**
 * Switches a panel of the focused stage: shows it beside the first one (dropping the oldest past
 * MAX_FOCUS), or hides it when it is shown and not alone.
 */
export function toggleFocus(p: FocusPanel): void {
  const cur = [...selFocusPanels(simStore.getState())];
  const i = cur.indexOf(p);
  let next: FocusPanel[];
  if (i >= 0) next = cur.length > 1 ? cur.filter((x) => x !== p) : cur;
  else next = [...cur, p].slice(-MAX_FOCUS);
  simStore.setState({ focus: next });
}

/** Shows or hides a stage panel. */
export function setPanel(p: StagePanel, on: boolean): void {
  simStore.setState({ panels: { ...simStore.getState().panels, [p]: on } });
}
/** Selects a byte of the bytes view (null: none). */
export function selectByte(b: { region: string; offset: number } | null): void {
  simStore.setState({ selectedByte: b });
}
/** Opens or closes the sandbox drawer. */
export function setSandbox(open: boolean): void {
  simStore.setState({ sandbox: open });
}
/** Opens or closes the share and export dialog. */
export function setShare(open: boolean): void {
  if (open) pause();
  simStore.setState({ share: open });
}
/** Shows a problem the viewer must read (null clears it). */
export function showProblem(problem: { title: string; lines: string[] } | null): void {
  simStore.setState({ problem });
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
  spawnCore = null;
  controller = null;
  cache = null;
  nextUserData = 1n;
  simStore.setState(initialState(), true);
}
