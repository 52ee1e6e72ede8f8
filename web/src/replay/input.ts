/**
 * Reading a `kernel-trace` version 1 document: only its input fields (format §10.2), checked
 * and normalised, with precise errors.
 *
 * Every error names the JSON Pointer of the offending value, what was expected there and what
 * was found ({@link TraceInputError}). Keys the format does not define are ignored, as §1 asks
 * of readers; result and informational fields of a complete trace are never read.
 *
 * @see docs/trace-format.md
 */

/** A bad input document: where, what was expected, what was found. */
export class TraceInputError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${path || '/'}: expected ${expected}, found ${found}`);
    this.name = 'TraceInputError';
  }
}

/** The file kinds of format §3. */
export const FD_KINDS = [
  'regular_file',
  'directory',
  'dev_null',
  'dev_zero',
  'pipe_read_end',
  'pipe_write_end',
  'eventfd',
  'epoll',
  'memfd',
  'dev_fuse',
  'tun',
  'tcp_listener',
  'tcp_client',
  'tcp_server',
  'tcp_unconnected',
  'udp_rx',
  'udp_tx',
  'unix_stream',
  'unix_dgram',
  'unix_seqpacket',
] as const;
export type FdKind = (typeof FD_KINDS)[number];

/** One entry of `files`. */
export interface FileIn {
  id: string;
  fdKind: FdKind;
  access?: 'rdonly' | 'wronly' | 'rdwr';
  path?: string;
  peer?: string;
  listener?: string;
  backlog?: number;
  soRcvbuf?: number;
  soSndbuf?: number;
  nonblock?: boolean;
}

/** A file descriptor reference (format §4). */
export type FdRef = { ref: 'file'; file: string } | { ref: 'ring' } | { ref: 'literal'; fd: number };

/** One element of an `iovec` descriptor: a named buffer at an offset, or a literal base (format §6.2). */
export interface IovIn {
  buf?: string;
  size: number;
  offset: number;
  base: bigint;
  len: bigint;
  /** An int32 stored at the element's address before the SQE is written. */
  value?: number;
}

/** A pointer descriptor (format §6.2). */
export type PtrDesc =
  | { type: 'buffer'; buf: string; size: number; offset: number }
  | { type: 'iovec'; iov: IovIn[] }
  | { type: 'timespec'; sec: bigint; nsec: bigint }
  | { type: 'int32'; buf: string; value?: number };

/** A u64 SQE field: a value or a pointer to user memory the replayer allocates. */
export type U64OrPtr = bigint | PtrDesc;

/** An SQE's input fields (format §6.1). Absent fields are zero, like the zero-filled SQE. */
export interface SqeIn {
  opcode: number;
  flags: number;
  ioprio: number;
  fd: FdRef;
  /** `off`, or `cmd_op | __pad1 << 32` when the SQE gives `cmd_op`. */
  off: bigint;
  cmdOp?: number;
  pad1?: number;
  addr: U64OrPtr;
  len: number;
  opFlags: number;
  userData: bigint;
  bufIndex: number;
  personality: number;
  spliceFdIn: number;
  addr3: U64OrPtr;
  pad2: bigint;
  /** Bytes 64..127 of an SQE128 slot. */
  upper?: Uint8Array;
}

/** `io_uring_getevents_arg` as `enter_raw` passes it (`ts` is always NULL). */
export interface GeteventsArgIn {
  sigmask: bigint;
  sigmaskSz: number;
  minWaitUsec: number;
}

/** The syscalls of format §5.13. */
export const SYSCALLS = [
  'write',
  'read',
  'send',
  'recv',
  'ioctl',
  'getsockopt',
  'write_until_eagain',
  'close',
  'connect',
] as const;
export type SyscallName = (typeof SYSCALLS)[number];

/** `struct io_uring_buf_reg` of a `register` step for a buffer ring (format §5.3). */
export interface BufRegIn {
  /** The named page-aligned ring memory (absent: `ring_addr` 0). */
  ring?: string;
  ringOffset: number;
  ringEntries: number;
  bgid: number;
  flags: number;
}

/** One buffer a `buf_ring_add` step puts in a ring: `len` bytes at `offset` in a named buffer. */
export interface RingBufIn {
  buf: string;
  size: number;
  offset: number;
  len: number;
  bid: number;
}

/** One input step, by kind. */
export type StepIn =
  | {
      step: number;
      kind: 'setup' | 'setup_probe';
      entries: number;
      flags: number;
      cqEntries?: number;
      sqThreadIdle?: number;
      sqThreadCpu?: number;
      wqFd?: FdRef;
    }
  | {
      step: number;
      kind: 'register';
      opcode: string;
      opcodeNum: number;
      nrArgs: number;
      files?: string[];
      iovecs?: IovIn[];
      arg?: bigint;
      bufReg?: BufRegIn;
    }
  | { step: number; kind: 'buf_ring_add'; ring: string; ringEntries: number; bufs: RingBufIn[] }
  | { step: number; kind: 'publish'; sqes: SqeIn[] }
  | { step: number; kind: 'sq_array_write'; index: number; value: number }
  | { step: number; kind: 'sq_tail_store'; value: number }
  | { step: number; kind: 'enter'; toSubmit: number; minComplete: number; flags: number; extArgTimeoutMs?: number }
  | {
      step: number;
      kind: 'enter_raw';
      fd: FdRef;
      toSubmit: number;
      minComplete: number;
      flags: number;
      arg: GeteventsArgIn | null;
      argsz: number;
    }
  | { step: number; kind: 'reap'; max?: number }
  | { step: number; kind: 'get_sqe'; opcode: number; userData: bigint }
  | { step: number; kind: 'state' | 'ring_close' | 'fdinfo' }
  | { step: number; kind: 'note'; text?: string }
  | {
      step: number;
      kind: 'syscall';
      call: SyscallName;
      file: string;
      bytes: number;
      flags: number;
      requestNum: number;
      level: number;
      optname: number;
      optlen: number;
      chunk: number;
      /** `connect`: the listener's file id. */
      to?: string;
    }
  | { step: number; kind: 'settle'; file: string; requestNum: number; want: number; timeoutMs: number }
  | { step: number; kind: 'sleep'; ms: number }
  | { step: number; kind: 'peek'; buf: string; type: 'int32'; offset: number };

/** A checked, normalised input document. */
export interface TraceIn {
  name: string;
  files: FileIn[];
  steps: StepIn[];
  /** The raw step objects, for echoing input fields in the output. */
  rawSteps: Record<string, unknown>[];
}

type Obj = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}

const esc = (k: string | number) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/** A cursor into the input document that knows its JSON Pointer. */
class At {
  constructor(
    readonly v: unknown,
    readonly path: string,
  ) {}

  fail(expected: string, found: unknown = this.v): never {
    throw new TraceInputError(this.path, expected, describe(found));
  }

  key(k: string): At {
    return new At(this.obj()[k], `${this.path}/${esc(k)}`);
  }

  has(k: string): boolean {
    return Object.hasOwn(this.obj(), k) && this.obj()[k] !== undefined;
  }

  obj(): Obj {
    if (this.v === null || typeof this.v !== 'object' || Array.isArray(this.v)) this.fail('an object');
    return this.v as Obj;
  }

  arr(): At[] {
    if (!Array.isArray(this.v)) this.fail('an array');
    return (this.v as unknown[]).map((x, i) => new At(x, `${this.path}/${i}`));
  }

  str(): string {
    if (typeof this.v !== 'string') this.fail('a string');
    return this.v as string;
  }

  oneOf<T extends string>(list: readonly T[]): T {
    if (typeof this.v !== 'string' || !(list as readonly string[]).includes(this.v)) {
      this.fail(`one of ${list.map((x) => JSON.stringify(x)).join(', ')}`);
    }
    return this.v as T;
  }

  bool(): boolean {
    if (typeof this.v !== 'boolean') this.fail('true or false');
    return this.v as boolean;
  }

  int(min: number, max: number): number {
    if (typeof this.v !== 'number' || !Number.isInteger(this.v) || this.v < min || this.v > max) {
      this.fail(`an integer in ${min}..${max}`);
    }
    return this.v as number;
  }

  u8(): number {
    return this.int(0, 0xff);
  }
  u16(): number {
    return this.int(0, 0xffff);
  }
  u32(): number {
    return this.int(0, 0xffffffff);
  }
  s32(): number {
    return this.int(-0x80000000, 0x7fffffff);
  }
  /** An `int` field that some writers print as its unsigned bit pattern. */
  s32OrU32(): number {
    return this.int(-0x80000000, 0xffffffff) | 0;
  }

  /** A u64: a non-negative integer number below 2^53, or a decimal string (format §1). */
  u64(): bigint {
    if (typeof this.v === 'number' && Number.isSafeInteger(this.v) && this.v >= 0) return BigInt(this.v);
    if (typeof this.v === 'string' && /^[0-9]+$/.test(this.v)) {
      const b = BigInt(this.v);
      if (b < 1n << 64n) return b;
    }
    return this.fail('a u64 (a non-negative integer below 2^53, or a decimal string below 2^64)');
  }

  /** An s64 (timespec fields): an integer number or a decimal string. */
  s64(): bigint {
    if (typeof this.v === 'number' && Number.isSafeInteger(this.v)) return BigInt(this.v);
    if (typeof this.v === 'string' && /^-?[0-9]+$/.test(this.v)) {
      const b = BigInt(this.v);
      if (b >= -(1n << 63n) && b < 1n << 63n) return b;
    }
    return this.fail('an s64 (an integer, or a decimal string)');
  }

  optional<T>(k: string, f: (a: At) => T): T | undefined {
    return this.has(k) ? f(this.key(k)) : undefined;
  }
}

function fdRef(a: At, files: Map<string, FileIn>, allowRing: boolean): FdRef {
  const ref = a.key('fd_ref').oneOf(allowRing ? (['file', 'ring', 'literal'] as const) : (['file'] as const));
  if (ref === 'file') {
    const f = a.key('file');
    const id = f.str();
    if (!files.has(id))
      f.fail(
        `the id of a files entry (${[...files.keys()].map((x) => JSON.stringify(x)).join(', ') || 'there are none'})`,
      );
    return { ref: 'file', file: id };
  }
  if (ref === 'ring') return { ref: 'ring' };
  return { ref: 'literal', fd: a.key('fd').s32() };
}

function iovElem(a: At): IovIn {
  a.obj();
  const len = a.key('len').u64();
  if (a.has('buf')) {
    const size = a.key('size').int(0, 1 << 24);
    const offset = a.has('offset') ? a.key('offset').int(0, 1 << 24) : 0;
    return { buf: a.key('buf').str(), size, offset, base: 0n, len, value: a.optional('value', (v) => v.s32OrU32()) };
  }
  return { size: 0, offset: 0, base: a.key('base').u64(), len };
}

function iovList(a: At): IovIn[] {
  const l = a.arr();
  if (l.length > 1024) a.fail('at most 1024 iovec elements');
  return l.map(iovElem);
}

function ptrDesc(a: At): PtrDesc {
  const type = a.key('type').oneOf(['buffer', 'timespec', 'int32', 'iovec'] as const);
  if (type === 'buffer')
    return {
      type,
      buf: a.key('buf').str(),
      size: a.key('size').int(0, 1 << 24),
      offset: a.has('offset') ? a.key('offset').int(0, 1 << 24) : 0,
    };
  if (type === 'iovec') return { type, iov: iovList(a.key('iov')) };
  if (type === 'timespec') return { type, sec: a.key('tv_sec').s64(), nsec: a.key('tv_nsec').s64() };
  return { type, buf: a.key('buf').str(), value: a.optional('value', (v) => v.s32OrU32()) };
}

function u64OrPtr(a: At, key: string): U64OrPtr {
  if (!a.has(key)) return 0n;
  const v = a.key(key);
  if (v.v === '<ptr>') return ptrDesc(a.key(`${key}_ptr`));
  return v.u64();
}

function sqe(a: At, files: Map<string, FileIn>): SqeIn {
  a.obj();
  const num = <T>(k: string, f: (x: At) => T, d: T): T => (a.has(k) ? f(a.key(k)) : d);
  const s: SqeIn = {
    opcode: a.key('opcode').u8(),
    flags: num('flags', (x) => x.u8(), 0),
    ioprio: num('ioprio', (x) => x.u16(), 0),
    fd: a.has('fd_ref') ? fdRef(a, files, true) : { ref: 'literal', fd: num('fd', (x) => x.s32(), 0) },
    off: num('off', (x) => x.u64(), 0n),
    addr: u64OrPtr(a, 'addr'),
    len: num('len', (x) => x.u32(), 0),
    opFlags: num('op_flags', (x) => x.u32(), 0),
    userData: a.key('user_data').u64(),
    bufIndex: num('buf_index', (x) => x.u16(), 0),
    personality: num('personality', (x) => x.u16(), 0),
    spliceFdIn: num('splice_fd_in', (x) => x.s32OrU32(), 0),
    addr3: u64OrPtr(a, 'addr3'),
    pad2: num('__pad2', (x) => x.u64(), 0n),
  };
  if (a.has('cmd_op') || a.has('__pad1')) {
    s.cmdOp = num('cmd_op', (x) => x.u32(), 0);
    s.pad1 = num('__pad1', (x) => x.u32(), 0);
    s.off = BigInt(s.cmdOp) | (BigInt(s.pad1) << 32n);
  }
  if (a.has('sqe128_upper_hex')) {
    const h = a.key('sqe128_upper_hex');
    const t = h.str();
    if (!/^[0-9a-fA-F]{128}$/.test(t)) h.fail('128 hex digits (bytes 64..127 of the SQE)');
    s.upper = Uint8Array.from({ length: 64 }, (_, i) => parseInt(t.slice(2 * i, 2 * i + 2), 16));
  }
  return s;
}

function fileEntry(a: At, i: number, seen: Set<string>): FileIn {
  a.obj();
  const id = a.key('id').str();
  if (seen.has(id)) a.key('id').fail('an id not used by an earlier files entry');
  seen.add(id);
  const f: FileIn = { id, fdKind: a.key('fd_kind').oneOf(FD_KINDS) };
  f.access = a.optional('access', (x) => x.oneOf(['rdonly', 'wronly', 'rdwr'] as const));
  f.path = a.optional('path', (x) => x.str());
  f.peer = a.optional('peer', (x) => x.str());
  f.listener = a.optional('listener', (x) => x.str());
  f.backlog = a.optional('backlog', (x) => x.s32());
  f.soRcvbuf = a.optional('so_rcvbuf', (x) => x.s32());
  f.soSndbuf = a.optional('so_sndbuf', (x) => x.s32());
  f.nonblock = a.optional('nonblock', (x) => x.bool());
  void i;
  return f;
}

/** The kind a file's `peer` must have, by kind. */
const PEER_KIND: Partial<Record<FdKind, FdKind>> = {
  pipe_read_end: 'pipe_write_end',
  pipe_write_end: 'pipe_read_end',
  tcp_client: 'tcp_server',
  tcp_server: 'tcp_client',
  udp_tx: 'udp_rx',
  unix_stream: 'unix_stream',
  unix_dgram: 'unix_dgram',
  unix_seqpacket: 'unix_seqpacket',
};

function checkGroups(filesAt: At[], files: FileIn[], byId: Map<string, FileIn>): void {
  files.forEach((f, i) => {
    const at = filesAt[i]!;
    const want = PEER_KIND[f.fdKind];
    if (want) {
      if (f.peer === undefined) return at.key('peer').fail(`the id of the ${want} this ${f.fdKind} is connected to`);
      const p = byId.get(f.peer);
      if (!p || p.fdKind !== want) return at.key('peer').fail(`the id of a ${want} entry`, f.peer);
      const back = PEER_KIND[p.fdKind];
      // udp_rx has no peer of its own; every other pairing must name each other.
      if (back && p.peer !== f.id) at.key('peer').fail(`an entry whose own peer is ${JSON.stringify(f.id)}`, f.peer);
    }
    if (f.fdKind === 'tcp_client' || f.fdKind === 'tcp_server') {
      const l = f.listener === undefined ? undefined : byId.get(f.listener);
      if (!l || l.fdKind !== 'tcp_listener') at.key('listener').fail('the id of a tcp_listener entry', f.listener);
    }
    if (f.fdKind === 'directory' && f.path === undefined) at.key('path').fail('the path of the directory');
  });
}

/** The input fields of each step kind besides `step` and `kind` (the same list as compare.mjs). */
export const STEP_INPUT_KEYS: Record<string, readonly string[]> = {
  setup: ['entries', 'flags', 'cq_entries_requested', 'sq_thread_idle', 'sq_thread_cpu'],
  setup_probe: ['entries', 'flags', 'cq_entries_requested', 'wq_fd', 'wq_fd_ref', 'sq_thread_idle', 'sq_thread_cpu'],
  register: ['opcode', 'opcode_num', 'nr_args', 'files', 'iovecs', 'arg', 'buf_reg'],
  buf_ring_add: ['ring', 'ring_entries', 'bufs'],
  publish: ['sqes'],
  sq_array_write: ['index', 'value'],
  sq_tail_store: ['value'],
  enter: ['to_submit', 'min_complete', 'flags', 'ext_arg_timeout_ms'],
  enter_raw: ['fd', 'fd_ref', 'file', 'fd_kind', 'to_submit', 'min_complete', 'flags', 'arg', 'argsz'],
  reap: ['max'],
  get_sqe: ['attempted'],
  state: [],
  ring_close: [],
  syscall: [
    'call',
    'fd_ref',
    'file',
    'fd_kind',
    'bytes',
    'flags',
    'request',
    'request_num',
    'level',
    'optname',
    'optlen',
    'chunk',
    'to',
  ],
  settle: ['fd_ref', 'file', 'fd_kind', 'request', 'request_num', 'want', 'timeout_ms'],
  sleep: ['ms'],
  peek: ['buf', 'type', 'offset'],
  fdinfo: [],
  note: [],
};

const STEP_KINDS = Object.keys(STEP_INPUT_KEYS);

function setupStep(a: At, step: number, kind: 'setup' | 'setup_probe'): StepIn {
  const flags = a.key('flags').u32();
  return {
    step,
    kind,
    entries: a.key('entries').u32(),
    flags,
    cqEntries: a.optional('cq_entries_requested', (x) => x.u32()),
    sqThreadIdle: a.optional('sq_thread_idle', (x) => x.u32()),
    sqThreadCpu: a.optional('sq_thread_cpu', (x) => x.u32()),
    wqFd: a.has('wq_fd_ref')
      ? a.key('wq_fd_ref').oneOf(['ring', 'literal'] as const) === 'ring'
        ? { ref: 'ring' }
        : { ref: 'literal', fd: a.key('wq_fd').s32() }
      : undefined,
  };
}

function parseStep(a: At, i: number, files: Map<string, FileIn>): StepIn {
  a.obj();
  const step = a.key('step').int(0, Number.MAX_SAFE_INTEGER);
  if (step !== i) a.key('step').fail(`${i} (steps are numbered from 0 in order)`);
  const kind = a.key('kind').oneOf(STEP_KINDS);
  switch (kind) {
    case 'setup':
    case 'setup_probe':
      return setupStep(a, step, kind);
    case 'register': {
      const opcodeNum = a.key('opcode_num').u32();
      const opcode = a.has('opcode') ? a.key('opcode').str() : String(opcodeNum);
      const nrArgs = a.key('nr_args').u32();
      let ids: string[] | undefined;
      if (a.has('files')) {
        ids = a
          .key('files')
          .arr()
          .map((x) => {
            const id = x.str();
            if (!files.has(id)) x.fail('the id of a files entry');
            return id;
          });
      }
      let bufReg: BufRegIn | undefined;
      if (a.has('buf_reg')) {
        const b = a.key('buf_reg');
        bufReg = {
          ring: b.has('ring') ? b.key('ring').str() : undefined,
          ringOffset: b.has('ring_offset') ? b.key('ring_offset').int(0, 4095) : 0,
          ringEntries: b.key('ring_entries').u32(),
          bgid: b.key('bgid').int(0, 65535),
          flags: b.key('flags').int(0, 65535),
        };
      }
      const iovecs = a.has('iovecs') ? iovList(a.key('iovecs')) : undefined;
      const arg = a.has('arg') ? a.key('arg').u64() : undefined;
      return { step, kind, opcode, opcodeNum, nrArgs, files: ids, iovecs, arg, bufReg };
    }
    case 'buf_ring_add':
      return {
        step,
        kind,
        ring: a.key('ring').str(),
        ringEntries: a.key('ring_entries').int(1, 32768),
        bufs: a
          .key('bufs')
          .arr()
          .map((x) => ({
            buf: x.key('buf').str(),
            size: x.key('size').int(1, 1 << 24),
            offset: x.key('offset').int(0, 1 << 24),
            len: x.key('len').u32(),
            bid: x.key('bid').int(0, 65535),
          })),
      };
    case 'publish':
      return {
        step,
        kind,
        sqes: a
          .key('sqes')
          .arr()
          .map((x) => sqe(x, files)),
      };
    case 'sq_array_write':
      return { step, kind, index: a.key('index').u32(), value: a.key('value').u32() };
    case 'sq_tail_store':
      return { step, kind, value: a.key('value').u32() };
    case 'enter':
      return {
        step,
        kind,
        toSubmit: a.key('to_submit').u32(),
        minComplete: a.key('min_complete').u32(),
        flags: a.key('flags').u32(),
        extArgTimeoutMs: a.optional('ext_arg_timeout_ms', (x) => x.int(0, 2 ** 31)),
      };
    case 'enter_raw': {
      const argAt = a.key('arg');
      let arg: GeteventsArgIn | null = null;
      if (argAt.v !== null) {
        argAt.key('type').oneOf(['io_uring_getevents_arg'] as const);
        if (argAt.key('ts').v !== null) argAt.key('ts').fail('null (a NULL ts pointer)');
        arg = {
          sigmask: argAt.has('sigmask') ? argAt.key('sigmask').u64() : 0n,
          sigmaskSz: argAt.has('sigmask_sz') ? argAt.key('sigmask_sz').u32() : 0,
          minWaitUsec: argAt.has('min_wait_usec') ? argAt.key('min_wait_usec').u32() : 0,
        };
      }
      return {
        step,
        kind,
        fd: fdRef(a, files, true),
        toSubmit: a.key('to_submit').u32(),
        minComplete: a.key('min_complete').u32(),
        flags: a.key('flags').u32(),
        arg,
        argsz: a.key('argsz').u32(),
      };
    }
    case 'reap':
      return { step, kind, max: a.optional('max', (x) => x.u32()) };
    case 'get_sqe': {
      const at = a.key('attempted');
      return { step, kind, opcode: at.key('opcode').u8(), userData: at.key('user_data').u64() };
    }
    case 'state':
    case 'ring_close':
    case 'fdinfo':
      return { step, kind };
    case 'note':
      return { step, kind, text: a.optional('text', (x) => x.str()) };
    case 'syscall': {
      const call = a.key('call').oneOf(SYSCALLS);
      const r = fdRef(a, files, false);
      const file = (r as { file: string }).file;
      const need = (k: string, f: (x: At) => number, d = 0) => (a.has(k) ? f(a.key(k)) : d);
      const s = {
        step,
        kind,
        call,
        file,
        bytes: 0,
        flags: need('flags', (x) => x.u32()),
        requestNum: 0,
        level: 0,
        optname: 0,
        optlen: 0,
        chunk: 0,
      } as const;
      const out = { ...s } as Extract<StepIn, { kind: 'syscall' }>;
      if (call === 'write' || call === 'read' || call === 'send' || call === 'recv')
        out.bytes = a.key('bytes').int(0, 1 << 24);
      if (call === 'ioctl') out.requestNum = a.key('request_num').u32();
      if (call === 'getsockopt') {
        out.level = a.key('level').s32();
        out.optname = a.key('optname').s32();
        out.optlen = a.key('optlen').s32();
      }
      if (call === 'write_until_eagain') out.chunk = a.key('chunk').int(1, 1 << 24);
      if (call === 'connect') out.to = a.key('to').oneOf([...files.keys()]);
      return out;
    }
    case 'settle': {
      const r = fdRef(a, files, false) as { file: string };
      return {
        step,
        kind,
        file: r.file,
        requestNum: a.key('request_num').u32(),
        want: a.key('want').s32(),
        timeoutMs: a.key('timeout_ms').int(0, 3_600_000),
      };
    }
    case 'sleep':
      return { step, kind, ms: a.key('ms').int(0, 3_600_000) };
    case 'peek':
      return {
        step,
        kind,
        buf: a.key('buf').str(),
        type: a.key('type').oneOf(['int32'] as const),
        offset: a.has('offset') ? a.key('offset').int(0, 1 << 24) : 0,
      };
  }
  return a.key('kind').fail('a known step kind');
}

/**
 * Checks a parsed JSON document as a `kernel-trace` version 1 input and normalises it.
 *
 * @throws TraceInputError naming the first offending value.
 */
export function parseTraceInput(doc: unknown): TraceIn {
  const root = new At(doc, '');
  root.obj();
  root.key('format').oneOf(['kernel-trace'] as const);
  if (root.key('format_version').v !== 1) root.key('format_version').fail('1');
  const name = root.key('name').str();
  const filesAt = root.has('files') ? root.key('files').arr() : [];
  const seen = new Set<string>();
  const files = filesAt.map((f, i) => fileEntry(f, i, seen));
  const byId = new Map(files.map((f) => [f.id, f]));
  checkGroups(filesAt, files, byId);
  const stepsAt = root.key('steps').arr();
  const steps = stepsAt.map((s, i) => parseStep(s, i, byId));
  checkBuffers(stepsAt, steps);
  return { name, files, steps, rawSteps: stepsAt.map((s) => s.obj()) };
}

/**
 * Pointer descriptors that share a name must agree on their type (iovec elements name buffers
 * of either type); `peek` needs a buffer an earlier step points to.
 */
function checkBuffers(stepsAt: At[], steps: StepIn[]): void {
  const types = new Map<string, string>();
  const named = new Set<string>();
  const iovNames = (l: IovIn[] | undefined) => l?.forEach((e) => e.buf !== undefined && named.add(e.buf));
  steps.forEach((s, i) => {
    if (s.kind === 'register') iovNames(s.iovecs);
    // Buffers a buffer ring points into are byte buffers too.
    if (s.kind === 'buf_ring_add')
      for (const b of s.bufs) {
        if (!types.has(b.buf)) types.set(b.buf, 'buffer');
        named.add(b.buf);
      }
    if (s.kind === 'publish') {
      s.sqes.forEach((q, j) => {
        for (const [k, v] of [
          ['addr', q.addr],
          ['addr3', q.addr3],
        ] as const) {
          if (typeof v === 'bigint' || v.type === 'timespec') continue;
          if (v.type === 'iovec') {
            iovNames(v.iov);
            continue;
          }
          named.add(v.buf);
          const t = types.get(v.buf);
          if (t && t !== v.type) {
            const sqe = stepsAt[i]!.key('sqes').arr()[j]!;
            sqe
              .key(`${k}_ptr`)
              .key('type')
              .fail(`${JSON.stringify(t)} (the type buffer ${JSON.stringify(v.buf)} has earlier)`);
          }
          types.set(v.buf, v.type);
        }
      });
    }
    if (s.kind === 'peek' && !named.has(s.buf)) {
      stepsAt[i]!.key('buf').fail('the name of a buffer an earlier step points to');
    }
  });
}
