import { describe, expect, it } from 'vitest';
import { parseTraceInput, TraceInputError } from './input';

const base = () => ({
  format: 'kernel-trace',
  format_version: 1,
  name: 't',
  files: [] as unknown[],
  steps: [
    { step: 0, kind: 'setup', entries: 4, flags: 0 },
    {
      step: 1,
      kind: 'publish',
      sqes: [{ opcode: 0, flags: 0, fd: -1, fd_ref: 'literal', fd_kind: 'none', user_data: '18446744073709551615' }],
    },
    { step: 2, kind: 'enter', to_submit: 1, min_complete: 1, flags: 1 },
    { step: 3, kind: 'reap' },
    { step: 4, kind: 'ring_close' },
  ] as Record<string, unknown>[],
});

function err(doc: unknown): TraceInputError {
  try {
    parseTraceInput(doc);
  } catch (e) {
    if (e instanceof TraceInputError) return e;
    throw e;
  }
  throw new Error('the document was accepted');
}

describe('parseTraceInput', () => {
  it('reads the inputs and normalises u64 fields in both forms', () => {
    const t = parseTraceInput(base());
    expect(t.steps.map((s) => s.kind)).toEqual(['setup', 'publish', 'enter', 'reap', 'ring_close']);
    const p = t.steps[1]!;
    if (p.kind !== 'publish') throw new Error('publish');
    expect(p.sqes[0]!.userData).toBe(2n ** 64n - 1n);
    expect(p.sqes[0]!.fd).toEqual({ ref: 'literal', fd: -1 });
    const d = base();
    (d.steps[1]!.sqes as Record<string, unknown>[])[0]!.user_data = 17;
    const q = parseTraceInput(d).steps[1]!;
    expect(q.kind === 'publish' && q.sqes[0]!.userData).toBe(17n);
  });

  it('ignores keys it does not know, and result fields', () => {
    const d = base();
    d.steps[2]!.ret = 99;
    d.steps[2]!.future_field = { x: 1 };
    expect(() => parseTraceInput(d)).not.toThrow();
  });

  it('names the path, the expectation and what was found', () => {
    const d = base();
    d.steps[2]!.to_submit = -1;
    const e = err(d);
    expect(e.path).toBe('/steps/2/to_submit');
    expect(e.expected).toBe('an integer in 0..4294967295');
    expect(e.found).toBe('-1');
    expect(e.message).toBe('/steps/2/to_submit: expected an integer in 0..4294967295, found -1');
  });

  it('rejects documents of another format or version', () => {
    expect(err({ ...base(), format: 'other' }).path).toBe('/format');
    expect(err({ ...base(), format_version: 2 }).path).toBe('/format_version');
    expect(err([]).expected).toBe('an object');
  });

  it('rejects unknown step kinds and out-of-order step numbers', () => {
    const d = base();
    d.steps[3]!.kind = 'teleport';
    expect(err(d).path).toBe('/steps/3/kind');
    const e = base();
    e.steps[3]!.step = 7;
    expect(err(e).message).toContain('/steps/3/step: expected 3');
  });

  it('rejects u64 values out of range and malformed numbers', () => {
    const d = base();
    (d.steps[1]!.sqes as Record<string, unknown>[])[0]!.user_data = '18446744073709551616';
    expect(err(d).path).toBe('/steps/1/sqes/0/user_data');
    (d.steps[1]!.sqes as Record<string, unknown>[])[0]!.user_data = 2 ** 53;
    expect(err(d).found).toBe(String(2 ** 53));
  });

  it('checks file references and connection groups', () => {
    const d = base();
    (d.steps[1]!.sqes as Record<string, unknown>[])[0]!.fd_ref = 'file';
    (d.steps[1]!.sqes as Record<string, unknown>[])[0]!.file = 'nope';
    expect(err(d).path).toBe('/steps/1/sqes/0/file');
    const g = base();
    g.files = [
      { id: 'a', fd_kind: 'unix_stream', peer: 'b' },
      { id: 'b', fd_kind: 'unix_dgram', peer: 'a' },
    ];
    expect(err(g).path).toBe('/files/0/peer');
    const t = base();
    t.files = [
      { id: 'c', fd_kind: 'tcp_client', peer: 's', listener: 'l' },
      { id: 's', fd_kind: 'tcp_server', peer: 'c', listener: 'l' },
    ];
    expect(err(t).path).toBe('/files/0/listener');
  });

  it('reads pointer descriptors and requires peek buffers to exist', () => {
    const d = base();
    const sqe = (d.steps[1]!.sqes as Record<string, unknown>[])[0]!;
    sqe.addr3 = '<ptr>';
    sqe.addr3_ptr = { type: 'int32', buf: 'v', value: -1 };
    d.steps.splice(4, 0, { step: 4, kind: 'peek', buf: 'v', type: 'int32' });
    d.steps[5]!.step = 5;
    const t = parseTraceInput(d);
    const p = t.steps[1]!;
    expect(p.kind === 'publish' && p.sqes[0]!.addr3).toEqual({ type: 'int32', buf: 'v', value: -1 });
    const bad = base();
    bad.steps.splice(4, 0, { step: 4, kind: 'peek', buf: 'nothing', type: 'int32' });
    bad.steps[5]!.step = 5;
    expect(err(bad).path).toBe('/steps/4/buf');
  });
});
