/**
 * How many cases a property test runs: its own default in `npm test`, more under `npm run fuzz`
 * (which sets RINGSIDE_FUZZ_RUNS). Seeds stay fixed either way, so failures reproduce.
 */
export function fuzzRuns(defaultRuns: number): number {
  const env = typeof process !== 'undefined' ? Number(process.env.RINGSIDE_FUZZ_RUNS ?? 0) : 0;
  return Number.isFinite(env) && env > defaultRuns ? env : defaultRuns;
}
