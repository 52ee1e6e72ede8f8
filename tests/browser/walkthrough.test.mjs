// The guided walkthrough: each scenario is walked from start to end with the keyboard (Space,
// ".", PageDown) and back again (PageUp, Backspace). At every semantic stop and chapter start
// the page must show what the same core computes in Node (web/src/test/oracle.ts): the ring
// indices, the followed request's lane and state, the lit state-diagram box, the caption, and
// the running code line (or, for a core without source locations, the upstream functions).
//
// nop-batch and cq-overflow-nop always run. v5-queued-task-work and eagain-reissue are walked
// as soon as their files exist in scenarios/, and fail if they cannot be walked.
// (Browser globals for page.evaluate come from eslint.config.js.)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const WASM = join(root, 'public', 'core.wasm');
const ALWAYS = ['nop-batch', 'cq-overflow-nop'];
const WHEN_PRESENT = ['v5-queued-task-work', 'eagain-reissue'];
const FORWARD_KEYS = ['Space', '.', 'PageDown'];
const BACK_KEYS = ['PageUp', 'Backspace'];

function scenarioFile(id) {
  return join(root, 'scenarios', `${id}.json`);
}

/** @param {import('playwright-core').Page} page */
async function cursor(page) {
  return Number(await page.getByTestId('timeline').getAttribute('aria-valuenow'));
}

/** @param {import('playwright-core').Page} page */
async function waitCursor(page, n) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="timeline"]')?.getAttribute('aria-valuenow') === String(want),
    n,
    { timeout: 5000 },
  );
}

function fail(id, f, what, want, got) {
  throw new Error(`${id}, step ${f.index}: ${what}: expected ${JSON.stringify(want)}, found ${JSON.stringify(got)}`);
}

/**
 * Checks everything the walkthrough promises about one frame.
 * @param {import('playwright-core').Page} page
 */
async function checkFrame(page, id, f, hasSources) {
  const text = async (tid) => (await page.getByTestId(tid).textContent())?.trim();
  const hasRings = (await page.locator('.rings-panel').count()) > 0;
  for (const [tid, want] of hasRings
    ? [
        ['sq-head', f.sq.head],
        ['sq-tail', f.sq.tail],
        ['cq-head', f.cq.head],
        ['cq-tail', f.cq.tail],
      ]
    : []) {
    const got = await text(tid);
    if (got !== String(want)) fail(id, f, tid, String(want), got);
  }
  const caption = await text('caption');
  if (caption !== f.caption) fail(id, f, 'caption', f.caption, caption);
  // The projector theme's focused stage shows two panels at a time: check the ones on screen.
  const hasState = (await page.locator('.state-panel').count()) > 0;
  const hasLanes = (await page.locator('.lanes-panel').count()) > 0;
  const litBox = page.locator('g.state.current');
  const lit = (await litBox.count()) ? await litBox.getAttribute('data-state') : null;
  if (hasState && lit !== f.diagram) fail(id, f, 'state diagram', f.diagram, lit);
  if (f.focus && hasLanes) {
    const tok = page.locator(`g.token[data-req="${f.focus.serial}"]`);
    const lane = await tok.getAttribute('data-lane');
    const state = await tok.getAttribute('data-state');
    if (lane !== f.focus.lane) fail(id, f, `lane of request ${f.focus.serial}`, f.focus.lane, lane);
    if (state !== f.focus.state) fail(id, f, `state of request ${f.focus.serial}`, f.focus.state, state);
    const cls = (await tok.getAttribute('class')) ?? '';
    if (!cls.includes('focus')) fail(id, f, 'followed token', 'focus', cls);
  }
  // The focused stage may show two other panels; the code is checked whenever it is on screen.
  const hasCode = (await page.getByTestId('code-panel').count()) > 0;
  if (!hasCode) {
    // Nothing to read here: the lanes or the state diagram were checked above.
  } else if (hasSources && f.code) {
    const row = page.getByTestId('code-line-current');
    const line = await row.getAttribute('data-line');
    const file = await page.locator('table.code:has([data-testid="code-line-current"])').getAttribute('data-file');
    if (line !== String(f.code.line) || file !== f.code.file)
      fail(id, f, 'running code line', `${f.code.file}:${f.code.line}`, `${file}:${line}`);
  } else {
    const fns = await page
      .locator('[data-testid="step-functions"] li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-fn')));
    if (JSON.stringify(fns) !== JSON.stringify(f.functions)) fail(id, f, 'upstream functions', f.functions, fns);
  }
  const alarm = await page.getByTestId('sanitizer-alarm').count();
  if (alarm > 0 !== f.sanitizers.length > 0) fail(id, f, 'sanitizer alarm shown', f.sanitizers.length > 0, alarm > 0);
}

