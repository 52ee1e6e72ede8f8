/**
 * The scenario library: every scenario of the repository with its title and intro, and free
 * play. An invalid document is listed with its validation errors.
 */
import { memo } from 'react';
import { GlossaryText } from '../../learn/GlossaryText';
import { StartHere } from '../../learn/StartHere';
import { LIBRARY, freePlay, loadScenario, selScenario, selMode, setPage, useSim } from '../../store';
import { kernelProfile } from '../../scenario/format';

function ScenarioLibraryComponent() {
  const current = useSim(selScenario);
  const mode = useSim(selMode);
  return (
    <section className="page library" aria-labelledby="library-title">
      <header className="page-head">
        <h2 id="library-title">Scenarios</h2>
        <p>
          Each scenario is a small program run against the simulated kernel, step by step, with chapters to jump
          between. Number keys jump to chapters;
          <kbd>?</kbd> lists every key.
        </p>
      </header>
      <StartHere />
      <h3 className="library-all">Every scenario</h3>
      <ul className="cards">
        {LIBRARY.map((e) => {
          const isCurrent = mode === 'guided' && current?.id === e.id;
          return (
            <li
              key={e.file}
              className={`card${e.error ? ' invalid' : ''}${isCurrent ? ' current' : ''}`}
              data-scenario={e.id}
            >
              <h3>{e.title}</h3>
              <p className="card-id">
                <code>{e.file}</code>
                {e.scenario && <span className="badge">API {e.scenario.api}</span>}
                {e.scenario && <span className="badge">Linux {kernelProfile(e.scenario)}</span>}
                {e.scenario?.chapters && <span className="badge">{e.scenario.chapters.length} chapters</span>}
              </p>
              <p>
                <GlossaryText text={e.intro} />
              </p>
              {e.error ? (
                <pre className="card-error">{e.error}</pre>
              ) : (
                <button type="button" onClick={() => loadScenario(e.id)} aria-label={`Open ${e.title}`}>
                  {isCurrent ? 'Continue' : 'Open'}
                </button>
              )}
            </li>
          );
        })}
        <li className={`card free${mode === 'free' ? ' current' : ''}`}>
          <h3>Free play</h3>
          <p>
            An empty 8-entry ring and the sandbox: compose SQEs, choose the ring flags, the devices and the API
            generation, poke the devices, and run the kernel one unit of work at a time; go back and branch anywhere.
            Share opens a scenario file of your own.
          </p>
          <button
            type="button"
            onClick={() => (mode === 'free' ? setPage('main') : freePlay())}
            aria-label="Open free play"
          >
            {mode === 'free' ? 'Continue' : 'Open'}
          </button>
        </li>
      </ul>
    </section>
  );
}

export const ScenarioLibrary = memo(ScenarioLibraryComponent);
ScenarioLibrary.displayName = 'ScenarioLibrary';
