/**
 * The package entry from source (the same module pkg/ringside_core.js is compiled from; the
 * installed package itself is tested by tests/package/): loading from a file: URL, from bytes
 * and from a compiled module, the machine options, and the misc-device helpers' errors.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abi, compileCore, init, instantiateCore, IoUring, openDevice, prepNop, registerDevice, UserMemory } from '.';

const wasmPath = join(process.cwd(), 'public', 'core.wasm');

describe('ringside-core entry', () => {
  it('loads from a file: URL, from bytes and from a compiled module', async () => {
    const a = await init(pathToFileURL(wasmPath));
    const b = await init(await readFile(wasmPath));
    const m = await compileCore(pathToFileURL(wasmPath).href);
    const c = await init(m);
    for (const core of [a, b, c]) expect(core.call((e) => e.rs_abi_version())).toBe(abi.ABI_VERSION);
    // Each instance has its own memory: a ring in one is not seen by another.
    const ring = IoUring.queueInit(a, new UserMemory(a), 4);
    expect(ring.fd).toBeGreaterThanOrEqual(0);
    expect(b.call((e) => e.rs_req_count(ring.fd))).toBe(-abi.EBADF);
    const d = await instantiateCore(m);
    // instantiateCore does not run rs_init: the guard answers -ENODEV until it does.
    expect(d.call((e) => e.rs_req_count(3))).toBe(-abi.ENODEV);
  });

  it('a missing file is an error that names it', async () => {
    await expect(init(pathToFileURL(join(process.cwd(), 'public', 'no-such.wasm')))).rejects.toThrow(/no-such\.wasm/);
  });

  it('init options pick the machine: a NOP completes either way', async () => {
    for (const opts of [{}, { kernel: '6.19' as const, patch2: true }]) {
      const core = await init(pathToFileURL(wasmPath), opts);
      const ring = IoUring.queueInit(core, new UserMemory(core), 4);
      const sqe = ring.getSqe();
      if (!sqe) throw new Error('SQ full');
      prepNop(sqe);
      expect(ring.submitAndWait(1)).toBe(1);
      expect(ring.reap().map((c) => c.res)).toEqual([0]);
    }
  });

  it('registerDevice and openDevice return the kernel errors', async () => {
    const core = await init(pathToFileURL(wasmPath));
    const mem = new UserMemory(core);
    expect(registerDevice(core, mem, 'dev', 'no_such_driver')).toBe(-abi.ENOENT);
    expect(registerDevice(core, mem, 'Bad Name', 'rust_misc_device_v3')).toBe(-abi.EINVAL);
    expect(registerDevice(core, mem, 'dev', 'rust_misc_device_v3')).toBe(0);
    expect(registerDevice(core, mem, 'dev', 'rust_misc_device_v3')).toBe(-abi.EEXIST);
    expect(openDevice(core, mem, 'nodev')).toBe(-abi.ENOENT);
    expect(openDevice(core, mem, 'dev')).toBeGreaterThanOrEqual(0);
  });
});
