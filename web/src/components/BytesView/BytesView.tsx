/**
 * Bytes: the followed request's SQE (64/128), its PDU (32) and its CQE (16/32), plus the
 * program's user buffers, as annotated hex or as decoded fields. Every byte is coloured by who
 * wrote it last (userspace, the io_uring core, the driver's write_pdu, a stale earlier request,
 * never written, zeroed); hovering a byte lights its field, the code line that wrote it and the
 * request it belongs to. Clicking a byte selects it (a permalink records the selection); the
 * selected byte is described while the pointer is elsewhere.
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type Field, cqeFields, fieldAt, leValue, sqeFields } from '../../captions/fields';
import { hex, isUringCmd } from '../../captions/format';
import { sourcePath, unpackSrc } from '../../captions/sources';
import { sourceText } from '../CodeView/sourceText';
import {
  type BytesMode,
  type SimState,
  clearHover,
  hoverByte,
  selBytesMode,
  selFocusTrack,
  selInspect,
  selectByte,
  setBytesMode,
  useHover,
  useSim,
} from '../../store';

/** Who last wrote a byte (core-rs `Prov`), or `untracked` where the core does not say. */
export type Prov = 'fresh' | 'user' | 'core' | 'driver' | 'stale' | 'zeroed' | 'untracked';

export const PROV_LABELS: Record<Prov, string> = {
  user: 'userspace',
  core: 'io_uring core',
  driver: 'driver (write_pdu)',
  stale: 'stale (an earlier request)',
  zeroed: 'zeroed',
  fresh: 'never written',
  untracked: 'writer not reported',
};

/** One region of bytes with per-byte provenance and fields. */
export interface Region {
  id: string;
  title: string;
  note?: string;
  bytes: Uint8Array;
  prov: Prov[];
  /** Per byte: packed source location of the write (`file << 16 | line`), 0 if unknown. */
  src?: number[];
  fields: Field[];
  /** The base address or offset shown in the margin. */
  base: number;
}

/** Groups PDU bytes into fields: runs of bytes with the same writer and source line. */
export function pduFields(pdu: Uint8Array, prov: readonly Prov[], src: readonly number[]): Field[] {
  const out: Field[] = [];
  let start = 0;
  for (let i = 1; i <= pdu.length; i++) {
    if (i < pdu.length && prov[i] === prov[start] && src[i] === src[start]) continue;
    const p = prov[start] as Prov;
    const n = i - start;
    const o = start;
    const where = src[start] ? ` (${srcText(src[start] as number)})` : '';
    out.push({
      name: `pdu[${o}..${o + n}]`,
      offset: o,
      size: n,
      decode: (b) => leValue(b, o, n),
      about: `${PROV_LABELS[p]}${where}`,
    });
    start = i;
  }
  return out;
}

function srcText(src: number): string {
  const { file, line } = unpackSrc(src);
  const path = sourcePath(file);
  return path ? `${path}:${line}` : `file ${file}, line ${line}`;
}

const selBytes = (s: SimState) => {
  const t = selFocusTrack(s);
  const r = s.frames[s.cursor]?.ring;
  return { track: t, ring: r, inspect: selInspect(s) };
};

