/**
 * Validation of scenario documents with precise errors: each says where (a JSON pointer),
 * what was expected and what was found.
 */
import { DRIVER_CMD_OPS, DRIVERS, EVENT } from '../wasm/abi.generated';
import { SETUP_FLAG_NAMES, SQE_FLAG_NAMES } from '../wasm/events.generated';
import { KERNEL_PROFILES, type Op, RING_VAR, type Scenario, SCENARIO_FORMAT, SCENARIO_VERSION } from './format';

/** The sanitizer report names a scenario may declare. */
export const SANITIZER_NAMES = Object.keys(EVENT).filter((n) => n.startsWith('sanitizer_'));

export interface ValidationError {
  path: string;
  expected: string;
  found: string;
}

export class ScenarioError extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(errors.map((e) => `${e.path || '/'}: expected ${e.expected}, found ${e.found}`).join('\n'));
    this.name = 'ScenarioError';
  }
}

const OPS: Record<Op['op'], readonly string[]> = {
  open: ['device', 'as'],
  pipe: ['read_as', 'write_as'],
  socketpair: ['a_as', 'b_as'],
  buf_ring: ['as', 'entries', 'bgid'],
  buf_ring_add: ['ring', 'buf', 'len', 'bid'],
  write: ['fd', 'buf'],
  alloc: ['as', 'size'],
  write_user: ['target', 'data'],
  register_buffers: ['bufs'],
  unregister_buffers: [],
  prep: ['sqe'],
  submit: [],
  wait: ['min'],
  reap: [],
  sleep: ['ms'],
  spin: ['ms'],
  device: ['fd', 'action'],
  close: ['fd'],
  exit: [],
};

