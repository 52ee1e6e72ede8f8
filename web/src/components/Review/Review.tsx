/**
 * Review mode: the same program side by side under two settings (the RFC v3 and v5 APIs, or v3
 * without and with patch 2/5), each on its own core. A table lists every request with the
 * fields that differ highlighted (completion path, PDU zeroing, sanitizer reports), and a walk
 * through the program shows what each side did for each operation.
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { GlossaryText } from '../../learn/GlossaryText';
import { type AlignedStep, type StageView, alignSteps, differingFields, stageView } from '../../learn/reviewStages';
import {
  type Comparison,
  type ReviewSide,
  SUMMARY_FIELDS,
  type SimState,
  comparisons,
  diffRows,
  runComparison,
  sessionDocument,
  setPage,
  simStore,
  useSim,
} from '../../store';
import { kernelProfile } from '../../scenario/format';

const selReview = (s: SimState) => s.review;

const FIELD_LABELS: Record<keyof StageView, string> = {
  caption: 'What happens',
  rings: 'Rings',
  lanes: 'Lanes',
  pdu: 'PDU bytes',
  code: 'Code',
};

/** One stage: what a side shows at its frame of the aligned step, differences marked. */
function Stage({
  side,
  frame,
  view,
  diff,
  label,
}: {
  side: ReviewSide;
  frame: number;
  view: StageView;
  diff: Set<keyof StageView>;
  label: string;
}) {
  return (
    <section className="review-stage" aria-label={label} data-testid="review-stage">
      <h4>
        {label} <span className="muted">step {frame}</span>
        {side.frames[frame]?.events.some((e) => e.event.startsWith('sanitizer_')) && (
          <span className="review-san-alarm"> sanitizer report</span>
        )}
      </h4>
      <dl>
        {(Object.keys(FIELD_LABELS) as (keyof StageView)[]).map((k) => {
          const v = view[k];
          return (
            <div
              key={k}
              className={diff.has(k) ? 'rs-row diff' : 'rs-row'}
              data-field={k}
              data-differs={diff.has(k) ? 'true' : undefined}
            >
              <dt>
                {FIELD_LABELS[k]}
                {diff.has(k) && (
                  <span className="diff-mark" aria-label="differs">
                    {' '}
                    ≠
                  </span>
                )}
              </dt>
              <dd className={k === 'pdu' || k === 'code' ? 'mono' : undefined}>
                {Array.isArray(v) ? (
                  v.length ? (
                    <ul>
                      {v.map((x) => (
                        <li key={x}>{x}</li>
                      ))}
                    </ul>
                  ) : (
                    '—'
                  )
                ) : k === 'caption' ? (
                  <GlossaryText text={v || '—'} />
                ) : (
                  v || '—'
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

/** Both runs as two stages in step: one cursor over the aligned steps, differences highlighted. */
function Stages({ left, right, labels }: { left: ReviewSide; right: ReviewSide; labels: [string, string] }) {
  const steps = useMemo(() => alignSteps(left, right), [left, right]);
  const at = Math.min(
    useSim((s) => s.reviewAt),
    Math.max(0, steps.length - 1),
  );
  const pair = steps[at] ?? { left: 0, right: 0, op: -1 };
  const a = stageView(left, pair.left);
  const b = stageView(right, pair.right);
  const diff = differingFields(a, b);
  const go = (n: number) => simStore.setState({ reviewAt: Math.max(0, Math.min(steps.length - 1, n)) });
  const next = (dir: 1 | -1) => {
    for (let i = at + dir; i >= 0 && i < steps.length; i += dir) {
      const p = steps[i] as AlignedStep;
      if (differingFields(stageView(left, p.left), stageView(right, p.right)).size) return go(i);
    }
  };
  const op = pair.op >= 0 ? (left.scenario.program[pair.op] ?? right.scenario.program[pair.op]) : undefined;
  return (
    <section className="review-walk" aria-label="Both runs, in step" data-testid="review-stages">
      <div className="rw-bar">
        <button type="button" onClick={() => go(at - 1)} disabled={at === 0} aria-label="Previous step">
          ‹
        </button>
        <label>
          step <b data-testid="review-at">{at}</b> of {steps.length - 1} · {op ? <code>{op.op}</code> : 'setup'}
          <input
            type="range"
            min={0}
            max={Math.max(0, steps.length - 1)}
            value={at}
            onChange={(e) => go(Number(e.target.value))}
            aria-label="Aligned step"
          />
        </label>
        <button type="button" onClick={() => go(at + 1)} disabled={at >= steps.length - 1} aria-label="Next step">
          ›
        </button>
        <button type="button" onClick={() => next(-1)} title="The previous step where the two runs differ">
          ◂ difference
        </button>
        <button
          type="button"
          onClick={() => next(1)}
          title="The next step where the two runs differ"
          data-testid="next-difference"
        >
          difference ▸
        </button>
      </div>
      {op?.note && <p className="rw-note">{op.note}</p>}
      <div className="rw-cols">
        <Stage side={left} frame={pair.left} view={a} diff={diff} label={labels[0]} />
        <Stage side={right} frame={pair.right} view={b} diff={diff} label={labels[1]} />
      </div>
    </section>
  );
}

function Result({ cmp }: { cmp: Comparison }) {
  const review = useSim(selReview);
  if (!review || review.id !== cmp.id || review.status === 'running') return <p role="status">Running both sides…</p>;
  if (review.status === 'error' || !review.left || !review.right)
    return <p role="alert">This comparison could not run: {review.error}</p>;
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
                {label as string} <span className="badge">API {sd.scenario.api}</span>{' '}
                <span className="badge">Linux {kernelProfile(sd.scenario)}</span>
              </h3>
              <p className="muted">
                {(sd.scenario.devices ?? []).map((d) => d.driver).join(', ') || 'no devices'} · {sd.frames.length - 1}{' '}
                steps
                {sd.scenario.config?.patch2_zero_pdu ? ' · patch 2/5' : ''}
              </p>
              {sd.error ? (
                <p role="alert">Could not run: {sd.error}</p>
              ) : (
                <p className={sd.sanitizers.length ? 'review-san review-san-alarm' : 'review-san'}>
                  {sd.sanitizers.length
                    ? `Sanitizer reports: ${sd.sanitizers.map((x) => x.replace('sanitizer_', '')).join(', ')}`
                    : 'No sanitizer report.'}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <p className="review-count" data-testid="review-count">
        {nDiff === 0 ? 'Every request ends the same way on both sides.' : `${nDiff} of ${rows.length} requests differ.`}
      </p>
      <Stages left={left} right={right} labels={[cmp.leftLabel, cmp.rightLabel]} />
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
                  {r.differs.has(f.key) && (
                    <span className="diff-mark" aria-label="differs">
                      {' '}
                      ≠
                    </span>
                  )}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </>
  );
}

function ReviewComponent() {
  const mode = useSim((s) => s.mode);
  const session = useMemo(() => (mode ? (sessionDocument()?.scenario ?? null) : null), [mode]);
  const list = useMemo(() => comparisons(session), [session]);
  const review = useSim(selReview);
  const [id, setIdState] = useState(() => review?.id ?? list.find((c) => c.id !== 'session')?.id ?? list[0]?.id ?? '');
  const setId = (v: string) => {
    setIdState(v);
    simStore.setState({ reviewAt: 0 });
  };
  const cmp = list.find((c) => c.id === id) ?? list[0];
  useEffect(() => {
    if (cmp && (review?.id !== cmp.id || review.status === 'error')) void runComparison(cmp);
    // Run when the choice changes only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cmp?.id]);
  return (
    <section className="page review-page" aria-labelledby="review-title">
      <header className="page-head">
        <h2 id="review-title">Review: one program, two stages</h2>
        <p>
          The same userspace program runs twice, each on its own instance of the simulator: v3 without and with patch
          2/5, v4's <code>done()</code> from a workqueue against v5's <code>complete_in_task</code>, or the RFC v3
          sample against its v5 successor. The two stages move in step, operation by operation; what differs is marked
          (≠). The address bar links to this comparison at this step.
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
