// UI figures in headless Chromium on the production build (dist/), for `npm run bench`:
//   - cold load to the first interactive frame;
//   - frame cost while playing `many-in-flight` (256 requests in flight on a 256-entry ring) at
//     1x (2 steps/s, the default) and 8x (16 steps/s): for every animation frame, the time from
//     its requestAnimationFrame callback to the first task after it (script, style, layout and
//     paint of that frame), p50/p95/max;
//   - fast play: `many-in-flight` played at 100 steps/s (no stops) for 30 s: steps delivered per
//     second, the median interval between animation frames, the JS heap (after a forced GC)
//     before and after, and how long a real Pause click takes to show (from the mouse
//     click to the first frame after the button says Play, on the shared wall clock);
//   - a big ring: a sandbox machine with a 32768-entry SQ ring made through the sandbox form,
//     then Submit NOP, io_uring_enter, Step and Reap, each timed from the click to the end of the
//     next frame (script, style, layout and paint);
//   - a 100k-step timeline made in the page (the `?bench` hook: NOP round trips in the
//     sandbox), its build time, then page seeks (Home, End and jumps through the step field)
//     p50/p95/max, each timed until the field shows the step and the next frame is done;
//   - the controller's seek into a 100k-step timeline in Node (snapshots + replay).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/chromium.mjs';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};

/** Installs, in the page, `__afterFrame()`: performance.now() at the end of the next frame (after paint). */
export async function installAfterFrame(page) {
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
}

async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const h = await cdp.send('Runtime.getHeapUsage');
  return h.usedSize / 1048576;
}

/** Clicks a button in the page and times it until the end of the next frame (ms). */
async function timeClick(page, name) {
  return page.evaluate(
    async ({ name }) => {
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === name && !x.disabled);
      if (!b) return null;
      const t0 = performance.now();
      b.click();
      const t1 = await window.__afterFrame();
      return t1 - t0;
    },
    { name },
  );
}

async function unpressStops(page) {
  const pressed = page.locator('button.bp[aria-pressed=true]');
  for (let n = await pressed.count(); n > 0; n = await pressed.count()) await pressed.first().click();
}

async function setSpeed(page, speed) {
  const pos = Math.round((Math.log(speed / 0.25) / Math.log(100 / 0.25)) * 100);
  await page.locator('input[type=range]').first().fill(String(pos));
}

/**
 * Plays `many-in-flight` at 100 steps/s for `ms` (restarting from the start when it reaches the
 * end): delivered steps/s, frame intervals, heap before and after, then Pause-click latencies.
 */
