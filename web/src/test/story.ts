/**
 * A hand-built timeline of one queued uring_cmd completed through task_work (the v5 story), for
 * component and store tests that need driver, device and task_work steps, PDU provenance and a
 * sanitizer report without depending on which drivers a core build has.
 *
 * Records follow the argument layout of core-rs/src/trace/mod.rs.
 */
import type { Op } from '../scenario/format';
import type { Frame, ReqView, RingBytes, RingFrame } from '../sim/frame';
import { deriveModels, type FrameModel } from '../store/model';
import type { StateChange, TraceEvent } from '../wasm/decode';
import {
  EIOCBQUEUED,
  IO_URING_F_COMPLETE_DEFER,
  IO_URING_F_INLINE,
  IO_URING_F_NONBLOCK,
  IORING_OP_URING_CMD,
} from '../wasm/abi.generated';

export const UD = 42n;
export const CMD_OP = 0x80;
/** The source file id and line the story's driver write comes from. */
export const SRC_FILE = 10;
export const SRC_LINE = 77;

type Ctx = TraceEvent['ctx'];

function ev(
  event: TraceEvent['event'],
  ctx: Ctx,
  req: number,
  a: bigint | number = 0,
  b: bigint | number = 0,
  src: [number, number] = [0, 0],
): TraceEvent {
  return {
    step: 0,
    event,
    ctx,
    ring: 1,
    req,
    srcFile: src[0],
    srcLine: src[1],
    timeNs: 0,
    userData: req ? UD : 0n,
    a: BigInt(a),
    b: BigInt(b),
  };
}

function ring(over: Partial<RingFrame> = {}): RingFrame {
  const sqEntries = 4;
  const cqEntries = 8;
  return {
    fd: 3,
    sqEntries,
    cqEntries,
    sqHead: 0,
    sqTail: 0,
    sqeTail: 0,
    sqFlags: 0,
    sqDropped: 0,
    cqHead: 0,
    cqTail: 0,
    cqOverflow: 0,
    sqArray: [0, 1, 2, 3],
    sqes: Array.from({ length: sqEntries }, (_, slot) => ({ slot, opcode: 0, flags: 0, fd: 0, userData: 0n })),
    cqes: Array.from({ length: cqEntries }, (_, i) => ({ userData: 0n, res: 0, flags: 0, index: i })),
    reqs: [],
    ...over,
  };
}

export function req(state: ReqView['state'], over: Partial<ReqView> = {}): ReqView {
  return {
    serial: 1,
    index: 0,
    state,
    opcode: IORING_OP_URING_CMD,
    sqeFlags: 0,
    inIssue: false,
    reqFlags: 0,
    userData: UD,
    fd: 4,
    cmdOp: CMD_OP,
    cmdFlags: 0,
    res: 0,
    cflags: 0,
    issues: 1,
    bigCqe: [0n, 0n],
    pdu: new Uint8Array(32),
    pduProv: Array(32).fill('stale'),
    pduSrc: Array(32).fill(0),
    ...over,
  };
}

const sqe = { slot: 0, opcode: IORING_OP_URING_CMD, flags: 0, fd: 4, userData: UD };
const sqes = [sqe, ...ring().sqes.slice(1)];

function pdu(): Pick<ReqView, 'pdu' | 'pduProv' | 'pduSrc'> {
  const b = new Uint8Array(32);
  b.set([0x2a, 0, 0, 0, 0, 0, 0, 0]);
  return {
    pdu: b,
    pduProv: [...Array(8).fill('driver'), ...Array(24).fill('zeroed')],
    pduSrc: [...Array(8).fill((SRC_FILE << 16) | SRC_LINE), ...Array(24).fill(0)],
  };
}

let index = 0;
function frame(
  actor: Frame['actor'],
  label: string,
  op: number,
  r: RingFrame,
  events: TraceEvent[],
  taskState = 0,
  states: StateChange[] = [],
): Frame {
  return {
    index: index++,
    actor,
    label,
    op,
    coreStep: index,
    timeNs: index * 100,
    taskState,
    lastRet: 0,
    ring: r,
    events,
    states,
  };
}

/** The `sim_req_state` transitions of request 1 through `path`. */
function moves(...path: StateChange['to'][]): StateChange[] {
  return path.slice(1).map((to, i) => ({ req: 1, from: path[i] as StateChange['to'], to }));
}

/** The program behind the story's application steps. */
export const STORY_PROGRAM: Op[] = [
  { op: 'prep', sqe: { opcode: 'URING_CMD', fd: 4, user_data: 42, cmd_op: CMD_OP } },
  { op: 'submit' },
  { op: 'reap' },
];

