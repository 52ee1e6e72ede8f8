/**
 * Share and export: the permalink of the screen, an iframe snippet for embedding, the frame as
 * SVG or PNG, the trace as JSON or in the Chrome Trace Event format (Perfetto,
 * chrome://tracing), and the scenario as a file to download or to open. A file that does not
 * open says why and leaves the session as it was.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { toChromeTrace } from '../../share/chromeTrace';
import { download, frameSvg, svgToPng } from '../../share/exportFrame';
import { readScenarioText } from '../../share/scenarioFile';
import { traceDocument } from '../../share/traceExport';
import { allowedOriginFrom } from '../../share/embedApi';
import {
  type SimState,
  compactFragmentFor,
  fragmentFor,
  loadScenarioDoc,
  panelsOf,
  selCaption,
  selChapterIndex,
  sessionDocument,
  setShare,
  showProblem,
  simStore,
  useSim,
} from '../../store';

/** The address of a page next to this one (embed.html), keeping the base path. */
function sibling(page: string): string {
  const u = new URL(page, location.href);
  return `${u.origin}${u.pathname}`;
}

/** The step range a snippet embeds: the chapter the cursor is in (to the next chapter's start), or the whole run. */
export function snippetRange(s: SimState): { from: number; to: number } {
  const last = Math.max(0, s.frames.length - 1);
  const at = selChapterIndex(s);
  const ch = s.chapters[at];
  if (!ch || ch.frame < 0) return { from: 0, to: last };
  const next = s.chapters
    .map((c) => c.frame)
    .filter((f) => f > ch.frame)
    .sort((a, b) => a - b)[0];
  return { from: ch.frame, to: next !== undefined ? next - 1 : last };
}

/**
 * The iframe snippet that embeds the screen's scenario: the chapter on screen as its step range
 * (from its first step, not the current one), the panels on screen, the theme, and the host
 * page's `origin` (only that page may drive the embed). A library scenario goes by its id,
 * anything else (edited, uploaded, sandbox) through its permalink.
 */
