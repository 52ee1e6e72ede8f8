/**
 * The embed: one scenario in an iframe, with a step range, autoplay and loop, and the
 * postMessage API of share/embedApi.ts.
 *
 * Options (query): `s=<scenario id>` (or a permalink in the fragment, which may carry an edited
 * or sandbox scenario), `from=`, `to=` (the step range), `autoplay=1`, `loop=1`, `speed=<steps
 * per second>`, `theme=light|dark|projector`, `title=<text>`, `panels=rings,lanes,state,bytes,code,log`,
 * `origin=<host origin>` (only that origin may drive the embed and hear its events), `quiz=0`
 * (no predict-then-reveal questions; they are asked only when stepping by hand, never in
 * autoplay). Malformed values are ignored, and the embed lists them in a visible message.
 *
 * Playback here is the embed's own: it stays inside the range and loops when asked to. Keys are
 * heard only while the embed has focus (the host page keeps its keys).
 */
import {
  type EmbedStateEvent,
  type OriginPolicy,
  acceptSource,
  originPolicy,
  parseEmbedCommand,
} from '../share/embedApi';
import { type Panel, PANELS } from '../share/permalink';
import { THEMES, type Theme, seek, selChapterIndex, simStore } from '../store';
import { askBefore } from '../store/quiz';

export interface EmbedOptions {
  scenario: string | null;
  from: number;
  to: number | null;
  autoplay: boolean;
  loop: boolean;
  speed: number;
  theme: Theme | null;
  title: string | null;
  panels: Panel[] | null;
  origin: OriginPolicy;
  /** Predict-then-reveal questions when stepping by hand (`quiz=0` turns them off). */
  quiz: boolean;
  /** What was wrong with the parameters (each ignored in favour of its default), for a visible message. */
  problems: string[];
}

const int = (v: string | null) => (v !== null && /^\d{1,9}$/.test(v) ? Number(v) : null);
const flag = (v: string | null) => v === '1' || v === 'true' || v === '';

/**
 * Reads the embed options from the query. Unknown or malformed values fall back to defaults,
 * and each one is listed in `problems` so the embed can say what it ignored.
 */
export function parseEmbedOptions(search: string): EmbedOptions {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const bad = (key: string, want: string) =>
    problems.push(`${key}=${JSON.stringify((q.get(key) ?? '').slice(0, 40))} is not ${want}; ignored.`);
  const theme = q.get('theme');
  const speedRaw = q.get('speed');
  const speed = Number(speedRaw);
  const panelList = q.get('panels')?.split(',').filter(Boolean) ?? null;
  const panels = panelList?.filter((p): p is Panel => (PANELS as readonly string[]).includes(p)) ?? null;
  const unknownPanels = panelList?.filter((p) => !(PANELS as readonly string[]).includes(p)) ?? [];
  const s = q.get('s');
  const num = (key: string) => {
    const v = q.get(key);
    if (v === null) return null;
    const n = int(v);
    if (n === null) bad(key, 'a step number (0, 1, 2, …)');
    return n;
  };
  const from = num('from');
  const to = num('to');
  if (s !== null && !(s && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s)))
    bad('s', 'a scenario id (lowercase words joined by dashes)');
  if (speedRaw !== null && !(Number.isFinite(speed) && speed >= 0.25 && speed <= 50))
    bad('speed', 'a speed from 0.25 to 50 steps per second');
  if (theme !== null && !(THEMES as readonly string[]).includes(theme)) bad('theme', `one of ${THEMES.join(', ')}`);
  if (unknownPanels.length)
    problems.push(
      `panels=: ${unknownPanels.map((p) => JSON.stringify(p.slice(0, 20))).join(', ')} ${unknownPanels.length > 1 ? 'are not panels' : 'is not a panel'} (panels are ${PANELS.join(', ')}); ignored.`,
    );
  for (const key of ['autoplay', 'loop', 'quiz']) {
    const v = q.get(key);
    if (v !== null && !['', '0', '1', 'true', 'false'].includes(v)) bad(key, '1 or 0');
  }
  if (from !== null && to !== null && to < from)
    problems.push(`to=${to} comes before from=${from}; the range ends at from.`);
  const quiz = q.get('quiz');
  return {
    scenario: s && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s) ? s : null,
    from: from ?? 0,
    to,
    autoplay: q.has('autoplay') && flag(q.get('autoplay')),
    loop: q.has('loop') && flag(q.get('loop')),
    speed: Number.isFinite(speed) && speed >= 0.25 && speed <= 50 ? speed : 2,
    theme: theme && (THEMES as readonly string[]).includes(theme) ? (theme as Theme) : null,
    title: q.get('title')?.slice(0, 200) || null,
    panels: panels && panels.length ? panels : null,
    origin: originPolicy(search),
    quiz: !(quiz === '0' || quiz === 'false'),
    problems,
  };
}

