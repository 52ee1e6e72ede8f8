/**
 * The fields of `struct io_uring_sqe` and `struct io_uring_cqe` (docs/kernel-notes.md §1.1–1.2) as the
 * byte view annotates them: offset, size, name and a decoder that reads the value in words.
 */
import { IORING_OP_NOP, IORING_OP_NOP128, SQE_OFF } from '../wasm/abi.generated';
import { cqeFlagNames, hex, isUringCmd, opcodeName, resName, sqeFlagNames, uringCmdFlagNames } from './format';

export interface Field {
  name: string;
  offset: number;
  size: number;
  /** The value, decoded (`URING_CMD`, `-EIOCBQUEUED`, `IO_LINK|ASYNC`). */
  decode(b: Uint8Array): string;
  /** One line on what the field is for. */
  about: string;
}

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const u16 = (o: number) => (b: Uint8Array) => String(dv(b).getUint16(o, true));
const u32 = (o: number) => (b: Uint8Array) => String(dv(b).getUint32(o, true));
const s32 = (o: number) => (b: Uint8Array) => String(dv(b).getInt32(o, true));
const u64 = (o: number) => (b: Uint8Array) => dv(b).getBigUint64(o, true).toString();
const x32 = (o: number) => (b: Uint8Array) => hex(dv(b).getUint32(o, true));
const x64 = (o: number) => (b: Uint8Array) => hex(dv(b).getBigUint64(o, true));
const bytes = (o: number, n: number) => (b: Uint8Array) =>
  Array.from(b.subarray(o, o + n), (v) => v.toString(16).padStart(2, '0')).join(' ');

/** The fields of an SQE of `size` bytes (64 or 128), interpreted for its opcode. */
export function sqeFields(sqe: Uint8Array, size: number): Field[] {
  const op = sqe[0] ?? 0;
  const cmd = isUringCmd(op);
  const nop = op === IORING_OP_NOP || op === IORING_OP_NOP128;
  const f: Field[] = [
    {
      name: 'opcode',
      offset: SQE_OFF.OPCODE,
      size: 1,
      decode: (b) => opcodeName(b[0] ?? 0),
      about: 'IORING_OP_*: what to do',
    },
    { name: 'flags', offset: SQE_OFF.FLAGS, size: 1, decode: (b) => sqeFlagNames(b[1] ?? 0), about: 'IOSQE_* flags' },
    {
      name: 'ioprio',
      offset: SQE_OFF.IOPRIO,
      size: 2,
      decode: u16(2),
      about: cmd ? 'must be 0 for URING_CMD (-EINVAL otherwise)' : 'I/O priority',
    },
    { name: 'fd', offset: SQE_OFF.FD, size: 4, decode: s32(4), about: 'the file the request targets' },
  ];
  if (cmd) {
    f.push({ name: 'cmd_op', offset: SQE_OFF.CMD_OP, size: 4, decode: x32(8), about: "the driver's command number" });
    f.push({ name: '__pad1', offset: SQE_OFF.PAD1, size: 4, decode: u32(12), about: 'must be 0 (-EINVAL otherwise)' });
  } else {
    f.push({ name: 'off', offset: SQE_OFF.OFF, size: 8, decode: u64(8), about: 'file offset / addr2' });
  }
  f.push({ name: 'addr', offset: SQE_OFF.ADDR, size: 8, decode: x64(16), about: 'buffer address' });
  f.push({
    name: 'len',
    offset: SQE_OFF.LEN,
    size: 4,
    decode: u32(24),
    about: nop ? 'NOP: the result to inject with IORING_NOP_INJECT_RESULT' : 'buffer length',
  });
  f.push({
    name: cmd ? 'uring_cmd_flags' : nop ? 'nop_flags' : 'op_flags',
    offset: SQE_OFF.OP_FLAGS,
    size: 4,
    decode: cmd ? (b) => uringCmdFlagNames(dv(b).getUint32(28, true)) : x32(28),
    about: cmd ? 'IORING_URING_CMD_FIXED / MULTISHOT' : 'per-opcode flags',
  });
  f.push({
    name: 'user_data',
    offset: SQE_OFF.USER_DATA,
    size: 8,
    decode: u64(32),
    about: 'copied into the CQE untouched',
  });
  f.push({
    name: 'buf_index',
    offset: SQE_OFF.BUF_INDEX,
    size: 2,
    decode: u16(40),
    about: 'registered buffer index / buffer group',
  });
  f.push({
    name: 'personality',
    offset: SQE_OFF.PERSONALITY,
    size: 2,
    decode: u16(42),
    about: 'registered credentials',
  });
  f.push({
    name: 'file_index',
    offset: SQE_OFF.SPLICE_FD_IN,
    size: 4,
    decode: u32(44),
    about: 'splice_fd_in / file_index / optlen',
  });
  if (cmd) {
    const n = size - SQE_OFF.CMD;
    f.push({
      name: `cmd[${n}]`,
      offset: SQE_OFF.CMD,
      size: n,
      decode: bytes(SQE_OFF.CMD, Math.min(n, 16)),
      about: `the command area: ${n} bytes the driver reads during ->uring_cmd()`,
    });
  } else {
    f.push({ name: 'addr3', offset: SQE_OFF.ADDR3, size: 8, decode: x64(48), about: 'third address' });
    f.push({ name: '__pad2', offset: SQE_OFF.PAD2, size: 8, decode: u64(56), about: 'reserved' });
    if (size === 128)
      f.push({
        name: 'big SQE',
        offset: 64,
        size: 64,
        decode: bytes(64, 16),
        about: 'the second half of a 128-byte SQE',
      });
  }
  return f;
}

/** The fields of a CQE of `size` bytes (16 or 32). */
export function cqeFields(size: number): Field[] {
  const f: Field[] = [
    { name: 'user_data', offset: 0, size: 8, decode: u64(0), about: "the SQE's user_data, echoed" },
    {
      name: 'res',
      offset: 8,
      size: 4,
      decode: (b) => resName(dv(b).getInt32(8, true)),
      about: 'the result: a value, or -errno',
    },
    {
      name: 'flags',
      offset: 12,
      size: 4,
      decode: (b) => cqeFlagNames(dv(b).getUint32(12, true)),
      about: 'IORING_CQE_F_*',
    },
  ];
  if (size === 32) {
    f.push({ name: 'big_cqe[0]', offset: 16, size: 8, decode: x64(16), about: 'res2 of io_uring_cmd_done32()' });
    f.push({ name: 'big_cqe[1]', offset: 24, size: 8, decode: x64(24), about: 'always 0 for uring_cmd' });
  }
  return f;
}

/** The field that holds byte `offset`. */
export function fieldAt(fields: readonly Field[], offset: number): Field | undefined {
  return fields.find((f) => offset >= f.offset && offset < f.offset + f.size);
}

/** A value as little-endian bytes read from `b` at `o`, `n` bytes long (for PDU spans). */
export function leValue(b: Uint8Array, o: number, n: number): string {
  if (n === 1 || n === 2 || n === 4 || n === 8) {
    const d = dv(b);
    const v =
      n === 1 ? (b[o] ?? 0) : n === 2 ? d.getUint16(o, true) : n === 4 ? d.getUint32(o, true) : d.getBigUint64(o, true);
    return `${v} (${hex(v)})`;
  }
  return bytes(o, n)(b);
}
