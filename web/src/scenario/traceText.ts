/**
 * Trace records as text and JSON: the `TP_printk`-like lines of `ringside run`, the golden traces
 * (`scenarios/golden/<id>.trace`) and the `--json` records.
 *
 * Each line is `step time_ns context event: fields`, with the tracepoint's own field wording
 * for `io_uring_*` events (include/trace/events/io_uring.h) and the simulator's for `sim_*` and
 * `sanitizer_*`; when a record carries a source location it ends with `[file.rs:line]`, the driver
 * or abstraction line that caused it.
 *
 * @see core-rs/src/trace/mod.rs for what `a` and `b` mean per event.
 */
import {
  DRIVER_CMD_OPS,
  ENOTMODELLED,
  ERRNO_NAMES,
  IO_URING_F_CANCEL,
  IO_URING_F_COMPAT,
  IO_URING_F_COMPLETE_DEFER,
  IO_URING_F_CQE32,
  IO_URING_F_INLINE,
  IO_URING_F_IOPOLL,
  IO_URING_F_IOWQ,
  IO_URING_F_MULTISHOT,
  IO_URING_F_NONBLOCK,
  IO_URING_F_SQE128,
  IO_URING_F_UNLOCKED,
  PROV_NAMES,
  REQ_STATE_NAMES,
  SOURCE_FILES,
} from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';

const OPCODES: Record<number, string> = { 0: 'NOP', 46: 'URING_CMD', 63: 'NOP128', 64: 'URING_CMD128' };

const ISSUE_FLAGS: [number, string][] = [
  [IO_URING_F_NONBLOCK, 'NONBLOCK'],
  [IO_URING_F_COMPLETE_DEFER, 'COMPLETE_DEFER'],
  [IO_URING_F_UNLOCKED, 'UNLOCKED'],
  [IO_URING_F_MULTISHOT, 'MULTISHOT'],
  [IO_URING_F_IOWQ, 'IOWQ'],
  [IO_URING_F_INLINE, 'INLINE'],
  [IO_URING_F_SQE128, 'SQE128'],
  [IO_URING_F_CQE32, 'CQE32'],
  [IO_URING_F_IOPOLL, 'IOPOLL'],
  [IO_URING_F_CANCEL, 'CANCEL'],
  [IO_URING_F_COMPAT, 'COMPAT'],
];

const CMD_OP_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DRIVER_CMD_OPS).map(([k, v]) => [v >>> 0, k]));

/** `IO_URING_F_*` names of an issue-flags word (`NONBLOCK|COMPLETE_DEFER|INLINE`, or `0`). */
export function issueFlagNames(f: number): string {
  const names = ISSUE_FLAGS.filter(([bit]) => (f >>> 0) & (bit >>> 0)).map(([, n]) => n);
  const known = ISSUE_FLAGS.reduce((m, [bit]) => (m | bit) >>> 0, 0);
  const rest = (f >>> 0) & ~known;
  if (rest) names.push(`0x${(rest >>> 0).toString(16)}`);
  return names.length ? names.join('|') : '0';
}

/** A result with its errno name when negative (`-95 (EOPNOTSUPP)`). */
export function resultText(v: number): string {
  if (v === -ENOTMODELLED) return `${v} (not modelled by the simulator)`;
  if (v < 0 && ERRNO_NAMES[-v]) return `${v} (${ERRNO_NAMES[-v]})`;
  return String(v);
}

