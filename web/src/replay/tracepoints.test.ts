import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareTracepoints, formatMismatch, reduceToInputs } from '../../../conformance/compare.mjs';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import { replayTrace, type Json } from './replayer';
import { SIM_TRACEPOINTS, TracepointNamer } from './tracepoints';

const TRACES = fileURLToPath(new URL('../../../conformance/traces/', import.meta.url));
const load = (f: string) => JSON.parse(readFileSync(`${TRACES}${f}.json`, 'utf8')) as Json;

let core: Core;
beforeAll(async () => {
  core = await loadCoreFromDisk();
});

function replayed(name: string) {
  const ref = load(name);
  const r = replayTrace(core, reduceToInputs(ref), { release: 'test' });
  expect(r.panic).toBeNull();
  return { ref, got: r.trace as { steps: { tracepoints?: Json[] }[]; tracepoints_captured: string[] } };
}

describe("the simulator's tracepoints", () => {
  it.each([
    ['nop_wrap_4', 'request objects come back from the cache last-freed first'],
    ['link_chain_ok', 'a chain: the next member completes inside the task_work run that is traced after it'],
    ['link_mid_prep_fail', 'a prep failure: req_failed, fail_link with the failing request, -ECANCELED completions'],
    ['nop_file_bad_fd', 'a file lookup is traced even when the descriptor is bad'],
    ['cq_overflow_order', 'overflowed CQEs'],
    ['tw_async_default', 'an io-wq completion on a default ring'],
    ['tw_async_coop', 'an io-wq completion on a COOP_TASKRUN ring'],
    ['tw_async_defer', 'an io-wq completion on a DEFER_TASKRUN ring waits for the wait, which runs the local work'],
  ])('%s matches the kernel tracepoint for tracepoint: %s', (name) => {
    const { ref, got } = replayed(name);
    const tp = compareTracepoints(ref, got);
    expect(tp.captured).toBe(true);
    expect(tp.compared).toBeGreaterThan(0);
    expect(tp.mismatches.map(formatMismatch)).toEqual([]);
  });

  it('writes only kernel tracepoints, every step, with named pointers', () => {
    const { got } = replayed('link_inject_fail');
    expect(got.tracepoints_captured).toEqual(SIM_TRACEPOINTS);
    for (const s of got.steps) {
      expect(Array.isArray(s.tracepoints)).toBe(true);
      for (const t of s.tracepoints ?? []) {
        expect(SIM_TRACEPOINTS).toContain(t.event);
        for (const k of ['ring', 'req', 'link', 'target_req', 'tctx', 'work'])
          if (t[k] !== undefined) expect(t[k]).toMatch(/^[a-z]+\d+$/);
      }
    }
  });

  it('a changed simulator is caught: a tracepoint moved to another step is a mismatch', () => {
    const { ref, got } = replayed('nop_two');
    const moved = got.steps[2]!.tracepoints!.pop()!;
    got.steps[3]!.tracepoints!.push(moved);
    expect(compareTracepoints(ref, got).mismatches.length).toBeGreaterThan(0);
  });
});

describe('TracepointNamer', () => {
  it('hands request objects out last-freed first, per ring', () => {
    const n = new TracepointNamer();
    expect([n.req(1, 10), n.req(1, 11), n.req(1, 12)]).toEqual(['req1', 'req2', 'req3']);
    n.free(1, 10);
    n.free(1, 11);
    n.free(1, 12);
    expect([n.req(1, 13), n.req(1, 14), n.req(2, 15), n.req(1, 16)]).toEqual(['req3', 'req2', 'req4', 'req1']);
    expect(n.name('ring', 7)).toBe('ring1');
    expect(n.name('ring', 7)).toBe('ring1');
  });
});
