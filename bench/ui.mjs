// UI figures in headless Chromium on the production build (dist/), for `npm run bench`:
//   - cold load to the first interactive frame;
//   - frame cost while playing `many-in-flight` (256 requests in flight on a 256-entry ring) at
//     1x (2 steps/s, the default) and 8x (16 steps/s): for every animation frame, the time from
//     its requestAnimationFrame callback to the first task after it (script, style, layout and
//     paint of that frame), p50/p95/max;
//   - seek: jumping to random steps through the step field, until the page shows that step;
//     and the controller's seek into a 100k-step timeline in Node (snapshots + replay).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/chromium.mjs';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};

async function frameCosts(page, ms) {
  return page.evaluate(
    (dur) =>
      new Promise((done) => {
        const costs = [];
        const ch = new MessageChannel();
        let t0 = 0;
        ch.port1.onmessage = () => costs.push(performance.now() - t0);
        const end = performance.now() + dur;
        const tick = () => {
          t0 = performance.now();
          ch.port2.postMessage(0);
          if (performance.now() < end) requestAnimationFrame(tick);
          else setTimeout(() => done(costs), 50);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

export async function measureUi({ quick, root }) {
  if (spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' }).status !== 0)
    throw new Error('build failed');
  const server = await serveStatic(join(root, 'dist'), { base: '/ringside/' });
  // Headless Chromium here has no GPU, which makes this a conservative figure.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const out = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const loads = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      await page.goto(`${server.url}?s=nop-batch&step=0&theme=light`);
      await page
        .getByRole('button', { name: /^(Play|Pause)/ })
        .first()
        .waitFor();
      loads.push(await page.evaluate(() => performance.now()));
    }
    out.load_ms = Math.min(...loads);

    await page.goto(`${server.url}?s=many-in-flight&step=300&theme=projector`);
    await page
      .getByRole('button', { name: /^(Play|Pause)/ })
      .first()
      .waitFor();
    // Playback must not stop at semantic stops while it is measured.
    const pressed = page.locator('button.bp[aria-pressed=true]');
    for (let n = await pressed.count(); n > 0; n = await pressed.count()) await pressed.first().click();
    const dur = quick ? 1000 : 4000;
    for (const [label, speed] of [
      ['1x', 2],
      ['8x', 16],
    ]) {
      // Set the speed through the slider (log scale between 0.25 and 100 steps/s).
      const pos = Math.round((Math.log(speed / 0.25) / Math.log(100 / 0.25)) * 100);
      await page.locator('input[type=range]').first().fill(String(pos));
      const play = page.getByRole('button', { name: /^Play/ }).first();
      await play.click();
      await page
        .getByRole('button', { name: /^Pause/ })
        .first()
        .waitFor();
      const costs = await frameCosts(page, dur);
      await page
        .getByRole('button', { name: /^Pause/ })
        .first()
        .click();
      out[`frames_${label}`] = costs.length;
      out[`p50_${label}_ms`] = pct(costs, 50);
      out[`p95_${label}_ms`] = pct(costs, 95);
      out[`max_${label}_ms`] = Math.max(...costs);
    }

    // Seeks measured inside the page: a key press, until the step field shows the target.
    const seeks = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      for (const key of ['End', 'Home']) {
        seeks.push(
          await page.evaluate(
            (k) =>
              new Promise((done) => {
                const field = document.querySelector('input[type=number]');
                const want = k === 'Home' ? '0' : field?.getAttribute('max');
                const t0 = performance.now();
                document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
                const check = () =>
                  field?.value === want ? done(performance.now() - t0) : requestAnimationFrame(check);
                check();
              }),
            key,
          ),
        );
      }
    }
    out.page_seek_p50_ms = pct(seeks, 50);
    out.page_seek_max_ms = Math.max(...seeks);
  } finally {
    await browser.close();
    await server.close();
  }
  // The controller: a 100k-step timeline, random seeks (Node, same code as the page).
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'bench', 'seek.ts'), quick ? '20000' : '100000'],
    { encoding: 'utf8' },
  );
  if (r.status === 0) Object.assign(out, JSON.parse(r.stdout.trim().split('\n').pop()));
  else out.seek_error = r.stderr.slice(-400);
  out.p95_1x_ms = out.p95_1x_ms ?? null;
  out.seek_ms = Math.max(out.controller_seek_max_ms ?? 0, out.page_seek_max_ms ?? 0) || null;
  return out;
}
