// Sharing: permalinks (open, change step and view, reload, same screen; sandbox sessions; the
// older query form; malformed links), branching time travel, the share dialog's exports (SVG
// parses, PNG has the right IHDR size, the Chrome trace passes checkChromeTrace, the scenario
// file validates), scenario upload (a malformed file shows its errors and keeps the session),
// and the return to the last good state after a core trap.
// (Browser globals for page.evaluate come from eslint.config.js.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

/** @param {import('playwright-core').Page} page */
async function cursor(page) {
  return Number(await page.getByTestId('timeline').getAttribute('aria-valuenow'));
}

/** @param {import('playwright-core').Page} page */
async function ready(page) {
  await page.getByTestId('caption').waitFor();
  await page.waitForFunction(() => location.hash.startsWith('#p=1'), null, { timeout: 5000 });
}

/** What the screen shows, as far as a permalink promises it. */
async function fingerprint(page) {
  return page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const t = (id) => q(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
    return {
      theme: document.documentElement.dataset.theme,
      step: q('[data-testid="timeline"]')?.getAttribute('aria-valuenow') ?? null,
      caption: t('caption'),
      rings: [t('sq-head'), t('sq-tail'), t('cq-head'), t('cq-tail')].join('/'),
      lit: q('g.state.current')?.getAttribute('data-state') ?? null,
      lanes: !!q('.lanes, [aria-label="Lanes"], .lane'),
      tab: q('[role="tab"][aria-selected="true"]')?.textContent ?? null,
      byte: q('.byte.selected, .field.selected')?.getAttribute('data-offset') ?? null,
      region: q('.byte.selected, .field.selected')?.closest('[data-region]')?.getAttribute('data-region') ?? null,
      where: q('.caption-meta .where')?.textContent ?? null,
      followed: q('.state-diagram h2 + *, .panel-head')?.textContent ?? null,
    };
  });
}

