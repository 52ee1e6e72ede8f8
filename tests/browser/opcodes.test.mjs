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

export const tests = [
  {
    name: 'the first-read scenario shows async poll being armed and woken',
    async run(page, { url, results }) {
      await page.goto(`${url}?s=first-read&theme=projector`);
      await page.getByTestId('caption').waitFor();
      const seen = [];
      let shot = false;
      const last = Number((/of (\d+)/.exec((await page.getByTestId('step-of').textContent()) ?? '') ?? [])[1]);
      for (let i = 1; i <= last; i++) {
        await page.keyboard.press('Space');
        await page.waitForFunction(
          (n) => new RegExp(`step ${n} of`).test(document.querySelector('[data-testid="step-of"]')?.textContent ?? ''),
          i,
        );
        const c = await captionText(page);
        seen.push(c);
        if (/async poll/.test(c) && !shot) {
          shot = true;
          await page.waitForTimeout(500);
          await page.screenshot({ path: join(results, 'opcodes-first-read-poll-1280.png') });
        }
      }
      const all = seen.join('\n');
      if (!/waits on its wait queue \(async poll/.test(all))
        throw new Error(`no caption says the READ waits through async poll:\n${all}`);
      if (!/reads 8 bytes/.test(all)) throw new Error(`no caption says the retried READ read the bytes:\n${all}`);
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'opcodes-first-read-1024.png') });
    },
  },
  {
    name: 'the sandbox composes a READ on a new pipe, and a write() wakes it',
    async run(page, { url, results }) {
      await page.goto(`${url}?theme=projector`);
      await page.getByRole('button', { name: 'Sandbox', exact: true }).click();
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
      const program = await page.getByTestId('sandbox-program').locator('li').allTextContents();
      const text = program.join('\n');
      for (const want of ['pr0, pw0 = pipe()', 'prep READ, fd pr0', 'write(pw0, buf)']) {
        if (!text.includes(want)) throw new Error(`the sandbox program lacks "${want}": ${JSON.stringify(program)}`);
      }
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(results, 'opcodes-sandbox-read-1024.png') });
    },
  },
  {
    name: 'the Model page lists modelled and not-modelled opcodes',
    async run(page, { url, results }) {
      await page.goto(`${url}?theme=projector`);
      await page.getByTitle('Model and simplifications (M)').click();
      await page.getByRole('heading', { name: 'Opcodes' }).waitFor();
      const text = (await page.locator('article.model').textContent()) ?? '';
      for (const want of ['READ', 'LINK_TIMEOUT', 'ASYNC_CANCEL', 'answered with -4096']) {
        if (!text.includes(want)) throw new Error(`the Model page lacks "${want}"`);
      }
      await page.getByRole('heading', { name: 'Opcodes' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(results, 'opcodes-model-1280.png') });
    },
  },
];
