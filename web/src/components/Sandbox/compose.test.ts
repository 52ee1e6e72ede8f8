import { describe, expect, it } from 'vitest';
import { DRIVER_CMD_OPS } from '../../store';
import { describeOp, parseBytes, parseInt32, sqeOp } from './compose';

describe('sandbox forms', () => {
  it('parses command bytes as u64 words (buffers, hex, big values), i32 words or hex', () => {
    expect(parseBytes('u64', '&value, 42 0x10')).toEqual({ ok: true, value: { u64: ['&value', 42, 16] } });
    expect(parseBytes('u64', '18446744073709551615')).toEqual({ ok: true, value: { u64: ['18446744073709551615'] } });
    expect(parseBytes('u64', '18446744073709551616')).toMatchObject({
      ok: false,
      error: expect.stringContaining('64 bits'),
    });
    expect(parseBytes('u64', 'value')).toMatchObject({ ok: false, error: expect.stringContaining('&buffer') });
    expect(parseBytes('i32', '-1 0xffffffff 42')).toEqual({ ok: true, value: { i32: [-1, -1, 42] } });
    expect(parseBytes('hex', '2A 00 ff')).toEqual({ ok: true, value: { hex: '2a00ff' } });
    expect(parseBytes('hex', 'abc')).toMatchObject({ ok: false });
    expect(parseBytes('none', 'whatever')).toEqual({ ok: true, value: undefined });
  });

  it('reads numbers within bounds only', () => {
    expect(parseInt32('0x10', 0, 100)).toBe(16);
    expect(parseInt32('-5', -10, 10)).toBe(-5);
    expect(parseInt32('101', 0, 100)).toBeNull();
    expect(parseInt32('1e3', 0, 10000)).toBeNull();
  });

  it('builds a prep operation from the SQE form', () => {
    const r = sqeOp(
      {
        opcode: 'URING_CMD',
        fd: 'fd0',
        cmdOp: 'RUST_MISC_DEV_URING_CMD_SET_VALUE',
        userData: '7',
        flags: ['IO_LINK'],
        cmdMode: 'u64',
        cmd: '&value',
      },
      DRIVER_CMD_OPS,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        op: 'prep',
        sqe: {
          opcode: 'URING_CMD',
          fd: 'fd0',
          cmd_op: 'RUST_MISC_DEV_URING_CMD_SET_VALUE',
          user_data: 7,
          flags: ['IO_LINK'],
          cmd: { u64: ['&value'] },
        },
      },
    });
    expect(
      sqeOp(
        { opcode: '200', fd: '-1', cmdOp: '0x1234', userData: '', flags: [], cmdMode: 'none', cmd: '' },
        DRIVER_CMD_OPS,
      ),
    ).toEqual({ ok: true, value: { op: 'prep', sqe: { opcode: 200, fd: -1, cmd_op: 0x1234 } } });
    expect(
      sqeOp(
        { opcode: 'NOP', fd: '', cmdOp: 'NOT_A_CONSTANT', userData: '', flags: [], cmdMode: 'none', cmd: '' },
        DRIVER_CMD_OPS,
      ),
    ).toMatchObject({ ok: false, error: expect.stringContaining('cmd_op') });
    expect(
      sqeOp({ opcode: 'NOP', fd: '', cmdOp: '', userData: 'x', flags: [], cmdMode: 'none', cmd: '' }, DRIVER_CMD_OPS),
    ).toMatchObject({ ok: false, error: expect.stringContaining('user_data') });
  });

  it('describes each operation in one line', () => {
    expect(describeOp({ op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'dev', cmd_op: 0x10, user_data: 3 } })).toBe(
      'prep URING_CMD, fd dev, cmd_op 0x10 #3',
    );
    expect(describeOp({ op: 'submit', wait: 1 })).toBe('submit, wait 1');
    expect(describeOp({ op: 'device', fd: 'fd0', action: 'fail_next', arg: 11 })).toBe('poke fd0: fail_next 11');
    expect(describeOp({ op: 'exit' })).toBe('exit (tear down the ring)');
  });
});
