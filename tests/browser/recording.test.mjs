// Kernel recordings in the app: File -> Open recording with a recording of liburing's link-cp
// and of fio (from `ringside record`), stepping with the controls and the keys, the Chrome
// trace export, a conformance trace's tracepoints, a file dropped on the page, and malformed
// recordings that are refused while the page keeps what it showed.
// (Browser globals for page.evaluate come from eslint.config.js.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const ROOT = join(import.meta.dirname, '..', '..');
const file = (p) => ({ name: p.split('/').pop(), mimeType: 'application/json', buffer: readFileSync(join(ROOT, p)) });

/** @param {import('playwright-core').Page} page */
async function openRecording(page, f) {
  await page.getByLabel('Open recording').setInputFiles(f);
}

/** @param {import('playwright-core').Page} page */
const pos = async (page) => (await page.getByTestId('rec-pos').textContent()) ?? '';

export const tests = [
  {
    name: 'a recording of link-cp opens with its threads, steps, and exports a Chrome trace',
    async run(page, { url, results }) {
      await page.goto(url);
      await page.getByTestId('caption').waitFor();
      await openRecording(page, file('conformance/programs/link-cp.json'));
      await page.getByTestId('recording').waitFor();
      const lanes = (await page.getByTestId('rec-lanes').textContent()) ?? '';
      if (!/link-cp/.test(lanes) || !/io-wq worker/.test(lanes))
        throw new Error(`lanes should name the task and its io-wq worker: ${lanes}`);
      if (!(await pos(page)).startsWith('1 / 20'))
        throw new Error(`starts at the first tracepoint: ${await pos(page)}`);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      if (!(await pos(page)).startsWith('3 / 20')) throw new Error(`arrow keys step: ${await pos(page)}`);
      await page.getByRole('button', { name: 'Last tracepoint' }).click();
      if (!(await pos(page)).startsWith('20 / 20')) throw new Error(`End goes to the last: ${await pos(page)}`);
      await page.getByRole('button', { name: 'Previous tracepoint' }).click();
      if (!(await pos(page)).startsWith('19 / 20')) throw new Error(`Previous: ${await pos(page)}`);
      const reqs = (await page.getByTestId('rec-requests').textContent()) ?? '';
      if (!/WRITEV/.test(reqs) || !/io-wq/.test(reqs))
        throw new Error(`requests should show WRITEV going through io-wq: ${reqs}`);
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Chrome trace' }).click(),
      ]);
      const doc = JSON.parse(readFileSync(await dl.path(), 'utf8'));
      const { checkChromeTrace } = await tsImport('../../web/src/share/chromeTrace.ts', import.meta.url);
      const errs = checkChromeTrace(doc);
      if (errs.length) throw new Error(`Chrome trace: ${errs.join('; ')}`);
      if (!doc.traceEvents.some((e) => e.ph === 'b' && e.cat === 'request'))
        throw new Error('the Chrome trace has request slices');
      await page.screenshot({ path: join(results, 'recording-link-cp.png') });
      // Escape goes back to the simulator, which kept its state.
      await page.keyboard.press('Escape');
      await page.getByTestId('caption').waitFor();
    },
  },
  {
    name: 'a recording of fio dropped on the page opens; projector theme at 1280x720 and 1024x768',
    async run(page, { url, results }) {
      await page.goto(url);
      await page.getByTestId('caption').waitFor();
      await page.getByRole('button', { name: 'Projector' }).click();
      const buffer = readFileSync(join(ROOT, 'conformance/programs/fio-randrw.json'), 'utf8');
      const dt = await page.evaluateHandle((text) => {
        const d = new DataTransfer();
        d.items.add(new File([text], 'fio-randrw.json', { type: 'application/json' }));
        return d;
      }, buffer);
      await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
      await page.getByTestId('recording').waitFor();
      const title = (await page.getByRole('heading', { level: 2 }).first().textContent()) ?? '';
      if (!title.startsWith('fio ')) throw new Error(`the title is the program: ${title}`);
      for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
      if (!(await pos(page)).startsWith('41 / ')) throw new Error(`stepped to 41: ${await pos(page)}`);
      if (!/ms · /.test(await pos(page))) throw new Error(`real times are shown: ${await pos(page)}`);
      await page.screenshot({ path: join(results, 'recording-fio-projector-1280.png') });
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'recording-fio-projector-1024.png') });
    },
  },
  {
    name: 'a conformance trace shows its tracepoints by step; malformed recordings are refused and change nothing',
    async run(page, { url }) {
      await page.goto(url);
      await page.getByTestId('caption').waitFor();
      await openRecording(page, file('conformance/traces/nop_async.json'));
      await page.getByTestId('recording').waitFor();
      const lanes = (await page.getByTestId('rec-lanes').textContent()) ?? '';
      if (!/step 2/.test(lanes)) throw new Error(`steps are marked: ${lanes}`);
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      const before = await pos(page);
      const cases = [
        [
          '{"format":"ringside-kernel-recording","format_version":7}',
          '/format_version: this app reads ringside-kernel-recording version 1, found 7',
        ],
        ['{"format":"perf"}', '/format: expected "ringside-kernel-recording"'],
        ['{ nope', 'not valid JSON'],
      ];
      for (const [text, want] of cases) {
        await openRecording(page, { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) });
        const problem = page.getByTestId('problem');
        await problem.waitFor();
        const said = (await problem.textContent()) ?? '';
        if (!said.includes(want) || !said.includes('bad.json'))
          throw new Error(`the problem should say "${want}": ${said}`);
        if ((await pos(page)) !== before)
          throw new Error(`the open recording stays where it was: ${await pos(page)} vs ${before}`);
        await page.getByRole('button', { name: 'Dismiss' }).click();
      }
    },
  },
];

tests.push({
  name: 'kernel vs simulator: the badge is the build-time comparison, and a scenario shows both sides per step',
  async run(page, { url, results }) {
    const { computeTruth } = await import('../../conformance/truth.mjs');
    const truth = computeTruth();
    await page.goto(url);
    await page.getByTestId('caption').waitFor();
    await page.getByText('File', { exact: true }).click();
    await page.getByRole('button', { name: 'Kernel vs simulator' }).click();
    await page.getByTestId('truth').waitFor();
    const badge = (await page.getByTestId('truth-badge').first().textContent()) ?? '';
    const version = /Linux (\d+\.\d+\.\d+)/.exec(truth.kernel)?.[1];
    const want = `matches Linux ${version} on ${truth.matching} of ${truth.total} scenarios, tracepoint for tracepoint`;
    if (badge !== want) throw new Error(`badge "${badge}", computed "${want}"`);
    await page.getByRole('button', { name: /tw_async_defer/ }).click();
    const detail = (await page.getByTestId('truth-detail').textContent()) ?? '';
    if (!/local_work_run/.test(detail))
      throw new Error(`the DEFER_TASKRUN scenario shows the local work run: ${detail.slice(0, 300)}`);
    await page.screenshot({ path: join(results, 'kernel-vs-simulator.png') });
    await page.getByRole('button', { name: "Step through the kernel's side" }).click();
    await page.getByTestId('recording').waitFor();
    if (!/step 5/.test((await page.getByTestId('rec-lanes').textContent()) ?? ''))
      throw new Error('the kernel side opens with its steps');
  },
});
