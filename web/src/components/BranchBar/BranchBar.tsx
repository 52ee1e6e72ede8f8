/**
 * Branching time travel, said plainly: after the viewer went back and changed something, the
 * timeline on screen is a new branch and the old future is kept; the bar offers to return to it
 * or to drop it. A sandbox forked from a guided scenario says what it came from.
 */
import { memo } from 'react';
import { dropBranch, restoreBranch, useSim } from '../../store';

function BranchBarComponent() {
  const branch = useSim((s) => s.branch);
  const mode = useSim((s) => s.mode);
  const base = useSim((s) => s.base);
  const forked = mode === 'free' && base !== null && base.id !== 'sandbox';
  if (!branch && !forked) return null;
  return (
    <div className="branch-bar" role="status" data-testid="branch-bar" data-branch={branch ? 'kept' : 'none'}>
      {forked && (
        <span className="branch-from">
          Sandbox from <b>{base.title}</b>: every action runs at the cursor.
        </span>
      )}
      {branch && (
        <>
          <span className="branch-text">
            New branch from step {branch.at}. The old future ({branch.frames} {branch.frames === 1 ? 'frame' : 'frames'}{' '}
            after step {branch.at}) is kept.
          </span>
          <button type="button" onClick={restoreBranch} title="Drop this branch and bring the old future back">
            Return to the old future
          </button>
          <button type="button" onClick={dropBranch} title="Forget the old future and keep this branch">
            Drop the old future
          </button>
        </>
      )}
    </div>
  );
}

export const BranchBar = memo(BranchBarComponent);
BranchBar.displayName = 'BranchBar';
