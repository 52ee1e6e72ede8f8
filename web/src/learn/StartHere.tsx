/** The start-here path as the library's first section: numbered stops, each opening its scenario or comparison. */
import { memo } from 'react';
import { GlossaryText } from './GlossaryText';
import { START_PATH } from './path';
import { goToStop, pathTitle } from './StartPath';

function StartHereComponent() {
  return (
    <section className="start-here" aria-labelledby="start-here-title" data-testid="start-here">
      <h3 id="start-here-title">Start here</h3>
      <p className="muted">
        New to io_uring? Take these in order: the ring itself, then the requests every io_uring program starts with,
        then uring_cmd, then the review of the RFC.
      </p>
      <ol>
        {START_PATH.map((p, i) => {
          const head = p.part !== START_PATH[i - 1]?.part;
          return (
            <li key={p.target} data-part={head ? p.part : undefined}>
              {head && <span className="sh-part">{p.part}</span>}
              <button type="button" className="sh-stop" onClick={() => goToStop(p)}>
                <b>{pathTitle(p)}</b>
              </button>{' '}
              <span className="muted">
                <GlossaryText text={p.learn} />
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export const StartHere = memo(StartHereComponent);
StartHere.displayName = 'StartHere';
