/**
 * The embed entry (embed.html): one scenario for an iframe. See app/embed.ts for the options
 * and README "Embedding" for the message API.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/App.css';
import { EmbedApp } from './app/EmbedApp';
import { EmbedPlayer, connectHost, parseEmbedOptions, rangeProblems } from './app/embed';
import { readLocation, readLocationAsync } from './app/url';
import {
  loadFailed,
  loadScenario,
  openShareState,
  setQuiz,
  setTheme,
  showProblem,
  simStore,
  startSession,
} from './store';
import { viewOf } from './store';
import { compileCore, instantiateCore } from 'ringside-core';

const opts = parseEmbedOptions(location.search);
// The theme and the panels are known at once (a compressed scenario is read after the core loads).
const early = readLocation('', location.hash.replace(/&[zk]=[^&]*/g, ''));
const player = new EmbedPlayer(opts);
const theme = opts.theme ?? (early.kind === 'permalink' ? early.state.theme : 'light');
setTheme(theme);
document.documentElement.dataset.theme = theme;
document.documentElement.classList.add('embedded');
// An embed shows the rings, the lanes and the state diagram unless told otherwise.
simStore.setState({ panels: viewOf(opts.panels ?? ['rings', 'lanes', 'state']).panels });

compileCore(new URL('core.wasm', document.baseURI).href)
  .then(async (module) => {
    const core = await instantiateCore(module);
    startSession(core, { spawn: () => instantiateCore(module) });
    const link = await readLocationAsync('', location.hash);
    let start = opts.from;
    if (link.kind === 'permalink') {
      const problems = openShareState(link.state);
      if (problems.length) showProblem({ title: 'This embed could not open its link exactly', lines: problems });
      if (opts.panels) simStore.setState({ panels: viewOf(opts.panels).panels });
      if (!new URLSearchParams(location.search).has('from')) start = link.state.step;
    } else if (link.kind === 'error') {
      showProblem({ title: 'This embed could not open its link', lines: [link.error] });
    } else if (opts.scenario) {
      if (!loadScenario(opts.scenario))
        showProblem({
          title: 'This embed could not open its scenario',
          lines: [`There is no scenario "${opts.scenario}" in this version of Ringside.`],
        });
    } else {
      showProblem({
        title: 'This embed names no scenario',
        lines: ['Add ?s=<scenario id> (or a permalink fragment) to the embed address.'],
      });
    }
    if (opts.theme) setTheme(opts.theme);
    document.documentElement.dataset.theme = simStore.getState().theme;
    if (opts.origin.kind === 'invalid')
      showProblem({
        title: 'The message API is off',
        lines: [`origin= must be a bare origin such as https://docs.example, found "${opts.origin.value}".`],
      });
    player.seek(start);
    setQuiz(opts.quiz);
    // Malformed parameters were ignored: say which, beside any problem with the link.
    const bad = [...opts.problems, ...rangeProblems(opts, Math.max(0, simStore.getState().frames.length - 1))];
    if (bad.length) {
      const prev = simStore.getState().problem;
      showProblem({
        title: prev?.title ?? 'Some embed parameters were not understood',
        lines: [...(prev?.lines ?? []), ...bad],
      });
    }
    connectHost(player);
    if (opts.autoplay) player.play();
  })
  .catch((err: unknown) => loadFailed(err instanceof Error ? err.message : String(err)));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <EmbedApp player={player} title={opts.title} />
    </StrictMode>,
  );
}
