/**
 * A frame: what the screen shows after one step, read from the core's memory.
 *
 * Frames are immutable and small: ring words, the slot contents that matter, and the trace
 * records the step produced.
 */
import type { TraceEvent } from '../wasm/decode';
import type { Cqe, IoUring } from '../uring/IoUring';

export interface SqSlotView {
  /** SQE slot index. */
  slot: number;
  opcode: number;
  flags: number;
  fd: number;
  userData: bigint;
}

export interface RingFrame {
  fd: number;
  sqEntries: number;
  cqEntries: number;
  sqHead: number;
  sqTail: number;
  /** The application's local SQ tail (SQEs written, maybe not yet published). */
  sqeTail: number;
  sqFlags: number;
  sqDropped: number;
  cqHead: number;
  cqTail: number;
  cqOverflow: number;
  /** SQ index array. */
  sqArray: number[];
  sqes: SqSlotView[];
  /** CQE slots by slot index. */
  cqes: Cqe[];
}

/** Who performed a step. */
export type StepActor = 'app' | 'kernel';

export interface Frame {
  /** Index of this frame in the timeline (0 = the initial state). */
  index: number;
  actor: StepActor;
  /** A short label: the app action, or the kernel step kind. */
  label: string;
  /** The core's step counter after this frame. */
  coreStep: number;
  timeNs: number;
  /** 0 user mode, 1 in a syscall, 2 sleeping in a syscall. */
  taskState: number;
  lastRet: number;
  ring: RingFrame | null;
  events: TraceEvent[];
}

/** Reads a ring's visible state out of shared memory. */
export function readRing(r: IoUring): RingFrame {
  const dv = r.core.view();
  const sqes: SqSlotView[] = [];
  for (let slot = 0; slot < r.sqEntries; slot++) {
    const a = r.sqesAddr + slot * r.sqeSize;
    sqes.push({
      slot,
      opcode: dv.getUint8(a),
      flags: dv.getUint8(a + 1),
      fd: dv.getInt32(a + 4, true),
      userData: dv.getBigUint64(a + 32, true),
    });
  }
  const cqes: Cqe[] = [];
  for (let slot = 0; slot < r.cqEntries; slot++) cqes.push(r.cqeAt(slot));
  const sqArray: number[] = [];
  for (let i = 0; i < r.sqEntries; i++) sqArray.push(r.sqArray(i));
  return {
    fd: r.fd,
    sqEntries: r.sqEntries,
    cqEntries: r.cqEntries,
    sqHead: r.sqHead(),
    sqTail: r.sqTail(),
    sqeTail: r.sqeTail,
    sqFlags: r.sqFlags(),
    sqDropped: r.sqDropped(),
    cqHead: r.cqHead(),
    cqTail: r.cqTail(),
    cqOverflow: r.cqOverflow(),
    sqArray,
    sqes,
    cqes,
  };
}
