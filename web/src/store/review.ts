/**
 * Review mode: one program run twice, side by side, each on its own instance of the core: under
 * the RFC v3 and the v5 API (the same program against each generation's sample driver), or a
 * pair of library scenarios that differ in one setting (v3 with and without patch 2/5). What
 * differs is summarised per request: how the issue returned, where `done()` ran, where the CQE
 * was posted, the result, whether and by whom the PDU was zeroed, and the sanitizer reports.
 */
import type { Scenario } from '../scenario/format';
import { SimController } from '../sim/controller';
import type { Frame } from '../sim/frame';
import { DRIVERS } from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import { EIOCBQUEUED, ERRNO_NAMES } from '../wasm/abi.generated';
import { eventArgs } from '../wasm/events.generated';
import { type FrameModel, deriveModels } from './model';
import { LIBRARY } from './scenarios';
import { simStore } from './store';
import { newCore } from './actions';

/** Drivers that are the same sample written against the other API generation. */
export const COUNTERPART: Record<string, string> = {
  rust_misc_device_v3: 'rust_misc_device',
  rust_misc_device: 'rust_misc_device_v3',
};

/** The scenario run against the other API generation's drivers, or null if a driver has no counterpart. */
export function otherGeneration(s: Scenario): Scenario | null {
  const api = s.api === 'v3' ? 'v5' : 'v3';
  const devices = [];
  let mapped = false;
  for (const d of s.devices ?? []) {
    const info = DRIVERS[d.driver];
    if (!info?.hasUringCmd) devices.push(d);
    else {
      const other = COUNTERPART[d.driver];
      if (!other) return null;
      devices.push({ ...d, driver: other });
      mapped = true;
    }
  }
  if (!mapped) return null;
  const out: Scenario = { ...s, api, devices, title: `${s.title} (under the ${api} API)` };
  delete out.sanitizers;
  if (api === 'v5') delete out.config;
  return out;
}

/** One comparison: two documents and what they are. */
export interface Comparison {
  id: string;
  title: string;
  left: Scenario;
  right: Scenario;
  leftLabel: string;
  rightLabel: string;
}

/**
 * Comparisons the library offers, the informative ones first: v3 without and with patch 2/5
 * (the stale PDU), `done()` from a workqueue (v4's sample) against `complete_in_task` (v5's),
 * then every scenario that runs under both API generations.
 */
export function comparisons(extra: Scenario | null = null): Comparison[] {
  const out: Comparison[] = [];
  const add = (s: Scenario, id: string) => {
    const o = otherGeneration(s);
    if (!o) return;
    const [v3, v5] = s.api === 'v3' ? [s, o] : [o, s];
    out.push({ id, title: s.title, left: v3, right: v5, leftLabel: 'RFC v3 API', rightLabel: 'v5 API' });
  };
  for (const e of LIBRARY) {
    const twin = LIBRARY.find((x) => x.id === `${e.id}-patch2`);
    if (e.scenario && twin?.scenario)
      out.push({
        id: `${e.id}+patch2`,
        title: `${e.scenario.title}: without and with patch 2/5`,
        left: e.scenario,
        right: twin.scenario,
        leftLabel: 'v3, no PDU zeroing',
        rightLabel: 'v3 + patch 2/5',
      });
  }
  for (const e of LIBRARY) {
    const v4 = e.scenario ? withV4Sample(e.scenario) : null;
    if (e.scenario && v4)
      out.push({
        id: `${e.id}+v4`,
        title: `${e.scenario.title}: done() from the workqueue (v4) vs complete_in_task (v5)`,
        left: v4,
        right: e.scenario,
        leftLabel: 'v4 sample: done() in the workqueue',
        rightLabel: 'v5 sample: complete_in_task',
      });
  }
  if (extra) add(extra, 'session');
  for (const e of LIBRARY) if (e.scenario) add(e.scenario, e.id);
  return out;
}

/** The v5 sample scenario with v4's sample driver (done() from the workqueue), or null. */
function withV4Sample(s: Scenario): Scenario | null {
  if (s.api !== 'v5' || s.id !== 'v5-queued-task-work') return null;
  const devices = (s.devices ?? []).map((d) =>
    d.driver === 'rust_misc_device' ? { ...d, driver: 'rust_misc_device_v4' } : d,
  );
  return { ...s, devices, title: `${s.title} (v4 sample driver)` };
}

/** Opens review mode on a comparison by id (the start-here path, a permalink). Returns false if there is none. */
export function openReview(id: string, at = 0): boolean {
  const cmp = comparisons().find((c) => c.id === id);
  if (!cmp) return false;
  simStore.setState({ page: 'review', reviewAt: at });
  void runComparison(cmp);
  return true;
}

/** What happened to one request in a run. */
export interface ReqSummary {
  /** `user_data`, with `#2` appended for a second request with the same value. */
  key: string;
  /** The contexts it ran in, in order. */
  path: string;
  issue: string;
  doneIn: string;
  postedIn: string;
  res: string;
  pdu: string;
  /** PDU bytes moved through the accessors during the request's life (Ming Lei's cost point). */
  copied: string;
  sanitizers: string;
}

export const SUMMARY_FIELDS: { key: Exclude<keyof ReqSummary, 'key'>; label: string }[] = [
  { key: 'issue', label: 'issue returned' },
  { key: 'doneIn', label: 'done() ran in' },
  { key: 'postedIn', label: 'CQE posted from' },
  { key: 'res', label: 'res' },
  { key: 'pdu', label: 'PDU zeroed' },
  { key: 'copied', label: 'PDU bytes copied' },
  { key: 'sanitizers', label: 'sanitizer reports' },
  { key: 'path', label: 'contexts' },
];

