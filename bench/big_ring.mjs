// The big-ring figure of `npm run bench` alone (bench/ui.mjs's `bigRing`): a sandbox machine with a
// 32768-entry SQ ring made through the sandbox form, then Submit NOP, io_uring_enter, Step, Reap,
// Back and Forward, each timed from the click to the end of the next frame. Runs on the
// production build in dist/ (build it first: `npm run build`), or on each directory of
// DIST=dir1,dir2,... in turn, ROUNDS times (default 3), so two builds compare in one run on a
// loaded machine. PROFILE=1 adds the heaviest functions (self time, Chrome's sampling profiler)
// over each build's rounds. See docs/performance.md.
//
// Usage: [DIST=a,b] [ROUNDS=3] [PROFILE=1] node bench/big_ring.mjs
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from '../scripts/bootstrap.mjs';
import { serveStatic } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/chromium.mjs';
import { bigRing } from './ui.mjs';

const dists = (process.env.DIST ?? join(root, 'dist')).split(',');
const rounds = Number(process.env.ROUNDS ?? 3);
const profile = process.env.PROFILE === '1';

/** The `n` functions with the most self time in CDP profiles (ms). */
function topSelf(profiles, n = 15) {
  const self = new Map();
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((x) => [x.id, x]));
    p.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
    });
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => [k, Math.round(v)]);
}

const servers = await Promise.all(dists.map((d) => serveStatic(d, { base: '/ringside/' })));
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
const runs = dists.map(() => []);
const profiles = dists.map(() => []);
try {
  for (let k = 0; k < rounds; k++)
    for (let d = 0; d < dists.length; d++) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const cdp = profile ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      runs[d].push(await bigRing(page, `${servers[d].url}?theme=projector`, 3));
      if (cdp) profiles[d].push((await cdp.send('Profiler.stop')).profile);
      await page.close();
    }
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.close()));
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let d = 0; d < dists.length; d++) {
  const r = runs[d];
  const out = {
    dist: dists[d],
    created: r.every((x) => x.big_ring_created),
    create_ms: r.map((x) => Math.round(x.big_ring_create_ms)),
    action_max_ms: r.map((x) => Math.round(x.big_ring_action_max_ms)),
    actions_median_ms: Object.fromEntries(
      Object.keys(r[0].big_ring_actions_ms).map((k) => [k, Math.round(med(r.map((x) => x.big_ring_actions_ms[k])))]),
    ),
  };
  if (profile) out.top_self_ms = topSelf(profiles[d]);
  console.log(JSON.stringify(out, null, 1));
}