function hex(v: bigint | number): string {
  return `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
}

/** Options for {@link formatRecord}. */
export interface FormatOptions {
  /** Base of user memory: user addresses print as `user+0x..` so traces do not depend on it. */
  userBase?: number;
  /** Size of user memory (with `userBase`, for {@link relativizeUserAddrs}). */
  userLen?: number;
}

/** Rewrites every `0x…` in `text` that lies in user memory as `user+0x…`. */
export function relativizeUserAddrs(text: string, o: FormatOptions): string {
  const { userBase, userLen } = o;
  if (userBase === undefined || userLen === undefined) return text;
  return text.replace(/0x([0-9a-f]+)/g, (m, h: string) => {
    const v = parseInt(h, 16);
    return v >= userBase && v < userBase + userLen ? `user+0x${(v - userBase).toString(16)}` : m;
  });
}

/** The source location of a record as `file.rs:line`, or `null`. */
export function srcText(e: TraceEvent): string | null {
  if (!e.srcFile && !e.srcLine) return null;
  const path = SOURCE_FILES[e.srcFile];
  const base = path ? path.slice(path.lastIndexOf('/') + 1) : `file${e.srcFile}`;
  return `${base}:${e.srcLine}`;
}

function userAddr(a: bigint, o: FormatOptions): string {
  if (o.userBase === undefined) return hex(a);
  const off = Number(a) - o.userBase;
  return off >= 0 ? `user+0x${off.toString(16)}` : hex(a);
}

/** The fields part of a record (after `event: `). */
export function recordFields(e: TraceEvent, o: FormatOptions = {}): string {
  const a = Number(e.a);
  const lo = Number(BigInt.asUintN(32, e.b));
  const hi = Number(BigInt.asUintN(32, e.b >> 32n));
  const req = `req ${e.req}, user_data ${hex(e.userData)}`;
  switch (e.event) {
    case 'io_uring_create':
      return `ring ${e.ring}, sq_entries ${a}, cq_entries ${lo}, flags 0x${hi.toString(16)}`;
    case 'io_uring_submit_req':
      return `${req}, opcode ${OPCODES[a] ?? a}, flags 0x${(lo & 0xff).toString(16)}, sq_head ${hi}`;
    case 'io_uring_complete':
      return `${req}, result ${resultText(a)}, cflags 0x${lo.toString(16)}, slot ${hi}`;
    case 'io_uring_cqe_overflow':
      return `${req}, result ${resultText(a)}, cflags 0x${lo.toString(16)}`;
    case 'io_uring_queue_async_work':
      return `${req}, opcode ${OPCODES[a] ?? a}`;
    case 'io_uring_req_failed':
      return `${req}, error ${resultText(a)}`;
    case 'io_uring_task_add':
      return `${req}, lazy ${a}, local ${lo}`;
    case 'io_uring_cqring_wait':
      return `ring ${e.ring}, min_events ${a}, cqes ${lo}`;
    case 'io_uring_fail_link':
      return `${req}, head ${a}, result ${resultText(Number(e.b))}`;
    case 'io_uring_link':
      return `${req}, head ${a}`;
    case 'sim_sys_enter':
      return `to_submit ${a}, min_complete ${lo}, flags 0x${hi.toString(16)}`;
    case 'sim_sys_exit':
      return `ring ${e.ring}, ret ${resultText(a)}`;
    case 'sim_sq_head_commit':
      return `ring ${e.ring}, head ${a}`;
    case 'sim_cq_tail_commit':
      return `ring ${e.ring}, tail ${a}`;
    case 'sim_sqe_dropped':
      return `ring ${e.ring}, index ${a}, dropped ${lo}`;
    case 'sim_issue':
      return `${req}, opcode ${OPCODES[Number(e.b)] ?? Number(e.b)}, issue_flags ${issueFlagNames(a)}`;
    case 'sim_uring_cmd_issue': {
      const op = lo >>> 0;
      return `${req}, cmd_op 0x${op.toString(16).padStart(8, '0')}${CMD_OP_NAMES[op] ? ` (${CMD_OP_NAMES[op]})` : ''}, issue_flags ${issueFlagNames(a)}`;
    }
    case 'sim_uring_cmd_ret':
      return `${req}, ret ${resultText(a)}${lo ? ' (cancel call, ignored)' : ''}`;
    case 'sim_uring_cmd_done':
      return `${req}, ret ${resultText(a)}, issue_flags ${issueFlagNames(lo)}`;
    case 'sim_uring_cmd_cancel':
      return `${req}, issue_flags ${issueFlagNames(a)}`;
    case 'sim_uring_cmd_no_hook':
      return `${req}, fd ${a} has no f_op->uring_cmd`;
    case 'sim_uring_cmd_do_in_task':
      return `${req}, ${a ? 'lazy' : 'normal'} wake`;
    case 'sim_uring_cmd_cancelable':
      return req;
    case 'sim_task_work_run':
      return `${req}${a ? ', local (DEFER_TASKRUN)' : ''}`;
    case 'sim_work_run':
    case 'sim_iowq_run':
    case 'sim_req_free':
      return req;
    case 'sim_work_queue':
      return lo ? `req ${e.req}, delayed ${a} ns` : `req ${e.req}`;
    case 'sim_timer_fire':
      return `req ${e.req}, now ${a} ns`;
    case 'sim_wait_sleep':
      return `ring ${e.ring}, min_events ${a}`;
    case 'sim_wait_wake':
    case 'sim_wait_deadlock':
      return `ring ${e.ring}`;
    case 'sim_overflow_flush':
      return `ring ${e.ring}, moved ${a}`;
    case 'sim_pdu_write':
    case 'sim_pdu_read':
      return `${req}, pdu[${a}..${a + lo}]`;
    case 'sim_pdu_zero':
      return `${req}, by ${a === 1 ? 'io_uring_cmd_prep (RFC v3 patch 2/5)' : 'the v5 uring_cmd wrapper'}`;
    case 'sim_sqe_copy':
      return `${req}, ${a} bytes`;
    case 'sim_sqe_read':
      return `req ${e.req}, sqe[${a}..${a + lo}], ${hi ? 'volatile' : 'plain read'}`;
    case 'sim_driver_log':
      return JSON.stringify(e.text ?? `#${a}`);
    case 'sim_copy_from_user':
    case 'sim_copy_to_user':
      return `req ${e.req}, ${userAddr(e.a, o)}, ${lo} bytes`;
    case 'sim_dev_register':
      return `minor ${a}`;
    case 'sim_dev_open':
      return `fd ${a}`;
    case 'sim_dev_release':
      return 'private_data released';
    case 'sim_dev_ctl':
      return `fd ${lo}, arg ${a}`;
    case 'sim_ring_exit':
      return `ring ${e.ring}, cancelable ${a}, live requests ${lo}`;
    case 'sanitizer_double_done':
      return `${req}, result ${resultText(a)}, ${Number(e.b) === -1 ? 'uring_cmd returned a result after done()' : `request was ${REQ_STATE_NAMES[Number(e.b)] ?? e.b}`}`;
    case 'sanitizer_done_bad_flags':
      return `${req}, issue_flags ${issueFlagNames(a)}, context has ${issueFlagNames(lo)}`;
    case 'sanitizer_done_unlocked':
      return `${req}, issue_flags ${issueFlagNames(a)} without uring_lock`;
    case 'sanitizer_pdu_uninit_read':
      return `${req}, pdu[${a}] is ${PROV_NAMES[lo] ?? lo}`;
    case 'sanitizer_sqe_after_issue':
      return `${req}, SQ slot ${a} may hold another SQE`;
    case 'sanitizer_pdu_too_big':
      return `${req}, ${a}-byte type, pdu is ${lo} bytes`;
    default:
      return `${req}, a ${e.a}, b ${e.b}`;
  }
}

