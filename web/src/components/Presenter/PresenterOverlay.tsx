/**
 * Presenter mode's overlays: a chapter's title card (shown before the chapter's first frame is
 * revealed), the blank screen, and a thin progress line. The keys are in app/keyboard.ts.
 */
import { memo } from 'react';
import { useSim } from '../../store';

function PresenterOverlayComponent() {
  const blank = useSim((s) => s.blank);
  const card = useSim((s) => s.card);
  const chapters = useSim((s) => s.chapters);
  const title = useSim((s) => s.base?.title ?? '');
  const cursor = useSim((s) => s.cursor);
  const last = useSim((s) => Math.max(1, s.frames.length - 1));
  const ch = card !== null ? chapters[card] : undefined;
  return (
    <>
      <div className="present-progress" aria-hidden="true" style={{ transform: `scaleX(${cursor / last})` }} />
      {ch && !blank && (
        <div className="title-card" role="status" data-testid="title-card">
          <p className="tc-scenario">{title}</p>
          <p className="tc-number">Chapter {(card as number) + 1}</p>
          <h2 className="tc-title">{ch.title}</h2>
        </div>
      )}
      {blank && (
        <div
          className="blank-screen"
          data-testid="blank-screen"
          aria-label="Screen blanked (press B or period)"
          role="status"
        />
      )}
    </>
  );
}

export const PresenterOverlay = memo(PresenterOverlayComponent);
PresenterOverlay.displayName = 'PresenterOverlay';
