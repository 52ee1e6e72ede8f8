/**
 * A sanitizer report, impossible to miss: what the simulator caught, why it would be a bug in
 * the kernel, what the series changed in answer, and the review comment that raised it.
 */
import { memo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { describeEvent } from '../../captions/events';
import { sanitizerInfo } from '../../captions/review';
import { selCursor, selSanitizers, useSim } from '../../store';

function SanitizerAlarmComponent() {
  const reports = useSim(useShallow(selSanitizers));
  const cursor = useSim(selCursor);
  // Hidden for this visit of the step only: coming back to it raises the alarm again.
  const [hidden, setHidden] = useState(false);
  const [seen, setSeen] = useState(cursor);
  if (seen !== cursor) {
    setSeen(cursor);
    setHidden(false);
  }
  if (reports.length === 0 || hidden) return null;
  return (
    <aside className="alarm" role="alert" aria-label="Sanitizer report" data-testid="sanitizer-alarm">
      {reports.map((e, i) => {
        const info = sanitizerInfo(e.event);
        return (
          <div key={i} className="alarm-report" data-event={e.event}>
            <h2>
              <span className="alarm-icon" aria-hidden="true">
                ⚠
              </span>{' '}
              {info?.title ?? e.event}
            </h2>
            <p className="alarm-what">{describeEvent(e).replace(/^./, (c) => c.toUpperCase())}.</p>
            {info && (
              <>
                <p>{info.explanation}</p>
                {info.review.map((q, k) => (
                  <blockquote key={k} className="review">
                    <p>“{q.quote}”</p>
                    <footer>
                      — {q.who}, {q.date}, reviewing <cite>{q.on}</cite>
                    </footer>
                  </blockquote>
                ))}
                <p className="alarm-fix">
                  <b>What changed:</b> {info.resolution}
                </p>
              </>
            )}
          </div>
        );
      })}
      <button type="button" className="alarm-close" onClick={() => setHidden(true)}>
        Hide this report
      </button>
    </aside>
  );
}

export const SanitizerAlarm = memo(SanitizerAlarmComponent);
SanitizerAlarm.displayName = 'SanitizerAlarm';
