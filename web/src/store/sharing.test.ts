import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import {
  back,
  checkOp,
  dropBranch,
  editHere,
  fillCq,
  loadScenario,
  recover,
  resetStore,
  restoreBranch,
  sandboxOp,
  sandboxSetup,
  seek,
  sessionDocument,
  startSession,
  stepKernel,
  toEnd,
} from './actions';
import { openShareState, panelsOf, shareStateOf, viewOf } from './permalinks';
import { presentChapter, presentNext, presentPrev, setPresenting, toggleBlank } from './presenter';
import { comparisons, diffRows, otherGeneration, runComparison, summarise } from './review';
import { LIBRARY } from './scenarios';
import { simStore } from './store';
import { emptyScenario } from '../sim/controller';

let core: Core;
beforeAll(async () => {
  core = await loadCoreFromDisk();
});
beforeEach(() => resetStore());
afterEach(() => resetStore());
const st = () => simStore.getState();

describe('the sandbox', () => {
  it('checks an operation against the program so far before running it', () => {
    startSession(core);
    expect(checkOp({ op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'dev' } })).toEqual([
      expect.stringContaining('/sqe/fd: expected a variable bound by an earlier open'),
    ]);
    expect(sandboxOp({ op: 'close', fd: 'nope' })).toBe(false);
    expect(st().message).toMatch(/^That operation cannot run: \/fd: expected/);
    expect(st().frames).toHaveLength(1);
  });

  it('sets up a machine, writes a program and says it as a scenario with its schedule', () => {
    startSession(core);
    expect(
      sandboxSetup({ ...emptyScenario(4), api: 'v3', devices: [{ name: 'dev0', driver: 'rust_misc_device_v3' }] }),
    ).toBe(true);
    expect(sandboxOp({ op: 'open', device: 'dev0', as: 'fd0' })).toBe(true);
    expect(sandboxOp({ op: 'alloc', as: 'value', size: 8, init: { i32: [42] } })).toBe(true);
    expect(
      sandboxOp({
        op: 'prep',
        sqe: {
          opcode: 'URING_CMD',
          fd: 'fd0',
          cmd_op: 'RUST_MISC_DEV_URING_CMD_SET_VALUE',
          user_data: 1,
          cmd: { u64: ['&value'] },
        },
      }),
    ).toBe(true);
    expect(sandboxOp({ op: 'submit', wait: 1 })).toBe(true);
    for (let i = 0; i < 30 && st().frames.at(-1)?.taskState !== 0; i++) stepKernel();
    expect(st().frames.at(-1)?.ring.cqTail).toBe(1);
    const doc = sessionDocument();
    expect(doc?.scenario.program.map((o) => o.op)).toEqual(['open', 'alloc', 'prep', 'submit']);
    expect(doc?.scenario.api).toBe('v3');
    expect(doc?.schedule?.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(doc?.schedule?.at(-1)).toBeGreaterThan(2);
  });

  it('fills the CQ until one CQE overflows', () => {
    startSession(core);
    sandboxSetup(emptyScenario(2));
    fillCq();
    const r = st().frames.at(-1)!.ring;
    expect((r.cqTail - r.cqHead) >>> 0).toBe(r.cqEntries);
    expect(st().models.at(-1)!.overflow.length).toBeGreaterThan(0);
  });

  it('forks a guided scenario at the cursor; acting branches, and the old future can come back or go', () => {
    startSession(core, { scenario: 'nop-batch' });
    const total = st().frames.length;
    seek(3);
    editHere();
    expect(st().mode).toBe('free');
    expect(st().base?.id).toBe('nop-batch');
    expect(sandboxOp({ op: 'reap' })).toBe(true);
    expect(st().branch).toEqual({ at: 3, frames: total - 4 });
    expect(st().frames).toHaveLength(5);
    restoreBranch();
    expect(st().branch).toBeNull();
    expect(st().frames).toHaveLength(total);
    seek(2);
    sandboxOp({ op: 'reap' });
    dropBranch();
    expect(st().branch).toBeNull();
    expect(st().frames).toHaveLength(4);
    expect(sessionDocument()?.scenario.id).toBe('nop-batch');
  });
});

describe('permalink states', () => {
  it('map the view to panels and back', () => {
    const s = {
      panels: { rings: true, lanes: false, state: true, inspector: true, timeline: true },
      inspector: 'trace' as const,
    };
    expect(panelsOf(s)).toEqual(['rings', 'state', 'log', 'timeline']);
    expect(viewOf(panelsOf(s))).toEqual({ panels: s.panels, inspector: 'trace' });
    expect(viewOf(['lanes'])).toEqual({
      panels: { rings: false, lanes: true, state: false, inspector: false, timeline: false },
      inspector: null,
    });
  });

  it('reopen a guided screen and a sandbox session as they were', () => {
    startSession(core, { scenario: 'v5-queued-task-work', step: 9 });
    simStore.setState({ theme: 'projector', inspector: 'bytes', selectedByte: { region: 'pdu', offset: 4 } });
    const a = shareStateOf(st())!;
    expect(a).toEqual({
      scenarioId: 'v5-queued-task-work',
      step: 9,
      theme: 'projector',
      panels: ['rings', 'lanes', 'state', 'bytes', 'timeline'],
      byte: { region: 'pdu', offset: 4 },
    });
    resetStore();
    startSession(core);
    expect(openShareState(a)).toEqual([]);
    expect(shareStateOf(st())).toEqual(a);

    resetStore();
    startSession(core);
    sandboxOp({ op: 'prep', sqe: { opcode: 'NOP', user_data: 5 } });
    sandboxOp({ op: 'submit' });
    stepKernel();
    stepKernel();
    back();
    const b = shareStateOf(st())!;
    expect([b.schedule, b.step, b.scenarioId]).toEqual([[0, 0, 2], 3, 'sandbox']);
    const frames = st().frames.map((f) => f.label);
    resetStore();
    startSession(core);
    expect(openShareState(b)).toEqual([]);
    expect(st().frames.map((f) => f.label)).toEqual(frames);
    expect(shareStateOf(st())).toEqual(b);
  });

  it('say what they could not reproduce', () => {
    startSession(core);
    expect(openShareState({ scenarioId: 'no-such', step: 0, theme: 'light', panels: [] })).toEqual([
      'There is no scenario "no-such" in this version of Ringside.',
    ]);
    expect(openShareState({ scenarioId: 'nop-batch', step: 9999, theme: 'light', panels: ['rings'] })[0]).toMatch(
      /asks for step 9999, but this run has \d+ steps/,
    );
    expect(st().cursor).toBe(st().frames.length - 1);
    const bad = openShareState({
      scenarioId: 'x',
      step: 0,
      theme: 'light',
      panels: [],
      scenario: { format: 'ringside-scenario', version: 1, id: 'x' },
    });
    expect(bad[0]).toBe('The scenario carried in the link is not valid:');
    expect(bad).toContain('/title: expected a non-empty string, found nothing');
  });
});

