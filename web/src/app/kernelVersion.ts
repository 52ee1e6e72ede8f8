/**
 * The kernel the model follows, from the conformance recordings (counted at build time by the
 * `virtual:kernel-recordings` plugin in vite.config.ts): the release most recordings were made on.
 */
import { RELEASES } from 'virtual:kernel-recordings';

export interface KernelVersion {
  /** The full release string of the recording kernel (`6.18.44-fc-v657`). */
  release: string;
  /** `major.minor` (`6.18`). */
  series: string;
  /** How many recordings were made on it. */
  recordings: number;
  /** Every recording, on any release. */
  total: number;
}

/** The release with the most recordings, or null without recordings. */
export function kernelVersion(releases: Record<string, number> = RELEASES): KernelVersion | null {
  let best: string | null = null;
  let total = 0;
  for (const [r, n] of Object.entries(releases)) {
    total += n;
    if (best === null || n > (releases[best] ?? 0)) best = r;
  }
  if (best === null) return null;
  const m = /^(\d+)\.(\d+)/.exec(best);
  return { release: best, series: m ? `${m[1]}.${m[2]}` : best, recordings: releases[best] ?? 0, total };
}

/** The tag of the upstream tree the outlines and links refer to (`v6.18`), or `master`. */
export function kernelTag(): string {
  const v = kernelVersion();
  return v && /^\d+\.\d+$/.test(v.series) ? `v${v.series}` : 'master';
}
