// The stage for a talk and a first lesson (issue 17): every chapter of every scenario owns a step
// that keys 1..9 and the presenter's cards reach; the projector theme has no visible text under
// 18 CSS px at 1280×720 on any panel (caption ≥ 28 px) and its keys switch panels; the code sits
// beside the rings with every line the step ran, in order, in three layers, and the sanitizer
// alarm never covers it; every control is reachable at 1280×720, 1024×768 and 800×600; the embed
// shows its counters whole at 960×540; big rings get an aggregate and a detail; playback says
// why it stopped; chapter flags never overlap; a badge names the kernel of the recordings.
// (Browser globals for page.evaluate come from eslint.config.js.)
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { surveyText } from './fontSurvey.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const WASM = join(root, 'public', 'core.wasm');
const SCENARIOS = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort();

/** @param {import('playwright-core').Page} page */
const cursor = async (page) => Number(await page.getByTestId('timeline').getAttribute('aria-valuenow'));
/** @param {import('playwright-core').Page} page */
async function waitCursor(page, n) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="timeline"]')?.getAttribute('aria-valuenow') === String(want),
    n,
    { timeout: 5000 },
  );
}

/**
 * One step forward with `key`; a checkpoint that asks before the step (predict, then reveal) takes
 * one more press, as a speaker's clicker would give it.
 * @param {import('playwright-core').Page} page
 */
async function stepTo(page, n, key = 'PageDown') {
  await page.keyboard.press(key);
  await page.waitForFunction(
    (want) =>
      document.querySelector('[data-testid="timeline"]')?.getAttribute('aria-valuenow') === String(want) ||
      document.querySelector('[data-testid="checkpoint"]'),
    n,
    { timeout: 5000 },
  );
  if ((await cursor(page)) !== n) await page.keyboard.press(key);
  await waitCursor(page, n);
}

/** The rendered-size survey, failing with the offending texts. */
async function noSmallText(page, what, min = 18) {
  const all = await page.evaluate(`(${surveyText.toString()})()`);
  if (all.length < 20) throw new Error(`${what}: the survey saw only ${all.length} texts`);
  const small = all.filter((t) => t.px < min);
  if (small.length)
    throw new Error(
      `${what}: ${small.length} visible texts under ${min}px, e.g. ${small
        .slice(0, 6)
        .map((t) => `"${t.text}" ${t.px}px in ${t.where}`)
        .join('; ')}`,
    );
  return all.length;
}

/** Whether an element is on screen: inside the window and not clipped away by an ancestor. */
async function onScreen(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    let clip = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
    for (let a = el.parentElement; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        const b = a.getBoundingClientRect();
        clip = {
          left: Math.max(clip.left, b.left),
          top: Math.max(clip.top, b.top),
          right: Math.min(clip.right, b.right),
          bottom: Math.min(clip.bottom, b.bottom),
        };
      }
    }
    // Whole: every edge inside the clip (a pixel of rounding allowed).
    return r.left >= clip.left - 1 && r.top >= clip.top - 1 && r.right <= clip.right + 1 && r.bottom <= clip.bottom + 1;
  });
}

const rect = (l) => l.evaluate((el) => el.getBoundingClientRect().toJSON());
const overlaps = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;

const HEADER_CONTROLS = ['Library', 'Model', 'Sandbox', 'Review', 'Present', 'Share', 'Light', 'Dark', 'Projector'];

/**
 * Every header control and every timeline control can be reached: on screen as it is, or in the
 * header's menu once it is opened.
 * @param {import('playwright-core').Page} page
 */