describe('presenter mode', () => {
  it('shows a chapter title card before the chapter, blanks and unblanks', () => {
    startSession(core, { scenario: 'v5-queued-task-work' });
    setPresenting(true);
    const ch = st().chapters[0]!;
    seek(ch.frame - 1);
    presentNext();
    expect([st().cursor, st().card]).toEqual([ch.frame, 0]);
    presentNext();
    expect([st().cursor, st().card]).toEqual([ch.frame, null]);
    presentNext();
    expect(st().cursor).toBe(ch.frame + 1);
    presentPrev();
    presentPrev();
    expect([st().cursor, st().card]).toEqual([ch.frame - 1, null]);
    toggleBlank();
    presentNext();
    expect([st().blank, st().cursor]).toEqual([false, ch.frame - 1]);
    presentChapter(2);
    expect([st().cursor, st().card]).toEqual([st().chapters[2]!.frame, 2]);
  });
});

describe('review mode', () => {
  it('runs a program against the other generation where a driver has a counterpart', () => {
    const v3 = LIBRARY.find((e) => e.id === 'v3-sync-set-get')!.scenario!;
    const v5 = otherGeneration(v3)!;
    expect(v5.api).toBe('v5');
    expect(v5.devices?.[0]?.driver).toBe('rust_misc_device');
    expect(otherGeneration(LIBRARY.find((e) => e.id === 'stale-pdu')!.scenario!)).toBeNull();
    const ids = comparisons().map((c) => c.id);
    expect(ids).toContain('v3-sync-set-get');
    expect(ids).toContain('v5-queued-task-work');
    expect(ids).toContain('stale-pdu+patch2');
  });

  it('runs both sides on their own cores and highlights the completion path and the PDU zeroing', async () => {
    startSession(core, { spawn: loadCoreFromDisk });
    const cmp = comparisons().find((c) => c.id === 'v3-sync-set-get')!;
    await runComparison(cmp);
    const r = st().review!;
    expect(r.status).toBe('ready');
    const rows = diffRows(r.left!.summary, r.right!.summary);
    const one = rows.find((x) => x.key === '1')!;
    expect(one.left).toMatchObject({
      issue: '0',
      postedIn: 'io_uring',
      pdu: 'no',
      copied: '0 bytes',
      doneIn: 'not called (the issue returned the result)',
    });
    expect(one.right).toMatchObject({
      issue: '-EIOCBQUEUED (queued)',
      postedIn: 'task_work',
      pdu: 'by the v5 wrapper',
      copied: '32 bytes',
      doneIn: 'task_work',
    });
    expect([...one.differs]).toEqual(expect.arrayContaining(['issue', 'postedIn', 'pdu', 'copied']));
    expect(summarise([])).toEqual([]);
    const pair = comparisons().find((c) => c.id === 'stale-pdu+patch2')!;
    await runComparison(pair);
    expect(st().review!.left!.sanitizers.length).toBeGreaterThan(0);
    expect(st().review!.right!.sanitizers).toEqual([]);
  });
});

describe('a trap in the core', () => {
  it('shows the panic and returns to the last good frame on a fresh instance', async () => {
    const real = await loadCoreFromDisk();
    const box = { msg: null as string | null };
    let trap = false;
    const exports = { ...real.exports };
    exports.rs_step = () => {
      if (trap) {
        box.msg = 'panicked at core-rs/src/sim/mod.rs:1:1: injected';
        throw new WebAssembly.RuntimeError('unreachable');
      }
      return real.exports.rs_step();
    };
    const trapping = new Core(exports, box);
    startSession(trapping, { spawn: loadCoreFromDisk });
    sandboxOp({ op: 'prep', sqe: { opcode: 'NOP', user_data: 1 } });
    sandboxOp({ op: 'submit' });
    stepKernel();
    const good = st().cursor;
    trap = true;
    stepKernel();
    expect(st().panic).toBe('panicked at core-rs/src/sim/mod.rs:1:1: injected');
    expect(trapping.dead).toBe(true);
    expect(await recover()).toBe(true);
    expect(st().panic).toBeNull();
    expect(st().cursor).toBe(good);
    for (let i = 0; i < 12; i++) stepKernel();
    toEnd();
    expect(st().frames.at(-1)?.ring.cqTail).toBe(1);
  });
});

describe('loading', () => {
  it('keeps the session when a library scenario cannot be found', () => {
    startSession(core, { scenario: 'nop-batch' });
    expect(loadScenario('nope')).toBe(false);
    expect(st().base?.id).toBe('nop-batch');
  });
});
