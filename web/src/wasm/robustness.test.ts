/**
 * The wasm core must never trap on anything the page or a user can send it: out-of-range
 * pointers, lengths and descriptors to every export, and arbitrary bytes in the shared rings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IORING_ENTER_GETEVENTS } from './abi.generated';
import type { CoreExports } from './exports';
import { loadCoreFromDisk } from './node';
import { fuzzRuns } from '../test/fuzzRuns';

const u32 = fc.oneof(
  fc.constant(0),
  fc.constant(0xffffffff),
  fc.constant(0x7fffffff),
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.integer({ min: 0, max: 1 << 20 }),
);
const i32 = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.integer({ min: -4, max: 64 }));

describe('wasm exports under hostile arguments', () => {
  it('never trap, whatever the arguments', async () => {
    const core = await loadCoreFromDisk();
    const e = core.exports as CoreExports & Record<string, (...a: number[]) => unknown>;
    core.call((x) => x.rs_init(0));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), i32, u32, u32, u32), { minLength: 1, maxLength: 40 }),
        async (calls) => {
          for (const [which, a, b, c, d] of calls) {
            core.call(() => {
              switch (which) {
                case 0:
                  return e.io_uring_setup(b, c);
                case 1:
                  return e.rs_mmap(a, b);
                case 2:
                  return e.rs_mmap_len(a, c);
                case 3:
                  return e.io_uring_enter(a, b & 0xff, c & 0xff, d, b, c);
                case 4:
                  return e.rs_enter_begin(a, b & 0xff, 0, d & ~IORING_ENTER_GETEVENTS, 0, 0);
                case 5:
                  return e.rs_step();
                case 6:
                  return e.rs_user_wrote(b, c);
                case 7:
                  return e.rs_close(a);
                case 8:
                  return e.rs_req_info(a, b);
                case 9:
                  return e.rs_req_count(a);
                case 10:
                  return e.rs_trace_enable(b & 1);
                default:
                  return e.rs_last_ret();
              }
            });
          }
          // Leave no syscall half-done for the next run.
          for (let k = 0; k < 10_000 && core.call((x) => x.rs_task_state()) !== 0; k++) core.call((x) => x.rs_step());
        },
      ),
      { numRuns: fuzzRuns(200), seed: 0x5eed },
    );
    expect(core.dead).toBe(false);
  });

  it('never trap on random bytes in the SQ ring, the SQE array and the CQ head', async () => {
    const core = await loadCoreFromDisk();
    core.call((x) => x.rs_init(0));
    const p = core.exports.rs_user_mem_base();
    core.u8().fill(0, p, p + 120);
    const fd = core.call((x) => x.io_uring_setup(8, p));
    expect(fd).toBeGreaterThan(0);
    const rings = core.exports.rs_mmap(fd, 0) >>> 0;
    const ringsLen = core.exports.rs_mmap_len(fd, 0) >>> 0;
    const sqes = core.exports.rs_mmap(fd, 0x10000000) >>> 0;
    const sqesLen = core.exports.rs_mmap_len(fd, 0x10000000) >>> 0;
    await fc.assert(
      fc.property(
        fc.uint8Array({ minLength: sqesLen, maxLength: sqesLen }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: ringsLen / 4 - 1 }), fc.integer({ min: 0, max: 0xffffffff })), {
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 0, max: 16 }),
        (sqeBytes, words, toSubmit, minComplete) => {
          core.u8().set(sqeBytes, sqes);
          for (const [w, v] of words) core.view().setUint32(rings + 4 * w, v, true);
          const r = core.call((x) => x.io_uring_enter(fd, toSubmit, minComplete, IORING_ENTER_GETEVENTS, 0, 0));
          expect(r).toBeGreaterThanOrEqual(-4095);
        },
      ),
      { numRuns: fuzzRuns(300), seed: 42 },
    );
    expect(core.dead).toBe(false);
  });
});
