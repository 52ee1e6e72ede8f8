import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, validateScenario } from './validate';

const dir = join(__dirname, '..', '..', '..', 'scenarios');
const base = () => ({
  format: 'ringside-scenario',
  version: 1,
  id: 'x-y',
  title: 'T',
  intro: 'I',
  api: 'v5',
  ring: { entries: 4 },
  program: [
    { op: 'prep', sqe: { opcode: 'NOP' } },
    { op: 'submit', wait: 1 },
  ],
});

function errorsOf(doc: unknown) {
  try {
    validateScenario(doc);
  } catch (e) {
    if (e instanceof ScenarioError) return e.errors;
    throw e;
  }
  return [];
}

describe('validateScenario', () => {
  it('accepts every committed scenario', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files)
      expect(() => validateScenario(JSON.parse(readFileSync(join(dir, f), 'utf8'))), f).not.toThrow();
  });

  it('names the path, what it expected and what it found', () => {
    const d = base();
    (d.program[0] as { sqe: { opcode: string } }).sqe.opcode = 'FSYNC';
    expect(errorsOf(d)).toEqual([
      {
        path: '/program/0/sqe/opcode',
        expected:
          'one of NOP, URING_CMD, URING_CMD128, READ, WRITE, READV, WRITEV, READ_FIXED, WRITE_FIXED, TIMEOUT, TIMEOUT_REMOVE, LINK_TIMEOUT, ASYNC_CANCEL, POLL_ADD, POLL_REMOVE, SEND, RECV, ACCEPT, PROVIDE_BUFFERS, REMOVE_BUFFERS or a number 0..255',
        found: '"FSYNC"',
      },
    ]);
  });

  it('checks pipes, writes and the addr/off fields of an SQE', () => {
    const d = base() as { program: unknown[] };
    d.program.unshift(
      { op: 'alloc', as: 'b', size: 8 },
      { op: 'pipe', read_as: 'r', write_as: 'w' },
      { op: 'write', fd: 'w', buf: 'b', len: 8 },
    );
    d.program.push({ op: 'prep', sqe: { opcode: 'READ', fd: 'r', addr: '&b', len: 8, off: -1 } });
    expect(errorsOf(d)).toEqual([]);
    d.program.push(
      { op: 'pipe', read_as: 'ring', write_as: 'x' },
      { op: 'write', fd: 'nope', buf: 'nobuf' },
      { op: 'prep', sqe: { opcode: 'READ', addr: '&nobuf', off: -2 } },
    );
    const n = d.program.length;
    expect(errorsOf(d).map((e) => e.path)).toEqual([
      `/program/${n - 3}/read_as`,
      `/program/${n - 2}/fd`,
      `/program/${n - 2}/buf`,
      `/program/${n - 1}/sqe/off`,
      `/program/${n - 1}/sqe/addr`,
    ]);
  });

  it('rejects unknown operations, versions and dangling variables', () => {
    const d = base() as Record<string, unknown>;
    d.version = 2;
    (d.program as unknown[]).push({ op: 'teleport' }, { op: 'close', fd: 'nope' });
    const paths = errorsOf(d).map((e) => e.path);
    expect(paths).toEqual(['/version', '/program/2/op', '/program/3/fd']);
  });

  it('rejects non-objects and hostile sizes without throwing anything else', () => {
    expect(errorsOf(null)[0]?.path).toBe('');
    expect(errorsOf([])[0]?.expected).toBe('a JSON object');
    const d = base();
    d.ring.entries = 1e9;
    expect(errorsOf(d)[0]?.path).toBe('/ring/entries');
  });
});