function errName(v: number): string {
  if (v >= 0) return String(v);
  return `-${ERRNO_NAMES[-v] ?? -v}`;
}

/** Summarises every request of a run. */
export function summarise(frames: readonly Frame[]): ReqSummary[] {
  const byReq = new Map<number, ReqSummary & { ctxs: string[] }>();
  const seen = new Map<string, number>();
  for (const f of frames) {
    for (const e of f.events) {
      if (!e.req) continue;
      let r = byReq.get(e.req);
      if (!r) {
        const ud = e.userData.toString();
        const n = (seen.get(ud) ?? 0) + 1;
        seen.set(ud, n);
        r = {
          key: n > 1 ? `${ud} #${n}` : ud,
          path: '',
          issue: '—',
          doneIn: '—',
          postedIn: '—',
          res: '—',
          pdu: 'no',
          copied: '—',
          sanitizers: 'none',
          ctxs: [],
        };
        byReq.set(e.req, r);
      }
      if (r.ctxs[r.ctxs.length - 1] !== e.ctx) r.ctxs.push(e.ctx);
      const f = eventArgs(e);
      switch (f?.event) {
        case 'sim_uring_cmd_ret':
          if (r.issue === '—') r.issue = f.ret === -EIOCBQUEUED ? '-EIOCBQUEUED (queued)' : errName(f.ret | 0);
          break;
        case 'sim_uring_cmd_no_hook':
          r.issue = 'no uring_cmd hook';
          break;
        case 'sim_uring_cmd_done':
          r.doneIn = r.doneIn === '—' ? e.ctx : `${r.doneIn}, ${e.ctx}`;
          break;
        case 'io_uring_complete':
          r.postedIn = e.ctx;
          r.res = errName(f.res | 0);
          break;
        case 'io_uring_cqe_overflow':
          r.postedIn = `${e.ctx} (overflow list)`;
          r.res = errName(f.res | 0);
          break;
        case 'sim_req_free':
          // read_pdu/write_pdu copy the whole type each call, the v5 wrapper's zeroing 32 bytes.
          r.copied = `${f.pdu_bytes} bytes`;
          break;
        case 'sim_pdu_zero':
          r.pdu = f.by === 1 ? 'in prep (patch 2/5)' : f.by === 2 ? 'by the v5 wrapper' : 'yes';
          break;
        default:
          if (e.event.startsWith('sanitizer_'))
            r.sanitizers =
              r.sanitizers === 'none'
                ? e.event.slice('sanitizer_'.length)
                : `${r.sanitizers}, ${e.event.slice('sanitizer_'.length)}`;
      }
    }
  }
  return [...byReq.values()].map(({ ctxs, ...r }) => ({
    ...r,
    doneIn:
      r.doneIn === '—' && r.issue !== '—' && !r.issue.startsWith('-EIOCBQUEUED')
        ? 'not called (the issue returned the result)'
        : r.doneIn,
    path: ctxs.join(' → '),
  }));
}

/** One side of a comparison, run. */
export interface ReviewSide {
  scenario: Scenario;
  frames: Frame[];
  models: FrameModel[];
  opFrames: number[];
  summary: ReqSummary[];
  sanitizers: string[];
  error: string | null;
}

/** Runs one side on its own core. */
export function runSide(core: Core, scenario: Scenario): ReviewSide {
  try {
    const c = SimController.compile(core, scenario);
    const { models } = deriveModels(c.frames, (f) => (f.op >= 0 ? scenario.program[f.op] : undefined));
    const sanitizers = [
      ...new Set(
        c.frames.flatMap((f) => f.events.filter((e) => e.event.startsWith('sanitizer_')).map((e) => e.event as string)),
      ),
    ];
    return {
      scenario,
      frames: c.frames,
      models,
      opFrames: c.opFrames,
      summary: summarise(c.frames),
      sanitizers,
      error: null,
    };
  } catch (err) {
    return {
      scenario,
      frames: [],
      models: [],
      opFrames: [],
      summary: [],
      sanitizers: [],
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

/** The rows of the difference table: every request of either side, and which fields differ. */
export function diffRows(
  a: readonly ReqSummary[],
  b: readonly ReqSummary[],
): { key: string; left: ReqSummary | null; right: ReqSummary | null; differs: Set<string> }[] {
  const keys = [...new Set([...a.map((r) => r.key), ...b.map((r) => r.key)])];
  return keys.map((key) => {
    const left = a.find((r) => r.key === key) ?? null;
    const right = b.find((r) => r.key === key) ?? null;
    const differs = new Set<string>();
    for (const f of SUMMARY_FIELDS) if ((left?.[f.key] ?? '') !== (right?.[f.key] ?? '')) differs.add(f.key);
    return { key, left, right, differs };
  });
}

/**
 * Runs a comparison, each side on a fresh instance of the core (no request: the module was
 * compiled once), and puts it in the store.
 */
export async function runComparison(cmp: Comparison): Promise<void> {
  simStore.setState({ review: { id: cmp.id, status: 'running', left: null, right: null, error: null } });
  try {
    const [a, b] = [await newCore(), await newCore()];
    const left = runSide(a, cmp.left);
    const right = runSide(b, cmp.right);
    if (simStore.getState().review?.id !== cmp.id) return;
    simStore.setState({ review: { id: cmp.id, status: 'ready', left, right, error: null } });
  } catch (err) {
    simStore.setState({
      review: {
        id: cmp.id,
        status: 'error',
        left: null,
        right: null,
        error: err instanceof Error ? err.message : String(err),
      },
    });
  }
}
