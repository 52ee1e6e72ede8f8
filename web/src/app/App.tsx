/** The application shell: header, pages, and the visualizer's stage. */
import { type RefObject, memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BytesView } from '../components/BytesView';
import { Caption } from '../components/Caption';
import { CodePanel } from '../components/CodeView';
import { EventLog } from '../components/EventLog';
import { Controls } from '../components/Controls';
import { Inspector } from '../components/Inspector';
import { KeyboardHelp } from '../components/KeyboardHelp';
import { Lanes } from '../components/Lanes';
import { ModelPage } from '../components/ModelPage';
import { RingsPanel } from '../components/RingsPanel';
import { BranchBar } from '../components/BranchBar';
import { PresenterOverlay } from '../components/Presenter';
import { Review } from '../components/Review';
import { Sandbox } from '../components/Sandbox';
import { SanitizerAlarm } from '../components/SanitizerAlarm';
import { ScenarioLibrary } from '../components/ScenarioLibrary';
import { ShareDialog } from '../components/ShareDialog';
import { StateDiagram } from '../components/StateDiagram';
import { Timeline } from '../components/Timeline';
import { GlossaryLayer } from '../learn/GlossaryText';
import { StartPath } from '../learn/StartPath';
import { RecordingPage } from '../components/Recording/Recording';
import { TruthBadge, TruthPage } from '../components/Recording/Truth';
import '../components/Recording/Recording.css';
import { openRecordingFile, openTruth, useRecording } from '../recording/store';
import {
  LIBRARY,
  STAGE_PANELS,
  type FocusPanel,
  type StagePanel,
  THEMES,
  type Theme,
  dismissMessage,
  editHere,
  freePlay,
  loadScenario,
  recover,
  selMessage,
  selMode,
  selPage,
  selFocusPanels,
  selFocused,
  selPanic,
  selSanitizers,
  selScenario,
  selStatus,
  selTheme,
  setHelp,
  setPage,
  setPanel,
  setPresenting,
  setSandbox,
  setShare,
  setTheme,
  showProblem,
  simStore,
  useSim,
} from '../store';
import { usePresenterSync } from './presenterLink';
import { kernelProfile } from '../scenario/format';
import { useMedia } from '../components/common/useMedia';
import { installKeyboard } from './keyboard';
import { kernelVersion } from './kernelVersion';

const THEME_LABELS: Record<Theme, string> = { light: 'Light', dark: 'Dark', projector: 'Projector' };
const PANEL_LABELS: Record<StagePanel, string> = {
  rings: 'Rings',
  lanes: 'Lanes',
  state: 'State diagram',
  inspector: 'Bytes and trace',
  timeline: 'Timeline',
};

/** Which stage panels are shown (a permalink records them). */
function ViewMenu() {
  const panels = useSim((s) => s.panels);
  return (
    <details className="view-menu">
      <summary title="Panels on screen">View</summary>
      <div className="menu" role="group" aria-label="Panels">
        {STAGE_PANELS.map((p) => (
          <label key={p}>
            <input type="checkbox" checked={panels[p]} onChange={(e) => setPanel(p, e.target.checked)} />
            {PANEL_LABELS[p]}
          </label>
        ))}
      </div>
    </details>
  );
}

/** Enters presenter mode, full screen when the browser allows it. */
function present() {
  setPresenting(true);
  document.documentElement.requestFullscreen?.().catch(() => {
    // Full screen refused (an iframe, a test browser): presenter mode works in the window.
  });
}

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

const KERNEL = kernelVersion();

/**
 * Which kernel the run follows: the scenario's `config.kernel` profile, where the default is the
 * kernel of the conformance recordings (its series computed at build time, never typed) and
 * "6.19 (v5 base)" is the newer uring_cmd interface the Rust v5 series needs.
 */
