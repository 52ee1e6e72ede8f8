/**
 * Small formatters shared by captions, the byte view and the trace panel: errno names, issue
 * flag names, opcode names, user_data.
 */
import * as abi from '../wasm/abi.generated';
import { ERRNO_NAMES } from '../wasm/abi.generated';

/** A result as its errno symbol when it has one (`-EIOCBQUEUED`); other values print as numbers. */
export function resName(res: number): string {
  if (res >= 0) return String(res);
  // The simulator's answer for what it does not model: never a kernel errno (one past MAX_ERRNO).
  if (res === -abi.ENOTMODELLED) return `${res} (not modelled)`;
  const n = ERRNO_NAMES[-res];
  return n ? `-${n}` : String(res);
}

const ISSUE_FLAGS: [number, string][] = [
  [abi.IO_URING_F_NONBLOCK, 'NONBLOCK'],
  [abi.IO_URING_F_COMPLETE_DEFER, 'COMPLETE_DEFER'],
  [abi.IO_URING_F_UNLOCKED, 'UNLOCKED'],
  [abi.IO_URING_F_MULTISHOT, 'MULTISHOT'],
  [abi.IO_URING_F_IOWQ, 'IOWQ'],
  [abi.IO_URING_F_INLINE, 'INLINE'],
  [abi.IO_URING_F_SQE128, 'SQE128'],
  [abi.IO_URING_F_CQE32, 'CQE32'],
  [abi.IO_URING_F_IOPOLL, 'IOPOLL'],
  [abi.IO_URING_F_CANCEL, 'CANCEL'],
  [abi.IO_URING_F_COMPAT, 'COMPAT'],
];

/** The names of the bits of `value` in `table`, `|`-joined, unknown bits in hex (`0` for none). */
function bitNames(table: readonly [number, string][], value: number): string {
  const v = value >>> 0;
  const names: string[] = [];
  let rest = v;
  for (const [bit, name] of table) {
    if ((v & bit) >>> 0 === bit >>> 0) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.length ? names.join('|') : '0';
}

/** `IO_URING_F_*` issue flags as `NONBLOCK|COMPLETE_DEFER|INLINE` (`0` for none). */
export function issueFlagNames(flags: number): string {
  return bitNames(ISSUE_FLAGS, flags);
}

const SQE_FLAGS: [number, string][] = ['FIXED_FILE', 'IO_DRAIN', 'IO_LINK', 'IO_HARDLINK', 'ASYNC', 'BUFFER_SELECT', 'CQE_SKIP_SUCCESS'].map((n, i) => [1 << i, n]);

/** `IOSQE_*` flags as `IO_LINK|ASYNC`. */
export function sqeFlagNames(flags: number): string {
  return bitNames(SQE_FLAGS, flags);
}

const CQE_FLAGS: [number, string][] = [
  [abi.IORING_CQE_F_BUFFER, 'F_BUFFER'],
  [abi.IORING_CQE_F_MORE, 'F_MORE'],
  [abi.IORING_CQE_F_SOCK_NONEMPTY, 'F_SOCK_NONEMPTY'],
  [abi.IORING_CQE_F_NOTIF, 'F_NOTIF'],
  [abi.IORING_CQE_F_BUF_MORE, 'F_BUF_MORE'],
  [abi.IORING_CQE_F_SKIP, 'F_SKIP'],
  [abi.IORING_CQE_F_32, 'F_32'],
];

/** `IORING_CQE_F_*` flags (the upper 16 bits, a buffer id, are not flags). */
export function cqeFlagNames(flags: number): string {
  return bitNames(CQE_FLAGS, flags & 0xffff);
}

const URING_CMD_FLAGS: [number, string][] = [
  [abi.IORING_URING_CMD_FIXED, 'FIXED'],
  [abi.IORING_URING_CMD_MULTISHOT, 'MULTISHOT'],
  [abi.IORING_URING_CMD_CANCELABLE, 'CANCELABLE'],
  [abi.IORING_URING_CMD_REISSUE, 'REISSUE'],
];

/** The `IORING_URING_CMD_*` flags of `ioucmd->flags` / `sqe->uring_cmd_flags`. */
export function uringCmdFlagNames(flags: number): string {
  return bitNames(URING_CMD_FLAGS, flags);
}

const OPCODES: Record<number, string> = {
  [abi.IORING_OP_NOP]: 'NOP',
  [abi.IORING_OP_READV]: 'READV',
  [abi.IORING_OP_POLL_ADD]: 'POLL_ADD',
  [abi.IORING_OP_TIMEOUT]: 'TIMEOUT',
  [abi.IORING_OP_ASYNC_CANCEL]: 'ASYNC_CANCEL',
  [abi.IORING_OP_LINK_TIMEOUT]: 'LINK_TIMEOUT',
  [abi.IORING_OP_URING_CMD]: 'URING_CMD',
  [abi.IORING_OP_NOP128]: 'NOP128',
  [abi.IORING_OP_URING_CMD128]: 'URING_CMD128',
};

/** `IORING_OP_*` name without the prefix, or `opcode N`. */
export function opcodeName(op: number): string {
  return OPCODES[op] ?? `opcode ${op}`;
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
  return ((cmdFlags & abi.IORING_URING_CMD_REISSUE) >>> 0) !== 0;
}
