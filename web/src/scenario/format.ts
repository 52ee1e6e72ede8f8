/**
 * The scenario document: a versioned JSON description of one io_uring story — ring setup,
 * devices and drivers, the API generation, the userspace program, and the chapters a viewer can
 * jump between. The same document drives the page, permalinks, the tests and `ringside run`.
 *
 * The format is documented for authors in docs/scenario-format.md.
 */

export const SCENARIO_FORMAT = 'ringside-scenario';
export const SCENARIO_VERSION = 1;

/** The kernel profiles a scenario can choose (`config.kernel`). */
export const KERNEL_PROFILES = ['6.18', '6.19'] as const;
export type KernelProfile = (typeof KERNEL_PROFILES)[number];

/** The profile a scenario runs on, as the app's badge names it. */
export function kernelProfile(s: { config?: { kernel?: KernelProfile } }): KernelProfile {
  return s.config?.kernel ?? '6.18';
}

/** `rs_init`'s configuration word for a scenario: bit 0 patch 2/5, bit 1 the 6.19 profile. */
export function coreConfig(s: { config?: { patch2_zero_pdu?: boolean; kernel?: KernelProfile } }): number {
  return (s.config?.patch2_zero_pdu ? 1 : 0) | (kernelProfile(s) === '6.19' ? 2 : 0);
}

/** Which generation of the Rust uring_cmd abstraction the devices' drivers are written against. */
export type ApiGeneration = 'v3' | 'v5';

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  version: typeof SCENARIO_VERSION;
  /** Identifier: lowercase words joined by dashes (`v5-queued-task-work`). */
  id: string;
  title: string;
  /** One paragraph shown before the scenario starts. */
  intro: string;
  api: ApiGeneration;
  config?: {
    /** Apply RFC v3 patch 2/5: zero the PDU in `io_uring_cmd_prep`. */
    patch2_zero_pdu?: boolean;
    /**
     * The kernel whose uring_cmd interface the run follows: `"6.18"` (the default; the
     * running kernel of the recordings) or `"6.19"`, the base the Rust v5 series is written
     * against (task_work callbacks get `io_tw_token_t`, no `IO_URING_F_TASK_DEAD`, the PDU at
     * offset 24 of `struct io_uring_cmd`).
     */
    kernel?: KernelProfile;
  };
  ring: RingSpec;
  devices?: DeviceSpec[];
  program: Op[];
  chapters?: Chapter[];
  /** Predict-then-reveal questions asked before a step (learn/checkpoints.ts computes the answers). */
  checkpoints?: Checkpoint[];
  /**
   * The sanitizer reports (`sanitizer_*` event names) this scenario is written to show, if it
   * demonstrates a hazard. A scenario without this list must run without any sanitizer report;
   * the tests check both.
   */
  sanitizers?: string[];
}

/** The variable every program has from the start: the ring's own fd. */
export const RING_VAR = 'ring';

export interface RingSpec {
  entries: number;
  /** `IORING_SETUP_*` names without the prefix (`"SQE128"`, `"DEFER_TASKRUN"`). */
  flags?: string[];
  /** With `CQSIZE`. */
  cq_entries?: number;
  /** With `SQPOLL`: milliseconds the SQ thread polls idle before it sleeps (0: one second). */
  sq_thread_idle?: number;
}

/** A misc device registered before the program starts. */
export interface DeviceSpec {
  /** The device node name (`/dev/<name>`). */
  name: string;
  /** A driver of core-rs/src/drivers (`rust_misc_device`, ...). */
  driver: string;
  /**
   * The driver is written against the other API generation on purpose: a kernel runs many
   * drivers at once, and the scenario's `api` names the one under study (e.g. an NVMe-like
   * v5 driver whose PDU bytes a v3 driver later reads).
   */
  other_api?: boolean;
}

/** A byte sequence for an SQE command area or user memory. */
export interface BytesSpec {
  /** Little-endian u64 words; a string `"&name"` is the address of user buffer `name`. */
  u64?: (number | string)[];
  /** Little-endian i32 words. */
  i32?: number[];
  /** Raw bytes as hex (`"deadbeef"`). */
  hex?: string;
}

