// Profiles the page's 100k-step timeline and its seeks on the production build (dist/, or
// DIST=dir): builds the timeline through the `?bench` hook, then seeks End and Home six times
// each, with Chrome's sampling profiler and a trace (devtools.timeline). Prints the build and
// seek times, the heaviest functions (self time) of each phase and the main thread's time per
// trace event. See docs/performance.md.
//
// Usage: node bench/page_profile.mjs [CYCLES]   (11112 NOP round trips make 100k frames)
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { root } from '../scripts/bootstrap.mjs';
import { serveStatic } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/chromium.mjs';

const cycles = Number(process.argv[2] ?? 11112);

/** The `n` functions with the most self time in a CDP profile. */
function topSelf(profile, n = 12) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** Main-thread time per trace event name (the renderer thread with the most RunTask time). */
function traceSummary(path, n = 14) {
  const t = JSON.parse(readFileSync(path, 'utf8'));
  const events = t.traceEvents ?? t;
  const tasks = new Map();
  for (const e of events)
    if (e.ph === 'X' && e.name === 'RunTask')
      tasks.set(`${e.pid}:${e.tid}`, (tasks.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
  const main = [...tasks].sort((a, b) => b[1] - a[1])[0]?.[0];
  const byName = new Map();
  for (const e of events)
    if (e.ph === 'X' && `${e.pid}:${e.tid}` === main)
      byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  const layouts = events
    .filter((e) => e.name === 'Layout' && `${e.pid}:${e.tid}` === main && e.args?.beginData)
    .map((e) => e.args.beginData.dirtyObjects);
  return { events: [...byName].sort((a, b) => b[1] - a[1]).slice(0, n), layoutDirtyObjects: layouts };
}

const server = await serveStatic(process.env.DIST ?? join(root, 'dist'), { base: '/ringside/' });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
const tracePath = join(mkdtempSync(join(tmpdir(), 'ringside-profile-')), 'seek-trace.json');
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${server.url}?bench&theme=projector`);
  await page.waitForFunction(() => window.ringsideBench !== undefined);
  await page.evaluate(() => {
    window.__afterFrame = () =>
      new Promise((done) =>
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => done(performance.now());
          ch.port2.postMessage(0);
        }),
      );
  });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const build = await page.evaluate(async (n) => {
    const t0 = performance.now();
    const frames = window.ringsideBench.sandboxNopCycles(n);
    return { frames, ms: Math.round((await window.__afterFrame()) - t0) };
  }, cycles);
  const buildProfile = (await cdp.send('Profiler.stop')).profile;
  await browser.startTracing(page, {
    path: tracePath,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8.execute'],
  });
  await cdp.send('Profiler.start');
  const seeks = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 6; i++)
      for (const key of ['End', 'Home']) {
        const t0 = performance.now();
        document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        await new Promise((done) => setTimeout(done, 0));
        out.push(Math.round((await window.__afterFrame()) - t0));
      }
    return out;
  });
  const seekProfile = (await cdp.send('Profiler.stop')).profile;
  await browser.stopTracing();
  const show = (rows) => rows.map(([k, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${k}`).join('\n');
  console.log(`build: ${build.frames} frames in ${build.ms} ms\n${show(topSelf(buildProfile))}`);
  console.log(`seeks (ms): ${seeks.join(' ')}\n${show(topSelf(seekProfile))}`);
  const tr = traceSummary(tracePath);
  console.log(`seek trace, main thread:\n${show(tr.events)}`);
  console.log(`dirty objects per layout: ${tr.layoutDirtyObjects.join(' ')}`);
} finally {
  await browser.close();
  await server.close();
}
