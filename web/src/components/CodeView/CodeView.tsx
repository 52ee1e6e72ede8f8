/**
 * Code, in three layers: the sample driver (Rust), the Rust abstraction it is written against,
 * and the kernel C functions the step runs through (short outlines written for Ringside, with a
 * link to the upstream definition). Every source line a step ran is highlighted and numbered in
 * the order it ran; the step's last line is the current one (and the line that wrote the byte
 * under the pointer is marked). Above them, the step's call path across C, liburing and Rust.
 */
import { type ReactNode, memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  type UpstreamFunction,
  fileUrl,
  functionForOp,
  functionUrl,
  functionsOfStep,
} from '../../captions/kernelFunctions';
import { HAS_SOURCE_FILES, sourcePath, unpackSrc } from '../../captions/sources';
import { type SimState, type TraceEvent, selFocused, useHover, useSim } from '../../store';
import { type COutline, cOutline } from '../../captions/cOutlines';
import { kernelTag } from '../../app/kernelVersion';
import { highlightRust } from './highlight';
import { sourceText } from './sourceText';

/** Elixir's page for a C identifier in a given tree (`v6.18`): its definition, file and line. */
export function kernelIdentUrl(ident: string, tag: string): string {
  return `https://elixir.bootlin.com/linux/${tag}/A/ident/${encodeURIComponent(ident)}`;
}

/** How far back the code view looks for the last step that reported a source line. */
const LOOKBACK = 64;

/** The two Rust layers: the sample driver, and the abstraction it is written against. */
type Layer = 'driver' | 'abstraction';
const layerOf = (path: string): Layer => (path.startsWith('drivers/') ? 'driver' : 'abstraction');

/** The lines one layer ran, in order, in the latest step (at or before the cursor) where it ran. */
export interface LayerRun {
  path: string;
  lines: number[];
  /** The frame they ran in, and whether that is the frame on screen. */
  frame: number;
  now: boolean;
}

const runsOf = (events: readonly TraceEvent[] | undefined, layer: Layer): { path: string; lines: number[] } | null => {
  let path: string | null = null;
  const lines: number[] = [];
  for (const e of events ?? []) {
    if (!e.srcFile) continue;
    const p = sourcePath(e.srcFile);
    if (!p || layerOf(p) !== layer) continue;
    // One file per layer and step: the last file that ran wins (a step rarely spans two).
    if (p !== path) {
      path = p;
      lines.length = 0;
    }
    if (lines[lines.length - 1] !== e.srcLine) lines.push(e.srcLine);
  }
  return path ? { path, lines } : null;
};

function layerRun(s: SimState, layer: Layer): LayerRun | null {
  for (let i = s.cursor; i >= 0 && i > s.cursor - LOOKBACK; i--) {
    const r = runsOf(s.frames[i]?.events, layer);
    if (r) return { ...r, frame: i, now: i === s.cursor };
  }
  return null;
}

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
  return { events: f?.events, actor: f?.actor, op: m?.op?.op, ev, fromNow, cursor: s.cursor, frames: s.frames };
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

/** Lines of context shown around the lines a step ran. */
const CONTEXT = 12;

/** One source line; unchanged lines are not re-rendered when the step moves. */
const Row = memo(function Row({
  n,
  html,
  cls,
  testid,
  order,
  numbered,
  now,
}: {
  n: number;
  html: string;
  cls: string;
  testid: string | undefined;
  order: number;
  numbered: boolean;
  now: boolean;
}) {
  return (
    <tr
      data-line={n}
      className={cls || undefined}
      data-testid={testid}
      data-order={order || undefined}
      aria-current={now ? 'step' : undefined}
    >
      <td className="ln">
        {order > 0 && numbered ? (
          <span className="ran-order" aria-label={`ran ${order}.`}>
            {order}
          </span>
        ) : null}
        {n}
      </td>
      {/* highlight.js escapes the source text; the HTML holds only its spans. */}
      <td className="lc" dangerouslySetInnerHTML={{ __html: html || ' ' }} />
    </tr>
  );
});

