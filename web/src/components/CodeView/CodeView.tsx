/**
 * Code: the upstream functions this step runs through (kernel C, liburing, or the Rust
 * abstraction of the uring_cmd series), each linked to its source, and — when the core reports
 * source locations — the Rust driver or abstraction code with the line running now highlighted
 * (and the line that wrote the byte under the pointer marked).
 */
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  type UpstreamFunction,
  fileUrl,
  functionForOp,
  functionUrl,
  functionsOfStep,
} from '../../captions/kernelFunctions';
import { HAS_SOURCE_FILES, sourcePath, unpackSrc } from '../../captions/sources';
import { type SimState, type TraceEvent, useHover, useSim } from '../../store';
import { highlightRust } from './highlight';
import { sourceText } from './sourceText';

/** How far back the code view looks for the last step that reported a source line. */
const LOOKBACK = 64;

const selCode = (s: SimState) => {
  const f = s.frames[s.cursor];
  const m = s.models[s.cursor];
  let ev: TraceEvent | null = null;
  let fromNow = false;
  for (let i = s.cursor; i >= 0 && i > s.cursor - LOOKBACK; i--) {
    const e = s.models[i]?.codeEvent;
    if (e) {
      ev = e;
      fromNow = i === s.cursor;
      break;
    }
  }
  return { events: f?.events, actor: f?.actor, op: m?.op?.op, ev, fromNow };
};

const ORIGIN: Record<UpstreamFunction['origin'], string> = {
  kernel: 'Linux',
  'rust-mainline': 'Linux (Rust)',
  liburing: 'liburing',
  'rust-series': 'Rust series (not in mainline)',
  simulator: 'simulator',
};

/** The functions of the step as a compact call path: name (to its definition) and file (to its source). */
function FunctionList({ fns }: { fns: UpstreamFunction[] }) {
  if (fns.length === 0) return <p className="muted">No kernel code runs in this step.</p>;
  return (
    <ol className="fn-list" aria-label="Functions this step runs through" data-testid="step-functions">
      {fns.map((f) => {
        const url = functionUrl(f);
        const furl = fileUrl(f);
        const name = `${f.name}${f.origin === 'kernel' || f.origin === 'liburing' ? '()' : ''}`;
        const base = f.file.split('/').pop();
        return (
          <li
            key={f.name}
            className={`fn origin-${f.origin}`}
            data-fn={f.name}
            title={`${name}: ${f.what}${f.file ? ` (${f.file}, ${ORIGIN[f.origin]})` : ` (${ORIGIN[f.origin]})`}`}
          >
            {url ? (
              <a className="fn-name" href={url} target="_blank" rel="noreferrer noopener">
                <code>{name}</code>
              </a>
            ) : (
              <code className="fn-name">{name}</code>
            )}
            {base &&
              (furl ? (
                <a className="fn-file" href={furl} target="_blank" rel="noreferrer noopener" aria-label={f.file}>
                  {base}
                </a>
              ) : (
                <span className="fn-file">{base}</span>
              ))}
            {f.origin === 'rust-series' && <span className="fn-origin">not in mainline</span>}
          </li>
        );
      })}
    </ol>
  );
}

/** One line on what the step's main function does. */
function FunctionWhat({ fns }: { fns: UpstreamFunction[] }) {
  const f = fns.find((x) => x.origin === 'kernel' || x.origin === 'liburing') ?? fns[0];
  if (!f) return null;
  return (
    <p className="fn-what">
      <code>{f.name}</code>: {f.what}
    </p>
  );
}

function Source({ path, line, current }: { path: string; line: number; current: boolean }) {
  const text = sourceText(path);
  const lines = useMemo(() => (text ? highlightRust(text) : []), [text]);
  const hoverSrc = useHover((h) => h.src);
  const hover = unpackSrc(hoverSrc);
  const hoverLine = hover.file && sourcePath(hover.file) === path ? hover.line : 0;
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    // Keep the running line in view without scrolling the page (only this box scrolls).
    const el = box.current;
    const row = el?.querySelector<HTMLElement>(`[data-line="${line}"]`);
    if (!el || !row) return;
    const top = row.offsetTop - el.clientHeight / 3;
    el.scrollTop = Math.max(0, top);
  }, [line, path]);
  if (!text) return <p className="muted">The source {path} is not bundled with this page.</p>;
  return (
    <div
      className="source"
      ref={box}
      tabIndex={0}
      aria-label={`${path}, line ${line}${current ? ' running now' : ' ran last'}`}
    >
      <table className="code" data-file={path}>
        <tbody>
          {lines.map((html, i) => {
            const n = i + 1;
            const cls = [n === line ? (current ? 'current' : 'last') : '', n === hoverLine ? 'wrote' : '']
              .filter(Boolean)
              .join(' ');
            return (
              <tr
                key={n}
                data-line={n}
                className={cls || undefined}
                data-testid={n === line ? 'code-line-current' : undefined}
                aria-current={n === line && current ? 'step' : undefined}
              >
                <td className="ln">{n}</td>
                {/* highlight.js escapes the source text; the HTML holds only its spans. */}
                <td className="lc" dangerouslySetInnerHTML={{ __html: html || ' ' }} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CodeViewComponent() {
  const c = useSim(useShallow(selCode));
  const fns = useMemo(() => {
    if (c.actor === 'app') {
      const f = c.op ? functionForOp(c.op) : null;
      // The operation's function may also be one of the step's (a device poke): list it once.
      return [...(f ? [f] : []), ...functionsOfStep(c.events ?? []).filter((g) => g.name !== f?.name)];
    }
    return functionsOfStep(c.events ?? []);
  }, [c.actor, c.op, c.events]);
  const path = c.ev ? sourcePath(c.ev.srcFile) : null;
  return (
    <div className="code-view">
      <FunctionList fns={fns} />
      <FunctionWhat fns={fns} />
      {HAS_SOURCE_FILES && path && c.ev ? (
        <>
          <h3 className="source-head">
            <code>core-rs/src/{path}</code>
            <span className="muted">
              {c.fromNow ? ` line ${c.ev.srcLine} runs now` : ` line ${c.ev.srcLine} ran last`}
            </span>
          </h3>
          <Source path={path} line={c.ev.srcLine} current={c.fromNow} />
        </>
      ) : (
        <p className="muted source-missing">
          {HAS_SOURCE_FILES
            ? 'No driver or abstraction code has run yet.'
            : 'This build of the simulator does not report source lines yet, so only the upstream function of each step is shown.'}
        </p>
      )}
    </div>
  );
}

export const CodeView = memo(CodeViewComponent);
CodeView.displayName = 'CodeView';
