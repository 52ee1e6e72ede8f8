/**
 * The informational parts of a trace the replayer writes: bit names of flag words, errno names
 * and the u64 number-or-string form (format §1).
 */
import { ERRNO_NAMES } from '../wasm/abi.generated';
import {
  CQE_FLAG_NAMES as CQE_NAMES,
  ENTER_FLAG_NAMES,
  FEAT_FLAG_NAMES,
  SETUP_FLAG_NAMES,
  SQ_FLAG_NAMES as SQ_NAMES,
  SQE_FLAG_NAMES as SQE_NAMES,
} from '../wasm/events.generated';

/** Bit names of `IORING_SETUP_*` (bit i is `SETUP_NAMES[i]`). */
export const SETUP_NAMES: readonly string[] = SETUP_FLAG_NAMES;
/** Bit names of `IORING_FEAT_*`. */
export const FEAT_NAMES: readonly string[] = FEAT_FLAG_NAMES;
/** Bit names of `IORING_ENTER_*`. */
export const ENTER_NAMES: readonly string[] = ENTER_FLAG_NAMES;
/** Bit names of `IOSQE_*`. */
export const SQE_FLAG_NAMES: readonly string[] = SQE_NAMES;
/** Bit names of `IORING_SQ_*` (the SQ ring's flags word). */
export const SQ_FLAG_NAMES: readonly string[] = SQ_NAMES;
/** Bit names of `IORING_CQE_F_*` without the `F_` (bit 15 is `32`). */
export const CQE_FLAG_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(CQE_NAMES).map(([bit, n]) => [bit, n.replace(/^F_/, '')]),
);

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
