// Measures the wasm core under Node doing batches of 64 NOPs per io_uring_enter(64, 64,
// GETEVENTS) with tracing on, the trace drained after every batch (as the page does).
// The application side copies each SQE from a template (one typed-array copy plus the
// user_data store, as a C program would memcpy), so the figure is the core's.
import { readFileSync } from 'node:fs';

export async function instantiate(path) {
  const { instance } = await WebAssembly.instantiate(readFileSync(path), { env: { host_panic() {} } });
  return instance.exports;
}

/** Sets up a 256-entry ring; returns the handles the loops need. */
export function setupRing(e) {
  e.rs_init(0);
  const p = e.rs_user_mem_base();
  new Uint8Array(e.memory.buffer).fill(0, p, p + 120);
  const fd = e.io_uring_setup(256, p);
  if (fd < 0) throw new Error(`io_uring_setup: ${fd}`);
  const dv = new DataView(e.memory.buffer);
  const ring = {
    fd,
    sqTail: dv.getUint32(p + 44, true),
    array: dv.getUint32(p + 64, true),
    cqHead: dv.getUint32(p + 80, true),
    cqTail: dv.getUint32(p + 84, true),
    rings: e.rs_mmap(fd, 0) >>> 0,
    sqes: e.rs_mmap(fd, 0x10000000) >>> 0,
    tail: 0,
  };
  for (let i = 0; i < 256; i++) dv.setUint32(ring.rings + ring.array + 4 * i, i, true);
  return ring;
}

/**
 * Runs `batches` batches of 64 SQEs copied from `tmpl`; returns ops completed. The trace is
 * drained after each batch unless `drain` is false (the soak lets it grow to its bound).
 */
export function runNops(e, ring, batches, tmpl, drain = true) {
  let ops = 0;
  for (let b = 0; b < batches; b++) {
    const buf = e.memory.buffer;
    const u8 = new Uint8Array(buf);
    const dv = new DataView(buf);
    for (let i = 0; i < 64; i++) {
      const a = ring.sqes + (ring.tail & 255) * 64;
      u8.set(tmpl, a);
      dv.setUint32(a + 32, ops + i, true);
      ring.tail = (ring.tail + 1) >>> 0;
    }
    dv.setUint32(ring.rings + ring.sqTail, ring.tail, true);
    const r = e.io_uring_enter(ring.fd, 64, 64, 1, 0, 0);
    if (r !== 64) throw new Error(`io_uring_enter returned ${r}`);
    const dv2 = new DataView(e.memory.buffer);
    dv2.setUint32(ring.rings + ring.cqHead, dv2.getUint32(ring.rings + ring.cqTail, true), true);
    if (drain) e.rs_trace_clear();
    ops += 64;
  }
  return ops;
}

export function nopTemplate() {
  const t = new Uint8Array(64);
  new DataView(t.buffer).setInt32(4, -1, true);
  return t;
}

/** ops/s over about `seconds`. */
export function measureNops(e, seconds) {
  const ring = setupRing(e);
  const tmpl = nopTemplate();
  runNops(e, ring, 200, tmpl); // warm-up
  let ops = 0;
  const t0 = performance.now();
  let el = 0;
  while (el < seconds * 1000) {
    ops += runNops(e, ring, 64, tmpl);
    el = performance.now() - t0;
  }
  return { ops, seconds: el / 1000, opsPerSec: ops / (el / 1000) };
}

function putStr(e, addr, s) {
  const b = new TextEncoder().encode(s);
  new Uint8Array(e.memory.buffer).set(b, addr);
  return b.length;
}

/**
 * uring_cmd through the v5 sample driver (`rust_misc_device`: queue() → workqueue →
 * complete_in_task → done()), 64 per io_uring_enter(64, 64, GETEVENTS). ops/s over ~`seconds`.
 */
export function measureV5Sample(e, seconds) {
  const ring = setupRing(e);
  const base = e.rs_user_mem_base() + 4096;
  const n1 = putStr(e, base, 'rust-misc-device');
  const n2 = putStr(e, base + 64, 'rust_misc_device');
  if (e.rs_dev_register(base, n1, base + 64, n2) < 0) throw new Error('rs_dev_register failed');
  const fd = e.rs_dev_open(base, n1);
  if (fd < 0) throw new Error(`rs_dev_open: ${fd}`);
  const tmpl = new Uint8Array(64);
  const tv = new DataView(tmpl.buffer);
  tmpl[0] = 46;
  tv.setInt32(4, fd, true);
  const batch = () => runNops(e, ring, 16, tmpl);
  batch();
  let ops = 0;
  const t0 = performance.now();
  let el = 0;
  while (el < seconds * 1000) {
    ops += batch();
    el = performance.now() - t0;
  }
  return { ops, seconds: el / 1000, opsPerSec: ops / (el / 1000) };
}

