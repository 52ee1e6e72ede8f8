#!/usr/bin/env node
// Differential fuzzer: random io_uring programs run on this machine's kernel (exec.c, raw
// syscalls) and replayed in the simulator (`ringside replay`); every difference is reported.
//
//   node conformance/fuzz/fuzz.mjs [--seed N] [--count M] [--keep DIR] [--quiet]
//
// A program is a random ring (size, CQE32/CQE_MIXED/SQE128/NO_SQARRAY/SUBMIT_ALL/COOP_TASKRUN/IOPOLL,
// small CQs that overflow) and rounds of: publish random NOPs and invalid SQEs (links, hard
// links, CQE_SKIP_SUCCESS, invalid flags and opcodes, every nop flag, big CQEs), corrupt SQ
// index entries, enter with random to_submit/min_complete/flags (waits always carry a short
// EXT_ARG timeout), reap some CQEs. The next round is chosen from the kernel's answers (never
// more SQEs than fit), so the recorded program is one the kernel really ran. Programs also
// READ and WRITE a pipe (a READ on the empty pipe waits through async poll until a write(2)
// step or a WRITE wakes it; at most one READ is in flight, so a wake-up never has two
// readers racing for the same bytes), queue TIMEOUTs that end by completion count (their
// 10 s timers never fire during a program), guard READs with LINK_TIMEOUTs, and
// ASYNC_CANCEL / TIMEOUT_REMOVE pending user_data values, the cancels also by file, opcode or
// any request, one or all (IORING_ASYNC_CANCEL_* flags). They also SEND on an AF_UNIX
// stream pair and RECV on its other end (a RECV on the empty socket waits through async poll
// until a SEND or a write(2) to the peer wakes it; MSG_DONTWAIT, MSG_WAITALL, MSG_PEEK; at most
// one RECV waits), and POLL_ADD the sockets. Requests that
// complete asynchronously to the task (IOSQE_ASYNC, IOSQE_IO_DRAIN, and link chains left open
// at the end of a submission batch, which go to io-wq) are left out: their timing
// is not part of what the comparison can hold the simulator to.
//
// Exit status: 0 when every program matched, 1 on a difference, 3 when io_uring is unavailable.
//
// Careful when extending the generator: a program can livelock the kernel (see the CQE_MIXED
// note below), and such a process cannot be killed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { compareTraces, formatMismatch, reduceToInputs } from '../compare.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BUILD = join(HERE, '..', '.build');
const EXEC = join(BUILD, 'fuzz-exec');
const STEP_TIMEOUT_MS = 10_000;

const IOSQE_FIXED_FILE = 1;
const IOSQE_IO_DRAIN = 2;
const IOSQE_IO_LINK = 4;
const IOSQE_IO_HARDLINK = 8;
const IOSQE_BUFFER_SELECT = 32;
const IOSQE_CQE_SKIP_SUCCESS = 64;
const SETUP = {
  CQSIZE: 8,
  SUBMIT_ALL: 128,
  COOP_TASKRUN: 256,
  SQE128: 1024,
  CQE32: 2048,
  NO_SQARRAY: 1 << 16,
  CQE_MIXED: 1 << 18,
  IOPOLL: 1,
};
const GETEVENTS = 1;
const EXT_ARG = 8;

/** xorshift64*, seeded. */
function rng(seed) {
  let x = (BigInt(seed) * 0x9e3779b97f4a7c15n) | 1n;
  const M = (1n << 64n) - 1n;
  const next = () => {
    x ^= x >> 12n;
    x ^= (x << 25n) & M;
    x ^= x >> 27n;
    return (x * 0x2545f4914f6cdd1dn) & M;
  };
  const below = (n) => Number(next() % BigInt(Math.max(1, n)));
  return { next, below, chance: (p) => below(100) < p, pick: (xs) => xs[below(xs.length)] };
}

function build() {
  mkdirSync(BUILD, { recursive: true });
  const r = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', EXEC, join(HERE, 'exec.c')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc failed:\n${r.stderr}`);
}

