// The embed (embed.html) driven by a host page over postMessage, presenter mode with its speaker
// view in a second window (BroadcastChannel), and review mode.
// (Browser globals for page.evaluate come from eslint.config.js.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '../../scripts/serve.mjs';

/** A host page (served by the test, at another origin) that iframes the embed and records its messages. */
function hostPage(frames) {
  const iframes = frames
    .map((f) => `<iframe id="${f.id}" src="${f.src}" title="${f.id}" width="900" height="520"></iframe>`)
    .join('\n');
  return `<!doctype html><html><head><title>Host</title></head><body>
<p id="host">A documentation page.</p>
${iframes}
<script>
  window.__events = [];
  window.addEventListener('message', (e) => {
    const from = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
    window.__events.push({ from: from ? from.id : null, origin: e.origin, data: e.data });
  });
  window.send = (id, m) => document.getElementById(id).contentWindow.postMessage(m, '*');
</script></body></html>`;
}

/** @param {import('playwright-core').Page} page */
async function events(page, id) {
  return page.evaluate((i) => window.__events.filter((e) => e.from === i).map((e) => e.data), id);
}

/** Waits for an event from iframe `id` matching `pred` (a function source), after index `after`. */
async function waitEvent(page, id, pred, after = 0) {
  await page.waitForFunction(
    ([i, p, a]) =>
      window.__events
        .filter((e) => e.from === i)
        .slice(a)
        .some((e) => new Function('m', `return (${p})(m)`)(e.data)),
    [id, pred, after],
    { timeout: 8000 },
  );
  const all = await events(page, id);
  return all.slice(after).find((m) => new Function('m', `return (${pred})(m)`)(m));
}

/** The embed test proper, on the host page at `hostUrl`. */
async function drive(page, hostUrl, results) {
  await page.goto(hostUrl);
  const ready = await waitEvent(page, 'main', "m => m.type === 'ringside:ready'");
  if (ready.step !== 2 || ready.from !== 2 || ready.to !== 20 || ready.scenario !== 'v5-queued-task-work')
    throw new Error(`ready event: ${JSON.stringify(ready)}`);
  const frame = page.frameLocator('#main');
  if ((await frame.getByTestId('embed-title').textContent()) !== 'Queued uring_cmd')
    throw new Error('the embed shows its title');
  let n = (await events(page, 'main')).length;
  await page.evaluate(() => window.send('main', { type: 'ringside:seek', step: 5 }));
  await waitEvent(page, 'main', "m => m.type === 'ringside:state' && m.step === 5", n);
  n = (await events(page, 'main')).length;
  await page.evaluate(() => window.send('main', { type: 'ringside:step' }));
  await waitEvent(page, 'main', "m => m.type === 'ringside:state' && m.step === 6", n);
  n = (await events(page, 'main')).length;
  await page.evaluate(() => window.send('main', { type: 'ringside:back' }));
  await waitEvent(page, 'main', 'm => m.step === 5', n);
  n = (await events(page, 'main')).length;
  await page.evaluate(() => window.send('main', { type: 'ringside:seek', step: 500 }));
  await waitEvent(page, 'main', 'm => m.step === 20', n);
  n = (await events(page, 'main')).length;
  await page.evaluate(() => window.send('main', { type: 'ringside:get-state' }));
  const st = await waitEvent(page, 'main', "m => m.type === 'ringside:state'", n);
  if (st.step !== 20 || st.total < 20 || typeof st.caption !== 'string' || st.playing !== false)
    throw new Error(`get-state: ${JSON.stringify(st)}`);
  n = (await events(page, 'main')).length;
  await page.evaluate(() => window.send('main', { type: 'ringside:seek', step: -3 }));
  const err = await waitEvent(page, 'main', "m => m.type === 'ringside:error'", n);
  if (!/non-negative/.test(err.error)) throw new Error(`error event: ${JSON.stringify(err)}`);
  n = (await events(page, 'main')).length;
  await page.evaluate(() => window.send('main', { type: 'ringside:seek', step: 2 }));
  await page.evaluate(() => window.send('main', { type: 'ringside:play' }));
  await waitEvent(page, 'main', 'm => m.playing === true', n);
  await page.evaluate(() => window.send('main', { type: 'ringside:pause' }));
  await waitEvent(page, 'main', 'm => m.playing === false', n);
  await page.screenshot({ path: join(results, 'embed-host.png') });
  // Keys: the host keeps them while the embed is not focused.
  const before = await frame.getByTestId('embed-step').textContent();
  await page.locator('#host').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await page.waitForTimeout(300);
  if ((await frame.getByTestId('embed-step').textContent()) !== before)
    throw new Error('the embed took keys typed into the host page');
  await frame.locator('.embed').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(200);
  const after = await frame.getByTestId('embed-step').textContent();
  if (after === before) throw new Error('the focused embed should step with ArrowRight');
  // An embed that only listens to another origin ignores this host, and tells it nothing.
  await page.evaluate(() => window.send('other', { type: 'ringside:get-state' }));
  await page.evaluate(() => window.send('other', { type: 'ringside:seek', step: 4 }));
  await page.waitForTimeout(500);
  if ((await events(page, 'other')).length) throw new Error('an embed bound to another origin answered this host');
  if ((await page.frameLocator('#other').getByTestId('embed-step').textContent())?.startsWith('step 4'))
    throw new Error('an embed bound to another origin obeyed this host');
  // Autoplay and loop inside the range.
  await page.waitForFunction(
    () => {
      const steps = window.__events
        .filter((e) => e.from === 'loop' && e.data.type === 'ringside:state')
        .map((e) => e.data.step);
      const i = steps.indexOf(3);
      return i >= 0 && steps.slice(i + 1).includes(0);
    },
    null,
    { timeout: 8000 },
  );
  const loopSteps = (await events(page, 'loop')).map((m) => m.step);
  if (loopSteps.some((s) => s > 3)) throw new Error(`the loop left its range: ${loopSteps}`);
}

