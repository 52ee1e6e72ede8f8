/**
 * The simulation controller: runs the application's actions and the kernel's steps, records a
 * frame after each, and travels in time with memory snapshots plus deterministic replay.
 *
 * Every piece of simulator state lives in the core's linear memory, so a snapshot is a copy of
 * that memory (plus the few numbers the application keeps in JavaScript: its local SQ tail and
 * its allocator position). Going back restores the nearest snapshot at or before the target and
 * replays the recorded inputs from there; it never reruns from the start.
 */
import { drainTrace } from '../wasm/decode';
import type { Core } from '../wasm/load';
import { IoUring, type QueueInitOptions } from '../uring/IoUring';
import { prepNop, sqeSetData64 } from '../uring/sqe';
import { UserMemory } from '../uring/userMemory';
import { type Frame, readRing } from './frame';

/** One recorded input: what the application did, or one kernel step. */
export type Input =
  | { kind: 'setup'; entries: number; opts: QueueInitOptions }
  | { kind: 'nop'; userData: bigint }
  | { kind: 'enter'; minComplete: number; flags: number }
  | { kind: 'reap' }
  | { kind: 'step' };

interface Snapshot {
  frame: number;
  memory: Uint8Array;
  sqeTail: number;
  userNext: number;
  hasRing: boolean;
}

/** Snapshot every this many frames. */
export const SNAPSHOT_INTERVAL = 256;

export class SimController {
  readonly frames: Frame[] = [];
  /** `inputs[i]` produced `frames[i + 1]`. */
  readonly inputs: Input[] = [];
  private readonly snapshots: Snapshot[] = [];
  private ring: IoUring | null = null;
  private mem: UserMemory;
  /** The frame the live core state corresponds to. */
  private at = 0;

  constructor(readonly core: Core, readonly cfg = 0) {
    core.call((e) => e.rs_init(cfg));
    this.mem = new UserMemory(core);
    this.frames.push(this.capture(0, 'app', 'start'));
    this.snapshot();
  }

  /** The frame the core currently matches. */
  get cursor(): number {
    return this.at;
  }

  get currentRing(): IoUring | null {
    return this.ring;
  }

  /** Applies an input at the current position, truncating any future after it. */
  apply(input: Input): Frame {
    if (this.at < this.frames.length - 1) this.truncate(this.at);
    const kind = this.exec(input);
    this.inputs.push(input);
    const f = this.capture(this.frames.length, input.kind === 'step' ? 'kernel' : 'app', kind === 0 ? 'idle' : label(input));
    this.frames.push(f);
    this.at = f.index;
    if (f.index % SNAPSHOT_INTERVAL === 0) this.snapshot();
    return f;
  }

  /** Runs kernel steps until the task is back in user mode and the kernel is idle. */
  runUntilIdle(limit = 100_000): number {
    let n = 0;
    while (n < limit) {
      const f = this.apply({ kind: 'step' });
      n++;
      if (f.label === 'idle') {
        this.frames.pop();
        this.inputs.pop();
        this.at = this.frames.length - 1;
        break;
      }
    }
    return n;
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
    for (let k = from; k < target; k++) this.exec(this.inputs[k] as Input, true);
    this.at = target;
  }

  private truncate(i: number) {
    this.frames.length = i + 1;
    this.inputs.length = i;
    while (this.snapshots.length > 1 && (this.snapshots[this.snapshots.length - 1] as Snapshot).frame > i) this.snapshots.pop();
  }

  /** Executes one input; for a kernel step returns what `rs_step` reported (0 = idle). */
  private exec(input: Input, replay = false): number {
    let kind = -1;
    switch (input.kind) {
      case 'setup':
        this.ring = IoUring.queueInit(this.core, this.mem, input.entries, input.opts);
        break;
      case 'nop': {
        const r = this.need();
        const sqe = r.getSqe();
        if (!sqe) throw new Error('the SQ is full: reap or step first');
        prepNop(sqe);
        sqeSetData64(sqe, input.userData);
        r.flushSq();
        break;
      }
      case 'enter': {
        const r = this.need();
        const n = r.flushSq();
        const ret = r.enterBegin(n, input.minComplete, input.flags);
        if (ret < 0) throw new Error(`io_uring_enter: the task is already in a syscall (${ret})`);
        break;
      }
      case 'reap':
        this.need().reap();
        break;
      case 'step':
        kind = this.core.call((e) => e.rs_step());
        break;
    }
    if (replay) this.core.call((e) => e.rs_trace_clear());
    return kind;
  }

  private need(): IoUring {
    if (!this.ring) throw new Error('no ring: set one up first');
    return this.ring;
  }

  private capture(index: number, actor: Frame['actor'], lbl: string): Frame {
    const events = drainTrace(this.core);
    return {
      index,
      actor,
      label: actor === 'kernel' && lbl !== 'idle' && events[0] ? events[0].event : lbl,
      coreStep: this.core.call((e) => e.rs_step_count()) >>> 0,
      timeNs: Number(this.core.call((e) => e.rs_clock_ns())),
      taskState: this.core.call((e) => e.rs_task_state()),
      lastRet: this.core.call((e) => e.rs_last_ret()),
      ring: this.ring ? readRing(this.ring) : null,
      events,
    };
  }

  private snapshot() {
    const u8 = this.core.u8();
    this.snapshots.push({
      frame: this.at,
      memory: u8.slice(),
      sqeTail: this.ring?.sqeTail ?? 0,
      userNext: this.mem.position(),
      hasRing: this.ring !== null,
    });
  }

  private restore(s: Snapshot) {
    const mem = this.core.exports.memory;
    const need = s.memory.byteLength - mem.buffer.byteLength;
    if (need > 0) mem.grow(Math.ceil(need / 65536));
    this.core.u8().set(s.memory);
    this.mem.setPosition(s.userNext);
    if (!s.hasRing) this.ring = null;
    else if (this.ring) this.ring.sqeTail = s.sqeTail;
  }

  /** Bytes held by snapshots (for the benchmark and the memory bound). */
  snapshotBytes(): number {
    return this.snapshots.reduce((n, s) => n + s.memory.byteLength, 0);
  }
}

function label(i: Input): string {
  switch (i.kind) {
    case 'setup': return `io_uring_setup(${i.entries})`;
    case 'nop': return `prep NOP (user_data ${i.userData})`;
    case 'enter': return `io_uring_enter(min_complete ${i.minComplete})`;
    case 'reap': return 'reap CQEs';
    case 'step': return 'step';
  }
}
