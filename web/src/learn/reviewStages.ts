/**
 * Review mode's two stages in step: the frames of two runs of one program paired so that both
 * sides are at the same program operation at the same time (within an operation, the n-th
 * step of each side; the shorter side holds its last step), and what each side shows at a pair
 * (rings, where each request is, the followed request's PDU bytes, the running code line, the
 * caption), so that the view can mark what differs.
 */
import type { ReviewSide } from '../store/review';
import { sourcePath } from '../captions/sources';
import { sourceText } from '../components/CodeView/sourceText';

/** One aligned step: a frame index on each side and the program operation both are in (-1: setup). */
export interface AlignedStep {
  left: number;
  right: number;
  op: number;
}

function segments(side: ReviewSide): [number, number][] {
  const n = side.frames.length;
  const starts = [0, ...side.opFrames];
  return starts
    .map((s, k) => [s, k + 1 < starts.length ? (starts[k + 1] as number) : n] as [number, number])
    .filter(([a, b]) => b > a || a < n);
}

/** Pairs the frames of two runs operation by operation. */
export function alignSteps(left: ReviewSide, right: ReviewSide): AlignedStep[] {
  const a = segments(left);
  const b = segments(right);
  const out: AlignedStep[] = [];
  const lastL = Math.max(0, left.frames.length - 1);
  const lastR = Math.max(0, right.frames.length - 1);
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const [la, lb] = a[k] ?? [lastL, lastL + 1];
    const [ra, rb] = b[k] ?? [lastR, lastR + 1];
    const len = Math.max(lb - la, rb - ra, 1);
    for (let j = 0; j < len; j++)
      out.push({
        left: Math.min(la + j, Math.max(la, lb - 1), lastL),
        right: Math.min(ra + j, Math.max(ra, rb - 1), lastR),
        op: k - 1,
      });
  }
  return out;
}

/** What one stage shows at a frame; every field is compared with the other side. */
export interface StageView {
  caption: string;
  rings: string;
  /** Each request: `#user_data lane (state)`. */
  lanes: string[];
  /** The followed request's PDU bytes (hex), or ''. */
  pdu: string;
  /** `file:line` and the line's text, or the upstream function when the step has no driver line. */
  code: string;
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

export function stageView(side: ReviewSide, i: number): StageView {
  const f = side.frames[i];
  const m = side.models[i];
  if (!f || !m) return { caption: '', rings: '', lanes: [], pdu: '', code: '' };
  const r = f.ring;
  const rings = `SQ head ${r.sqHead} tail ${r.sqTail} · CQ head ${r.cqHead} tail ${r.cqTail}${m.overflow.length ? ` · ${m.overflow.length} on the overflow list` : ''}`;
  const lanes = m.reqs.map((t) => `#${t.userData} ${t.lane} (${t.state.replace('_', ' ')})`);
  const focus = m.reqs.find((t) => t.serial === m.focus);
  const view = focus ? r.reqs.find((q) => q.serial === focus.serial) : undefined;
  const pdu = view ? hex(view.pdu.slice(0, 16)) : '';
  let code = '';
  const e = m.codeEvent;
  if (e && e.srcFile) {
    const path = sourcePath(e.srcFile);
    const line = path ? sourceText(path)?.split('\n')[e.srcLine - 1]?.trim() : undefined;
    code = `${path ?? `file ${e.srcFile}`}:${e.srcLine}${line ? `  ${line}` : ''}`;
  }
  return { caption: m.caption, rings, lanes, pdu, code };
}

/** Fields of the two views that differ. */
export function differingFields(a: StageView, b: StageView): Set<keyof StageView> {
  const out = new Set<keyof StageView>();
  for (const k of ['caption', 'rings', 'lanes', 'pdu', 'code'] as const) {
    const x = a[k];
    const y = b[k];
    if ((Array.isArray(x) ? x.join('|') : x) !== (Array.isArray(y) ? y.join('|') : y)) out.add(k);
  }
  return out;
}

/** The fragment of a review permalink. */
export function reviewFragment(id: string, at: number): string {
  return `#review=${encodeURIComponent(id)}&at=${at}`;
}

/** Reads a review permalink fragment, or null if the fragment is not one. */
export function readReviewFragment(hash: string): { id: string; at: number } | { error: string } | null {
  const h = hash.replace(/^#/, '');
  if (!h.startsWith('review=')) return null;
  const q = new URLSearchParams(h);
  const id = q.get('review') ?? '';
  const at = q.get('at') ?? '0';
  if (!/^[a-z0-9+-]{1,80}$/.test(id))
    return { error: `the comparison (review=) is not a comparison id: "${id.slice(0, 40)}"` };
  if (!/^\d{1,6}$/.test(at))
    return { error: `the step (at=) must be a non-negative integer, found "${at.slice(0, 20)}"` };
  return { id, at: Number(at) };
}
