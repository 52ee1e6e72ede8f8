/**
 * Predict, then reveal, on screen: the question of the checkpoint ahead with its choices (a
 * pick reveals the step; forward, or "Reveal", reveals without one: the presenter's "the room
 * voted"), then on the revealed step the answer the run computed next to the pick.
 */
import { memo } from 'react';
import { type SimState, answer, reveal, revealedHere, setQuiz, useSim } from '../store';
import { answerLabel } from './checkpoints';
import { GlossaryText } from './GlossaryText';

const LETTERS = 'ABCDEFGHIJ';

const selAsking = (s: SimState) => (s.quiz.asking !== null ? (s.checkpoints[s.quiz.asking] ?? null) : null);
const selRevealed = (s: SimState) => {
  const r = revealedHere(s);
  return r ? `${s.checkpoints.indexOf(r.cp)}:${r.picked ?? ''}` : '';
};

function CheckpointPanelComponent() {
  const asking = useSim(selAsking);
  const revealedKey = useSim(selRevealed);
  const checkpoints = useSim((s) => s.checkpoints);
  const presenting = useSim((s) => s.presenting);
  if (asking) {
    return (
      <section
        className="checkpoint asking"
        role="region"
        aria-label="Predict before the next step"
        data-testid="checkpoint"
      >
        <p className="cp-question">
          <span className="cp-label">Predict: </span>
          <GlossaryText text={asking.question} />
        </p>
        <ol className="cp-options">
          {asking.options.map((o, i) => (
            <li key={o}>
              <button type="button" onClick={() => answer(o)} data-testid="cp-option">
                <span className="cp-letter">{LETTERS[i]}</span> {answerLabel(asking, o)}
              </button>
            </li>
          ))}
        </ol>
        <p className="cp-actions">
          <button type="button" className="cp-reveal" onClick={reveal}>
            {presenting ? 'Reveal (the room voted)' : 'Just show me'}
          </button>
          {!presenting && (
            <button type="button" className="cp-off" onClick={() => setQuiz(false)}>
              Turn questions off
            </button>
          )}
        </p>
      </section>
    );
  }
  if (!revealedKey) return null;
  const [idx, picked] = [Number(revealedKey.split(':')[0]), revealedKey.slice(revealedKey.indexOf(':') + 1)];
  const cp = checkpoints[idx];
  if (!cp || cp.answer === null) return null;
  const right = picked === cp.answer;
  return (
    <section
      className={`checkpoint revealed${picked ? (right ? ' right' : ' wrong') : ''}`}
      role="status"
      data-testid="checkpoint-answer"
    >
      <p className="cp-question">
        <span className="cp-label">{cp.question} </span>
        The run says <b data-testid="cp-answer">{answerLabel(cp, cp.answer)}</b>
        {picked ? (right ? ' — as you predicted.' : ` — you said ${answerLabel(cp, picked)}.`) : '.'}
        {cp.explain && (
          <>
            {' '}
            <GlossaryText text={cp.explain} />
          </>
        )}
      </p>
    </section>
  );
}

export const CheckpointPanel = memo(CheckpointPanelComponent);
CheckpointPanel.displayName = 'CheckpointPanel';
