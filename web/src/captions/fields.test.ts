import { describe, expect, it } from 'vitest';
import { IORING_OP_NOP, IORING_OP_URING_CMD } from '../wasm/abi.generated';
import { cqeFields, fieldAt, leValue, sqeFields } from './fields';
import { cqeFlagNames, hex, issueFlagNames, resName, sqeFlagNames, uringCmdFlagNames, userDataText } from './format';

function sqe(op: number, size = 64): Uint8Array {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  b[0] = op;
  b[1] = 0x14; // IO_LINK | ASYNC
  dv.setInt32(4, 3, true);
  dv.setUint32(8, 0x80, true);
  dv.setUint32(28, 1, true);
  dv.setBigUint64(32, 42n, true);
  b[48] = 0xab;
  return b;
}

describe('SQE and CQE fields', () => {
  it('reads a URING_CMD SQE with its command area', () => {
    const b = sqe(IORING_OP_URING_CMD);
    const f = sqeFields(b, 64);
    const v = Object.fromEntries(f.map((x) => [x.name, x.decode(b)]));
    expect(v.opcode).toBe('URING_CMD');
    expect(v.flags).toBe('IO_LINK|ASYNC');
    expect(v.fd).toBe('3');
    expect(v.cmd_op).toBe('0x80');
    expect(v.uring_cmd_flags).toBe('FIXED');
    expect(v.user_data).toBe('42');
    expect(v['cmd[16]']).toMatch(/^ab 00/);
    expect(f.reduce((n, x) => n + x.size, 0)).toBe(64);
    expect(fieldAt(f, 9)?.name).toBe('cmd_op');
    expect(sqeFields(sqe(IORING_OP_URING_CMD, 128), 128).find((x) => x.name.startsWith('cmd['))?.size).toBe(80);
  });

  it('reads a NOP SQE with off/addr3 instead', () => {
    const f = sqeFields(sqe(IORING_OP_NOP), 64);
    expect(f.map((x) => x.name)).toContain('nop_flags');
    expect(f.map((x) => x.name)).toContain('addr3');
    expect(f.reduce((n, x) => n + x.size, 0)).toBe(64);
  });

  it('reads a CQE, big or not', () => {
    const b = new Uint8Array(32);
    new DataView(b.buffer).setInt32(8, -11, true);
    expect(
      cqeFields(16)
        .find((x) => x.name === 'res')
        ?.decode(b),
    ).toBe('-EAGAIN');
    expect(cqeFields(32).reduce((n, x) => n + x.size, 0)).toBe(32);
    expect(leValue(new Uint8Array([1, 0, 0, 0]), 0, 4)).toBe('1 (0x1)');
  });

  it('formats flags, results and user_data', () => {
    expect(issueFlagNames(0)).toBe('0');
    expect(issueFlagNames(0x80000000 | 1)).toBe('NONBLOCK|COMPLETE_DEFER');
    expect(issueFlagNames(1 << 20)).toBe('0x100000');
    expect(sqeFlagNames(0x80)).toBe('0x80');
    expect(cqeFlagNames(2)).toBe('F_MORE');
    expect(uringCmdFlagNames(0x80000000)).toBe('REISSUE');
    expect(resName(-529)).toBe('-EIOCBQUEUED');
    expect(resName(-9999)).toBe('-9999');
    expect(userDataText(2n ** 40n)).toBe('0x10000000000');
    expect(hex(255, 4)).toBe('0x00ff');
  });
});
