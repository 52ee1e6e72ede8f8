/** The trace records of the step on screen: context, tracepoint name, and what it means. */
import { memo } from 'react';
import { describeEvent, isSanitizer } from '../../captions/events';
import { sourcePath } from '../../captions/sources';
import { type TraceEvent, hoverRequest, selEvents, useSim } from '../../store';

function EventLogComponent() {
  const events = useSim(selEvents) as TraceEvent[];
  if (events.length === 0)
    return (
      <p className="event-log empty muted">No kernel trace records in this step: the application runs in user mode.</p>
    );
  return (
    <ol className="event-log" aria-label="Trace records of this step">
      {events.map((e, i) => {
        const path = sourcePath(e.srcFile);
        return (
          <li
            key={i}
            data-event={e.event}
            className={isSanitizer(e) ? 'sanitizer' : undefined}
            onMouseEnter={() => e.req && hoverRequest(e.req)}
            onMouseLeave={() => hoverRequest(null)}
          >
            <span className={`ctx ctx-${e.ctx}`}>{e.ctx}</span> <code className="ev-name">{e.event}</code>
            <span className="ev-text">{describeEvent(e)}</span>
            {e.srcFile !== 0 && (
              <span className="ev-src">{path ? `${path}:${e.srcLine}` : `src ${e.srcFile}:${e.srcLine}`}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export const EventLog = memo(EventLogComponent);
EventLog.displayName = 'EventLog';
