// Tests of the trace comparator (node --test conformance/).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compareTraces, reduceToInputs } from './compare.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const state = (o = {}) => ({
  sq_head: 0,
  sq_tail: 0,
  sq_pending: 0,
  sq_flags: 0,
  sq_flags_names: [],
  sq_dropped: 0,
  cq_head: 0,
  cq_tail: 0,
  cq_ready: 0,
  cq_overflow: 0,
  cq_flags: 0,
  ...o,
});

/** The two-NOP example of the format document, section 12. */
function twoNops() {
  const sqe = (ud, i) => ({
    sq_index: i,
    slot: i,
    opcode: 0,
    op: 'NOP',
    flags: 0,
    flags_names: [],
    fd: -1,
    fd_ref: 'literal',
    fd_kind: 'none',
    off: 0,
    addr: 0,
    len: 0,
    op_flags: 0,
    user_data: ud,
    ioprio: 0,
    buf_index: 0,
    personality: 0,
    splice_fd_in: 0,
    addr3: 0,
    __pad2: 0,
  });
  return {
    format: 'kernel-trace',
    format_version: 1,
    name: 'two_nops',
    description: 'Two NOPs.',
    kernel: { sysname: 'Linux', release: '6.18.0', version: '#1', machine: 'x86_64' },
    files: [],
    steps: [
      {
        step: 0,
        kind: 'setup',
        entries: 4,
        flags: 0,
        flags_names: [],
        ret: 0,
        sq_entries: 4,
        cq_entries: 8,
        features: 262143,
        sqe_size: 64,
        cqe_size: 16,
        state: state(),
      },
      { step: 1, kind: 'publish', sqes: [sqe(16, 0), sqe(32, 1)], state: state({ sq_tail: 2, sq_pending: 2 }) },
      {
        step: 2,
        kind: 'enter',
        to_submit: 2,
        min_complete: 2,
        flags: 1,
        flags_names: ['GETEVENTS'],
        ret: 2,
        elapsed_ms_informational: 0.01,
        state: state({ sq_head: 2, sq_tail: 2, cq_tail: 2, cq_ready: 2 }),
      },
      {
        step: 3,
        kind: 'reap',
        cqes: [
          { cq_index: 0, user_data: 16, res: 0, flags: 0, flags_names: [] },
          { cq_index: 1, user_data: 32, res: 0, flags: 0, flags_names: [] },
        ],
        count: 2,
        state: state({ sq_head: 2, sq_tail: 2, cq_head: 2, cq_tail: 2 }),
      },
      {
        step: 4,
        kind: 'ring_close',
        why: 'end of scenario',
        state: state({ sq_head: 2, sq_tail: 2, cq_head: 2, cq_tail: 2 }),
      },
    ],
    cqes: [
      { user_data: 16, res: 0, flags: 0 },
      { user_data: 32, res: 0, flags: 0 },
    ],
    compare_ignore: [{ path: '/steps/*/elapsed_ms_informational', why: 'wall-clock time' }],
    timing_dependent: ['every elapsed_ms_informational value'],
    skipped: false,
  };
}

const clone = (o) => structuredClone(o);
const fields = (ms) => ms.map((m) => `${m.step}:${m.field}`);

test('identical traces match', () => {
  assert.deepEqual(compareTraces(twoNops(), twoNops()), []);
});

test('a changed CQE res is reported with step, kind, field, expected and found', () => {
  const got = clone(twoNops());
  got.steps[3].cqes[1].res = -22;
  assert.deepEqual(compareTraces(twoNops(), got), [
    { step: 3, kind: 'reap', field: 'cqes[1].res', expected: 0, found: -22 },
  ]);
});

test('a changed ret is reported', () => {
  const got = clone(twoNops());
  got.steps[2].ret = 1;
  assert.deepEqual(fields(compareTraces(twoNops(), got)), ['2:ret']);
});

test('a missing step is reported, and an extra one too', () => {
  const got = clone(twoNops());
  got.steps.pop();
  const m = compareTraces(twoNops(), got);
  assert.equal(m.length, 1);
  assert.equal(m[0].step, 4);
  assert.equal(m[0].kind, 'ring_close');
  assert.equal(m[0].found, undefined);

  const extra = clone(twoNops());
  extra.steps.push({ step: 5, kind: 'state', state: state() });
  assert.deepEqual(fields(compareTraces(twoNops(), extra)), ['5:step']);
});