/** One `TP_printk`-like line for a record. */
export function formatRecord(e: TraceEvent, o: FormatOptions = {}): string {
  const src = srcText(e);
  const head = `${String(e.step).padStart(5)} ${String(e.timeNs).padStart(9)} ${e.ctx.padEnd(9)} ${e.event}: `;
  return `${head}${recordFields(e, o)}${src ? `  [${src}]` : ''}`;
}

/** A record as a plain JSON object (`--json`): always step, event, req, user_data; res and cflags on CQEs. */
export function recordJson(e: TraceEvent, o: FormatOptions = {}): Record<string, unknown> {
  const ud = e.userData <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(e.userData) : e.userData.toString();
  const out: Record<string, unknown> = {
    step: e.step,
    time_ns: e.timeNs,
    ctx: e.ctx,
    event: e.event,
    ring: e.ring,
    req: e.req,
    user_data: ud,
    a: Number(e.a),
    b: e.b <= BigInt(Number.MAX_SAFE_INTEGER) && e.b >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(e.b) : e.b.toString(),
    text: recordFields(e, o),
  };
  if (e.event === 'io_uring_complete' || e.event === 'io_uring_cqe_overflow') {
    out.res = Number(e.a);
    out.cflags = Number(BigInt.asUintN(32, e.b));
  }
  const path = SOURCE_FILES[e.srcFile];
  if (e.srcFile || e.srcLine) out.src = { file: path ?? null, line: e.srcLine };
  if (e.text !== undefined) out.message = e.text;
  return out;
}
