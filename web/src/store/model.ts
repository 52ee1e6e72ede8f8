/**
 * The UI's fold over the frame stream: for every frame, the requests the screen follows (their
 * state, the lane they are in, the CQ index their CQE took), the CQ overflow list, the frame's
 * semantic stops and its caption.
 *
 * Everything here is a pure function of the frames (and the program operation behind each
 * application step), so time travel never needs the core to answer "what was true then".
 * Models are computed incrementally: a prefix of frames that did not change keeps its models.
 */
import { type StopKind, stopsOf } from '../captions/stops';
import { captionFor } from '../captions/caption';
import type { Chapter, Op, Scenario } from '../scenario/format';
import type { Frame, ReqView } from '../sim/frame';
import { chapterAnchors } from '../sim/chapters';
import type { CTX_NAMES, REQ_STATE_NAMES } from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { eventArgs } from '../wasm/events.generated';

/** A context that runs kernel work: one lane of the lane diagram. */
export type Lane = (typeof CTX_NAMES)[number];
export type ReqStateName = (typeof REQ_STATE_NAMES)[number];

/** Lanes, top to bottom, as the lane diagram draws them. */
export const LANES: readonly Lane[] = ['user', 'io_uring', 'sq-thread', 'driver', 'io-wq', 'device', 'task_work'];

/** What each lane stands for. */
export const LANE_LABELS: Record<Lane, string> = {
  user: 'submitting task (user mode)',
  io_uring: 'io_uring core',
  driver: 'driver ->uring_cmd()',
  'io-wq': 'io-wq worker',
  device: 'device / workqueue',
  task_work: 'task_work',
  'sq-thread': 'SQPOLL thread (iou-sqp)',
};

/** A CQE on the kernel's overflow list (`struct io_overflow_cqe`). */
export interface OverflowEntry {
  req: number;
  userData: bigint;
  res: number;
  flags: number;
}

/** A request the screen follows, as of one frame. */
export interface ReqTrack {
  serial: number;
  userData: bigint;
  opcode: number;
  /** The request's state; `done` once its CQE was posted (it stays `done` after it is freed). */
  state: ReqStateName;
  /** Where it runs (if `active`) or waits. */
  lane: Lane;
  /** Whether it ran in this frame. */
  active: boolean;
  /** The free-running SQ index it was consumed at, and the SQE slot that index referred to. */
  sqIndex: number | null;
  sqeSlot: number | null;
  /** The free-running CQ index its CQE took, once the CQE is in the ring. */
  cqIndex: number | null;
  /** Its CQE waits on the overflow list. */
  overflowed: boolean;
  res: number | null;
  /** The live request object (null after it went back to the request cache). */
  view: ReqView | null;
}

export interface FrameModel {
  index: number;
  /** The program operation this frame ran (application steps). */
  op: Op | undefined;
  caption: string;
  stops: StopKind[];
  overflow: OverflowEntry[];
  reqs: ReqTrack[];
  /** The request this frame is about (pinned by the viewer, or the last one that ran). */
  focus: number | null;
  /** CQEs written into CQ slots so far (a slot was ever written if its index < this). */
  cqWrites: number;
  /** The highest local SQ tail so far (an SQE slot was ever written if its index < this). */
  sqeHigh: number;
  /** The record whose source line the code view shows (the last with a source location). */
  codeEvent: TraceEvent | null;
}

/** Where a request waits when nothing runs it. */
export function waitingLane(state: ReqStateName): Lane {
  switch (state) {
    case 'inflight':
      return 'device';
    case 'tw_pending':
      return 'task_work';
    case 'iowq_queued':
      return 'io-wq';
    case 'issuing':
      return 'driver';
    case 'done':
    case 'free':
      return 'user';
    default:
      return 'io_uring';
  }
}

