// The core as a package: pkg/ (scripts/build-pkg.mjs) installed into a throw-away Node project,
// run there in plain Node, and type-checked against its .d.ts (tests/package/).
import { join } from 'node:path';

export const name = 'core package (pkg/: npm install, Node, .d.ts)';

export function run({ root, run: sh }) {
  const r = sh(process.execPath, ['--test', join(root, 'tests', 'package')]);
  const passed = Number(/^# pass (\d+)/m.exec(r.out)?.[1] ?? 0);
  let failed = Number(/^# fail (\d+)/m.exec(r.out)?.[1] ?? 0);
  if (r.status !== 0 && failed === 0) failed = 1;
  return { passed, failed, out: r.out };
}
