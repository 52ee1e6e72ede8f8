import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import { loadScenario, resetStore, seek, startSession } from './actions';
import { simStore } from './store';

let core: Core;
beforeAll(async () => {
  core = await loadCoreFromDisk();
});
afterEach(() => resetStore());

describe('user memory provenance', () => {
  it('marks bytes the driver copied to user memory, with the line that copied them', () => {
    startSession(core);
    loadScenario('v3-sync-set-get');
    seek(simStore.getState().frames.length - 1);
    const bufs = simStore.getState().inspect?.user ?? [];
    expect(bufs.length).toBeGreaterThan(0);
    const all = bufs.flatMap((b) => (b.prov ?? []).map((p, i) => ({ p, src: b.src?.[i] ?? 0 })));
    expect(all.some((x) => x.p === 'user')).toBe(true);
    const byDriver = all.filter((x) => x.p === 'driver');
    expect(byDriver.length).toBeGreaterThan(0);
    expect(byDriver.every((x) => x.src >>> 16 > 0 && (x.src & 0xffff) > 0)).toBe(true);
  });
});
