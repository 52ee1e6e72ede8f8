/**
 * Kernel vs simulator, tracepoint for tracepoint: computed at build time from the committed
 * conformance recordings by conformance/truth.mjs (through vite.config.ts), never typed.
 */
import type { Tracepoint } from './format';

export interface TruthStep {
  kind: string;
  kernel: Tracepoint[];
  /** The simulator's tracepoints for the step; null when its replay wrote none. */
  sim: Tracepoint[] | null;
  mismatch: boolean;
}

export interface TruthScenario {
  name: string;
  description: string;
  /** Tracepoint for tracepoint, under the recording's declared rules. */
  match: boolean;
  /** The results (return values, CQEs, ring words) match. */
  resultsMatch: boolean;
  compared: number;
  mismatches: string[];
  /** The recording's tracepoint rules (what varies between recordings of it). */
  rules: string[];
  steps: TruthStep[];
}

export interface KernelTruth {
  /** `Linux 6.18.44-...`: the kernel the recordings were made on. */
  kernel: string;
  total: number;
  matching: number;
  compared: number;
  simulatorTracepoints: boolean;
  error?: string;
  scenarios: TruthScenario[];
}

/** "matches Linux 6.18.44 on N of M scenarios, tracepoint for tracepoint". */
export function badgeText(t: KernelTruth): string {
  const version = /Linux (\d+\.\d+\.\d+)/.exec(t.kernel)?.[1] ?? t.kernel.replace(/^Linux /, '');
  return `matches Linux ${version} on ${t.matching} of ${t.total} scenarios, tracepoint for tracepoint`;
}
