/** The session controls: application actions on the left, kernel stepping and time on the right. */
import { memo } from 'react';
import { back, enter, forward, reap, stepKernel, submitNop, useSim } from '../../store';

function ControlsComponent() {
  const ready = useSim((s) => s.status === 'ready' && s.panic === null);
  const cursor = useSim((s) => s.cursor);
  const last = useSim((s) => s.frames.length - 1);
  const inKernel = useSim((s) => (s.frames[s.cursor]?.taskState ?? 0) !== 0);
  return (
    <div className="controls" role="toolbar" aria-label="Simulation controls">
      <fieldset>
        <legend>Application</legend>
        <button type="button" onClick={submitNop} disabled={!ready || inKernel}>Submit NOP</button>
        <button type="button" onClick={enter} disabled={!ready || inKernel}>io_uring_enter</button>
        <button type="button" onClick={reap} disabled={!ready || inKernel}>Reap CQEs</button>
      </fieldset>
      <fieldset>
        <legend>Kernel and time</legend>
        <button type="button" onClick={stepKernel} disabled={!ready}>Step</button>
        <button type="button" onClick={back} disabled={!ready || cursor === 0}>Back</button>
        <button type="button" onClick={forward} disabled={!ready || cursor >= last}>Forward</button>
        <span className="cursor" data-testid="cursor">step {cursor} / {last}</span>
      </fieldset>
    </div>
  );
}

export const Controls = memo(ControlsComponent);
Controls.displayName = 'Controls';