/** Problems with the step range once the run's length is known. */
export function rangeProblems(o: Pick<EmbedOptions, 'from' | 'to'>, last: number): string[] {
  const out: string[] = [];
  if (o.from > last) out.push(`from=${o.from} is past the last step (${last}); the embed starts at step ${last}.`);
  if (o.to !== null && o.to > last)
    out.push(`to=${o.to} is past the last step (${last}); the range ends at step ${last}.`);
  return out;
}

/** The embed's step range within the run on screen. */
export function rangeOf(o: Pick<EmbedOptions, 'from' | 'to'>, last: number): { from: number; to: number } {
  const from = Math.min(o.from, last);
  const to = Math.max(from, Math.min(o.to ?? last, last));
  return { from, to };
}

/** The player: steps, plays and loops inside the range. */
export class EmbedPlayer {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly opts: EmbedOptions) {}

  range(): { from: number; to: number } {
    return rangeOf(this.opts, Math.max(0, simStore.getState().frames.length - 1));
  }

  seek(i: number): void {
    const { from, to } = this.range();
    seek(Math.max(from, Math.min(to, i)));
  }

  /**
   * One step. By hand (`ask`: the embed's Next button and keys), a checkpoint on the next step
   * asks first (unless `quiz=0`); the host's `ringside:step` just steps.
   */
  step(ask = false): void {
    const next = simStore.getState().cursor + 1;
    if (ask && next <= this.range().to && askBefore(next)) return;
    this.seek(next);
  }

  back(): void {
    this.seek(simStore.getState().cursor - 1);
  }

  play(): void {
    if (this.timer) return;
    const { from, to } = this.range();
    if (simStore.getState().cursor >= to) this.seek(from);
    simStore.setState({ playing: true });
    this.timer = setInterval(() => this.tick(), Math.max(1000 / this.opts.speed, 20));
  }

  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (simStore.getState().playing) simStore.setState({ playing: false });
  }

  toggle(): void {
    if (this.timer) this.pause();
    else this.play();
  }

  private tick(): void {
    const s = simStore.getState();
    const { from, to } = this.range();
    if (s.panic) return this.pause();
    if (s.cursor >= to) {
      if (this.opts.loop) this.seek(from);
      else this.pause();
      return;
    }
    this.seek(s.cursor + 1);
    if (simStore.getState().cursor >= to && !this.opts.loop) this.pause();
  }

  /** The state event the host receives. */
  state(type: EmbedStateEvent['type'] = 'ringside:state'): EmbedStateEvent {
    const s = simStore.getState();
    const { from, to } = this.range();
    return {
      type,
      scenario: s.base?.id ?? '',
      step: s.cursor,
      total: Math.max(0, s.frames.length - 1),
      from,
      to,
      playing: s.playing,
      chapter: s.chapters[selChapterIndex(s)]?.title ?? null,
      caption: s.models[s.cursor]?.caption ?? '',
    };
  }
}

/**
 * Connects the player to the host page: commands in (from the parent window and the allowed
 * origin only), state events out after every change. Returns the function that disconnects.
 */
export function connectHost(player: EmbedPlayer, win: Window = window): () => void {
  const parent = win.parent !== win ? win.parent : null;
  const policy = player.opts.origin;
  if (!parent || policy.kind === 'invalid') return () => {};
  const allowed = policy.kind === 'only' ? policy.origin : null;
  const post = (m: unknown) => {
    try {
      parent.postMessage(m, allowed ?? '*');
    } catch {
      // The host went away.
    }
  };
  const onMessage = (ev: MessageEvent) => {
    if (!acceptSource(ev, parent, allowed)) return;
    const r = parseEmbedCommand(ev.data);
    if (!r.ok) {
      if (!('ignore' in r)) post({ type: 'ringside:error', error: r.error });
      return;
    }
    switch (r.cmd.type) {
      case 'ringside:step':
        player.step();
        break;
      case 'ringside:back':
        player.back();
        break;
      case 'ringside:play':
        player.play();
        break;
      case 'ringside:pause':
        player.pause();
        break;
      case 'ringside:seek':
        player.seek(r.cmd.step);
        break;
      case 'ringside:get-state':
        post(player.state());
        break;
    }
  };
  win.addEventListener('message', onMessage);
  let last = '';
  const unsub = simStore.subscribe((s, prev) => {
    if (s.status !== 'ready' || (s.cursor === prev.cursor && s.playing === prev.playing && s.frames === prev.frames))
      return;
    const st = player.state();
    const key = `${st.step}/${st.total}/${st.playing}`;
    if (key === last) return;
    last = key;
    post(st);
  });
  post(player.state('ringside:ready'));
  return () => {
    unsub();
    win.removeEventListener('message', onMessage);
  };
}
