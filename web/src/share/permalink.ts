/**
 * Permalinks: everything needed to reproduce a screen, encoded compactly in the URL fragment.
 *
 * Format 1: `#p=1&s=<scenario id>&t=<step>&th=<theme>&pn=<panels>&r=<request>&b=<region>:<offset>`
 * plus `&x=<scenario>` (base64url of the scenario JSON) for edited or sandbox scenarios. Unknown
 * keys are ignored, so later versions can add keys; a link from a newer format is refused with a
 * reason instead of being misread. Decoding never throws: it returns what is wrong.
 */

export const PERMALINK_FORMAT = 1;
export const THEMES = ['light', 'dark', 'projector'] as const;
export type Theme = (typeof THEMES)[number];
export const PANELS = ['rings', 'lanes', 'state', 'bytes', 'code', 'timeline', 'log'] as const;
export type Panel = (typeof PANELS)[number];
export const BYTE_REGIONS = ['sqe', 'cqe', 'pdu', 'user'] as const;

export interface ShareState {
  /** Scenario id from the library (ignored when `scenario` is present). */
  scenarioId: string;
  /** An edited or sandbox scenario document, carried whole. */
  scenario?: unknown;
  step: number;
  theme: Theme;
  panels: Panel[];
  /** Selected request serial. */
  req?: number;
  /** Selected byte. */
  byte?: { region: (typeof BYTE_REGIONS)[number]; offset: number };
}

export type DecodeResult = { ok: true; state: ShareState } | { ok: false; error: string };

const MAX_SCENARIO_CHARS = 60_000;

function b64urlEncode(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function b64urlDecode(s: string): string {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Encodes a state as a URL fragment (with the leading `#`). */
export function encodePermalink(st: ShareState): string {
  const q = new URLSearchParams();
  q.set('p', String(PERMALINK_FORMAT));
  q.set('s', st.scenarioId);
  q.set('t', String(st.step));
  q.set('th', st.theme);
  q.set('pn', st.panels.join(','));
  if (st.req !== undefined) q.set('r', String(st.req));
  if (st.byte) q.set('b', `${st.byte.region}:${st.byte.offset}`);
  if (st.scenario !== undefined) q.set('x', b64urlEncode(JSON.stringify(st.scenario)));
  return `#${q.toString()}`;
}

/** Decodes a URL fragment (with or without `#`). Never throws. */
export function decodePermalink(hash: string): DecodeResult {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h.length > 200_000) return { ok: false, error: 'the link is too long (over 200000 characters)' };
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(h);
  } catch {
    return { ok: false, error: 'the link fragment is not in key=value form' };
  }
  const p = q.get('p');
  if (p === null) return { ok: false, error: 'the link has no format version (p=)' };
  if (!/^\d+$/.test(p)) return { ok: false, error: `the format version "${p}" is not a number` };
  if (Number(p) > PERMALINK_FORMAT) return { ok: false, error: `the link was made by a newer Ringside (format ${p}); this page reads format ${PERMALINK_FORMAT}` };
  if (Number(p) < 1) return { ok: false, error: `format ${p} does not exist; this page reads format ${PERMALINK_FORMAT}` };
  const s = q.get('s');
  if (!s || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s)) return { ok: false, error: `the scenario id (s=) is missing or malformed: "${s ?? ''}"` };
  const t = q.get('t') ?? '0';
  if (!/^\d{1,9}$/.test(t)) return { ok: false, error: `the step (t=) must be a non-negative integer, found "${t}"` };
  const th = q.get('th') ?? 'light';
  if (!(THEMES as readonly string[]).includes(th)) return { ok: false, error: `unknown theme (th=) "${th}"; expected one of ${THEMES.join(', ')}` };
  const pn = (q.get('pn') ?? PANELS.join(',')).split(',').filter(Boolean);
  const badPanel = pn.find((x) => !(PANELS as readonly string[]).includes(x));
  if (badPanel !== undefined) return { ok: false, error: `unknown panel (pn=) "${badPanel}"; expected some of ${PANELS.join(', ')}` };
  const st: ShareState = { scenarioId: s, step: Number(t), theme: th as Theme, panels: pn as Panel[] };
  const r = q.get('r');
  if (r !== null) {
    if (!/^\d{1,9}$/.test(r)) return { ok: false, error: `the request (r=) must be a serial number, found "${r}"` };
    st.req = Number(r);
  }
  const b = q.get('b');
  if (b !== null) {
    const m = /^(sqe|cqe|pdu|user):(\d{1,6})$/.exec(b);
    if (!m) return { ok: false, error: `the byte (b=) must look like pdu:4, found "${b}"` };
    st.byte = { region: m[1] as (typeof BYTE_REGIONS)[number], offset: Number(m[2]) };
  }
  const x = q.get('x');
  if (x !== null) {
    if (x.length > MAX_SCENARIO_CHARS) return { ok: false, error: `the embedded scenario (x=) is too large (${x.length} characters)` };
    if (!/^[A-Za-z0-9_-]*$/.test(x)) return { ok: false, error: 'the embedded scenario (x=) is not base64url' };
    try {
      st.scenario = JSON.parse(b64urlDecode(x));
    } catch {
      return { ok: false, error: 'the embedded scenario (x=) is not valid base64url-encoded JSON' };
    }
  }
  return { ok: true, state: st };
}
