/**
 * Keeps a presenter's speaker view (a second window) in step with the main window over a
 * BroadcastChannel: the main window publishes where it is; the speaker view can ask it to move.
 */

export const CHANNEL_NAME = 'ringside-presenter';

export type PresenterMessage =
  /**
   * Where the presenting window is. `chapter` counts from 1 (0: before the first chapter);
   * `notes` are that chapter's speaker notes; `caption` is the step's, `nextCaption` the next's.
   */
  | {
      type: 'position';
      scenario: string;
      step: number;
      total: number;
      chapter: number;
      chapterTitle: string | null;
      notes: string | null;
      caption: string | null;
      nextCaption: string | null;
    }
  | { type: 'command'; command: 'next' | 'prev' | 'first' | 'last' | 'chapter'; chapter?: number }
  | { type: 'hello' };

/** Validates a message from the channel; anything malformed is dropped (null). */
export function parsePresenterMessage(d: unknown): PresenterMessage | null {
  if (typeof d !== 'object' || d === null) return null;
  const m = d as Record<string, unknown>;
  const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1e9;
  const strOrNull = (v: unknown) => v === null || (typeof v === 'string' && v.length <= 20_000);
  if (m.type === 'hello') return { type: 'hello' };
  if (m.type === 'position') {
    if (typeof m.scenario !== 'string' || !int(m.step) || !int(m.total) || !int(m.chapter)) return null;
    if (
      !strOrNull(m.chapterTitle) ||
      !strOrNull(m.notes) ||
      !strOrNull(m.nextCaption) ||
      !(m.caption === undefined || strOrNull(m.caption))
    )
      return null;
    return {
      type: 'position',
      scenario: m.scenario,
      step: m.step as number,
      total: m.total as number,
      chapter: m.chapter as number,
      chapterTitle: m.chapterTitle as string | null,
      notes: m.notes as string | null,
      caption: (m.caption as string | null | undefined) ?? null,
      nextCaption: m.nextCaption as string | null,
    };
  }
  if (m.type === 'command' && ['next', 'prev', 'first', 'last', 'chapter'].includes(m.command as string)) {
    if (m.command === 'chapter')
      return int(m.chapter) ? { type: 'command', command: 'chapter', chapter: m.chapter as number } : null;
    return { type: 'command', command: m.command as 'next' | 'prev' | 'first' | 'last' };
  }
  return null;
}

/** The minimal channel surface (BroadcastChannel, or a fake in tests). */
export interface ChannelLike {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
  removeEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
  close(): void;
}

/** Connects one window to the presenter channel; `onMessage` gets only well-formed messages. */
export function connectPresenter(channel: ChannelLike, onMessage: (m: PresenterMessage) => void) {
  const fn = (ev: { data: unknown }) => {
    const m = parsePresenterMessage(ev.data);
    if (m) onMessage(m);
  };
  channel.addEventListener('message', fn);
  return {
    send: (m: PresenterMessage) => channel.postMessage(m),
    close: () => {
      channel.removeEventListener('message', fn);
      channel.close();
    },
  };
}