function useRegions(): { regions: Region[]; req: number | null } {
  const { track, ring, inspect } = useSim(useShallow(selBytes));
  return useMemo(() => {
    const regions: Region[] = [];
    if (!ring || !inspect) return { regions, req: null };
    const v = track?.view;
    if (v && isUringCmd(v.opcode)) {
      regions.push({
        id: 'pdu',
        title: 'PDU (32 bytes in the request)',
        bytes: v.pdu,
        prov: v.pduProv as Prov[],
        src: v.pduSrc,
        fields: pduFields(v.pdu, v.pduProv as Prov[], v.pduSrc),
        base: 0,
      });
    }
    const { sqeSize, cqeSize } = inspect.ring;
    const sqMask = ring.sqEntries - 1;
    // The SQE: the followed request's slot, else the most recently written one.
    const slot =
      track?.sqeSlot ?? (ring.sqeTail > 0 ? (ring.sqArray[((ring.sqeTail - 1) >>> 0) & sqMask] ?? null) : null);
    const sb = slot !== null ? inspect.ring.sqe(slot) : null;
    if (slot !== null && sb) {
      const b = sb.slice();
      const ud = new DataView(b.buffer).getBigUint64(32, true);
      const reused = track !== null && ud !== track.userData;
      const written = ring.sqeTail > slot || ring.sqeTail >= ring.sqEntries;
      regions.push({
        id: 'sqe',
        title: `SQE ${slot} (${sqeSize} bytes)`,
        note: reused
          ? `userspace has reused this slot: it now holds user_data ${ud}, not the request's ${track?.userData}`
          : undefined,
        bytes: b,
        prov: Array(sqeSize).fill(written ? (reused ? 'stale' : 'user') : 'fresh'),
        fields: sqeFields(b, sqeSize),
        base: slot * sqeSize,
      });
    }
    const cslot = track?.cqIndex != null ? track.cqIndex & (ring.cqEntries - 1) : null;
    const cb = cslot !== null ? inspect.ring.cqe(cslot) : null;
    if (cslot !== null && cb) {
      const b = cb.slice();
      regions.push({
        id: 'cqe',
        title: `CQE in CQ slot ${cslot} (${cqeSize} bytes)`,
        bytes: b,
        prov: Array(cqeSize).fill('core'),
        fields: cqeFields(cqeSize),
        base: cslot * cqeSize,
      });
    }
    // User memory: the core reports who wrote each byte (userspace, or a driver's
    // copy_to_user and at which line); without that report, no colour rather than a wrong one.
    for (const u of inspect.user) {
      regions.push({
        id: `user-${u.name}`,
        title: `user buffer ${u.name} at ${hex(u.addr)}`,
        bytes: u.bytes,
        prov: (u.prov as Prov[] | undefined) ?? Array(u.bytes.length).fill('untracked'),
        src: u.src,
        fields: [
          {
            name: u.name,
            offset: 0,
            size: u.bytes.length,
            decode: () => `${u.bytes.length} bytes`,
            about: 'memory of the application',
          },
        ],
        base: u.addr,
      });
    }
    return { regions, req: track?.serial ?? null };
  }, [track, ring, inspect]);
}

function byteHover(r: Region, i: number, req: number | null) {
  hoverByte(r.id, i, fieldAt(r.fields, i)?.name ?? null, r.src?.[i] ?? 0, req, r.prov[i] ?? null);
}

const selSelected = (s: SimState) => s.selectedByte;

/** What the byte under the pointer (or the selected byte) is, who wrote it, and the line of code that did. */
function HoverInfo({ regions }: { regions: Region[] }) {
  const hovered = useHover(
    useShallow((x) => ({ region: x.region, offset: x.offset, field: x.field, src: x.src, prov: x.prov })),
  );
  const sel = useSim(selSelected);
  let h = hovered;
  if (h.region === null && sel) {
    const r = regions.find((x) => x.id === sel.region);
    if (r && sel.offset < r.bytes.length)
      h = {
        region: r.id,
        offset: sel.offset,
        field: fieldAt(r.fields, sel.offset)?.name ?? null,
        src: r.src?.[sel.offset] ?? 0,
        prov: r.prov[sel.offset] ?? null,
      };
  }
  if (h.region === null || h.offset === null)
    return (
      <p className="hover-info muted">Point at a byte: its field, its writer and the line that wrote it show here.</p>
    );
  const { file, line } = unpackSrc(h.src);
  const path = sourcePath(file);
  const code = path ? sourceText(path)?.split('\n')[line - 1]?.trim() : undefined;
  return (
    <p className="hover-info" data-testid="hover-info">
      <b>
        {h.region} +{h.offset}
      </b>
      {h.field && <> · {h.field}</>}
      {h.prov && <> · written by {PROV_LABELS[h.prov as Prov] ?? h.prov}</>}
      {h.src !== 0 && (
        <>
          {' · '}
          <code>{path ? `${path}:${line}` : `file ${file}, line ${line}`}</code>
          {code && <code className="hover-code"> {code}</code>}
        </>
      )}
    </p>
  );
}

