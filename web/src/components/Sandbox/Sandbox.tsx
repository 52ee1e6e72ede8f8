/**
 * The sandbox: compose SQEs, choose the machine (ring size and flags, devices, the API
 * generation), write user memory, submit, wait, reap, poke the devices (faults such as
 * `fail_next`), fill the CQ, tear the ring down, and watch. Everything it does is a program
 * operation of a scenario document, so the session can be saved, shared and replayed.
 *
 * Acting with the cursor in the past starts a branch (the branch bar says so).
 */
import { memo, useMemo, useState } from 'react';
import {
  DRIVERS,
  DRIVER_CMD_OPS,
  type DeviceSpec,
  type Op,
  SETUP_FLAG_NAMES,
  SQE_FLAG_NAMES,
  type Scenario,
  type SimState,
  checkOp,
  fillCq,
  runKernel,
  sandboxOp,
  sandboxSetup,
  seek,
  selInKernel,
  selReady,
  setSandbox,
  takeUserData,
  useSim,
} from '../../store';
import { type BytesMode, type SqeForm, describeOp, parseBytes, parseInt32, sqeOp } from './compose';
import { OPCODE_NAMES } from '../../scenario/validate';

/** Setup flags worth offering in the form (the others stay reachable through an uploaded scenario). */
const OFFERED_FLAGS = [
  'SQE128',
  'CQE32',
  'SINGLE_ISSUER',
  'DEFER_TASKRUN',
  'COOP_TASKRUN',
  'TASKRUN_FLAG',
  'NO_SQARRAY',
  'CQE_MIXED',
  'SQPOLL',
] as const;
/** `IORING_ASYNC_CANCEL_*` bits, as `sqe->cancel_flags` (op_flags) takes them. */
const CANCEL_FLAGS: readonly [string, number, string][] = [
  ['ALL', 1, 'every match; res = how many'],
  ['FD', 2, 'match by the fd field'],
  ['ANY', 4, 'match any request'],
  ['FD_FIXED', 8, 'the fd is a registered index'],
  ['USERDATA', 16, 'also match addr (with FD or OP)'],
  ['OP', 32, 'match by opcode (len)'],
];
/** The opcodes the form offers by name: the ones a scenario may name. */
const OPCODES: readonly string[] = OPCODE_NAMES;
/** Opcodes whose form shows ioprio and buf_index (their flags and buffer group live there). */
const NET_OPCODES = ['SEND', 'RECV', 'ACCEPT', 'PROVIDE_BUFFERS', 'REMOVE_BUFFERS'];
/** Opcodes that take a file and a cmd_op (uring_cmd), or a buffer and offset (read/write). */
const CMD_OPCODES = ['URING_CMD', 'URING_CMD128'];
const RW_OPCODES = ['READ', 'WRITE', 'READV', 'WRITEV', 'READ_FIXED', 'WRITE_FIXED', 'POLL_ADD'];
/** Opcodes that name a registered buffer by `buf_index`. */
const FIXED_OPCODES = ['READ_FIXED', 'WRITE_FIXED'];
/** What the SQE fields mean for each opcode, as a hint under the form. */
const FIELD_HINTS: Record<string, string> = {
  READ: 'addr: &buffer, len: bytes, off: offset (-1: the file position)',
  WRITE: 'addr: &buffer, len: bytes, off: offset (-1: the file position)',
  READV:
    'addr: &buffer holding struct iovec pairs (u64 &buf, u64 len), len: how many iovecs, off: offset (-1: the file position)',
  WRITEV:
    'addr: &buffer holding struct iovec pairs (u64 &buf, u64 len), len: how many iovecs, off: offset (-1: the file position)',
  READ_FIXED:
    'addr: inside a registered buffer, len: bytes, buf_index: which one (Register buffers first, else -EFAULT)',
  WRITE_FIXED:
    'addr: inside a registered buffer, len: bytes, buf_index: which one (Register buffers first, else -EFAULT)',
  TIMEOUT: 'addr: &buffer holding a timespec (u64 sec, u64 nsec), len 1, off: completions to wait for, op_flags 1: ABS',
  LINK_TIMEOUT: 'after an IO_LINK request: addr: &timespec buffer, len 1',
  TIMEOUT_REMOVE: 'addr: the user_data of the timeout to remove',
  ASYNC_CANCEL:
    'addr: the user_data of the request to cancel; op_flags: the IORING_ASYNC_CANCEL_* bits below (FD uses the fd field, OP the opcode in len)',
  POLL_ADD: 'op_flags: the events (1 POLLIN, 4 POLLOUT), len: 1 for IORING_POLL_ADD_MULTI (multishot)',
  POLL_REMOVE: 'addr: the user_data of the POLL_ADD to remove',
  SEND: 'fd: a socket, addr: &buffer, len: bytes, op_flags: MSG_* (0x40 DONTWAIT, 0x100 WAITALL)',
  RECV: 'fd: a socket, addr: &buffer, len: bytes; or flag BUFFER_SELECT with buf_index: a buffer group (addr, len 0); ioprio 2: IORING_RECV_MULTISHOT (needs BUFFER_SELECT)',
  ACCEPT: 'fd: a listening socket; op_flags: SOCK_CLOEXEC 0x80000; ioprio 1: IORING_ACCEPT_MULTISHOT',
  PROVIDE_BUFFERS:
    'fd: how many buffers, addr: &buffer holding them, len: bytes each, off: first buffer id, buf_index: the group',
  REMOVE_BUFFERS: 'fd: how many buffers to remove, buf_index: the group',
};

