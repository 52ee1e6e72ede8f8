/**
 * The embed's view: a title, the caption, the chosen panels, and a small transport for the step
 * range. Minimal chrome for iframes; "Open in Ringside" leads to the full app at the same screen.
 */
import { memo } from 'react';
import { Caption } from '../components/Caption';
import { CodePanel } from '../components/CodeView';
import { Inspector } from '../components/Inspector';
import { Lanes } from '../components/Lanes';
import { RingsPanel } from '../components/RingsPanel';
import { SanitizerAlarm } from '../components/SanitizerAlarm';
import { StateDiagram } from '../components/StateDiagram';
import { GlossaryLayer } from '../learn/GlossaryText';
import {
  fragmentFor,
  recover,
  selCursor,
  selMessage,
  selPanic,
  selPlaying,
  selStatus,
  simStore,
  useSim,
} from '../store';
import type { EmbedPlayer } from './embed';

function Transport({ player }: { player: EmbedPlayer }) {
  const cursor = useSim(selCursor);
  const playing = useSim(selPlaying);
  useSim((s) => s.frames.length);
  const { from, to } = player.range();
  return (
    <div className="embed-transport" role="group" aria-label="Playback">
      <button type="button" onClick={() => player.back()} disabled={cursor <= from} aria-label="Previous">
        ‹
      </button>
      <button type="button" className="play" onClick={() => player.toggle()} aria-label={playing ? 'Pause' : 'Play'}>
        {playing ? '❚❚' : '▶'}
      </button>
      <button type="button" onClick={() => player.step(true)} disabled={cursor >= to} aria-label="Next">
        ›
      </button>
      <input
        type="range"
        min={from}
        max={to}
        value={cursor}
        onChange={(e) => player.seek(Number(e.target.value))}
        aria-label="Step"
        aria-valuetext={`step ${cursor}`}
      />
      <span className="embed-pos" data-testid="embed-step">
        step {cursor}{' '}
        <span className="muted">
          of {from}–{to}
        </span>
      </span>
    </div>
  );
}

function EmbedAppComponent({ player, title }: { player: EmbedPlayer; title: string | null }) {
  const status = useSim(selStatus);
  const message = useSim(selMessage);
  const panic = useSim(selPanic);
  const problem = useSim((s) => s.problem);
  const base = useSim((s) => s.base);
  const panels = useSim((s) => s.panels);
  const inspector = useSim((s) => s.inspector);
  const open = () => {
    const u = new URL('./', location.href);
    window.open(`${u.href}${fragmentFor(simStore.getState())}`, '_blank', 'noopener');
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement) return;
    const k = e.key;
    if (k === 'ArrowRight' || k === 'PageDown' || k === '.') player.step(true);
    else if (k === 'ArrowLeft' || k === 'PageUp') player.back();
    else if (k === ' ' || k === 'p') player.toggle();
    else if (k === 'Home') player.seek(0);
    else if (k === 'End') player.seek(Number.MAX_SAFE_INTEGER);
    else return;
    e.preventDefault();
  };
  const cells = (['rings', 'lanes', 'state', 'inspector'] as const).filter((p) => panels[p]).length;
  return (
    <div className="embed" tabIndex={0} onKeyDown={onKey} aria-label="Ringside embed (arrow keys step, space plays)">
      <header className="embed-head">
        <h1 data-testid="embed-title">{title ?? base?.title ?? 'Ringside'}</h1>
        <button type="button" className="embed-open" onClick={open} title="Open this screen in Ringside">
          Open in Ringside ↗
        </button>
      </header>
      {status === 'loading' && <p role="status">Loading the simulator…</p>}
      {status === 'error' && <p role="alert">Could not start the simulator: {message}</p>}
      {panic && (
        <div role="alert" className="panic" data-testid="panic">
          <p>The simulator core stopped: {panic}</p>
          <button type="button" onClick={() => void recover()}>
            Return to the last good state
          </button>
        </div>
      )}
      {problem && (
        <div role="alert" className="problem" data-testid="problem">
          <h2>{problem.title}</h2>
          <ul>
            {problem.lines.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </div>
      )}
      {status === 'ready' && base && (
        <main className="stage embed-stage">
          <Caption />
          <div className={`stage-grid cells-${cells}`}>
            {panels.rings && <RingsPanel />}
            {panels.lanes && <Lanes />}
            {panels.state && <StateDiagram />}
            {panels.inspector && (inspector === 'code' ? <CodePanel /> : <Inspector />)}
            <SanitizerAlarm />
          </div>
          <Transport player={player} />
        </main>
      )}
      <GlossaryLayer />
    </div>
  );
}

export const EmbedApp = memo(EmbedAppComponent);
EmbedApp.displayName = 'EmbedApp';
