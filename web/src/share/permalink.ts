/**
 * Permalinks: everything needed to reproduce a screen, encoded compactly in the URL fragment.
 *
 * Format 1: `#p=1&s=<scenario id>&t=<step>&th=<theme>&pn=<panels>&r=<request>&b=<region>:<offset>`
 * plus `&x=<scenario>` (base64url of the scenario JSON) for edited or sandbox scenarios, or the
 * same JSON compressed as `&z=<deflate-raw, base64url>` (what the app writes: a third to a fifth
 * of the length; read with {@link decodePermalinkAsync}), and
 * `&k=<steps,...>` for a sandbox session: the kernel steps run before the first operation of
 * the program and after each one (see `Schedule` in sim/controller.ts), so that the session is
 * replayed frame for frame instead of compiled. Unknown keys are ignored, so later versions can
 * add keys; a link from a newer format is refused with a reason instead of being misread.
 * Decoding never throws: it returns what is wrong.
 *
 * `pn` lists the panels on screen; of `bytes`, `code` and `log` (the inspector's tabs, one
 * shown at a time) it names the one in view. `b` names a byte of the bytes view: its region
 * (`sqe`, `cqe`, `pdu`, or `user-<buffer>`) and offset.
 */

export const PERMALINK_FORMAT = 1;
export const THEMES = ['light', 'dark', 'projector'] as const;
export type Theme = (typeof THEMES)[number];
export const PANELS = ['rings', 'lanes', 'state', 'bytes', 'code', 'timeline', 'log'] as const;
export type Panel = (typeof PANELS)[number];
export const BYTE_REGIONS = ['sqe', 'cqe', 'pdu', 'user'] as const;
/** A byte region: one of {@link BYTE_REGIONS}, or a user buffer as `user-<name>`. */
export type ByteRegion = (typeof BYTE_REGIONS)[number] | `user-${string}`;

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
  byte?: { region: ByteRegion; offset: number };
  /** A sandbox session's kernel steps around its operations (needs `scenario`). */
  schedule?: number[];
}

export type DecodeResult = { ok: true; state: ShareState } | { ok: false; error: string };

const MAX_SCENARIO_CHARS = 60_000;
const MAX_SCHEDULE = 10_001;

function b64urlEncode(s: string): string {
  return b64urlFromBytes(new TextEncoder().encode(s));
}