async function walk(page, url, results, id) {
  const file = scenarioFile(id);
  if (!existsSync(file)) throw new Error(`scenarios/${id}.json is missing`);
  const { expectedWalk } = await tsImport('../../web/src/test/oracle.ts', import.meta.url);
  let exp;
  try {
    exp = await expectedWalk(JSON.parse(readFileSync(file, 'utf8')), WASM);
  } catch (err) {
    throw new Error(`scenarios/${id}.json cannot be walked: ${err?.message ?? err}`, { cause: err });
  }
  const last = exp.frames.length - 1;
  const chapterFrames = new Set(exp.chapters.map((c) => c.frame).filter((n) => n >= 0));
  const isStop = (f) => f.stops.length > 0 || chapterFrames.has(f.index);
  const stops = exp.frames.filter(isStop);
  if (stops.length === 0) throw new Error(`${id}: no semantic stop or chapter to check`);

  await page.goto(`${url}?s=${id}&theme=light`);
  await page.getByTestId('caption').waitFor();
  if ((await page.locator('.caption-meta .where').textContent())?.startsWith(exp.title) !== true)
    throw new Error(`${id}: the page did not open the scenario`);
  await waitCursor(page, 0);
  await checkFrame(page, id, exp.frames[0], exp.hasSources);

  // Forward with the keyboard, checking every stop; a screenshot at the first stop of each kind.
  const shot = new Set();
  for (let i = 1; i <= last; i++) {
    const key = FORWARD_KEYS[i % FORWARD_KEYS.length];
    await page.keyboard.press(key);
    // A checkpoint asks before its step (predict, then reveal): the same key again reveals it.
    await page.waitForFunction(
      (want) =>
        document.querySelector('[data-testid="timeline"]')?.getAttribute('aria-valuenow') === String(want) ||
        document.querySelector('[data-testid="checkpoint"]'),
      i,
      { timeout: 5000 },
    );
    if (await page.getByTestId('checkpoint').count()) {
      if ((await cursor(page)) !== i - 1) throw new Error(`${id}: a checkpoint's question moved the cursor`);
      await page.keyboard.press(key);
      await page.getByTestId('checkpoint-answer').waitFor();
    }
    await waitCursor(page, i);
    const f = exp.frames[i];
    if (!isStop(f)) continue;
    await checkFrame(page, id, f, exp.hasSources);
    const kind =
      f.stops.find((k) => !shot.has(k)) ?? (chapterFrames.has(i) && !shot.has(`chapter-${i}`) ? `chapter-${i}` : null);
    if (kind) {
      shot.add(kind);
      await page.waitForTimeout(500); // Let tokens and markers finish gliding.
      await page.screenshot({ path: join(results, `walkthrough-${id}-${String(i).padStart(3, '0')}-${kind}.png`) });
    }
  }
  // The end: one more advance does nothing.
  await page.keyboard.press('Space');
  if ((await cursor(page)) !== last) throw new Error(`${id}: advancing past the end moved the cursor`);

  // And back again, checking the same stops. How quick a step back is belongs to `npm run bench`
  // (page seek), not to a timed test: a loaded machine must not fail a behaviour check.
  for (let i = last - 1; i >= 0; i--) {
    await page.keyboard.press(BACK_KEYS[i % BACK_KEYS.length]);
    await waitCursor(page, i);
    const f = exp.frames[i];
    if (isStop(f)) await checkFrame(page, id, f, exp.hasSources);
  }

  // Chapters by number key, then the themes at the richest stop.
  for (let n = 0; n < Math.min(exp.chapters.length, 9); n++) {
    const ch = exp.chapters[n];
    if (ch.frame < 0) continue;
    await page.keyboard.press(String(n + 1));
    await waitCursor(page, ch.frame);
    await checkFrame(page, id, exp.frames[ch.frame], exp.hasSources);
  }
  const rank = ['sanitizer', 'eagain', 'eiocbqueued', 'task_work_ran', 'device_done', 'cqe_posted', 'sqe_published'];
  const best = [...stops].sort(
    (a, b) =>
      Math.min(...a.stops.map((k) => rank.indexOf(k)), 99) - Math.min(...b.stops.map((k) => rank.indexOf(k)), 99),
  )[0];
  await page.locator('[data-testid="jump"]').fill(String(best.index));
  await page.locator('[data-testid="jump"]').press('Enter');
  await waitCursor(page, best.index);
  for (const theme of ['light', 'dark', 'projector']) {
    await page.getByRole('button', { name: theme[0].toUpperCase() + theme.slice(1), exact: true }).click();
    await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
    await page.waitForTimeout(450); // Let the colour transitions finish before the picture.
    await checkFrame(page, id, best, exp.hasSources);
    if (theme === 'projector') {
      // W and S switch the focused stage to the lanes, then the state diagram.
      for (const key of ['w', 's']) {
        await page.keyboard.press(key);
        await page.waitForTimeout(200);
        await checkFrame(page, id, best, exp.hasSources);
      }
    }
    await page.screenshot({ path: join(results, `walkthrough-${id}-${theme}.png`) });
  }
  return { frames: exp.frames.length, stops: stops.length };
}

