import { describe, expect, it } from 'vitest';
import { readRecordingText } from '../web/src/recording/format';
import { buildRecording, formatRecording, main } from './record';

function capture() {
  const io = { o: '', e: '', out: (s: string) => void (io.o += s), err: (s: string) => void (io.e += s) };
  return io;
}

const TEXT = `# tracer: nop
             cp-50     [000] .....  100.000100: io_uring_create: ring 00000000aaaa0001, fd 3 sq size 8, cq size 16, flags 0x0
             cp-50     [000] .....  100.000120: task_newtask: pid=51 comm=cp clone_flags=80d00f00 oom_score_adj=0
             cp-50     [000] .....  100.000200: io_uring_submit_req: ring 00000000aaaa0001, req 00000000bbbb0001, user_data 0x7, opcode WRITEV, flags 0x10, sq_thread 0
             cp-50     [000] .....  100.000201: io_uring_queue_async_work: ring 00000000aaaa0001, request 00000000bbbb0001, user_data 0x7, opcode WRITEV, flags 0x10000080010, hashed queue, work 00000000cccc0001
     iou-wrk-50-51     [001] .....  100.000900: io_uring_complete: ring 00000000aaaa0001, req 00000000bbbb0001, user_data 0x7, result 4096, cflags 0x0 extra1 0 extra2 0 
           other-60    [001] .....  100.000950: io_uring_submit_req: ring 00000000dddd0001, req 00000000eeee0001, user_data 0x1, opcode NOP, flags 0x0, sq_thread 0
`;

const META = {
  program: ['cp', 'a', 'b'],
  exit_status: 0,
  started: '2026-01-01T00:00:00.000Z',
  kernel: { sysname: 'Linux', release: '6.18.0', version: '#1', machine: 'x86_64' },
  clock: 'CLOCK_MONOTONIC',
  tracepoints_captured: ['create', 'submit_req', 'queue_async_work', 'complete'],
  lost_events: 0,
};

describe('ringside record', () => {
  it('refuses bad usage with exit status 2 and says why', async () => {
    for (const [args, want] of [
      [[], /missing --out FILE/],
      [['--out', '/tmp/x.json'], /missing -- PROGRAM/],
      [['--bogus'], /unknown argument --bogus/],
      [['--out', 'x', '--buffer-kb', '3', '--', 'true'], /--buffer-kb takes an integer/],
    ] as const) {
      const io = capture();
      expect(await main([...args], io)).toBe(2);
      expect(io.e).toMatch(want);
      expect(io.e).toMatch(/usage: ringside record/);
    }
  });

  it('builds a recording of the program tree only: its io-wq worker, real times from the first event, named pointers', () => {
    const r = buildRecording(TEXT, 50, META);
    expect(r.threads).toEqual([
      { tid: 50, name: 'cp', ctx: 'task', events: 3 },
      { tid: 51, name: 'iou-wrk-50', ctx: 'iowq', events: 1 },
    ]);
    expect(r.t0_ns).toBe('100000100000');
    expect(r.events.map((e) => [e.event, e.ts_ns, e.req ?? null])).toEqual([
      ['create', 0, null],
      ['submit_req', 100000, 'req1'],
      ['queue_async_work', 101000, 'req1'],
      ['complete', 800000, 'req1'],
    ]);
    expect(r.events[2]!.queue).toBe('hashed');
    expect(r.events[2]!.work).toBe('work1');
    // What it writes is what the app reads.
    const back = readRecordingText(formatRecording(r));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.recording.events).toHaveLength(4);
  });
});