/** Runs `click` and returns the downloaded file's bytes and name. */
async function downloadOf(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

function eq(what, want, got) {
  if (JSON.stringify(want) !== JSON.stringify(got))
    throw new Error(`${what}: expected ${JSON.stringify(want)}, found ${JSON.stringify(got)}`);
}

export const tests = [
  {
    name: 'permalink round trip: the older query opens, then step, view and selection survive a reload',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=v5-queued-task-work&step=3&theme=dark`);
      await ready(page);
      if (new URL(page.url()).search !== '') throw new Error(`the older query was not rewritten: ${page.url()}`);
      eq('step from the older link', 3, await cursor(page));
      eq('theme from the older link', 'dark', await page.evaluate(() => document.documentElement.dataset.theme));
      // Change the step and the view: five steps on, lanes hidden, the bytes tab, one byte selected.
      for (let i = 0; i < 5; i++) await page.keyboard.press('.');
      await page.locator('g.token[data-req="1"]').click();
      await page.getByText('View', { exact: true }).click();
      await page.getByLabel('Lanes', { exact: true }).uncheck();
      await page.getByText('View', { exact: true }).click();
      await page.getByRole('tab', { name: 'Bytes' }).click();
      await page.getByRole('button', { name: 'raw hex' }).click();
      await page.locator('table.hex[data-region="sqe"] td.byte[data-offset="32"]').click();
      await page.waitForTimeout(400);
      const before = await fingerprint(page);
      eq('lanes hidden', false, before.lanes);
      eq('selected byte', ['32', 'sqe'], [before.byte, before.region]);
      const link = page.url();
      if (!/#p=1&s=v5-queued-task-work&t=8&th=dark&pn=rings%2Cstate%2Cbytes%2Ctimeline&r=1&b=sqe%3A32$/.test(link))
        throw new Error(`unexpected permalink ${link}`);
      await page.screenshot({ path: join(results, 'share-permalink-before.png') });
      // A fresh page on the same link shows the same screen.
      const other = await page.context().newPage();
      await other.goto(link);
      await ready(other);
      await other.getByRole('button', { name: 'raw hex' }).click();
      await other.waitForTimeout(400);
      eq('same screen after opening the link', before, await fingerprint(other));
      await other.screenshot({ path: join(results, 'share-permalink-after.png') });
      await other.reload();
      await ready(other);
      await other.getByRole('button', { name: 'raw hex' }).click();
      eq('same screen after a reload', before, await fingerprint(other));
    },
  },
  {
    name: 'a sandbox session survives its permalink: machine, program and kernel steps',
    async run(page, { url, results }) {
      await page.goto(`${url}?theme=light`);
      await page.getByRole('button', { name: 'Sandbox', exact: true }).click();
      await page.getByText(/^Machine:/).click();
      await page.getByRole('button', { name: 'API v3' }).click();
      await page.getByLabel('Driver', { exact: true }).selectOption('rust_misc_device_v3');
      await page.getByRole('button', { name: 'Add device' }).click();
      await page.getByRole('button', { name: 'New machine' }).click();
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.getByLabel('Buffer name', { exact: true }).fill('value');
      await page.getByLabel('Buffer size', { exact: true }).fill('8');
      await page.getByRole('button', { name: 'Allocate' }).click();
      await page.getByLabel('Data', { exact: true }).fill('42');
      await page.getByRole('button', { name: 'Write', exact: true }).click();
      await page.getByLabel('opcode', { exact: true }).selectOption('URING_CMD');
      await page.getByLabel('fd or device', { exact: true }).fill('fd0');
      await page.getByLabel('cmd_op', { exact: true }).fill('RUST_MISC_DEV_URING_CMD_SET_VALUE');
      await page.getByLabel('Command bytes as', { exact: true }).selectOption('u64');
      await page.getByLabel('Command bytes', { exact: true }).fill('&value');
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
      const program = await page.getByTestId('sandbox-program').locator('li').allTextContents();
      if (program.length !== 5)
        throw new Error(`the sandbox program should have 5 operations: ${JSON.stringify(program)}`);
      await page.waitForTimeout(300);
      const before = await fingerprint(page);
      const frames = await page.getByTestId('position').textContent();
      await page.screenshot({ path: join(results, 'share-sandbox.png') });
      const link = page.url();
      if (!/&k=0%2C0%2C0%2C0%2C0%2C4&z=[A-Za-z0-9_-]+$/.test(link))
        throw new Error(`the link lacks the step schedule or its compressed scenario: ${link}`);
      const other = await page.context().newPage();
      await other.goto(link);
      await ready(other);
      await other.waitForTimeout(300);
      eq('same sandbox screen', before, await fingerprint(other));
      eq('same timeline length', frames, await other.getByTestId('position').textContent());
      await other.getByRole('button', { name: 'Sandbox', exact: true }).click();
      eq('same program', program, await other.getByTestId('sandbox-program').locator('li').allTextContents());
    },
  },
  {
    name: 'branching: going back and acting keeps the old future, which can be restored or dropped',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=nop-batch`);
      await ready(page);
      await page.keyboard.press('End');
      const total = await cursor(page);
      await page.keyboard.press('Home');
      for (let i = 0; i < 2; i++) await page.keyboard.press('.');
      await page.getByRole('button', { name: 'Sandbox', exact: true }).click();
      await page.getByRole('button', { name: 'Write SQE' }).click();
      const bar = page.getByTestId('branch-bar');
      await bar.waitFor();
      const text = await bar.textContent();
      if (!/New branch from step 2\. The old future \(\d+ frames after step 2\) is kept\./.test(text ?? ''))
        throw new Error(`branch bar says: ${text}`);
      await page.screenshot({ path: join(results, 'share-branch.png') });
      eq('the new branch ends at the new frame', '/ 3', (await page.getByTestId('position').textContent())?.trim());
      await page.getByRole('button', { name: 'Return to the old future' }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="branch-bar"]')?.getAttribute('data-branch') === 'none',
      );
      eq('the old future is back', `/ ${total}`, (await page.getByTestId('position').textContent())?.trim());
      // Branch again and drop the old future this time.
      await page.keyboard.press('Home');
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Drop the old future' }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="branch-bar"]')?.getAttribute('data-branch') === 'none',
      );
      eq('the dropped future stays gone', '/ 1', (await page.getByTestId('position').textContent())?.trim());
    },
  },
  {
    name: 'malformed and newer links say what is wrong and leave the app usable',
    async run(page, { url }) {
      const dialogs = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      for (const [hash, want] of [
        ['#p=1&s=nop-batch&t=abc', 'step (t=) must be a non-negative integer'],
        ['#p=99&s=nop-batch', 'made by a newer Ringside (format 99)'],
        ['#p=1&s=nop-batch&x=%%%', 'not base64url'],
        ['#p=1&s=no-such-scenario', 'There is no scenario "no-such-scenario"'],
        ['#p=1&s=nop-batch&t=999999', 'asks for step 999999'],
        ['#p=1&s=nop-batch&z=AAAA', 'compressed scenario (z=) is not valid deflate data'],
      ]) {
        await page.goto(`${url}${hash}`);
        const problem = page.getByTestId('problem');
        await problem.waitFor();
        const text = (await problem.textContent()) ?? '';
        if (!text.includes(want)) throw new Error(`${hash}: the problem should say "${want}", it says "${text}"`);
        await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
        // The page still moves: free play takes a NOP, a scenario opened with a clamped step still steps.
        await page.keyboard.press('Home');
        if (await page.getByRole('button', { name: 'Submit NOP' }).count()) {
          await page.getByRole('button', { name: 'Submit NOP' }).click();
          eq(`${hash}: the NOP is written`, '1', (await page.getByTestId('sq-tail').textContent())?.trim());
        } else {
          await page.keyboard.press('.');
          eq(`${hash}: still steps`, 1, await cursor(page));
        }
      }
      // An embedded scenario with hostile text: shown as text, never as markup.
      const hostile = '<img src=x onerror="window.__pwned=1;alert(1)">';
      const doc = {
        ...JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'nop-batch.json'), 'utf8')),
        id: 'hostile',
        title: hostile,
        intro: hostile,
      };
      doc.chapters = [{ title: hostile, op: 0, notes: hostile }];
      doc.program[0] = { ...doc.program[0], note: hostile };
      const x = Buffer.from(JSON.stringify(doc)).toString('base64url');
      await page.goto(`${url}#p=1&s=hostile&t=1&x=${x}`);
      await page.getByTestId('caption').waitFor();
      await page.waitForTimeout(300);
      const where = await page.locator('.caption-meta .where').textContent();
      if (!where?.includes('<img src=x')) throw new Error(`the hostile title should show as text: ${where}`);
      const imgs = await page.locator('img').count();
      if (imgs || (await page.evaluate(() => window.__pwned)) || dialogs.length)
        throw new Error(`markup from a link ran: ${imgs} img, dialogs ${dialogs}`);
    },
  },
  {
    name: 'exports: SVG parses, PNG is 1600×900, the Chrome trace passes the format check, the scenario file validates',
    async run(page, { url, results }) {
      const { checkChromeTrace } = await tsImport('../../web/src/share/chromeTrace.ts', import.meta.url);
      const { readScenarioText } = await tsImport('../../web/src/share/scenarioFile.ts', import.meta.url);
      await page.goto(`${url}?s=v5-queued-task-work&step=12`);
      await ready(page);
      const open = async () => {
        await page.getByRole('button', { name: 'Share', exact: true }).click();
        await page.getByRole('dialog').waitFor();
      };
      await open();
      const svg = await downloadOf(page, () => page.getByRole('button', { name: 'Frame as SVG' }).click());
      const parsed = await page.evaluate((text) => {
        const d = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          root: d.documentElement.localName,
          errors: d.getElementsByTagName('parsererror').length,
          svgs: d.getElementsByTagName('svg').length,
          text: d.documentElement.textContent?.slice(0, 400),
        };
      }, svg.bytes.toString('utf8'));
      if (parsed.root !== 'svg' || parsed.errors || parsed.svgs < 4)
        throw new Error(`the SVG export does not parse as a drawing: ${JSON.stringify(parsed)}`);
      if (!parsed.text?.includes('step 12')) throw new Error('the SVG export lacks its step');
      const png = await downloadOf(page, () => page.getByRole('button', { name: 'Frame as PNG' }).click());
      const sig = png.bytes.subarray(0, 8).toString('hex');
      if (sig !== '89504e470d0a1a0a' || png.bytes.subarray(12, 16).toString('latin1') !== 'IHDR')
        throw new Error('the PNG export is not a PNG');
      eq('PNG size', [1600, 900], [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]);
      await page.screenshot({ path: join(results, 'share-dialog.png') });
      const chrome = await downloadOf(page, () => page.getByRole('button', { name: 'Chrome trace' }).click());
      const ct = JSON.parse(chrome.bytes.toString('utf8'));
      eq('Chrome trace format errors', [], checkChromeTrace(ct));
      const threads = ct.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args.name);
      eq('one track per context', ['user', 'io_uring', 'driver', 'io-wq', 'device', 'task_work'], threads);
      // A record about a request is a zero-length slice (flow arrows bind to slices).
      if (!ct.traceEvents.some((e) => e.name === 'io_uring_complete' && e.ph === 'X'))
        throw new Error('the Chrome trace lacks the completions');
      const trace = JSON.parse(
        (await downloadOf(page, () => page.getByRole('button', { name: 'Trace as JSON' }).click())).bytes.toString(
          'utf8',
        ),
      );
      eq('trace document', ['ringside-trace', 1, 'v5-queued-task-work'], [trace.format, trace.version, trace.scenario]);
      eq(
        'trace frames',
        Number((await page.getByTestId('position').textContent())?.replace('/', '').trim()) + 1,
        trace.frames.length,
      );
      const scen = await downloadOf(page, () =>
        page.getByRole('button', { name: 'Scenario file', exact: true }).click(),
      );
      const r = readScenarioText(scen.bytes.toString('utf8'));
      if (!r.ok || r.scenario.id !== 'v5-queued-task-work')
        throw new Error(`the scenario file does not validate: ${JSON.stringify(r)}`);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(results, 'share-frame.svg'), svg.bytes);
      writeFileSync(join(results, 'share-frame.png'), png.bytes);
    },
  },
  {
    name: 'upload: a malformed file shows its errors and keeps the session; a valid one with hostile text opens as text',
    async run(page, { url, results }) {
      const dialogs = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${url}?s=nop-batch&step=5`);
      await ready(page);
      await page.getByRole('button', { name: 'Share', exact: true }).click();
      await page.getByTestId('upload').setInputFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{\n  "format": "ringside-scenario",\n  "version": 1,\n  oops\n}'),
      });
      const problem = page.getByTestId('problem');
      await problem.waitFor();
      const text = (await problem.textContent()) ?? '';
      if (!/broken\.json could not be opened/.test(text) || !/line 4, column 3/.test(text))
        throw new Error(`the syntax error should name its line and column: ${text}`);
      eq('the session is kept', 5, await cursor(page));
      await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
      await page.getByRole('button', { name: 'Share', exact: true }).click();
      const bad = {
        format: 'ringside-scenario',
        version: 1,
        id: 'x',
        title: 'x',
        intro: 'x',
        api: 'v9',
        ring: { entries: 4 },
        program: [{ op: 'fly' }],
      };
      await page
        .getByTestId('upload')
        .setInputFiles({ name: 'schema.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
      await page.waitForFunction(() =>
        /\/api: expected/.test(document.querySelector('[data-testid="problem"]')?.textContent ?? ''),
      );
      const t2 = (await problem.textContent()) ?? '';
      if (!t2.includes('/program/0/op: expected one of'))
        throw new Error(`schema errors should be listed with their paths: ${t2}`);
      await page.screenshot({ path: join(results, 'share-upload-error.png') });
      eq('the session is still kept', 5, await cursor(page));
      await page.keyboard.press('.');
      eq('and still steps', 6, await cursor(page));
      // A valid file whose text is hostile.
      const hostile = '<img src=x onerror="window.__pwned=1;alert(1)">';
      const doc = JSON.parse(
        readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'v5-queued-task-work.json'), 'utf8'),
      );
      Object.assign(doc, { id: 'hostile-upload', title: hostile, intro: hostile });
      doc.chapters[0].title = hostile;
      doc.chapters[0].notes = hostile;
      doc.program[1].note = hostile;
      await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
      await page.getByRole('button', { name: 'Share', exact: true }).click();
      await page.getByTestId('upload').setInputFiles({
        name: 'hostile.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(doc)),
      });
      await page.waitForFunction(() =>
        document.querySelector('.caption-meta .where')?.textContent?.includes('<img src=x'),
      );
      await page.keyboard.press('.');
      await page.keyboard.press('.');
      const caption = await page.getByTestId('caption').textContent();
      if (!caption?.includes('<img src=x')) throw new Error(`the hostile note should show as text: ${caption}`);
      if ((await page.locator('img').count()) || (await page.evaluate(() => window.__pwned)) || dialogs.length)
        throw new Error('markup from an uploaded scenario ran');
      await page.waitForTimeout(300);
      if (!page.url().includes('&z='))
        throw new Error(`an uploaded scenario travels whole (compressed) in its permalink: ${page.url()}`);
      // Reopened from its link, the hostile text is still only text.
      const again = await page.context().newPage();
      again.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await again.goto(page.url());
      await again.waitForFunction(() =>
        document.querySelector('.caption-meta .where')?.textContent?.includes('<img src=x'),
      );
      if ((await again.locator('img').count()) || (await again.evaluate(() => window.__pwned)) || dialogs.length)
        throw new Error('markup from a compressed link ran');
    },
  },
  {
    name: 'a core trap shows its panic and returns to the last good state on a fresh instance',
    async run(page, { url, results }) {
      // The test wraps the core's rs_step so that it traps once on demand, the way a simulator
      // bug would: the module's host_panic import receives the message first.
      await page.addInitScript(() => {
        const orig = WebAssembly.instantiate;
        WebAssembly.instantiate = async function (src, imports) {
          const r = await orig.call(this, src, imports);
          const inst = r instanceof WebAssembly.Instance ? r : r.instance;
          const ex = { ...inst.exports };
          const step = ex.rs_step;
          ex.rs_step = () => {
            if (window.__trapNext) {
              window.__trapNext = false;
              const msg = new TextEncoder().encode('panicked at core-rs/src/sim/mod.rs:1:1: injected by the test');
              const at = ex.memory.buffer.byteLength - 256;
              new Uint8Array(ex.memory.buffer, at, msg.length).set(msg);
              imports.env.host_panic(at, msg.length);
              throw new WebAssembly.RuntimeError('unreachable');
            }
            return step();
          };
          const fake = { exports: ex };
          return r instanceof WebAssembly.Instance ? fake : { module: r.module, instance: fake };
        };
      });
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(url);
      // The home screen opens the start-here path; these checks start in free play.
      await page.getByTestId('start-path').waitFor();
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('__free');
      await page.getByRole('button', { name: 'Submit NOP' }).click();
      await page.getByRole('button', { name: 'io_uring_enter' }).click();
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await page.waitForFunction(() => location.hash.includes('k=0%2C0%2C1'));
      const atLoad = requests.length;
      const good = await page.getByTestId('cursor').textContent();
      await page.evaluate(() => {
        window.__trapNext = true;
      });
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      const panic = page.getByTestId('panic');
      await panic.waitFor();
      if (!(await panic.textContent())?.includes('injected by the test'))
        throw new Error('the panic panel should show the panic text');
      await page.screenshot({ path: join(results, 'share-panic.png') });
      await page.getByRole('button', { name: 'Return to the last good state' }).click();
      await panic.waitFor({ state: 'detached' });
      eq('back on the last good frame', good, await page.getByTestId('cursor').textContent());
      for (let i = 0; i < 12; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
      eq('the NOP completes on the fresh core', '1', (await page.getByTestId('cq-tail').textContent())?.trim());
      if (requests.length !== atLoad)
        throw new Error(`the restart made requests: ${requests.slice(atLoad).join(', ')}`);
    },
  },
];
