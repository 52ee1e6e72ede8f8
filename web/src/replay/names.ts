/**
 * The informational parts of a trace the replayer writes: bit names of flag words, errno names
 * and the u64 number-or-string form (format §1).
 */
import { ERRNO_NAMES } from '../wasm/abi.generated';

/** Bit names of `IORING_SETUP_*` (bit i is `SETUP_NAMES[i]`). */
export const SETUP_NAMES = [
  'IOPOLL', 'SQPOLL', 'SQ_AFF', 'CQSIZE', 'CLAMP', 'ATTACH_WQ', 'R_DISABLED', 'SUBMIT_ALL', 'COOP_TASKRUN',
  'TASKRUN_FLAG', 'SQE128', 'CQE32', 'SINGLE_ISSUER', 'DEFER_TASKRUN', 'NO_MMAP', 'REGISTERED_FD_ONLY',
  'NO_SQARRAY', 'HYBRID_IOPOLL', 'CQE_MIXED', 'SQE_MIXED', 'SQ_REWIND',
];
/** Bit names of `IORING_FEAT_*`. */
export const FEAT_NAMES = [
  'SINGLE_MMAP', 'NODROP', 'SUBMIT_STABLE', 'RW_CUR_POS', 'CUR_PERSONALITY', 'FAST_POLL', 'POLL_32BITS',
  'SQPOLL_NONFIXED', 'EXT_ARG', 'NATIVE_WORKERS', 'RSRC_TAGS', 'CQE_SKIP', 'LINKED_FILE', 'REG_REG_RING',
  'RECVSEND_BUNDLE', 'MIN_TIMEOUT', 'RW_ATTR', 'NO_IOWAIT',
];
/** Bit names of `IORING_ENTER_*`. */
export const ENTER_NAMES = ['GETEVENTS', 'SQ_WAKEUP', 'SQ_WAIT', 'EXT_ARG', 'REGISTERED_RING', 'ABS_TIMER', 'EXT_ARG_REG', 'NO_IOWAIT'];
/** Bit names of `IOSQE_*`. */
export const SQE_FLAG_NAMES = ['FIXED_FILE', 'IO_DRAIN', 'IO_LINK', 'IO_HARDLINK', 'ASYNC', 'BUFFER_SELECT', 'CQE_SKIP_SUCCESS'];
/** Bit names of `IORING_SQ_*` (the SQ ring's flags word). */
export const SQ_FLAG_NAMES = ['NEED_WAKEUP', 'CQ_OVERFLOW', 'TASKRUN'];
/** Bit names of `IORING_CQE_F_*` (bit 15 is `F_32`). */
export const CQE_FLAG_NAMES: Record<number, string> = { 0: 'BUFFER', 1: 'MORE', 2: 'SOCK_NONEMPTY', 3: 'NOTIF', 4: 'BUF_MORE', 5: 'SKIP', 15: '32' };

/** The names of the set bits of `word`; bits without a name are `bitN`. */
export function bitNames(word: number, names: readonly string[] | Record<number, string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < 32; i++) {
    if (((word >>> i) & 1) === 0) continue;
    const n = Array.isArray(names) ? names[i] : (names as Record<number, string>)[i];
    out.push(n ?? `bit${i}`);
  }
  return out;
}

/** `"-EINVAL"` for -22, or `undefined` outside the errno range (format §1). */
export function errnoName(v: number): string | undefined {
  if (v >= 0 || v < -4095) return undefined;
  const n = ERRNO_NAMES[-v];
  return n ? `-${n}` : `-E${-v}`;
}

/** A u64 as the format writes it: a number below 2^53, else a decimal string. */
export function u64Out(v: bigint): number | string {
  return v < 1n << 53n ? Number(v) : v.toString();
}

/** Adds `<key>` and, when in errno range, `<key>_errno` to `o`. */
export function withErrno(o: Record<string, unknown>, key: string, v: number): void {
  o[key] = v;
  const n = errnoName(v);
  if (n) o[`${key}_errno`] = n;
}
