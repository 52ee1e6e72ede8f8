// The foundation slice: the page loads the real core, draws both rings, and Submit NOP /
// io_uring_enter / Step move the ring indices.
import { join } from 'node:path';

/** @param {import('playwright-core').Page} page */
async function text(page, id) {
  return (await page.getByTestId(id).textContent())?.trim();
}

export const tests = [
  {
    name: 'submit a NOP and step until the CQ tail moves',
    async run(page, { url, results }) {
      await page.goto(url);
      // The home screen opens the start-here path; these checks start in free play.
      await page.getByTestId('start-path').waitFor();
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('__free');
      await page.getByRole('button', { name: 'Submit NOP' }).waitFor();
      if ((await text(page, 'cq-tail')) !== '0') throw new Error('CQ tail should start at 0');
      await page.getByRole('button', { name: 'Submit NOP' }).click();
      if ((await text(page, 'sq-tail')) !== '1') throw new Error('publishing the SQE stores SQ tail 1');
      await page.getByRole('button', { name: 'io_uring_enter' }).click();
      for (let i = 0; i < 20 && (await text(page, 'cq-tail')) === '0'; i++) {
        await page.getByRole('button', { name: 'Step' }).click();
      }
      if ((await text(page, 'cq-tail')) !== '1') throw new Error('the CQ tail did not move');
      await page.screenshot({ path: join(results, 'slice-after-nop.png') });
      for (let i = 0; i < 20 && (await text(page, 'sq-head')) === '0'; i++) {
        await page.getByRole('button', { name: 'Step' }).click();
      }
      if ((await text(page, 'sq-head')) !== '1') throw new Error('the SQ head was never published');
    },
  },
  {
    name: 'back restores the earlier ring state',
    async run(page, { url }) {
      await page.goto(url);
      // The home screen opens the start-here path; these checks start in free play.
      await page.getByTestId('start-path').waitFor();
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('__free');
      await page.getByRole('button', { name: 'Submit NOP' }).click();
      await page.getByRole('button', { name: 'io_uring_enter' }).click();
      // Steps that find nothing to run add no frame: count the ones that did.
      let steps = 0;
      for (let i = 0; i < 8 && (await text(page, 'cq-tail')) !== '1'; i++, steps++)
        await page.getByRole('button', { name: 'Step' }).click();
      if ((await text(page, 'cq-tail')) !== '1') throw new Error('expected the NOP to complete');
      for (let i = 0; i < steps; i++) await page.getByRole('button', { name: 'Back' }).click();
      if ((await text(page, 'cq-tail')) !== '0') throw new Error('going back should restore CQ tail 0');
      if ((await text(page, 'sq-tail')) !== '1') throw new Error('the published SQE is still there');
    },
  },
];
