#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken from the production build (it builds
// first; `--no-build` uses dist/ as it is) in Debian's Chromium, so they show the app as it is:
// - docs/screenshots/home.png: what a first-timer sees on opening the page (1280×720, light);
// - docs/screenshots/projector.png: presenter mode in the projector theme at a predict-then-
//   reveal question (1280×720).
// PNGs are written at device scale 1 and checked against a size budget, so the repository
// stays small.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/chromium.mjs';
import { root } from './bootstrap.mjs';
import { serveStatic } from './serve.mjs';

const MAX_BYTES = 250 * 1024;
const out = join(root, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

if (!process.argv.includes('--no-build')) {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const server = await serveStatic(join(root, 'dist'), { base: '/ringside/' });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
let failed = false;
try {
  const shoot = async (name, theme, act) => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 720 },
      deviceScaleFactor: 1,
      reducedMotion: 'reduce',
    });
    await page.addInitScript((t) => localStorage.setItem('ringside-theme', t), theme);
    await act(page);
    await page.waitForTimeout(400);
    const file = join(out, `${name}.png`);
    await page.screenshot({ path: file });
    const size = statSync(file).size;
    console.log(`screenshots: ${file} (${Math.round(size / 1024)} KiB)`);
    if (size > MAX_BYTES) {
      console.error(`screenshots: ${name}.png is over ${MAX_BYTES / 1024} KiB`);
      failed = true;
    }
    await page.close();
  };
  // The first-timer's home screen: the first stop of the start-here path, a few steps in.
  await shoot('home', 'light', async (page) => {
    await page.goto(server.url);
    await page.getByTestId('start-path').waitFor();
    for (let i = 0; i < 3; i++) await page.keyboard.press('.');
    await page.locator('[data-testid="caption"] .term').first().focus();
    await page.getByTestId('glossary-tip').waitFor();
  });
  // The projector view: presenter mode at the stale-PDU question, before the reveal.
  await shoot('projector', 'projector', async (page) => {
    await page.goto(`${server.url}?s=stale-pdu&theme=projector`);
    await page.getByTestId('caption').waitFor();
    await page.getByRole('button', { name: 'Present' }).click();
    // Step until the first question is up.
    for (let i = 0; i < 60 && !(await page.getByTestId('checkpoint').count()); i++)
      await page.keyboard.press('PageDown');
    await page.getByTestId('checkpoint').waitFor();
  });
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
