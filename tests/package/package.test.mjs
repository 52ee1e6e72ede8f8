// The core as a package (pkg/, written by scripts/build-pkg.mjs), used the way a stranger would:
// `npm install <path>/pkg` into a throw-away Node project (offline: a local folder needs no
// registry), a NOP and uring_cmds run through it in plain Node with their CQEs checked, and a
// TypeScript consumer type-checked against the package's .d.ts with the repository's tsc,
// including a consumer that misuses the API and must be refused.
//
// Run by `npm test` (scripts/suites/30-package.mjs) or alone: node --test tests/package/
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildWasm } from '../../scripts/build-wasm.mjs';
import { PKG_DIR } from '../../scripts/build-pkg.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let tmp;

const sh = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env } });

before(() => {
  // Builds the module and pkg/ when either is stale (a no-op after `npm test`'s wasm build).
  assert.ok(buildWasm({ quiet: true }), 'the wasm module and pkg/ build');
  tmp = mkdtempSync(join(tmpdir(), 'ringside-pkg-'));
  writeFileSync(
    join(tmp, 'package.json'),
    JSON.stringify({ name: 'ringside-pkg-consumer', version: '0.0.0', private: true, type: 'module' }),
  );
  // --install-links: copy the package as `npm pack` would (honouring `files`), not a symlink.
  const r = sh('npm', ['install', PKG_DIR, '--offline', '--no-audit', '--no-fund', '--install-links'], tmp);
  assert.equal(r.status, 0, `npm install failed:\n${r.stdout}${r.stderr}`);
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('pkg/ has the layout wasm-pack gives a crate', () => {
  const m = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8'));
  const app = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(m.name, 'ringside-core');
  assert.equal(m.version, app.version);
  assert.equal(m.type, 'module');
  assert.equal(m.main, 'ringside_core.js');
  assert.equal(m.module, 'ringside_core.js');
  assert.equal(m.types, 'ringside_core.d.ts');
  assert.equal(m.sideEffects, false);
  for (const f of ['ringside_core.js', 'ringside_core.d.ts', 'ringside_core_bg.wasm']) {
    assert.ok(m.files.includes(f), `files lists ${f}`);
    assert.ok(existsSync(join(PKG_DIR, f)), `pkg/${f} exists`);
  }
  assert.deepEqual(
    readFileSync(join(PKG_DIR, 'ringside_core_bg.wasm')),
    readFileSync(join(root, 'public', 'core.wasm')),
    'the package ships the module the app serves',
  );
});

test('npm installs a copy of the package, with the module', () => {
  const dir = join(tmp, 'node_modules', 'ringside-core');
  assert.ok(!lstatSync(dir).isSymbolicLink(), 'installed as files, not linked to the repository');
  for (const f of ['package.json', 'ringside_core.js', 'ringside_core.d.ts', 'ringside_core_bg.wasm', 'lib']) {
    assert.ok(existsSync(join(dir, f)), `node_modules/ringside-core/${f}`);
  }
});

// Plain Node, no TypeScript, nothing from the repository: only the installed package.
const CONSUMER_JS = `
import {
  init, UserMemory, IoUring, prepNop, prepUringCmd, sqeSetData64, registerDevice, openDevice,
  drainTrace, eventArgs, abi,
} from 'ringside-core';

const core = await init();
const mem = new UserMemory(core);
const ring = IoUring.queueInit(core, mem, 8);
const out = {};

// A NOP.
const nop = ring.getSqe();
prepNop(nop);
sqeSetData64(nop, 0x1234n);
out.nopSubmitted = ring.submitAndWait(1);
out.nop = ring.reap().map((c) => ({ userData: String(c.userData), res: c.res }));

// uring_cmds to the RFC v3 sample driver: SET 42, GET it back, then an unknown cmd_op.
out.register = registerDevice(core, mem, 'rust-misc-device', 'rust_misc_device_v3');
const fd = openDevice(core, mem, 'rust-misc-device');
out.fdOk = fd >= 0;
const value = mem.alloc(8);
mem.writeI32(value, 42);
const got = mem.alloc(8);
const cmd = (op, addr, ud) => {
  const sqe = ring.getSqe();
  prepUringCmd(sqe, op, fd);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(addr), true);
  sqe.setCmd(b);
  sqeSetData64(sqe, ud);
};
cmd(abi.DRIVER_CMD_OPS.RUST_MISC_DEV_URING_CMD_SET_VALUE, value, 1n);
cmd(abi.DRIVER_CMD_OPS.RUST_MISC_DEV_URING_CMD_GET_VALUE, got, 2n);
cmd(0x7c99, got, 3n);
out.cmdSubmitted = ring.submitAndWait(3);
out.cmds = ring.reap().map((c) => ({ userData: String(c.userData), res: c.res }));
out.readBack = mem.readI32(got);

// The decoded trace: the driver's uring_cmd issues, with their cmd_op fields.
out.cmdOps = drainTrace(core)
  .map((e) => eventArgs(e))
  .filter((a) => a && a.event === 'sim_uring_cmd_issue')
  .map((a) => a.cmd_op);
console.log(JSON.stringify(out));
`;

test('a NOP and uring_cmds run through the installed package in plain Node', () => {
  writeFileSync(join(tmp, 'run.mjs'), CONSUMER_JS);
  const r = sh(process.execPath, ['run.mjs'], tmp);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.equal(out.nopSubmitted, 1);
  assert.deepEqual(out.nop, [{ userData: String(0x1234), res: 0 }]);
  assert.equal(out.register, 0);
  assert.ok(out.fdOk);
  assert.equal(out.cmdSubmitted, 3);
  const ENOTTY = 25;
  assert.deepEqual(out.cmds, [
    { userData: '1', res: 0 },
    { userData: '2', res: 0 },
    { userData: '3', res: -ENOTTY },
  ]);
  assert.equal(out.readBack, 42, 'GET_VALUE wrote back what SET_VALUE stored');
  assert.deepEqual(out.cmdOps, [0x80047c83, 0x40047c84, 0x7c99]);
});

const CONSUMER_TS = `
import { init, UserMemory, IoUring, prepNop, sqeSetData64, drainTrace, eventArgs, abi, type Cqe } from 'ringside-core';

export async function nop(): Promise<Cqe[]> {
  const core = await init(undefined, { kernel: '6.19' });
  const mem = new UserMemory(core);
  const ring = IoUring.queueInit(core, mem, 4, { flags: abi.IORING_SETUP_CQSIZE, cqEntries: 8 });
  const sqe = ring.getSqe();
  if (!sqe) throw new Error('SQ full');
  prepNop(sqe);
  sqeSetData64(sqe, 7n);
  ring.submitAndWait(1);
  for (const e of drainTrace(core)) {
    const a = eventArgs(e);
    if (a?.event === 'sim_uring_cmd_issue') console.log(a.cmd_op.toString(16), a.issue_flags);
  }
  return ring.reap();
}
`;

// Each line misuses the API in one way the .d.ts must catch.
const WRONG_TS = `
import { init, UserMemory, IoUring, sqeSetData64, eventArgs, drainTrace } from 'ringside-core';

const core = await init();
const ring = IoUring.queueInit(core, new UserMemory(core), 4);
sqeSetData64(ring.getSqe()!, 7);
const res: string = ring.reap()[0]!.res;
for (const e of drainTrace(core)) {
  const a = eventArgs(e);
  if (a?.event === 'sim_uring_cmd_issue') console.log(a.no_such_field, res);
}
await init(undefined, { kernel: '5.1' });
`;

function typecheck(files) {
  const dir = join(tmp, `tc-${files.join('-').replace(/\W/g, '_')}`);
  const cfg = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM'],
      types: [],
      strict: true,
      noEmit: true,
      // The package's own .d.ts files are checked too.
      skipLibCheck: false,
    },
    files,
  };
  writeFileSync(join(tmp, `${dir.split('/').pop()}.json`), JSON.stringify(cfg));
  return sh(process.execPath, [tsc, '-p', `${dir.split('/').pop()}.json`, '--pretty', 'false'], tmp);
}

test('a TypeScript consumer type-checks against the package .d.ts (NodeNext resolution)', () => {
  writeFileSync(join(tmp, 'consumer.mts'), CONSUMER_TS);
  const r = typecheck(['consumer.mts']);
  assert.equal(r.status, 0, `tsc refused a correct consumer:\n${r.stdout}${r.stderr}`);
});

test('a consumer that misuses the API fails to type-check, at each misuse', () => {
  writeFileSync(join(tmp, 'wrong.mts'), WRONG_TS);
  const r = typecheck(['wrong.mts']);
  assert.notEqual(r.status, 0, 'tsc accepted a wrong consumer');
  const errors = [...r.stdout.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)].map((m) => `${m[1]}:${m[2]}:${m[3]}`);
  assert.deepEqual(errors, [
    'wrong.mts:6:TS2345', // a number where user_data is a bigint
    'wrong.mts:7:TS2322', // res is a number
    'wrong.mts:10:TS2339', // sim_uring_cmd_issue has issue_flags and cmd_op only
    'wrong.mts:12:TS2322', // kernel is '6.18' | '6.19'
  ]);
});
