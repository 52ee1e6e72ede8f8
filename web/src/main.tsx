import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { SpeakerView } from './components/SpeakerView';
import './app/App.css';
import { openRequest, readLocation, readLocationAsync, syncUrl } from './app/url';
import { FIRST_SCENARIO } from './learn/path';
import { loadFailed, loadScenario, sandboxNopCycles, setSandbox, setTheme, startSession } from './store';
import { compileCore, instantiateCore } from 'ringside-core';

// Relative to the page, so the site works under any base path and from file servers.
const wasmUrl = new URL('core.wasm', document.baseURI).href;
// The theme is known at once (a compressed scenario is read after the core loads).
const wanted = readLocation(location.search, location.hash.replace(/&[zk]=[^&]*/g, ''));
/** `?speaker`: the presenter's speaker view, a second window that needs no core. */
const speaker = new URLSearchParams(location.search).has('speaker');

function initialTheme() {
  if (wanted.kind === 'permalink') return wanted.state.theme;
  if (wanted.kind === 'legacy' && wanted.legacy.theme) return wanted.legacy.theme;
  try {
    const saved = localStorage.getItem('ringside-theme');
    if (saved === 'light' || saved === 'dark' || saved === 'projector') return saved;
  } catch {
    // No storage: fall through to the system preference.
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
setTheme(initialTheme());
// The sandbox drawer opens by itself where the stage keeps room beside it.
if (window.innerWidth >= 1500) setSandbox(true);

// The module is compiled once; more instances (review mode, a restart after a trap) make no request.
if (!speaker) {
  compileCore(wasmUrl)
    .then(async (module) => {
      const core = await instantiateCore(module);
      startSession(core, { spawn: () => instantiateCore(module) });
      const req = await readLocationAsync(location.search, location.hash);
      // The home screen (no link) opens the first stop of the start-here path.
      if (req.kind === 'none') loadScenario(FIRST_SCENARIO);
      else openRequest(req);
      // `?bench`: the hook `npm run bench` drives (a long sandbox session made at once).
      if (new URLSearchParams(location.search).has('bench'))
        Object.assign(window, { ringsideBench: { sandboxNopCycles } });
      syncUrl();
    })
    .catch((err: unknown) => loadFailed(err instanceof Error ? err.message : String(err)));
}

const root = document.getElementById('root');
if (root) {
  if (speaker) {
    document.documentElement.dataset.theme = initialTheme();
    document.title = 'Ringside — speaker view';
  }
  createRoot(root).render(<StrictMode>{speaker ? <SpeakerView /> : <App />}</StrictMode>);
}
