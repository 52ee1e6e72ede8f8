/**
 * Hover state: the byte, field and request under the pointer. A store of its own (the xyflow
 * "connection channel" idea) so pointer moves re-render only the few views that follow them.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export interface HoverState {
  /** The request under the pointer (its serial). */
  req: number | null;
  /** The byte under the pointer: which region and which offset in it. */
  region: string | null;
  offset: number | null;
  /** The field that byte belongs to. */
  field: string | null;
  /** The source location (`file << 16 | line`) that last wrote the byte. */
  src: number;
  /** Who wrote the byte (a provenance name). */
  prov: string | null;
}

const empty: HoverState = { req: null, region: null, offset: null, field: null, src: 0, prov: null };

export const hoverStore = createStore<HoverState>()(() => ({ ...empty }));

export const useHover = <T>(sel: (s: HoverState) => T): T => useStore(hoverStore, sel);

/** Points at a byte. */
export function hoverByte(
  region: string,
  offset: number,
  field: string | null,
  src: number,
  req: number | null,
  prov: string | null = null,
): void {
  hoverStore.setState({ region, offset, field, src, req, prov });
}

/** Points at a request. */
export function hoverRequest(req: number | null): void {
  hoverStore.setState({ ...empty, req });
}

/** Clears the pointer. */
export function clearHover(): void {
  hoverStore.setState({ ...empty });
}
