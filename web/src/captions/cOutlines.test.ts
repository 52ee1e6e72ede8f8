/**
 * The code panel's C layer: every io_uring C function any scenario runs through has an outline
 * (functions outside io_uring, such as queue_work_on or misc_open, are linked only).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../scenario/run';
import { validateScenario } from '../scenario/validate';
import { loadCoreFromDisk } from '../wasm/node';
import { C_OUTLINES, cOutline } from './cOutlines';
import { functionForEvent } from './kernelFunctions';

const dir = join(__dirname, '..', '..', '..', 'scenarios');

describe('C outlines', () => {
  it('cover every io_uring function the scenarios run through', async () => {
    const missing = new Set<string>();
    let seen = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const s = validateScenario(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      const run = runScenario(await loadCoreFromDisk(), s);
      for (const e of run.events) {
        const fn = functionForEvent(e);
        if (!fn || fn.origin !== 'kernel') continue;
        if (!fn.file.startsWith('io_uring/') && !fn.file.startsWith('include/linux/io_uring')) continue;
        seen++;
        if (!cOutline(fn.ident)) missing.add(`${fn.ident} (${fn.file})`);
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect([...missing]).toEqual([]);
  }, 120_000);

  it('are short outlines that name their file, not pasted source', () => {
    for (const [ident, o] of Object.entries(C_OUTLINES)) {
      expect(o.file, ident).toMatch(/^(io_uring|include)\//);
      expect(o.lines.length, ident).toBeLessThanOrEqual(12);
      expect(o.lines[0], ident).toContain(ident.replace(/^SYSCALL_/, ''));
    }
  });
});
