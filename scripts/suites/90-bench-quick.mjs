// `npm run bench -- --quick` must run and report every target (figures are not asserted).
export const name = 'bench --quick runs';
export function run({ root, run: sh }) {
  const r = sh(process.execPath, ['scripts/bench.mjs', '--quick', '--json'], { cwd: root });
  let ok = r.status === 0;
  try {
    const j = JSON.parse(r.out.slice(r.out.indexOf('{')));
    ok = ok && Array.isArray(j.targets) && j.targets.length >= 5 && j.targets.every((t) => 'met' in t && 'value' in t);
  } catch {
    ok = false;
  }
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1, out: r.out };
}
