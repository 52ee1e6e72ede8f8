/**
 * Kernel vs simulator: for every conformance scenario recorded with the kernel's tracepoints,
 * the kernel's tracepoints beside the simulator's, step by step, and the badge computed from
 * them at build time (conformance/truth.mjs).
 */
import { useState } from 'react';
import built from 'virtual:kernel-truth';
import { type Tracepoint, describeTracepoint } from '../../recording/format';
import { closeTruth, openRecordingText } from '../../recording/store';
import { type KernelTruth, type TruthScenario, badgeText } from '../../recording/truth';

const truth = built as KernelTruth;

export const KERNEL_TRUTH = truth;

/** The badge: computed from the committed recordings when the app was built. */
export function TruthBadge() {
  return (
    <span
      className={`truth-badge${truth.matching === truth.total && truth.total > 0 ? ' all' : ''}`}
      data-testid="truth-badge"
      title={`${truth.kernel}; ${truth.compared} kernel tracepoints compared`}
    >
      {badgeText(truth)}
    </span>
  );
}

function Events({ list }: { list: Tracepoint[] | null }) {
  if (list === null) return <span className="truth-none">no tracepoints</span>;
  if (!list.length) return <span className="truth-none">none</span>;
  return (
    <ol>
      {list.map((t, i) => (
        <li key={i}>
          <span className={`rec-who rec-ctx-${t.ctx}`}>{t.ctx}</span> {describeTracepoint(t)}
        </li>
      ))}
    </ol>
  );
}

/** Opens the kernel's side of a scenario in the recording page. */
function openKernelSide(s: TruthScenario) {
  const doc = {
    format: 'kernel-trace',
    format_version: 1,
    name: s.name,
    kernel: { sysname: 'Linux', release: truth.kernel.replace(/^Linux /, '') },
    tracepoints_captured: ['complete'],
    steps: s.steps.map((st, i) => ({ step: i, kind: st.kind, tracepoints: st.kernel })),
  };
  if (openRecordingText(JSON.stringify(doc), `${s.name}.json`)) closeTruth();
}

export function TruthPage() {
  const [name, setName] = useState(truth.scenarios.find((s) => !s.match)?.name ?? truth.scenarios[0]?.name ?? '');
  const s = truth.scenarios.find((x) => x.name === name);
  return (
    <section className="rec-page truth-page" aria-label="Kernel vs simulator" data-testid="truth">
      <div className="rec-head">
        <div>
          <h2>Kernel vs simulator</h2>
          <p className="rec-meta">
            <TruthBadge /> · {truth.compared} kernel tracepoints in {truth.total} scenarios recorded on {truth.kernel}
          </p>
          {!truth.simulatorTracepoints && (
            <p className="rec-lost" role="note">
              The simulator's replays write no tracepoints yet{truth.error ? ` (${truth.error})` : ''}: the kernel's
              side is shown alone.
            </p>
          )}
        </div>
        <div className="rec-actions">
          <button type="button" onClick={closeTruth}>
            Close
          </button>
        </div>
      </div>
      <div className="truth-body">
        <ul className="truth-list" aria-label="Scenarios">
          {truth.scenarios.map((x) => (
            <li key={x.name}>
              <button type="button" aria-pressed={x.name === name} onClick={() => setName(x.name)}>
                <span className={x.match ? 'truth-ok' : 'truth-bad'} aria-label={x.match ? 'matches' : 'differs'}>
                  {x.match ? '✓' : '✗'}
                </span>{' '}
                {x.name}
              </button>
            </li>
          ))}
        </ul>
        {s && (
          <div className="truth-detail" data-testid="truth-detail">
            <h3>{s.name}</h3>
            <p className="rec-meta">{s.description}</p>
            <p className="rec-meta">
              {s.compared} tracepoints compared · results {s.resultsMatch ? 'match' : 'differ'} · tracepoints{' '}
              {s.match ? 'match' : `differ (${s.mismatches.length}${s.mismatches.length >= 40 ? '+' : ''})`}
              {s.rules.length ? ` · declared nondeterminism: ${s.rules.join('; ')}` : ''}{' '}
              <button type="button" onClick={() => openKernelSide(s)}>
                Step through the kernel's side
              </button>
            </p>
            <table className="truth-table">
              <thead>
                <tr>
                  <th>step</th>
                  <th>kernel ({truth.kernel})</th>
                  <th>simulator</th>
                </tr>
              </thead>
              <tbody>
                {s.steps.map((st, i) => (
                  <tr key={i} className={st.mismatch ? 'truth-row-bad' : undefined}>
                    <td>
                      {i} {st.kind}
                    </td>
                    <td>
                      <Events list={st.kernel} />
                    </td>
                    <td>
                      <Events list={st.sim} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {s.mismatches.length > 0 && (
              <details>
                <summary>Mismatches</summary>
                <ul className="truth-mismatches">
                  {s.mismatches.map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ul>
              </details>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