/** `IORING_SETUP_*` names a scenario may use (bit i is name i). */
export { SETUP_FLAG_NAMES };
/** `IOSQE_*` names. */
export { SQE_FLAG_NAMES };
/** The opcodes a scenario may name (others go by number). */
export const OPCODE_NAMES = [
  'NOP',
  'URING_CMD',
  'URING_CMD128',
  'READ',
  'WRITE',
  'READV',
  'WRITEV',
  'READ_FIXED',
  'WRITE_FIXED',
  'TIMEOUT',
  'TIMEOUT_REMOVE',
  'LINK_TIMEOUT',
  'ASYNC_CANCEL',
  'POLL_ADD',
  'POLL_REMOVE',
  'SEND',
  'RECV',
  'ACCEPT',
  'PROVIDE_BUFFERS',
  'REMOVE_BUFFERS',
] as const;

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function esc(k: string | number): string {
  return String(k).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Validates `doc` and returns it typed, or throws {@link ScenarioError}. */
export function validateScenario(doc: unknown): Scenario {
  const errs: ValidationError[] = [];
  const err = (path: string, expected: string, found: unknown) => errs.push({ path, expected, found: show(found) });
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const int = (v: unknown, lo: number, hi: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
  const str = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 10_000;

  if (!isObj(doc)) {
    throw new ScenarioError([{ path: '', expected: 'a JSON object', found: show(doc) }]);
  }
  if (doc.format !== SCENARIO_FORMAT) err('/format', `"${SCENARIO_FORMAT}"`, doc.format);
  if (doc.version !== SCENARIO_VERSION) err('/version', `${SCENARIO_VERSION}`, doc.version);
  if (!(typeof doc.id === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(doc.id)))
    err('/id', 'lowercase words joined by dashes', doc.id);
  if (!str(doc.title)) err('/title', 'a non-empty string', doc.title);
  if (!str(doc.intro)) err('/intro', 'a non-empty string', doc.intro);
  if (doc.api !== 'v3' && doc.api !== 'v5') err('/api', '"v3" or "v5"', doc.api);
  if (doc.config !== undefined) {
    if (!isObj(doc.config)) err('/config', 'an object', doc.config);
    else {
      if (doc.config.patch2_zero_pdu !== undefined && typeof doc.config.patch2_zero_pdu !== 'boolean')
        err('/config/patch2_zero_pdu', 'a boolean', doc.config.patch2_zero_pdu);
      if (doc.config.kernel !== undefined && !(KERNEL_PROFILES as readonly unknown[]).includes(doc.config.kernel))
        err('/config/kernel', '"6.18" or "6.19"', doc.config.kernel);
    }
  }
  if (!isObj(doc.ring)) err('/ring', 'an object', doc.ring);
  else {
    if (!int(doc.ring.entries, 1, 32768)) err('/ring/entries', 'an integer from 1 to 32768', doc.ring.entries);
    if (doc.ring.cq_entries !== undefined && !int(doc.ring.cq_entries, 1, 65536))
      err('/ring/cq_entries', 'an integer from 1 to 65536', doc.ring.cq_entries);
    checkNames(doc.ring.flags, '/ring/flags', SETUP_FLAG_NAMES, err);
    if (doc.ring.sq_thread_idle !== undefined && !int(doc.ring.sq_thread_idle, 0, 60000))
      err('/ring/sq_thread_idle', 'an integer from 0 to 60000 (ms)', doc.ring.sq_thread_idle);
  }
  const vars = new Set<string>([RING_VAR]);
  const bufs = new Set<string>();
  /** Buffers that are registered provided-buffer rings. */
  const rings = new Set<string>();
  const devices = new Set<string>();
  /** Device name → driver name, and fd variable → driver name. */
  const deviceDriver = new Map<string, string>();
  const varDriver = new Map<string, string>();
  const own = (o: object, k: unknown) => typeof k === 'string' && Object.prototype.hasOwnProperty.call(o, k);
  const drivers = DRIVERS as Record<string, (typeof DRIVERS)[string] | undefined>;
  if (doc.devices !== undefined) {
    if (!Array.isArray(doc.devices) || doc.devices.length > 16)
      err('/devices', 'an array of at most 16 devices', doc.devices);
    else
      doc.devices.forEach((d, i) => {
        const p = `/devices/${i}`;
        if (!isObj(d)) return err(p, 'an object', d);
        if (!(typeof d.name === 'string' && /^[a-z0-9][a-z0-9_-]{0,31}$/.test(d.name)))
          err(`${p}/name`, 'a device name ([a-z0-9_-], at most 32)', d.name);
        else devices.add(d.name);
        const driver = own(DRIVERS, d.driver) ? drivers[d.driver as string] : undefined;
        if (!driver)
          err(`${p}/driver`, `a driver of core-rs/src/drivers (${Object.keys(DRIVERS).join(', ')})`, d.driver);
        else {
          if (typeof d.name === 'string') deviceDriver.set(d.name, d.driver as string);
          if (d.other_api !== undefined && typeof d.other_api !== 'boolean')
            err(`${p}/other_api`, 'a boolean', d.other_api);
          if (
            driver.hasUringCmd &&
            (doc.api === 'v3' || doc.api === 'v5') &&
            driver.api !== doc.api &&
            d.other_api !== true
          ) {
            err(
              `${p}/driver`,
              `a driver written against the scenario's api "${doc.api}" (${d.driver as string} uses ${driver.api})`,
              d.driver,
            );
          }
        }
      });
  }
  if (!Array.isArray(doc.program) || doc.program.length === 0 || doc.program.length > 10_000) {
    err('/program', 'a non-empty array of at most 10000 operations', doc.program);
  } else {
    doc.program.forEach((o, i) => {
      const p = `/program/${i}`;
      if (!isObj(o)) return err(p, 'an object', o);
      const name = o.op;
      if (typeof name !== 'string' || !(name in OPS))
        return err(`${p}/op`, `one of ${Object.keys(OPS).join(', ')}`, name);
      for (const k of OPS[name as Op['op']]) if (o[k] === undefined) err(`${p}/${esc(k)}`, 'a value', undefined);
      if (o.note !== undefined && typeof o.note !== 'string') err(`${p}/note`, 'a string', o.note);
      switch (name) {
        case 'open':
          if (typeof o.device !== 'string' || !devices.has(o.device))
            err(`${p}/device`, `a device declared in /devices (${[...devices].join(', ') || 'none'})`, o.device);
          if (typeof o.as !== 'string' || !/^[a-z_][a-z0-9_]{0,31}$/.test(o.as) || o.as === RING_VAR)
            err(`${p}/as`, `a variable name other than "${RING_VAR}"`, o.as);
          else {
            vars.add(o.as);
            const drv = typeof o.device === 'string' ? deviceDriver.get(o.device) : undefined;
            if (drv) varDriver.set(o.as, drv);
            else varDriver.delete(o.as);
          }
          break;
        case 'pipe':
          for (const k of ['read_as', 'write_as'] as const) {
            const v = o[k];
            if (typeof v !== 'string' || !/^[a-z_][a-z0-9_]{0,31}$/.test(v) || v === RING_VAR)
              err(`${p}/${k}`, `a variable name other than "${RING_VAR}"`, v);
            else {
              vars.add(v);
              varDriver.delete(v);
            }
          }
          if (typeof o.read_as === 'string' && o.read_as === o.write_as)
            err(`${p}/write_as`, 'a name other than read_as', o.write_as);
          break;
        case 'socketpair':
          for (const k of ['a_as', 'b_as'] as const) {
            const v = o[k];
            if (typeof v !== 'string' || !/^[a-z_][a-z0-9_]{0,31}$/.test(v) || v === RING_VAR)
              err(`${p}/${k}`, `a variable name other than "${RING_VAR}"`, v);
            else {
              vars.add(v);
              varDriver.delete(v);
            }
          }
          if (typeof o.a_as === 'string' && o.a_as === o.b_as) err(`${p}/b_as`, 'a name other than a_as', o.b_as);
          break;
        case 'buf_ring':
          if (typeof o.as !== 'string' || !/^[a-z_][a-z0-9_]{0,31}$/.test(o.as)) err(`${p}/as`, 'a buffer name', o.as);
          else {
            bufs.add(o.as);
            rings.add(o.as);
          }
          if (!int(o.entries, 1, 256)) err(`${p}/entries`, 'an integer from 1 to 256', o.entries);
          if (!int(o.bgid, 0, 65535)) err(`${p}/bgid`, 'an integer from 0 to 65535', o.bgid);
          break;
        case 'buf_ring_add':
          if (typeof o.ring !== 'string' || !rings.has(o.ring))
            err(`${p}/ring`, 'a buffer ring registered by an earlier buf_ring', o.ring);
          if (typeof o.buf !== 'string' || !bufs.has(o.buf)) err(`${p}/buf`, 'a buffer allocated earlier', o.buf);
          if (o.offset !== undefined && !int(o.offset, 0, 4095))
            err(`${p}/offset`, 'an integer from 0 to 4095', o.offset);
          if (!int(o.len, 0, 4096)) err(`${p}/len`, 'an integer from 0 to 4096', o.len);
          if (!int(o.bid, 0, 65535)) err(`${p}/bid`, 'an integer from 0 to 65535', o.bid);
          break;
        case 'write':
          if (typeof o.fd !== 'string' || !vars.has(o.fd))
            err(`${p}/fd`, 'a variable bound by an earlier open or pipe', o.fd);
          if (typeof o.buf !== 'string' || !bufs.has(o.buf)) err(`${p}/buf`, 'a buffer allocated earlier', o.buf);
          if (o.len !== undefined && !int(o.len, 0, 4096)) err(`${p}/len`, 'an integer from 0 to 4096', o.len);
          break;
        case 'alloc':
          if (typeof o.as !== 'string' || !/^[a-z_][a-z0-9_]{0,31}$/.test(o.as)) err(`${p}/as`, 'a buffer name', o.as);
          else bufs.add(o.as);
          if (!int(o.size, 1, 4096)) err(`${p}/size`, 'an integer from 1 to 4096', o.size);
          if (o.init !== undefined) checkBytes(o.init, `${p}/init`, bufs, err);
          break;
        case 'write_user':
          if (typeof o.target !== 'string' || !bufs.has(o.target))
            err(`${p}/target`, 'a buffer allocated earlier', o.target);
          if (o.offset !== undefined && !int(o.offset, 0, 4095))
            err(`${p}/offset`, 'an integer from 0 to 4095', o.offset);
          checkBytes(o.data, `${p}/data`, bufs, err);
          break;
        case 'register_buffers':
          if (!Array.isArray(o.bufs) || o.bufs.length < 1 || o.bufs.length > 16)
            err(`${p}/bufs`, 'a list of 1 to 16 buffer names', o.bufs);
          else
            o.bufs.forEach((b: unknown, j: number) => {
              if (typeof b !== 'string' || !bufs.has(b)) err(`${p}/bufs/${j}`, 'a buffer allocated earlier', b);
            });
          break;
        case 'unregister_buffers':
          break;
        case 'prep':
          checkSqe(o.sqe, `${p}/sqe`, vars, bufs, err);
          break;
        case 'submit':
          if (o.wait !== undefined && !int(o.wait, 0, 65536)) err(`${p}/wait`, 'an integer from 0 to 65536', o.wait);
          break;
        case 'wait':
          if (!int(o.min, 0, 65536)) err(`${p}/min`, 'an integer from 0 to 65536', o.min);
          if (o.timeout_ms !== undefined && !int(o.timeout_ms, 0, 3_600_000))
            err(`${p}/timeout_ms`, 'milliseconds (0 to 3600000)', o.timeout_ms);
          break;
        case 'reap':
          if (o.max !== undefined && !int(o.max, 1, 65536)) err(`${p}/max`, 'an integer from 1 to 65536', o.max);
          break;
        case 'sleep':
        case 'spin':
          if (!int(o.ms, 0, 3_600_000)) err(`${p}/ms`, 'milliseconds (0 to 3600000)', o.ms);
          break;
        case 'device': {
          const drv = typeof o.fd === 'string' ? varDriver.get(o.fd) : undefined;
          if (typeof o.fd !== 'string' || !drv) err(`${p}/fd`, 'a variable bound by an earlier open of a device', o.fd);
          const actions = drv ? (drivers[drv]?.actions ?? []) : [];
          if (typeof o.action !== 'string' || !/^[a-z_]{1,32}$/.test(o.action))
            err(`${p}/action`, 'an action name', o.action);
          else if (drv && !actions.includes(o.action))
            err(
              `${p}/action`,
              actions.length
                ? `one of ${actions.join(', ')} (the actions of ${drv})`
                : `nothing: ${drv} takes no device actions`,
              o.action,
            );
          if (o.arg !== undefined && !int(o.arg, -2147483648, 2147483647)) err(`${p}/arg`, 'a 32-bit integer', o.arg);
          break;
        }
        case 'close':
          if (typeof o.fd !== 'string' || !vars.has(o.fd) || o.fd === RING_VAR)
            err(`${p}/fd`, 'a variable bound by an earlier open (close the ring with "exit")', o.fd);
          break;
      }
    });
  }
  if (doc.chapters !== undefined) {
    if (!Array.isArray(doc.chapters) || doc.chapters.length > 64)
      err('/chapters', 'an array of at most 64 chapters', doc.chapters);
    else
      doc.chapters.forEach((c, i) => {
        const p = `/chapters/${i}`;
        if (!isObj(c)) return err(p, 'an object', c);
        if (!str(c.title)) err(`${p}/title`, 'a non-empty string', c.title);
        const hasEvent = typeof c.event === 'string' && /^[a-z_0-9]+$/.test(c.event);
        const hasOp = int(c.op, 0, 9999);
        if (hasEvent === hasOp) err(p, 'exactly one of "event" (an event name) or "op" (a program index)', c);
        if (c.nth !== undefined && !int(c.nth, 1, 100000)) err(`${p}/nth`, 'a positive integer', c.nth);
        if (c.notes !== undefined && typeof c.notes !== 'string') err(`${p}/notes`, 'a string', c.notes);
        if (c.panels !== undefined) {
          const PANELS = ['rings', 'lanes', 'state', 'code', 'bytes', 'trace'];
          if (
            !Array.isArray(c.panels) ||
            c.panels.length < 1 ||
            c.panels.length > 2 ||
            c.panels.some((x, k) => !PANELS.includes(x as string) || (c.panels as unknown[]).indexOf(x) !== k)
          )
            err(`${p}/panels`, `one or two different panels of ${PANELS.join(', ')}`, c.panels);
        }
      });
  }
  if (doc.checkpoints !== undefined) {
    if (!Array.isArray(doc.checkpoints) || doc.checkpoints.length > 64)
      err('/checkpoints', 'an array of at most 64 checkpoints', doc.checkpoints);
    else
      doc.checkpoints.forEach((c, i) => {
        const p = `/checkpoints/${i}`;
        if (!isObj(c)) return err(p, 'an object', c);
        if (c.ask !== 'res' && c.ask !== 'lane' && c.ask !== 'pdu') err(`${p}/ask`, 'one of res, lane, pdu', c.ask);
        if (!str(c.question)) err(`${p}/question`, 'a non-empty string', c.question);
        const hasEvent = typeof c.event === 'string' && /^[a-z_0-9]+$/.test(c.event);
        const hasOp = int(c.op, 0, 9999);
        if (hasEvent === hasOp) err(p, 'exactly one of "event" (an event name) or "op" (a program index)', c);
        if (c.nth !== undefined && !int(c.nth, 1, 100000)) err(`${p}/nth`, 'a positive integer', c.nth);
        if (c.ask === 'res' && !int(c.user_data, 0, Number.MAX_SAFE_INTEGER))
          err(`${p}/user_data`, 'the user_data of the request whose CQE is asked about', c.user_data);
        if (
          c.choices !== undefined &&
          (!Array.isArray(c.choices) ||
            c.choices.length > 8 ||
            !c.choices.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 80))
        )
          err(`${p}/choices`, 'up to 8 non-empty strings', c.choices);
        if (c.explain !== undefined && typeof c.explain !== 'string') err(`${p}/explain`, 'a string', c.explain);
      });
  }
  if (doc.sanitizers !== undefined) {
    if (!Array.isArray(doc.sanitizers) || doc.sanitizers.length === 0)
      err('/sanitizers', 'a non-empty array of sanitizer report names', doc.sanitizers);
    else
      doc.sanitizers.forEach((n, i) => {
        if (typeof n !== 'string' || !SANITIZER_NAMES.includes(n))
          err(`/sanitizers/${i}`, `one of ${SANITIZER_NAMES.join(', ')}`, n);
        else if (doc.sanitizers && (doc.sanitizers as unknown[]).indexOf(n) !== i)
          err(`/sanitizers/${i}`, 'a name not listed before', n);
      });
  }
  if (errs.length) throw new ScenarioError(errs);
  return doc as unknown as Scenario;
}

function checkNames(
  v: unknown,
  path: string,
  names: readonly string[],
  err: (p: string, e: string, f: unknown) => void,
) {
  if (v === undefined) return;
  if (!Array.isArray(v)) return err(path, 'an array of flag names', v);
  v.forEach((n, i) => {
    if (typeof n !== 'string' || !names.includes(n)) err(`${path}/${i}`, `one of ${names.join(', ')}`, n);
  });
}

function checkBytes(v: unknown, path: string, bufs: Set<string>, err: (p: string, e: string, f: unknown) => void) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return err(path, 'an object with u64, i32 or hex', v);
  const b = v as Record<string, unknown>;
  let n = 0;
  if (b.u64 !== undefined) {
    n++;
    if (!Array.isArray(b.u64) || b.u64.length > 16) err(`${path}/u64`, 'an array of at most 16 words', b.u64);
    else
      b.u64.forEach((w, i) => {
        const okNum = typeof w === 'number' && Number.isSafeInteger(w) && w >= 0;
        const okStr = typeof w === 'string' && (/^[0-9]{1,20}$/.test(w) || (w.startsWith('&') && bufs.has(w.slice(1))));
        if (!okNum && !okStr)
          err(`${path}/u64/${i}`, 'a non-negative integer, a decimal string, or "&buffer" of an allocated buffer', w);
      });
  }
  if (b.i32 !== undefined) {
    n++;
    if (!Array.isArray(b.i32) || b.i32.length > 32) err(`${path}/i32`, 'an array of at most 32 integers', b.i32);
    else
      b.i32.forEach((w, i) => {
        if (!(typeof w === 'number' && Number.isInteger(w) && w >= -2147483648 && w <= 2147483647))
          err(`${path}/i32/${i}`, 'a 32-bit integer', w);
      });
  }
  if (b.hex !== undefined) {
    n++;
    if (typeof b.hex !== 'string' || !/^([0-9a-f]{2}){0,128}$/.test(b.hex))
      err(`${path}/hex`, 'lowercase hex, at most 128 bytes', b.hex);
  }
  if (n !== 1) err(path, 'exactly one of u64, i32 or hex', v);
}

