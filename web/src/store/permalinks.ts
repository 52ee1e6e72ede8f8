/**
 * Permalink states of the screen: what a link records (share/permalink.ts) and how a link's
 * state is opened again. The address bar itself is the app's business (app/url.ts).
 */
import { type Panel, type ShareState, encodePermalink, encodePermalinkCompact } from '../share/permalink';
import { readScenarioText } from '../share/scenarioFile';
import {
  loadScenario,
  loadScenarioDoc,
  pinRequest,
  seek,
  selectByte,
  sessionDocument,
  setInspector,
  setTheme,
} from './actions';
import { LIBRARY } from './scenarios';
import { type InspectorTab, STAGE_PANELS, type SimState, type StagePanel, simStore } from './store';

const TAB_PANEL: Record<InspectorTab, Panel> = { code: 'code', bytes: 'bytes', trace: 'log' };
const PANEL_TAB: Partial<Record<Panel, InspectorTab>> = { code: 'code', bytes: 'bytes', log: 'trace' };

/** The permalink panels of a view: the stage panels on screen and the inspector's tab. */
export function panelsOf(s: Pick<SimState, 'panels' | 'inspector'>): Panel[] {
  const out: Panel[] = [];
  if (s.panels.rings) out.push('rings');
  if (s.panels.lanes) out.push('lanes');
  if (s.panels.state) out.push('state');
  if (s.panels.inspector) out.push(TAB_PANEL[s.inspector]);
  if (s.panels.timeline) out.push('timeline');
  return out;
}

/** The view a permalink's panels ask for. */
export function viewOf(panels: readonly Panel[]): {
  panels: Record<StagePanel, boolean>;
  inspector: InspectorTab | null;
} {
  const tab = panels.map((p) => PANEL_TAB[p]).find((t) => t !== undefined) ?? null;
  const on = Object.fromEntries(
    STAGE_PANELS.map((p) => [p, p === 'inspector' ? tab !== null : panels.includes(p)]),
  ) as Record<StagePanel, boolean>;
  return { panels: on, inspector: tab };
}

interface DocMemo {
  frames: SimState['frames'];
  base: SimState['base'];
  mode: SimState['mode'];
  doc: ReturnType<typeof sessionDocument>;
}
let docMemo: DocMemo | null = null;

/** The permalink state of the screen, or null before a session runs. */
export function shareStateOf(s: SimState): ShareState | null {
  if (s.status !== 'ready' || !s.base) return null;
  const st: ShareState = { scenarioId: s.base.id, step: s.cursor, theme: s.theme, panels: panelsOf(s) };
  if (s.mode === 'free' || s.source === 'document') {
    // The document changes with the timeline, not with the cursor: kept for the frames it was made for.
    const same = docMemo && docMemo.frames === s.frames && docMemo.base === s.base && docMemo.mode === s.mode;
    const doc = same ? (docMemo as DocMemo).doc : sessionDocument();
    if (!same) docMemo = { frames: s.frames, base: s.base, mode: s.mode, doc };
    if (!doc) return null;
    st.scenario = doc.scenario;
    if (doc.schedule) st.schedule = doc.schedule;
  }
  if (s.pinned !== null) st.req = s.pinned;
  const b = s.selectedByte;
  if (b && /^(sqe|cqe|pdu|user-[a-z_][a-z0-9_]{0,31})$/.test(b.region))
    st.byte = { region: b.region as NonNullable<ShareState['byte']>['region'], offset: b.offset };
  return st;
}

/**
 * Opens a permalink state: the scenario (by id, or the document it carries), the step, the
 * view. Returns the problems to show (none: []); the page stays usable whatever they are.
 */
export function openShareState(st: ShareState): string[] {
  const problems: string[] = [];
  let opened = false;
  if (st.scenario !== undefined) {
    const r = readScenarioText(JSON.stringify(st.scenario));
    if (!r.ok) problems.push('The scenario carried in the link is not valid:', ...r.errors);
    else {
      opened = loadScenarioDoc(
        r.scenario,
        LIBRARY.some((e) => e.id === r.scenario.id && sameDoc(e.scenario, r.scenario)) && !st.schedule
          ? 'library'
          : 'document',
        st.schedule,
      );
      if (!opened) problems.push(simStore.getState().message ?? 'The scenario carried in the link could not run.');
    }
  } else {
    opened = loadScenario(st.scenarioId);
    if (!opened)
      problems.push(
        LIBRARY.some((e) => e.id === st.scenarioId)
          ? (simStore.getState().message ?? `Scenario ${st.scenarioId} could not run.`)
          : `There is no scenario "${st.scenarioId}" in this version of Ringside.`,
      );
  }
  setTheme(st.theme);
  const view = viewOf(st.panels);
  simStore.setState({ panels: view.panels });
  if (view.inspector) setInspector(view.inspector);
  if (!opened) return problems;
  const last = simStore.getState().frames.length - 1;
  if (st.step > last)
    problems.push(`The link asks for step ${st.step}, but this run has ${last} steps; it shows the last one.`);
  seek(Math.min(st.step, last));
  if (st.req !== undefined) pinRequest(st.req);
  if (st.byte) selectByte(st.byte);
  return problems;
}

function sameDoc(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fragment (`#p=1&...`) for the screen, or '' before a session runs. */
export function fragmentFor(s: SimState): string {
  const st = shareStateOf(s);
  return st ? encodePermalink(st) : '';
}

/** The full link to the screen (for the share dialog). */
export function linkFor(s: SimState, loc: Pick<Location, 'origin' | 'pathname'> = location): string {
  return `${loc.origin}${loc.pathname}${fragmentFor(s)}`;
}

/** The fragment for the screen with its scenario compressed (what the address bar shows). */
export async function compactFragmentFor(s: SimState): Promise<string> {
  const st = shareStateOf(s);
  return st ? encodePermalinkCompact(st) : '';
}
