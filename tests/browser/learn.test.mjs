// The first-timer's path, predict-then-reveal, the two-stage review, the sandbox that explains
// itself, exports a person would use, and a console that stays clean across the main flows.
// Expected answers and times are computed in Node from the same core (web/src/test/learnOracle.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { serveStatic } from '../../scripts/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const WASM = join(root, 'public', 'core.wasm');

async function oracle(id) {
  const { expectedLearn } = await tsImport('../../web/src/test/learnOracle.ts', import.meta.url);
  return expectedLearn(JSON.parse(readFileSync(join(root, 'scenarios', `${id}.json`), 'utf8')), WASM);
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

function eq(what, want, got) {
  if (JSON.stringify(want) !== JSON.stringify(got))
    throw new Error(`${what}: expected ${JSON.stringify(want)}, found ${JSON.stringify(got)}`);
}

/** Collects console errors and warnings (React key warnings among them). */
function consoleProblems(page) {
  const out = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') out.push(`${m.type()}: ${m.text()}`);
  });
  return out;
}

export const tests = [
  {
    name: 'learn: home: a first scenario on the start-here path, every step says why, kernel terms defined on focus',
    async run(page, { url, results }) {
      await page.goto(url);
      await page.getByTestId('start-path').waitFor();
      const where = await page.locator('.caption-meta .where').textContent();
      if (!where?.startsWith('Six NOPs through a four-entry ring'))
        throw new Error(`home should open the first stop of the path, found "${where}"`);
      const stepOf = await page.getByTestId('step-of').textContent();
      if (/of 0$/.test(stepOf ?? '')) throw new Error(`home shows an empty run: ${stepOf}`);
      await page.screenshot({ path: join(results, 'learn-home-1280.png') });
      // Why, at every step of the way, and it changes with the step.
      const whys = new Set();
      for (let i = 0; i < 6; i++) {
        const why = (await page.getByTestId('why').textContent())?.replace(/^Why:\s*/, '');
        if (!why || why.length < 20) throw new Error(`step ${i} has no why: "${why}"`);
        whys.add(why);
        await page.keyboard.press('.');
      }
      if (whys.size < 3) throw new Error(`the why line should follow the steps: ${[...whys].join(' | ')}`);
      // A term is focusable, described by its definition, and shows it on focus.
      const term = page.locator('[data-testid="caption"] .term').first();
      const described = await term.getAttribute('aria-describedby');
      const def = await page.locator(`#${described}`).textContent();
      if (!def || def.length < 20) throw new Error(`the term's description is empty: ${described}`);
      await term.focus();
      const tip = page.getByTestId('glossary-tip');
      await tip.waitFor();
      if (!(await tip.textContent())?.includes(def)) throw new Error('the tooltip should show the glossary definition');
      await page.keyboard.press('Escape');
      await tip.waitFor({ state: 'detached' });
      // The path goes on.
      await page.getByTestId('path-next').click();
      await page.waitForFunction(() =>
        document.querySelector('.caption-meta .where')?.textContent?.startsWith('CQ overflow'),
      );
      // The library lists the path first.
      await page.getByRole('button', { name: 'Library' }).click();
      const stops = await page.getByTestId('start-here').locator('li').count();
      if (stops < 6) throw new Error(`the library's start-here path lists ${stops} stops`);
    },
  },
  {
    name: 'learn: predict, then reveal: the question comes before the step, the answer is the run’s',
    async run(page, { url, results }) {
      const exp = await oracle('v5-queued-task-work');
      const cp = exp.checkpoints[0];
      await page.goto(`${url}?s=v5-queued-task-work&step=${cp.frame - 1}&theme=light`);
      await waitCursor(page, cp.frame - 1);
      await page.keyboard.press('Space');
      const q = page.getByTestId('checkpoint');
      await q.waitFor();
      eq('cursor while asking', cp.frame - 1, await cursor(page));
      if (!(await q.textContent())?.includes(cp.question)) throw new Error('the question is not on screen');
      await page.screenshot({ path: join(results, 'learn-checkpoint-ask.png') });
      const wrong = cp.options.find((o) => o !== cp.answer);
      await q.locator('[data-testid="cp-option"]', { hasText: wrong }).first().click();
      await waitCursor(page, cp.frame);
      eq('revealed answer', cp.answer, (await page.getByTestId('cp-answer').textContent())?.split(' ')[0]);
      if (!(await page.getByTestId('checkpoint-answer').textContent())?.includes(`you said ${wrong}`))
        throw new Error('the pick should be shown beside the answer');
      await page.screenshot({ path: join(results, 'learn-checkpoint-reveal.png') });
    },
  },
  {
    name: 'learn: predict, then reveal in presenter mode: the room votes, the next press reveals (projector, 1280x720)',
    async run(page, { url, results }) {
      const exp = await oracle('stale-pdu');
      const cp = exp.checkpoints[0];
      await page.goto(`${url}?s=stale-pdu&step=${cp.frame - 1}&theme=projector`);
      await waitCursor(page, cp.frame - 1);
      await page.getByRole('button', { name: 'Present' }).click();
      const stepNo = async () =>
        Number(/step (\d+)/.exec((await page.getByTestId('step-of').textContent()) ?? '')?.[1]);
      await page.keyboard.press('PageDown');
      await page.getByTestId('checkpoint').waitFor();
      eq('cursor while the room votes', cp.frame - 1, await stepNo());
      await page.screenshot({ path: join(results, 'learn-presenter-vote.png') });
      await page.keyboard.press('PageDown');
      await page.getByTestId('checkpoint-answer').waitFor();
      eq('cursor after the reveal', cp.frame, await stepNo());
      eq('the PDU bytes the driver sees', cp.answer, await page.getByTestId('cp-answer').textContent());
      await page.screenshot({ path: join(results, 'learn-presenter-reveal.png') });
    },
  },
  {
    name: 'learn: embeds: questions by hand unless quiz=0, and bad parameters get a visible message',
    async run(page, { url }) {
      const exp = await oracle('nop-batch');
      const cp = exp.checkpoints[0];
      await page.goto(`${url}embed.html?s=nop-batch&from=${cp.frame - 1}`);
      await page.getByTestId('embed-step').waitFor();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByTestId('checkpoint').waitFor();
      await page.goto(`${url}embed.html?s=nop-batch&from=${cp.frame - 1}&quiz=0`);
      await page.getByTestId('embed-step').waitFor();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="embed-step"]')?.textContent?.startsWith(`step ${n} `),
        cp.frame,
      );
      if (await page.getByTestId('checkpoint').count()) throw new Error('quiz=0 should turn the questions off');
      await page.goto(`${url}embed.html?s=nop-batch&speed=fast&theme=neon&panels=rings,dials&from=999`);
      const problem = page.getByTestId('problem');
      await problem.waitFor();
      const text = await problem.textContent();
      for (const k of ['speed=', 'theme=', '"dials"', 'from=999'])
        if (!text?.includes(k)) throw new Error(`the embed's message should name ${k}: ${text}`);
    },
  },
  {
    name: 'learn: exports: the Chrome trace links each request across lanes on the clock the app shows; the snippet starts at the chapter',
    async run(page, { url }) {
      const exp = await oracle('v5-queued-task-work');
      const { checkChromeTrace } = await tsImport('../../web/src/test/learnOracle.ts', import.meta.url);
      // A step inside a chapter, not its first: the snippet must start earlier, at the chapter.
      const starts = exp.chapters.filter((f) => f >= 0);
      const inside = starts.findIndex((f, i) => (starts[i + 1] ?? exp.last + 1) - f > 1);
      if (inside < 0) throw new Error('v5-queued-task-work has no chapter longer than one step');
      const at = starts[inside] + 1;
      await page.goto(`${url}?s=v5-queued-task-work&step=${at}&theme=light`);
      await waitCursor(page, at);
      const shown = Number(await page.getByTestId('sim-time').getAttribute('data-ns'));
      eq('the clock on screen', exp.timeNs[at], shown);
      await page.getByRole('button', { name: 'Share' }).click();
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Chrome trace' }).click(),
      ]);
      const doc = JSON.parse(readFileSync(await dl.path(), 'utf8'));
      eq('Trace Event Format problems', [], checkChromeTrace(doc));
      const steps = doc.traceEvents.filter((e) => e.cat === 'step');
      if (Math.abs(steps[at].ts * 1000 - shown) > 1e-6)
        throw new Error(`step ${at} is at ${steps[at].ts} µs in the trace, the app shows ${shown} ns`);
      const flows = doc.traceEvents.filter((e) => e.cat === 'flow');
      const ids = new Set(flows.map((e) => e.id));
      if (ids.size < 2) throw new Error(`expected a flow per queued request, found ${ids.size}`);
      const snippet = await page.getByLabel('Embed snippet').inputValue();
      const src = new URL(/src="([^"]+)"/.exec(snippet)[1].replace(/&amp;/g, '&'));
      const origin = new URL(url).origin;
      eq('snippet origin', origin, src.searchParams.get('origin'));
      if (Number(src.searchParams.get('from')) >= at)
        throw new Error(`the snippet should start at the chapter, not at step ${at}: ${src}`);
      if (Number(src.searchParams.get('to')) < at)
        throw new Error(`the snippet's range should cover the chapter on screen: ${src}`);
      if (!src.searchParams.get('panels')) throw new Error(`the snippet should carry the panels: ${src}`);
    },
  },
  {
    name: 'learn: review: two stages in step with differences marked, and a link that reopens it',
    async run(page, { url, results }) {
      await page.goto(`${url}#review=stale-pdu%2Bpatch2&at=0`);
      await page.getByTestId('review-stages').waitFor();
      await page.getByTestId('next-difference').click();
      await page.getByTestId('next-difference').click();
      const at = await page.getByTestId('review-at').textContent();
      if (Number(at) <= 0) throw new Error('next difference should move on');
      const differs = await page.locator('[data-testid="review-stage"] [data-differs="true"]').count();
      if (differs === 0) throw new Error('the stages should mark what differs');
      await page.waitForFunction((n) => location.hash === `#review=stale-pdu%2Bpatch2&at=${n}`, at);
      await page.screenshot({ path: join(results, 'learn-review.png') });
      const link = page.url();
      const other = await page.context().newPage();
      await other.goto(link);
      await other.getByTestId('review-stages').waitFor();
      await other.waitForFunction((n) => document.querySelector('[data-testid="review-at"]')?.textContent === n, at);
      const pdu = async (p) => p.locator('[data-testid="review-stage"] [data-field="pdu"] dd').allTextContents();
      eq('same stages from the link', await pdu(page), await pdu(other));
    },
  },
  {
    name: 'learn: console stays clean (no error, no warning) across home, steps, library, sandbox, review, share, presenter',
    async run(page) {
      // React reports key and other mistakes only in its development build: build one and use it.
      const dev = join(root, 'test-results', 'dist-dev');
      const b = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--mode',
          'development',
          '--outDir',
          dev,
          '--emptyOutDir',
          '--logLevel',
          'error',
        ],
        {
          cwd: root,
          env: { ...process.env, NODE_ENV: 'development' },
          encoding: 'utf8',
        },
      );
      if (b.status !== 0) throw new Error(`development build failed: ${b.stderr}`);
      const bundle = readdirSync(join(dev, 'assets'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(dev, 'assets', f), 'utf8'))
        .join('\n');
      if (!bundle.includes('unique "key" prop') && !bundle.includes('unique \\"key\\" prop'))
        throw new Error("the development build lacks React's key warning: this check would see nothing");
      const server = await serveStatic(dev, { base: '/ringside-dev/' });
      try {
        await cleanRun(page, server.url);
      } finally {
        await server.close();
      }
    },
  },
];

