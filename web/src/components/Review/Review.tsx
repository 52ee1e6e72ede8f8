/**
 * Review mode: the same program side by side under two settings (the RFC v3 and v5 APIs, or v3
 * without and with patch 2/5), each on its own core. A table lists every request with the
 * fields that differ highlighted (completion path, PDU zeroing, sanitizer reports), and a walk
 * through the program shows what each side did for each operation.
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { type Comparison, type ReviewSide, SUMMARY_FIELDS, type SimState, comparisons, diffRows, runComparison, sessionDocument, setPage, useSim } from '../../store';
import { kernelProfile } from '../../scenario/format';

const selReview = (s: SimState) => s.review;

function captionsOf(side: ReviewSide, op: number): string[] {
  const from = side.opFrames[op] ?? side.frames.length;
  const to = side.opFrames[op + 1] ?? side.frames.length;
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const c = side.models[i]?.caption;
    if (c && out[out.length - 1] !== c) out.push(c);
  }
  return out;
}

function Walk({ left, right, labels }: { left: ReviewSide; right: ReviewSide; labels: [string, string] }) {
  const ops = Math.max(left.opFrames.length, right.opFrames.length);
  const [op, setOp] = useState(0);
  const a = captionsOf(left, op);
  const b = captionsOf(right, op);
  const note = left.scenario.program[op]?.note ?? right.scenario.program[op]?.note;
  const opName = left.scenario.program[op]?.op ?? right.scenario.program[op]?.op ?? '';
  return (
    <section className="review-walk" aria-label="Walk through the program">
      <div className="rw-bar">
        <button type="button" onClick={() => setOp(Math.max(0, op - 1))} disabled={op === 0} aria-label="Previous operation">
          ‹
        </button>
        <label>
          operation <b data-testid="review-op">{op + 1}</b> of {ops}: <code>{opName}</code>
          <input type="range" min={0} max={Math.max(0, ops - 1)} value={op} onChange={(e) => setOp(Number(e.target.value))} aria-label="Program operation" />
        </label>
        <button type="button" onClick={() => setOp(Math.min(ops - 1, op + 1))} disabled={op >= ops - 1} aria-label="Next operation">
          ›
        </button>
      </div>
      {note && <p className="rw-note">{note}</p>}
      <div className="rw-cols">
        {[
          [a, b, labels[0]],
          [b, a, labels[1]],
        ].map(([mine, theirs, label]) => (
          <ol key={label as string} className="rw-steps" aria-label={label as string}>
            {(mine as string[]).map((c, i) => (
              <li key={i} className={(theirs as string[]).includes(c) ? undefined : 'diff'}>
                {c}
              </li>
            ))}
          </ol>
        ))}
      </div>
    </section>
  );
}

function Result({ cmp }: { cmp: Comparison }) {
  const review = useSim(selReview);
  if (!review || review.id !== cmp.id || review.status === 'running') return <p role="status">Running both sides…</p>;
  if (review.status === 'error' || !review.left || !review.right) return <p role="alert">This comparison could not run: {review.error}</p>;
  const { left, right } = review;
  const rows = diffRows(left.summary, right.summary);
  const nDiff = rows.filter((r) => r.differs.size > 0).length;
  return (
    <>
      <div className="review-sides">
        {[
          [left, cmp.leftLabel],
          [right, cmp.rightLabel],
        ].map(([side, label]) => {
          const sd = side as ReviewSide;
          return (
            <div key={label as string} className="review-side" data-testid="review-side">
              <h3>
                {label as string} <span className="badge">API {sd.scenario.api}</span> <span className="badge">Linux {kernelProfile(sd.scenario)}</span>
              </h3>
              <p className="muted">
                {(sd.scenario.devices ?? []).map((d) => d.driver).join(', ') || 'no devices'} · {sd.frames.length - 1} steps
                {sd.scenario.config?.patch2_zero_pdu ? ' · patch 2/5' : ''}
              </p>
              {sd.error ? (
                <p role="alert">Could not run: {sd.error}</p>
              ) : (
                <p className={sd.sanitizers.length ? 'review-san review-san-alarm' : 'review-san'}>{sd.sanitizers.length ? `Sanitizer reports: ${sd.sanitizers.map((x) => x.replace('sanitizer_', '')).join(', ')}` : 'No sanitizer report.'}</p>
              )}
            </div>
          );
        })}
      </div>
      <p className="review-count" data-testid="review-count">
        {nDiff === 0 ? 'Every request ends the same way on both sides.' : `${nDiff} of ${rows.length} requests differ.`}
      </p>
      <table className="review-table">
        <thead>
          <tr>
            <th scope="col">user_data</th>
            <th scope="col">field</th>
            <th scope="col">{cmp.leftLabel}</th>
            <th scope="col">{cmp.rightLabel}</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((r) =>
            SUMMARY_FIELDS.map((f, i) => (
              <tr key={`${r.key}-${f.key}`} className={r.differs.has(f.key) ? 'diff' : undefined} data-field={f.key}>
                {i === 0 && (
                  <th scope="rowgroup" rowSpan={SUMMARY_FIELDS.length}>
                    #{r.key}
                  </th>
                )}
                <td>{f.label}</td>
                <td>{r.left?.[f.key] ?? '—'}</td>
                <td>
                  {r.right?.[f.key] ?? '—'}
                  {r.differs.has(f.key) && <span className="diff-mark" aria-label="differs"> ≠</span>}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <Walk left={left} right={right} labels={[cmp.leftLabel, cmp.rightLabel]} />
    </>
  );
}

function ReviewComponent() {
  const mode = useSim((s) => s.mode);
  const session = useMemo(() => (mode ? (sessionDocument()?.scenario ?? null) : null), [mode]);
  const list = useMemo(() => comparisons(session), [session]);
  const review = useSim(selReview);
  const [id, setId] = useState(() => review?.id ?? list.find((c) => c.id !== 'session')?.id ?? list[0]?.id ?? '');
  const cmp = list.find((c) => c.id === id) ?? list[0];
  useEffect(() => {
    if (cmp && (review?.id !== cmp.id || review.status === 'error')) void runComparison(cmp);
    // Run when the choice changes only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cmp?.id]);
  return (
    <section className="page review-page" aria-labelledby="review-title">
      <header className="page-head">
        <h2 id="review-title">Review: one program, two APIs</h2>
        <p>
          The same userspace program runs twice, each on its own instance of the simulator, against the RFC v3 sample driver and against its v5 successor (or v3 without and with patch 2/5). Rows where the two runs differ are highlighted: how the issue returned, where <code>done()</code> ran and the CQE was posted, whether the PDU was zeroed, and what the sanitizers reported.
        </p>
        <label className="review-pick">
          Comparison{' '}
          <select value={cmp?.id ?? ''} onChange={(e) => setId(e.target.value)}>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id === 'session' ? `This session: ${c.title}` : c.title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setPage('main')}>
          Close review
        </button>
      </header>
      {cmp ? <Result cmp={cmp} /> : <p>No scenario runs under both generations.</p>}
    </section>
  );
}

export const Review = memo(ReviewComponent);
Review.displayName = 'Review';
