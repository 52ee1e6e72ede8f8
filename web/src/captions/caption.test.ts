import { describe, expect, it } from 'vitest';
import type { Frame } from '../sim/frame';
import { STORY_PROGRAM, storyFrames } from '../test/story';
import type { TraceEvent } from '../wasm/decode';
import { NOTHING, captionEvents, captionFor, kernelCaption } from './caption';

const frames = storyFrames();
const at = (i: number) => frames[i] as Frame;

function ev(event: string, a = 0): TraceEvent {
  return {
    step: 1,
    event: event as TraceEvent['event'],
    ctx: 'io_uring',
    ring: 1,
    req: 1,
    srcFile: 0,
    srcLine: 0,
    timeNs: 0,
    userData: 7n,
    a: BigInt(a),
    b: 0n,
  };
}

describe('kernel captions', () => {
  it('makes one sentence: capitalised, ending with a period, at most three clauses', () => {
    const text = kernelCaption(at(4).events);
    expect(text).toMatch(/^The core calls the driver's ->uring_cmd\(\)/);
    expect(text).toMatch(/-EIOCBQUEUED: the command stays in flight until the driver completes it\.$/);
    expect(captionEvents(at(4).events).length).toBeLessThanOrEqual(3);
    expect(text.split(', then ').length).toBeLessThanOrEqual(3);
  });

  it('leaves bookkeeping out when something else happened, and keeps it when nothing else did', () => {
    const keep = captionEvents([ev('sim_issue'), ev('sim_req_free'), ev('io_uring_complete')]);
    expect(keep.map((e) => e.event)).toEqual(['io_uring_complete']);
    expect(kernelCaption([ev('sim_req_free')])).toBe('Request #7 goes back to the request cache.');
    expect(kernelCaption([])).toBe(NOTHING);
  });

  it('lets the turning points speak: ordinary records only fill up to two clauses', () => {
    const ret = { ...ev('sim_uring_cmd_ret', -11) };
    const punt = ev('io_uring_queue_async_work');
    // The -EAGAIN clause already tells of the punt to io-wq.
    expect(
      captionEvents([ev('sim_uring_cmd_issue'), ev('sim_pdu_write'), ret, ev('sim_sqe_copy'), punt]).map(
        (e) => e.event,
      ),
    ).toEqual(['sim_uring_cmd_issue', 'sim_uring_cmd_ret']);
    expect(
      captionEvents([ev('sim_sys_enter'), ev('io_uring_submit_req'), ev('sim_sq_head_commit')]).map((e) => e.event),
    ).toEqual(['sim_sys_enter', 'io_uring_submit_req']);
  });

  it('puts a sanitizer report first among too many clauses', () => {
    const text = kernelCaption(storyFrames({ sanitizer: true })[7]?.events ?? []);
    expect(text).toContain('the sanitizer reports that done() runs without uring_lock');
  });

  it('skips a repeated clause', () => {
    expect(kernelCaption([ev('sim_wait_wake'), ev('sim_wait_wake')])).toBe('The waiting task wakes up.');
  });
});

describe('application captions', () => {
  it('describes setup, prep, submit and reap from the program and the rings', () => {
    expect(captionFor(at(0), undefined, undefined)).toMatch(/io_uring_setup: 4 SQ entries and 8 CQ entries/);
    expect(captionFor(at(1), at(0), STORY_PROGRAM[0])).toBe(
      'The application fills a URING_CMD SQE (user_data 42) in SQE slot 0 and publishes SQ tail 1.',
    );
    expect(captionFor(at(2), at(1), STORY_PROGRAM[1])).toBe('The application calls io_uring_enter to submit 1 SQE.');
    expect(captionFor(at(8), at(7), STORY_PROGRAM[2])).toBe(
      'The application reads 1 CQE (user_data 42 → 0) and stores CQ head 1.',
    );
  });

  it('lets a scenario note replace the sentence', () => {
    expect(captionFor(at(2), at(1), { op: 'submit', note: 'Off to the kernel.' })).toBe('Off to the kernel.');
  });

  it.each([
    [
      { op: 'open', device: 'rust-misc', as: 'dev' },
      'fd 4 = open("/dev/rust-misc")',
      'The application opens /dev/rust-misc and gets fd 4.',
    ],
    [{ op: 'alloc', as: 'buf', size: 16 }, '', 'The application allocates 16 bytes of its own memory for buf.'],
    [{ op: 'write_user', target: 'buf', data: { hex: '00' } }, '', 'The application writes into its buffer buf.'],
    [{ op: 'wait', min: 1 }, '', 'The application calls io_uring_enter with GETEVENTS to wait for 1 completion.'],
    [
      { op: 'sleep', ms: 5 },
      '',
      'The application sleeps for 5 ms (nanosleep, interruptible) while the kernel and the device carry on.',
    ],
    [
      { op: 'spin', ms: 5 },
      '',
      'The application computes for 5 ms without a system call; the kernel only gets the CPU at interrupts such as the 4 ms timer tick.',
    ],
    [{ op: 'device', fd: 'dev', action: 'complete_now' }, '', 'The scenario pokes the device: complete_now.'],
    [{ op: 'close', fd: 'dev' }, '', 'The application closes dev.'],
    [{ op: 'exit' }, '', 'The application tears the ring down with io_uring_queue_exit().'],
    [{ op: 'reap' }, '', 'The application looks for CQEs, but none is ready.'],
  ] as const)('%j', (op, label, want) => {
    const f = { ...at(1), label };
    expect(captionFor(f, at(1), op as never)).toBe(want);
  });

  it('falls back to the frame label for free-play actions without an operation', () => {
    expect(captionFor({ ...at(1), label: 'manual poke' }, at(0), undefined)).toBe('Manual poke.');
  });
});

describe('records of one kind in a row', () => {
  const cqe = (ud: number, res: number) => ({ ...ev('io_uring_complete', res), userData: BigInt(ud) });
  it('become one clause', () => {
    expect(kernelCaption([cqe(1, 0), cqe(2, -22), ev('sim_cq_tail_commit', 2)])).toBe(
      'The kernel writes 2 CQEs into the CQ ring: user_data 1 → 0 and user_data 2 → -EINVAL, then the kernel publishes CQ tail 2, so the application can see 2 new CQEs.',
    );
    const ovf = (ud: number) => ({ ...ev('io_uring_cqe_overflow'), userData: BigInt(ud) });
    expect(kernelCaption([ovf(5), ovf(6)])).toBe(
      'The CQ ring is full, so the CQEs for user_data 5 and 6 go to the overflow list.',
    );
    expect(kernelCaption([ev('sim_pdu_write', 0), { ...ev('sim_pdu_write'), b: 4n }])).toMatch(
      /, and 1 more like it\.$/,
    );
  });
});

describe('deferred work', () => {
  it('names the request of a record that carries no user_data', () => {
    const work = { ...ev('sim_work_run'), userData: 0n };
    expect(kernelCaption([work], (req) => (req === 1 ? 9n : undefined))).toBe(
      'A workqueue item runs for request #9: the device has finished its part.',
    );
  });

  it('says a task_work request once', () => {
    const keep = captionEvents([ev('sim_work_run'), ev('sim_uring_cmd_do_in_task', 1), ev('io_uring_task_add', 1)]);
    expect(keep.map((e) => e.event)).toEqual(['sim_work_run', 'sim_uring_cmd_do_in_task']);
    expect(captionEvents([ev('io_uring_cqring_wait', 1), ev('sim_wait_sleep', 1)]).map((e) => e.event)).toEqual([
      'sim_wait_sleep',
    ]);
  });
});

describe('capitals', () => {
  it('capitalises a plain first word but never an identifier', () => {
    expect(kernelCaption([ev('sim_sys_exit', 1)])).toBe('io_uring_enter returns 1 to the application.');
    expect(kernelCaption([{ ...ev('sim_task_work_run'), userData: 7n }])).toBe(
      'task_work runs in the submitting task for request #7.',
    );
    expect(kernelCaption([ev('sim_wait_wake')])).toBe('The waiting task wakes up.');
  });
});

describe('grouping across bookkeeping', () => {
  it('joins the CQEs of one flush even with frees between them', () => {
    const cqe = (ud: number) => ({ ...ev('io_uring_complete', 0), userData: BigInt(ud) });
    expect(kernelCaption([cqe(1), ev('sim_req_free'), cqe(2), ev('sim_req_free')])).toBe(
      'The kernel writes 2 CQEs into the CQ ring: user_data 1 → 0 and user_data 2 → 0.',
    );
  });
});