/** The main flows, failing on any console error or warning. */
async function cleanRun(page, url) {
  {
    {
      const problems = consoleProblems(page);
      await page.goto(url);
      await page.getByTestId('start-path').waitFor();
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press('.');
        if (await page.getByTestId('checkpoint').count()) await page.getByTestId('cp-option').first().click();
      }
      await page.getByRole('button', { name: 'Library' }).click();
      await page.getByRole('button', { name: /^Open v5: queue/ }).click();
      await page.keyboard.press('End');
      await page.getByRole('button', { name: 'Model' }).click();
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByTestId('review-stages').waitFor();
      await page.getByTestId('next-difference').click();
      await page.getByLabel('Comparison').selectOption({ index: 1 });
      await page.getByTestId('review-stages').waitFor();
      await page.getByRole('button', { name: 'Close review' }).click();
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('__free');
      await page.getByRole('button', { name: 'Sandbox', exact: true }).click();
      await page.getByText(/^Machine:/).click();
      await page.getByLabel('Driver', { exact: true }).selectOption('rust_delay_device');
      await page.getByRole('button', { name: 'Add device' }).click();
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.getByLabel('opcode', { exact: true }).selectOption('URING_CMD');
      await page.getByLabel('fd or device', { exact: true }).fill('/dev/dev0');
      await page.getByLabel('cmd_op', { exact: true }).fill('DELAY_DEV_SUBMIT');
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('button', { name: 'Poke' }).first().click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
      await page.getByRole('button', { name: 'Share' }).click();
      await page.getByRole('button', { name: 'Close share and export' }).click();
      await page.getByRole('button', { name: 'Present' }).click();
      for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
      if (problems.length) throw new Error(`console:\n${problems.join('\n')}`);
    }
  }
}
