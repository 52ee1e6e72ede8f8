import { describe, expect, it } from 'vitest';
import { functionForOp, functionsOfStep } from './kernelFunctions';
import { normalizeSourcePath, parseSourceTable, unpackSrc } from './sources';

describe('source locations', () => {
  it('reads every shape a generated SOURCE_FILES table may take', () => {
    const want = new Map([
      [1, 'kernel/io_uring.rs'],
      [2, 'drivers/rust_misc_device_v5.rs'],
    ]);
    expect(
      parseSourceTable({ 1: 'core-rs/src/kernel/io_uring.rs', 2: 'core-rs/src/drivers/rust_misc_device_v5.rs' }),
    ).toEqual(want);
    expect(parseSourceTable(['', 'core-rs/src/kernel/io_uring.rs', 'src/drivers/rust_misc_device_v5.rs'])).toEqual(
      want,
    );
    expect(
      parseSourceTable([
        [1, 'kernel/io_uring.rs'],
        [2, 'drivers/rust_misc_device_v5.rs'],
      ]),
    ).toEqual(want);
    expect(
      parseSourceTable([
        { id: 1, path: './core-rs/src/kernel/io_uring.rs' },
        { id: 2, path: 'core-rs\\src\\drivers\\rust_misc_device_v5.rs' },
      ]),
    ).toEqual(want);
    expect(parseSourceTable(undefined)).toBeNull();
  });

  it('unpacks file << 16 | line', () => {
    expect(unpackSrc((10 << 16) | 77)).toEqual({ file: 10, line: 77 });
    expect(normalizeSourcePath('core-rs/src/kernel/x.rs')).toBe('kernel/x.rs');
  });

  it('lists the distinct functions of a step and the library call of each program operation', () => {
    const ev = (event: string) =>
      ({
        step: 0,
        event,
        ctx: 'driver',
        ring: 1,
        req: 1,
        srcFile: 0,
        srcLine: 0,
        timeNs: 0,
        userData: 0n,
        a: 0n,
        b: 0n,
      }) as never;
    expect(
      functionsOfStep([ev('sim_uring_cmd_issue'), ev('sim_uring_cmd_ret'), ev('sim_uring_cmd_done')]).map(
        (f) => f.name,
      ),
    ).toEqual(['io_uring_cmd', '__io_uring_cmd_done']);
    for (const op of [
      'open',
      'alloc',
      'write_user',
      'prep',
      'submit',
      'wait',
      'reap',
      'sleep',
      'device',
      'close',
      'exit',
    ])
      expect(functionForOp(op)).not.toBeNull();
  });
});