function RawRegion({ r, req }: { r: Region; req: number | null }) {
  const hf = useHover((h) => (h.region === r.id ? h.field : null));
  const sel = useSim((s) => (s.selectedByte?.region === r.id ? s.selectedByte.offset : null));
  const rows: number[] = [];
  for (let o = 0; o < r.bytes.length; o += 16) rows.push(o);
  return (
    <table className="hex" data-region={r.id}>
      <tbody>
        {rows.map((o) => (
          <tr key={o}>
            <th scope="row" className="hex-off">
              {(r.base + o).toString(16).padStart(4, '0')}
            </th>
            {Array.from(r.bytes.subarray(o, o + 16), (b, k) => {
              const i = o + k;
              const f = fieldAt(r.fields, i);
              const first = f && f.offset === i;
              return (
                <td
                  key={i}
                  className={`byte prov-${r.prov[i]}${f && f.name === hf ? ' hl' : ''}${first ? ' field-start' : ''}${sel === i ? ' selected' : ''}`}
                  data-offset={i}
                  aria-selected={sel === i ? true : undefined}
                  onClick={() => selectByte(sel === i ? null : { region: r.id, offset: i })}
                  title={`${r.id} +${i}${f ? `: ${f.name}` : ''} — ${PROV_LABELS[r.prov[i] as Prov]}${r.src?.[i] ? `, ${srcText(r.src[i] as number)}` : ''}`}
                  onMouseEnter={() => byteHover(r, i, req)}
                >
                  {b.toString(16).padStart(2, '0')}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TypedRegion({ r, req }: { r: Region; req: number | null }) {
  const hf = useHover((h) => (h.region === r.id ? h.field : null));
  const sel = useSim((s) => (s.selectedByte?.region === r.id ? s.selectedByte.offset : null));
  return (
    <ul className="fields" data-region={r.id}>
      {r.fields.map((f) => {
        const prov = r.prov[f.offset] as Prov;
        return (
          <li
            key={f.name}
            className={`field prov-${prov}${f.name === hf ? ' hl' : ''}${sel !== null && sel >= f.offset && sel < f.offset + f.size ? ' selected' : ''}`}
            data-offset={f.offset}
            onMouseEnter={() => byteHover(r, f.offset, req)}
            onClick={() => selectByte({ region: r.id, offset: f.offset })}
            title={`${f.name} (+${f.offset}, ${f.size} byte${f.size === 1 ? '' : 's'}): ${f.about} — ${PROV_LABELS[prov]}`}
          >
            <span className="f-name">{f.name}</span>
            <span className="f-val">{f.decode(r.bytes)}</span>
            <span className="f-off">+{f.offset}</span>
          </li>
        );
      })}
    </ul>
  );
}

function Legend() {
  return (
    <ul className="prov-legend" aria-label="Who wrote each byte">
      {(Object.keys(PROV_LABELS) as Prov[])
        .filter((p) => p !== 'untracked')
        .map((p) => (
          <li key={p} className={`prov-${p}`}>
            <span className="swatch" aria-hidden="true" />
            {PROV_LABELS[p]}
          </li>
        ))}
    </ul>
  );
}

function BytesViewComponent() {
  const mode = useSim(selBytesMode);
  const { regions, req } = useRegions();
  const set = (m: BytesMode) => () => setBytesMode(m);
  return (
    <div className="bytes-view" onMouseLeave={clearHover}>
      <div className="bytes-bar">
        <div className="segmented" role="group" aria-label="Byte display">
          <button type="button" aria-pressed={mode === 'typed'} onClick={set('typed')}>
            typed
          </button>
          <button type="button" aria-pressed={mode === 'raw'} onClick={set('raw')}>
            raw hex
          </button>
        </div>
        <Legend />
      </div>
      <HoverInfo regions={regions} />
      {regions.length === 0 && <p className="muted">No SQE written yet.</p>}
      {regions.map((r) => (
        <section key={r.id} className="region" aria-label={r.title}>
          <h3>{r.title}</h3>
          {r.note && <p className="region-note">{r.note}</p>}
          {mode === 'raw' ? <RawRegion r={r} req={req} /> : <TypedRegion r={r} req={req} />}
        </section>
      ))}
    </div>
  );
}

export const BytesView = memo(BytesViewComponent);
BytesView.displayName = 'BytesView';