/** Computes the model of `frame` from the model of the frame before it. */
export function nextModel(
  prev: FrameModel | null,
  frame: Frame,
  prevFrame: Frame | undefined,
  op: Op | undefined,
): FrameModel {
  const overflow = prev ? prev.overflow.slice() : [];
  let cqWrites = prev?.cqWrites ?? 0;
  const tracks = new Map<number, ReqTrack>();
  for (const t of prev?.reqs ?? []) tracks.set(t.serial, { ...t, active: false });

  const touch = (e: TraceEvent): ReqTrack | null => {
    if (!e.req) return null;
    let t = tracks.get(e.req);
    if (!t) {
      t = {
        serial: e.req,
        userData: e.userData,
        opcode: 0,
        state: 'prepped',
        lane: e.ctx,
        active: true,
        sqIndex: null,
        sqeSlot: null,
        cqIndex: null,
        overflowed: false,
        res: null,
        view: null,
      };
      tracks.set(e.req, t);
    }
    t.active = true;
    t.lane = e.ctx;
    return t;
  };

  for (const e of frame.events) {
    const t = touch(e);
    const f = eventArgs(e);
    switch (f?.event) {
      case 'io_uring_submit_req':
        if (t) {
          t.opcode = f.opcode & 0xff;
          t.sqIndex = f.sq_index;
          t.sqeSlot = frame.ring.sqArray[t.sqIndex & (frame.ring.sqEntries - 1)] ?? null;
        }
        break;
      case 'io_uring_complete':
        if (t) {
          t.cqIndex = cqWrites;
          t.res = f.res | 0;
          t.state = 'done';
        }
        cqWrites++;
        break;
      case 'io_uring_cqe_overflow':
        overflow.push({ req: e.req, userData: e.userData, res: f.res | 0, flags: f.cflags });
        if (t) {
          t.overflowed = true;
          t.res = f.res | 0;
          t.state = 'done';
        }
        break;
      case 'sim_overflow_flush': {
        for (const o of overflow.splice(0, f.moved)) {
          const ot = tracks.get(o.req);
          if (ot) {
            ot.overflowed = false;
            ot.cqIndex = cqWrites;
          }
          cqWrites++;
        }
        break;
      }
      default:
        break;
    }
  }

  const live = new Map(frame.ring.reqs.map((v) => [v.serial, v]));
  for (const v of frame.ring.reqs) {
    let t = tracks.get(v.serial);
    if (!t) {
      t = {
        serial: v.serial,
        userData: v.userData,
        opcode: v.opcode,
        state: v.state,
        lane: waitingLane(v.state),
        active: false,
        sqIndex: null,
        sqeSlot: null,
        cqIndex: null,
        overflowed: false,
        res: null,
        view: v,
      };
      tracks.set(v.serial, t);
    }
    t.view = v;
    t.userData = v.userData;
    t.opcode = v.opcode;
    if (v.state !== 'free') t.state = v.state;
  }
  const cqHead = frame.ring.cqHead;
  for (const t of tracks.values()) {
    if (!live.has(t.serial)) {
      t.view = null;
      if (t.state !== 'failed_prep') t.state = 'done';
    }
    if (!t.active) t.lane = waitingLane(t.state);
  }
  // A finished request leaves the screen once the application has reaped its CQE (or, when it
  // posted none, once it has been idle for a step).
  for (const [serial, t] of tracks) {
    if (t.active || t.view) continue;
    const reaped = t.cqIndex !== null && ((cqHead - t.cqIndex) | 0) > 0;
    const noCqe =
      t.cqIndex === null && !t.overflowed && prev?.reqs.some((p) => p.serial === serial && !p.active && !p.view);
    if (reaped || noCqe) tracks.delete(serial);
  }
  const reqs = [...tracks.values()].sort((a, b) => a.serial - b.serial);

  let focus: number | null = null;
  for (const e of frame.events) if (e.req && tracks.has(e.req)) focus = e.req;
  if (focus === null && prev?.focus != null && tracks.has(prev.focus)) focus = prev.focus;
  if (focus === null && reqs.length) focus = (reqs[reqs.length - 1] as ReqTrack).serial;

  let codeEvent: TraceEvent | null = null;
  for (const e of frame.events) if (e.srcFile) codeEvent = e;

  return {
    index: frame.index,
    op,
    caption: captionFor(
      frame,
      prevFrame,
      op,
      (req) => tracks.get(req)?.userData ?? prev?.reqs.find((r) => r.serial === req)?.userData,
    ),
    stops: stopsOf(frame, prevFrame),
    overflow,
    reqs,
    focus,
    cqWrites,
    sqeHigh: Math.max(prev?.sqeHigh ?? 0, frame.ring.sqeTail),
    codeEvent,
  };
}

/** A memo of {@link deriveModels}: the frames it last saw and their models. */
export interface ModelCache {
  frames: readonly Frame[];
  models: FrameModel[];
}

/**
 * Models for every frame, reusing `cache` for the unchanged prefix (frames compared by
 * identity, as the controller keeps frame objects).
 */
export function deriveModels(
  frames: readonly Frame[],
  opOf: (f: Frame) => Op | undefined,
  cache: ModelCache | null = null,
): ModelCache {
  // The controller only truncates and appends frames, so the same length and the same last
  // frame object mean the same timeline: a seek or a playback step keeps the arrays (and the
  // store's identity checks see nothing new).
  if (cache && cache.frames.length === frames.length && cache.frames[frames.length - 1] === frames[frames.length - 1])
    return cache;
  const models: FrameModel[] = [];
  let i = 0;
  if (cache) {
    while (i < frames.length && i < cache.frames.length && frames[i] === cache.frames[i]) {
      models.push(cache.models[i] as FrameModel);
      i++;
    }
  }
  for (; i < frames.length; i++) {
    const f = frames[i] as Frame;
    models.push(nextModel(models[i - 1] ?? null, f, frames[i - 1], opOf(f)));
  }
  return { frames: frames.slice(), models };
}

/** A chapter resolved to the frame it starts at (-1 when its event never happens). */
export interface ResolvedChapter extends Chapter {
  frame: number;
}

/**
 * Resolves each chapter of a scenario: to the frame of its program operation, or to the `nth`
 * frame whose records include its event.
 */
export function resolveChapters(s: Scenario, frames: readonly Frame[], opFrames: readonly number[]): ResolvedChapter[] {
  const chapters = s.chapters ?? [];
  const anchors = chapterAnchors(chapters, frames, opFrames);
  return chapters.map((ch, i) => ({ ...ch, frame: anchors[i]?.frame ?? -1 }));
}
