/**
 * Accessors for one SQE slot in shared memory, and liburing's `io_uring_prep_*` helpers.
 *
 * @see core-rs/src/uapi/io_uring.rs for the layout.
 */
import { IORING_OP_NOP, IORING_OP_URING_CMD, SQE_OFF } from '../wasm/abi.generated';
import type { Core } from '../wasm/load';

export class Sqe {
  constructor(private readonly core: Core, readonly addr: number, readonly size: number, readonly slot: number) {}

  private dv() { return this.core.view(); }

  set opcode(v: number) { this.dv().setUint8(this.addr + SQE_OFF.OPCODE, v); }
  get opcode(): number { return this.dv().getUint8(this.addr + SQE_OFF.OPCODE); }
  set flags(v: number) { this.dv().setUint8(this.addr + SQE_OFF.FLAGS, v); }
  get flags(): number { return this.dv().getUint8(this.addr + SQE_OFF.FLAGS); }
  set ioprio(v: number) { this.dv().setUint16(this.addr + SQE_OFF.IOPRIO, v, true); }
  set fd(v: number) { this.dv().setInt32(this.addr + SQE_OFF.FD, v, true); }
  get fd(): number { return this.dv().getInt32(this.addr + SQE_OFF.FD, true); }
  set off(v: bigint) { this.dv().setBigUint64(this.addr + SQE_OFF.OFF, BigInt.asUintN(64, v), true); }
  set cmdOp(v: number) { this.dv().setUint32(this.addr + SQE_OFF.CMD_OP, v >>> 0, true); }
  get cmdOp(): number { return this.dv().getUint32(this.addr + SQE_OFF.CMD_OP, true); }
  set pad1(v: number) { this.dv().setUint32(this.addr + SQE_OFF.PAD1, v >>> 0, true); }
  set addr64(v: bigint) { this.dv().setBigUint64(this.addr + SQE_OFF.ADDR, BigInt.asUintN(64, v), true); }
  set len(v: number) { this.dv().setUint32(this.addr + SQE_OFF.LEN, v >>> 0, true); }
  set opFlags(v: number) { this.dv().setUint32(this.addr + SQE_OFF.OP_FLAGS, v >>> 0, true); }
  set userData(v: bigint) { this.dv().setBigUint64(this.addr + SQE_OFF.USER_DATA, BigInt.asUintN(64, v), true); }
  get userData(): bigint { return this.dv().getBigUint64(this.addr + SQE_OFF.USER_DATA, true); }
  set bufIndex(v: number) { this.dv().setUint16(this.addr + SQE_OFF.BUF_INDEX, v, true); }
  set personality(v: number) { this.dv().setUint16(this.addr + SQE_OFF.PERSONALITY, v, true); }
  set spliceFdIn(v: number) { this.dv().setInt32(this.addr + SQE_OFF.SPLICE_FD_IN, v, true); }
  set addr3(v: bigint) { this.dv().setBigUint64(this.addr + SQE_OFF.ADDR3, BigInt.asUintN(64, v), true); }
  set pad2(v: bigint) { this.dv().setBigUint64(this.addr + SQE_OFF.PAD2, BigInt.asUintN(64, v), true); }

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

/** Mirrors liburing `io_uring_prep_nop()`. */
export function prepNop(sqe: Sqe): void {
  sqe.opcode = IORING_OP_NOP;
  sqe.fd = -1;
}

/** Mirrors liburing `io_uring_prep_uring_cmd()`. */
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