function KernelBadge() {
  const scenario = useSim(selScenario);
  const k = kernelProfile(scenario ?? {});
  const recorded = KERNEL
    ? `${KERNEL.recordings} of the ${KERNEL.total} conformance recordings were made on Linux ${KERNEL.release} and are replayed against the model.`
    : '';
  const title =
    k === '6.19'
      ? `uring_cmd as in Linux 6.19, the base of the Rust v5 series: task_work callbacks get io_tw_token_t (tw.cancel), no IO_URING_F_TASK_DEAD, the PDU at offset 24 (8-byte aligned). The ring protocol is pinned by the recordings: ${recorded}`
      : `uring_cmd as in Linux ${KERNEL?.series ?? ''}.x, the kernel the recordings were made on: io_uring_cmd_tw_t callbacks with IO_URING_F_TASK_DEAD, io_uring_cmd_done without res2 and io_uring_cmd_done32 with it, the PDU at offset 32. ${recorded}`;
  if (k !== '6.19' && !KERNEL) return null;
  return (
    <span className="badge kernel-badge" data-testid="kernel-badge" title={title}>
      {k === '6.19' ? 'Linux 6.19 (v5 base)' : `Linux ${KERNEL?.series ?? ''}`}
    </span>
  );
}

/** File -> Open recording: a kernel recording from `ringside record` or a conformance trace. */
function FileMenu() {
  return (
    <details className="view-menu file-menu">
      <summary title="Open a kernel recording">File</summary>
      <div className="menu" role="group" aria-label="File">
        <label
          className="open-recording"
          title="A kernel recording (ringside record), or a conformance trace with tracepoints; or drop it on the page"
        >
          <input
            type="file"
            accept=".json,application/json"
            className="visually-hidden"
            aria-label="Open recording"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              (e.target.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
              if (f) void openRecordingFile(f);
            }}
          />
          <span aria-hidden="true">Open recording…</span>
        </label>
        <button
          type="button"
          className="menu-item"
          onClick={(e) => {
            (e.currentTarget.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
            openTruth();
          }}
        >
          Kernel vs simulator
        </button>
        <TruthBadge />
      </div>
    </details>
  );
}

/**
 * The window width at which the header's inline row overflowed, or 0 while it fits: measured with
 * the row shown, kept until the window is wider than that, and measured again when `deps` change.
 */
function useRowWidth(header: RefObject<HTMLElement | null>, deps: unknown[]): number {
  const key = deps.map(String).join('|');
  const [seen, setSeen] = useState({ key, needs: 0 });
  const needs = seen.key === key ? seen.needs : 0;
  useLayoutEffect(() => {
    const el = header.current;
    if (!el) return;
    const check = () => {
      if (needs > 0) {
        if (window.innerWidth >= needs) setSeen({ key, needs: 0 });
        return;
      }
      const over = el.scrollWidth - el.clientWidth;
      if (over > 1) setSeen({ key, needs: window.innerWidth + over + 24 });
    };
    check();
    window.addEventListener('resize', check);
    return () => window.removeEventListener('resize', check);
  }, [header, key, needs]);
  return needs;
}