/**
 * One Rust file with the lines a step ran highlighted, numbered in the order they ran; `line`
 * (the step's last line, the one the walkthrough follows) is marked current.
 */
function Source({
  path,
  line,
  current,
  ran = [line],
  main = true,
  peek = false,
}: {
  path: string;
  line: number;
  current: boolean;
  ran?: number[];
  main?: boolean;
  /** Only the line itself, no context (a folded layer). */
  peek?: boolean;
}) {
  const text = sourceText(path);
  const lines = useMemo(() => (text ? highlightRust(text) : []), [text]);
  const hoverSrc = useHover((h) => h.src);
  const hover = unpackSrc(hoverSrc);
  const hoverLine = hover.file && sourcePath(hover.file) === path ? hover.line : 0;
  const box = useRef<HTMLDivElement>(null);
  const first = ran[0] ?? line;
  // A window of the file around the lines that ran (and the line that wrote a hovered byte):
  // enough context to read, and a small table to redraw at every step.
  const marks = [...ran, line, ...(hoverLine ? [hoverLine] : [])];
  const from = peek ? line : Math.max(1, Math.min(...marks) - CONTEXT);
  const to = peek ? line : Math.min(lines.length, Math.max(...marks) + CONTEXT);
  useLayoutEffect(() => {
    // Keep the lines that ran in view without scrolling the page (only this box scrolls).
    const el = box.current;
    const row = el?.querySelector<HTMLElement>(`[data-line="${first}"]`);
    if (!el || !row) return;
    const top = row.offsetTop - Math.min(el.clientHeight / 4, 40);
    el.scrollTop = Math.max(0, top);
  }, [first, line, path, peek]);
  if (!text) return <p className="muted">The source {path} is not bundled with this page.</p>;
  return (
    <div
      className={peek ? 'source peek' : 'source'}
      ref={box}
      tabIndex={0}
      aria-label={`${path}, ${ran.length > 1 ? `lines ${ran.join(', ')}` : `line ${line}`}${current ? ' running now' : ' ran last'}`}
    >
      <table className="code" data-file={path}>
        <tbody>
          {lines.slice(from - 1, to).map((html, k) => {
            const n = from + k;
            const order = ran.indexOf(n);
            const cls = [
              n === line ? (current ? 'current' : 'last') : order >= 0 ? (current ? 'ran' : 'ran-last') : '',
              n === hoverLine ? 'wrote' : '',
            ]
              .filter(Boolean)
              .join(' ');
            const testid =
              n === line && main ? 'code-line-current' : order >= 0 || n === line ? 'code-line-ran' : undefined;
            return (
              <Row
                key={n}
                n={n}
                html={html}
                cls={cls}
                testid={testid}
                order={order >= 0 ? order + 1 : 0}
                numbered={ran.length > 1}
                now={n === line && current}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const LAYER_TITLE: Record<Layer, string> = { driver: 'Driver', abstraction: 'Rust abstraction' };

/** A layer's heading; when the layer is folded (the focused stage), a button that unfolds it. */
function LayerHead({
  title,
  children,
  folded,
  onUnfold,
  className = 'layer-head',
}: {
  title: string;
  children?: ReactNode;
  folded?: boolean;
  onUnfold?: () => void;
  className?: string;
}) {
  if (!folded) {
    return (
      <h3 className={className}>
        {title} {children}
      </h3>
    );
  }
  return (
    <h3 className={`${className} folded`}>
      <button type="button" className="layer-unfold" onClick={onUnfold} aria-expanded="false" title={`Show ${title}`}>
        <span aria-hidden="true">▸</span> {title}
      </button>{' '}
      {children}
    </h3>
  );
}

/** One Rust layer: the file and the lines of the latest step that ran in it. */
function RustLayer({
  layer,
  run,
  ev,
  folded = false,
  onUnfold,
}: {
  layer: Layer;
  run: LayerRun | null;
  ev: TraceEvent | null;
  folded?: boolean;
  onUnfold?: () => void;
}) {
  if (!run) {
    return (
      <section
        className={`code-layer layer-${layer} idle`}
        aria-label={`${LAYER_TITLE[layer]} code`}
        data-layer={layer}
      >
        <LayerHead title={LAYER_TITLE[layer]}>
          <span className="muted">— nothing has run here yet</span>
        </LayerHead>
      </section>
    );
  }
  // The walkthrough's line (the step's last source line) is marked current in its own file.
  const evPath = ev ? sourcePath(ev.srcFile) : null;
  const line = evPath === run.path && ev ? ev.srcLine : (run.lines[run.lines.length - 1] as number);
  return (
    <section
      className={`code-layer layer-${layer}${folded ? ' folded' : ''}`}
      aria-label={`${LAYER_TITLE[layer]} code`}
      data-layer={layer}
      data-folded={folded || undefined}
    >
      <LayerHead title={LAYER_TITLE[layer]} folded={folded} onUnfold={onUnfold} className="layer-head source-head">
        <code>{run.path.replace(/^.*\//, '')}</code>
        <span className="muted">
          {run.lines.length > 1 ? ` lines ${run.lines.join(' → ')}` : ` line ${line}`}
          {run.now ? ' runs now' : ' ran last'}
        </span>
      </LayerHead>
      {/* Folded, the layer keeps the one line it ran last (the walkthrough's line, when it is here). */}
      <Source
        path={run.path}
        line={line}
        current={run.now}
        ran={folded ? [line] : run.lines}
        main={evPath === run.path}
        peek={folded}
      />
    </section>
  );
}

/** The C layer: an outline of each upstream kernel function the step runs through. */
function CLayer({
  fns,
  folded = false,
  onUnfold,
}: {
  fns: UpstreamFunction[];
  folded?: boolean;
  onUnfold?: () => void;
}) {
  const tag = kernelTag();
  const kernel = fns.filter((f) => f.origin === 'kernel');
  // The uring_cmd functions first (the subject of the page), then the step's order.
  const rank = (f: UpstreamFunction) =>
    f.file === 'io_uring/uring_cmd.c' || f.file.startsWith('include/linux/io_uring') ? 0 : 1;
  const shown = kernel.filter((f) => cOutline(f.ident)).sort((a, b) => rank(a) - rank(b));
  return (
    <section
      className={`code-layer layer-c${folded ? ' folded' : ''}`}
      aria-label="Kernel C code"
      data-layer="c"
      data-folded={folded || undefined}
    >
      <LayerHead title="Kernel C" folded={folded} onUnfold={onUnfold}>
        {folded ? (
          <span className="muted">
            {kernel.length ? `— ${kernel.map((f) => `${f.name}()`).join(', ')}` : '— none in this step'}
          </span>
        ) : (
          <span className="muted" data-testid="c-outline-note">
            — outlines of upstream {tag} written for Ringside, not the kernel&apos;s text
          </span>
        )}
      </LayerHead>
      {!folded && kernel.length === 0 && <p className="muted">No kernel C function in this step.</p>}
      {!folded &&
        shown.map((f) => {
          const o = cOutline(f.ident) as COutline;
          return (
            <figure key={f.name} className="c-outline" data-fn={f.ident}>
              <figcaption>
                <code>
                  {o.file}: {f.name}()
                </code>{' '}
                <a
                  href={kernelIdentUrl(f.ident, tag)}
                  target="_blank"
                  rel="noreferrer noopener"
                  aria-label={`${f.name} in Linux ${tag} (opens the upstream definition)`}
                >
                  upstream {tag} ↗
                </a>
              </figcaption>
              <pre className="c-lines">{o.lines.join('\n')}</pre>
            </figure>
          );
        })}
      {!folded &&
        kernel
          .filter((f) => !cOutline(f.ident))
          .map((f) => (
            <p key={f.name} className="c-none">
              <code>{f.name}()</code> ({f.file}): {f.what}.{' '}
              <a href={kernelIdentUrl(f.ident, tag)} target="_blank" rel="noreferrer noopener">
                read it upstream
              </a>
            </p>
          ))}
    </section>
  );
}

/** A layer of the code panel. */
type FocusLayer = Layer | 'c';

/**
 * The layer that deserves the room when only one can have it: the Rust layer that runs in this
 * step (the driver before the abstraction), else the kernel C of this step, else the Rust layer
 * that ran most recently.
 */
export function focusLayer(
  runs: { driver: LayerRun | null; abstraction: LayerRun | null },
  fns: UpstreamFunction[],
): FocusLayer {
  if (runs.driver?.now) return 'driver';
  if (runs.abstraction?.now) return 'abstraction';
  if (fns.some((f) => f.origin === 'kernel')) return 'c';
  const d = runs.driver?.frame ?? -1;
  const a = runs.abstraction?.frame ?? -1;
  if (d < 0 && a < 0) return 'c';
  return d >= a ? 'driver' : 'abstraction';
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
  const runs = useMemo(() => {
    const s = { cursor: c.cursor, frames: c.frames } as SimState;
    return { driver: layerRun(s, 'driver'), abstraction: layerRun(s, 'abstraction') };
  }, [c.cursor, c.frames]);
  // On the focused stage (presenter mode, projector theme) the panel is short: one layer is open,
  // the others fold to their heading. A heading unfolds its layer until the step changes.
  const focused = useSim(selFocused);
  // A run without a misc device (the io_uring-from-zero scenarios) has no Rust code to show:
  // its two Rust layers would only ever say that nothing ran there.
  const devices = useSim((s) => ((s.base ?? s.scenario)?.devices?.length ?? 0) > 0);
  const rust = devices || runs.driver !== null || runs.abstraction !== null;
  const [unfolded, setUnfolded] = useState<{ at: number; layer: FocusLayer } | null>(null);
  const open: FocusLayer | null = focused
    ? unfolded && unfolded.at === c.cursor
      ? unfolded.layer
      : focusLayer(runs, fns)
    : null;
  const fold = (layer: FocusLayer) => open !== null && open !== layer;
  const unfold = (layer: FocusLayer) => () => setUnfolded({ at: c.cursor, layer });
  return (
    <div className="code-view">
      <FunctionList fns={fns} />
      <FunctionWhat fns={fns} />
      {HAS_SOURCE_FILES ? (
        <div className="code-layers">
          {rust && (
            <>
              <RustLayer
                layer="driver"
                run={runs.driver}
                ev={c.ev}
                folded={fold('driver')}
                onUnfold={unfold('driver')}
              />
              <RustLayer
                layer="abstraction"
                run={runs.abstraction}
                ev={c.ev}
                folded={fold('abstraction')}
                onUnfold={unfold('abstraction')}
              />
            </>
          )}
          <CLayer fns={fns} folded={fold('c')} onUnfold={unfold('c')} />
        </div>
      ) : (
        <>
          <p className="muted source-missing">
            This build of the simulator does not report source lines yet, so only the upstream function of each step is
            shown.
          </p>
          <CLayer fns={fns} />
        </>
      )}
    </div>
  );
}

/** The code panel: always on the stage, beside the rings (not a tab). */
function CodePanelComponent() {
  return (
    <section className="panel code-panel" aria-label="Code" data-testid="code-panel" tabIndex={-1}>
      <CodeView />
    </section>
  );
}

export const CodePanel = memo(CodePanelComponent);
CodePanel.displayName = 'CodePanel';

export const CodeView = memo(CodeViewComponent);
CodeView.displayName = 'CodeView';
