/**
 * Accessors for one SQE slot in shared memory, and liburing's `io_uring_prep_*` helpers.
 *
 * @see core-rs/src/uapi/io_uring.rs for the layout.
 */
import { IORING_OP_NOP, IORING_OP_URING_CMD, SQE_OFF } from '../wasm/abi.generated';
import type { Core } from '../wasm/load';

export class Sqe {
  constructor(
    private readonly core: Core,
    readonly addr: number,
    readonly size: number,
    readonly slot: number,
  ) {}

  private dv() {
    return this.core.view();
  }

  set opcode(v: number) {
    this.dv().setUint8(this.addr + SQE_OFF.OPCODE, v);
  }
  get opcode(): number {
    return this.dv().getUint8(this.addr + SQE_OFF.OPCODE);
  }
  set flags(v: number) {
    this.dv().setUint8(this.addr + SQE_OFF.FLAGS, v);
  }
  get flags(): number {
    return this.dv().getUint8(this.addr + SQE_OFF.FLAGS);
  }
  set ioprio(v: number) {
    this.dv().setUint16(this.addr + SQE_OFF.IOPRIO, v, true);
  }
  get ioprio(): number {
    return this.dv().getUint16(this.addr + SQE_OFF.IOPRIO, true);
  }
  set fd(v: number) {
    this.dv().setInt32(this.addr + SQE_OFF.FD, v, true);
  }
  get fd(): number {
    return this.dv().getInt32(this.addr + SQE_OFF.FD, true);
  }
  set off(v: bigint) {
    this.dv().setBigUint64(this.addr + SQE_OFF.OFF, BigInt.asUintN(64, v), true);
  }
  get off(): bigint {
    return this.dv().getBigUint64(this.addr + SQE_OFF.OFF, true);
  }
  set cmdOp(v: number) {
    this.dv().setUint32(this.addr + SQE_OFF.CMD_OP, v >>> 0, true);
  }
  get cmdOp(): number {
    return this.dv().getUint32(this.addr + SQE_OFF.CMD_OP, true);
  }
  set pad1(v: number) {
    this.dv().setUint32(this.addr + SQE_OFF.PAD1, v >>> 0, true);
  }
  get pad1(): number {
    return this.dv().getUint32(this.addr + SQE_OFF.PAD1, true);
  }
  set addr64(v: bigint) {
    this.dv().setBigUint64(this.addr + SQE_OFF.ADDR, BigInt.asUintN(64, v), true);
  }
  get addr64(): bigint {
    return this.dv().getBigUint64(this.addr + SQE_OFF.ADDR, true);
  }
  set level(v: number) {
    this.dv().setUint32(this.addr + SQE_OFF.LEVEL, v >>> 0, true);
  }
  set optname(v: number) {
    this.dv().setUint32(this.addr + SQE_OFF.OPTNAME, v >>> 0, true);
  }
  set len(v: number) {
    this.dv().setUint32(this.addr + SQE_OFF.LEN, v >>> 0, true);
  }
  get len(): number {
    return this.dv().getUint32(this.addr + SQE_OFF.LEN, true);
  }
  set opFlags(v: number) {
    this.dv().setUint32(this.addr + SQE_OFF.OP_FLAGS, v >>> 0, true);
  }
  get opFlags(): number {
    return this.dv().getUint32(this.addr + SQE_OFF.OP_FLAGS, true);
  }
  set userData(v: bigint) {
    this.dv().setBigUint64(this.addr + SQE_OFF.USER_DATA, BigInt.asUintN(64, v), true);
  }
  get userData(): bigint {
    return this.dv().getBigUint64(this.addr + SQE_OFF.USER_DATA, true);
  }
  set bufIndex(v: number) {
    this.dv().setUint16(this.addr + SQE_OFF.BUF_INDEX, v, true);
  }
  set personality(v: number) {
    this.dv().setUint16(this.addr + SQE_OFF.PERSONALITY, v, true);
  }
  get bufIndex(): number {
    return this.dv().getUint16(this.addr + SQE_OFF.BUF_INDEX, true);
  }
  get personality(): number {
    return this.dv().getUint16(this.addr + SQE_OFF.PERSONALITY, true);
  }
  set spliceFdIn(v: number) {
    this.dv().setInt32(this.addr + SQE_OFF.SPLICE_FD_IN, v | 0, true);
  }
  get spliceFdIn(): number {
    return this.dv().getInt32(this.addr + SQE_OFF.SPLICE_FD_IN, true);
  }
  set addr3(v: bigint) {
    this.dv().setBigUint64(this.addr + SQE_OFF.ADDR3, BigInt.asUintN(64, v), true);
  }
  get addr3(): bigint {
    return this.dv().getBigUint64(this.addr + SQE_OFF.ADDR3, true);
  }
  set pad2(v: bigint) {
    this.dv().setBigUint64(this.addr + SQE_OFF.PAD2, BigInt.asUintN(64, v), true);
  }
  get pad2(): bigint {
    return this.dv().getBigUint64(this.addr + SQE_OFF.PAD2, true);
  }

