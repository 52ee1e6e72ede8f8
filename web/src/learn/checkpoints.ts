/**
 * Predict, then reveal: a scenario's checkpoints, placed on the frames they ask about, with the
 * answer computed from the run (never typed by the author):
 * - `res`: the res of the first CQE posted for the asked user_data at or after the frame
 *   (`io_uring_complete`, or `io_uring_cqe_overflow` when the CQ was full);
 * - `lane`: the context of the step's first record that names a request (else its first record);
 * - `pdu`: the bytes of the PDU the driver reads (`sim_pdu_read`: offset a, length b) at the
 *   first such read at or after the frame, as the request held them before that step.
 */
import { resName } from '../captions/format';
import type { Checkpoint, Scenario } from '../scenario/format';
import type { Frame } from '../sim/frame';
import { eventArgs } from '../wasm/events.generated';
import { LANES, LANE_LABELS } from '../store/model';

export interface ResolvedCheckpoint extends Checkpoint {
  /** The frame the question is asked before (-1: the run never gets there). */
  frame: number;
  /** The computed answer (null: the run does not produce one). */
  answer: string | null;
  /** The choices offered, the answer among them. */
  options: string[];
}

function frameOf(cp: Checkpoint, frames: readonly Frame[], opFrames: readonly number[]): number {
  if (cp.op !== undefined) return opFrames[cp.op] ?? -1;
  let n = cp.nth ?? 1;
  for (const f of frames) if (f.events.some((e) => e.event === cp.event) && --n === 0) return f.index;
  return -1;
}

const hexBytes = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** The answer the run gives to a checkpoint placed at `at`. */
export function computeAnswer(cp: Checkpoint, frames: readonly Frame[], at: number): string | null {
  if (at < 0) return null;
  switch (cp.ask) {
    case 'res': {
      const want = BigInt(cp.user_data ?? 0);
      for (let i = at; i < frames.length; i++) {
        const e = frames[i]?.events.find(
          (x) => (x.event === 'io_uring_complete' || x.event === 'io_uring_cqe_overflow') && x.userData === want,
        );
        const f = e ? eventArgs(e) : null;
        if (f && (f.event === 'io_uring_complete' || f.event === 'io_uring_cqe_overflow')) return resName(f.res);
      }
      return null;
    }
    case 'lane': {
      const evs = frames[at]?.events ?? [];
      const e = evs.find((x) => x.req) ?? evs[0];
      return e ? e.ctx : null;
    }
    case 'pdu': {
      for (let i = at; i < frames.length; i++) {
        const f = frames[i] as Frame;
        const read = f.events.find((x) => x.event === 'sim_pdu_read');
        if (!read) continue;
        const before =
          frames[i - 1]?.ring.reqs.find((r) => r.serial === read.req) ?? f.ring.reqs.find((r) => r.serial === read.req);
        if (!before) return null;
        const args = eventArgs(read);
        if (args?.event !== 'sim_pdu_read') return null;
        const off = args.offset;
        const len = Math.max(1, Math.min(args.len, 8));
        return hexBytes(before.pdu.slice(off, off + len));
      }
      return null;
    }
  }
}

/** What a lane answer reads like. */
export function answerLabel(cp: Checkpoint, value: string): string {
  if (cp.ask === 'lane') return `${value} (${LANE_LABELS[value as keyof typeof LANE_LABELS] ?? value})`;
  return value;
}

function optionsFor(cp: Checkpoint, answer: string | null): string[] {
  if (cp.ask === 'lane') return [...LANES];
  // For PDU bytes, "all zero" of the same length is the natural alternative.
  const zeroes = answer !== null ? answer.replace(/[0-9a-f]{2}/g, '00') : '00 00 00 00 00 00 00 00';
  const base = cp.choices ?? (cp.ask === 'res' ? ['0', '-EIOCBQUEUED', '-EAGAIN'] : [zeroes]);
  const all = answer !== null && !base.includes(answer) ? [...base, answer] : [...base];
  // A stable order that does not give the answer away by its position: sorted.
  return all.sort((a, b) => a.localeCompare(b));
}

/** Places and answers every checkpoint of a run. */
export function resolveCheckpoints(
  s: Scenario,
  frames: readonly Frame[],
  opFrames: readonly number[],
): ResolvedCheckpoint[] {
  return (s.checkpoints ?? []).map((cp) => {
    const frame = frameOf(cp, frames, opFrames);
    const answer = computeAnswer(cp, frames, frame);
    return { ...cp, frame, answer, options: optionsFor(cp, answer) };
  });
}
