// Runs the wasm bench's loop (bench/wasm_core.mjs) for a fixed number of 64-SQE batches, for
// instruction counts: under `valgrind --tool=callgrind node bench/wasm_count.mjs ...`, the
// difference between two batch counts is what V8's code for the module executes per
// operation (Node's start-up and compilation cancel out). See docs/performance.md.
//
// Usage: node bench/wasm_count.mjs MODULE nop|inline|v5 BATCHES
import { instantiate, nopTemplate, runNops, setupRing } from './wasm_core.mjs';

const [path, mode = 'nop', batches = '100'] = process.argv.slice(2);
if (!path || !['nop', 'inline', 'v5'].includes(mode)) {
  console.error('usage: node bench/wasm_count.mjs MODULE nop|inline|v5 BATCHES');
  process.exit(2);
}
const e = await instantiate(path);
const ring = setupRing(e);
let tmpl = nopTemplate();
if (mode !== 'nop') {
  const base = e.rs_user_mem_base() + 4096;
  const put = (addr, s) => {
    const b = new TextEncoder().encode(s);
    new Uint8Array(e.memory.buffer).set(b, addr);
    return b.length;
  };
  const [dev, driver] =
    mode === 'inline' ? ['inline-dev', 'rust_misc_device_v3'] : ['rust-misc-device', 'rust_misc_device'];
  const n1 = put(base, dev);
  const n2 = put(base + 64, driver);
  if (e.rs_dev_register(base, n1, base + 64, n2) < 0) throw new Error('rs_dev_register failed');
  const fd = e.rs_dev_open(base, n1);
  if (fd < 0) throw new Error(`rs_dev_open: ${fd}`);
  tmpl = new Uint8Array(64);
  const tv = new DataView(tmpl.buffer);
  tmpl[0] = 46; // IORING_OP_URING_CMD
  tv.setInt32(4, fd, true);
  if (mode === 'inline') {
    tv.setUint32(8, 0x40047c84, true); // RUST_MISC_DEV_URING_CMD_GET_VALUE
    tv.setBigUint64(48, BigInt(base + 256), true);
  }
}
console.log(JSON.stringify({ mode, ops: runNops(e, ring, Number(batches), tmpl) }));
