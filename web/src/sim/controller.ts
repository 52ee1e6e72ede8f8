/**
 * The simulation controller: runs a scenario's program operations and the kernel's steps,
 * records a frame after each, and travels in time with memory snapshots plus deterministic
 * replay.
 *
 * Every piece of simulator state lives in the core's linear memory, so a snapshot is a copy of
 * that memory plus the program runtime's small JSON state. Going back restores the nearest
 * snapshot at or before the target and replays the recorded inputs from there; it never reruns
 * from the start. Applying an input anywhere but at the end starts a new branch; the old future
 * is kept until the next branch (see {@link SimController.restoreBranch}).
 */
import { coreConfig, type Op, type Scenario } from '../scenario/format';
import { ProgramRuntime, type RuntimeState } from '../scenario/runtime';
import { drainTrace, splitStates } from '../wasm/decode';
import { CoreDeadError, type Core } from '../wasm/load';
import type { IoUring } from '../uring/IoUring';
import { chapterAnchors, chapterCuts } from './chapters';
import { type Frame, readRing } from './frame';

/**
 * One recorded input: a program operation, one kernel step, or a beat. A beat runs nothing: it
 * shows the first `records` trace records of the input after it (a step whose records start
 * more than one chapter is shown in beats, the state before the step until its last beat).
 */
export type Input = { kind: 'op'; op: Op; index?: number } | { kind: 'step' } | { kind: 'beat'; records: number };

/**
 * The core's memory at a frame: a key copy of the whole memory (shared by the snapshots taken
 * after it) plus the 4 KiB pages that differ from it. Most of the memory does not change
 * between snapshots, so a snapshot costs a compare and a few pages instead of a full copy.
 */
interface Snapshot {
  frame: number;
  key: Uint8Array;
  pages: Map<number, Uint8Array>;
  rt: RuntimeState;
}

const PAGE = 4096;

/** The future a branch cut off: where it left the timeline and how long it was. */
export interface BranchInfo {
  /** The frame the new branch started from. */
  at: number;
  /** Frames of the old future after `at`. */
  frames: number;
}

/**
 * How a free-form session ran: `steps[0]` kernel steps before the first program operation,
 * then after operation `i`, `steps[i + 1]` kernel steps. Together with the scenario's program
 * this replays the session frame for frame (see {@link SimController.replay}).
 */
export type Schedule = number[];

/** Snapshot every this many frames, to begin with. */
export const SNAPSHOT_INTERVAL = 256;
/**
 * Snapshots may hold at most as many bytes as this many copies of the core's whole memory (a few
 * MiB each). Snapshots after the first store only the pages that changed since their key copy,
 * so this is rarely reached (a 100k-frame NOP timeline keeps its 390 snapshots in a fraction of
 * it); past it every other snapshot is dropped and the interval doubles, so memory stays bounded
 * and a seek replays at most one interval.
 */
export const MAX_SNAPSHOTS = 24;
/** A scenario may not run longer than this many kernel steps. */
export const MAX_STEPS = 2_000_000;

/** The minimal scenario behind the free-form pages: one ring, no devices. */
export function emptyScenario(entries = 8): Scenario {
  return {
    format: 'ringside-scenario',
    version: 1,
    id: 'sandbox',
    title: 'Sandbox',
    intro: 'A ring with nothing on it yet.',
    api: 'v5',
    ring: { entries },
    program: [{ op: 'reap' }],
  };
}

export class SimController {
  readonly frames: Frame[] = [];
  /** `inputs[i]` produced `frames[i + 1]`. */
  readonly inputs: Input[] = [];
  /** Frame index at which each program operation ran (compiled scenarios). */
  readonly opFrames: number[] = [];
  private readonly snapshots: Snapshot[] = [];
  /** The current snapshot interval (doubles as the timeline grows; see MAX_SNAPSHOTS). */
  private interval = SNAPSHOT_INTERVAL;
  private discarded: { at: number; frames: Frame[]; inputs: Input[] } | null = null;
  readonly rt: ProgramRuntime;
  private at = 0;
  /**
   * Counts the changes made to the core's live state (every input executed, every snapshot
   * restored): something read from live memory is still the frame's while this is unchanged.
   */
  liveVersion = 0;

  constructor(
    readonly core: Core,
    readonly scenario: Scenario,
  ) {
    core.call((e) => e.rs_init(coreConfig(scenario)));
    this.rt = new ProgramRuntime(core, scenario);
    this.frames.push(this.capture(0, 'app', `io_uring_setup(${scenario.ring.entries})`, -1));
    this.snapshot();
  }

