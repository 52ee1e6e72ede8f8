// Builds a timeline of N frames (NOPs submitted, stepped and reaped) with the page's own
// controller, then seeks to random frames and prints the figures as JSON.
import { SimController, emptyScenario } from '../web/src/sim/controller';
import { loadCoreFromDisk } from '../web/src/wasm/node';

const n = Number(process.argv[2] ?? 100_000);
const c = new SimController(await loadCoreFromDisk(), emptyScenario(8));
let ud = 1;
const t0 = performance.now();
while (c.frames.length < n) {
  c.apply({ kind: 'op', op: { op: 'prep', sqe: { opcode: 'NOP', user_data: ud++ } } });
  c.apply({ kind: 'op', op: { op: 'submit' } });
  c.settle(undefined);
  c.apply({ kind: 'op', op: { op: 'reap' } });
}
const buildMs = performance.now() - t0;
let seed = 7;
const times: number[] = [];
for (let i = 0; i < 50; i++) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  const target = seed % c.frames.length;
  const s = performance.now();
  c.seek(target);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    controller_frames: c.frames.length,
    controller_build_ms: Math.round(buildMs),
    controller_seek_p50_ms: times[25],
    controller_seek_max_ms: times[times.length - 1],
    controller_snapshot_mb: Math.round(c.snapshotBytes() / 1048576),
  }),
);
