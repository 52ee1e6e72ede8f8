/** The application shell: header, pages, and the visualizer's stage. */
import { memo, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Caption } from '../components/Caption';
import { Controls } from '../components/Controls';
import { Inspector } from '../components/Inspector';
import { KeyboardHelp } from '../components/KeyboardHelp';
import { Lanes } from '../components/Lanes';
import { ModelPage } from '../components/ModelPage';
import { RingsPanel } from '../components/RingsPanel';
import { SanitizerAlarm } from '../components/SanitizerAlarm';
import { ScenarioLibrary } from '../components/ScenarioLibrary';
import { StateDiagram } from '../components/StateDiagram';
import { Timeline } from '../components/Timeline';
import {
  LIBRARY,
  THEMES,
  type Theme,
  dismissMessage,
  freePlay,
  loadScenario,
  selMessage,
  selMode,
  selPage,
  selPanic,
  selSanitizers,
  selScenario,
  selStatus,
  selTheme,
  setHelp,
  setPage,
  setTheme,
  useSim,
} from '../store';
import { installKeyboard } from './keyboard';

const THEME_LABELS: Record<Theme, string> = { light: 'Light', dark: 'Dark', projector: 'Projector' };

function ScenarioPicker() {
  const mode = useSim(selMode);
  const scenario = useSim(selScenario);
  const value = mode === 'guided' && scenario ? scenario.id : '__free';
  return (
    <label className="picker">
      <span className="visually-hidden">Scenario</span>
      <select
        value={value}
        onChange={(e) => {
          if (e.target.value === '__free') freePlay();
          else loadScenario(e.target.value);
          e.target.blur();
        }}
      >
        <option value="__free">Free play</option>
        {LIBRARY.map((e) => (
          <option key={e.file} value={e.id} disabled={!e.scenario}>
            {e.title}
          </option>
        ))}
      </select>
    </label>
  );
}

function Header() {
  const theme = useSim(selTheme);
  const page = useSim(selPage);
  return (
    <header className="app-header">
      <h1>
        Ringside <span className="tagline">io_uring and uring_cmd, step by step</span>
      </h1>
      <nav className="header-nav" aria-label="Pages and options">
        <ScenarioPicker />
        <button type="button" aria-pressed={page === 'library'} onClick={() => setPage(page === 'library' ? 'main' : 'library')} title="Scenario library (L)">
          Library
        </button>
        <button type="button" aria-pressed={page === 'model'} onClick={() => setPage(page === 'model' ? 'main' : 'model')} title="Model and simplifications (M)">
          Model
        </button>
        <div className="segmented" role="group" aria-label="Theme">
          {THEMES.map((t) => (
            <button key={t} type="button" aria-pressed={theme === t} onClick={() => setTheme(t)} title="Theme (Shift+T)">
              {THEME_LABELS[t]}
            </button>
          ))}
        </div>
        <button type="button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          ?
        </button>
      </nav>
    </header>
  );
}

const Stage = memo(function Stage() {
  const mode = useSim(selMode);
  const alarm = useSim(useShallow(selSanitizers)).length > 0;
  return (
    <main className={`stage${alarm ? ' alarmed' : ''}`} data-mode={mode}>
      <Caption />
      <div className="stage-grid">
        <RingsPanel />
        <Lanes />
        <StateDiagram />
        <Inspector />
        <SanitizerAlarm />
      </div>
      {mode === 'free' && <Controls />}
      <Timeline />
    </main>
  );
});

export function App() {
  const status = useSim(selStatus);
  const message = useSim(selMessage);
  const panic = useSim(selPanic);
  const page = useSim(selPage);
  const theme = useSim(selTheme);
  useEffect(() => installKeyboard(), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem('ringside-theme', theme);
    } catch {
      // Storage may be unavailable (private windows, file://); the theme still applies.
    }
  }, [theme]);
  return (
    <div className="app">
      <Header />
      {status === 'loading' && <p role="status" className="loading">Loading the simulator…</p>}
      {status === 'error' && (
        <p role="alert" className="error">
          Could not start the simulator: {message}
        </p>
      )}
      {panic && (
        <div role="alert" className="panic">
          <h2>The simulator core stopped</h2>
          <pre>{panic}</pre>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      )}
      {status === 'ready' && message && !panic && (
        <div role="alert" className="notice">
          <span>{message}</span>
          <button type="button" onClick={dismissMessage} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}
      {status === 'ready' && page === 'main' && <Stage />}
      {status === 'ready' && page === 'library' && <ScenarioLibrary />}
      {status === 'ready' && page === 'model' && <ModelPage />}
      <KeyboardHelp />
    </div>
  );
}
