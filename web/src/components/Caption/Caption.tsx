/**
 * The caption: one plain sentence for the step on screen (or the scenario's note), the chapter
 * it belongs to, and the chapter list (number keys jump to chapters). The sentence is also
 * announced through a polite live region, so a screen reader follows the walk.
 */
import { memo } from 'react';
import { GlossaryText } from '../../learn/GlossaryText';
import { StepWhy } from '../../learn/StepWhy';
import { CheckpointPanel } from '../../learn/CheckpointPanel';
import { SimClock } from '../../learn/SimClock';
import { openSpeakerView } from '../../app/presenterLink';
import {
  jumpToChapter,
  selCaption,
  selChapterIndex,
  selChapters,
  selCursor,
  selLast,
  selMode,
  selScenario,
  useSim,
} from '../../store';

function CaptionComponent() {
  const caption = useSim(selCaption);
  const chapters = useSim(selChapters);
  const at = useSim(selChapterIndex);
  const cursor = useSim(selCursor);
  const last = useSim(selLast);
  const mode = useSim(selMode);
  const scenario = useSim(selScenario);
  const base = useSim((s) => s.base);
  const beat = useSim((s) => s.frames[s.cursor]?.beat);
  const presenting = useSim((s) => s.presenting);
  const chapter = chapters[at];
  const notes = chapter && chapter.frame === cursor ? chapter.notes : undefined;
  return (
    <section className="caption-bar" aria-label="What happens in this step">
      <div className="caption-meta">
        <span className="where">
          <span className="where-scenario">
            {mode === 'guided' && scenario
              ? scenario.title
              : base && base.id !== 'sandbox'
                ? `Sandbox: ${base.title}`
                : 'Free play'}
          </span>
          {chapter ? (
            <>
              <span className="where-sep"> · </span>
              <span className="where-chapter">{`${at + 1}. ${chapter.title}`}</span>
            </>
          ) : (
            ''
          )}
        </span>
        <span className="stepno" data-testid="step-of">
          step {cursor} of {last}
        </span>
        <SimClock />
        {beat && (
          <span
            className="beat"
            data-testid="beat"
            title="Several chapters start inside this one kernel step: it is shown in parts, in the order its records happened. The state changes on the last part."
          >
            part {beat.n} of {beat.of} of one kernel step
          </span>
        )}
        {presenting && (
          <button
            type="button"
            className="speaker-open"
            onClick={openSpeakerView}
            title="Open the speaker view (notes, next step, timer) in a second window"
          >
            Speaker view
          </button>
        )}
        {chapters.length > 0 && (
          <nav className="chapters" aria-label="Chapters">
            <ol>
              {chapters.map((c, i) => (
                <li key={i}>
                  <button
                    type="button"
                    className={i === at ? 'current' : undefined}
                    aria-current={i === at ? 'true' : undefined}
                    aria-label={`Chapter ${i + 1}: ${c.title}`}
                    disabled={c.frame < 0}
                    onClick={() => jumpToChapter(i)}
                    title={`${i + 1}. ${c.title}${c.notes ? ` — ${c.notes}` : ''} (key ${i + 1 < 10 ? i + 1 : 0})${c.frame < 0 ? ' — does not happen in this run' : ''}`}
                  >
                    {i + 1}
                  </button>
                </li>
              ))}
            </ol>
          </nav>
        )}
      </div>
      <p className="caption" data-testid="caption" aria-live="polite" aria-atomic="true">
        <GlossaryText text={caption} />
      </p>
      {notes && (
        <p className="chapter-notes" title={notes}>
          <GlossaryText text={notes} />
        </p>
      )}
      {mode === 'guided' && <StepWhy />}
      {mode === 'guided' && <CheckpointPanel />}
    </section>
  );
}

export const Caption = memo(CaptionComponent);
Caption.displayName = 'Caption';