  /** Writes bytes into the command area (`sqe->cmd`, from byte 48). */
  setCmd(bytes: Uint8Array): void {
    if (48 + bytes.length > this.size) throw new RangeError(`cmd area holds ${this.size - 48} bytes`);
    this.core.u8().set(bytes, this.addr + SQE_OFF.CMD);
  }

  /** Writes raw bytes at an offset (bytes 64..127 of an SQE128 slot). */
  setBytes(offset: number, bytes: Uint8Array): void {
    if (offset + bytes.length > this.size) throw new RangeError('outside the SQE');
    this.core.u8().set(bytes, this.addr + offset);
  }

  /** The SQE's raw bytes. */
  bytes(): Uint8Array {
    return this.core.u8().slice(this.addr, this.addr + this.size);
  }
}

/** Mirrors liburing `io_uring_prep_nop()`: a request that completes with `res` 0. */
export function prepNop(sqe: Sqe): void {
  sqe.opcode = IORING_OP_NOP;
  sqe.fd = -1;
}

/**
 * Mirrors liburing `io_uring_prep_nop()` followed by setting `sqe->nop_flags`: the NOP test
 * flags (`IORING_NOP_INJECT_RESULT` with the result in `len`, `IORING_NOP_FILE` with `fd`, ...).
 */
export function prepNopFlags(sqe: Sqe, nopFlags: number, injectResult = 0, fd = -1): void {
  prepNop(sqe);
  sqe.opFlags = nopFlags;
  sqe.len = injectResult >>> 0;
  sqe.fd = fd;
}

/**
 * Mirrors liburing `io_uring_prep_uring_cmd()`: a passthrough command `cmdOp` for file `fd`
 * (`__pad1`, `addr` and `len` zero).
 */
export function prepUringCmd(sqe: Sqe, cmdOp: number, fd: number): void {
  sqe.opcode = IORING_OP_URING_CMD;
  sqe.fd = fd;
  sqe.cmdOp = cmdOp;
  sqe.pad1 = 0;
  sqe.addr64 = 0n;
  sqe.len = 0;
}

/** Mirrors liburing `io_uring_sqe_set_data64()`. */
export function sqeSetData64(sqe: Sqe, data: bigint): void {
  sqe.userData = data;
}

/** Mirrors liburing `io_uring_sqe_set_flags()`: sets `sqe->flags` (`IOSQE_*`). */
export function sqeSetFlags(sqe: Sqe, flags: number): void {
  sqe.flags = flags & 0xff;
}

/**
 * Mirrors liburing `io_uring_prep_cmd_sock()`: a `SOCKET_URING_OP_*` command on socket `fd`,
 * with `level`/`optname` in the `addr` word, `optval` (a user pointer) in `addr3` and `optlen`
 * in `splice_fd_in`.
 */
export function prepCmdSock(
  sqe: Sqe,
  cmdOp: number,
  fd: number,
  level: number,
  optname: number,
  optval: bigint,
  optlen: number,
): void {
  prepUringCmd(sqe, cmdOp, fd);
  sqe.level = level;
  sqe.optname = optname;
  sqe.addr3 = optval;
  sqe.spliceFdIn = optlen;
}