  /**
   * Runs a whole scenario: each operation, then kernel steps until the task is back in user
   * mode (and, for `sleep`, until the clock has advanced), and finally until the kernel is idle.
   */
  static compile(core: Core, scenario: Scenario, maxSteps = MAX_STEPS): SimController {
    const c = new SimController(core, scenario);
    let budget = maxSteps;
    scenario.program.forEach((op, i) => {
      c.opFrames.push(c.frames.length);
      const f = c.apply({ kind: 'op', op, index: i });
      budget -= c.settle(f.untilNs, budget);
    });
    budget -= c.runUntilIdle(budget);
    if (budget <= 0) throw new Error(`the scenario did not finish within ${maxSteps} kernel steps`);
    if (scenario.chapters?.length) {
      const cuts = chapterCuts(chapterAnchors(scenario.chapters, c.frames, c.opFrames));
      // Later frames first, so the indices of earlier ones stay valid.
      for (const i of [...cuts.keys()].sort((a, b) => b - a)) c.splitFrame(i, cuts.get(i) as number[]);
      c.seek(c.frames.length - 1);
    }
    return c;
  }

  /**
   * Shows frame `i` in beats: its records are cut before each index of `cuts` and each part
   * becomes a frame. Every part but the last shows the state before the input (the step has not
   * finished); the last part is the frame as it was. Recorded as `beat` inputs before the
   * input, so seeking and rebuilding from inputs give the same frames.
   */
  private splitFrame(i: number, cuts: readonly number[]): void {
    const f = this.frames[i];
    const prev = this.frames[i - 1];
    if (!f || !prev || i < 1) return;
    const bounds = [0, ...cuts.filter((r) => r > 0 && r < f.events.length), f.events.length];
    const of = bounds.length - 1;
    if (of < 2) return;
    const parts: Frame[] = [];
    for (let k = 0; k < of; k++) {
      const events = f.events.slice(bounds[k], bounds[k + 1]);
      const last = k === of - 1;
      parts.push({
        ...(last
          ? f
          : { ...f, ring: prev.ring, taskState: prev.taskState, lastRet: prev.lastRet, coreStep: prev.coreStep }),
        index: i + k,
        label: f.actor === 'kernel' && events[0] ? events[0].event : f.label,
        events,
        beat: { n: k + 1, of },
      });
    }
    const extra = of - 1;
    const beats: Input[] = [];
    for (let k = 0; k < extra; k++)
      beats.push({ kind: 'beat', records: (bounds[k + 1] as number) - (bounds[k] as number) });
    const after = this.frames.slice(i + 1).map((x) => ({ ...x, index: x.index + extra }));
    this.frames.length = i;
    this.frames.push(...parts, ...after);
    this.inputs.splice(i - 1, 0, ...beats);
    for (let k = 0; k < this.opFrames.length; k++)
      if ((this.opFrames[k] as number) >= i) this.opFrames[k] = (this.opFrames[k] as number) + extra;
    for (const sn of this.snapshots) if (sn.frame >= i) sn.frame += extra;
    if (this.at >= i) this.at += extra;
  }

  /** Whether some frames are beats of a split step (see {@link splitFrame}). */
  get hasBeats(): boolean {
    return this.inputs.some((x) => x.kind === 'beat');
  }

  get cursor(): number {
    return this.at;
  }

  get ring(): IoUring {
    return this.rt.ring;
  }

  /**
   * Replays a free-form session: the first `schedule.length - 1` operations of the scenario's
   * program, each preceded by its number of kernel steps (see {@link Schedule}).
   *
   * @throws Error when the schedule does not fit the program, or an operation fails.
   */
  static replay(core: Core, scenario: Scenario, schedule: Schedule, maxSteps = MAX_STEPS): SimController {
    const ops = schedule.length - 1;
    if (ops < 0 || ops > scenario.program.length)
      throw new Error(`the schedule names ${ops} operations but the program has ${scenario.program.length}`);
    if (schedule.reduce((a, b) => a + b, 0) > maxSteps)
      throw new Error(`the schedule runs more than ${maxSteps} kernel steps`);
    const c = new SimController(core, scenario);
    for (let i = 0; i <= ops; i++) {
      for (let k = 0; k < (schedule[i] as number); k++) c.apply({ kind: 'step' });
      if (i < ops) {
        c.opFrames.push(c.frames.length);
        c.apply({ kind: 'op', op: scenario.program[i] as Op, index: i });
      }
    }
    return c;
  }

  /** Rebuilds a session from its recorded inputs (on a fresh core after a trap). */
  static fromInputs(
    core: Core,
    scenario: Scenario,
    inputs: readonly Input[],
    opFrames: readonly number[] = [],
  ): SimController {
    const c = new SimController(core, scenario);
    let beats: number[] = [];
    for (const x of inputs) {
      if (x.kind === 'beat') {
        beats.push(x.records);
        continue;
      }
      c.apply(x);
      if (beats.length) {
        const cuts: number[] = [];
        let at = 0;
        for (const n of beats) cuts.push((at += n));
        c.splitFrame(c.frames.length - 1, cuts);
        beats = [];
      }
    }
    c.opFrames.push(...opFrames);
    return c;
  }