export function embedSnippet(
  s: SimState,
  base = sibling('embed.html'),
  frag = fragmentFor(s),
  hostOrigin: string | null = location.origin,
): string {
  const title = s.base?.title ?? 'Ringside';
  const { from, to } = snippetRange(s);
  const q = `from=${from}&to=${to}&panels=${panelsOf(s).join(',')}${hostOrigin ? `&origin=${encodeURIComponent(hostOrigin)}` : ''}&autoplay=0&loop=0`;
  const src =
    s.mode === 'guided' && s.source === 'library' && s.base
      ? `${base}?s=${s.base.id}&${q}&theme=${s.theme}`
      : `${base}?${q}${frag}`;
  const attr = (v: string) =>
    v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<iframe src="${attr(src)}" title="${attr(`${title} (Ringside)`)}" width="960" height="540" style="border:0" loading="lazy"></iframe>`;
}

function stem(s: SimState): string {
  return `${s.base?.id ?? 'ringside'}-step${s.cursor}`;
}

/** Exports the frame on screen as SVG. */
export function exportSvg(): string | null {
  const s = simStore.getState();
  const stage = document.querySelector('.stage');
  if (!stage) return null;
  const svg = frameSvg(stage, {
    title: s.base?.title ?? 'Ringside',
    caption: selCaption(s),
    step: `step ${s.cursor} of ${Math.max(0, s.frames.length - 1)}`,
  });
  download(`${stem(s)}.svg`, svg, 'image/svg+xml');
  return svg;
}

/** Exports the frame on screen as PNG. */
export async function exportPng(): Promise<void> {
  const s = simStore.getState();
  const stage = document.querySelector('.stage');
  if (!stage) return;
  const svg = frameSvg(stage, {
    title: s.base?.title ?? 'Ringside',
    caption: selCaption(s),
    step: `step ${s.cursor} of ${Math.max(0, s.frames.length - 1)}`,
  });
  download(`${stem(s)}.png`, await svgToPng(svg));
}

/** Exports the whole trace as JSON. */
export function exportTrace(): void {
  const s = simStore.getState();
  download(
    `${s.base?.id ?? 'ringside'}.trace.json`,
    JSON.stringify(traceDocument(s.frames, s.base?.id ?? '', s.base?.api ?? ''), null, 1),
  );
}

/** Exports the whole trace in the Chrome Trace Event format. */
export function exportChromeTrace(): void {
  const s = simStore.getState();
  const doc = toChromeTrace(
    s.frames.map((f) => ({ index: f.index, timeNs: f.timeNs, label: f.label, events: f.events })),
    { scenario: s.base?.id ?? '', api: s.base?.api ?? '' },
  );
  download(`${s.base?.id ?? 'ringside'}.chrome-trace.json`, JSON.stringify(doc));
}

/** Downloads the scenario document behind the session (the sandbox's program included). */
export function exportScenario(): void {
  const doc = sessionDocument();
  if (!doc) return;
  download(`${doc.scenario.id}.json`, `${JSON.stringify(doc.scenario, null, 2)}\n`);
}

/** Opens a scenario file's text; a bad file is reported and the session stays as it was. */
export function openScenarioText(name: string, text: string): boolean {
  const r = readScenarioText(text);
  if (!r.ok) {
    showProblem({ title: `${name} could not be opened`, lines: r.errors });
    return false;
  }
  const ok = loadScenarioDoc(r.scenario, 'document');
  if (!ok)
    showProblem({
      title: `${name} could not run`,
      lines: [simStore.getState().message ?? 'The scenario failed to run.'],
    });
  else showProblem(null);
  return ok;
}

const selAll = (s: SimState) => s;

function ShareDialogBody() {
  const state = useSim(selAll);
  const dialog = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [frag, setFrag] = useState(() => fragmentFor(state));
  const [host, setHost] = useState(() => location.origin);
  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('[data-testid="permalink"]')?.focus();
  }, []);
  // The compressed form is what the address bar shows too.
  useEffect(() => {
    let live = true;
    void compactFragmentFor(state).then((f) => {
      if (live) setFrag(f);
    });
    return () => {
      live = false;
    };
  }, [state]);
  const link = `${location.origin}${location.pathname}${location.search}${frag}`;
  const hostOk = host.trim() === '' || allowedOriginFrom(`?origin=${encodeURIComponent(host.trim())}`) !== null;
  const snippet = embedSnippet(
    state,
    undefined,
    frag,
    hostOk && host.trim() ? (allowedOriginFrom(`?origin=${encodeURIComponent(host.trim())}`) as string) : null,
  );
  const range = snippetRange(state);
  const copy = (what: string, text: string) => {
    navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(null),
    );
  };
  const close = () => setShare(false);
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="modal share-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="share-title"
        ref={dialog}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}
      >
        <header className="page-head">
          <h2 id="share-title">Share and export</h2>
          <button type="button" onClick={close} aria-label="Close share and export">
            ×
          </button>
        </header>
        <section>
          <h3>Link to this screen</h3>
          <p className="muted">
            Scenario{state.mode === 'free' ? ', the sandbox program' : ''}, step, theme, panels and selection, in the
            address.
          </p>
          <div className="share-row">
            <input
              readOnly
              value={link}
              aria-label="Permalink"
              data-testid="permalink"
              onFocus={(e) => e.target.select()}
            />
            <button type="button" onClick={() => copy('link', link)}>
              {copied === 'link' ? 'Copied' : 'Copy link'}
            </button>
          </div>
        </section>
        <section>
          <h3>Embed</h3>
          <p className="muted" data-testid="snippet-range">
            Steps {range.from}–{range.to}
            {selChapterIndex(state) >= 0
              ? ` (the chapter “${state.chapters[selChapterIndex(state)]?.title ?? ''}”)`
              : ' (the whole run)'}
            , the panels on screen, controlled only by the page at the origin below.
          </p>
          <label className="share-row">
            <span>Host page origin</span>
            <input
              value={host}
              onChange={(e) => setHost(e.target.value)}
              aria-label="Host page origin"
              aria-invalid={!hostOk}
              placeholder="https://docs.example"
            />
          </label>
          {!hostOk && (
            <p role="alert" className="error">
              “{host}” is not an origin (scheme, host and port, such as https://docs.example): the snippet leaves origin
              out, so any page may drive the embed.
            </p>
          )}
          <div className="share-row">
            <textarea readOnly value={snippet} aria-label="Embed snippet" rows={3} onFocus={(e) => e.target.select()} />
            <button type="button" onClick={() => copy('embed', snippet)}>
              {copied === 'embed' ? 'Copied' : 'Copy snippet'}
            </button>
          </div>
        </section>
        <section>
          <h3>Export</h3>
          <div className="share-buttons">
            <button type="button" onClick={() => exportSvg()}>
              Frame as SVG
            </button>
            <button type="button" onClick={() => void exportPng()}>
              Frame as PNG
            </button>
            <button type="button" onClick={exportTrace}>
              Trace as JSON
            </button>
            <button
              type="button"
              onClick={exportChromeTrace}
              title="Opens in Perfetto (ui.perfetto.dev) and chrome://tracing"
            >
              Chrome trace
            </button>
            <button type="button" onClick={exportScenario}>
              Scenario file
            </button>
          </div>
        </section>
        <section>
          <h3>Open a scenario file</h3>
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Open a scenario file"
            data-testid="upload"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              f.text().then(
                (text) => {
                  openScenarioText(f.name, text);
                  close();
                },
                (err: unknown) => showProblem({ title: `${f.name} could not be read`, lines: [String(err)] }),
              );
            }}
          />
        </section>
      </div>
    </div>
  );
}

function ShareDialogComponent() {
  const open = useSim((s) => s.share);
  return open ? <ShareDialogBody /> : null;
}

export const ShareDialog = memo(ShareDialogComponent);
ShareDialog.displayName = 'ShareDialog';
