// The core package (pkg/) in a browser, with no bundler: a page imports pkg/ringside_core.js
// from a static server, and `init()` finds ringside_core_bg.wasm next to the module (its URL
// relative to import.meta.url) and instantiates it with WebAssembly.instantiateStreaming, then
// runs a NOP. The same package in Node is tests/package/.
// (Browser globals for page.evaluate come from eslint.config.js.)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '../../scripts/serve.mjs';

const PAGE = `<!doctype html>
<meta charset="utf-8" />
<script>
  // Count how the module is instantiated (before the package is loaded).
  window.streamed = 0;
  const orig = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (...a) => {
    window.streamed++;
    return orig.apply(WebAssembly, a);
  };
</script>
<script type="module">
  import { init, UserMemory, IoUring, prepNop, sqeSetData64, drainTrace } from './ringside_core.js';
  try {
    const core = await init();
    const ring = IoUring.queueInit(core, new UserMemory(core), 4);
    const sqe = ring.getSqe();
    prepNop(sqe);
    sqeSetData64(sqe, 99n);
    const submitted = ring.submitAndWait(1);
    const cqes = ring.reap().map((c) => ({ userData: String(c.userData), res: c.res }));
    const events = drainTrace(core).map((e) => e.event);
    window.result = { submitted, cqes, created: events.includes('io_uring_create') };
  } catch (err) {
    window.result = { error: String(err && err.stack ? err.stack : err) };
  }
</script>`;

export const tests = [
  {
    name: 'package: pkg/ringside_core.js loads its .wasm next to it with instantiateStreaming and runs a NOP',
    async run(page) {
      const pkg = join(import.meta.dirname, '..', '..', 'pkg');
      if (!existsSync(join(pkg, 'ringside_core.js'))) throw new Error('pkg/ is not built (npm run build:wasm)');
      const server = await serveStatic(pkg, { base: '/ringside-core/' });
      const wasmRequests = [];
      try {
        page.on('request', (r) => {
          if (r.url().endsWith('.wasm')) wasmRequests.push(new URL(r.url()).pathname);
        });
        // The page itself is not part of the package: serve it at the package's URL.
        await page.route(`${server.url}test.html`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html', body: PAGE }),
        );
        await page.goto(`${server.url}test.html`);
        await page.waitForFunction(() => window.result !== undefined, null, { timeout: 20_000 });
        const r = await page.evaluate(() => ({ ...window.result, streamed: window.streamed }));
        if (r.error) throw new Error(`the page failed: ${r.error}`);
        const want = JSON.stringify({ submitted: 1, cqes: [{ userData: '99', res: 0 }], created: true });
        const got = JSON.stringify({ submitted: r.submitted, cqes: r.cqes, created: r.created });
        if (got !== want) throw new Error(`NOP through the package: ${got}, wanted ${want}`);
        if (r.streamed !== 1) throw new Error(`instantiateStreaming ran ${r.streamed} times, wanted 1`);
        if (wasmRequests.join() !== '/ringside-core/ringside_core_bg.wasm')
          throw new Error(`wasm requests: ${wasmRequests.join(', ')}`);
      } finally {
        await server.close();
      }
    },
  },
];
