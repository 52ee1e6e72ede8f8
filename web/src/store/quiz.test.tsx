// @vitest-environment jsdom
// Predict, then reveal: stepping onto a checkpoint's frame asks first; a pick (or a second
// forward: the presenter's reveal) runs the step and shows the answer the run computed.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Caption } from '../components/Caption';
import { loadTestCore, resetAll } from '../test/core';
import type { Core } from '../wasm/load';
import { forward, play, seek, setSpeed, startSession } from './actions';
import { presentNext, setPresenting } from './presenter';
import { answer, setQuiz } from './quiz';
import { type SimState, simStore } from './store';

let core: Core;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(() => {
  vi.useRealTimers();
  resetAll();
});
const st = () => simStore.getState();

function atCheckpoint(id: string) {
  startSession(core, { scenario: id });
  const cp = st().checkpoints[0];
  if (!cp || cp.frame < 1 || cp.answer === null) throw new Error(`${id} has no placed checkpoint`);
  seek(cp.frame - 1);
  return cp;
}

describe('checkpoints', () => {
  it('ask before the step, then reveal it with the computed answer', () => {
    const cp = atCheckpoint('v5-queued-task-work');
    forward();
    expect(st().cursor).toBe(cp.frame - 1);
    expect(st().quiz.asking).toBe(0);
    const wrong = cp.options.find((o) => o !== cp.answer) as string;
    answer(wrong);
    expect(st().cursor).toBe(cp.frame);
    expect(st().quiz).toMatchObject({ asking: null, revealed: [0], picked: { 0: wrong } });
    // The answer is the lane of the step's first record about a request.
    const e = st().frames[cp.frame]?.events.find((x) => x.req);
    expect(cp.answer).toBe(e?.ctx);
    // Asked once: back and forward again just steps.
    seek(cp.frame - 1);
    forward();
    expect(st().cursor).toBe(cp.frame);
  });

  it('shows the question and the answer on screen', () => {
    const cp = atCheckpoint('stale-pdu');
    render(<Caption />);
    act(() => forward());
    expect(screen.getByTestId('checkpoint').textContent).toContain(cp.question);
    const options = screen.getAllByTestId('cp-option');
    expect(options).toHaveLength(cp.options.length);
    fireEvent.click(options.find((o) => o.textContent?.includes(cp.answer as string)) as HTMLElement);
    expect(st().cursor).toBe(cp.frame);
    expect(screen.getByTestId('cp-answer').textContent).toBe(cp.answer);
    expect(screen.getByTestId('checkpoint-answer').textContent).toContain('as you predicted');
  });

  it('in presenter mode the next press asks, the one after reveals (the room voted)', () => {
    const cp = atCheckpoint('nop-batch');
    setPresenting(true);
    seek(cp.frame - 1);
    presentNext();
    expect([st().cursor, st().quiz.asking, st().card]).toEqual([cp.frame - 1, 0, null]);
    presentNext();
    expect(st().cursor).toBe(cp.frame);
    expect(st().quiz.revealed).toEqual([0]);
  });

  it('stop playback before the step they ask about', () => {
    vi.useFakeTimers();
    const cp = atCheckpoint('nop-batch');
    seek(0);
    simStore.setState({
      breakpoints: Object.fromEntries(Object.keys(st().breakpoints).map((k) => [k, false])) as SimState['breakpoints'],
    });
    setSpeed(50);
    play();
    vi.advanceTimersByTime(5000);
    expect([st().playing, st().cursor, st().quiz.asking]).toEqual([false, cp.frame - 1, 0]);
  });

  it('turned off, steps go straight on', () => {
    setQuiz(false);
    const cp = atCheckpoint('nop-batch');
    forward();
    expect(st().cursor).toBe(cp.frame);
    expect(st().quiz.asking).toBeNull();
  });
});
