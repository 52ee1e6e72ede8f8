import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import {
  back,
  enter,
  forward,
  freePlay,
  jumpToChapter,
  loadScenario,
  nextStop,
  pause,
  play,
  prevStop,
  reap,
  resetStore,
  seek,
  setSpeed,
  startSession,
  stepKernel,
  submitNop,
  toEnd,
  toStart,
  toggleBreakpoint,
} from './actions';
import { SNAPSHOT_INTERVAL, SimController } from '../sim/controller';
import { LIBRARY } from './scenarios';
import { selChapterIndex, selFocusTrack } from './selectors';
import { MAX_SPEED, MIN_SPEED, simStore } from './store';
import { setQuiz } from './quiz';

let core: Core;
beforeAll(async () => {
  core = await loadCoreFromDisk();
});
beforeEach(() => resetStore());
afterEach(() => {
  vi.useRealTimers();
  resetStore();
});

const st = () => simStore.getState();

describe('the scenario library', () => {
  it('bundles every scenarios/*.json, valid ones with their scenario', () => {
    const ids = LIBRARY.map((e) => e.id);
    expect(ids).toContain('nop-batch');
    expect(ids).toContain('cq-overflow-nop');
    expect(ids.indexOf('nop-batch')).toBeLessThan(ids.indexOf('cq-overflow-nop'));
    for (const e of LIBRARY) expect(e.scenario !== null || e.error !== null).toBe(true);
  });
});

