/**
 * Both rings from both sides: the SQ ring (its index array, drawn as the circle, and the SQE
 * array it points into), the CQ ring and the kernel's overflow list, the ring flag words, and
 * who owns what.
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { opcodeName, resName } from '../../captions/format';
import { type RingFrame, selCursor, selFocusTrack, selModel, selPrevFrame, selRing, useSim } from '../../store';
import { inWindow } from '../../viz/ringGeometry';
import { RingView, type RingSlot } from '../RingView';

const IORING_SQ_CQ_OVERFLOW = 2;
const IORING_SQ_TASKRUN = 4;

/** The slots whose contents differ between two frames (slot indices). */
function changedSlots<T>(a: readonly T[] | undefined, b: readonly T[], same: (x: T, y: T) => boolean): number[] {
  if (!a) return [];
  const out: number[] = [];
  b.forEach((v, i) => {
    const p = a[i];
    if (p === undefined || !same(p, v)) out.push(i);
  });
  return out;
}

function sqSlots(r: RingFrame, sqeHigh: number): RingSlot[] {
  return r.sqArray.map((sqeIdx, i) => {
    const s = r.sqes[sqeIdx];
    const written = sqeHigh > i || sqeHigh >= r.sqEntries;
    if (!s || !written) return { label: '', title: `array[${i}] = ${sqeIdx}, never used` };
    return {
      label: `#${s.userData}`,
      title: `array[${i}] = ${sqeIdx} → SQE ${sqeIdx}: ${opcodeName(s.opcode)}, user_data ${s.userData}`,
    };
  });
}

function cqSlots(r: RingFrame, cqWrites: number): RingSlot[] {
  return r.cqes.map((c, i) => {
    const written = cqWrites > i || cqWrites >= r.cqEntries;
    if (!written) return { label: '', title: 'never written' };
    return { label: `#${c.userData}`, sub: resName(c.res), title: `user_data ${c.userData}, res ${resName(c.res)}` };
  });
}

function SqeArray({ r, sqeHigh, focusSlot }: { r: RingFrame; sqeHigh: number; focusSlot: number | null }) {
  const mask = r.sqEntries - 1;
  // Which SQE slots do published-but-unconsumed / staged SQ entries point at?
  const pending = new Set<number>();
  const staged = new Set<number>();
  for (let i = r.sqHead; inWindow(i, r.sqHead, r.sqTail); i = (i + 1) >>> 0) pending.add(r.sqArray[i & mask] ?? -1);
  for (let i = r.sqTail; inWindow(i, r.sqTail, r.sqeTail); i = (i + 1) >>> 0) staged.add(r.sqArray[i & mask] ?? -1);
  return (
    <ol className="sqe-array" aria-label="SQE array">
      {r.sqes.map((s, i) => {
        const used = sqeHigh > i || sqeHigh >= r.sqEntries;
        const state = pending.has(i) ? 'pending' : staged.has(i) ? 'staged' : used ? 'consumed' : 'empty';
        return (
          <li
            key={i}
            className={`sqe-box ${state}${focusSlot === i ? ' focus' : ''}`}
            title={`SQE ${i}: ${state}${used ? `, ${opcodeName(s.opcode)}, user_data ${s.userData}` : ''}`}
          >
            <span className="sqe-idx">{i}</span>
            <span className="sqe-op">{used ? opcodeName(s.opcode).replace('URING_CMD', 'CMD') : '·'}</span>
            <span className="sqe-ud">{used ? `#${s.userData}` : ''}</span>
          </li>
        );
      })}
    </ol>
  );
}

function RingsPanelComponent() {
  const r = useSim(selRing);
  const prev = useSim(selPrevFrame);
  const cursor = useSim(selCursor);
  const model = useSim(selModel);
  const focus = useSim(
    useShallow((s) => {
      const t = selFocusTrack(s);
      return { sqeSlot: t?.sqeSlot ?? null, cqIndex: t?.cqIndex ?? null };
    }),
  );
  const sqeHigh = model?.sqeHigh ?? 0;
  const cqWrites = model?.cqWrites ?? 0;
  const slots = useMemo(
    () => (r ? { sq: sqSlots(r, sqeHigh), cq: cqSlots(r, cqWrites) } : null),
    [r, sqeHigh, cqWrites],
  );
  if (!r || !slots) return null;
  const p = prev?.ring;
  const sqChanged = p ? changedSlots(p.sqes, r.sqes, (a, b) => a.userData === b.userData && a.opcode === b.opcode) : [];
  const cqChanged = p
    ? changedSlots(p.cqes, r.cqes, (a, b) => a.userData === b.userData && a.res === b.res && a.flags === b.flags)
    : [];
  const overflow = model?.overflow ?? [];
  const focusSq = focus.sqeSlot === null ? null : r.sqArray.indexOf(focus.sqeSlot);
  return (
    <section className="panel rings-panel" aria-label="Rings">
      <div className="ring-col">
        <RingView
          kind="SQ"
          entries={r.sqEntries}
          head={r.sqHead}
          tail={r.sqTail}
          localTail={r.sqeTail}
          slots={slots.sq}
          tailOwner="application"
          headOwner="kernel"
          changed={sqChanged}
          frameKey={cursor}
          focusSlot={focusSq !== null && focusSq >= 0 ? focusSq : null}
        />
        <SqeArray r={r} sqeHigh={sqeHigh} focusSlot={focus.sqeSlot} />
        <p className="ring-flags">
          <span>
            sq_dropped <b>{r.sqDropped}</b>
          </span>
          {(r.sqFlags & IORING_SQ_TASKRUN) !== 0 && <span className="flag-on">SQ_TASKRUN</span>}
        </p>
      </div>
      <div className="ring-col">
        <RingView
          kind="CQ"
          entries={r.cqEntries}
          head={r.cqHead}
          tail={r.cqTail}
          slots={slots.cq}
          tailOwner="kernel"
          headOwner="application"
          changed={cqChanged}
          frameKey={cursor}
          focusSlot={focus.cqIndex === null ? null : focus.cqIndex & (r.cqEntries - 1)}
        />
        <div className="overflow" aria-label="CQ overflow list">
          <span className="overflow-title">overflow list</span>
          {overflow.length === 0 ? (
            <span className="overflow-empty">empty</span>
          ) : (
            <ol className="overflow-list">
              {overflow.map((o, i) => (
                <li
                  key={`${o.req}-${i}`}
                  className="overflow-cqe"
                  title={`user_data ${o.userData}, res ${resName(o.res)} (kernel memory: not visible to the application)`}
                >
                  #{String(o.userData)}:{resName(o.res)}
                </li>
              ))}
            </ol>
          )}
        </div>
        <p className="ring-flags">
          <span
            className={(r.sqFlags & IORING_SQ_CQ_OVERFLOW) !== 0 ? 'flag-on' : 'flag-off'}
            title="IORING_SQ_CQ_OVERFLOW in sq_flags: the overflow list is not empty"
          >
            SQ_CQ_OVERFLOW
          </span>
          <span title="cq_overflow: CQEs the kernel had to drop">
            cq_overflow <b>{r.cqOverflow}</b>
          </span>
        </p>
      </div>
    </section>
  );
}

export const RingsPanel = memo(RingsPanelComponent);
RingsPanel.displayName = 'RingsPanel';