/** Runs one kernel process; `send(line)` resolves with the JSON the step printed. */
function kernel() {
  const p = spawn(EXEC, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: p.stdout });
  const waiting = [];
  let exit = null;
  const exited = new Promise((res) =>
    p.on('exit', (code) => {
      exit = code;
      for (const w of waiting.splice(0)) w.reject(new Error(`exec exited with ${code}`));
      res(code);
    }),
  );
  lines.on('line', (l) => waiting.shift()?.resolve(JSON.parse(l)));
  return {
    send(line, reply = true) {
      p.stdin.write(`${line}\n`);
      if (!reply) return Promise.resolve(null);
      if (exit !== null) return Promise.reject(new Error(`exec exited with ${exit}`));
      return new Promise((resolve, reject) => {
        // No step takes long; a silent kernel is spinning (see the CQE_MIXED note below).
        const timer = setTimeout(() => {
          p.kill('SIGKILL');
          reject(
            Object.assign(
              new Error(
                `the kernel did not answer \`${line}\` within ${STEP_TIMEOUT_MS} ms (pid ${p.pid}; a livelocked task cannot be killed)`,
              ),
              { hung: true },
            ),
          );
        }, STEP_TIMEOUT_MS);
        waiting.push({
          resolve: (v) => (clearTimeout(timer), resolve(v)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
      });
    },
    async end() {
      p.stdin.end();
      return exited;
    },
  };
}

const u64 = (v) => (v < 2n ** 53n ? Number(v) : v.toString());

async function program(seed) {
  const r = rng(seed);
  const k = kernel();
  const steps = [];
  const add = (input, result) => steps.push({ step: steps.length, ...input, ...result });
  const ignore = [];
  const entries = r.pick([1, 2, 2, 4, 4, 8]);
  let flags = 0;
  if (r.chance(20)) flags |= SETUP.CQE32;
  else if (r.chance(25)) flags |= SETUP.CQE_MIXED;
  if (r.chance(15)) flags |= SETUP.SQE128;
  if (r.chance(20)) flags |= SETUP.SUBMIT_ALL;
  if (r.chance(15)) flags |= SETUP.NO_SQARRAY;
  if (r.chance(15)) flags |= SETUP.COOP_TASKRUN;
  // IOPOLL: NOPs complete inline there too; GETEVENTS polls (io_iopoll_check) instead of
  // sleeping, and an empty iopoll list ends the wait at once. Not with CQE_MIXED (its
  // unflushable overflow is the livelock noted below).
  if (!(flags & SETUP.CQE_MIXED) && r.chance(12)) flags |= SETUP.IOPOLL;
  let cq = 0;
  if (r.chance(50)) {
    flags |= SETUP.CQSIZE;
    cq = Math.max(entries, flags & SETUP.CQE_MIXED ? 2 : 1) * r.pick([1, 1, 2]);
  }
  const pipeFds = await k.send('pipe');
  // An AF_UNIX stream pair: SEND on unix_a, RECV and POLL_ADD on both ends, write(2) to unix_a.
  const sockFds = await k.send('socketpair');
  const files = [
    { id: 'pipe_r', fd_kind: 'pipe_read_end', fd: pipeFds.r, peer: 'pipe_w' },
    { id: 'pipe_w', fd_kind: 'pipe_write_end', fd: pipeFds.w, peer: 'pipe_r' },
    { id: 'unix_a', fd_kind: 'unix_stream', fd: sockFds.a, peer: 'unix_b' },
    { id: 'unix_b', fd_kind: 'unix_stream', fd: sockFds.b, peer: 'unix_a' },
  ];
  const fileRef = (id) => {
    const f = files.find((x) => x.id === id);
    return { fd: f.fd, fd_ref: 'file', file: id, fd_kind: f.fd_kind };
  };
  const setupIn = { kind: 'setup', entries, flags, ...(flags & SETUP.CQSIZE ? { cq_entries_requested: cq } : {}) };
  const s = await k.send(`setup ${entries} ${flags} ${cq}`);
  add(setupIn, s);
  if (s.ret < 0) {
    await k.end();
    return { steps, ignore, files };
  }
  const sqEntries = s.sq_entries;
  const big = (flags & (SETUP.CQE32 | SETUP.CQE_MIXED)) !== 0;
  let head = 0;
  let tail = 0;
  let ud = 1n;
  // IOSQE_IO_DRAIN is only generated once the kernel has disabled drain on this ring
  // (io_init_req sets ctx->drain_disabled for a CQE_SKIP_SUCCESS SQE that got past the opcode
  // and flag checks): a drain then fails at once with -EOPNOTSUPP. A real drain sends the
  // request to io-wq when it is released (REQ_F_FORCE_ASYNC), whose timing is a race.
  let drainDisabled = false;
  const skipCandidate = new Set();
  const dropped = new Set();
  const byIndex = new Map();
  const rounds = 4 + r.below(12);
  // The user_data of the one READ that may be in flight (null: none), and user_data values
  // worth cancelling.
  let readPending = null;
  let recvPending = null;
  const targets = [];
  // READ/WRITE become READV/WRITEV (two iovecs into the data buffer, one of them maybe empty)
  // or READ_FIXED/WRITE_FIXED (at an offset into the data buffer, which a `regbuf` step
  // registers as buffer 0; index 1 and ranges past its end are -EFAULT).
  const vecOrFixed = (q, vec, fixed) => {
    const c = r.below(3);
    if (c === 1) {
      const l1 = r.below(40);
      const l2 = r.chance(20) ? 0 : 1 + r.below(40);
      Object.assign(q, {
        opcode: vec,
        len: 2,
        addr_ptr: {
          type: 'iovec',
          iov: [
            { buf: 'data', size: 4096, offset: 0, len: l1 },
            { buf: 'data', size: 4096, offset: 2048, len: l2 },
          ],
        },
        kind: 3,
      });
    } else if (c === 2) {
      const offset = r.chance(10) ? 4096 - 8 : r.below(256);
      Object.assign(q, {
        opcode: fixed,
        addr_ptr: { type: 'buffer', buf: 'data', size: 4096, offset },
        buf_index: r.chance(10) ? 1 : 0,
        kind: 4,
      });
    }
  };
  for (let round = 0; round < rounds; round++) {
    const room = sqEntries - (tail - head);
    const n = r.below(room + 1);
    const sqes = [];
    for (let i = 0; i < n; i++) {
      const q = {
        opcode: 0,
        flags: 0,
        fd: -1,
        fd_ref: 'literal',
        fd_kind: 'none',
        off: 0,
        addr: 0,
        len: 0,
        op_flags: 0,
        user_data: 0,
      };
      q.opcode = r.chance(5) ? r.pick([255, 70, 200]) : r.chance(5) ? 46 : 0;
      if (r.chance(25)) q.flags |= IOSQE_IO_LINK;
      else if (r.chance(10)) q.flags |= IOSQE_IO_HARDLINK;
      if (r.chance(15)) q.flags |= IOSQE_CQE_SKIP_SUCCESS;
      if (r.chance(3)) q.flags |= IOSQE_FIXED_FILE;
      if (r.chance(2)) q.flags |= IOSQE_BUFFER_SELECT;
      if (r.chance(2)) q.flags |= 128;
      // Drain only where it fails at once (after a CQE_SKIP_SUCCESS SQE was consumed).
      if (drainDisabled && r.chance(10)) q.flags |= IOSQE_IO_DRAIN;
      if (q.opcode === 0 && r.chance(50)) {
        q.op_flags = r.pick([1, 1, 1, 2, 3, 8, 16, 17, 32, 33, 64, 2 ** 31]);
        if (q.op_flags & 1) q.len = r.pick([0, 5, 2 ** 32 - 5, 2 ** 31, 7]);
        if (q.op_flags & 2) q.fd = r.pick([-1, 9999]);
        if (q.op_flags & 32) {
          q.off = Number(r.next() % 1000n);
          q.addr = r.pick([0, 1, 123456]);
        }
      }
      if (q.opcode === 46) q.fd = r.pick([-1, 9999]);
      q.user_data = u64(r.chance(10) ? r.next() : ud);
      ud += 1n;
      let kind = 0;
      let lt = null;
      if (r.chance(30)) {
        // READ, WRITE, TIMEOUT, ASYNC_CANCEL or TIMEOUT_REMOVE; never IOSQE_BUFFER_SELECT (no
        // provided buffers are modelled).
        q.flags &= ~IOSQE_BUFFER_SELECT;
        Object.assign(q, {
          fd: -1,
          off: 0,
          addr: 0,
          len: 0,
          op_flags: r.chance(10) ? r.pick([1, 8, 0x10, 0x21, 0x40, 2 ** 31]) : 0,
        });
        const what = r.pick([
          'read',
          'read',
          'write',
          'write',
          'timeout',
          'cancel',
          'remove',
          'poll',
          'poll',
          'premove',
          'send',
          'send',
          'recv',
          'recv',
          'spoll',
        ]);
        if (what === 'read' && readPending === null) {
          Object.assign(q, {
            opcode: 22,
            ...fileRef('pipe_r'),
            len: 1 + r.below(64),
            addr: '<ptr>',
            addr_ptr: { type: 'buffer', buf: 'data', size: 4096 },
          });
          kind = 1;
          vecOrFixed(q, 1, 4);
          readPending = q.user_data;
          targets.push(q.user_data);
          // Guard it with a LINK_TIMEOUT that cannot fire during the program.
          if (i + 1 < n && r.chance(30)) {
            q.flags = (q.flags & ~IOSQE_IO_HARDLINK) | IOSQE_IO_LINK;
            lt = {
              opcode: 15,
              flags: 0,
              fd: -1,
              fd_ref: 'literal',
              fd_kind: 'none',
              off: 0,
              addr: '<ptr>',
              addr_ptr: { type: 'timespec', tv_sec: 10, tv_nsec: 0 },
              len: 1,
              op_flags: 0,
              user_data: u64(ud),
            };
            ud += 1n;
          }
        } else if (what === 'write') {
          Object.assign(q, {
            opcode: 23,
            ...fileRef('pipe_w'),
            len: 1 + r.below(64),
            addr: '<ptr>',
            addr_ptr: { type: 'buffer', buf: 'data', size: 4096 },
          });
          kind = 1;
          vecOrFixed(q, 2, 5);
        } else if (what === 'timeout') {
          // No IORING_TIMEOUT_ABS: 10 s after boot is long past, and when the hrtimer then
          // fires relative to the task's own work is a race.
          Object.assign(q, {
            opcode: 11,
            len: 1,
            off: r.pick([0, 1, 1, 2, 3]),
            addr: '<ptr>',
            addr_ptr: { type: 'timespec', tv_sec: 10, tv_nsec: 0 },
            op_flags: r.chance(10) ? r.pick([0x80, 2 ** 31]) : 0,
          });
          kind = 2;
          targets.push(q.user_data);
        } else if (what === 'poll') {
          // POLL_ADD: POLLIN on the read end (sometimes also POLLRDNORM, or no events at all),
          // POLLOUT on the write end; one-shot or multishot; now and then the LEVEL flag
          // POLL_ADD refuses.
          const onWrite = r.chance(20);
          Object.assign(q, {
            opcode: 6,
            ...fileRef(onWrite ? 'pipe_w' : 'pipe_r'),
            op_flags: onWrite ? 4 : r.pick([1, 1, 0x41, 0]),
            len: r.chance(40) ? 1 : r.chance(5) ? 8 : 0,
          });
          targets.push(q.user_data);
        } else if (what === 'send') {
          // SEND on unix_a (sometimes MSG_DONTWAIT or MSG_WAITALL): never waits, the peer's
          // queue is far from full.
          Object.assign(q, {
            opcode: 26,
            ...fileRef('unix_a'),
            len: r.below(65),
            addr: '<ptr>',
            addr_ptr: { type: 'buffer', buf: 'data', size: 4096 },
            op_flags: r.pick([0, 0, 0, 0x40, 0x100]),
          });
          kind = 1;
        } else if (what === 'recv' && recvPending === null) {
          // RECV on unix_b: waits through async poll on the socket until a SEND or a write(2)
          // wakes it (MSG_WAITALL: until it has them all; MSG_PEEK leaves the bytes; with
          // MSG_DONTWAIT an empty socket is -EAGAIN). At most one waits at a time.
          Object.assign(q, {
            opcode: 27,
            ...fileRef('unix_b'),
            len: 1 + r.below(64),
            addr: '<ptr>',
            addr_ptr: { type: 'buffer', buf: 'data', size: 4096 },
            op_flags: r.pick([0, 0, 0, 0x40, 0x100, 0x2]),
          });
          kind = 1;
          recvPending = q.user_data;
          targets.push(q.user_data);
        } else if (what === 'spoll') {
          // POLL_ADD on the socket pair: POLLIN on unix_b (one-shot or multishot), POLLOUT on
          // unix_a (ready at once).
          const out = r.chance(25);
          Object.assign(q, {
            opcode: 6,
            ...fileRef(out ? 'unix_a' : 'unix_b'),
            op_flags: out ? 4 : 1,
            len: r.chance(40) ? 1 : 0,
          });
          targets.push(q.user_data);
        } else if (what === 'premove') {
          Object.assign(q, {
            opcode: 7,
            addr: targets.length && r.chance(80) ? r.pick(targets) : 424242,
            len: r.chance(5) ? 1 : 0,
          });
          q.flags &= ~IOSQE_FIXED_FILE;
        } else if (what === 'cancel' || what === 'remove') {
          Object.assign(q, {
            opcode: what === 'cancel' ? 14 : 12,
            addr: targets.length && r.chance(80) ? r.pick(targets) : 424242,
            op_flags: r.chance(10) ? 2 ** 31 : 0,
          });
          if (what === 'remove') q.flags &= ~IOSQE_FIXED_FILE;
          if (what === 'cancel' && r.chance(60)) {
            // IORING_ASYNC_CANCEL_* flags: ALL 1, FD 2, ANY 4, FD_FIXED 8, USERDATA 16, OP 32
            // (FD names a pipe end or nothing; OP takes the opcode in len); ANY with FD or OP
            // is refused at prep.
            q.op_flags = r.pick([1, 4, 5, 2, 3, 18, 19, 10, 11, 32, 33, 48, 49, 6, 36, 16, 17]);
            if (q.op_flags & 2) Object.assign(q, r.chance(85) ? fileRef(r.chance(70) ? 'pipe_r' : 'pipe_w') : {});
            if (q.op_flags & 2 && q.fd_ref === 'literal') q.fd = r.pick([9999, -1, 0]);
            if (q.op_flags & 32) q.len = r.pick([22, 6, 11, 23, 0]);
          }
        }
      }
      const validOp = [0, 1, 2, 4, 5, 46, 6, 7, 11, 12, 14, 15, 22, 23, 26, 27].includes(q.opcode);
      if (q.kind !== undefined) {
        kind = q.kind;
        delete q.kind;
      }
      if (q.flags & IOSQE_CQE_SKIP_SUCCESS && validOp && !(q.flags & (128 | IOSQE_BUFFER_SELECT)))
        skipCandidate.add(tail + i);
      byIndex.set(tail + i, q);
      sqes.push(q);
      const addr =
        kind === 2
          ? BigInt(q.addr_ptr.tv_sec) * 1_000_000_000n
          : kind === 1
            ? 0
            : kind === 3
              ? q.addr_ptr.iov[0].len | (q.addr_ptr.iov[1].len << 16)
              : kind === 4
                ? q.addr_ptr.offset
                : q.addr;
      await k.send(
        `sqe ${q.opcode} ${q.flags} ${q.fd} ${q.off} ${addr} ${q.len} ${q.op_flags} ${BigInt(q.user_data)} ${kind} ${q.buf_index ?? 0}`,
        false,
      );
      if (lt) {
        i++;
        byIndex.set(tail + i, lt);
        sqes.push(lt);
        await k.send(`sqe ${lt.opcode} ${lt.flags} -1 0 10000000000 1 0 ${BigInt(lt.user_data)} 2`, false);
      }
    }
    if (n > 0 || r.chance(20)) {
      tail += n;
      add({ kind: 'publish', sqes }, await k.send('publish'));
    }
    const linkFlags = (i) => (byIndex.get(i)?.flags ?? 0) & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK);
    // A dropped SQ entry ends the submission; never let it cut a link chain (see below).
    const pos = head + r.below(Math.max(1, tail - head));
    if (!(flags & SETUP.NO_SQARRAY) && tail > head && r.chance(8) && (pos === head || !linkFlags(pos - 1))) {
      const index = pos & (sqEntries - 1);
      const value = sqEntries + r.below(3);
      dropped.add(pos);
      add({ kind: 'sq_array_write', index, value }, await k.send(`sqarray ${index} ${value}`));
    }
    const pending = tail - head;
    let toSubmit = r.pick([0, pending, pending, r.below(pending + 2), pending + 2]);
    // A link chain still open when the submission batch ends goes to io-wq, whose worker runs
    // on the other CPU: when its CQE lands relative to the task's own completions is a race
    // on the kernel, so no batch ends inside a chain.
    while (toSubmit > 0 && linkFlags(head + Math.min(toSubmit, pending) - 1)) toSubmit--;
    let ef = r.chance(60) ? GETEVENTS : 0;
    // Never wait for CQEs on a CQE_MIXED ring: a 32-byte CQE stuck at the head of the overflow
    // list with one free slot makes Linux 6.18 spin in io_cqring_wait, unkillably (seen while
    // writing this fuzzer; see conformance/README.md). A wait for 0 CQEs returns before that
    // loop.
    const min = flags & SETUP.CQE_MIXED ? 0 : r.below(3);
    let ms = -1;
    if (ef & GETEVENTS && min > 0) ms = r.below(3);
    else if (r.chance(10)) ms = 0;
    if (ms >= 0) ef |= EXT_ARG;
    const e = await k.send(`enter ${toSubmit} ${min} ${ef} ${ms}`);
    add(
      {
        kind: 'enter',
        to_submit: toSubmit,
        min_complete: min,
        flags: ef,
        ...(ms >= 0 ? { ext_arg_timeout_ms: ms } : {}),
      },
      e,
    );
    const before = head;
    head = e.state.sq_head;
    for (let i = before; i < head; i++) if (skipCandidate.has(i) && !dropped.has(i)) drainDisabled = true;
    // Should a batch still end inside a chain (the kernel stopped early), the chain goes to
    // io-wq and completes asynchronously (the first time only after the task created its io-wq
    // worker); give it time, as the simulator finishes such work between two steps, and read
    // everything back without holding the kernel to one order.
    let async = false;
    if (head > before && (linkFlags(head - 1) || linkFlags(head - 2))) {
      // When io-wq finishes relative to the enter returning is a race on the kernel.
      const at = steps.length - 1;
      ignore.push({ path: `/steps/${at}/ret`, why: 'io-wq may finish before or after the enter returns' });
      ignore.push({ path: `/steps/${at}/state`, why: 'io-wq may finish before or after the enter returns' });
      add({ kind: 'sleep', ms: 25 }, await k.send('sleep 25'));
      async = true;
    }
    if (r.chance(10)) {
      const reg = r.chance(60);
      add(
        reg
          ? {
              kind: 'register',
              opcode: 'IORING_REGISTER_BUFFERS',
              opcode_num: 0,
              nr_args: 1,
              iovecs: [{ buf: 'data', size: 4096, offset: 0, len: 4096 }],
            }
          : { kind: 'register', opcode: 'IORING_UNREGISTER_BUFFERS', opcode_num: 1, nr_args: 0, arg: 0 },
        await k.send(reg ? 'regbuf' : 'unregbuf'),
      );
    }
    if (r.chance(25)) {
      const bytes = 1 + r.below(32);
      add({ kind: 'syscall', call: 'write', ...fileRef('pipe_w'), bytes }, await k.send(`write ${pipeFds.w} ${bytes}`));
    }
    if (r.chance(20)) {
      const bytes = 1 + r.below(48);
      add({ kind: 'syscall', call: 'write', ...fileRef('unix_a'), bytes }, await k.send(`write ${sockFds.a} ${bytes}`));
    }
    if (async || r.chance(80)) {
      const max = async || r.chance(50) ? -1 : r.below(5);
      if (async)
        ignore.push({
          path: `/steps/${steps.length}/cqes`,
          unordered: true,
          why: 'io-wq races the task for the CQ ring',
        });
      const got = await k.send(`reap ${max}`);
      add({ kind: 'reap', ...(max >= 0 ? { max } : {}) }, got);
      if (readPending !== null && got.cqes.some((c) => c.user_data === String(BigInt(readPending)))) readPending = null;
      if (recvPending !== null && got.cqes.some((c) => c.user_data === String(BigInt(recvPending)))) recvPending = null;
    }
    void big;
  }
  add({ kind: 'ring_close' }, await k.send('close'));
  const code = await k.end();
  if (code === 3) throw Object.assign(new Error('io_uring unavailable'), { unavailable: true });
  return { steps, ignore, files };
}

function args(argv) {
  const a = { seed: 1, count: 100, keep: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') a.seed = Number(argv[++i]);
    else if (argv[i] === '--count') a.count = Number(argv[++i]);
    else if (argv[i] === '--keep') a.keep = argv[++i];
    else if (argv[i] === '--quiet') a.quiet = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

async function main() {
  const a = args(process.argv.slice(2));
  build();
  const dir = a.keep ?? mkdtempSync(join(tmpdir(), 'ringside-fuzz-'));
  for (const d of ['ref', 'in', 'got']) mkdirSync(join(dir, d), { recursive: true });
  const names = [];
  try {
    for (let i = 0; i < a.count; i++) {
      const seed = a.seed + i;
      let steps;
      let ignore;
      let files;
      try {
        ({ steps, ignore, files } = await program(seed));
      } catch (e) {
        if (e.unavailable) {
          console.log('io_uring unavailable: not fuzzing');
          return 3;
        }
        if (e.hung) {
          console.log(`fuzz_${seed}: ${e.message}`);
          process.exit(1);
        }
        throw e;
      }
      const name = `fuzz_${seed}`;
      const ref = {
        format: 'kernel-trace',
        format_version: 1,
        name,
        files,
        steps,
        compare_ignore: [{ path: '/steps/*/elapsed_ms_informational', why: 'wall-clock time' }, ...ignore],
      };
      writeFileSync(join(dir, 'ref', `${name}.json`), JSON.stringify(ref));
      writeFileSync(join(dir, 'in', `${name}.json`), JSON.stringify(reduceToInputs(ref)));
      names.push(name);
    }
    const rep = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'ringside.mjs'),
        'replay',
        '--out-dir',
        join(dir, 'got'),
        ...names.map((n) => join(dir, 'in', `${n}.json`)),
      ],
      { encoding: 'utf8' },
    );
    if (rep.status !== 0) console.log(rep.stdout + rep.stderr);
    let bad = 0;
    for (const n of names) {
      const ref = JSON.parse(readFileSync(join(dir, 'ref', `${n}.json`), 'utf8'));
      const got = JSON.parse(readFileSync(join(dir, 'got', `${n}.json`), 'utf8'));
      const m = compareTraces(ref, got);
      if (m.length) {
        bad++;
        console.log(`${n}: ${m.length} mismatches`);
        for (const x of m.slice(0, 8)) console.log(`  ${formatMismatch(x)}`);
      }
    }
    console.log(
      `differential fuzz: ${names.length - bad}/${names.length} random programs match the kernel (seeds ${a.seed}..${a.seed + a.count - 1})`,
    );
    return bad ? 1 : 0;
  } finally {
    if (!a.keep) rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
