// READ/WRITE, async poll and timeouts as a user meets them: the "first read" scenario in the
// library, a READ composed in the sandbox that waits on an empty pipe until a write() wakes it,
// and the Model page's list of modelled and not-modelled opcodes. Screenshots at 1280x720
// (projector theme) and 1024x768.
import { join } from 'node:path';

async function captionText(page) {
  return (
    (await page
      .getByTestId('caption')
      .textContent()
      .catch(() => '')) ?? ''
  );
}

/** Clicks a header control, opening the header's menu first when the controls live there. */
async function headerControl(page, name) {
  const menu = page.locator('details.nav-menu > summary');
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('button', { name, exact: true }).click();
}

/** Steps forward once; a checkpoint asked before the step is answered with its first option. */
async function stepForward(page, n) {
  await page.keyboard.press('Space');
  const reached = () =>
    page.waitForFunction(
      (k) => new RegExp(`step ${k} of`).test(document.querySelector('[data-testid="step-of"]')?.textContent ?? ''),
      n,
      { timeout: 2000 },
    );
  try {
    await reached();
  } catch {
    await page.getByTestId('checkpoint').waitFor({ timeout: 5000 });
    await page.getByTestId('cp-option').first().click();
    await reached();
  }
}

/** Walks a scenario to its end; returns every caption seen, and takes a picture at the first match of `at`. */
async function walk(page, at, shotPath) {
  const seen = [];
  let shot = false;
  const last = Number((/of (\d+)/.exec((await page.getByTestId('step-of').textContent()) ?? '') ?? [])[1]);
  for (let i = 1; i <= last; i++) {
    await stepForward(page, i);
    const c = await captionText(page);
    seen.push(c);
    if (at.test(c) && !shot) {
      shot = true;
      await page.waitForTimeout(500);
      await page.screenshot({ path: shotPath });
    }
  }
  return seen.join('\n');
}

