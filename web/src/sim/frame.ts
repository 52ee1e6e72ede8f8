/**
 * A frame: what the screen shows after one step, read from the core's memory.
 *
 * Frames are immutable and small: ring words, the slot contents that matter, and the trace
 * records the step produced.
 */
import { PDU_SIZE, PROV_NAMES, REQ_INFO_OFF, REQ_INFO_SIZE, REQ_STATE_NAMES } from '../wasm/abi.generated';
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

/** The ring words each slot array was read from (see {@link readRing}). */
const rawOf = new WeakMap<readonly unknown[], Uint32Array>();

/** The raw request-info block each view was read from (to share unchanged views between frames). */
const reqRaw = new WeakMap<ReqView, Uint32Array>();

function sameWords(u32: Uint32Array, at: number, raw: Uint32Array): boolean {
  for (let k = 0; k < raw.length; k++) if (u32[at + k] !== raw[k]) return false;
  return true;
}

/**
 * Reads every in-use request of the ring. A request whose info block did not change since
 * `prev` (the same ring's requests in an earlier frame) keeps its view object, so frames share
 * what did not change (memory, garbage collection, and React's identity checks).
 */
export function readReqs(r: IoUring, prev?: readonly ReqView[]): ReqView[] {
  const core = r.core;
  const n = core.call((e) => e.rs_req_count(r.fd));
  const out: ReqView[] = [];
  const before = new Map<number, ReqView>();
  if (prev) for (const v of prev) before.set(v.index, v);
  const words = REQ_INFO_SIZE >> 2;
  for (let i = 0; i < n; i++) {
    const p = core.call((e) => e.rs_req_info(r.fd, i)) >>> 0;
    if (!p) continue;
    const dv = core.view();
    const state = REQ_STATE_NAMES[dv.getUint8(p + REQ_INFO_OFF.STATE)] ?? 'free';
    if (state === 'free') continue;
    const old = before.get(dv.getUint32(p + REQ_INFO_OFF.INDEX, true));
    const oldRaw = old ? reqRaw.get(old) : undefined;
    const u32 = new Uint32Array(dv.buffer);
    if (old && oldRaw && (p & 3) === 0 && sameWords(u32, p >> 2, oldRaw)) {
      out.push(old);
      continue;
    }
    const pduProv: (typeof PROV_NAMES)[number][] = [];
    const pduSrc: number[] = [];
    for (let k = 0; k < PDU_SIZE; k++) {
      pduProv.push(PROV_NAMES[dv.getUint8(p + REQ_INFO_OFF.PDU_PROV + k)] ?? 'fresh');
      pduSrc.push(dv.getUint32(p + REQ_INFO_OFF.PDU_SRC + 4 * k, true));
    }
    const v: ReqView = {
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
    };
    if ((p & 3) === 0) reqRaw.set(v, u32.slice(p >> 2, (p >> 2) + words));
    out.push(v);
  }
  if (prev && out.length === prev.length && out.every((v, k) => v === prev[k])) return prev as ReqView[];
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
  /**
   * Part `n` of `of` of one step shown in beats (several chapters start inside it); the state
   * of every beat but the last is the state before the step.
   */
  beat?: { n: number; of: number };
}

/**
 * Reads a ring's visible state out of shared memory. Given `prev` (an earlier frame of the same
 * ring), every slot whose contents did not change keeps its object, and an array with no change
 * at all is `prev`'s own array: a step that touches one slot of a 32768-entry ring allocates one
 * slot object, not 100k.
 */
