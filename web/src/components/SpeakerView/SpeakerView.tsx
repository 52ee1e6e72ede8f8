/**
 * The speaker view: a second window that follows the presenting window over a BroadcastChannel
 * (share/presenterSync.ts) and shows the chapter, its notes, this step's caption and the next
 * step's, a clock, and buttons (and the clicker keys) that move the presentation.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { CHANNEL_NAME, type ChannelLike, type PresenterMessage, connectPresenter } from '../../share/presenterSync';

type Position = Extract<PresenterMessage, { type: 'position' }>;
type Command = Extract<PresenterMessage, { type: 'command' }>['command'];

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function SpeakerViewComponent({ channel }: { channel?: () => ChannelLike }) {
  const [pos, setPos] = useState<Position | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [start] = useState(() => Date.now());
  const send = useRef<(m: PresenterMessage) => void>(() => {});
  useEffect(() => {
    const ch = channel
      ? channel()
      : typeof BroadcastChannel !== 'undefined'
        ? new BroadcastChannel(CHANNEL_NAME)
        : null;
    if (!ch) return;
    const link = connectPresenter(ch, (m) => {
      if (m.type === 'position') setPos(m);
    });
    send.current = link.send;
    link.send({ type: 'hello' });
    return () => link.close();
  }, [channel]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const cmd: Command | null = ['PageDown', 'ArrowRight', 'ArrowDown', ' '].includes(e.key)
        ? 'next'
        : ['PageUp', 'ArrowLeft', 'ArrowUp'].includes(e.key)
          ? 'prev'
          : e.key === 'Home'
            ? 'first'
            : e.key === 'End'
              ? 'last'
              : null;
      if (!cmd) return;
      e.preventDefault();
      send.current({ type: 'command', command: cmd });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const post = (command: Command) => send.current({ type: 'command', command });
  return (
    <div className="speaker-view" data-testid="speaker-view">
      <header className="sv-head">
        <h1>Speaker view</h1>
        <span className="sv-clock" title="Time since this window opened">
          {elapsed(now - start)}
        </span>
      </header>
      {!pos ? (
        <p className="muted" role="status">
          Waiting for the presenting window: press Present in Ringside (same browser).
        </p>
      ) : (
        <>
          <p className="sv-where" data-testid="sv-where">
            {pos.scenario} · step <b data-testid="sv-step">{pos.step}</b> of {pos.total}
            {pos.chapter > 0 && pos.chapterTitle ? ` · chapter ${pos.chapter}: ${pos.chapterTitle}` : ''}
          </p>
          <section className="sv-notes" aria-label="Notes">
            <h2>Notes</h2>
            <p data-testid="sv-notes">{pos.notes ?? 'No notes for this chapter.'}</p>
          </section>
          <section className="sv-now" aria-label="This step">
            <h2>Now</h2>
            <p data-testid="sv-caption">{pos.caption ?? ''}</p>
          </section>
          <section className="sv-next" aria-label="Next step">
            <h2>Next</h2>
            <p data-testid="sv-next">{pos.nextCaption ?? 'This is the last step.'}</p>
          </section>
        </>
      )}
      <nav className="sv-buttons" aria-label="Move the presentation">
        <button type="button" onClick={() => post('first')}>
          First
        </button>
        <button type="button" onClick={() => post('prev')}>
          Previous
        </button>
        <button type="button" className="sb-primary" onClick={() => post('next')}>
          Next
        </button>
        <button type="button" onClick={() => post('last')}>
          Last
        </button>
      </nav>
    </div>
  );
}

export const SpeakerView = memo(SpeakerViewComponent);
SpeakerView.displayName = 'SpeakerView';