export const tests = [
  {
    name: 'the first-read scenario shows async poll being armed and woken',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=first-read&theme=projector`);
      await page.getByTestId('caption').waitFor();
      const all = await walk(page, /async poll/, join(results, 'opcodes-first-read-poll-1280.png'));
      if (!/waits on its wait queue \(async poll/.test(all))
        throw new Error(`no caption says the READ waits through async poll:\n${all}`);
      if (!/reads 8 bytes/.test(all)) throw new Error(`no caption says the retried READ read the bytes:\n${all}`);
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'opcodes-first-read-1024.png') });
    },
  },
  {
    name: 'the poll-multishot scenario posts CQEs with F_MORE until POLL_REMOVE ends the poll',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=poll-multishot&theme=projector`);
      await page.getByTestId('caption').waitFor();
      const all = await walk(page, /wakes/, join(results, 'opcodes-poll-multishot-1280.png'));
      if (!/multishot, one CQE with IORING_CQE_F_MORE per wake-up/.test(all))
        throw new Error(`no caption says the poll is multishot:\n${all}`);
      if (!/POLL_REMOVE .* found; it will end with -ECANCELED/.test(all))
        throw new Error(`no caption says POLL_REMOVE found the poll:\n${all}`);
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'opcodes-poll-multishot-1024.png') });
    },
  },
  {
    name: 'the sandbox composes a READ on a new pipe, and a write() wakes it',
    async run(page, { url, results }) {
      await page.goto(`${url}?theme=projector`);
      await headerControl(page, 'Sandbox');
      await page.getByRole('button', { name: 'New pipe' }).click();
      await page.getByLabel('Buffer name', { exact: true }).fill('buf');
      await page.getByLabel('Buffer size', { exact: true }).fill('16');
      await page.getByRole('button', { name: 'Allocate' }).click();
      await page.getByLabel('opcode', { exact: true }).selectOption('READ');
      await page.getByLabel('fd or device', { exact: true }).fill('pr0');
      await page.getByLabel('addr', { exact: true }).fill('&buf');
      await page.getByLabel('len', { exact: true }).fill('16');
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      await page.screenshot({ path: join(results, 'opcodes-sandbox-read-1280.png') });
      await page.getByRole('button', { name: 'write()' }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      // A multishot POLL_ADD on the same pipe: every write() posts a CQE with F_MORE.
      await page.getByLabel('opcode', { exact: true }).selectOption('POLL_ADD');
      await page.getByLabel('fd or device', { exact: true }).fill('pr0');
      await page.getByLabel('addr', { exact: true }).fill('');
      await page.getByLabel('len', { exact: true }).fill('1');
      await page.getByLabel('op_flags', { exact: true }).fill('1');
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      await page.getByRole('button', { name: 'write()' }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      const program = await page.getByTestId('sandbox-program').locator('li').allTextContents();
      const text = program.join('\n');
      for (const want of [
        'pr0, pw0 = pipe()',
        'prep READ, fd pr0',
        'write(pw0, buf)',
        'prep POLL_ADD, fd pr0, len 1',
      ]) {
        if (!text.includes(want)) throw new Error(`the sandbox program lacks "${want}": ${JSON.stringify(program)}`);
      }
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'opcodes-sandbox-read-1024.png') });
    },
  },
  {
    name: 'the sandbox registers a buffer and a READ_FIXED on a pipe reads into it',
    async run(page, { url, results }) {
      await page.goto(`${url}?theme=projector`);
      await headerControl(page, 'Sandbox');
      await page.getByRole('button', { name: 'New pipe' }).click();
      await page.getByLabel('Buffer name', { exact: true }).fill('fb');
      await page.getByLabel('Buffer size', { exact: true }).fill('64');
      await page.getByRole('button', { name: 'Allocate' }).click();
      await page.getByRole('button', { name: 'Register buffers' }).click();
      await page.getByLabel('opcode', { exact: true }).selectOption('READ_FIXED');
      await page.getByLabel('fd or device', { exact: true }).fill('pr0');
      await page.getByLabel('addr', { exact: true }).fill('&fb');
      await page.getByLabel('len', { exact: true }).fill('16');
      await page.getByLabel('buf_index', { exact: true }).fill('0');
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      await page.getByRole('button', { name: 'write()' }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      const program = await page.getByTestId('sandbox-program').locator('li').allTextContents();
      const text = program.join('\n');
      for (const want of [
        'register buffers [fb]',
        'prep READ_FIXED, fd pr0, addr &fb, len 16, buf_index 0',
        'write(pw0, fb)',
      ]) {
        if (!text.includes(want)) throw new Error(`the sandbox program lacks "${want}": ${JSON.stringify(program)}`);
      }
      await page.screenshot({ path: join(results, 'opcodes-sandbox-read-fixed-1280.png') });
    },
  },
  {
    name: 'the Model page lists modelled and not-modelled opcodes',
    async run(page, { url, results }) {
      await page.goto(`${url}?theme=projector`);
      await headerControl(page, 'Model');
      await page.getByRole('heading', { name: 'Opcodes' }).waitFor();
      const text = (await page.locator('article.model').textContent()) ?? '';
      for (const want of [
        'READ',
        'READV',
        'WRITE_FIXED',
        'LINK_TIMEOUT',
        'ASYNC_CANCEL',
        'POLL_ADD',
        'POLL_REMOVE',
        'answered with -4096',
      ]) {
        if (!text.includes(want)) throw new Error(`the Model page lacks "${want}"`);
      }
      await page.getByRole('heading', { name: 'Opcodes' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(results, 'opcodes-model-1280.png') });
    },
  },
  {
    name: 'the echo-multishot-recv scenario takes buffers from the ring and ends with -ENOBUFS',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=echo-multishot-recv&theme=projector`);
      await page.getByTestId('caption').waitFor();
      const all = await walk(page, /takes buffer 0/, join(results, 'net-echo-buffer-1280.png'));
      if (!/IORING_REGISTER_PBUF_RING/.test(all)) throw new Error(`no caption says the ring was registered:\n${all}`);
      if (!/takes buffer 0, the first of group 1; its CQE will name it/.test(all))
        throw new Error(`no caption says the RECV took buffer 0:\n${all}`);
      if (!/1 → -ENOBUFS/.test(all)) throw new Error(`no caption shows the RECV ending with -ENOBUFS:\n${all}`);
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'net-echo-1024.png') });
    },
  },
  {
    name: 'the sandbox composes a multishot RECV on a socket pair with provided buffers',
    async run(page, { url, results }) {
      await page.goto(`${url}?theme=projector`);
      await headerControl(page, 'Sandbox');
      await page.getByRole('button', { name: 'New socket pair' }).click();
      await page.getByLabel('Buffer name', { exact: true }).fill('pool');
      await page.getByLabel('Buffer size', { exact: true }).fill('64');
      await page.getByRole('button', { name: 'Allocate' }).click();
      // PROVIDE_BUFFERS: 4 buffers of 16 bytes from pool, ids from 0, group 1.
      await page.getByLabel('opcode', { exact: true }).selectOption('PROVIDE_BUFFERS');
      await page.getByLabel('fd or device', { exact: true }).fill('4');
      await page.getByLabel('addr', { exact: true }).fill('&pool');
      await page.getByLabel('len', { exact: true }).fill('16');
      await page.getByLabel('buf_index', { exact: true }).fill('1');
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      // A multishot RECV with IOSQE_BUFFER_SELECT on sb0.
      await page.getByLabel('opcode', { exact: true }).selectOption('RECV');
      await page.getByLabel('fd or device', { exact: true }).fill('sb0');
      await page.getByLabel('addr', { exact: true }).fill('');
      await page.getByLabel('len', { exact: true }).fill('');
      await page.getByLabel('ioprio', { exact: true }).fill('2');
      await page.getByLabel('buf_index', { exact: true }).fill('1');
      await page.getByRole('checkbox', { name: 'BUFFER_SELECT' }).check();
      await page.getByRole('button', { name: 'Write SQE' }).click();
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      await page.getByRole('button', { name: 'write()' }).first().click();
      await page.getByRole('button', { name: 'Run to idle' }).click();
      await page.screenshot({ path: join(results, 'net-sandbox-recv-1280.png') });
      const program = await page.getByTestId('sandbox-program').locator('li').allTextContents();
      const text = program.join('\n');
      for (const want of [
        'sa0, sb0 = socketpair(AF_UNIX, SOCK_STREAM)',
        'prep PROVIDE_BUFFERS',
        'prep RECV, fd sb0',
        'write(sa0, pool)',
      ]) {
        if (!text.includes(want)) throw new Error(`the sandbox program lacks "${want}": ${JSON.stringify(program)}`);
      }
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'net-sandbox-recv-1024.png') });
    },
  },
];
