// Tests of the tracefs reader, step attribution and the tracepoint comparator
// (node --test conformance/). The lines below are as Linux 6.18 prints them.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compareTraces, compareTracepoints, reduceToInputs } from './compare.mjs';
import { formatTrace, parseLine, parseTraceText, readStepClock, selectTree, splitBySteps } from './tracefs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const TEXT = `# tracer: nop
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
            bash-100     [000] .....   10.000001: task_newtask: pid=200 comm=bash clone_flags=1200000 oom_score_adj=0
        recorder-200     [001] .....   10.000010: io_uring_create: ring 000000002e3402bd, fd 3 sq size 4, cq size 8, flags 0x0
        recorder-200     [001] .....   10.000020: task_newtask: pid=201 comm=recorder clone_flags=80d00f00 oom_score_adj=0
        recorder-200     [001] .....   10.000030: io_uring_submit_req: ring 000000002e3402bd, req 000000004b87d394, user_data 0x10, opcode NOP, flags 0x10, sq_thread 0
        recorder-200     [001] .....   10.000031: io_uring_queue_async_work: ring 000000002e3402bd, request 000000004b87d394, user_data 0x10, opcode NOP, flags 0x10000080010, normal queue, work 00000000a7af667c
   iou-wrk-200-201     [000] ...1.   10.000040: io_uring_complete: ring 000000002e3402bd, req 000000004b87d394, user_data 0x10, result 0, cflags 0x0 extra1 0 extra2 0 
        recorder-200     [001] .....   10.000050: io_uring_task_work_run: tctx 000000009b4341c5, count 1
        recorder-200     [001] .....   10.000060: io_uring_submit_req: ring 000000002e3402bd, req 000000004b87d394, user_data 0xffffffffffffffff, opcode NOP, flags 0x0, sq_thread 0
        recorder-200     [001] ...1.   10.000061: io_uring_complete: ring 000000002e3402bd, req 000000004b87d394, user_data 0xffffffffffffffff, result -22, cflags 0x0 extra1 0 extra2 0 
           other-300     [000] .....   10.000062: io_uring_submit_req: ring 00000000deadbeef, req 0000000011111111, user_data 0x1, opcode NOP, flags 0x0, sq_thread 0
    kworker/u8:1-50      [000] .....   10.000070: io_uring_task_work_run: tctx 000000009b4341c5, count 2
    kworker/u8:2-51      [000] .....   10.000071: io_uring_task_work_run: tctx 00000000aaaaaaaa, count 2
        recorder-200     [001] .....   10.000080: io_uring_future_event: something new
