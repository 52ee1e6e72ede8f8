/**
 * The embed postMessage API: what a host page may send to an embedded Ringside (an iframe) and
 * what it receives back. Messages are plain objects with a `type` starting with `ringside:`.
 *
 * Host → embed: `{type:'ringside:step'}` (one step forward), `{type:'ringside:back'}`,
 * `{type:'ringside:play'}`, `{type:'ringside:pause'}`, `{type:'ringside:seek', step: N}`,
 * `{type:'ringside:get-state'}`.
 * Embed → host: `{type:'ringside:ready', ...state}` once the scenario is loaded, then
 * `{type:'ringside:state', step, total, from, to, playing, chapter, caption, scenario}` after every
 * change, and `{type:'ringside:error', error}` for a refused message.
 *
 * Only messages from the embedding window are accepted, and when the embed URL names an origin
 * (`origin=https://docs.example`) only from that origin, and events are posted to that origin
 * only. Anything else is ignored silently. An `origin=` that is not a bare origin turns the API
 * off rather than opening it to everyone.
 */

export type EmbedCommand =
  | { type: 'ringside:step' }
  | { type: 'ringside:back' }
  | { type: 'ringside:play' }
  | { type: 'ringside:pause' }
  | { type: 'ringside:seek'; step: number }
  | { type: 'ringside:get-state' };

export interface EmbedStateEvent {
  type: 'ringside:state' | 'ringside:ready';
  /** The scenario's id. */
  scenario: string;
  /** The frame on screen, and the last frame of the run. */
  step: number;
  total: number;
  /** The step range the embed plays (`from=`, `to=`). */
  from: number;
  to: number;
  playing: boolean;
  /** The chapter the step is in (its title), if any. */
  chapter: string | null;
  /** The step's caption. */
  caption: string;
}

/** Who may drive the embed: anyone who embeds it, one origin, or nobody (a malformed `origin=`). */
export type OriginPolicy = { kind: 'any' } | { kind: 'only'; origin: string } | { kind: 'invalid'; value: string };

/** Reads the `origin=` embed parameter as a policy. */
export function originPolicy(search: string): OriginPolicy {
  const raw = new URLSearchParams(search).get('origin');
  if (raw === null || raw === '') return { kind: 'any' };
  const o = allowedOriginFrom(search);
  return o ? { kind: 'only', origin: o } : { kind: 'invalid', value: raw.slice(0, 80) };
}

export type ParseResult = { ok: true; cmd: EmbedCommand } | { ok: false; error: string } | { ok: false; ignore: true };

const SIMPLE = new Set(['ringside:step', 'ringside:back', 'ringside:play', 'ringside:pause', 'ringside:get-state']);

/** Parses one message's data. Non-Ringside messages are ignored; malformed Ringside ones are errors. */
export function parseEmbedCommand(data: unknown): ParseResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, ignore: true };
  const d = data as Record<string, unknown>;
  if (typeof d.type !== 'string' || !d.type.startsWith('ringside:')) return { ok: false, ignore: true };
  if (SIMPLE.has(d.type)) return { ok: true, cmd: { type: d.type } as EmbedCommand };
  if (d.type === 'ringside:seek') {
    if (typeof d.step !== 'number' || !Number.isInteger(d.step) || d.step < 0 || d.step > 1e9) {
      return { ok: false, error: 'ringside:seek needs "step", a non-negative integer' };
    }
    return { ok: true, cmd: { type: 'ringside:seek', step: d.step } };
  }
  return { ok: false, error: `unknown message type ${JSON.stringify(d.type).slice(0, 60)}` };
}

/** Whether a message event may be acted on: it comes from the parent and, if set, the allowed origin. */
export function acceptSource(
  ev: { source: unknown; origin: string },
  parent: unknown,
  allowedOrigin: string | null,
): boolean {
  if (ev.source !== parent || parent === null || parent === undefined) return false;
  return allowedOrigin === null || ev.origin === allowedOrigin;
}

/** Reads the `origin=` embed parameter; anything that is not a bare origin is refused (null). */
export function allowedOriginFrom(search: string): string | null {
  const o = new URLSearchParams(search).get('origin');
  if (!o) return null;
  try {
    const u = new URL(o);
    return u.origin === o && (u.protocol === 'https:' || u.protocol === 'http:') ? o : null;
  } catch {
    return null;
  }
}