test('a step of a different kind is one mismatch and is not compared further', () => {
  const got = clone(twoNops());
  got.steps[2] = { step: 2, kind: 'state', ret: 99, state: state({ cq_tail: 7 }) };
  assert.deepEqual(compareTraces(twoNops(), got), [
    { step: 2, kind: 'enter', field: 'kind', expected: 'enter', found: 'state' },
  ]);
});

test('a changed state word is reported; informational state words are not', () => {
  const got = clone(twoNops());
  got.steps[2].state.cq_tail = 1;
  got.steps[2].state.cq_ready = 1; // never compared
  got.steps[2].state.cq_flags = 5; // never compared
  assert.deepEqual(compareTraces(twoNops(), got), [
    { step: 2, kind: 'enter', field: 'state.cq_tail', expected: 2, found: 1 },
  ]);
});

test('a missing state or result field in GOT is a mismatch', () => {
  const got = clone(twoNops());
  delete got.steps[2].state;
  delete got.steps[0].features;
  const f = fields(compareTraces(twoNops(), got));
  assert.ok(f.includes('0:features'));
  for (const w of ['sq_head', 'sq_tail', 'sq_flags', 'sq_dropped', 'cq_head', 'cq_tail', 'cq_overflow']) {
    assert.ok(f.includes(`2:state.${w}`), w);
  }
});

test('input, informational and elapsed fields are never compared', () => {
  const got = clone(twoNops());
  got.steps[2].elapsed_ms_informational = 5000;
  got.steps[2].flags_names = ['X'];
  got.steps[2].to_submit = 9; // input
  got.steps[3].count = 0;
  got.steps[3].cqes[0].cq_index = 77;
  got.steps[3].cqes[0].flags_names = ['Y'];
  got.steps[0].sqe_size = 128;
  got.cqes = [];
  got.kernel = { sysname: 'Ringside' };
  got.files = [{ id: 'x' }];
  got.skipped = true;
  assert.deepEqual(compareTraces(twoNops(), got), []);
});

test('the elapsed rule is what makes elapsed time ignorable: a ret rule works the same way', () => {
  const ref = twoNops();
  const got = clone(ref);
  got.steps[2].ret = 0;
  assert.equal(compareTraces(ref, got).length, 1);
  ref.compare_ignore.push({ path: '/steps/2/ret', why: 'test' });
  assert.deepEqual(compareTraces(ref, got), []);
});

test('ignore rules cover everything below their path and * matches any index', () => {
  const ref = twoNops();
  ref.compare_ignore.push({ path: '/steps/*/state/cq_tail', why: 'test' });
  const got = clone(ref);
  got.steps[2].state.cq_tail = 1;
  got.steps[3].state.cq_tail = 9;
  got.steps[2].state.cq_head = 1; // not covered
  assert.deepEqual(fields(compareTraces(ref, got)), ['2:state.cq_head']);

  const ref2 = twoNops();
  ref2.compare_ignore.push({ path: '/steps/3/cqes', why: 'whole list' });
  const got2 = clone(ref2);
  got2.steps[3].cqes = [{ user_data: 1, res: 1, flags: 1 }];
  assert.deepEqual(compareTraces(ref2, got2), []);
});

test('a user_data filter limits a cqes rule to the CQEs with that user_data', () => {
  const ref = twoNops();
  ref.compare_ignore.push({ path: '/steps/3/cqes/*/res', user_data: 32, why: 'test' });
  const got = clone(ref);
  got.steps[3].cqes[1].res = -11; // user_data 32: ignored
  assert.deepEqual(compareTraces(ref, got), []);
  got.steps[3].cqes[0].res = -11; // user_data 16: still compared
  assert.deepEqual(compareTraces(ref, got), [{ step: 3, kind: 'reap', field: 'cqes[0].res', expected: 0, found: -11 }]);
});