export function readRing(r: IoUring, prev?: RingFrame): RingFrame {
  const dv = r.core.view();
  const u32 = new Uint32Array(dv.buffer);
  const same =
    prev !== undefined && prev.fd === r.fd && prev.sqEntries === r.sqEntries && prev.cqEntries === r.cqEntries;
  const p = same ? prev : undefined;
  // The words each slot was last read from: a slot whose words did not change keeps its object
  // without touching BigInts (a 32768-entry ring compares in well under a millisecond).
  const sqW = r.sqeSize >> 2;
  const sqBase = r.sqesAddr >> 2;
  const sqRaw = p && rawOf.get(p.sqes);
  let sqes: SqSlotView[] | null = null;
  // Copied on the first change (an unchanged ring allocates nothing).
  let sqOut: Uint32Array | null = sqRaw ? null : new Uint32Array(r.sqEntries * 4);
  for (let slot = 0; slot < r.sqEntries; slot++) {
    const w = sqBase + slot * sqW;
    const a0 = u32[w] as number;
    const a1 = u32[w + 1] as number;
    const a8 = u32[w + 8] as number;
    const a9 = u32[w + 9] as number;
    const o = p?.sqes[slot];
    if (
      o &&
      sqRaw &&
      sqRaw[slot * 4] === a0 &&
      sqRaw[slot * 4 + 1] === a1 &&
      sqRaw[slot * 4 + 2] === a8 &&
      sqRaw[slot * 4 + 3] === a9
    ) {
      continue;
    }
    if (!sqOut) sqOut = (sqRaw as Uint32Array).slice();
    sqOut[slot * 4] = a0;
    sqOut[slot * 4 + 1] = a1;
    sqOut[slot * 4 + 2] = a8;
    sqOut[slot * 4 + 3] = a9;
    const a = r.sqesAddr + slot * r.sqeSize;
    const opcode = dv.getUint8(a);
    const flags = dv.getUint8(a + 1);
    const fd = dv.getInt32(a + 4, true);
    const userData = dv.getBigUint64(a + 32, true);
    if (o && o.opcode === opcode && o.flags === flags && o.fd === fd && o.userData === userData) continue;
    // Copied whole on the first change (a copy is cheaper than growing an array slot by slot).
    if (!sqes) sqes = p ? p.sqes.slice() : [];
    sqes[slot] = { slot, opcode, flags, fd, userData };
  }
  const cqW = r.cqeSize >> 2;
  const cqBase = (r.ringsAddr + r.off.cq.cqes) >> 2;
  const cqRaw = p && rawOf.get(p.cqes);
  let cqOut: Uint32Array | null = cqRaw ? null : new Uint32Array(r.cqEntries * cqW);
  let cqes: Cqe[] | null = null;
  for (let slot = 0; slot < r.cqEntries; slot++) {
    const o = p?.cqes[slot];
    let diff = !cqRaw || !o;
    if (!diff) {
      for (let k = 0; k < cqW; k++)
        if ((cqRaw as Uint32Array)[slot * cqW + k] !== u32[cqBase + slot * cqW + k]) diff = true;
    }
    if (!diff) continue;
    if (!cqOut) cqOut = (cqRaw as Uint32Array).slice();
    for (let k = 0; k < cqW; k++) cqOut[slot * cqW + k] = u32[cqBase + slot * cqW + k] as number;
    if (!cqes) cqes = p ? p.cqes.slice() : [];
    cqes[slot] = r.cqeAt(slot);
  }
  let sqArray: number[] | null = null;
  // The SQ index array's words, read straight from memory (it is 4-byte aligned in the rings).
  const arrAt = r.ringsAddr + r.off.sq.array;
  const arrW = (arrAt & 3) === 0 ? arrAt >> 2 : -1;
  for (let i = 0; i < r.sqEntries; i++) {
    const v = arrW >= 0 ? (u32[arrW + i] as number) : r.sqArray(i);
    if (p && p.sqArray[i] === v) continue;
    if (!sqArray) sqArray = p ? p.sqArray.slice() : [];
    sqArray[i] = v;
  }
  const sqFinal = sqes ?? (p as RingFrame).sqes;
  const cqFinal = cqes ?? (p as RingFrame).cqes;
  // The raw words belong to the arrays as they are now (an unchanged array's words are unchanged).
  if (sqOut) rawOf.set(sqFinal, sqOut);
  if (cqOut) rawOf.set(cqFinal, cqOut);
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
    sqArray: sqArray ?? (p as RingFrame).sqArray,
    sqes: sqFinal,
    cqes: cqFinal,
    reqs: readReqs(r, p?.reqs),
  };
}

/**
 * The bytes of a ring's SQE and CQE slots at one frame, for the byte view. Not part of
 * {@link Frame} (it would make every frame carry the whole ring), and not a copy of the whole
 * arrays either (3 MiB for a 32768-entry ring, on every step): the slots asked for when it is
 * read are copied at once, and any other slot is copied from the core's live memory on first
 * use while that memory still holds this frame (null after the core has moved on).
 */
export interface RingBytes {
  sqeSize: number;
  cqeSize: number;
  sqEntries: number;
  cqEntries: number;
  /** The `sqeSize` bytes of SQE slot `slot` (null: out of range, or no longer readable). */
  sqe(slot: number): Uint8Array | null;
  /** The `cqeSize` bytes of CQ slot `slot` (null: out of range, or no longer readable). */
  cqe(slot: number): Uint8Array | null;
}

/**
 * Reads the bytes of a ring's SQE slots `sqSlots` and CQ slots `cqSlots` out of shared memory
 * now (the state of the frame on screen, the core's live state after a seek); other slots are
 * read on demand while `live()` says the core's memory is still that state.
 */
export function readRingBytes(
  r: IoUring,
  live: () => boolean,
  sqSlots: Iterable<number> = [],
  cqSlots: Iterable<number> = [],
): RingBytes {
  const cqBase = r.ringsAddr + r.off.cq.cqes;
  const { sqesAddr, sqeSize, cqeSize, sqEntries, cqEntries } = r;
  const core = r.core;
  const sq = new Map<number, Uint8Array>();
  const cq = new Map<number, Uint8Array>();
  const get = (m: Map<number, Uint8Array>, base: number, size: number, n: number, slot: number, now: boolean) => {
    if (!Number.isInteger(slot) || slot < 0 || slot >= n) return null;
    const had = m.get(slot);
    if (had) return had;
    if (!now && !live()) return null;
    const b = core.u8().slice(base + slot * size, base + (slot + 1) * size);
    m.set(slot, b);
    return b;
  };
  for (const s of sqSlots) get(sq, sqesAddr, sqeSize, sqEntries, s, true);
  for (const s of cqSlots) get(cq, cqBase, cqeSize, cqEntries, s, true);
  return {
    sqeSize,
    cqeSize,
    sqEntries,
    cqEntries,
    sqe: (slot) => get(sq, sqesAddr, sqeSize, sqEntries, slot, false),
    cqe: (slot) => get(cq, cqBase, cqeSize, cqEntries, slot, false),
  };
}
