/**
 * The sandbox's forms as data: what the viewer typed, turned into scenario operations (the
 * sandbox writes a scenario document, so everything it does can be saved, shared and replayed).
 * Pure functions, tested on their own.
 */
import type { BytesSpec, Op, SqeSpec } from '../../store';

/** How the command area or user memory is typed in a form. */
export type BytesMode = 'none' | 'u64' | 'i32' | 'hex';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses bytes typed in a form: `u64` words (`&buf` for a buffer's address, decimal or 0x hex),
 * `i32` words, or hex bytes (spaces allowed). An empty `none` is no bytes.
 */
export function parseBytes(mode: BytesMode, text: string): Parsed<BytesSpec | undefined> {
  const t = text.trim();
  if (mode === 'none') return { ok: true, value: undefined };
  if (mode === 'hex') {
    const h = t.replace(/\s+/g, '').toLowerCase().replace(/^0x/, '');
    if (!/^([0-9a-f]{2})*$/.test(h)) return { ok: false, error: 'hex bytes: pairs of 0-9a-f, e.g. "2a 00 00 00"' };
    return { ok: true, value: { hex: h } };
  }
  const words = t === '' ? [] : t.split(/[\s,]+/).filter(Boolean);
  if (mode === 'u64') {
    const out: (number | string)[] = [];
    for (const w of words) {
      if (/^&[a-z_][a-z0-9_]*$/.test(w)) out.push(w);
      else if (/^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(w)) {
        const v = BigInt(w);
        if (v >= 1n << 64n) return { ok: false, error: `${w} does not fit in 64 bits` };
        out.push(v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
      } else return { ok: false, error: `u64 words: numbers or &buffer, found "${w.slice(0, 20)}"` };
    }
    return { ok: true, value: { u64: out } };
  }
  const out: number[] = [];
  for (const w of words) {
    const v = /^-?(0x[0-9a-fA-F]{1,8}|\d{1,10})$/.test(w)
      ? Number(w.startsWith('-') ? -Number(w.slice(1)) : Number(w))
      : NaN;
    if (!Number.isInteger(v) || v < -2147483648 || v > 4294967295)
      return { ok: false, error: `i32 words: 32-bit integers, found "${w.slice(0, 20)}"` };
    out.push(v > 2147483647 ? v - 4294967296 : v);
  }
  return { ok: true, value: { i32: out } };
}

/** Parses a number typed in a form: decimal or 0x hex, within [lo, hi]. */
export function parseInt32(text: string, lo: number, hi: number): number | null {
  const t = text.trim();
  if (!/^-?(0x[0-9a-fA-F]+|\d+)$/.test(t)) return null;
  const v = t.startsWith('-') ? -Number(t.slice(1)) : Number(t);
  return Number.isSafeInteger(v) && v >= lo && v <= hi ? v : null;
}

/** The SQE form. */
export interface SqeForm {
  opcode: string;
  /** A variable name, or a number as text. */
  fd: string;
  /** A driver constant's name, or a number as text ('' for none). */
  cmdOp: string;
  userData: string;
  flags: string[];
  cmdMode: BytesMode;
  cmd: string;
  /** `off` as text: a u64, or -1 for the file position ('' for none). */
  off?: string;
  /** `addr` as text: a u64 or `&buffer` ('' for none). */
  addr?: string;
  /** `len` as text ('' for none). */
  len?: string;
  /** The per-opcode flags word as text (`rw_flags`, `timeout_flags`, ...; '' for none). */
  opFlags?: string;
  /** `ioprio` as text (SEND/RECV/ACCEPT flags such as IORING_RECV_MULTISHOT; '' for none). */
  ioprio?: string;
  /** `buf_index` as text: a registered buffer (READ_FIXED/WRITE_FIXED) or a provided-buffer group
   * ('' for none). */
  bufIndex?: string;
}

/** Builds the `prep` operation of an SQE form. */
export function sqeOp(f: SqeForm, cmdOps: Record<string, number>): Parsed<Op> {
  const sqe: SqeSpec = { opcode: f.opcode };
  if (/^\d+$/.test(f.opcode)) {
    const n = Number(f.opcode);
    if (n > 255) return { ok: false, error: 'opcode: a number from 0 to 255' };
    sqe.opcode = n;
  }
  if (f.fd !== '') {
    const n = parseInt32(f.fd, -2147483648, 2147483647);
    sqe.fd = n ?? f.fd;
  }
  if (f.flags.length) sqe.flags = [...f.flags];
  if (f.userData.trim() !== '') {
    const u = f.userData.trim();
    if (!/^\d{1,20}$/.test(u) || BigInt(u) >= 1n << 64n) return { ok: false, error: 'user_data: a u64 in decimal' };
    sqe.user_data = BigInt(u) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(u) : u;
  }
  if (f.cmdOp.trim() !== '') {
    const c = f.cmdOp.trim();
    if (Object.prototype.hasOwnProperty.call(cmdOps, c)) sqe.cmd_op = c;
    else {
      const n = parseInt32(c, 0, 0xffffffff);
      if (n === null) return { ok: false, error: `cmd_op: a driver constant or a u32, found "${c.slice(0, 30)}"` };
      sqe.cmd_op = n;
    }
  }
  const off = (f.off ?? '').trim();
  if (off !== '') {
    if (off === '-1') sqe.off = -1;
    else if (/^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(off) && BigInt(off) < 1n << 64n) {
      const v = BigInt(off);
      sqe.off = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    } else return { ok: false, error: 'off: a u64, or -1 for the file position' };
  }
  const addr = (f.addr ?? '').trim();
  if (addr !== '') {
    if (/^&[a-z_][a-z0-9_]*$/.test(addr)) sqe.addr = addr;
    else if (/^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(addr) && BigInt(addr) < 1n << 64n) {
      const v = BigInt(addr);
      sqe.addr = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    } else return { ok: false, error: 'addr: &buffer or a u64' };
  }
  const len = (f.len ?? '').trim();
  if (len !== '') {
    const n = parseInt32(len, 0, 0xffffffff);
    if (n === null) return { ok: false, error: 'len: a u32' };
    sqe.len = n;
  }
  const ioprio = (f.ioprio ?? '').trim();
  if (ioprio !== '') {
    const n = parseInt32(ioprio, 0, 0xffff);
    if (n === null) return { ok: false, error: 'ioprio: a u16' };
    sqe.ioprio = n;
  }
  const bufIndex = (f.bufIndex ?? '').trim();
  if (bufIndex !== '') {
    const n = parseInt32(bufIndex, 0, 0xffff);
    if (n === null) return { ok: false, error: 'buf_index: a u16 (a registered buffer or a buffer group)' };
    sqe.buf_index = n;
  }
  const opFlags = (f.opFlags ?? '').trim();
  if (opFlags !== '') {
    const n = parseInt32(opFlags, 0, 0xffffffff);
    if (n === null) return { ok: false, error: 'op_flags: a u32' };
    sqe.op_flags = n;
  }
  const cmd = parseBytes(f.cmdMode, f.cmd);
  if (!cmd.ok) return { ok: false, error: `cmd: ${cmd.error}` };
  if (cmd.value) sqe.cmd = cmd.value;
  return { ok: true, value: { op: 'prep', sqe } };
}

/** One line for a program operation (the sandbox's program list). */
export function describeOp(op: Op): string {
  switch (op.op) {
    case 'open':
      return `${op.as} = open("/dev/${op.device}")`;
    case 'pipe':
      return `${op.read_as}, ${op.write_as} = pipe()`;
    case 'socketpair':
      return `${op.a_as}, ${op.b_as} = socketpair(AF_UNIX, SOCK_STREAM)`;
    case 'buf_ring':
      return `${op.as} = buffer ring(${op.entries} entries, group ${op.bgid})`;
    case 'buf_ring_add':
      return `buffer ${op.bid} → ${op.ring} (${op.buf}+${op.offset ?? 0}, ${op.len})`;
    case 'write':
      return `write(${op.fd}, ${op.buf}${op.len !== undefined ? `, ${op.len}` : ''})`;
    case 'alloc':
      return `${op.as} = alloc(${op.size})`;
    case 'write_user':
      return `write ${op.target}+${op.offset ?? 0}`;
    case 'register_buffers':
      return `register buffers [${op.bufs.join(', ')}]`;
    case 'unregister_buffers':
      return 'unregister buffers';
    case 'prep': {
      const s = op.sqe;
      const parts = [String(s.opcode)];
      if (s.fd !== undefined) parts.push(`fd ${s.fd}`);
      if (s.cmd_op !== undefined)
        parts.push(`cmd_op ${typeof s.cmd_op === 'number' ? `0x${s.cmd_op.toString(16)}` : s.cmd_op}`);
      if (s.addr !== undefined) parts.push(`addr ${s.addr}`);
      if (s.len !== undefined) parts.push(`len ${s.len}`);
      if (s.off !== undefined) parts.push(`off ${s.off}`);
      if (s.buf_index !== undefined) parts.push(`buf_index ${s.buf_index}`);
      if (s.flags?.length) parts.push(s.flags.join('|'));
      return `prep ${parts.join(', ')} #${s.user_data ?? 0}`;
    }
    case 'submit':
      return op.wait ? `submit, wait ${op.wait}` : 'submit';
    case 'wait':
      return `wait ${op.min}${op.timeout_ms !== undefined ? ` (${op.timeout_ms} ms)` : ''}`;
    case 'reap':
      return 'reap';
    case 'sleep':
      return `sleep ${op.ms} ms`;
    case 'spin':
      return `compute ${op.ms} ms`;
    case 'device':
      return `poke ${op.fd}: ${op.action}${op.arg !== undefined ? ` ${op.arg}` : ''}`;
    case 'close':
      return `close(${op.fd})`;
    case 'exit':
      return 'exit (tear down the ring)';
  }
}