interface Var {
  name: string;
  device: string;
  driver: string;
}

/** The program operations on the timeline, with the frame each ran at. */
function programOf(models: SimState['models'], frames: SimState['frames']): { frame: number; op: Op }[] {
  const out: { frame: number; op: Op }[] = [];
  for (let i = 1; i < models.length; i++) {
    const m = models[i];
    if (m?.op && frames[i]?.actor === 'app') out.push({ frame: i, op: m.op });
  }
  return out;
}

/**
 * What the SQE's fd field means: a variable bound by Open (`fd0`), a device path (`/dev/dev0`,
 * which stands for the fd it was opened as), `ring` (the ring's own fd), a number, or nothing
 * (-1: no file, which is what a NOP needs).
 */
export function resolveFd(text: string, vars: readonly Var[]): { value: string; meaning: string; error?: string } {
  const t = text.trim();
  if (t === '' || t === '-1')
    return { value: t, meaning: 'fd -1: no file (a NOP needs none; a uring_cmd fails with -EBADF).' };
  if (t === 'ring')
    return {
      value: t,
      meaning: "ring: the ring's own fd; a uring_cmd to it gets -EOPNOTSUPP (io_uring has no uring_cmd hook).",
    };
  const dev = /^\/dev\/([\w-]+)$/.exec(t);
  if (dev) {
    const v = vars.find((x) => x.device === dev[1]);
    if (!v)
      return {
        value: t,
        meaning: '',
        error: `${t} is not open: press Open next to it under “Devices and faults” to get an fd for it.`,
      };
    return { value: v.name, meaning: `${t} is open as ${v.name}: the command goes to ${v.driver}'s uring_cmd hook.` };
  }
  const v = vars.find((x) => x.name === t);
  if (v && v.device.startsWith('pipe'))
    return {
      value: t,
      meaning: `${t}: the ${v.device} of a pipe the program created (READ, WRITE and POLL_ADD use it).`,
    };
  if (v && v.device === 'socket')
    return {
      value: t,
      meaning: `${t}: one end of an AF_UNIX socket pair the program created (SEND, RECV and POLL_ADD use it; what the other end sends arrives here).`,
    };
  if (v)
    return {
      value: t,
      meaning: `${t}: the fd of /dev/${v.device}, opened by the program; the command goes to ${v.driver}.`,
    };
  if (/^-?\d+$/.test(t))
    return { value: t, meaning: `fd ${t} as a raw number: whatever the process has open there (-EBADF if nothing).` };
  return {
    value: t,
    meaning: `“${t}” is not an fd the program opened (${vars.map((x) => x.name).join(', ') || 'none yet'}), a device path such as /dev/dev0, ring, or a number.`,
  };
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="sb-field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/**
 * The machine: API generation, ring size and flags, devices. Adding a device to a machine whose
 * program has not started applies it at once; once the program has run, it waits for "New
 * machine" (which starts the program over) and the form says so.
 */
function MachineForm({
  base,
  fresh,
  open,
  setOpen,
}: {
  base: Scenario | null;
  fresh: boolean;
  open: boolean;
  setOpen: (o: boolean) => void;
}) {
  const [api, setApi] = useState<'v3' | 'v5'>(base?.api ?? 'v5');
  const [entries, setEntries] = useState(String(base?.ring.entries ?? 8));
  const [cqEntries, setCqEntries] = useState(base?.ring.cq_entries !== undefined ? String(base.ring.cq_entries) : '');
  const [flags, setFlags] = useState<string[]>(base?.ring.flags ?? []);
  const [sqIdle, setSqIdle] = useState(String(base?.ring.sq_thread_idle ?? 50));
  const [patch2, setPatch2] = useState(base?.config?.patch2_zero_pdu ?? false);
  const [devices, setDevices] = useState<DeviceSpec[]>(base?.devices ?? []);
  const [driver, setDriver] = useState('');
  const [error, setError] = useState<string | null>(null);
  const usable = Object.entries(DRIVERS).filter(([, d]) => !d.hasUringCmd || d.api === api);
  const chosen = usable.some(([n]) => n === driver) ? driver : (usable[0]?.[0] ?? '');
  const pending = devices.filter((d) => !base?.devices?.some((b) => b.name === d.name && b.driver === d.driver));
  const add = () => {
    const d = chosen;
    if (!d) return;
    let n = 0;
    while (devices.some((x) => x.name === `dev${n}`)) n++;
    const next = [...devices, { name: `dev${n}`, driver: d }];
    setDevices(next);
    // Nothing has run yet: the new machine costs nothing, so the device is there at once.
    if (fresh) apply(next);
  };
  const apply = (devs: DeviceSpec[] = devices) => {
    const devices = devs;
    const e = parseInt32(entries, 1, 32768);
    const cq = cqEntries.trim() === '' ? undefined : parseInt32(cqEntries, 1, 65536);
    if (e === null || cq === null) return setError('ring entries: 1 to 32768; CQ entries: empty or 1 to 65536');
    const idle = flags.includes('SQPOLL') ? parseInt32(sqIdle, 0, 60000) : undefined;
    if (idle === null) return setError('SQ thread idle: 0 to 60000 ms');
    const bad = devices.find((d) => DRIVERS[d.driver]?.hasUringCmd && DRIVERS[d.driver]?.api !== api);
    if (bad)
      return setError(
        `${bad.driver} is written against the ${DRIVERS[bad.driver]?.api} API; remove it or switch the API`,
      );
    setError(null);
    const setup: Scenario = {
      format: 'ringside-scenario',
      version: 1,
      id: 'sandbox',
      title: 'Sandbox',
      intro: 'A program written in the sandbox.',
      api,
      ring: {
        entries: e,
        ...(flags.length ? { flags } : {}),
        ...(cq !== undefined ? { cq_entries: cq } : {}),
        ...(idle !== undefined ? { sq_thread_idle: idle } : {}),
      },
      ...(devices.length ? { devices } : {}),
      // v5 is written against 6.19's uring_cmd interface; v3 runs on 6.18 (where its done() loses res2).
      config: { ...(patch2 && api === 'v3' ? { patch2_zero_pdu: true } : {}), kernel: api === 'v5' ? '6.19' : '6.18' },
      program: [{ op: 'reap' }],
    };
    sandboxSetup(setup);
  };
  return (
    <details className="sb-group" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        Machine:{' '}
        {base
          ? `API ${base.api}, ${base.ring.entries} entries${base.ring.flags?.length ? `, ${base.ring.flags.join('|')}` : ''}, ${base.devices?.length ?? 0} device(s)`
          : '…'}
      </summary>
      <div className="segmented" role="group" aria-label="API generation">
        {(['v3', 'v5'] as const).map((a) => (
          <button
            key={a}
            type="button"
            aria-pressed={api === a}
            onClick={() => setApi(a)}
            title={a === 'v3' ? 'RFC v3 (Aug 2025) drivers' : 'v5 (Apr 2026) drivers'}
          >
            API {a}
          </button>
        ))}
      </div>
      <div className="sb-row">
        <Field label="SQ entries">
          <input value={entries} onChange={(e) => setEntries(e.target.value)} inputMode="numeric" size={5} />
        </Field>
        <Field label="CQ entries">
          <input
            value={cqEntries}
            onChange={(e) => setCqEntries(e.target.value)}
            inputMode="numeric"
            size={5}
            placeholder="2×"
          />
        </Field>
      </div>
      <fieldset className="sb-flags">
        <legend>Ring flags</legend>
        {OFFERED_FLAGS.filter((f) => (SETUP_FLAG_NAMES as readonly string[]).includes(f)).map((f) => (
          <label key={f}>
            <input
              type="checkbox"
              checked={flags.includes(f)}
              onChange={(e) => setFlags(e.target.checked ? [...flags, f] : flags.filter((x) => x !== f))}
            />
            {f}
          </label>
        ))}
        {flags.includes('SQPOLL') && (
          <Field label="SQ thread idle (ms)">
            <input
              value={sqIdle}
              onChange={(e) => setSqIdle(e.target.value)}
              inputMode="numeric"
              size={5}
              aria-label="sq_thread_idle"
              title="sq_thread_idle: how long the SQPOLL thread polls with nothing to do before it sleeps (0: 1 s)"
            />
          </Field>
        )}
        {api === 'v3' && (
          <label title="RFC v3 patch 2/5: zero the PDU in io_uring_cmd_prep">
            <input type="checkbox" checked={patch2} onChange={(e) => setPatch2(e.target.checked)} />
            patch 2/5 zeroes the PDU
          </label>
        )}
      </fieldset>
      <ul className="sb-devices" aria-label="Devices">
        {devices.map((d) => (
          <li key={d.name} className={pending.includes(d) ? 'pending' : undefined}>
            <code>/dev/{d.name}</code> {d.driver}
            {pending.includes(d) ? ' (not applied yet)' : ''}
            <button
              type="button"
              aria-label={`Remove /dev/${d.name}`}
              onClick={() => setDevices(devices.filter((x) => x !== d))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="sb-row">
        <select aria-label="Driver" value={chosen} onChange={(e) => setDriver(e.target.value)}>
          {usable.map(([name, d]) => (
            <option key={name} value={name} title={d.summary}>
              {name}
            </option>
          ))}
        </select>
        <button type="button" onClick={add}>
          Add device
        </button>
      </div>
      {pending.length > 0 && (
        <p className="sb-note" role="status" data-testid="pending-devices">
          {pending.map((d) => `/dev/${d.name}`).join(', ')} {pending.length > 1 ? 'are' : 'is'} not on this machine yet:
          “New machine” adds {pending.length > 1 ? 'them' : 'it'} and starts the program over.
        </p>
      )}
      {error && (
        <p className="sb-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="sb-primary" onClick={() => apply()}>
        New machine
      </button>
    </details>
  );
}

function SqeComposer({ vars, bufs, sqe128 }: { vars: Var[]; bufs: string[]; sqe128: boolean }) {
  const [f, setF] = useState<SqeForm>({
    opcode: 'NOP',
    fd: '',
    cmdOp: '',
    userData: '',
    flags: [],
    cmdMode: 'none',
    cmd: '',
    off: '',
    addr: '',
    len: '',
    opFlags: '',
    ioprio: '',
    bufIndex: '',
  });
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<SqeForm>) => setF({ ...f, ...patch });
  const fd = resolveFd(f.fd, vars);
  const fdVar = vars.find((v) => v.name === fd.value);
  const cmdOps = fdVar ? (DRIVERS[fdVar.driver]?.cmdOps ?? []) : Object.keys(DRIVER_CMD_OPS);
  const submit = () => {
    if (fd.error) return setError(fd.error);
    const r = sqeOp(
      { ...f, fd: fd.value, userData: f.userData.trim() === '' ? String(takeUserData()) : f.userData },
      DRIVER_CMD_OPS,
    );
    if (!r.ok) return setError(r.error);
    const problems = checkOp(r.value);
    if (problems.length) return setError(problems.join('; '));
    setError(null);
    if (sandboxOp(r.value)) set({ userData: '' });
  };
  return (
    <fieldset className="sb-group sb-sqe">
      <legend>Compose an SQE</legend>
      <div className="sb-row">
        <Field label="opcode">
          <select
            aria-label="opcode"
            value={OPCODES.includes(f.opcode) ? f.opcode : '__n'}
            onChange={(e) =>
              set({
                opcode: e.target.value === '__n' ? '255' : e.target.value,
                ...(CMD_OPCODES.includes(e.target.value) || RW_OPCODES.includes(e.target.value)
                  ? { fd: f.fd || vars[0]?.name || '' }
                  : {}),
              })
            }
          >
            {OPCODES.map((o) => (
              <option key={o} value={o} disabled={o === 'URING_CMD128' && !sqe128}>
                {o}
              </option>
            ))}
            <option value="__n">number…</option>
          </select>
        </Field>
        {!OPCODES.includes(f.opcode) && (
          <Field label="number">
            <input
              value={f.opcode}
              onChange={(e) => set({ opcode: e.target.value })}
              size={4}
              aria-label="Opcode number"
            />
          </Field>
        )}
        <Field label="fd">
          <input
            list="sb-fds"
            value={f.fd}
            onChange={(e) => set({ fd: e.target.value })}
            size={8}
            placeholder="-1"
            aria-label="fd or device"
            aria-describedby="sb-fd-meaning"
          />
          <datalist id="sb-fds">
            {vars.map((v) => (
              <option key={v.name} value={v.name}>
                {v.device.startsWith('pipe') ? v.device : `/dev/${v.device}`}
              </option>
            ))}
            {vars
              .filter((v) => !v.device.startsWith('pipe'))
              .map((v) => (
                <option key={`path-${v.name}`} value={`/dev/${v.device}`}>
                  {v.name}
                </option>
              ))}
          </datalist>
        </Field>
        <Field label="user_data">
          <input
            value={f.userData}
            onChange={(e) => set({ userData: e.target.value })}
            size={6}
            placeholder="auto"
            inputMode="numeric"
          />
        </Field>
      </div>
      <p id="sb-fd-meaning" className={fd.error ? 'sb-hint sb-error' : 'sb-hint'} data-testid="fd-meaning">
        {fd.error ?? fd.meaning}
      </p>
      {!CMD_OPCODES.includes(f.opcode) && f.opcode !== 'NOP' && OPCODES.includes(f.opcode) && (
        <>
          <div className="sb-row">
            <Field label="addr">
              <input
                value={f.addr ?? ''}
                onChange={(e) => set({ addr: e.target.value })}
                size={7}
                placeholder={bufs[0] ? `&${bufs[0]}` : '0'}
                aria-label="addr"
              />
            </Field>
            <Field label="len">
              <input
                value={f.len ?? ''}
                onChange={(e) => set({ len: e.target.value })}
                size={4}
                placeholder="0"
                aria-label="len"
              />
            </Field>
            <Field label="off">
              <input
                value={f.off ?? ''}
                onChange={(e) => set({ off: e.target.value })}
                size={4}
                placeholder="0"
                aria-label="off"
              />
            </Field>
            <Field label="op_flags">
              <input
                value={f.opFlags ?? ''}
                onChange={(e) => set({ opFlags: e.target.value })}
                size={4}
                placeholder="0"
                aria-label="op_flags"
              />
            </Field>
            {FIXED_OPCODES.includes(f.opcode) && (
              <Field label="buf_index">
                <input
                  value={f.bufIndex ?? ''}
                  onChange={(e) => set({ bufIndex: e.target.value })}
                  size={3}
                  placeholder="0"
                  aria-label="buf_index"
                />
              </Field>
            )}
          </div>
          {NET_OPCODES.includes(f.opcode) && (
            <div className="sb-row">
              <Field label="ioprio">
                <input
                  value={f.ioprio ?? ''}
                  onChange={(e) => set({ ioprio: e.target.value })}
                  size={4}
                  placeholder="0"
                  aria-label="ioprio"
                />
              </Field>
              <Field label="buf_index">
                <input
                  value={f.bufIndex ?? ''}
                  onChange={(e) => set({ bufIndex: e.target.value })}
                  size={4}
                  placeholder="0"
                  aria-label="buf_index"
                />
              </Field>
            </div>
          )}
          {FIELD_HINTS[f.opcode] && <p className="muted sb-hint">{FIELD_HINTS[f.opcode]}</p>}
          {f.opcode === 'ASYNC_CANCEL' && (
            <div className="sb-flags" role="group" aria-label="cancel flags">
              {CANCEL_FLAGS.map(([n, bit, what]) => {
                const cur = parseInt32(f.opFlags || '0', 0, 0xffffffff) ?? 0;
                return (
                  <label key={n} title={`IORING_ASYNC_CANCEL_${n}: ${what}`}>
                    <input
                      type="checkbox"
                      checked={(cur & bit) !== 0}
                      onChange={(e) => set({ opFlags: String((e.target.checked ? cur | bit : cur & ~bit) >>> 0) })}
                    />
                    {n}
                  </label>
                );
              })}
            </div>
          )}
        </>
      )}
      {(CMD_OPCODES.includes(f.opcode) || !OPCODES.includes(f.opcode)) && (
        <Field label="cmd_op">
          <input
            list="sb-cmdops"
            value={f.cmdOp}
            onChange={(e) => set({ cmdOp: e.target.value })}
            placeholder="0"
            aria-label="cmd_op"
          />
          <datalist id="sb-cmdops">
            {cmdOps.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </Field>
      )}
      <div className="sb-flags" role="group" aria-label="SQE flags">
        {SQE_FLAG_NAMES.map((n) => (
          <label key={n}>
            <input
              type="checkbox"
              checked={f.flags.includes(n)}
              onChange={(e) => set({ flags: e.target.checked ? [...f.flags, n] : f.flags.filter((x) => x !== n) })}
            />
            {n}
          </label>
        ))}
      </div>
      <div className="sb-row">
        <Field label="cmd bytes">
          <select
            value={f.cmdMode}
            onChange={(e) => set({ cmdMode: e.target.value as BytesMode })}
            aria-label="Command bytes as"
          >
            <option value="none">none</option>
            <option value="u64">u64 words</option>
            <option value="i32">i32 words</option>
            <option value="hex">hex</option>
          </select>
        </Field>
        {f.cmdMode !== 'none' && (
          <input
            className="sb-wide"
            value={f.cmd}
            onChange={(e) => set({ cmd: e.target.value })}
            placeholder={
              f.cmdMode === 'u64'
                ? bufs[0]
                  ? `&${bufs[0]}, 42`
                  : '1000000, 42'
                : f.cmdMode === 'hex'
                  ? '2a 00 00 00'
                  : '42'
            }
            aria-label="Command bytes"
          />
        )}
      </div>
      {error && (
        <p className="sb-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="sb-primary" onClick={submit}>
        Write SQE
      </button>
    </fieldset>
  );
}

function Syscalls({ inKernel }: { inKernel: boolean }) {
  const [wait, setWait] = useState('0');
  const [min, setMin] = useState('1');
  const [ms, setMs] = useState('1');
  const n = (t: string, hi: number) => parseInt32(t, 0, hi);
  return (
    <fieldset className="sb-group">
      <legend>Syscalls and time</legend>
      <div className="sb-row">
        <button
          type="button"
          disabled={inKernel || n(wait, 65536) === null}
          onClick={() => sandboxOp({ op: 'submit', ...(Number(wait) > 0 ? { wait: Number(wait) } : {}) })}
        >
          Submit
        </button>
        <Field label="and wait for">
          <input
            value={wait}
            onChange={(e) => setWait(e.target.value)}
            size={3}
            inputMode="numeric"
            aria-label="Submit and wait for"
          />
        </Field>
      </div>
      <div className="sb-row">
        <button
          type="button"
          disabled={inKernel || n(min, 65536) === null}
          onClick={() => sandboxOp({ op: 'wait', min: Number(min) })}
        >
          Wait
        </button>
        <Field label="for">
          <input
            value={min}
            onChange={(e) => setMin(e.target.value)}
            size={3}
            inputMode="numeric"
            aria-label="Wait for CQEs"
          />
        </Field>
        <button type="button" disabled={inKernel} onClick={() => sandboxOp({ op: 'reap' })}>
          Reap
        </button>
      </div>
      <div className="sb-row">
        <button
          type="button"
          disabled={inKernel || n(ms, 3_600_000) === null}
          onClick={() => sandboxOp({ op: 'sleep', ms: Number(ms) })}
        >
          Sleep
        </button>
        <button
          type="button"
          disabled={inKernel || n(ms, 3_600_000) === null}
          onClick={() => sandboxOp({ op: 'spin', ms: Number(ms) })}
          title="Busy in user mode: no system call, only timer ticks"
        >
          Compute
        </button>
        <Field label="ms">
          <input
            value={ms}
            onChange={(e) => setMs(e.target.value)}
            size={4}
            inputMode="numeric"
            aria-label="Sleep milliseconds"
          />
        </Field>
        <button type="button" onClick={() => runKernel()} title="Step the kernel until nothing can run">
          Run to idle
        </button>
      </div>
    </fieldset>
  );
}

function Devices({ base, vars, inKernel }: { base: Scenario | null; vars: Var[]; inKernel: boolean }) {
  const [action, setAction] = useState<Record<string, string>>({});
  const [arg, setArg] = useState<Record<string, string>>({});
  const devs = base?.devices ?? [];
  if (!devs.length) return null;
  const nextVar = () => {
    let i = 0;
    while (vars.some((v) => v.name === `fd${i}`)) i++;
    return `fd${i}`;
  };
  return (
    <fieldset className="sb-group">
      <legend>Devices and faults</legend>
      {devs.map((d) => {
        const opened = vars.filter((v) => v.device === d.name);
        const actions = DRIVERS[d.driver]?.actions ?? [];
        return (
          <div key={d.name} className="sb-dev">
            <div className="sb-row">
              <code title={DRIVERS[d.driver]?.summary}>/dev/{d.name}</code>
              <button
                type="button"
                disabled={inKernel}
                onClick={() => sandboxOp({ op: 'open', device: d.name, as: nextVar() })}
              >
                Open
              </button>
            </div>
            {opened.map((v) => (
              <div key={v.name} className="sb-row sb-fd">
                <span>
                  <code>{v.name}</code>
                </span>
                {actions.length > 0 && (
                  <>
                    <select
                      aria-label={`Device action for ${v.name}`}
                      value={action[v.name] ?? actions[0]}
                      onChange={(e) => setAction({ ...action, [v.name]: e.target.value })}
                    >
                      {actions.map((a) => (
                        <option key={a}>{a}</option>
                      ))}
                    </select>
                    <input
                      aria-label={`Argument for ${v.name}`}
                      value={arg[v.name] ?? ''}
                      onChange={(e) => setArg({ ...arg, [v.name]: e.target.value })}
                      size={3}
                      placeholder="arg"
                    />
                    <button
                      type="button"
                      onClick={() => {
                        const a = parseInt32(arg[v.name] ?? '', -2147483648, 2147483647);
                        sandboxOp({
                          op: 'device',
                          fd: v.name,
                          action: action[v.name] ?? (actions[0] as string),
                          ...(a !== null ? { arg: a } : {}),
                        });
                      }}
                    >
                      Poke
                    </button>
                  </>
                )}
                <button type="button" disabled={inKernel} onClick={() => sandboxOp({ op: 'close', fd: v.name })}>
                  Close
                </button>
              </div>
            ))}
          </div>
        );
      })}
    </fieldset>
  );
}

/** Pipes: create one, write() a buffer into its write end, close an end. */
function Pipes({ vars, bufs, inKernel }: { vars: Var[]; bufs: string[]; inKernel: boolean }) {
  const pipes = vars.filter((v) => v.device.startsWith('pipe') || v.device === 'socket');
  const [buf, setBuf] = useState('');
  const create = () => {
    let i = 0;
    while (vars.some((v) => v.name === `pr${i}` || v.name === `pw${i}`)) i++;
    sandboxOp({ op: 'pipe', read_as: `pr${i}`, write_as: `pw${i}` });
  };
  const createPair = () => {
    let i = 0;
    while (vars.some((v) => v.name === `sa${i}` || v.name === `sb${i}`)) i++;
    sandboxOp({ op: 'socketpair', a_as: `sa${i}`, b_as: `sb${i}` });
  };
  return (
    <fieldset className="sb-group">
      <legend>Pipes and sockets</legend>
      <div className="sb-row">
        <button
          type="button"
          disabled={inKernel}
          onClick={create}
          title="pipe(): a read end and a write end to READ and WRITE on"
        >
          New pipe
        </button>
        <button
          type="button"
          disabled={inKernel}
          onClick={createPair}
          title="socketpair(AF_UNIX, SOCK_STREAM): two connected sockets to SEND and RECV on"
        >
          New socket pair
        </button>
      </div>
      {pipes.map((v) => (
        <div key={v.name} className="sb-row sb-fd">
          <span>
            <code>{v.name}</code> {v.device}
          </span>
          {(v.device === 'pipe write end' || v.device === 'socket') && bufs.length > 0 && (
            <>
              <select
                aria-label={`Buffer to write into ${v.name}`}
                value={buf || bufs[0]}
                onChange={(e) => setBuf(e.target.value)}
              >
                {bufs.map((b) => (
                  <option key={b}>{b}</option>
                ))}
              </select>
              <button
                type="button"
                disabled={inKernel}
                onClick={() => sandboxOp({ op: 'write', fd: v.name, buf: buf || (bufs[0] as string) })}
              >
                write()
              </button>
            </>
          )}
          <button type="button" disabled={inKernel} onClick={() => sandboxOp({ op: 'close', fd: v.name })}>
            Close
          </button>
        </div>
      ))}
    </fieldset>
  );
}

function UserMemory({ bufs, inKernel }: { bufs: string[]; inKernel: boolean }) {
  const [name, setName] = useState('buf');
  const [size, setSize] = useState('16');
  const [target, setTarget] = useState('');
  const [offset, setOffset] = useState('0');
  const [mode, setMode] = useState<BytesMode>('i32');
  const [data, setData] = useState('42');
  const [error, setError] = useState<string | null>(null);
  const alloc = () => {
    const n = parseInt32(size, 1, 4096);
    if (n === null) return setError('size: 1 to 4096 bytes');
    setError(null);
    if (sandboxOp({ op: 'alloc', as: name.trim(), size: n })) setTarget(name.trim());
  };
  const write = () => {
    const b = parseBytes(mode, data);
    const off = parseInt32(offset, 0, 4095);
    if (!b.ok) return setError(b.error);
    if (off === null) return setError('offset: 0 to 4095');
    setError(null);
    sandboxOp({ op: 'write_user', target: target || bufs[0] || '', offset: off, data: b.value ?? { hex: '' } });
  };
  return (
    <fieldset className="sb-group">
      <legend>User memory</legend>
      <div className="sb-row">
        <input aria-label="Buffer name" value={name} onChange={(e) => setName(e.target.value)} size={6} />
        <input
          aria-label="Buffer size"
          value={size}
          onChange={(e) => setSize(e.target.value)}
          size={4}
          inputMode="numeric"
        />
        <button type="button" disabled={inKernel} onClick={alloc}>
          Allocate
        </button>
      </div>
      {bufs.length > 0 && (
        <div className="sb-row">
          <select aria-label="Buffer to write" value={target || bufs[0]} onChange={(e) => setTarget(e.target.value)}>
            {bufs.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
          <input aria-label="Offset" value={offset} onChange={(e) => setOffset(e.target.value)} size={3} />
          <select aria-label="Data as" value={mode} onChange={(e) => setMode(e.target.value as BytesMode)}>
            <option value="i32">i32</option>
            <option value="u64">u64</option>
            <option value="hex">hex</option>
          </select>
          <input aria-label="Data" className="sb-wide" value={data} onChange={(e) => setData(e.target.value)} />
          <button type="button" disabled={inKernel} onClick={write}>
            Write
          </button>
        </div>
      )}
      {bufs.length > 0 && (
        <div className="sb-row">
          <button
            type="button"
            disabled={inKernel}
            title="io_uring_register(IORING_REGISTER_BUFFERS) with every buffer, in the order they were allocated: buf_index 0, 1, ..."
            onClick={() => sandboxOp({ op: 'register_buffers', bufs: bufs.slice(0, 16) })}
          >
            Register buffers
          </button>
          <button
            type="button"
            disabled={inKernel}
            title="io_uring_register(IORING_UNREGISTER_BUFFERS)"
            onClick={() => sandboxOp({ op: 'unregister_buffers' })}
          >
            Unregister
          </button>
        </div>
      )}
      {error && (
        <p className="sb-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** At most this many operations of the program are listed at once. */
const PROGRAM_SHOWN = 200;

const ProgramItem = memo(function ProgramItem({ frame, op, past }: { frame: number; op: Op; past: boolean }) {
  return (
    <li className={past ? 'past' : 'future'}>
      <button type="button" onClick={() => seek(frame)} title={`Go to step ${frame}`}>
        <span className="sb-at">{frame}</span> {describeOp(op)}
      </button>
    </li>
  );
});

function Program() {
  const models = useSim((s) => s.models);
  const frames = useSim((s) => s.frames);
  const program = useMemo(() => programOf(models, frames), [models, frames]);
  const cursor = useSim((s) => s.cursor);
  // A long session lists the operations around the cursor (the DOM stays small; the rest is
  // counted), so a seek or a playback step restyles a few hundred rows, not every operation.
  let at = 0;
  for (let lo = 0, hi = program.length; lo < hi;) {
    const mid = (lo + hi) >> 1;
    if ((program[mid] as { frame: number }).frame <= cursor) lo = mid + 1;
    else hi = mid;
    at = lo;
  }
  const from = Math.max(0, Math.min(at - PROGRAM_SHOWN / 2, program.length - PROGRAM_SHOWN));
  const shown = program.length > PROGRAM_SHOWN ? program.slice(from, from + PROGRAM_SHOWN) : program;
  const later = program.length > PROGRAM_SHOWN ? program.length - from - shown.length : 0;
  return (
    <fieldset className="sb-group">
      <legend>The program so far</legend>
      {program.length === 0 ? (
        <p className="muted">Nothing yet: every action above becomes one operation of the scenario.</p>
      ) : (
        <ol className="sb-program" data-testid="sandbox-program">
          {program.length > PROGRAM_SHOWN && from > 0 && <li className="muted sb-more">… {from} earlier operations</li>}
          {shown.map(({ frame, op }) => (
            <ProgramItem key={frame} frame={frame} op={op} past={frame <= cursor} />
          ))}
          {later > 0 && <li className="muted sb-more">… {later} later operations</li>}
        </ol>
      )}
    </fieldset>
  );
}

function SandboxComponent() {
  const base = useSim((s) => s.base);
  const ready = useSim(selReady);
  const inKernel = useSim(selInKernel);
  const models = useSim((s) => s.models);
  const cursor = useSim((s) => s.cursor);
  // Variables and buffers bound by the program up to the cursor.
  const { vars, bufs } = useMemo(() => {
    const v = new Map<string, Var>();
    const b = new Set<string>();
    for (let i = 1; i <= cursor; i++) {
      const op = models[i]?.op;
      if (!op) continue;
      if (op.op === 'open')
        v.set(op.as, {
          name: op.as,
          device: op.device,
          driver: base?.devices?.find((d) => d.name === op.device)?.driver ?? '',
        });
      if (op.op === 'pipe') {
        v.set(op.read_as, { name: op.read_as, device: 'pipe read end', driver: '' });
        v.set(op.write_as, { name: op.write_as, device: 'pipe write end', driver: '' });
      }
      if (op.op === 'socketpair') {
        v.set(op.a_as, { name: op.a_as, device: 'socket', driver: '' });
        v.set(op.b_as, { name: op.b_as, device: 'socket', driver: '' });
      }
      if (op.op === 'close') v.delete(op.fd);
      if (op.op === 'alloc') b.add(op.as);
    }
    return { vars: [...v.values()], bufs: [...b] };
  }, [models, cursor, base]);
  const sqe128 = base?.ring.flags?.includes('SQE128') ?? false;
  const frames = useSim((s) => s.frames);
  const fresh = useMemo(() => programOf(models, frames).length === 0, [models, frames]);
  const [machineOpen, setMachineOpen] = useState(false);
  return (
    <aside className="sandbox" aria-label="Sandbox">
      <header className="sb-head">
        <h2>Sandbox</h2>
        <button
          type="button"
          onClick={() => setSandbox(false)}
          aria-label="Close the sandbox"
          title="Close the sandbox"
        >
          ×
        </button>
      </header>
      {!ready ? (
        <p className="muted">The simulator is not running.</p>
      ) : (
        <>
          <MachineForm
            key={JSON.stringify(base?.ring) + JSON.stringify(base?.devices) + base?.api}
            base={base}
            fresh={fresh}
            open={machineOpen}
            setOpen={setMachineOpen}
          />
          <Devices base={base} vars={vars} inKernel={inKernel} />
          <SqeComposer vars={vars} bufs={bufs} sqe128={sqe128} />
          <Syscalls inKernel={inKernel} />
          <Pipes vars={vars} bufs={bufs} inKernel={inKernel} />
          <UserMemory bufs={bufs} inKernel={inKernel} />
          <fieldset className="sb-group">
            <legend>Pressure and teardown</legend>
            <div className="sb-row">
              <button
                type="button"
                disabled={inKernel}
                onClick={fillCq}
                title="Write and submit NOPs until the CQ is full and one CQE overflows"
              >
                Fill the CQ
              </button>
              <button
                type="button"
                disabled={inKernel}
                onClick={() => sandboxOp({ op: 'exit' })}
                title="io_uring_queue_exit(): close the ring; its exit work cancels what is in flight"
              >
                Tear down the ring
              </button>
            </div>
          </fieldset>
          <Program />
        </>
      )}
    </aside>
  );
}

export const Sandbox = memo(SandboxComponent);
Sandbox.displayName = 'Sandbox';
