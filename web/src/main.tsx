import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/App.css';
import { loadFailed, startSession } from './store';
import { loadCoreFromUrl } from './wasm/load';

// Relative to the page, so the site works under any base path and from file servers.
const wasmUrl = new URL('core.wasm', document.baseURI).href;

loadCoreFromUrl(wasmUrl)
  .then((core) => startSession(core))
  .catch((err: unknown) => loadFailed(err instanceof Error ? err.message : String(err)));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
