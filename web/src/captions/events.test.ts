import { describe, expect, it } from 'vitest';
import {
  EAGAIN,
  EIOCBQUEUED,
  EVENT,
  IO_URING_F_COMPLETE_DEFER,
  IO_URING_F_INLINE,
  IO_URING_F_NONBLOCK,
} from '../wasm/abi.generated';
import type { TraceEvent } from '../wasm/decode';
import { DESCRIBED_EVENTS, Weight, describeEvent, eventWeight, isSanitizer, shortName } from './events';
import { functionForEvent, functionUrl } from './kernelFunctions';
import { sanitizerInfo } from './review';

function ev(event: string, a: bigint | number = 0, b: bigint | number = 0, req = 3): TraceEvent {
  return {
    step: 1,
    event: event as TraceEvent['event'],
    ctx: 'io_uring',
    ring: 1,
    req,
    srcFile: 0,
    srcLine: 0,
    timeNs: 0,
    userData: 42n,
    a: BigInt(a),
    b: BigInt(b),
  };
}

/** Events a newer core adds (the uring_cmd branch); described ahead of the ABI that names them. */
const UPCOMING = [
  'sim_uring_cmd_no_hook',
  'sim_sqe_read',
  'sim_dev_register',
  'sim_dev_open',
  'sim_dev_release',
  'sim_dev_ctl',
  'sim_uring_cmd_do_in_task',
  'sim_work_queue',
  'sim_uring_cmd_cancelable',
  'sim_copy_from_user',
  'sim_copy_to_user',
];
const ALL = [...new Set([...Object.keys(EVENT), ...UPCOMING])];

describe('every event kind', () => {
  it.each(ALL)('%s has words, a short name and an upstream function', (name) => {
    expect(DESCRIBED_EVENTS).toContain(name);
    for (const [a, b] of [
      [0, 0],
      [1, 1],
      [-22, 0x100000002n],
    ] as const) {
      const text = describeEvent(ev(name, a, b));
      expect(text).not.toMatch(/undefined|NaN|\[object/);
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/^[A-Z][a-z]/);
    }
    expect(shortName(ev(name))).toBeTruthy();
    const f = functionForEvent(ev(name));
    expect(f).not.toBeNull();
    if (f && f.origin !== 'simulator') expect(functionUrl(f)).toMatch(/^https:\/\//);
  });

  it('gives every sanitizer report the highest weight, an explanation and a review quote', () => {
    const sanitizers = ALL.filter((n) => n.startsWith('sanitizer_'));
    expect(sanitizers.length).toBeGreaterThanOrEqual(6);
    for (const n of sanitizers) {
      expect(isSanitizer(ev(n))).toBe(true);
      expect(eventWeight(ev(n))).toBe(Weight.Alarm);
      const info = sanitizerInfo(n);
      expect(info?.review.length).toBeGreaterThan(0);
      expect(info?.explanation).toBeTruthy();
    }
  });

  it('names an unknown event instead of failing', () => {
    expect(describeEvent(ev('unknown_999'))).toContain('unknown_999');
  });
});

describe('event words', () => {
  it('explains what each ->uring_cmd() result makes the core do', () => {
    expect(describeEvent(ev('sim_uring_cmd_ret', -EIOCBQUEUED))).toContain('-EIOCBQUEUED');
    expect(describeEvent(ev('sim_uring_cmd_ret', -EIOCBQUEUED))).toContain('in flight');
    expect(describeEvent(ev('sim_uring_cmd_ret', -EAGAIN))).toMatch(/-EAGAIN.*REISSUE.*io-wq/);
    expect(describeEvent(ev('sim_uring_cmd_ret', 0))).toContain('completes the request at once');
    expect(describeEvent(ev('sim_uring_cmd_ret', -22))).toContain('-EINVAL');
  });

  it('decodes issue flags, cmd_op and CQE slots', () => {
    const flags = (IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER | IO_URING_F_INLINE) >>> 0;
    expect(describeEvent(ev('sim_uring_cmd_issue', flags, 0x80))).toBe(
      "the core calls the driver's ->uring_cmd() for request #42 (cmd_op 0x80, issue flags NONBLOCK|COMPLETE_DEFER|INLINE)",
    );
    expect(describeEvent(ev('io_uring_complete', -95, 5n << 32n))).toBe(
      'the kernel writes the CQE for user_data 42 (res -EOPNOTSUPP) into CQ slot 5',
    );
    expect(describeEvent(ev('io_uring_submit_req', 46, 7n << 32n))).toContain('SQ index 7');
    expect(describeEvent(ev('sim_cq_tail_commit', 3, 1))).toContain('2 new CQEs');
    expect(describeEvent(ev('sim_pdu_zero', 1))).toContain('patch 2/5');
    expect(describeEvent(ev('sim_pdu_zero', 2))).toContain('Rust wrapper');
  });
});

describe('a second -EAGAIN', () => {
  it('is final when the call came from io-wq', () => {
    const issue = ev('sim_uring_cmd_issue', 0x2 | 0x8, 0x80);
    const ret = ev('sim_uring_cmd_ret', -11);
    expect(describeEvent(ret, [issue, ret])).toContain('final');
    expect(describeEvent(ret, [ret])).toContain('REISSUE');
  });
});
