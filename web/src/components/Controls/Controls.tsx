/** Free play: application actions on the left, single kernel steps and time on the right. */
import { memo } from 'react';
import {
  back,
  enter,
  forward,
  reap,
  selCursor,
  selInKernel,
  selLast,
  selReady,
  stepKernel,
  submitNop,
  useSim,
} from '../../store';

function ControlsComponent() {
  const ready = useSim(selReady);
  const cursor = useSim(selCursor);
  const last = useSim(selLast);
  const inKernel = useSim(selInKernel);
  return (
    <div className="controls" role="toolbar" aria-label="Free play controls">
      <fieldset>
        <legend>Application</legend>
        <button type="button" onClick={submitNop} disabled={!ready || inKernel}>
          Submit NOP
        </button>
        <button type="button" onClick={enter} disabled={!ready || inKernel}>
          io_uring_enter
        </button>
        <button type="button" onClick={reap} disabled={!ready || inKernel}>
          Reap CQEs
        </button>
      </fieldset>
      <fieldset>
        <legend>Kernel and time</legend>
        <button type="button" onClick={stepKernel} disabled={!ready}>
          Step
        </button>
        <button type="button" onClick={back} disabled={!ready || cursor === 0}>
          Back
        </button>
        <button type="button" onClick={forward} disabled={!ready || cursor >= last}>
          Forward
        </button>
        <span className="cursor" data-testid="cursor">
          step {cursor} / {last}
        </span>
      </fieldset>
      <p className="controls-hint">
        {inKernel
          ? 'The task is inside io_uring_enter: press Step to run the kernel one unit of work at a time.'
          : 'Write NOP SQEs, enter the kernel, then step it. Going back restores an earlier memory snapshot; acting in the past starts a new branch.'}
      </p>
    </div>
  );
}

export const Controls = memo(ControlsComponent);
Controls.displayName = 'Controls';
