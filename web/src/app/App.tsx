/** The application shell. */
import { Controls } from '../components/Controls';
import { EventLog } from '../components/EventLog';
import { RingView } from '../components/RingView';
import { useSim } from '../store';

export function App() {
  const status = useSim((s) => s.status);
  const message = useSim((s) => s.message);
  const panic = useSim((s) => s.panic);
  const frame = useSim((s) => s.frames[s.cursor]);
  const ring = frame?.ring ?? null;
  return (
    <div className="app">
      <header className="app-header">
        <h1>Ringside</h1>
        <p className="tagline">io_uring and uring_cmd, step by step: the rings live in WebAssembly memory shared with this page, as the kernel shares them with a process.</p>
      </header>
      {status === 'loading' && <p role="status">Loading the simulator…</p>}
      {status === 'error' && <p role="alert" className="error">Could not start the simulator: {message}</p>}
      {panic && (
        <div role="alert" className="panic">
          <h2>The simulator core stopped</h2>
          <pre>{panic}</pre>
          <button type="button" onClick={() => window.location.reload()}>Reload</button>
        </div>
      )}
      {status === 'ready' && (
        <main>
          <Controls />
          {message && !panic && <p role="alert" className="notice">{message}</p>}
          {ring && (
            <section className="rings" aria-label="Rings">
              <RingView
                kind="SQ"
                entries={ring.sqEntries}
                head={ring.sqHead}
                tail={ring.sqTail}
                localTail={ring.sqeTail}
                labels={ring.sqes.map((s) => (s.userData === 0n && s.opcode === 0 ? '' : `#${s.userData}`))}
                tailOwner="application"
                headOwner="kernel"
              />
              <RingView
                kind="CQ"
                entries={ring.cqEntries}
                head={ring.cqHead}
                tail={ring.cqTail}
                labels={ring.cqes.map((c, i) => (inCq(i, ring.cqHead, ring.cqTail, ring.cqEntries) ? `#${c.userData}:${c.res}` : ''))}
                tailOwner="kernel"
                headOwner="application"
              />
            </section>
          )}
          <section className="step-detail" aria-label="This step">
            <h2>{frame?.actor === 'kernel' ? 'Kernel' : 'Application'}: {frame?.label}</h2>
            <p className="task-state" data-testid="task-state">
              task: {frame?.taskState === 0 ? 'user mode' : frame?.taskState === 2 ? 'sleeping in io_uring_enter' : 'in io_uring_enter'}
              {frame && frame.taskState === 0 && frame.index > 0 ? ` (last syscall returned ${frame.lastRet})` : ''}
            </p>
            <EventLog events={frame?.events ?? []} />
          </section>
        </main>
      )}
    </div>
  );
}

function inCq(slot: number, head: number, tail: number, n: number): boolean {
  for (let i = head; i !== tail; i = (i + 1) >>> 0) if ((i & (n - 1)) === slot) return true;
  return false;
}