function checkSqe(
  v: unknown,
  path: string,
  vars: Set<string>,
  bufs: Set<string>,
  err: (p: string, e: string, f: unknown) => void,
) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return err(path, 'an SQE object', v);
  const s = v as Record<string, unknown>;
  const okOp =
    (typeof s.opcode === 'string' && (OPCODE_NAMES as readonly string[]).includes(s.opcode)) ||
    (typeof s.opcode === 'number' && Number.isInteger(s.opcode) && s.opcode >= 0 && s.opcode <= 255);
  if (!okOp) err(`${path}/opcode`, `one of ${OPCODE_NAMES.join(', ')} or a number 0..255`, s.opcode);
  if (s.fd !== undefined) {
    const okFd =
      (typeof s.fd === 'string' && vars.has(s.fd)) ||
      (typeof s.fd === 'number' && Number.isInteger(s.fd) && s.fd >= -2147483648 && s.fd <= 2147483647);
    if (!okFd) err(`${path}/fd`, 'a variable bound by an earlier open, or a number', s.fd);
  }
  checkNames(s.flags, `${path}/flags`, SQE_FLAG_NAMES, err);
  for (const [k, max] of [
    ['ioprio', 0xffff],
    ['buf_index', 0xffff],
    ['pad1', 0xffffffff],
    ['len', 0xffffffff],
    ['op_flags', 0xffffffff],
  ] as const) {
    const x = s[k];
    if (x !== undefined && !(typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max))
      err(`${path}/${k}`, `an integer from 0 to ${max}`, x);
  }
  if (s.user_data !== undefined) {
    const ok =
      (typeof s.user_data === 'number' && Number.isSafeInteger(s.user_data) && s.user_data >= 0) ||
      (typeof s.user_data === 'string' && /^[0-9]{1,20}$/.test(s.user_data) && BigInt(s.user_data) < 1n << 64n);
    if (!ok) err(`${path}/user_data`, 'a u64 (number or decimal string)', s.user_data);
  }
  if (s.off !== undefined) {
    const ok =
      (typeof s.off === 'number' && Number.isSafeInteger(s.off) && s.off >= -1) ||
      (typeof s.off === 'string' && /^[0-9]{1,20}$/.test(s.off) && BigInt(s.off) < 1n << 64n);
    if (!ok) err(`${path}/off`, 'a u64 (number or decimal string), or -1 for the file position', s.off);
  }
  if (s.addr !== undefined) {
    const ok =
      (typeof s.addr === 'number' && Number.isSafeInteger(s.addr) && s.addr >= 0) ||
      (typeof s.addr === 'string' &&
        ((/^[0-9]{1,20}$/.test(s.addr) && BigInt(s.addr) < 1n << 64n) ||
          (s.addr.startsWith('&') && bufs.has(s.addr.slice(1)))));
    if (!ok) err(`${path}/addr`, 'a u64 (number or decimal string) or "&buffer" of an allocated buffer', s.addr);
  }
  if (s.cmd_op !== undefined) {
    const ok =
      (typeof s.cmd_op === 'number' && Number.isInteger(s.cmd_op) && s.cmd_op >= 0 && s.cmd_op <= 0xffffffff) ||
      (typeof s.cmd_op === 'string' && Object.prototype.hasOwnProperty.call(DRIVER_CMD_OPS, s.cmd_op));
    if (!ok) err(`${path}/cmd_op`, 'a u32 or a driver constant name (DRIVER_CMD_OPS in abi.generated.ts)', s.cmd_op);
  }
  if (s.cmd !== undefined) checkBytes(s.cmd, `${path}/cmd`, bufs, err);
}