test('a user_data filter written as a string matches a numeric user_data', () => {
  const ref = twoNops();
  ref.compare_ignore.push({ path: '/steps/3/cqes/*/res', user_data: '32', why: 'test' });
  const got = clone(ref);
  got.steps[3].cqes[1].res = -11;
  assert.deepEqual(compareTraces(ref, got), []);
});

test('an unordered rule compares a cqes list as a multiset', () => {
  const ref = twoNops();
  const got = clone(ref);
  got.steps[3].cqes.reverse();
  assert.ok(compareTraces(ref, got).length > 0, 'order matters without the rule');
  ref.compare_ignore.push({ path: '/steps/3/cqes', unordered: true, why: 'test' });
  assert.deepEqual(compareTraces(ref, got), []);

  // Still a multiset, not "anything goes": a duplicated CQE does not match.
  const dup = clone(ref);
  dup.steps[3].cqes = [ref.steps[3].cqes[0], ref.steps[3].cqes[0]];
  assert.deepEqual(fields(compareTraces(ref, dup)), ['3:cqes[1]']);

  const short = clone(ref);
  short.steps[3].cqes = [ref.steps[3].cqes[1]];
  assert.deepEqual(fields(compareTraces(ref, short)), ['3:cqes.length', '3:cqes[0]']);
});

test('u64 fields compare by value: "16" equals 16, and big values as strings', () => {
  const ref = twoNops();
  const got = clone(ref);
  got.steps[3].cqes[0].user_data = '16';
  assert.deepEqual(compareTraces(ref, got), []);
  got.steps[3].cqes[0].user_data = '17';
  assert.deepEqual(fields(compareTraces(ref, got)), ['3:cqes[0].user_data']);

  ref.steps[3].cqes[0].user_data = '18446744073709551615';
  got.steps[3].cqes[0].user_data = '18446744073709551615';
  assert.deepEqual(compareTraces(ref, got), []);
  got.steps[3].cqes[0].user_data = '18446744073709551614';
  assert.deepEqual(fields(compareTraces(ref, got)), ['3:cqes[0].user_data']);
});

test('big_cqe presence and both words are compared', () => {
  const ref = twoNops();
  ref.steps[3].cqes[0].big_cqe = [0, 0];
  const got = clone(ref);
  assert.deepEqual(compareTraces(ref, got), []);
  got.steps[3].cqes[0].big_cqe = [0, '0'];
  assert.deepEqual(compareTraces(ref, got), []);
  got.steps[3].cqes[0].big_cqe = [0, 5];
  assert.deepEqual(fields(compareTraces(ref, got)), ['3:cqes[0].big_cqe[1]']);
  delete got.steps[3].cqes[0].big_cqe;
  assert.deepEqual(fields(compareTraces(ref, got)), ['3:cqes[0].big_cqe']);
  got.steps[3].cqes[1].big_cqe = [0, 0];
  assert.deepEqual(fields(compareTraces(ref, got)), ['3:cqes[0].big_cqe', '3:cqes[1].big_cqe']);
});

test('get_sqe result, peek value and getsockopt value are compared', () => {
  const ref = twoNops();
  ref.steps.splice(
    4,
    0,
    { step: 4, kind: 'get_sqe', attempted: { opcode: 0, user_data: 5 }, result: null, state: state() },
    { step: 5, kind: 'peek', buf: 'v', type: 'int32', value: 1 },
    {
      step: 6,
      kind: 'syscall',
      call: 'getsockopt',
      fd_ref: 'file',
      file: 's',
      fd_kind: 'tcp_client',
      level: 1,
      optname: 3,
      optlen: 4,
      ret: 0,
      value: 1,
      state: state(),
    },
    { step: 7, kind: 'note', text: 'hello' },
  );
  ref.steps[8].step = 8;
  const got = clone(ref);
  assert.deepEqual(compareTraces(ref, got), []);
  got.steps[4].result = 'sqe';
  got.steps[5].value = 2;
  got.steps[6].value = 2;
  got.steps[7].text = 'other'; // notes are not compared
  assert.deepEqual(fields(compareTraces(ref, got)), ['4:result', '5:value', '6:value']);
});

