/**
 * `ringside record --out FILE -- PROGRAM [ARGS]`: runs any program and records the io_uring
 * tracepoints of it, its threads and children, and their io_uring threads (io-wq workers, SQ
 * threads), into a kernel recording the app opens (docs/tracepoints.md).
 *
 * Needs root and tracefs; without them it says why and exits 3 without running the program.
 * The program's own exit status is kept in the file; `ringside record` exits 0 when the file was
 * written, 1 on an error of its own, 2 on bad usage.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { arch, release, version } from 'node:os';
import { resolve } from 'node:path';
import {
  makeNamer,
  openInstance,
  parseTraceText,
  selectTree,
  toTracepoint,
  unavailableReason,
} from '../conformance/tracefs.mjs';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type KernelRecording,
  type RecordedThread,
} from '../web/src/recording/format';

const USAGE = 'usage: ringside record --out FILE [--buffer-kb N] -- PROGRAM [ARGS]';
export const EXIT_UNAVAILABLE = 3;

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const stdio: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

interface Opts {
  out: string;
  bufferKb: number;
  argv: string[];
}

function parse(args: string[]): Opts | string {
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  const argv = dash < 0 ? [] : args.slice(dash + 1);
  let out: string | undefined;
  let bufferKb = 16384;
  for (let i = 0; i < own.length; i++) {
    const a = own[i] as string;
    if (a === '--out') out = own[++i];
    else if (a === '--buffer-kb') {
      bufferKb = Number(own[++i]);
      if (!Number.isInteger(bufferKb) || bufferKb < 64 || bufferKb > 1 << 20)
        return '--buffer-kb takes an integer 64..1048576';
    } else return `unknown argument ${a}`;
  }
  if (!out) return 'missing --out FILE';
  if (!argv.length) return 'missing -- PROGRAM';
  return { out: resolve(out), bufferKb, argv };
}

function run(argv: string[]): Promise<{ pid: number; status: number | null; signal: string | null }> {
  return new Promise((res, rej) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
    child.on('error', rej);
    child.on('exit', (status, signal) => res({ pid: child.pid ?? -1, status, signal }));
  });
}

/** Builds the recording from the instance's text: the program's tree only, pointers named. */
export function buildRecording(
  text: string,
  rootPid: number,
  meta: Omit<KernelRecording, 'format' | 'format_version' | 'threads' | 'events' | 't0_ns'>,
): KernelRecording {
  const kept = selectTree(parseTraceText(text), rootPid);
  const name = makeNamer();
  const t0 = kept.length ? kept[0]!.tsNs : 0n;
  const threads = new Map<number, RecordedThread>();
  const events = kept.map((e) => {
    let th = threads.get(e.tid);
    if (!th) threads.set(e.tid, (th = { tid: e.tid, name: e.comm, ctx: e.ctx, events: 0 }));
    th.events++;
    return toTracepoint(e, name, { ts_ns: Number(e.tsNs - t0), tid: e.tid }) as KernelRecording['events'][number];
  });
  return {
    format: RECORDING_FORMAT,
    format_version: RECORDING_VERSION,
    ...meta,
    t0_ns: t0.toString(),
    threads: [...threads.values()],
    events,
  };
}

/** The recording as JSON text: one thread and one event per line. */
export function formatRecording(r: KernelRecording): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if ((k === 'events' || k === 'threads') && Array.isArray(v) && v.length) {
      lines.push(`  ${JSON.stringify(k)}:[\n${v.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`);
    } else lines.push(`  ${JSON.stringify(k)}:${JSON.stringify(v)}`);
  }
  return `{\n${lines.join(',\n')}\n}\n`;
}

export async function main(args: string[], io: Io = stdio): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const opts = parse(args);
  if (typeof opts === 'string') {
    io.err(`ringside record: ${opts}\n${USAGE}\n`);
    return 2;
  }
  const why = unavailableReason();
  if (why) {
    io.err(`ringside record: cannot capture io_uring tracepoints: ${why}; nothing recorded\n`);
    return EXIT_UNAVAILABLE;
  }
  let inst;
  try {
    inst = openInstance(`ringside-prog-${process.pid}`, opts.bufferKb);
  } catch (e) {
    io.err(`ringside record: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const started = new Date().toISOString();
    let result;
    try {
      result = await run(opts.argv);
    } catch (e) {
      io.err(`ringside record: cannot run ${opts.argv[0]}: ${(e as Error).message}\n`);
      return 1;
    }
    const text = inst.read();
    const lost = inst.overruns();
    const rec = buildRecording(text, result.pid, {
      program: opts.argv,
      exit_status: result.status,
      ...(result.signal ? { signal: result.signal } : {}),
      started,
      kernel: {
        sysname: 'Linux',
        release: release(),
        version: version(),
        machine: arch() === 'x64' ? 'x86_64' : arch(),
      },
      clock: 'CLOCK_MONOTONIC',
      tracepoints_captured: inst.captured,
      lost_events: lost,
    });
    writeFileSync(opts.out, formatRecording(rec));
    const rings = new Set(rec.events.map((e) => e.ring).filter(Boolean)).size;
    io.out(
      `ringside record: ${rec.events.length} tracepoints from ${rec.threads.length} threads on ${rings} rings into ${opts.out}` +
        `${lost ? ` (${lost} events lost: buffer overrun; try --buffer-kb)` : ''}; ${opts.argv[0]} exited with ${result.signal ?? result.status}\n`,
    );
    return 0;
  } finally {
    inst.close();
  }
}