  /** Whether an earlier future was cut off by the last branch and can be restored. */
  get hasDiscardedBranch(): boolean {
    return this.discarded !== null;
  }

  /** The future the last branch cut off, if it is still kept. */
  get branchInfo(): BranchInfo | null {
    return this.discarded ? { at: this.discarded.at, frames: this.discarded.frames.length } : null;
  }

  /** Forgets the future the last branch cut off. */
  dropBranch(): void {
    this.discarded = null;
  }

  /** The program operations of the current timeline, in order. */
  programOps(): Op[] {
    return this.inputs.flatMap((x) => (x.kind === 'op' ? [x.op] : []));
  }

  /** The frame index at which each program operation of the current timeline ran. */
  opFrameIndices(): number[] {
    const out: number[] = [];
    this.inputs.forEach((x, i) => {
      if (x.kind === 'op') out.push(i + 1);
    });
    return out;
  }

  /** The kernel steps around the operations of the current timeline (see {@link Schedule}). */
  schedule(): Schedule {
    const out: Schedule = [0];
    for (const x of this.inputs) {
      if (x.kind === 'op') out.push(0);
      else if (x.kind === 'step') out[out.length - 1] = (out[out.length - 1] as number) + 1;
    }
    return out;
  }

  /**
   * Applies an input at the current position; a position before the end starts a branch.
   *
   * An input that fails (a userspace error such as a full SQ) leaves the timeline as it was:
   * the live state is restored to the cursor before the error is rethrown.
   */
  apply(input: Input): Frame & { untilNs?: number } {
    let r: { kind: number; summary: string; untilNs?: number };
    try {
      r = this.exec(input);
    } catch (err) {
      if (!(err instanceof CoreDeadError)) this.resync();
      throw err;
    }
    if (this.at < this.frames.length - 1) this.branch(this.at);
    const { kind, summary, untilNs } = r;
    this.inputs.push(input);
    const lbl = input.kind === 'step' ? (kind === 0 ? 'idle' : 'step') : summary;
    const f = this.capture(
      this.frames.length,
      input.kind === 'step' ? 'kernel' : 'app',
      lbl,
      input.kind === 'op' ? (input.index ?? -1) : -1,
    );
    this.frames.push(f);
    this.at = f.index;
    if (f.index % this.interval === 0) this.snapshot();
    return untilNs === undefined ? f : { ...f, untilNs };
  }

  /** Steps until the task is in user mode and, if given, the clock reached `untilNs`. */
  settle(untilNs: number | undefined, budget = MAX_STEPS): number {
    let n = 0;
    while (n < budget) {
      const inKernel = this.core.call((e) => e.rs_task_state()) !== 0;
      const early = untilNs !== undefined && Number(this.core.call((e) => e.rs_clock_ns())) < untilNs;
      if (!inKernel && !early) break;
      const f = this.apply({ kind: 'step' });
      n++;
      if (f.label === 'idle') {
        this.dropLast();
        break;
      }
    }
    return n;
  }

  /**
   * One kernel step by hand. A step that finds nothing to run leaves no frame (an idle step
   * changes nothing, so a screen full of them would say nothing) and returns null.
   */
  stepOnce(): Frame | null {
    const f = this.apply({ kind: 'step' });
    if (f.label !== 'idle') return f;
    this.dropLast();
    return null;
  }

  /** Runs kernel steps until nothing can run. */
  runUntilIdle(budget = MAX_STEPS): number {
    let n = 0;
    while (n < budget) {
      const f = this.apply({ kind: 'step' });
      n++;
      if (f.label === 'idle') {
        this.dropLast();
        break;
      }
    }
    return n;
  }

  private dropLast() {
    this.frames.pop();
    this.inputs.pop();
    this.at = this.frames.length - 1;
  }

  /** Moves the live state to frame `i` (restore + replay). */
  seek(i: number): void {
    const target = Math.max(0, Math.min(i, this.frames.length - 1));
    if (target === this.at) return;
    let snap = this.snapshots[0] as Snapshot;
    for (const s of this.snapshots) if (s.frame <= target) snap = s;
    // Going forward, replay from where we are unless a later snapshot is closer.
    let from = this.at;
    if (target < this.at || snap.frame > this.at) {
      this.restore(snap);
      from = snap.frame;
    }
    for (let k = from; k < target; k++) {
      this.exec(this.inputs[k] as Input);
      this.core.call((e) => e.rs_trace_clear());
    }
    this.at = target;
  }