async function everyControlReachable(page, size) {
  const missing = [];
  const menu = page.locator('details.nav-menu > summary');
  const inMenu = await menu.isVisible();
  if (inMenu) {
    if (!(await onScreen(menu))) missing.push('Menu');
    await menu.click();
  }
  for (const name of HEADER_CONTROLS) {
    const b = page.getByRole('button', { name, exact: true });
    if ((await b.count()) !== 1 || !(await onScreen(b))) missing.push(name);
  }
  for (const name of ['View', 'File']) {
    const sub = page.locator('details.view-menu > summary', { hasText: name }).filter({ visible: true });
    if ((await sub.count()) !== 1 || !(await onScreen(sub.first()))) missing.push(name);
  }
  if (inMenu) await menu.click();
  // The projector's stop buttons live in a menu of the timeline.
  const stops = page.locator('details.bp-menu > summary');
  if (await stops.isVisible()) {
    if (!(await onScreen(stops))) missing.push('pause at…');
    await stops.click();
  }
  for (const sel of [
    '.transport-buttons button',
    '[data-testid="jump"]',
    '[data-testid="timeline"]',
    '.speed input',
    '.bp',
    '.chapters button',
    'button[aria-label="Keyboard shortcuts"]',
    '.picker select',
  ]) {
    const all = page.locator(sel);
    const n = await all.count();
    if (!n) missing.push(sel);
    for (let i = 0; i < n; i++) if (!(await onScreen(all.nth(i)))) missing.push(`${sel} #${i}`);
  }
  if (missing.length) throw new Error(`at ${size}: not reachable: ${missing.join(', ')}`);
}

