// Browser tests: Playwright (playwright-core) driving Debian's Chromium against the production
// build served on localhost. Every `*.test.mjs` here exports `tests`: an array of
// `{ name, run(page, ctx) }`. Screenshots go to test-results/.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

const filter = process.argv[2];
const server = await serveStatic(join(root, 'dist'), { base: '/ringside/' });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
let passed = 0;
let failed = 0;
try {
  for (const file of readdirSync(here)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()) {
    const mod = await import(join(here, file));
    for (const t of mod.tests) {
      if (filter && !t.name.includes(filter)) continue;
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const t0 = Date.now();
      try {
        await t.run(page, { url: server.url, results, errors });
        if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
        passed++;
        console.log(`ok   ${file} › ${t.name} (${Date.now() - t0} ms)`);
      } catch (err) {
        failed++;
        console.log(`FAIL ${file} › ${t.name}\n${err?.stack ?? err}`);
        await page.screenshot({ path: join(results, `FAILED-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      } finally {
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
