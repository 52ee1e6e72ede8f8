/**
 * Predict, then reveal: stepping forward onto a frame a checkpoint asks about first asks the
 * question (forward and playback stop there); the viewer picks an answer, or presses forward
 * again (in presenter mode: after the audience voted), and the step is revealed with the answer
 * the run computed. Turned off (`quiz=0` in an embed, or the switch on the question) steps go
 * straight on.
 */
import type { ResolvedCheckpoint } from '../learn/checkpoints';
import { seek } from './actions';
import { simStore } from './store';

export interface QuizState {
  on: boolean;
  /** The checkpoint (index) whose question is on screen. */
  asking: number | null;
  /** What the viewer picked, per checkpoint (absent: revealed without a pick). */
  picked: Record<number, string>;
  /** Checkpoints already revealed (they do not ask again). */
  revealed: number[];
}

export const QUIZ_OFF: QuizState = { on: false, asking: null, picked: {}, revealed: [] };

/** A fresh quiz for a newly loaded scenario (the on/off choice stays). */
export function freshQuiz(on: boolean): QuizState {
  return { on, asking: null, picked: {}, revealed: [] };
}

/** The checkpoint (index) placed on `frame` that has not been revealed, or -1. */
function pendingAt(frame: number): number {
  const s = simStore.getState();
  if (!s.quiz.on || s.mode !== 'guided') return -1;
  return s.checkpoints.findIndex((c, i) => c.frame === frame && c.answer !== null && !s.quiz.revealed.includes(i));
}

/**
 * Called before moving onto `frame` one step at a time: if a checkpoint asks about it, asks
 * (or, when its question is already on screen, reveals) and returns true: the caller does not move.
 */
export function askBefore(frame: number): boolean {
  const i = pendingAt(frame);
  if (i < 0) return false;
  const q = simStore.getState().quiz;
  if (q.asking === i) {
    reveal();
    return true;
  }
  simStore.setState({ quiz: { ...q, asking: i }, playing: false });
  return true;
}

/** The viewer's pick (then the reveal). */
export function answer(choice: string): void {
  const q = simStore.getState().quiz;
  if (q.asking === null) return;
  simStore.setState({ quiz: { ...q, picked: { ...q.picked, [q.asking]: choice } } });
  reveal();
}

/** Reveals the question on screen: the step runs, the answer shows. */
export function reveal(): void {
  const s = simStore.getState();
  const i = s.quiz.asking;
  if (i === null) return;
  const cp = s.checkpoints[i];
  simStore.setState({ quiz: { ...s.quiz, asking: null, revealed: [...s.quiz.revealed, i] } });
  if (cp && cp.frame >= 0) seek(cp.frame);
}

/** Turns the questions on or off. */
export function setQuiz(on: boolean): void {
  simStore.setState({ quiz: { ...simStore.getState().quiz, on, asking: null } });
}

/** The checkpoint revealed on the frame on screen, with what the viewer picked. */
export function revealedHere(s: {
  cursor: number;
  checkpoints: ResolvedCheckpoint[];
  quiz: QuizState;
}): { cp: ResolvedCheckpoint; picked: string | undefined } | null {
  const i = s.checkpoints.findIndex((c, k) => c.frame === s.cursor && s.quiz.revealed.includes(k));
  const cp = s.checkpoints[i];
  return cp ? { cp, picked: s.quiz.picked[i] } : null;
}
