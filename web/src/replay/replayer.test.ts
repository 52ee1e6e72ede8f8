import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareTraces, formatMismatch, reduceToInputs } from '../../../conformance/compare.mjs';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import { TraceInputError } from './input';
import { replayTrace, type Json } from './replayer';

const TRACES = fileURLToPath(new URL('../../../conformance/traces/', import.meta.url));
const names = readdirSync(TRACES)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string) => JSON.parse(readFileSync(TRACES + f, 'utf8')) as Json;

let core: Core;
beforeAll(async () => {
  core = await loadCoreFromDisk();
});

describe('replayTrace', () => {
  it('replays every committed kernel recording, reduced to its inputs, with no mismatch', () => {
    expect(names.length).toBeGreaterThan(60);
    const bad: string[] = [];
    for (const f of names) {
      const ref = load(f);
      const r = replayTrace(core, reduceToInputs(ref), { release: 'test' });
      expect(r.panic).toBeNull();
      for (const m of compareTraces(ref, r.trace)) bad.push(`${f}: ${formatMismatch(m)}`);
    }
    expect(bad).toEqual([]);
  });

  it('reads only inputs: a complete trace replays the same as its reduced form', () => {
    const ref = load('link_mid_prep_fail.json');
    const full = replayTrace(core, ref).trace;
    const reduced = replayTrace(core, reduceToInputs(ref)).trace;
    expect(full.steps).toEqual(reduced.steps);
  });

  it('writes the format: one step per input step, state while a ring is open, u64 as number or string', () => {
    const r = replayTrace(core, reduceToInputs(load('nop_user_data_u64.json')), { release: '9.9' });
    const t = r.trace;
    expect(t.format).toBe('kernel-trace');
    expect(t.kernel).toMatchObject({ sysname: 'Ringside', release: '9.9' });
    const steps = t.steps as Json[];
    expect(steps.map((s) => s.kind)).toEqual(['setup', 'publish', 'enter', 'reap', 'ring_close']);
    for (const s of steps) expect(s.state).toBeDefined();
    const cqes = (steps[3]!.cqes as Json[]).map((c) => c.user_data);
    expect(cqes).toEqual([0, 9007199254740991, '9007199254740992', '18446744073709551615']);
  });

  it('adds errno names and flag names as informational fields', () => {
    const t = replayTrace(core, reduceToInputs(load('err_invalid_opcode.json'))).trace;
    const reap = (t.steps as Json[])[3]!;
    expect(reap.cqes).toEqual([expect.objectContaining({ user_data: 1, res: -22, res_errno: '-EINVAL', flags: 0 })]);
  });

  it('emits a step it cannot perform, without results, and goes on', () => {
    const doc = {
      format: 'kernel-trace',
      format_version: 1,
      name: 'no_ring',
      files: [],
      steps: [
        { step: 0, kind: 'reap' },
        { step: 1, kind: 'setup', entries: 2, flags: 0 },
        { step: 2, kind: 'state' },
      ],
    };
    const r = replayTrace(core, doc);
    const steps = r.trace.steps as Json[];
    expect(steps).toHaveLength(3);
    expect(steps[0]).toMatchObject({ step: 0, kind: 'reap', replay_error: 'no ring is open' });
    expect(steps[0]!.cqes).toBeUndefined();
    expect(steps[2]!.state).toMatchObject({ sq_head: 0, cq_tail: 0 });
    expect(r.errors).toEqual([{ step: 0, message: 'no ring is open' }]);
  });

  it('throws TraceInputError for a bad document', () => {
    expect(() =>
      replayTrace(core, { format: 'kernel-trace', format_version: 1, name: 'x', steps: [{ step: 0, kind: 'nope' }] }),
    ).toThrow(TraceInputError);
  });

  it('creates every file kind of the format', () => {
    const kinds = [
      { id: 'f', fd_kind: 'regular_file', access: 'rdwr' },
      { id: 'd', fd_kind: 'directory', path: '/work/some/dir' },
      { id: 'n', fd_kind: 'dev_null', access: 'rdwr' },
      { id: 'z', fd_kind: 'dev_zero', access: 'rdonly' },
      { id: 'pr', fd_kind: 'pipe_read_end', peer: 'pw' },
      { id: 'pw', fd_kind: 'pipe_write_end', peer: 'pr' },
      { id: 'e', fd_kind: 'eventfd' },
      { id: 'ep', fd_kind: 'epoll' },
      { id: 'm', fd_kind: 'memfd' },
      { id: 'fu', fd_kind: 'dev_fuse', access: 'rdwr' },
      { id: 'tun', fd_kind: 'tun', access: 'rdwr' },
      { id: 'l', fd_kind: 'tcp_listener', backlog: 4, so_rcvbuf: 4096 },
      { id: 'c', fd_kind: 'tcp_client', peer: 's', listener: 'l', nonblock: true },
      { id: 's', fd_kind: 'tcp_server', peer: 'c', listener: 'l' },
      { id: 'u', fd_kind: 'tcp_unconnected' },
      { id: 'rx', fd_kind: 'udp_rx' },
      { id: 'tx', fd_kind: 'udp_tx', peer: 'rx' },
      { id: 'ua', fd_kind: 'unix_stream', peer: 'ub' },
      { id: 'ub', fd_kind: 'unix_stream', peer: 'ua' },
      { id: 'da', fd_kind: 'unix_dgram', peer: 'db' },
      { id: 'db', fd_kind: 'unix_dgram', peer: 'da' },
      { id: 'qa', fd_kind: 'unix_seqpacket', peer: 'qb' },
      { id: 'qb', fd_kind: 'unix_seqpacket', peer: 'qa' },
    ];
    const doc = {
      format: 'kernel-trace',
      format_version: 1,
      name: 'kinds',
      files: kinds,
      steps: [
        { step: 0, kind: 'syscall', call: 'write_until_eagain', fd_ref: 'file', file: 'c', chunk: 65536 },
        { step: 1, kind: 'syscall', call: 'getsockopt', fd_ref: 'file', file: 's', level: 1, optname: 8, optlen: 4 },
        { step: 2, kind: 'syscall', call: 'write', fd_ref: 'file', file: 'pw', bytes: 10 },
        {
          step: 3,
          kind: 'settle',
          fd_ref: 'file',
          file: 'ub',
          request: 'SIOCINQ',
          request_num: 0x541b,
          want: 0,
          timeout_ms: 5,
        },
        { step: 4, kind: 'sleep', ms: 10 },
        { step: 5, kind: 'syscall', call: 'close', fd_ref: 'file', file: 'pr' },
        { step: 6, kind: 'syscall', call: 'write', fd_ref: 'file', file: 'pw', bytes: 10 },
      ],
    };
    const r = replayTrace(core, doc);
    expect(r.errors).toEqual([]);
    const files = r.trace.files as Json[];
    expect(files.map((f) => f.fd)).toEqual(kinds.map((_, i) => i + 3));
    const steps = r.trace.steps as Json[];
    // The client's send buffer (16 KiB) plus the server's receive buffer (the listener's
    // 4096 doubled, inherited).
    expect(steps[0]!.ret).toBe(16384 + 8192);
    expect(steps[1]).toMatchObject({ ret: 0, value: 8192 });
    expect(steps[2]!.ret).toBe(10);
    expect(steps[3]!.ret).toBe(0);
    expect(steps[5]!.ret).toBe(0);
    expect(steps[6]).toMatchObject({ ret: -32, ret_errno: '-EPIPE' });
  });
});