export const tests = [
  {
    name: 'every chapter of every scenario owns a step: keys 1..9 and presenter cards reach each',
    async run(page, { url }) {
      const { chapterStarts } = await tsImport('../../web/src/test/chapterStarts.ts', import.meta.url);
      let checked = 0;
      for (const file of SCENARIOS) {
        const exp = await chapterStarts(JSON.parse(readFileSync(join(root, 'scenarios', file), 'utf8')), WASM);
        const starts = exp.chapters.map((c) => c.frame);
        exp.chapters.forEach((c, i) => {
          if (c.frame < 0) throw new Error(`${exp.id}: chapter ${i + 1} "${c.title}" never starts`);
          if (i && c.frame <= starts[i - 1])
            throw new Error(
              `${exp.id}: chapter ${i + 1} "${c.title}" has no step of its own (step ${c.frame}, chapter ${i} at ${starts[i - 1]})`,
            );
        });
        await page.goto(`${url}?s=${exp.id}`);
        await page.getByTestId('caption').waitFor();
        for (let n = 0; n < Math.min(9, exp.chapters.length); n++) {
          await page.keyboard.press(String(n + 1));
          await waitCursor(page, starts[n]);
          const head = (await page.locator('.where-chapter').textContent())?.trim();
          if (head !== `${n + 1}. ${exp.chapters[n].title}`) throw new Error(`${exp.id}: key ${n + 1} shows "${head}"`);
          checked++;
        }
        // Presenter mode: from each chapter's card, the clicker walks to the next chapter's card.
        await page.getByRole('button', { name: 'Present', exact: true }).click();
        await page.keyboard.press('1');
        for (let n = 0; n < exp.chapters.length; n++) {
          const card = page.getByTestId('title-card');
          await card.waitFor();
          const text = await card.textContent();
          if (!text?.includes(`Chapter ${n + 1}`) || !text.includes(exp.chapters[n].title))
            throw new Error(`${exp.id}: card ${n + 1} reads "${text}"`);
          await page.keyboard.press('PageDown');
          await card.waitFor({ state: 'hidden' });
          const head = (await page.locator('.where-chapter').textContent())?.trim();
          if (head !== `${n + 1}. ${exp.chapters[n].title}`)
            throw new Error(`${exp.id}: after card ${n + 1} the screen is headed "${head}"`);
          if (n + 1 < exp.chapters.length) {
            const gap = starts[n + 1] - starts[n];
            if (gap > 6) await page.keyboard.press(String(n + 2 <= 9 ? n + 2 : 0));
            else {
              // A checkpoint on the way asks first and reveals on the next press: press until the card.
              for (let k = 0; k < 2 * gap + 2 && !(await card.isVisible()); k++) {
                await page.keyboard.press('PageDown');
                await page.waitForTimeout(60);
              }
            }
          }
        }
        await page.keyboard.press('Escape');
      }
      if (checked < 40) throw new Error(`only ${checked} chapters checked`);
    },
  },
  {
    name: 'projector theme at 1280×720: no visible text under 18px on any panel, caption ≥ 28px, keys switch panels',
    async run(page, { url, results }) {
      await page.goto(`${url}#p=1&s=v5-queued-task-work&t=6&th=projector`);
      await page.getByTestId('caption').waitFor();
      await page.waitForTimeout(300);
      const cap = await page.getByTestId('caption').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      if (cap < 28) throw new Error(`caption ${cap}px`);
      const notes = page.locator('.chapter-notes');
      if (await notes.count()) {
        const cut = await notes.evaluate(
          (el) =>
            el.scrollWidth > el.clientWidth + 1 ||
            el.scrollHeight > el.clientHeight + 1 ||
            getComputedStyle(el).textOverflow === 'ellipsis',
        );
        if (cut) throw new Error('the chapter note is cut');
      }
      const focus = async () => page.locator('.stage-grid').getAttribute('data-focus');
      // The chapter on screen declares its panels (scenarios/v5-queued-task-work.json).
      const declared = JSON.parse(readFileSync(join(root, 'scenarios', 'v5-queued-task-work.json'), 'utf8')).chapters[0]
        .panels ?? ['rings', 'code'];
      if ((await focus()) !== declared.join(','))
        throw new Error(`focus ${await focus()}, the chapter declares ${declared}`);
      let texts = await noSmallText(page, 'rings + code');
      await page.screenshot({ path: join(results, 'stage-projector-1280.png') });
      for (const [key, panel] of [
        ['w', 'lanes'],
        ['s', 'state'],
        ['b', 'bytes'],
        ['t', 'trace'],
        ['r', 'rings'],
      ]) {
        await page.keyboard.press(key);
        await page.waitForFunction(
          (p) => document.querySelector('.stage-grid')?.getAttribute('data-focus')?.split(',').includes(p),
          panel,
        );
        await page.waitForTimeout(150);
        texts += await noSmallText(page, `key ${key} (${await focus()})`);
      }
      // The code panel comes back with C, and a panel shown and not alone goes away again.
      await page.keyboard.press('c');
      await page.waitForFunction(() =>
        document.querySelector('.stage-grid')?.getAttribute('data-focus')?.includes('code'),
      );
      await page.keyboard.press('c');
      await page.waitForFunction(
        () => !document.querySelector('.stage-grid')?.getAttribute('data-focus')?.includes('code'),
      );
      // Presenter mode: the chapter's panels, no chrome, the same floor.
      await page.keyboard.press('c');
      await page.getByRole('button', { name: 'Present', exact: true }).click();
      await page.keyboard.press('2');
      await page.keyboard.press('PageDown');
      await page.getByTestId('title-card').waitFor({ state: 'hidden' });
      texts += await noSmallText(page, 'presenter mode');
      await page.keyboard.press('y');
      await page.waitForFunction(() =>
        document.querySelector('.stage-grid')?.getAttribute('data-focus')?.includes('bytes'),
      );
      texts += await noSmallText(page, 'presenter mode, bytes');
      await page.screenshot({ path: join(results, 'stage-presenter-1280.png') });
      console.log(`     ${texts} visible texts measured, none under 18px`);
    },
  },
  {
    name: 'the code is beside the rings at every step of a scenario, lines in order, three layers',
    async run(page, { url }) {
      await page.goto(`${url}?s=v5-queued-task-work`);
      await page.getByTestId('caption').waitFor();
      const last = Number((await page.getByTestId('position').textContent())?.replace(/\D+/g, ''));
      for (let i = 0; i <= last; i++) {
        const code = page.getByTestId('code-panel');
        const rings = page.locator('.rings-panel');
        if (!(await code.isVisible())) throw new Error(`step ${i}: no code panel`);
        const [c, r] = [await rect(code), await rect(rings)];
        if (!(c.left >= r.right - 1 && c.top < r.bottom && r.top < c.bottom))
          throw new Error(`step ${i}: the code is not beside the rings`);
        for (const layer of ['driver', 'abstraction', 'c'])
          if (!(await page.locator(`[data-layer="${layer}"]`).count())) throw new Error(`step ${i}: no ${layer} layer`);
        if (i < last) {
          await stepTo(page, i + 1);
        }
      }
      // The issue step's driver lines, numbered in the order they ran (dev_info! then enqueue).
      await page.keyboard.press('1');
      const driver = page.locator('[data-layer="driver"]');
      const orders = await driver
        .locator('tr[data-order]')
        .evaluateAll((rows) =>
          rows.map((r) => [Number(r.getAttribute('data-order')), Number(r.getAttribute('data-line'))]),
        );
      if (orders.length < 2)
        throw new Error(`expected several driver lines in the issue step, found ${JSON.stringify(orders)}`);
      const byOrder = [...orders].sort((a, b) => a[0] - b[0]);
      if (byOrder.some((o, k) => k && o[1] <= byOrder[k - 1][1]))
        throw new Error(`driver lines out of order: ${JSON.stringify(byOrder)}`);
      const c = page.locator('[data-layer="c"]');
      if (!(await c.locator('.c-outline[data-fn="io_uring_cmd"]').count()))
        throw new Error('no outline of io_uring_cmd() in the issue step');
      const note = await page.getByTestId('c-outline-note').textContent();
      if (!/outline/.test(note ?? '') || !/v6\.\d+/.test(note ?? ''))
        throw new Error(`the C layer does not say it is an outline of upstream: ${note}`);
      const href = await c.locator('.c-outline[data-fn="io_uring_cmd"] a').getAttribute('href');
      if (!href?.includes('/v6.') || !href.endsWith('/io_uring_cmd')) throw new Error(`upstream link ${href}`);
    },
  },
  {
    name: 'presenter at 1280×720: one code layer open with room to read, the others fold to a line; Speaker view covers nothing',
    async run(page, { url, results }) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(`${url}?s=v5-queued-task-work&theme=projector`);
      await page.getByTestId('caption').waitFor();
      await page.getByRole('button', { name: 'Present', exact: true }).click();
      const open = page.locator('.code-layer:not([data-folded]):not(.idle)');
      let sawDriver = false;
      let sawC = false;
      for (let i = 1; i <= 12; i++) {
        await page.keyboard.press('PageDown');
        await page.getByTestId('title-card').waitFor({ state: 'hidden' });
        if (!(await page.getByTestId('code-panel').isVisible())) continue;
        if ((await open.count()) !== 1) throw new Error(`press ${i}: ${await open.count()} code layers open, want 1`);
        const layer = await open.getAttribute('data-layer');
        // The open layer gets the panel's room: at least 8 lines of its code are on screen.
        const lines = await open.evaluate((el) => {
          const box = el.querySelector('.source, .c-lines');
          if (!box) return 99;
          const lh = parseFloat(getComputedStyle(box.querySelector('tr, .c-lines') ?? box).lineHeight) || 24;
          return Math.floor(Math.min(box.clientHeight, box.scrollHeight) / lh);
        });
        const hasCode = await open.locator('.source, .c-lines').count();
        if (hasCode && lines < 8) throw new Error(`press ${i}: the open ${layer} layer shows ${lines} lines`);
        if (layer === 'driver') sawDriver = true;
        if (layer === 'c') sawC = true;
        for (const folded of await page.locator('.code-layer[data-folded]').all())
          if ((await folded.locator('.c-lines, tr').count()) > 1)
            throw new Error(`press ${i}: a folded layer shows more than the one line it ran last`);
        const speaker = await rect(page.getByRole('button', { name: 'Speaker view' }));
        for (const sel of ['[data-testid="code-panel"]', '.rings-panel', '.chapters', '[data-testid="caption"]']) {
          const el = page.locator(sel).first();
          if ((await el.count()) && (await el.isVisible()) && overlaps(speaker, await rect(el)))
            throw new Error(`press ${i}: the Speaker view button covers ${sel}`);
        }
        if (sawDriver && sawC) break;
      }
      if (!sawDriver || !sawC)
        throw new Error(`the open layer never followed the step (driver ${sawDriver}, C ${sawC})`);
      // A folded heading unfolds its layer on click.
      const folded = page.locator('.code-layer[data-folded] .layer-unfold').first();
      const which = await folded.evaluate((b) => b.closest('.code-layer')?.getAttribute('data-layer'));
      await folded.click();
      if ((await open.getAttribute('data-layer')) !== which)
        throw new Error(`clicking ${which}'s heading left it folded`);
      await page.screenshot({ path: join(results, 'stage-presenter-code-1280.png') });
    },
  },
  {
    name: 'the sanitizer alarm docks beside the code and never covers it (normal and projector)',
    async run(page, { url, results }) {
      for (const th of ['light', 'projector']) {
        await page.goto(`${url}?s=hazard-double-done&theme=${th}`);
        await page.getByTestId('caption').waitFor();
        await page.keyboard.press('2');
        const alarm = page.getByTestId('sanitizer-alarm');
        await alarm.waitFor();
        const code = page.getByTestId('code-panel');
        if (!(await code.isVisible())) throw new Error(`${th}: the code panel is gone while the alarm is up`);
        if (overlaps(await rect(alarm), await rect(code))) throw new Error(`${th}: the alarm covers the code`);
        await page.screenshot({ path: join(results, `stage-alarm-${th}.png`) });
      }
    },
  },
  {
    name: 'every control is reachable at 1280×720, 1024×768 and 800×600 (a menu, not clipped buttons)',
    async run(page, { url, results }) {
      for (const [w, h] of [
        [1280, 720],
        [1024, 768],
        [800, 600],
      ]) {
        await page.setViewportSize({ width: w, height: h });
        await page.goto(`${url}?s=v5-queued-task-work`);
        await page.getByTestId('caption').waitFor();
        await page.keyboard.press('2');
        await everyControlReachable(page, `${w}×${h}`);
        const code = await rect(page.getByTestId('code-panel'));
        const rings = await rect(page.locator('.rings-panel'));
        if (!(code.left >= rings.right - 1 && code.top < rings.bottom))
          throw new Error(`${w}×${h}: the code is not beside the rings`);
        for (const id of ['sq-head', 'sq-tail', 'cq-head', 'cq-tail'])
          if (!(await onScreen(page.getByTestId(id)))) throw new Error(`${w}×${h}: ${id} is cut`);
        await page.screenshot({ path: join(results, `stage-${w}x${h}.png`) });
      }
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(`${url}?s=v5-queued-task-work&theme=projector`);
      await page.getByTestId('caption').waitFor();
      await everyControlReachable(page, '1280×720 projector');
    },
  },
  {
    name: 'the embed at 960×540 shows its counters whole',
    async run(page, { url, results }) {
      await page.setViewportSize({ width: 960, height: 540 });
      await page.goto(`${url}embed.html?s=v5-queued-task-work&step=8`);
      await page.getByTestId('caption').waitFor();
      for (const id of ['sq-head', 'sq-tail', 'cq-head', 'cq-tail']) {
        const el = page.getByTestId(id);
        if (!(await onScreen(el))) throw new Error(`${id} is cut`);
        const words = el.locator('xpath=ancestor::dl[1]');
        if (!(await onScreen(words))) throw new Error(`the counters around ${id} are cut`);
      }
      if (!(await onScreen(page.getByTestId('embed-step')))) throw new Error('the step counter is cut');
      await page.screenshot({ path: join(results, 'stage-embed-960x540.png') });
    },
  },
  {
    name: 'a ring with more slots than fit: an aggregate and a zoomable detail, no grid over the ring',
    async run(page, { url, results }) {
      await page.goto(`${url}#p=1&s=many-in-flight&t=300`);
      await page.getByTestId('caption').waitFor();
      if (await page.locator('.sqe-box').count()) throw new Error('the 256-entry SQ is drawn as a grid of boxes');
      const summary = await page.getByTestId('sqe-summary').textContent();
      if (!/pending/.test(summary ?? '')) throw new Error(`summary: ${summary}`);
      const detail = page.getByTestId('sq-detail');
      const slots = async () =>
        detail.locator('.detail-slot').evaluateAll((e) => e.map((x) => Number(x.getAttribute('data-slot'))));
      const before = await slots();
      if (before.length !== 16) throw new Error(`detail shows ${before.length} slots`);
      await detail.getByRole('button', { name: 'Later SQ slots' }).click();
      const after = await slots();
      if (after[0] !== before[0] + 16) throw new Error(`panning moved ${before[0]} → ${after[0]}`);
      await detail.getByRole('combobox').selectOption('32');
      if ((await slots()).length !== 32) throw new Error('zoom to 32 slots');
      const ring = await rect(page.locator('.ring-sq svg'));
      for (const box of [await rect(detail), await rect(page.getByTestId('sqe-summary'))])
        if (overlaps(box, ring)) throw new Error('the detail covers the ring');
      await page.screenshot({ path: join(results, 'stage-big-ring.png') });
    },
  },
  {
    name: 'playback says why it stopped; chapter flags never overlap; the badge names the recorded kernel',
    async run(page, { url }) {
      await page.goto(`${url}?s=v5-queued-task-work`);
      await page.getByTestId('caption').waitFor();
      await page.keyboard.press('+');
      await page.keyboard.press('+');
      await page.keyboard.press('p');
      const status = page.getByTestId('play-status');
      await status.waitFor({ timeout: 15000 });
      const at = await cursor(page);
      const text = await status.textContent();
      if (!text?.includes(`step ${at}`) || !/-EIOCBQUEUED|task_work|CQE|device|sanitizer|EAGAIN/.test(text))
        throw new Error(`status "${text}" at step ${at}`);
      if ((await status.getAttribute('data-why')) !== 'stop') throw new Error('expected a pause-at stop');
      await page.keyboard.press('End');
      await page.keyboard.press('Home');
      for (const file of ['v5-queued-task-work', 'v3-sync-set-get', 'eagain-reissue', 'ublk-fetch-cancel']) {
        for (const th of ['light', 'projector']) {
          await page.goto(`${url}?s=${file}&theme=${th}`);
          await page.getByTestId('caption').waitFor();
          const boxes = await page
            .locator('g.tl-chapter path')
            .evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().toJSON()));
          for (let i = 1; i < boxes.length; i++)
            if (overlaps(boxes[i - 1], boxes[i]))
              throw new Error(`${file} (${th}): chapter flags ${i} and ${i + 1} overlap`);
        }
      }
      const releases = {};
      for (const f of readdirSync(join(root, 'conformance', 'traces')).filter((n) => n.endsWith('.json'))) {
        const r = JSON.parse(readFileSync(join(root, 'conformance', 'traces', f), 'utf8')).kernel?.release;
        if (r) releases[r] = (releases[r] ?? 0) + 1;
      }
      const top = Object.entries(releases).sort((a, b) => b[1] - a[1])[0]?.[0];
      const series = top?.match(/^\d+\.\d+/)?.[0];
      // A scenario on the default profile is named by the recordings' kernel; one that picks the v5
      // series' base names that profile, and its title still says what the recordings were made on.
      await page.goto(`${url}?s=nop-batch`);
      await page.getByTestId('caption').waitFor();
      const badge = page.getByTestId('kernel-badge');
      const named = (await badge.textContent())?.trim();
      if (!series || named !== `Linux ${series}`) throw new Error(`badge "${named}", recordings on ${top}`);
      await page.goto(`${url}?s=v5-queued-task-work`);
      await page.getByTestId('caption').waitFor();
      const v5 = (await badge.textContent())?.trim();
      if (v5 !== 'Linux 6.19 (v5 base)') throw new Error(`v5 scenario badge "${v5}"`);
      if (!(await badge.getAttribute('title'))?.includes(`Linux ${top}`))
        throw new Error(`the v5 badge's title should name the recordings' kernel ${top}`);
    },
  },
];