  /** Restores the live state of the cursor's frame (after a failed input changed it). */
  private resync(): void {
    let snap = this.snapshots[0] as Snapshot;
    for (const sn of this.snapshots) if (sn.frame <= this.at) snap = sn;
    this.restore(snap);
    this.core.call((e) => e.rs_trace_clear());
    for (let k = snap.frame; k < this.at; k++) {
      this.exec(this.inputs[k] as Input);
      this.core.call((e) => e.rs_trace_clear());
    }
  }

  /** Brings back the future the last branch cut off (the current branch is dropped). */
  restoreBranch(): boolean {
    const d = this.discarded;
    if (!d) return false;
    this.seek(d.at);
    this.frames.length = d.at + 1;
    this.inputs.length = d.at;
    this.dropSnapshotsAfter(d.at);
    this.frames.push(...d.frames);
    this.inputs.push(...d.inputs);
    this.discarded = null;
    return true;
  }

  private branch(i: number) {
    this.discarded = { at: i, frames: this.frames.slice(i + 1), inputs: this.inputs.slice(i) };
    this.frames.length = i + 1;
    this.inputs.length = i;
    this.dropSnapshotsAfter(i);
  }

  private dropSnapshotsAfter(i: number) {
    while (this.snapshots.length > 1 && (this.snapshots[this.snapshots.length - 1] as Snapshot).frame > i)
      this.snapshots.pop();
  }

  private exec(input: Input): { kind: number; summary: string; untilNs?: number } {
    this.liveVersion++;
    if (input.kind === 'beat') return { kind: -2, summary: 'beat' };
    if (input.kind === 'step') return { kind: this.core.call((e) => e.rs_step()), summary: 'step' };
    const r = this.rt.exec(input.op);
    return { kind: -1, summary: r.summary, untilNs: r.untilNs };
  }

  private capture(index: number, actor: Frame['actor'], lbl: string, op: number): Frame {
    const { events, states } = splitStates(drainTrace(this.core));
    return {
      index,
      actor,
      label: actor === 'kernel' && lbl !== 'idle' && events[0] ? events[0].event : lbl,
      op,
      coreStep: this.core.call((e) => e.rs_step_count()) >>> 0,
      timeNs: Number(this.core.call((e) => e.rs_clock_ns())),
      taskState: this.core.call((e) => e.rs_task_state()),
      lastRet: this.core.call((e) => e.rs_last_ret()),
      ring: readRing(this.rt.ring, this.frames[this.frames.length - 1]?.ring),
      events,
      states,
    };
  }

  private snapshot() {
    const mem = this.core.u8();
    const last = this.snapshots[this.snapshots.length - 1];
    let key = last?.key;
    const pages = new Map<number, Uint8Array>();
    if (key && key.byteLength === mem.byteLength && (mem.byteOffset & 3) === 0) {
      const a = new Int32Array(mem.buffer, mem.byteOffset, mem.byteLength >> 2);
      const b = new Int32Array(key.buffer, key.byteOffset, key.byteLength >> 2);
      const words = PAGE >> 2;
      let bytes = 0;
      for (let w = 0; w < a.length && bytes <= mem.byteLength >> 2; w += words) {
        const end = Math.min(w + words, a.length);
        for (let k = w; k < end; k++) {
          if (a[k] !== b[k]) {
            pages.set(w * 4, mem.slice(w * 4, end * 4));
            bytes += (end - w) * 4;
            break;
          }
        }
      }
      // Too much changed: a fresh key copy is cheaper to keep and to restore.
      if (bytes > mem.byteLength >> 2) key = undefined;
    } else key = undefined;
    if (!key) {
      key = mem.slice();
      pages.clear();
    }
    this.snapshots.push({ frame: this.at, key, pages, rt: this.rt.save() });
    while (this.snapshots.length > 2 && this.snapshotBytes() > MAX_SNAPSHOTS * mem.byteLength) {
      // Keep the first and every snapshot on the doubled interval.
      this.interval *= 2;
      const keep = this.snapshots.filter((sn, i) => i === 0 || sn.frame % this.interval === 0);
      this.snapshots.length = 0;
      this.snapshots.push(...keep);
    }
  }

  private restore(s: Snapshot) {
    this.liveVersion++;
    const mem = this.core.exports.memory;
    const need = s.key.byteLength - mem.buffer.byteLength;
    if (need > 0) mem.grow(Math.ceil(need / 65536));
    const u8 = this.core.u8();
    u8.set(s.key);
    for (const [at, page] of s.pages) u8.set(page, at);
    this.rt.load(s.rt);
  }

  /** Bytes held by snapshots (for the benchmark and the memory bound). */
  snapshotBytes(): number {
    const keys = new Set<Uint8Array>();
    let n = 0;
    for (const sn of this.snapshots) {
      keys.add(sn.key);
      for (const p of sn.pages.values()) n += p.byteLength;
    }
    for (const k of keys) n += k.byteLength;
    return n;
  }
}
