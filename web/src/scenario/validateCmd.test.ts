import { describe, expect, it } from 'vitest';
import { ScenarioError, validateScenario } from './validate';

const base = (): Record<string, unknown> => ({
  format: 'ringside-scenario',
  version: 1,
  id: 'x',
  title: 'T',
  intro: 'I',
  api: 'v5',
  ring: { entries: 4 },
  devices: [{ name: 'd', driver: 'rust_delay_device' }],
  program: [
    { op: 'open', device: 'd', as: 'dev' },
    { op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'dev', cmd_op: 'DELAY_DEV_SUBMIT' } },
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

describe('validateScenario: devices, drivers and sanitizers', () => {
  it('accepts a uring_cmd program with driver constants, the ring variable and device actions', () => {
    const d = base();
    (d.program as unknown[]).push(
      { op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'ring', cmd_op: 1 } },
      { op: 'device', fd: 'dev', action: 'complete_now' },
      { op: 'exit' },
    );
    expect(errorsOf(d)).toEqual([]);
  });

  it('names unknown drivers and drivers of the other API generation', () => {
    const d = base();
    d.devices = [
      { name: 'a', driver: 'nope' },
      { name: 'b', driver: 'rust_misc_device_v3' },
      { name: 'c', driver: 'rust_no_uring_cmd' },
    ];
    d.program = [{ op: 'reap' }];
    const errs = errorsOf(d);
    expect(errs.map((e) => e.path)).toEqual(['/devices/0/driver', '/devices/1/driver']);
    expect(errs[1]?.expected).toBe('a driver written against the scenario\'s api "v5" (rust_misc_device_v3 uses v3)');
  });

  it('does not take inherited object keys for drivers or cmd_op names', () => {
    const d = base();
    d.devices = [{ name: 'd', driver: 'constructor' }];
    d.program = [{ op: 'prep', sqe: { opcode: 'URING_CMD', fd: 0, cmd_op: 'toString' } }];
    expect(errorsOf(d).map((e) => e.path)).toEqual(['/devices/0/driver', '/program/0/sqe/cmd_op']);
  });

  it('checks device actions against the driver of the opened device', () => {
    const d = base();
    (d.program as unknown[]).push(
      { op: 'device', fd: 'dev', action: 'dispatch' },
      { op: 'device', fd: 'ring', action: 'stall' },
    );
    const errs = errorsOf(d);
    expect(errs).toEqual([
      {
        path: '/program/2/action',
        expected: 'one of complete_now, fail_next, stall (the actions of rust_delay_device)',
        found: '"dispatch"',
      },
      { path: '/program/3/fd', expected: 'a variable bound by an earlier open of a device', found: '"ring"' },
    ]);
  });

  it('refuses rebinding or closing the ring variable', () => {
    const d = base();
    (d.program as unknown[]).push({ op: 'open', device: 'd', as: 'ring' }, { op: 'close', fd: 'ring' });
    expect(errorsOf(d).map((e) => e.path)).toEqual(['/program/2/as', '/program/3/fd']);
  });

  it('validates the declared sanitizer reports', () => {
    const d = base();
    d.sanitizers = ['sanitizer_double_done', 'sanitizer_nope', 'sanitizer_double_done'];
    expect(errorsOf(d).map((e) => e.path)).toEqual(['/sanitizers/1', '/sanitizers/2']);
    d.sanitizers = [];
    expect(errorsOf(d).map((e) => e.path)).toEqual(['/sanitizers']);
  });
});
