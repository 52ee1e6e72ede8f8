import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASES } from 'virtual:kernel-recordings';
import { describe, expect, it } from 'vitest';
import { kernelTag, kernelVersion } from './kernelVersion';

describe('the kernel the model follows', () => {
  it('is computed from the conformance recordings', () => {
    const dir = join(__dirname, '..', '..', '..', 'conformance', 'traces');
    const counts: Record<string, number> = {};
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const k = (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { kernel?: { sysname?: string; release?: string } })
        .kernel;
      if (k?.sysname === 'Linux' && k.release) counts[k.release] = (counts[k.release] ?? 0) + 1;
    }
    expect(RELEASES).toEqual(counts);
    const v = kernelVersion();
    expect(v).not.toBeNull();
    expect(Object.keys(counts)).toContain(v!.release);
    expect(kernelTag()).toBe(`v${v!.series}`);
  });

  it('picks the release most recordings were made on, and names its series', () => {
    expect(kernelVersion({ '6.18.44-x': 60, '6.19.1': 9 })).toEqual({
      release: '6.18.44-x',
      series: '6.18',
      recordings: 60,
      total: 69,
    });
    expect(kernelVersion({})).toBeNull();
  });
});
