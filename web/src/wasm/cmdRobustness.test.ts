/**
 * The misc-device, device-poke, log and provenance exports never trap, whatever the
 * arguments: strings outside user memory, bad UTF-8, unknown drivers, closed fds.
 *
 * @see core-rs/src/ffi/cmd_exports.rs
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from './abi.generated';
import { type CmdExports, hasCmdExports } from './exports';
import { loadCoreFromDisk } from './node';

const u32 = fc.oneof(
  fc.constant(0),
  fc.constant(0xffffffff),
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.integer({ min: 0, max: 1 << 20 }),
);
const i32 = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.integer({ min: -4, max: 16 }));

describe('uring_cmd exports under hostile arguments', () => {
  it('never trap', async () => {
    const core = await loadCoreFromDisk();
    expect(hasCmdExports(core.exports)).toBe(true);
    const e = core.exports as typeof core.exports & CmdExports;
    core.call((x) => x.rs_init(0));
    const base = core.exports.rs_user_mem_base() >>> 0;
    const names = [...Object.keys(DRIVERS), 'no_such_driver', 'rust-misc', '', 'x'.repeat(80)];
    const str = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }));
    const put = (s: string | Uint8Array, at: number): [number, number] => {
      const b = typeof s === 'string' ? new TextEncoder().encode(s) : s;
      core.u8().set(b, base + at);
      return [base + at, b.length];
    };
    await fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), str, str, i32, u32, u32), { minLength: 1, maxLength: 30 }),
        (calls) => {
          for (const [which, s1, s2, a, b, c] of calls) {
            const [p1, l1] = put(s1, 4096);
            const [p2, l2] = put(s2, 8192);
            core.call(() => {
              switch (which) {
                case 0:
                  return e.rs_dev_register(p1, l1, p2, l2);
                case 1:
                  return e.rs_dev_register(b, c & 0xff, c, b & 0xff);
                case 2:
                  return e.rs_dev_open(p1, l1);
                case 3:
                  return e.rs_dev_open(b, c);
                case 4:
                  return e.rs_dev_ctl(a, p1, l1, a);
                case 5:
                  return e.rs_dev_ctl(a & 15, b, c, a);
                case 6:
                  return e.rs_log_ptr(b) + e.rs_log_len(b);
                case 7:
                  return e.rs_sqe_prov_ptr(a);
                default:
                  return e.rs_user_prov_ptr() + e.rs_user_src_ptr() + e.rs_step();
              }
            });
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
    expect(core.dead).toBe(false);
  });
});
