// Types of conformance/compare.mjs, for TypeScript callers (the replayer's tests).

/** One difference between a reference trace and a replay. */
export interface Mismatch {
  step: number;
  kind: string | undefined;
  field: string;
  expected: unknown;
  found: unknown;
}

/** Compares a replay (GOT) with a reference trace (REF) under REF's compare_ignore rules. */
export function compareTraces(ref: unknown, got: unknown): Mismatch[];

/** "step 3 (reap) cqes[1].res: expected -22, found 0". */
export function formatMismatch(m: Mismatch): string;

/** The reduced, inputs-only form of a trace (format section 10.2). */
export function reduceToInputs(trace: unknown): Record<string, unknown>;

/** Tracepoint-level comparison (format section 10.5): captured is false when REF has none. */
export interface TracepointComparison {
  captured: boolean;
  compared: number;
  mismatches: Mismatch[];
}

/** Compares the tracepoints of a replay with the reference's, step by step, under REF's rules. */
export function compareTracepoints(ref: unknown, got: unknown): TracepointComparison;
