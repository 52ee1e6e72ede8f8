/**
 * Both rings from both sides: the SQ ring (its index array, drawn as the circle, and the SQE
 * array it points into), the CQ ring and the kernel's overflow list, the ring flag words, and
 * who owns what.
 */
import { memo, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { opcodeName, resName } from '../../captions/format';
import {
  IORING_SQ_NEED_WAKEUP,
  type RingFrame,
  selCursor,
  selFocusTrack,
  selModel,
  selPrevFrame,
  selRing,
  useSim,
} from '../../store';
import { AGGREGATE_ABOVE, inWindow } from '../../viz/ringGeometry';
import { RingView, type RingSlot } from '../RingView';

const IORING_SQ_CQ_OVERFLOW = 2;
const IORING_SQ_TASKRUN = 4;

/** The slots whose contents differ between two frames (slot indices). */
function changedSlots<T>(a: readonly T[] | undefined, b: readonly T[], same: (x: T, y: T) => boolean): number[] {
  if (!a || a === b) return [];
  const out: number[] = [];
  b.forEach((v, i) => {
    const p = a[i];
    if (p !== v && (p === undefined || !same(p, v))) out.push(i);
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

const NO_SLOTS: RingSlot[] = [];
/** An SQE array of more than AGGREGATE_ABOVE entries draws this many boxes: the window around its focus. */
const SQE_BOXES = 16;
/** Rings up to this many entries are drawn slot by slot with labels; bigger ones get a detail. */
export const DETAIL_MAX = 16;
const ZOOMS = [8, 16, 32];

/**
 * A big ring's zoomable detail: the ring shows the aggregate (how many pending, where head and
 * tail are); this strip shows `zoom` consecutive slots with their contents, following the
 * request on screen (or the head) until the viewer pans it.
 */
function SlotDetail({
  kind,
  entries,
  head,
  tail,
  localTail,
  slots,
  focusSlot,
  frameKey,
}: {
  kind: 'SQ' | 'CQ';
  entries: number;
  head: number;
  tail: number;
  localTail?: number;
  slots: RingSlot[];
  focusSlot: number | null;
  frameKey: number;
}) {
  const mask = entries - 1;
  const [zoom, setZoom] = useState(16);
  const [pan, setPan] = useState<{ start: number; at: number } | null>(null);
  const anchor = focusSlot ?? head & mask;
  const follow = Math.max(0, Math.min(entries - zoom, anchor - Math.floor(zoom / 2)));
  const start = pan && pan.at === frameKey ? Math.max(0, Math.min(entries - zoom, pan.start)) : follow;
  const move = (d: number) => setPan({ start: Math.max(0, Math.min(entries - zoom, start + d)), at: frameKey });
  const live = (slot: number, from: number, to: number) => {
    for (let k = 0; k < 3; k++) {
      const idx = (((from & ~mask) >>> 0) + slot + (k - 1) * entries) >>> 0;
      if (inWindow(idx, from, to)) return true;
    }
    return false;
  };
  const cells = [];
  for (let i = start; i < start + zoom && i < entries; i++) {
    const sl = slots[i];
    const state = live(i, head, tail)
      ? 'pending'
      : localTail !== undefined && live(i, tail, localTail)
        ? 'staged'
        : sl?.label
          ? 'consumed'
          : 'empty';
    cells.push(
      <li
        key={i}
        className={`detail-slot ${state}${focusSlot === i ? ' focus' : ''}`}
        title={`${kind} slot ${i}${sl?.title ? `: ${sl.title}` : ''}`}
        data-slot={i}
      >
        <span className="ds-idx">{i}</span>
        <span className="ds-label">{sl?.label || '·'}</span>
        {sl?.sub && <span className="ds-sub">{sl.sub}</span>}
        {(head & mask) === i && <span className="ds-mark ds-head">head</span>}
        {(tail & mask) === i && <span className="ds-mark ds-tail">tail</span>}
      </li>,
    );
  }
  return (
    <div
      className="slot-detail"
      data-testid={`${kind.toLowerCase()}-detail`}
      role="group"
      aria-label={`${kind} slots ${start} to ${start + zoom - 1} of ${entries}`}
    >
      <div className="ds-bar">
        <button type="button" onClick={() => move(-zoom)} disabled={start === 0} aria-label={`Earlier ${kind} slots`}>
          ‹
        </button>
        <span className="ds-range">
          slots {start}–{Math.min(entries, start + zoom) - 1} of {entries}
        </span>
        <button
          type="button"
          onClick={() => move(zoom)}
          disabled={start + zoom >= entries}
          aria-label={`Later ${kind} slots`}
        >
          ›
        </button>
        <label className="ds-zoom">
          <span className="visually-hidden">Slots shown</span>
          <select
            value={zoom}
            onChange={(e) => setZoom(Number(e.target.value))}
            aria-label={`${kind} detail: slots shown`}
          >
            {ZOOMS.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ol className="ds-slots">{cells}</ol>
    </div>
  );
}

/** A big SQ: how many SQE slots are in each state, in one line. */
function SqeSummary({ r, sqeHigh }: { r: RingFrame; sqeHigh: number }) {
  const pending = (r.sqTail - r.sqHead) >>> 0;
  const staged = (r.sqeTail - r.sqTail) >>> 0;
  const used = Math.min(r.sqEntries, sqeHigh);
  return (
    <p className="sqe-summary" data-testid="sqe-summary">
      SQE array: <b>{pending}</b> pending · <b>{staged}</b> staged · <b>{Math.max(0, used - pending - staged)}</b>{' '}
      consumed · <b>{r.sqEntries - used}</b> never used
    </p>
  );
}

function SqeArray({ r, sqeHigh, focusSlot }: { r: RingFrame; sqeHigh: number; focusSlot: number | null }) {
  const mask = r.sqEntries - 1;
  // Which SQE slots do published-but-unconsumed / staged SQ entries point at? (At most
  // SQE_BOXES of each matter: only that many boxes are drawn.)
  const pending = new Set<number>();
  const staged = new Set<number>();
  let n = 0;
  for (let i = r.sqHead; inWindow(i, r.sqHead, r.sqTail) && n < r.sqEntries; i = (i + 1) >>> 0, n++)
    pending.add(r.sqArray[i & mask] ?? -1);
  n = 0;
  for (let i = r.sqTail; inWindow(i, r.sqTail, r.sqeTail) && n < r.sqEntries; i = (i + 1) >>> 0, n++)
    staged.add(r.sqArray[i & mask] ?? -1);
  // A big array: the boxes around the focus SQE, else around the last SQE written.
  const big = r.sqEntries > AGGREGATE_ABOVE;
  const centre = focusSlot ?? (r.sqeTail > 0 ? (r.sqArray[((r.sqeTail - 1) >>> 0) & mask] ?? 0) : 0);
  const from = big ? Math.max(0, Math.min(centre - SQE_BOXES / 2, r.sqEntries - SQE_BOXES)) : 0;
  const shown = big ? r.sqes.slice(from, from + SQE_BOXES) : r.sqes;
  return (
    <ol
      className="sqe-array"
      aria-label={big ? `SQE array: slots ${from} to ${from + SQE_BOXES - 1} of ${r.sqEntries}` : 'SQE array'}
      start={from}
    >
      {shown.map((s, k) => {
        const i = from + k;
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
  // An aggregate ring (more slots than pixels) draws no per-slot labels.
  const slots = useMemo(
    () =>
      r
        ? {
            sq: r.sqEntries > AGGREGATE_ABOVE ? NO_SLOTS : sqSlots(r, sqeHigh),
            cq: r.cqEntries > AGGREGATE_ABOVE ? NO_SLOTS : cqSlots(r, cqWrites),
          }
        : null,
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
        {r.sqEntries <= DETAIL_MAX ? (
          <SqeArray r={r} sqeHigh={sqeHigh} focusSlot={focus.sqeSlot} />
        ) : (
          <>
            <SqeSummary r={r} sqeHigh={sqeHigh} />
            <SlotDetail
              kind="SQ"
              entries={r.sqEntries}
              head={r.sqHead}
              tail={r.sqTail}
              localTail={r.sqeTail}
              slots={slots.sq}
              focusSlot={focusSq !== null && focusSq >= 0 ? focusSq : null}
              frameKey={cursor}
            />
          </>
        )}
        <p className="ring-flags">
          <span>
            sq_dropped <b>{r.sqDropped}</b>
          </span>
          {(r.sqFlags & IORING_SQ_TASKRUN) !== 0 && <span className="flag-on">SQ_TASKRUN</span>}
          {(r.sqFlags & IORING_SQ_NEED_WAKEUP) !== 0 && (
            <span
              className="flag-on"
              data-testid="sq-need-wakeup"
              title="IORING_SQ_NEED_WAKEUP in sq_flags: the SQPOLL thread sleeps; submitting needs io_uring_enter(IORING_ENTER_SQ_WAKEUP)"
            >
              SQ_NEED_WAKEUP
            </span>
          )}
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
        {r.cqEntries > DETAIL_MAX && (
          <SlotDetail
            kind="CQ"
            entries={r.cqEntries}
            head={r.cqHead}
            tail={r.cqTail}
            slots={slots.cq}
            focusSlot={focus.cqIndex === null ? null : focus.cqIndex & (r.cqEntries - 1)}
            frameKey={cursor}
          />
        )}
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
