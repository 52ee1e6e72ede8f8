/**
 * Running text with its kernel terms marked: each term (first occurrence per text) is a
 * focusable span described by its glossary definition (aria-describedby points at the hidden
 * definition list that `GlossaryLayer` renders once), and the layer shows the definition as a
 * tooltip on hover and focus. The text content is unchanged, so captions still read and test
 * the same. Identifiers with a hyphen (->uring_cmd(), -EIOCBQUEUED) never break at it.
 */
import { Fragment, memo, useEffect, useState } from 'react';
import './learn.css';
import { GLOSSARY, glossaryEntry, splitTerms } from './glossary';

function pieces(text: string, seen: Set<string>, key: string) {
  return splitTerms(text, true, seen).map((p, i) =>
    p.term ? (
      <span
        key={`${key}-${i}`}
        className="term"
        tabIndex={0}
        data-term={p.term.id}
        aria-describedby={`gl-${p.term.id}`}
      >
        {p.text}
      </span>
    ) : (
      <Fragment key={`${key}-${i}`}>{p.text}</Fragment>
    ),
  );
}

export const GlossaryText = memo(function GlossaryText({ text }: { text: string }) {
  const seen = new Set<string>();
  // Words with a hyphen (->uring_cmd(), -EIOCBQUEUED:) stay whole; terms are marked inside them too.
  return (
    <>
      {text.split(/(\S*-\S*)/).map((part, i) =>
        i % 2 ? (
          <span key={i} className="nowrap">
            {pieces(part, seen, String(i))}
          </span>
        ) : (
          <Fragment key={i}>{pieces(part, seen, String(i))}</Fragment>
        ),
      )}
    </>
  );
});

interface Tip {
  id: string;
  x: number;
  y: number;
  below: boolean;
}

/**
 * Mounted once per page: the definitions every term points at, and the one tooltip. Hover or
 * focus on any `[data-term]` element shows its definition next to it; Escape, blur or moving
 * away hides it.
 */
export function GlossaryLayer() {
  const [tip, setTip] = useState<Tip | null>(null);
  useEffect(() => {
    const show = (ev: Event) => {
      const el = (ev.target as Element | null)?.closest?.('[data-term]');
      if (!el) return;
      const id = el.getAttribute('data-term') ?? '';
      const r = el.getBoundingClientRect();
      const below = r.top < 160;
      setTip({
        id,
        x: Math.max(8, Math.min(r.left, window.innerWidth - 368)),
        y: below ? r.bottom + 6 : r.top - 6,
        below,
      });
    };
    const hide = (ev: Event) => {
      const el = (ev.target as Element | null)?.closest?.('[data-term]');
      if (el) setTip(null);
    };
    const key = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape') setTip(null);
    };
    document.addEventListener('mouseover', show);
    document.addEventListener('focusin', show);
    document.addEventListener('mouseout', hide);
    document.addEventListener('focusout', hide);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('mouseover', show);
      document.removeEventListener('focusin', show);
      document.removeEventListener('mouseout', hide);
      document.removeEventListener('focusout', hide);
      document.removeEventListener('keydown', key);
    };
  }, []);
  const entry = tip ? glossaryEntry(tip.id) : undefined;
  return (
    <>
      <div hidden>
        {GLOSSARY.map((g) => (
          <span key={g.id} id={`gl-${g.id}`}>
            {g.def}
          </span>
        ))}
      </div>
      {tip && entry && (
        <div
          role="tooltip"
          className="glossary-tip"
          data-testid="glossary-tip"
          style={{ left: tip.x, top: tip.y, transform: tip.below ? undefined : 'translateY(-100%)' }}
        >
          <b>{entry.term}</b>: {entry.def}
        </div>
      )}
    </>
  );
}
