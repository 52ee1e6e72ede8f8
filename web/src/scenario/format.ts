/**
 * The scenario document: a versioned JSON description of one io_uring story — ring setup,
 * devices and drivers, the API generation, the userspace program, and the chapters a viewer can
 * jump between. The same document drives the page, permalinks, the tests and `ringside run`.
 *
 * The format is documented for authors in docs/scenario-format.md.
 */

export const SCENARIO_FORMAT = 'ringside-scenario';
export const SCENARIO_VERSION = 1;

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
  };
  ring: RingSpec;
  devices?: DeviceSpec[];
  program: Op[];
  chapters?: Chapter[];
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
}

/** A misc device registered before the program starts. */
export interface DeviceSpec {
  /** The device node name (`/dev/<name>`). */
  name: string;
  /** A driver of core-rs/src/drivers (`rust_misc_device`, ...). */
  driver: string;
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
  /** The per-opcode flags word (`nop_flags`, `uring_cmd_flags`). */
  op_flags?: number;
  /** The command area, from byte 48 (16 bytes; 80 on SQE128 rings). */
  cmd?: BytesSpec;
}

export type Op =
  | { op: 'open'; device: string; as: string; note?: string }
  | { op: 'pipe'; read_as: string; write_as: string; note?: string }
  | { op: 'write'; fd: string; buf: string; len?: number; note?: string }
  | { op: 'alloc'; as: string; size: number; init?: BytesSpec; note?: string }
  | { op: 'write_user'; target: string; offset?: number; data: BytesSpec; note?: string }
  | { op: 'prep'; sqe: SqeSpec; note?: string }
  | { op: 'submit'; wait?: number; note?: string }
  | { op: 'wait'; min: number; timeout_ms?: number; note?: string }
  | { op: 'reap'; max?: number; note?: string }
  | { op: 'sleep'; ms: number; note?: string }
  | { op: 'device'; fd: string; action: string; arg?: number; note?: string }
  | { op: 'close'; fd: string; note?: string }
  | { op: 'exit'; note?: string };

export type OpName = Op['op'];

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
}