/** The first `n` CQEs' res values after `runNops` (the ring's CQ is 512 entries). */
function lastRes(e, ring, n) {
  const dv = new DataView(e.memory.buffer);
  const cqes = ring.rings + dv.getUint32(e.rs_user_mem_base() + 100, true);
  const tail = dv.getUint32(ring.rings + ring.cqTail, true);
  const out = [];
  for (let i = 0; i < n; i++) out.push(dv.getInt32(cqes + (((tail - 1 - i) >>> 0) & 511) * 16 + 8, true));
  return out;
}

/**
 * A uring_cmd that completes inline: the RFC v3 sample's URING_CMD_GET_VALUE (its
 * ->uring_cmd copies a 4-byte value to user memory and returns 0 from the issue call, no
 * -EIOCBQUEUED), 64 per io_uring_enter(64, 64, GETEVENTS), like the kernel's SIOCINQ on a socket.
 * ops/s over ~`seconds`, and the CQE res seen.
 */
export function measureInlineCmd(e, seconds) {
  const ring = setupRing(e);
  const base = e.rs_user_mem_base() + 4096;
  const n1 = putStr(e, base, 'inline-dev');
  const n2 = putStr(e, base + 64, 'rust_misc_device_v3');
  if (e.rs_dev_register(base, n1, base + 64, n2) < 0) throw new Error('rs_dev_register failed');
  const fd = e.rs_dev_open(base, n1);
  if (fd < 0) throw new Error(`rs_dev_open: ${fd}`);
  const tmpl = new Uint8Array(64);
  const tv = new DataView(tmpl.buffer);
  tmpl[0] = 46;
  tv.setInt32(4, fd, true);
  tv.setUint32(8, 0x40047c84, true); // cmd_op: RUST_MISC_DEV_URING_CMD_GET_VALUE
  tv.setBigUint64(48, BigInt(base + 256), true); // cmd: the user pointer the value goes to
  const batch = () => runNops(e, ring, 16, tmpl);
  batch();
  const res = lastRes(e, ring, 1)[0];
  let ops = 0;
  const t0 = performance.now();
  let el = 0;
  while (el < seconds * 1000) {
    ops += batch();
    el = performance.now() - t0;
  }
  return { ops, seconds: el / 1000, opsPerSec: ops / (el / 1000), res };
}

/** Kernel steps (rs_step calls that did work) one v5-sample command takes, submitted alone. */
export function v5StepsPerCommand(e) {
  e.rs_init(0);
  const base = e.rs_user_mem_base() + 4096;
  const p = e.rs_user_mem_base();
  new Uint8Array(e.memory.buffer).fill(0, p, p + 120);
  const rfd = e.io_uring_setup(4, p);
  const dv = new DataView(e.memory.buffer);
  const ring = {
    sqTail: dv.getUint32(p + 44, true),
    array: dv.getUint32(p + 64, true),
    rings: e.rs_mmap(rfd, 0) >>> 0,
    sqes: e.rs_mmap(rfd, 0x10000000) >>> 0,
  };
  const n1 = putStr(e, base, 'rust-misc-device');
  const n2 = putStr(e, base + 64, 'rust_misc_device');
  e.rs_dev_register(base, n1, base + 64, n2);
  const fd = e.rs_dev_open(base, n1);
  const u8 = new Uint8Array(e.memory.buffer);
  u8.fill(0, ring.sqes, ring.sqes + 64);
  u8[ring.sqes] = 46;
  new DataView(e.memory.buffer).setInt32(ring.sqes + 4, fd, true);
  new DataView(e.memory.buffer).setUint32(ring.rings + ring.array, 0, true);
  new DataView(e.memory.buffer).setUint32(ring.rings + ring.sqTail, 1, true);
  e.rs_enter_begin(rfd, 1, 1, 1, 0, 0);
  let steps = 0;
  while (e.rs_step() !== 0 && steps < 1000) steps++;
  return steps;
}