describe('guided scenarios', () => {
  it('loads at frame 0 with chapters resolved and the bytes of frame 0', () => {
    startSession(core, { scenario: 'nop-batch' });
    const s = st();
    expect(s.mode).toBe('guided');
    expect(s.cursor).toBe(0);
    expect(s.frames.length).toBeGreaterThan(20);
    expect(s.models).toHaveLength(s.frames.length);
    expect(s.chapters.map((c) => c.frame)).toEqual([1, expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(s.chapters.every((c) => c.frame >= 0)).toBe(true);
    expect(s.inspect?.frame).toBe(0);
    expect(s.inspect?.ring.sqEntries).toBe(4);
    expect(s.inspect?.ring.sqe(0)).toHaveLength(64);
    expect(s.inspect?.ring.sqe(4)).toBeNull();
  });

  it('steps, seeks, jumps to chapters and stops, and reads the bytes of the frame on screen', () => {
    startSession(core, { scenario: 'nop-batch', step: 5 });
    expect(st().cursor).toBe(5);
    forward();
    expect(st().cursor).toBe(6);
    back();
    back();
    expect(st().cursor).toBe(4);
    toEnd();
    const last = st().frames.length - 1;
    expect(st().cursor).toBe(last);
    // The SQE bytes at the end hold the second batch's NOPs (user_data 4..6).
    const sqe0 = st().inspect?.ring.sqe(0) as Uint8Array;
    const ud = new DataView(sqe0.buffer).getBigUint64(32, true);
    expect(ud).toBe(5n);
    toStart();
    expect(st().cursor).toBe(0);
    jumpToChapter(2);
    expect(st().cursor).toBe(st().chapters[2]?.frame);
    expect(selChapterIndex(st())).toBe(2);
    nextStop();
    const c = st().cursor;
    expect(st().models[c]?.stops.length).toBeGreaterThan(0);
    prevStop();
    expect(st().cursor).toBeLessThan(c);
    seek(10_000);
    expect(st().cursor).toBe(last);
  });

  it('follows the focus request', () => {
    startSession(core, { scenario: 'nop-batch' });
    const i = st().models.findIndex((m) => m.reqs.length > 0);
    seek(i);
    expect(selFocusTrack(st())?.serial).toBe(st().models[i]?.focus);
  });

  it('refuses an unknown scenario with a message and stays in free play', () => {
    startSession(core, { scenario: 'no-such-thing' });
    expect(st().mode).toBe('free');
    expect(loadScenario('no-such-thing')).toBe(false);
    expect(st().message).toMatch(/no scenario/);
  });
});

describe('playback', () => {
  // Checkpoints stop playback too (tested in store/quiz.test.ts); these tests are about stops.
  beforeEach(() => setQuiz(false));
  it('plays at its speed and pauses at an enabled stop', () => {
    vi.useFakeTimers();
    startSession(core, { scenario: 'nop-batch' });
    setSpeed(10);
    const firstCqe = st().models.findIndex((m) => m.stops.includes('cqe_posted'));
    play();
    expect(st().playing).toBe(true);
    vi.advanceTimersByTime(100 * (firstCqe + 5));
    expect(st().playing).toBe(false);
    expect(st().cursor).toBe(firstCqe);
    // It says why: the stop kinds that stopped it, at that step.
    expect(st().stopped).toEqual({
      why: 'stop',
      step: firstCqe,
      kinds: st().models[firstCqe]!.stops.filter((k) => st().breakpoints[k]),
    });
    expect(st().stopped!.kinds).toContain('cqe_posted');
    play();
    expect(st().stopped).toBeNull();
    pause();
    expect(st().stopped?.why).toBe('paused');
  });

  it('passes over a disabled stop and stops at the end', () => {
    vi.useFakeTimers();
    startSession(core, { scenario: 'nop-batch' });
    for (const k of ['eiocbqueued', 'eagain', 'device_done', 'task_work_ran', 'cqe_posted', 'sanitizer'] as const)
      toggleBreakpoint(k);
    setSpeed(MAX_SPEED * 10);
    expect(st().speed).toBe(MAX_SPEED);
    play();
    vi.advanceTimersByTime(10_000);
    expect(st().cursor).toBe(st().frames.length - 1);
    expect(st().playing).toBe(false);
    expect(st().stopped).toEqual({ why: 'end', step: st().frames.length - 1, kinds: [] });
    setSpeed(0);
    expect(st().speed).toBe(MIN_SPEED);
  });

  it('pauses on demand', () => {
    vi.useFakeTimers();
    startSession(core, { scenario: 'nop-batch' });
    play();
    pause();
    vi.advanceTimersByTime(5000);
    expect(st().cursor).toBe(0);
  });
});

describe('time travel', () => {
  it('steps back deep into a long timeline without rerunning from the start', () => {
    startSession(core);
    for (let i = 0; i < 300; i++) {
      submitNop();
      enter();
      for (let k = 0; k < 20 && (st().frames.at(-1)?.taskState ?? 0) !== 0; k++) stepKernel();
      reap();
    }
    const n = st().frames.length;
    expect(n).toBeGreaterThan(2000);
    // Count the inputs each step back re-executes (the work a seek does), not its time.
    const exec = vi.spyOn(SimController.prototype as unknown as { exec: () => unknown }, 'exec');
    const replayed: number[] = [];
    for (let i = 0; i < 40; i++) {
      exec.mockClear();
      back();
      replayed.push(exec.mock.calls.length);
    }
    exec.mockRestore();
    expect(st().cursor).toBe(n - 41);
    // The worst step back replays at most one snapshot interval, never the whole timeline.
    expect(Math.max(...replayed)).toBeGreaterThan(0);
    expect(Math.max(...replayed)).toBeLessThanOrEqual(SNAPSHOT_INTERVAL);
    // The bytes on screen are the restored memory of that frame.
    const s = st();
    expect(s.inspect?.frame).toBe(s.cursor);
    const want = s.frames[s.cursor]?.ring.sqes.map((q) => q.userData);
    const ring = s.inspect?.ring;
    expect(want?.map((_, slot) => new DataView((ring?.sqe(slot) as Uint8Array).buffer).getBigUint64(32, true))).toEqual(
      want,
    );
  });
});

describe('free play', () => {
  it('submits a NOP, enters, steps the kernel and reaps, going back through snapshots', () => {
    startSession(core);
    expect(st().mode).toBe('free');
    submitNop();
    expect(st().frames[st().cursor]?.ring.sqTail).toBe(1);
    enter();
    for (let i = 0; i < 20 && (st().frames[st().cursor]?.taskState ?? 0) !== 0; i++) stepKernel();
    expect(st().frames[st().cursor]?.ring.cqTail).toBe(1);
    reap();
    expect(st().frames[st().cursor]?.ring.cqHead).toBe(1);
    const n = st().frames.length;
    seek(1);
    expect(st().frames[st().cursor]?.ring.cqTail).toBe(0);
    expect(st().frames).toHaveLength(n);
    freePlay(4);
    expect(st().frames).toHaveLength(1);
    expect(st().frames[0]?.ring.sqEntries).toBe(4);
  });
});

describe('the bytes of a big ring', () => {
  it("shows, at a past frame of a 32768-entry ring, that frame's bytes and never a later frame's", () => {
    startSession(core);
    freePlay(32768);
    expect(st().frames[0]?.ring.sqEntries).toBe(32768);
    const ud = (b: Uint8Array | null | undefined) => (b ? new DataView(b.buffer).getBigUint64(32, true) : null);
    const cqUd = (b: Uint8Array | null | undefined) => (b ? new DataView(b.buffer).getBigUint64(0, true) : null);
    submitNop();
    const one = st().cursor;
    submitNop();
    submitNop();
    enter();
    for (let i = 0; i < 40 && (st().frames[st().cursor]?.taskState ?? 0) !== 0; i++) stepKernel();
    const end = st().cursor;
    expect(st().frames[end]?.ring.cqTail).toBe(3);
    const atEnd = st().inspect;
    expect([0, 1, 2].map((i) => ud(atEnd?.ring.sqe(i)))).toEqual([1n, 2n, 3n]);
    expect([0, 1, 2].map((i) => cqUd(atEnd?.ring.cqe(i)))).toEqual([1n, 2n, 3n]);
    // The past frame after the first NOP: slot 0 holds it, slots 1 and 2 are still empty and
    // no CQE was posted, whatever the live memory held a moment before.
    seek(one);
    const past = st().inspect;
    expect(past?.frame).toBe(one);
    const f = st().frames[one]!.ring;
    expect([0, 1, 2].map((i) => ud(past?.ring.sqe(i)))).toEqual([0, 1, 2].map((i) => f.sqes[i]!.userData));
    expect([0, 1, 2].map((i) => ud(past?.ring.sqe(i)))).toEqual([1n, 0n, 0n]);
    expect([0, 1, 2].map((i) => cqUd(past?.ring.cqe(i)))).toEqual([0n, 0n, 0n]);
    expect(past?.ring.sqe(32767)).toHaveLength(64);
    expect(past?.ring.sqe(32768)).toBeNull();
    // Once the core has moved on, a slot of that frame not read yet is not read from the new state.
    seek(end);
    seek(one);
    const again = st().inspect;
    seek(end);
    expect(again?.ring.sqe(2)).toBeNull();
    expect(again?.ring.cqe(1)).toBeNull();
    expect(ud(past?.ring.sqe(1))).toBe(0n);
    expect(ud(st().inspect?.ring.sqe(2))).toBe(3n);
  });
});

describe('the focused stage (projector theme, presenter mode)', () => {
  it("shows the chapter's panels, then the viewer's, two at a time", async () => {
    const { toggleFocus } = await import('./actions');
    const { selFocusPanels } = await import('./selectors');
    startSession(core, { scenario: 'nop-batch' });
    expect(selFocusPanels(st())).toEqual(['rings', 'code']);
    simStore.setState({
      chapters: st().chapters.map((c, i) => (i === 0 ? { ...c, panels: ['lanes', 'bytes'] } : c)),
      cursor: st().chapters[0]!.frame,
    });
    expect(selFocusPanels(st())).toEqual(['lanes', 'bytes']);
    toggleFocus('code');
    expect(selFocusPanels(st())).toEqual(['bytes', 'code']);
    toggleFocus('code');
    expect(selFocusPanels(st())).toEqual(['bytes']);
    toggleFocus('bytes');
    expect(selFocusPanels(st())).toEqual(['bytes']);
  });
});

describe('beats and the sandbox', () => {
  it('editing from a beat continues on kernel steps, at the state the cursor showed', async () => {
    const { editHere, sessionDocument } = await import('./actions');
    startSession(core, { scenario: 'v5-queued-task-work' });
    const beats = st().frames.filter((f) => f.beat);
    expect(beats.length).toBeGreaterThanOrEqual(2);
    const ch2 = st().chapters[1]!;
    expect(st().frames[ch2.frame]!.beat).toEqual({ n: 2, of: 2 });
    seek(ch2.frame);
    const ring = st().frames[ch2.frame]!.ring;
    const frames = st().frames.length;
    editHere();
    expect(st().mode).toBe('free');
    expect(st().frames.some((f) => f.beat)).toBe(false);
    expect(st().frames.length).toBe(frames - beats.filter((f) => f.beat!.n < f.beat!.of).length);
    // The last beat is the step itself: the same ring, one frame earlier.
    expect(st().cursor).toBe(ch2.frame - 1);
    expect(st().frames[st().cursor]!.ring).toEqual(ring);
    // The session's document replays to the same frames.
    expect(sessionDocument()?.schedule?.reduce((a, b) => a + b, 0)).toBe(
      st().frames.filter((f) => f.actor === 'kernel').length,
    );
  });
});