const ids = [...ALWAYS, ...WHEN_PRESENT.filter((id) => existsSync(scenarioFile(id)))];

export const tests = [
  ...ids.map((id) => ({
    name: `walk ${id} with the keyboard, forward and back`,
    async run(page, { url, results }) {
      const r = await walk(page, url, results, id);
      console.log(`     ${id}: ${r.frames} frames, ${r.stops} stops checked both ways`);
    },
  })),
  {
    name: 'the page is usable at 1920×1080 and makes no request but core.wasm',
    async run(page, { url, results }) {
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.goto(`${url}?s=nop-batch&theme=projector`);
      await page.getByTestId('caption').waitFor();
      await page.keyboard.press('4');
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="timeline"]')?.getAttribute('aria-valuenow')) > 0,
      );
      await page.screenshot({ path: join(results, 'walkthrough-1920-projector.png') });
      const base = new URL(url);
      const other = requests.filter((u) => {
        const p = new URL(u);
        if (p.origin !== base.origin) return true;
        return !(
          p.pathname.startsWith(base.pathname) &&
          (/\.(js|css|html)$/.test(p.pathname) || p.pathname.endsWith('/') || p.pathname.endsWith('core.wasm'))
        );
      });
      if (other.length) throw new Error(`unexpected requests: ${other.join(', ')}`);
      if (!requests.some((u) => u.endsWith('core.wasm'))) throw new Error('core.wasm was not loaded');
      // Nothing overflows the window: the stage fits at this size.
      const overflow = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
      if (overflow > 0) throw new Error(`the page scrolls by ${overflow}px at 1920×1080`);
    },
  },
  {
    name: 'keyboard sheet, library and model pages',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=cq-overflow-nop&theme=dark`);
      await page.getByTestId('caption').waitFor();
      await page.keyboard.press('Shift+Slash');
      await page.getByRole('dialog').waitFor();
      await page.screenshot({ path: join(results, 'walkthrough-help.png') });
      await page.keyboard.press('Escape');
      await page.keyboard.press('l');
      await page.getByRole('heading', { name: 'Scenarios' }).waitFor();
      await page.screenshot({ path: join(results, 'walkthrough-library.png') });
      await page.keyboard.press('m');
      await page.getByRole('heading', { name: 'Model and simplifications' }).waitFor();
      await page.screenshot({ path: join(results, 'walkthrough-model.png') });
      await page.keyboard.press('Escape');
      await page.getByTestId('caption').waitFor();
    },
  },
];