function Header() {
  const theme = useSim(selTheme);
  const page = useSim(selPage);
  const mode = useSim(selMode);
  const sandbox = useSim((s) => s.sandbox);
  const menu = useRef<HTMLDetailsElement>(null);
  // Too narrow for the row of buttons (the projector's type is larger): one menu instead. The
  // media query is the first guess; the header then measures itself, because what the row needs
  // depends on the badge, the scenario title and the theme.
  const guess = useMedia(theme === 'projector' ? '(max-width: 1560px)' : '(max-width: 1240px)');
  const header = useRef<HTMLElement>(null);
  const needs = useRowWidth(header, [theme, guess, mode, sandbox]);
  const narrow = guess || needs > 0;
  const items = (
    <>
      <button
        type="button"
        aria-pressed={page === 'library'}
        onClick={() => setPage(page === 'library' ? 'main' : 'library')}
        title="Scenario library (L)"
      >
        Library
      </button>
      <button
        type="button"
        aria-pressed={page === 'model'}
        onClick={() => setPage(page === 'model' ? 'main' : 'model')}
        title="Model and simplifications (M)"
      >
        Model
      </button>
      <button
        type="button"
        aria-pressed={page === 'main' && mode === 'free' && sandbox}
        onClick={() => {
          if (mode === 'guided') editHere();
          else setSandbox(!sandbox || page !== 'main');
          setPage('main');
        }}
        title={
          mode === 'guided'
            ? 'Edit from here: continue this scenario in the sandbox'
            : 'Compose SQEs, poke devices, change the machine'
        }
      >
        Sandbox
      </button>
      <button
        type="button"
        aria-pressed={page === 'review'}
        onClick={() => setPage(page === 'review' ? 'main' : 'review')}
        title="The same program under the RFC v3 and v5 APIs, side by side"
      >
        Review
      </button>
      <button type="button" onClick={() => setShare(true)} title="Permalink, embed snippet, exports, scenario files">
        Share
      </button>
      <FileMenu />
      <ViewMenu />
      <div className="segmented" role="group" aria-label="Theme">
        {THEMES.map((t) => (
          <button key={t} type="button" aria-pressed={theme === t} onClick={() => setTheme(t)} title="Theme (Shift+T)">
            {THEME_LABELS[t]}
          </button>
        ))}
      </div>
    </>
  );
  return (
    <header className="app-header" ref={header}>
      <h1>
        Ringside <span className="tagline">io_uring and uring_cmd, step by step</span>
      </h1>
      <KernelBadge />
      <nav className="header-nav" aria-label="Pages and options">
        <ScenarioPicker />
        <button type="button" onClick={present} title="Presenter mode: full screen, clicker keys, a speaker view">
          Present
        </button>
        {narrow ? (
          <details className="nav-menu" ref={menu}>
            <summary title="Pages, sharing, panels and themes">Menu</summary>
            <div
              className="menu"
              onClick={(e) => {
                // A choice closes the menu (the View checkboxes keep it open).
                if ((e.target as Element).closest('button') && menu.current) menu.current.open = false;
              }}
            >
              {items}
            </div>
          </details>
        ) : (
          <div className="nav-inline">{items}</div>
        )}
        <button
          type="button"
          onClick={() => setHelp(true)}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </nav>
    </header>
  );
}

/** A panel of the focused stage by name. */
function FocusCell({ p }: { p: FocusPanel }) {
  switch (p) {
    case 'rings':
      return <RingsPanel />;
    case 'lanes':
      return <Lanes />;
    case 'state':
      return <StateDiagram />;
    case 'code':
      return <CodePanel />;
    case 'bytes':
      return (
        <section className="panel focus-panel" aria-label="Bytes" data-focus="bytes">
          <BytesView />
        </section>
      );
    case 'trace':
      return (
        <section className="panel focus-panel" aria-label="Trace records" data-focus="trace">
          <EventLog />
        </section>
      );
  }
}

/**
 * The stage. Normally three columns: rings over the state diagram, lanes over the inspector,
 * and the code beside them (always on screen). Focused (projector theme, presenter mode): the
 * chapter's panels or the viewer's choice, at most two, large. The sanitizer alarm docks in a
 * column beside the code and never covers it.
 */
const Stage = memo(function Stage() {
  const mode = useSim(selMode);
  const alarm = useSim(useShallow(selSanitizers)).length > 0;
  const panels = useSim((s) => s.panels);
  const presenting = useSim((s) => s.presenting);
  const focused = useSim(selFocused);
  const focus = useSim(useShallow(selFocusPanels));
  let grid: React.ReactNode;
  if (focused) {
    const rest = focus.filter((p) => p !== 'code');
    const code = focus.includes('code');
    grid = (
      <div className={`stage-grid focused focus-${focus.length}`} data-focus={focus.join(',')}>
        {rest.map((p) => (
          <div key={p} className="stage-col">
            <FocusCell p={p} />
          </div>
        ))}
        {alarm && (
          <div className="stage-col dock">
            <SanitizerAlarm />
          </div>
        )}
        {code && (
          <div className="stage-col code-col">
            <CodePanel />
          </div>
        )}
      </div>
    );
  } else {
    const colA = panels.rings || panels.state;
    const colB = panels.lanes || panels.inspector;
    grid = (
      <div className="stage-grid columns">
        {colA && (
          <div className="stage-col">
            {panels.rings && <RingsPanel />}
            {panels.state && <StateDiagram />}
          </div>
        )}
        <div className={`stage-col${colB ? '' : ' dock-only'}`}>
          {panels.lanes && <Lanes />}
          {panels.inspector && <Inspector />}
          <SanitizerAlarm />
        </div>
        <div className="stage-col code-col">
          <CodePanel />
        </div>
      </div>
    );
  }
  return (
    <main className={`stage${alarm ? ' alarmed' : ''}`} data-mode={mode}>
      {!presenting && <StartPath />}
      <Caption />
      {!presenting && <BranchBar />}
      {grid}
      {mode === 'free' && !presenting && <Controls />}
      {panels.timeline && !presenting && <Timeline />}
    </main>
  );
});

