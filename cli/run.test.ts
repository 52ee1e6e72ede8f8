import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, scenarioPath, SCENARIO_DIR } from './run';

function capture() {
  const io = { o: '', e: '', out: (s: string) => void (io.o += s), err: (s: string) => void (io.e += s) };
  return io;
}

function tmpScenario(doc: unknown): string {
  const d = mkdtempSync(join(tmpdir(), 'ringside-'));
  const f = join(d, 'x.json');
  writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return f;
}

describe('ringside run', () => {
  it('resolves ids to scenarios/ and paths as given', () => {
    expect(scenarioPath('v3-sync-set-get')).toBe(join(SCENARIO_DIR, 'v3-sync-set-get.json'));
    expect(scenarioPath('./a/b.json').endsWith('/a/b.json')).toBe(true);
  });

  it('prints the trace as TP_printk-like text', async () => {
    const io = capture();
    expect(await main(['v3-sync-set-get'], io)).toBe(0);
    expect(io.o).toMatch(/^# v3-sync-set-get: /);
    expect(io.o).toMatch(
      /sim_uring_cmd_issue: req 1, user_data 0x1, cmd_op 0x80047c83 \(RUST_MISC_DEV_URING_CMD_SET_VALUE\), issue_flags NONBLOCK\|COMPLETE_DEFER\|INLINE/,
    );
    expect(io.o).toMatch(/io_uring_complete: req 3, user_data 0x3, result -25 \(ENOTTY\)/);
    expect(io.e).toBe('');
  });

  it('prints one JSON object per record with --json', async () => {
    const io = capture();
    expect(await main(['hazard-double-done', '--json'], io)).toBe(0);
    const recs = io.o
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.length).toBeGreaterThan(10);
    for (const r of recs) for (const k of ['step', 'event', 'req', 'user_data']) expect(r).toHaveProperty(k);
    const cqes = recs.filter((r) => r.event === 'io_uring_complete');
    expect(cqes.map((r) => [r.user_data, r.res, r.cflags])).toEqual([
      [1, 1, 0],
      [2, 1, 0],
    ]);
    expect(recs.filter((r) => String(r.event).startsWith('sanitizer_')).length).toBe(2);
    const withSrc = recs.find((r) => r.event === 'sim_uring_cmd_done') as { src?: { file: string; line: number } };
    expect(withSrc.src?.file).toBe('core-rs/src/drivers/rust_double_done.rs');
  });

  it('reports a bad scenario with its JSON path, what was expected and what was found, and exits 2', async () => {
    const f = tmpScenario({
      format: 'ringside-scenario',
      version: 1,
      id: 'bad',
      title: 'T',
      intro: 'I',
      api: 'v3',
      ring: { entries: 4 },
      devices: [{ name: 'd', driver: 'rust_misc_device_v3' }],
      program: [
        { op: 'open', device: 'd', as: 'dev' },
        { op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'dev', cmd_op: 'NO_SUCH_OP' } },
        { op: 'device', fd: 'dev', action: 'stall' },
      ],
    });
    const io = capture();
    expect(await main([f], io)).toBe(2);
    expect(io.e).toContain(
      `${f}: /program/1/sqe/cmd_op: expected a u32 or a driver constant name (DRIVER_CMD_OPS in abi.generated.ts), found "NO_SUCH_OP"`,
    );
    expect(io.e).toContain(
      '/program/2/action: expected nothing: rust_misc_device_v3 takes no device actions, found "stall"',
    );
    expect(io.o).toBe('');
  });

  it('exits 2 on invalid JSON, a missing file and bad usage', async () => {
    let io = capture();
    expect(await main([tmpScenario('{"format": ')], io)).toBe(2);
    expect(io.e).toMatch(/not valid JSON/);
    io = capture();
    expect(await main(['no-such-scenario'], io)).toBe(2);
    expect(io.e).toMatch(/no scenario no-such-scenario/);
    io = capture();
    expect(await main([], io)).toBe(2);
    expect(io.e).toMatch(/usage: ringside run/);
    io = capture();
    expect(await main(['x', '--frobnicate'], io)).toBe(2);
    expect(io.e).toMatch(/unknown option --frobnicate/);
  });
});
