import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/App.css';
import { readUrl, syncUrl } from './app/url';
import { loadFailed, setTheme, startSession } from './store';
import { loadCoreFromUrl } from './wasm/load';

// Relative to the page, so the site works under any base path and from file servers.
const wasmUrl = new URL('core.wasm', document.baseURI).href;
const wanted = readUrl(location.search);

function initialTheme() {
  if (wanted.theme) return wanted.theme;
  try {
    const saved = localStorage.getItem('ringside-theme');
    if (saved === 'light' || saved === 'dark' || saved === 'projector') return saved;
  } catch {
    // No storage: fall through to the system preference.
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
setTheme(initialTheme());

loadCoreFromUrl(wasmUrl)
  .then((core) => {
    startSession(core, { scenario: wanted.scenario, step: wanted.step });
    syncUrl();
  })
  .catch((err: unknown) => loadFailed(err instanceof Error ? err.message : String(err)));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
