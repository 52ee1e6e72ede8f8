/**
 * A frame: what the screen shows after one step, read from the core's memory.
 *
 * Frames are immutable and small: ring words, the slot contents that matter, and the trace
 * records the step produced.
 */
import { PDU_SIZE, PROV_NAMES, REQ_INFO_OFF, REQ_STATE_NAMES } from '../wasm/abi.generated';
import type { StateChange, TraceEvent } from '../wasm/decode';
import type { Cqe, IoUring } from '../uring/IoUring';

export interface SqSlotView {
  /** SQE slot index. */
  slot: number;
  opcode: number;
  flags: number;
  fd: number;
  userData: bigint;
}

/** A request object of the ring's slab, as the UI shows it. */
export interface ReqView {
  serial: number;
  index: number;
  state: (typeof REQ_STATE_NAMES)[number];
  opcode: number;
  sqeFlags: number;
  inIssue: boolean;
  reqFlags: number;
  userData: bigint;
  fd: number;
  cmdOp: number;
  cmdFlags: number;
  res: number;
  cflags: number;
  issues: number;
  bigCqe: [bigint, bigint];
  pdu: Uint8Array;
  pduProv: (typeof PROV_NAMES)[number][];
  pduSrc: number[];
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
  /** Requests in use (not in the request cache). */
  reqs: ReqView[];
}

/** Reads every in-use request of the ring. */
export function readReqs(r: IoUring): ReqView[] {
  const core = r.core;
  const n = core.call((e) => e.rs_req_count(r.fd));
  const out: ReqView[] = [];
  for (let i = 0; i < n; i++) {
    const p = core.call((e) => e.rs_req_info(r.fd, i)) >>> 0;
    if (!p) continue;
    const dv = core.view();
    const state = REQ_STATE_NAMES[dv.getUint8(p + REQ_INFO_OFF.STATE)] ?? 'free';
    if (state === 'free') continue;
    const pduProv: (typeof PROV_NAMES)[number][] = [];
    const pduSrc: number[] = [];
    for (let k = 0; k < PDU_SIZE; k++) {
      pduProv.push(PROV_NAMES[dv.getUint8(p + REQ_INFO_OFF.PDU_PROV + k)] ?? 'fresh');
      pduSrc.push(dv.getUint32(p + REQ_INFO_OFF.PDU_SRC + 4 * k, true));
    }
    out.push({
      serial: dv.getUint32(p + REQ_INFO_OFF.SERIAL, true),
      index: dv.getUint32(p + REQ_INFO_OFF.INDEX, true),
      state,
      opcode: dv.getUint8(p + REQ_INFO_OFF.OPCODE),
      sqeFlags: dv.getUint8(p + REQ_INFO_OFF.SQE_FLAGS),
      inIssue: dv.getUint8(p + REQ_INFO_OFF.IN_ISSUE) !== 0,
      reqFlags: dv.getUint32(p + REQ_INFO_OFF.FLAGS, true),
      userData: dv.getBigUint64(p + REQ_INFO_OFF.USER_DATA, true),
      fd: dv.getInt32(p + REQ_INFO_OFF.FD, true),
      cmdOp: dv.getUint32(p + REQ_INFO_OFF.CMD_OP, true),
      cmdFlags: dv.getUint32(p + REQ_INFO_OFF.CMD_FLAGS, true),
      res: dv.getInt32(p + REQ_INFO_OFF.RES, true),
      cflags: dv.getUint32(p + REQ_INFO_OFF.CFLAGS, true),
      issues: dv.getUint32(p + REQ_INFO_OFF.ISSUES, true),
      bigCqe: [dv.getBigUint64(p + REQ_INFO_OFF.BIG_CQE, true), dv.getBigUint64(p + REQ_INFO_OFF.BIG_CQE + 8, true)],
      pdu: core.u8().slice(p + REQ_INFO_OFF.PDU, p + REQ_INFO_OFF.PDU + PDU_SIZE),
      pduProv,
      pduSrc,
    });
  }
  return out;
}

/** Who performed a step. */
export type StepActor = 'app' | 'kernel';

export interface Frame {
  /** Index of this frame in the timeline (0 = the initial state). */
  index: number;
  actor: StepActor;
  /** A short label: the program operation's summary, or the first kernel event. */
  label: string;
  /** Index of the program operation this frame ran (-1 for kernel steps and manual actions). */
  op: number;
  /** The core's step counter after this frame. */
  coreStep: number;
  timeNs: number;
  /** 0 user mode, 1 in a syscall, 2 sleeping in a syscall. */
  taskState: number;
  lastRet: number;
  ring: RingFrame;
  events: TraceEvent[];
  /** The requests' state transitions in this step, in order (the core's `sim_req_state`). */
  states: StateChange[];
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
    reqs: readReqs(r),
  };
}

/** The raw bytes of a ring's SQE array and CQE array, for the byte view. */
export interface RingBytes {
  sqeSize: number;
  cqeSize: number;
  /** `sqEntries * sqeSize` bytes: the SQE array as userspace mapped it. */
  sqes: Uint8Array;
  /** `cqEntries * cqeSize` bytes: the CQE slots of the CQ ring. */
  cqes: Uint8Array;
}

/**
 * Copies a ring's SQE and CQE arrays out of shared memory. Not part of {@link Frame} (it would
 * make every frame carry the whole ring); the store reads it for the frame on screen, whose
 * state is the core's live state after a seek.
 */
export function readRingBytes(r: IoUring): RingBytes {
  const u8 = r.core.u8();
  const cqes = r.ringsAddr + r.off.cq.cqes;
  return {
    sqeSize: r.sqeSize,
    cqeSize: r.cqeSize,
    sqes: u8.slice(r.sqesAddr, r.sqesAddr + r.sqEntries * r.sqeSize),
    cqes: u8.slice(cqes, cqes + r.cqEntries * r.cqeSize),
  };
}