export interface SqeSpec {
  /**
   * `"NOP"`, `"URING_CMD"`, `"URING_CMD128"`, `"READ"`, `"WRITE"`, `"TIMEOUT"`,
   * `"TIMEOUT_REMOVE"`, `"LINK_TIMEOUT"`, `"ASYNC_CANCEL"` or a number (invalid and unmodelled
   * opcodes are allowed).
   */
  opcode: string | number;
  /** A variable bound by `open` (`"dev"`), or a number. */
  fd?: string | number;
  /** `IOSQE_*` names without the prefix. */
  flags?: string[];
  ioprio?: number;
  user_data?: number | string;
  /** A number, or a name of a driver constant (`DRIVER_CMD_OPS` in abi.generated.ts). */
  cmd_op?: number | string;
  pad1?: number;
  /** `sqe->off` (READ/WRITE offset, -1 for the file position; TIMEOUT completion count). */
  off?: number | string;
  /** `sqe->addr`: a number, a decimal string, or `"&name"` (the address of buffer `name`). */
  addr?: number | string;
  len?: number;
  /** `sqe->buf_index`: the registered buffer of a READ_FIXED/WRITE_FIXED, or the provided-buffer
   * group of an `IOSQE_BUFFER_SELECT` request. */
  buf_index?: number;
  /** The per-opcode flags word (`nop_flags`, `uring_cmd_flags`, `rw_flags`). */
  op_flags?: number;
  /** The command area, from byte 48 (16 bytes; 80 on SQE128 rings). */
  cmd?: BytesSpec;
}

export type Op =
  | { op: 'open'; device: string; as: string; note?: string }
  | { op: 'pipe'; read_as: string; write_as: string; note?: string }
  | { op: 'socketpair'; a_as: string; b_as: string; note?: string }
  | { op: 'buf_ring'; as: string; entries: number; bgid: number; note?: string }
  | { op: 'buf_ring_add'; ring: string; buf: string; offset?: number; len: number; bid: number; note?: string }
  | { op: 'write'; fd: string; buf: string; len?: number; note?: string }
  | { op: 'alloc'; as: string; size: number; init?: BytesSpec; note?: string }
  | { op: 'write_user'; target: string; offset?: number; data: BytesSpec; note?: string }
  | { op: 'register_buffers'; bufs: string[]; note?: string }
  | { op: 'unregister_buffers'; note?: string }
  | { op: 'prep'; sqe: SqeSpec; note?: string }
  | { op: 'submit'; wait?: number; note?: string }
  | { op: 'wait'; min: number; timeout_ms?: number; note?: string }
  | { op: 'reap'; max?: number; note?: string }
  | { op: 'sleep'; ms: number; note?: string }
  | { op: 'spin'; ms: number; note?: string }
  | { op: 'device'; fd: string; action: string; arg?: number; note?: string }
  | { op: 'close'; fd: string; note?: string }
  | { op: 'exit'; note?: string };

export type OpName = Op['op'];

/**
 * A question asked before the step it is about (the frame a chapter with the same `event`/`nth`
 * or `op` would start at). The answer is never written here: it is computed from the run.
 * - `res`: the res of the next CQE for `user_data`;
 * - `lane`: the lane (context) that runs the step;
 * - `pdu`: the PDU bytes the driver reads in the step (its next `sim_pdu_read`).
 */
export interface Checkpoint {
  ask: 'res' | 'lane' | 'pdu';
  question: string;
  event?: string;
  nth?: number;
  op?: number;
  /** `res`: the request whose CQE is asked about. */
  user_data?: number;
  /** Wrong answers to offer besides the computed one (`res`, `pdu`). */
  choices?: string[];
  /** Shown with the answer. */
  explain?: string;
}

/** A point in the scenario a viewer can jump to. */
export interface Chapter {
  title: string;
  /** The chapter starts at the first frame whose records include this event (the `nth` one, 1-based)… */
  event?: string;
  nth?: number;
  /** …or at the frame of program op number `op` (0-based). */
  op?: number;
  /** Speaker notes. */
  notes?: string;
  /** The panels presenter mode and the projector theme show for this chapter (at most two). */
  panels?: ('rings' | 'lanes' | 'state' | 'code' | 'bytes' | 'trace')[];
}