/** A link or file that could not be opened: what is wrong, and the page stays usable. */
function ProblemPanel() {
  const problem = useSim((s) => s.problem);
  if (!problem) return null;
  return (
    <div role="alert" className="problem" data-testid="problem">
      <h2>{problem.title}</h2>
      <ul>
        {problem.lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
      <button type="button" onClick={() => showProblem(null)}>
        Dismiss
      </button>
    </div>
  );
}

/** The core trapped: its panic text, and a return to the last good frame on a fresh instance. */
function PanicPanel({ panic }: { panic: string }) {
  return (
    <div role="alert" className="panic" data-testid="panic">
      <h2>The simulator core stopped</h2>
      <p>The WebAssembly core trapped. Nothing more is asked of that instance. Its panic message:</p>
      <pre>{panic}</pre>
      <button type="button" className="sb-primary" onClick={() => void recover()}>
        Return to the last good state
      </button>{' '}
      <button type="button" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </div>
  );
}

export function App() {
  const status = useSim(selStatus);
  const message = useSim(selMessage);
  const panic = useSim(selPanic);
  const page = useSim(selPage);
  const theme = useSim(selTheme);
  const mode = useSim(selMode);
  const sandbox = useSim((s) => s.sandbox);
  const presenting = useSim((s) => s.presenting);
  const recording = useRecording((s) => s.recording !== null || s.truth);
  const truthOpen = useRecording((s) => s.truth && s.recording === null);
  useEffect(() => installKeyboard(), []);
  // A recording dropped anywhere on the page opens; a bad one is reported and nothing changes.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const f = e.dataTransfer?.files?.[0];
      if (!f) return;
      e.preventDefault();
      void openRecordingFile(f);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  usePresenterSync();
  // Leaving full screen (the browser's own Esc) leaves presenter mode.
  useEffect(() => {
    const onChange = () => {
      if (!document.fullscreenElement && simStore.getState().presenting) setPresenting(false);
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem('ringside-theme', theme);
    } catch {
      // Storage may be unavailable (private windows, file://); the theme still applies.
    }
  }, [theme]);
  return (
    <div className={`app${presenting ? ' presenting' : ''}`}>
      {!presenting && <Header />}
      {status === 'loading' && (
        <p role="status" className="loading">
          Loading the simulator…
        </p>
      )}
      {status === 'error' && (
        <p role="alert" className="error">
          Could not start the simulator: {message}
        </p>
      )}
      {panic && <PanicPanel panic={panic} />}
      <ProblemPanel />
      {status === 'ready' && message && !panic && (
        <div role="alert" className="notice">
          <span>{message}</span>
          <button type="button" onClick={dismissMessage} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}
      {recording && !presenting && (truthOpen ? <TruthPage /> : <RecordingPage />)}
      {status === 'ready' && page === 'main' && !recording && (
        <div className="stage-wrap">
          <Stage />
          {mode === 'free' && sandbox && !presenting && <Sandbox />}
        </div>
      )}
      {status === 'ready' && page === 'library' && !recording && <ScenarioLibrary />}
      {status === 'ready' && page === 'model' && !recording && <ModelPage />}
      {status === 'ready' && page === 'review' && !recording && <Review />}
      {presenting && <PresenterOverlay />}
      <ShareDialog />
      <KeyboardHelp />
      <GlossaryLayer />
    </div>
  );
}