export const tests = [
  {
    name: 'embed: a host page drives it with postMessage and receives its state; keys stay with the host until it is focused',
    async run(page, { url, results }) {
      // The host is a second local server: another origin (another port) on the loopback address.
      const dir = mkdtempSync(join(tmpdir(), 'ringside-host-'));
      const host = await serveStatic(dir, { base: '/' });
      const HOST = new URL(host.url).origin;
      const src = (q) => `${url}embed.html?${q}`;
      writeFileSync(
        join(dir, 'docs.html'),
        hostPage([
          {
            id: 'main',
            src: src(
              `s=v5-queued-task-work&from=2&to=20&origin=${HOST}&title=${encodeURIComponent('Queued uring_cmd')}`,
            ),
          },
          { id: 'other', src: src('s=nop-batch&origin=http://other.test') },
          { id: 'loop', src: src('s=nop-batch&from=0&to=3&autoplay=1&loop=1&speed=20') },
        ]),
      );
      try {
        await drive(page, `${HOST}/docs.html`, results);
      } finally {
        await host.close();
      }
    },
  },
  {
    name: 'presenter mode: clicker keys, chapter title cards, blank screen, and a speaker view kept in step',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=v5-queued-task-work&theme=projector`);
      await page.getByTestId('caption').waitFor();
      await page.getByRole('button', { name: 'Present' }).click();
      await page.waitForFunction(
        () => !document.querySelector('.app-header') && document.querySelector('.app.presenting'),
      );
      const stepOf = async (p) => (await p.getByTestId('step-of').textContent())?.trim();
      const speaker = await page.context().newPage();
      await speaker.goto(`${url}?speaker`);
      await speaker.getByTestId('sv-step').waitFor();
      const svStep = async () => (await speaker.getByTestId('sv-step').textContent())?.trim();
      if ((await svStep()) !== '0') throw new Error(`the speaker view should start at step 0, shows ${await svStep()}`);
      await page.bringToFront();
      await page.keyboard.press('PageDown');
      await page.keyboard.press('ArrowRight');
      if (!/^step 2 of \d+$/.test((await stepOf(page)) ?? ''))
        throw new Error(`PageDown, ArrowRight: ${await stepOf(page)}`);
      await speaker.waitForFunction(() => document.querySelector('[data-testid="sv-step"]')?.textContent === '2');
      await page.keyboard.press('PageUp');
      await speaker.waitForFunction(() => document.querySelector('[data-testid="sv-step"]')?.textContent === '1');
      // Chapter 2's title card, its notes in the speaker view.
      await page.keyboard.press('2');
      const card = page.getByTestId('title-card');
      await card.waitFor();
      if (!(await card.textContent())?.includes('queue(): -EIOCBQUEUED'))
        throw new Error(`title card: ${await card.textContent()}`);
      await speaker.waitForFunction(() =>
        document.querySelector('[data-testid="sv-notes"]')?.textContent?.includes('typestate'),
      );
      if (!(await speaker.getByTestId('sv-where').textContent())?.includes('chapter 2: queue(): -EIOCBQUEUED'))
        throw new Error('the speaker view names the chapter');
      if (!(await speaker.getByTestId('sv-next').textContent())?.trim())
        throw new Error("the speaker view shows the next step's caption");
      await page.screenshot({ path: join(results, 'presenter-title-card.png') });
      await speaker.screenshot({ path: join(results, 'presenter-speaker-view.png') });
      const at = await stepOf(page);
      // The speaker view's Next: the first press reveals the frame behind the card, the second moves on.
      await speaker.getByRole('button', { name: 'Next' }).click();
      await card.waitFor({ state: 'detached' });
      if ((await stepOf(page)) !== at) throw new Error('revealing the frame should not move');
      await speaker.getByRole('button', { name: 'Next' }).click();
      await page.waitForFunction(
        (a) => document.querySelector('[data-testid="step-of"]')?.textContent?.trim() !== a,
        at,
      );
      await page.screenshot({ path: join(results, 'presenter-stage.png') });
      // B (or period) blanks the screen; any key brings it back.
      await page.bringToFront();
      await page.keyboard.press('b');
      await page.getByTestId('blank-screen').waitFor();
      await page.keyboard.press('.');
      await page.getByTestId('blank-screen').waitFor({ state: 'detached' });
      await page.keyboard.press('Escape');
      await page.locator('.app-header').waitFor();
    },
  },
  {
    name: 'review mode: one program under the RFC v3 and v5 APIs side by side, differences highlighted',
    async run(page, { url, results }) {
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${url}?s=v3-sync-set-get`);
      await page.getByTestId('caption').waitFor();
      const atLoad = requests.length;
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('combobox', { name: 'Comparison' }).selectOption('v3-sync-set-get');
      await page.getByTestId('review-count').waitFor();
      const count = await page.getByTestId('review-count').textContent();
      if (!/^[1-9]\d* of \d+ requests differ\.$/.test(count ?? '')) throw new Error(`review count: ${count}`);
      const sides = await page.getByTestId('review-side').allTextContents();
      if (!sides[0]?.includes('rust_misc_device_v3') || !sides[1]?.includes('rust_misc_device'))
        throw new Error(`sides: ${sides}`);
      const posted = await page.locator('tr.diff[data-field="postedIn"]').count();
      const pdu = await page.locator('tr.diff[data-field="pdu"]').count();
      if (!posted || !pdu) throw new Error(`the completion path and PDU zeroing should differ (${posted}, ${pdu})`);
      await page.screenshot({ path: join(results, 'review-v3-v5.png'), fullPage: true });
      await page.getByRole('combobox', { name: 'Comparison' }).selectOption('stale-pdu+patch2');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="review-side"]')?.textContent?.includes('no PDU zeroing'),
      );
      await page.waitForFunction(() =>
        document.querySelectorAll('[data-testid="review-side"]')[0]?.textContent?.includes('Sanitizer reports'),
      );
      if (requests.length !== atLoad) throw new Error(`review mode made requests: ${requests.slice(atLoad)}`);
    },
  },
];
