import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The site is static: a relative base makes dist/ work under any path and from file servers.
export default defineConfig({
  root: 'web',
  base: './',
  publicDir: '../public',
  plugins: [react()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    // Two pages: the app, and the embed for iframes (README "Embedding").
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('web/index.html', import.meta.url)),
        embed: fileURLToPath(new URL('web/embed.html', import.meta.url)),
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
  test: {
    root: '.',
    include: ['web/src/**/*.test.{ts,tsx}', 'cli/**/*.test.ts'],
    environment: 'node',
    // Tests assert behaviour, not speed (speed is `npm run bench`): a whole-scenario golden run or
    // a fuzz property may take many seconds on a loaded two-core CI machine.
    testTimeout: 60_000,
  },
});