test('reduceToInputs keeps only inputs (format section 12 example)', () => {
  const reduced = reduceToInputs(twoNops());
  assert.deepEqual(reduced, {
    format: 'kernel-trace',
    format_version: 1,
    name: 'two_nops',
    files: [],
    steps: [
      { step: 0, kind: 'setup', entries: 4, flags: 0 },
      {
        step: 1,
        kind: 'publish',
        sqes: [
          {
            opcode: 0,
            flags: 0,
            ioprio: 0,
            fd: -1,
            fd_ref: 'literal',
            fd_kind: 'none',
            off: 0,
            addr: 0,
            len: 0,
            op_flags: 0,
            user_data: 16,
            buf_index: 0,
            personality: 0,
            splice_fd_in: 0,
            addr3: 0,
            __pad2: 0,
          },
          {
            opcode: 0,
            flags: 0,
            ioprio: 0,
            fd: -1,
            fd_ref: 'literal',
            fd_kind: 'none',
            off: 0,
            addr: 0,
            len: 0,
            op_flags: 0,
            user_data: 32,
            buf_index: 0,
            personality: 0,
            splice_fd_in: 0,
            addr3: 0,
            __pad2: 0,
          },
        ],
      },
      { step: 2, kind: 'enter', to_submit: 2, min_complete: 2, flags: 1 },
      { step: 3, kind: 'reap' },
      { step: 4, kind: 'ring_close' },
    ],
  });
});

test('reduceToInputs drops fd numbers of file references and file prose', () => {
  const t = twoNops();
  t.files = [{ id: 'null', fd_kind: 'dev_null', fd: 3, access: 'rdwr', what: 'open()' }];
  t.steps[1].sqes[0] = {
    ...t.steps[1].sqes[0],
    fd: 3,
    fd_ref: 'file',
    file: 'null',
    fd_kind: 'dev_null',
    fd_note: 'x',
  };
  t.steps.push({
    step: 5,
    kind: 'enter_raw',
    fd: 9999,
    fd_ref: 'literal',
    fd_kind: 'unopened',
    to_submit: 0,
    min_complete: 0,
    flags: 0,
    flags_names: [],
    arg: null,
    argsz: 0,
    ret: -9,
    ret_errno: '-EBADF',
    what: 'x',
  });
  const r = reduceToInputs(t);
  assert.deepEqual(r.files, [{ id: 'null', fd_kind: 'dev_null', access: 'rdwr' }]);
  assert.equal(r.steps[1].sqes[0].fd, undefined);
  assert.equal(r.steps[1].sqes[0].file, 'null');
  assert.equal(r.steps[1].sqes[0].fd_note, undefined);
  assert.deepEqual(r.steps[5], {
    step: 5,
    kind: 'enter_raw',
    fd: 9999,
    fd_ref: 'literal',
    fd_kind: 'unopened',
    to_submit: 0,
    min_complete: 0,
    flags: 0,
    arg: null,
    argsz: 0,
  });
});

test('every committed trace matches itself and its reduced form has no results', () => {
  const dir = join(HERE, 'traces');
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    // No traces committed yet.
  }
  const resultKeys = new Set([
    'ret',
    'state',
    'cqes',
    'result',
    'value',
    'sq_entries',
    'cq_entries',
    'features',
    'count',
    'text',
    'what',
    'why',
  ]);
  for (const f of files) {
    const t = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    assert.equal(t.format, 'kernel-trace', f);
    assert.deepEqual(t.compare_ignore[0], { path: '/steps/*/elapsed_ms_informational', why: 'wall-clock time' }, f);
    assert.ok(t.timing_dependent.includes('every elapsed_ms_informational value'), f);
    assert.deepEqual(compareTraces(t, t), [], f);
    const r = reduceToInputs(t);
    assert.deepEqual(compareTraces(t, r).length > 0 || t.steps.every((s) => s.kind === 'note'), true, f);
    for (const s of r.steps) {
      for (const k of Object.keys(s)) {
        // sq_array_write's and sq_tail_store's `value` is an input.
        if (k === 'value' && (s.kind === 'sq_array_write' || s.kind === 'sq_tail_store')) continue;
        assert.ok(!resultKeys.has(k), `${f} step ${s.step} keeps ${k}`);
      }
    }
  }
});
