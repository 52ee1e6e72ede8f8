// The README's system-package table must list exactly what scripts/bootstrap.mjs installs, and a
// failed proof must name the package that supplies the missing piece.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without types
import { PACKAGES, describe as describeProof, diagnoseWasm as diagnose } from '../scripts/toolchain.mjs';

const packages = PACKAGES as Record<string, string[]>;
const diagnoseWasm = diagnose as (
  rustc: string,
  out: string,
) => { missing: string; packages?: string[]; hint?: string };

describe('setup', () => {
  it('README lists the bootstrap packages need by need, exactly', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = new Map<string, string[]>();
    for (const [, need = '', list = ''] of readme.matchAll(/^\| ([\w.-]+) +\| `([^`]+)` +\|/gm))
      rows.set(need, list.split(' '));
    expect([...rows.keys()].sort()).toEqual(Object.keys(packages).sort());
    for (const [need, list] of Object.entries(packages)) expect(rows.get(need)).toEqual(list);
  });

  it('the wasm toolchain includes the linker the std package only recommends', () => {
    expect(packages.wasm).toContain('lld-14');
    expect(packages.wasm).toContain('libstd-rust-dev-wasm32');
  });

  it('a failed proof names the missing piece and the exact install line', () => {
    const line = describeProof('wasm-1.63', {
      ok: false,
      missing: 'the wasm32 linker rust-lld (Debian package lld-14)',
      packages: ['lld-14'],
    });
    expect(line).toContain('MISSING the wasm32 linker rust-lld');
    expect(line).toContain('apt-get install -y --no-install-recommends lld-14');
  });
});

describe('wasm toolchain diagnosis', () => {
  it("Debian's rustc without lld-14 (what rustc 1.63 prints) asks for lld-14", () => {
    const d = diagnoseWasm(
      '/usr/bin/rustc',
      'error: linker `rust-lld` not found\n  |\n  = note: No such file or directory (os error 2)',
    );
    expect(d.packages).toEqual(['lld-14']);
    expect(d.missing).toMatch(/rust-lld/);
  });

  it('a toolchain without the wasm32 std asks for the std (Debian) or the target (rustup)', () => {
    const out =
      "error[E0463]: can't find crate for `core`\n  = note: the `wasm32-unknown-unknown` target may not be installed";
    expect(diagnoseWasm('/usr/bin/rustc', out).packages).toContain('libstd-rust-dev-wasm32');
    expect(diagnoseWasm('/root/.cargo/bin/rustc', out).hint).toBe('rustup target add wasm32-unknown-unknown');
  });
});