function b64urlFromBytes(bytes: Uint8Array): string {
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

/**
 * Encodings of a document or schedule, kept per object: the address bar is rewritten after
 * every seek, and a long sandbox session's program and schedule only change when it grows.
 */
const encMemo = new WeakMap<object, Partial<Record<'k' | 'x', string>>>();
const zMemo = new WeakMap<object, string>();
function memo(o: unknown, kind: 'k' | 'x', f: () => string): string {
  if (typeof o !== 'object' || o === null) return f();
  let m = encMemo.get(o);
  if (!m) encMemo.set(o, (m = {}));
  return (m[kind] ??= f());
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
  if (st.schedule !== undefined) q.set('k', (st.schedule as number[]).join(','));
  if (st.scenario !== undefined)
    q.set(
      'x',
      memo(st.scenario, 'x', () => b64urlEncode(JSON.stringify(st.scenario))),
    );
  return `#${q.toString()}`;
}

/** The largest scenario a compressed link may expand to. */
const MAX_INFLATED = 512 * 1024;

async function pipe(
  data: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  max: number,
): Promise<Uint8Array> {
  const out = new Response(new Blob([data as BlobPart]).stream().pipeThrough(stream)).body;
  if (!out) throw new Error('no stream');
  const reader = out.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel();
      throw new RangeError(`expands beyond ${max} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return all;
}

/** Whether this environment can write and read compressed links. */
export const canCompress = typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

/**
 * Encodes a state as a URL fragment with its scenario compressed (`z=`) when that is shorter;
 * without a scenario, or where compression is not available, the same as {@link encodePermalink}.
 */
export async function encodePermalinkCompact(st: ShareState): Promise<string> {
  if (st.scenario === undefined || !canCompress) return encodePermalink(st);
  const doc = st.scenario;
  const keep = typeof doc === 'object' && doc !== null;
  const z =
    (keep ? zMemo.get(doc) : undefined) ??
    b64urlFromBytes(
      await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream('deflate-raw'), Infinity),
    );
  if (keep) zMemo.set(doc, z);
  // The head (step, view) changes with every seek; the document's part is encoded once.
  const head = encodePermalink({ ...st, scenario: undefined, schedule: undefined });
  const k =
    st.schedule !== undefined ? `&k=${memo(st.schedule, 'k', () => (st.schedule as number[]).join('%2C'))}` : '';
  const x = memo(doc, 'x', () => b64urlEncode(JSON.stringify(doc)));
  return z.length < x.length ? `${head}${k}&z=${z}` : `${head}${k}&x=${x}`;
}

/** Decodes a URL fragment that may carry a compressed scenario (`z=`). Never throws (the promise never rejects). */
export async function decodePermalinkAsync(hash: string): Promise<DecodeResult> {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h.length > 200_000) return decodePermalink(h);
  const q = new URLSearchParams(h);
  const z = q.get('z');
  if (z === null) return decodePermalink(h);
  if (q.get('x') !== null) return { ok: false, error: 'the link carries its scenario twice (x= and z=)' };
  if (z.length > MAX_SCENARIO_CHARS)
    return { ok: false, error: `the compressed scenario (z=) is too large (${z.length} characters)` };
  if (!/^[A-Za-z0-9_-]*$/.test(z)) return { ok: false, error: 'the compressed scenario (z=) is not base64url' };
  if (!canCompress)
    return { ok: false, error: 'this browser cannot read a compressed scenario (z=): it lacks DecompressionStream' };
  let json: string;
  try {
    const bin = atob(z.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    json = new TextDecoder('utf-8', { fatal: true }).decode(
      await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_INFLATED),
    );
  } catch (e) {
    return {
      ok: false,
      error:
        e instanceof RangeError
          ? `the compressed scenario (z=) ${e.message}`
          : 'the compressed scenario (z=) is not valid deflate data',
    };
  }
  q.delete('z');
  q.set('x', b64urlEncode(json));
  return decodePermalink(q.toString());
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
  if (Number(p) > PERMALINK_FORMAT)
    return {
      ok: false,
      error: `the link was made by a newer Ringside (format ${p}); this page reads format ${PERMALINK_FORMAT}`,
    };
  if (Number(p) < 1)
    return { ok: false, error: `format ${p} does not exist; this page reads format ${PERMALINK_FORMAT}` };
  const s = q.get('s');
  if (!s || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s))
    return { ok: false, error: `the scenario id (s=) is missing or malformed: "${s ?? ''}"` };
  const t = q.get('t') ?? '0';
  if (!/^\d{1,9}$/.test(t)) return { ok: false, error: `the step (t=) must be a non-negative integer, found "${t}"` };
  const th = q.get('th') ?? 'light';
  if (!(THEMES as readonly string[]).includes(th))
    return { ok: false, error: `unknown theme (th=) "${th}"; expected one of ${THEMES.join(', ')}` };
  const pn = (q.get('pn') ?? PANELS.join(',')).split(',').filter(Boolean);
  const badPanel = pn.find((x) => !(PANELS as readonly string[]).includes(x));
  if (badPanel !== undefined)
    return { ok: false, error: `unknown panel (pn=) "${badPanel}"; expected some of ${PANELS.join(', ')}` };
  const st: ShareState = { scenarioId: s, step: Number(t), theme: th as Theme, panels: pn as Panel[] };
  const r = q.get('r');
  if (r !== null) {
    if (!/^\d{1,9}$/.test(r)) return { ok: false, error: `the request (r=) must be a serial number, found "${r}"` };
    st.req = Number(r);
  }
  const b = q.get('b');
  if (b !== null) {
    const m = /^(sqe|cqe|pdu|user|user-[a-z_][a-z0-9_]{0,31}):(\d{1,6})$/.exec(b);
    if (!m) return { ok: false, error: `the byte (b=) must look like pdu:4 or user-buf:0, found "${b.slice(0, 40)}"` };
    st.byte = { region: m[1] as ByteRegion, offset: Number(m[2]) };
  }
  const k = q.get('k');
  if (k !== null) {
    const parts = k.split(',');
    if (parts.length > MAX_SCHEDULE || !parts.every((x) => /^\d{1,7}$/.test(x)))
      return {
        ok: false,
        error: `the step schedule (k=) must be up to ${MAX_SCHEDULE} comma-separated step counts, found "${k.slice(0, 40)}"`,
      };
    if (q.get('x') === null && q.get('z') === null)
      return {
        ok: false,
        error: 'the step schedule (k=) needs the scenario it schedules (x= or z=), which the link lacks',
      };
    st.schedule = parts.map(Number);
  }
  if (q.get('z') !== null)
    return { ok: false, error: 'the link carries a compressed scenario (z=), which needs decodePermalinkAsync' };
  const x = q.get('x');
  if (x !== null) {
    if (x.length > MAX_SCENARIO_CHARS)
      return { ok: false, error: `the embedded scenario (x=) is too large (${x.length} characters)` };
    if (!/^[A-Za-z0-9_-]*$/.test(x)) return { ok: false, error: 'the embedded scenario (x=) is not base64url' };
    try {
      st.scenario = JSON.parse(b64urlDecode(x));
    } catch {
      return { ok: false, error: 'the embedded scenario (x=) is not valid base64url-encoded JSON' };
    }
  }
  return { ok: true, state: st };
}
