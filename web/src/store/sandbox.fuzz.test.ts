// Property: whatever a viewer does in the sandbox (valid or refused operations, kernel steps,
// going back and branching, a device poke, a torn-down ring), the permalink of the screen opens
// the same timeline, frame for frame, at the same step.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../scenario/format';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import { resetStore, sandboxOp, sandboxSetup, seek, startSession, stepKernel } from './actions';
import { openShareState, shareStateOf } from './permalinks';
import { simStore } from './store';
import { emptyScenario } from '../sim/controller';
import { fuzzRuns } from '../test/fuzzRuns';

let core: Core;
beforeAll(async () => {
  core = await loadCoreFromDisk();
});
afterEach(() => resetStore());

type Action = { kind: 'op'; op: Op } | { kind: 'step'; n: number } | { kind: 'seek'; to: number };

const ops: Op[] = [
  { op: 'open', device: 'delay', as: 'd' },
  { op: 'prep', sqe: { opcode: 'NOP', user_data: 1 } },
  {
    op: 'prep',
    sqe: { opcode: 'URING_CMD', fd: 'd', cmd_op: 'DELAY_DEV_SUBMIT', user_data: 2, cmd: { u64: [1000, 7] } },
  },
  {
    op: 'prep',
    sqe: {
      opcode: 'URING_CMD',
      fd: 'd',
      cmd_op: 'DELAY_DEV_SUBMIT',
      user_data: 3,
      flags: ['IO_LINK'],
      cmd: { u64: [5000, 9] },
    },
  },
  { op: 'submit' },
  { op: 'submit', wait: 1 },
  { op: 'reap' },
  { op: 'sleep', ms: 1 },
  { op: 'device', fd: 'd', action: 'complete_now' },
  { op: 'device', fd: 'd', action: 'fail_next', arg: 11 },
  { op: 'close', fd: 'd' },
  { op: 'exit' },
];

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...ops).map((op) => ({ kind: 'op' as const, op })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => ({ kind: 'step' as const, n })) },
  { weight: 1, arbitrary: fc.nat(40).map((to) => ({ kind: 'seek' as const, to })) },
);

const view = () =>
  simStore
    .getState()
    .frames.map((f) =>
      [f.label, f.ring.sqHead, f.ring.sqTail, f.ring.cqHead, f.ring.cqTail, f.taskState, f.timeNs].join(' '),
    );

describe('sandbox permalinks (fuzzed)', () => {
  it('reopen every sandbox session frame for frame', () => {
    let longest = 0;
    let branched = 0;
    fc.assert(
      fc.property(fc.array(action, { minLength: 8, maxLength: 30 }), (actions) => {
        resetStore();
        startSession(core);
        sandboxSetup({ ...emptyScenario(2), devices: [{ name: 'delay', driver: 'rust_delay_device' }] });
        for (const a of actions) {
          if (simStore.getState().panic) break;
          if (a.kind === 'op') {
            if (simStore.getState().frames[simStore.getState().cursor]?.taskState === 0 || a.op.op === 'device')
              sandboxOp(a.op);
          } else if (a.kind === 'step') for (let i = 0; i < a.n; i++) stepKernel();
          else seek(a.to);
        }
        const st = shareStateOf(simStore.getState());
        expect(st).not.toBeNull();
        const frames = view();
        longest = Math.max(longest, frames.length);
        if (simStore.getState().branch) branched++;
        const cursor = simStore.getState().cursor;
        resetStore();
        startSession(core);
        expect(openShareState(JSON.parse(JSON.stringify(st)))).toEqual([]);
        expect(view()).toEqual(frames);
        expect(simStore.getState().cursor).toBe(cursor);
      }),
      { numRuns: fuzzRuns(60), seed: 7 },
    );
    // The runs did something: long timelines, and branches.
    // Idle kernel steps add no frame (a step that finds nothing to run is dropped), so sessions are shorter than the actions.
    expect(longest).toBeGreaterThan(15);
    expect(branched).toBeGreaterThan(3);
  });
});
