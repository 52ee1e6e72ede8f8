// Security and offline behaviour of the built site: the Content-Security-Policy travels in the
// built index.html itself, there are no inline scripts, every request goes to the page's own
// origin, nothing is requested after load, and the app keeps working offline. The same holds
// for the embed (embed.html).
// (Browser globals for page.evaluate come from eslint.config.js.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const tests = [
  {
    name: 'the built index.html carries a strict CSP and no inline script',
    async run(page, { url }) {
      const root = join(import.meta.dirname, '..', '..');
      const html = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
      const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
      if (!m) throw new Error('no CSP meta in dist/index.html');
      const csp = m[1];
      if (/'unsafe-eval'/.test(csp)) throw new Error(`CSP allows unsafe-eval: ${csp}`);
      if (/script-src[^;]*'unsafe-inline'/.test(csp)) throw new Error(`CSP allows inline scripts: ${csp}`);
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)];
      if (inline.length) throw new Error(`inline script tags: ${inline.map((x) => x[0]).join(' ')}`);
      const violations = [];
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
      });
      await page.goto(url);
      // The home screen opens the start-here path; these checks start in free play.
      await page.getByTestId('start-path').waitFor();
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('__free');
      await page.getByRole('button', { name: 'Submit NOP' }).waitFor();
      if (violations.length) throw new Error(`CSP violations: ${violations.join('; ')}`);
    },
  },
  {
    name: 'embed.html carries the same CSP, no inline script, and makes no request after load',
    async run(page, { url }) {
      const root = join(import.meta.dirname, '..', '..');
      const html = readFileSync(join(root, 'dist', 'embed.html'), 'utf8');
      const main = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
      const csp = (h) => /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(h)?.[1];
      if (!csp(html) || csp(html) !== csp(main))
        throw new Error(`embed.html's CSP differs from the app's: ${csp(html)}`);
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)];
      if (inline.length) throw new Error(`inline script tags in embed.html: ${inline.map((x) => x[0]).join(' ')}`);
      const origin = new URL(url).origin;
      const requests = [];
      const violations = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
      });
      await page.goto(`${url}embed.html?s=v5-queued-task-work&autoplay=1&speed=20`);
      await page.getByTestId('embed-step').waitFor();
      const atLoad = requests.length;
      await page.waitForFunction(() =>
        /step [1-9]/.test(document.querySelector('[data-testid="embed-step"]')?.textContent ?? ''),
      );
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForTimeout(500);
      const foreign = requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:') && !r.startsWith('blob:'));
      if (foreign.length) throw new Error(`requests to other origins: ${foreign.join(', ')}`);
      if (requests.length !== atLoad) throw new Error(`requests after load: ${requests.slice(atLoad).join(', ')}`);
      if (violations.length) throw new Error(`CSP violations: ${violations.join('; ')}`);
    },
  },
  {
    name: 'no request leaves the origin, none after load, and it works offline',
    async run(page, { url }) {
      const origin = new URL(url).origin;
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(url);
      // The home screen opens the start-here path; these checks start in free play.
      await page.getByTestId('start-path').waitFor();
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption('__free');
      await page.getByRole('button', { name: 'Submit NOP' }).waitFor();
      const foreign = requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:') && !r.startsWith('blob:'));
      if (foreign.length) throw new Error(`requests to other origins: ${foreign.join(', ')}`);
      const atLoad = requests.length;
      await page.context().setOffline(true);
      await page.getByRole('button', { name: 'Submit NOP' }).click();
      await page.getByRole('button', { name: 'io_uring_enter' }).click();
      for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step' }).click();
      const tail = (await page.getByTestId('cq-tail').textContent())?.trim();
      if (tail !== '1') throw new Error(`offline, the NOP should still complete (CQ tail ${tail})`);
      if (requests.length !== atLoad) throw new Error(`requests after load: ${requests.slice(atLoad).join(', ')}`);
    },
  },
];
