/**
 * Small formatters shared by captions, the byte view and the trace panel: errno names, issue
 * flag names, opcode names, user_data.
 */
import * as abi from '../wasm/abi.generated';
import { ERRNO_NAMES } from '../wasm/abi.generated';
import { CQE_FLAGS, flagNames, ISSUE_FLAGS, OPCODE_NAMES, SQE_FLAGS, URING_CMD_FLAGS } from '../wasm/events.generated';

/** A result as its errno symbol when it has one (`-EIOCBQUEUED`); other values print as numbers. */
export function resName(res: number): string {
  if (res >= 0) return String(res);
  // The simulator's answer for what it does not model: never a kernel errno (one past MAX_ERRNO).
  if (res === -abi.ENOTMODELLED) return `${res} (not modelled)`;
  const n = ERRNO_NAMES[-res];
  return n ? `-${n}` : String(res);
}

/** `IO_URING_F_*` issue flags as `NONBLOCK|COMPLETE_DEFER|INLINE` (`0` for none). */
export function issueFlagNames(flags: number): string {
  return flagNames(ISSUE_FLAGS, flags);
}

/** `IOSQE_*` flags as `IO_LINK|ASYNC`. */
export function sqeFlagNames(flags: number): string {
  return flagNames(SQE_FLAGS, flags);
}

/** `IORING_CQE_F_*` flags (the upper 16 bits, a buffer id, are not flags). */
export function cqeFlagNames(flags: number): string {
  return flagNames(CQE_FLAGS, flags);
}

/** The `IORING_URING_CMD_*` flags of `ioucmd->flags` / `sqe->uring_cmd_flags`. */
export function uringCmdFlagNames(flags: number): string {
  return flagNames(URING_CMD_FLAGS, flags);
}

/** `IORING_OP_*` name without the prefix, or `opcode N`. */
export function opcodeName(op: number): string {
  return (op >= 0 ? OPCODE_NAMES[op] : undefined) ?? `opcode ${op}`;
}

/** Whether an opcode is a uring_cmd. */
export function isUringCmd(op: number): boolean {
  return op === abi.IORING_OP_URING_CMD || op === abi.IORING_OP_URING_CMD128;
}

/** user_data as people write it: decimal when small, hex otherwise. */
export function userDataText(ud: bigint): string {
  return ud < 1_000_000n ? ud.toString() : `0x${ud.toString(16)}`;
}

/** `n thing` / `n things`. */
export function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 || n === 1n ? one : many}`;
}

/** Hex with a fixed width. */
export function hex(v: number | bigint, width = 0): string {
  const s = (typeof v === 'bigint' ? BigInt.asUintN(64, v) : v >>> 0).toString(16);
  return `0x${s.padStart(width, '0')}`;
}

/** Whether `ioucmd->flags` has IORING_URING_CMD_REISSUE (the driver is being called again after -EAGAIN). */
export function isReissue(cmdFlags: number): boolean {
  return (cmdFlags & abi.IORING_URING_CMD_REISSUE) >>> 0 !== 0;
}