`;

test('parseLine reads the kernel print formats, numbers and u64 user_data', () => {
  const e = parseLine(
    '        recorder-200     [001] ...1.   10.000061: io_uring_complete: ring 000000002e3402bd, req 000000004b87d394, user_data 0xffffffffffffffff, result -22, cflags 0x0 extra1 0 extra2 0 ',
  );
  assert.equal(e.event, 'complete');
  assert.equal(e.tid, 200);
  assert.equal(e.tsNs, 10_000_061_000n);
  assert.deepEqual(e.fields, {
    ring: '000000002e3402bd',
    req: '000000004b87d394',
    user_data: '18446744073709551615',
    result: -22,
    cflags: 0,
    extra1: 0,
    extra2: 0,
  });
  const l = parseLine(
    '        recorder-200     [001] .....   10.000000: io_uring_link: ring 000000001f045e10, request 000000000d695855 linked after 00000000edb8a75a',
  );
  assert.deepEqual(l.fields, { ring: '000000001f045e10', req: '000000000d695855', target_req: '00000000edb8a75a' });
  assert.equal(parseLine('# comment'), null);
  assert.equal(parseLine('garbage'), null);
  // An io_uring event this reader has no layout for is kept, marked, never dropped silently.
  assert.equal(parseLine('        recorder-200     [001] .....   10.000080: io_uring_future_event: x').unknown, 'x');
});

test('selectTree keeps the process, its io-wq worker and kworkers on its task context only', () => {
  const kept = selectTree(parseTraceText(TEXT), 200);
  assert.deepEqual(
    kept.map((e) => `${e.event}/${e.ctx}/${e.tid}`),
    [
      'create/task/200',
      'submit_req/task/200',
      'queue_async_work/task/200',
      'complete/iowq/201',
      'task_work_run/task/200',
      'submit_req/task/200',
      'complete/task/200',
      'task_work_run/kworker/50',
      'future_event/task/200',
    ],
  );
});

test('splitBySteps attaches events to steps by the step clock and names pointers in order', () => {
  const clock = readStepClock(
    'pid 200\ns begin 10000005\ns step0 10000015\ns step1 10000055\ns step2 10000065\ns end 10000085\n',
  );
  const split = splitBySteps(selectTree(parseTraceText(TEXT), 200), clock).get('s');
  assert.equal(split.length, 3);
  assert.deepEqual(split[0], [
    { event: 'create', ctx: 'task', ring: 'ring1', fd: 3, sq_entries: 4, cq_entries: 8, flags: 0 },
  ]);
  assert.deepEqual(
    split[1].map((t) => `${t.event} ${t.req ?? t.tctx}`),
    ['submit_req req1', 'queue_async_work req1', 'complete req1', 'task_work_run tctx1'],
  );
  assert.equal(split[1][1].work, 'work1');
  // The request cache hands the same object out again: it keeps its name.
  assert.deepEqual(
    split[2].map((t) => `${t.event} ${t.req ?? t.tctx}`),
    ['submit_req req1', 'complete req1', 'task_work_run tctx1', 'future_event undefined'],
  );
  assert.equal(split[2][3].unparsed, 'something new');
});

test('formatTrace writes JSON that reads back identically', () => {
  const doc = JSON.parse(readFileSync(join(HERE, 'traces', 'nop_async.json'), 'utf8'));
  assert.deepEqual(JSON.parse(formatTrace(doc)), doc);
});

const tp = (event, ctx, extra = {}) => ({ event, ctx, ...extra });

function withTracepoints(rules = []) {
  return {
    format: 'kernel-trace',
    format_version: 1,
    name: 't',
    tracepoints_captured: ['submit_req', 'complete'],
    steps: [
      {
        step: 0,
        kind: 'enter',
        ret: 2,
        tracepoints: [
          tp('submit_req', 'task', { req: 'req1', user_data: 1, opcode: 'NOP' }),
          tp('submit_req', 'task', { req: 'req2', user_data: 2, opcode: 'NOP' }),
          tp('complete', 'iowq', { req: 'req1', user_data: 1, result: 0 }),
          tp('complete', 'iowq', { req: 'req2', user_data: 2, result: 0 }),
          tp('task_work_run', 'task', { tctx: 'tctx1', count: 2 }),
        ],
      },
    ],
    compare_ignore: rules,
  };
}

test('compareTracepoints: equal traces match; every field, the order and the context count', () => {
  const ref = withTracepoints();
  assert.deepEqual(compareTracepoints(ref, withTracepoints()), { captured: true, compared: 5, mismatches: [] });
  const got = withTracepoints();
  got.steps[0].tracepoints[2].result = -5;
  got.steps[0].tracepoints[1].req = 'req1';
  assert.deepEqual(
    compareTracepoints(ref, got).mismatches.map((m) => m.field),
    ['tracepoints[1].req', 'tracepoints[2].result'],
  );
  const swapped = withTracepoints();
  swapped.steps[0].tracepoints[3].ctx = 'task';
  assert.deepEqual(compareTracepoints(ref, swapped).mismatches, [
    { step: 0, kind: 'enter', field: 'tracepoints[3]', expected: 'complete (iowq)', found: 'complete (task)' },
  ]);
  const missing = withTracepoints();
  delete missing.steps[0].tracepoints;
  assert.equal(compareTracepoints(ref, missing).mismatches[0].field, 'tracepoints');
  // The result comparison does not look at tracepoints, and inputs never carry them.
  assert.deepEqual(compareTraces(ref, got), []);
  assert.equal(reduceToInputs(ref).steps[0].tracepoints, undefined);
});

test('compareTracepoints: interleaving and left-out events are the only latitude rules give', () => {
  const got = withTracepoints();
  const t = got.steps[0].tracepoints;
  [t[2], t[3], t[4]] = [{ ...t[3] }, { ...t[2] }, { ...t[4], count: 1 }];
  t.push(tp('task_work_run', 'task', { tctx: 'tctx1', count: 1 }));
  assert.ok(compareTracepoints(withTracepoints(), got).mismatches.length > 0);
  const loose = withTracepoints([
    { path: '/steps/0/tracepoints', interleaving: true, why: 'x' },
    { path: '/steps/0/tracepoints', event: 'task_work_run', why: 'x' },
  ]);
  assert.deepEqual(compareTracepoints(loose, got).mismatches, []);
  // The task's own order still counts under interleaving.
  const taskSwap = withTracepoints();
  const u = taskSwap.steps[0].tracepoints;
  [u[0], u[1]] = [u[1], u[0]];
  assert.ok(compareTracepoints(loose, taskSwap).mismatches.length > 0);
  // An io-wq event the replay lacks is reported.
  const short = withTracepoints();
  short.steps[0].tracepoints.splice(3, 1);
  assert.ok(compareTracepoints(loose, short).mismatches.some((m) => m.found === 'no matching event on another thread'));
});

test('compareTracepoints: a trace recorded without tracefs compares nothing and says so', () => {
  const ref = withTracepoints();
  ref.tracepoints_captured = [];
  assert.deepEqual(compareTracepoints(ref, withTracepoints()), { captured: false, compared: 0, mismatches: [] });
});

test('committed recordings carry tracepoints, named in order, with the declared rules valid', () => {
  const files = readdirSync(join(HERE, 'traces')).filter((f) => f.endsWith('.json'));
  let events = 0;
  for (const f of files) {
    const doc = JSON.parse(readFileSync(join(HERE, 'traces', f), 'utf8'));
    if (!doc.tracepoints_captured?.length) continue;
    assert.ok(
      doc.steps.every((s) => Array.isArray(s.tracepoints)),
      `${f}: every step has tracepoints`,
    );
    const seen = {};
    for (const s of doc.steps) {
      for (const t of s.tracepoints) {
        events++;
        for (const k of ['ring', 'req', 'tctx', 'work']) {
          if (typeof t[k] !== 'string') continue;
          const n = Number(t[k].slice(k.length));
          assert.ok(n <= (seen[k] ?? 0) + 1, `${f}: ${t[k]} named out of order`);
          seen[k] = Math.max(seen[k] ?? 0, n);
        }
      }
    }
    assert.deepEqual(compareTracepoints(doc, doc).mismatches, [], `${f} matches itself`);
  }
  assert.ok(events > 0);
});

test('a ring set up at the address of a freed one is a new ring', () => {
  const text = [
    '  r-9 [000] ..... 1.000001: io_uring_create: ring 00000000aaaaaaaa, fd 3 sq size 4, cq size 8, flags 0x0',
    '  r-9 [000] ..... 1.000002: io_uring_submit_req: ring 00000000aaaaaaaa, req 0000000011111111, user_data 0x1, opcode NOP, flags 0x0, sq_thread 0',
    '  r-9 [000] ..... 1.000003: io_uring_create: ring 00000000aaaaaaaa, fd 3 sq size 4, cq size 8, flags 0x0',
    '  r-9 [000] ..... 1.000004: io_uring_submit_req: ring 00000000aaaaaaaa, req 0000000011111111, user_data 0x2, opcode NOP, flags 0x0, sq_thread 0',
  ].join('\n');
  const clock = readStepClock('pid 9\ns begin 999999\ns step0 1000005\ns end 1000006\n');
  const [step] = splitBySteps(selectTree(parseTraceText(text), 9), clock).get('s');
  assert.deepEqual(
    step.map((t) => `${t.ring} ${t.req ?? ''}`.trim()),
    ['ring1', 'ring1 req1', 'ring2', 'ring2 req1'],
  );
});
