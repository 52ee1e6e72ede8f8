import { describe, expect, it } from 'vitest';
import type { Frame } from '../sim/frame';
import { storyFrames } from '../test/story';
import type { TraceEvent } from '../wasm/decode';
import { STOP_KINDS, STOP_LABELS, stopsOf } from './stops';

describe('semantic stops', () => {
  const f = storyFrames({ sanitizer: true });
  const stops = f.map((x, i) => stopsOf(x, f[i - 1]));

  it('finds the SQE publication, -EIOCBQUEUED, the device, task_work, the CQE and the sanitizer', () => {
    expect(stops[1]).toEqual(['sqe_published']);
    expect(stops[4]).toEqual(['eiocbqueued']);
    expect(stops[6]).toEqual(['device_done']);
    expect(stops[7]).toEqual(['task_work_ran', 'cqe_posted', 'sanitizer']);
    expect(stops[3]).toEqual([]);
  });

  it('finds -EAGAIN and labels every kind', () => {
    const e = { ...(f[4]?.events[4] as TraceEvent), a: -11n };
    expect(stopsOf({ ...(f[4] as Frame), events: [e] }, f[3])).toEqual(['eagain']);
    for (const k of STOP_KINDS) expect(STOP_LABELS[k]).toBeTruthy();
  });
});