/** Builds the story's frames; `sanitizer` adds a done()-without-uring_lock report to the task_work step. */
export function storyFrames(opts: { sanitizer?: boolean } = {}): Frame[] {
  index = 0;
  const issueFlags = (IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER | IO_URING_F_INLINE) >>> 0;
  const staged = { sqes, sqeTail: 1, sqTail: 1 };
  const consumed = { ...staged, sqHead: 1 };
  const done = {
    ...consumed,
    cqTail: 1,
    cqes: [{ userData: UD, res: 0, flags: 0, index: 0 }, ...ring().cqes.slice(1)],
  };
  const tw = [
    ev('sim_task_work_run', 'task_work', 1),
    ev('sim_uring_cmd_done', 'task_work', 1, 0, IO_URING_F_COMPLETE_DEFER, [SRC_FILE, 91]),
  ];
  if (opts.sanitizer) tw.push(ev('sanitizer_done_unlocked', 'task_work', 1, 0));
  tw.push(
    ev('io_uring_complete', 'task_work', 1, 0, 0n),
    ev('sim_cq_tail_commit', 'task_work', 0, 1, 0),
    ev('sim_req_free', 'task_work', 1),
  );
  return [
    frame('app', 'io_uring_setup(4)', -1, ring(), []),
    frame('app', 'SQE in slot 0', 0, ring(staged), []),
    frame('app', 'io_uring_enter(to_submit 1, min_complete 0)', 1, ring(staged), [], 1),
    frame(
      'kernel',
      'sim_sys_enter',
      -1,
      ring({ ...staged, reqs: [req('prepped')] }),
      [ev('sim_sys_enter', 'io_uring', 0, 1, 0), ev('io_uring_submit_req', 'io_uring', 1, IORING_OP_URING_CMD, 0n)],
      1,
      moves('free', 'prepped'),
    ),
    frame(
      'kernel',
      'sim_issue',
      -1,
      ring({ ...staged, reqs: [req('inflight', pdu())] }),
      [
        ev('sim_issue', 'io_uring', 1, issueFlags, IORING_OP_URING_CMD),
        ev('sim_uring_cmd_issue', 'driver', 1, issueFlags, CMD_OP),
        ev('sim_pdu_zero', 'driver', 1, 2),
        ev('sim_pdu_write', 'driver', 1, 0, 8, [SRC_FILE, SRC_LINE]),
        ev('sim_uring_cmd_ret', 'driver', 1, -EIOCBQUEUED),
      ],
      1,
      moves('prepped', 'issuing', 'inflight'),
    ),
    frame(
      'kernel',
      'sim_sq_head_commit',
      -1,
      ring({ ...consumed, reqs: [req('inflight', pdu())] }),
      [ev('sim_sq_head_commit', 'io_uring', 0, 1), ev('sim_sys_exit', 'io_uring', 0, 1)],
      0,
    ),
    frame(
      'kernel',
      'sim_work_run',
      -1,
      ring({ ...consumed, reqs: [req('tw_pending', pdu())] }),
      [ev('sim_work_run', 'device', 1, 0), ev('io_uring_task_add', 'device', 1, 0)],
      0,
      moves('inflight', 'tw_pending'),
    ),
    frame(
      'kernel',
      'sim_task_work_run',
      -1,
      ring({ ...done, reqs: [] }),
      tw,
      0,
      moves('tw_pending', 'complete_pending', 'done', 'free'),
    ),
    frame('app', 'reaped 42:0', 2, ring({ ...done, cqHead: 1 }), []),
  ];
}

/** The story's frames with their models. */
export function story(opts: { sanitizer?: boolean } = {}): { frames: Frame[]; models: FrameModel[] } {
  const frames = storyFrames(opts);
  const { models } = deriveModels(frames, (f) => (f.op >= 0 ? STORY_PROGRAM[f.op] : undefined));
  return { frames, models };
}

/** The bytes of the story's ring as `inspect` holds them: SQE 0 is the URING_CMD, CQE 0 its completion. */
export function storyBytes(): RingBytes {
  const sqes = new Uint8Array(4 * 64);
  const dv = new DataView(sqes.buffer);
  sqes[0] = IORING_OP_URING_CMD;
  dv.setInt32(4, 4, true);
  dv.setUint32(8, CMD_OP, true);
  dv.setBigUint64(32, UD, true);
  sqes[48] = 0x11;
  const cqes = new Uint8Array(8 * 16);
  new DataView(cqes.buffer).setBigUint64(0, UD, true);
  const slot = (b: Uint8Array, size: number, n: number) => (i: number) =>
    Number.isInteger(i) && i >= 0 && i < n ? b.slice(i * size, (i + 1) * size) : null;
  return { sqeSize: 64, cqeSize: 16, sqEntries: 4, cqEntries: 8, sqe: slot(sqes, 64, 4), cqe: slot(cqes, 16, 8) };
}