async function fastPlay(page, cdp, url, ms, pauses) {
  await page.goto(url);
  await page
    .getByRole('button', { name: /^(Play|Pause)/ })
    .first()
    .waitFor();
  await unpressStops(page);
  await setSpeed(page, 100);
  const heap0 = await heapMb(cdp);
  await page.getByRole('button', { name: /^Play/ }).first().click();
  const run = await page.evaluate(
    (dur) =>
      new Promise((done) => {
        const field = document.querySelector('input[type=number]');
        const playBtn = () =>
          [...document.querySelectorAll('button')].find((b) =>
            /^(Play|Pause)/.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
          );
        let last = Number(field?.value ?? 0);
        let steps = 0;
        let restarts = 0;
        const gaps = [];
        const t0 = performance.now();
        let prev = t0;
        const tick = (now) => {
          gaps.push(now - prev);
          prev = now;
          const v = Number(field?.value ?? 0);
          if (v > last) steps += v - last;
          last = v;
          const b = playBtn();
          if (b && /^Play/.test(b.getAttribute('aria-label') ?? b.textContent ?? '')) {
            restarts++;
            b.click();
            last = Number(field?.value ?? 0);
          }
          if (now - t0 < dur) requestAnimationFrame(tick);
          else done({ steps, seconds: (now - t0) / 1000, gaps, restarts });
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
  const heap1 = await heapMb(cdp);
  // Pause while playing: a real click (queued behind whatever the page is doing).
  const lat = [];
  for (let i = 0; i < pauses; i++) {
    // From the start, so playback cannot reach the end before the click.
    await page.keyboard.press('Home');
    const btn = page.getByRole('button', { name: /^(Play|Pause)/ }).first();
    if (/^Play/.test((await btn.getAttribute('aria-label')) ?? (await btn.textContent()) ?? '')) await btn.click();
    await page.waitForTimeout(700);
    const pauseBtn = page.getByRole('button', { name: /^Pause/ }).first();
    const box = await pauseBtn.boundingBox();
    if (!box) continue;
    // The page notes (on the wall clock shared with this process) when the button says Play
    // again and the next frame is painted; the click goes straight to the mouse, so the time
    // includes the wait for a busy page to take the input.
    await page.evaluate(() => {
      window.__pause = new Promise((done) => {
        const check = () => {
          const b = [...document.querySelectorAll('button')].find((x) =>
            /^(Play|Pause)/.test(x.getAttribute('aria-label') ?? x.textContent ?? ''),
          );
          if (b && /^Play/.test(b.getAttribute('aria-label') ?? b.textContent ?? '')) {
            requestAnimationFrame(() => {
              const ch = new MessageChannel();
              ch.port1.onmessage = () => done(Date.now());
              ch.port2.postMessage(0);
            });
          } else setTimeout(check, 2);
        };
        check();
      });
    });
    const t0 = Date.now();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    lat.push((await page.evaluate(() => window.__pause)) - t0);
  }
  return {
    play_delivered_steps_per_s: run.steps / run.seconds,
    play_restarts: run.restarts,
    play_frame_p50_ms: pct(run.gaps, 50),
    play_frame_p95_ms: pct(run.gaps, 95),
    play_heap_start_mb: heap0,
    play_heap_end_mb: heap1,
    play_heap_growth: heap1 / heap0,
    pause_click_p50_ms: pct(lat, 50),
    pause_click_max_ms: Math.max(...lat),
  };
}

/** A sandbox machine with a 32768-entry ring, made through the form; then timed actions. */
export async function bigRing(page, url, reps) {
  await page.goto(url);
  await page
    .getByRole('button', { name: /^(Play|Pause)/ })
    .first()
    .waitFor();
  const machine = page.locator('details.sb-group summary').first();
  if (!(await machine.isVisible()))
    await page
      .getByRole('button', { name: /sandbox/i })
      .first()
      .click();
  await machine.click();
  await installAfterFrame(page);
  await page.getByRole('textbox', { name: /SQ entries/ }).fill('32768');
  const create = await timeClick(page, 'New machine');
  const ok = await page.evaluate(() =>
    /32768 entries/.test(document.querySelector('details.sb-group summary')?.textContent ?? ''),
  );
  const actions = {};
  for (const name of ['Submit NOP', 'io_uring_enter', 'Step', 'Step', 'Reap CQEs', 'Back', 'Forward']) {
    const times = [];
    for (let i = 0; i < reps; i++) {
      const t = await timeClick(page, name);
      if (t !== null) times.push(t);
      if (name === 'Step' || name === 'Back' || name === 'Forward') break;
    }
    actions[name] = [...(actions[name] ?? []), ...times];
  }
  const all = Object.values(actions).flat();
  return {
    big_ring_created: ok,
    big_ring_create_ms: create,
    big_ring_action_max_ms: all.length ? Math.max(...all) : null,
    big_ring_actions_ms: Object.fromEntries(
      Object.entries(actions).map(([k, v]) => [k, v.length ? Math.max(...v) : null]),
    ),
  };
}

/** A long sandbox session made in the page (NOP round trips), then page seeks. */
async function bigTimeline(page, url, cycles, jumps) {
  await page.goto(url);
  await page
    .getByRole('button', { name: /^(Play|Pause)/ })
    .first()
    .waitFor();
  await page.waitForFunction(() => window.ringsideBench !== undefined);
  await installAfterFrame(page);
  const built = await page.evaluate(
    async ({ cycles }) => {
      const t0 = performance.now();
      const frames = window.ringsideBench.sandboxNopCycles(cycles);
      const t1 = await window.__afterFrame();
      return { frames, ms: t1 - t0 };
    },
    { cycles },
  );
  const seeks = await page.evaluate(
    async ({ jumps }) => {
      const field = document.querySelector('input[type=number]');
      const max = Number(field.getAttribute('max'));
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const out = [];
      let seed = 11;
      const until = (want) =>
        new Promise((done) => {
          const check = () => (field.value === String(want) ? done() : setTimeout(check, 0));
          check();
        });
      for (let i = 0; i < jumps; i++) {
        for (const kind of ['End', 'Home', 'jump']) {
          let want;
          let t0;
          if (kind === 'jump') {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            want = seed % (max + 1);
            field.focus();
            setter.call(field, String(want));
            field.dispatchEvent(new Event('input', { bubbles: true }));
            await window.__afterFrame();
            t0 = performance.now();
            field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
            field.blur();
          } else {
            want = kind === 'Home' ? 0 : max;
            t0 = performance.now();
            document.dispatchEvent(new KeyboardEvent('keydown', { key: kind, bubbles: true }));
          }
          await until(want);
          out.push((await window.__afterFrame()) - t0);
        }
      }
      return out;
    },
    { jumps },
  );
  return {
    page_timeline_frames: built.frames,
    page_timeline_build_ms: built.ms,
    page_seek_p50_ms: pct(seeks, 50),
    page_seek_p95_ms: pct(seeks, 95),
    page_seek_max_ms: Math.max(...seeks),
  };
}

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

    const cdp = await page.context().newCDPSession(page);
    Object.assign(
      out,
      await fastPlay(
        page,
        cdp,
        `${server.url}?s=many-in-flight&step=0&theme=projector`,
        quick ? 3000 : 30000,
        quick ? 1 : 5,
      ),
    );
    Object.assign(out, await bigRing(page, `${server.url}?theme=projector`, quick ? 1 : 3));
    // 11112 NOP round trips in the sandbox make 100k frames (9 each: prep, submit, six kernel steps, reap).
    Object.assign(
      out,
      await bigTimeline(page, `${server.url}?bench&theme=projector`, quick ? 1000 : 11112, quick ? 2 : 10),
    );
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
  return out;
}
