/**
 * `ringside-core`: the Ringside simulator core as a package (the shape wasm-pack gives a crate).
 *
 * This module is the package's entry: `scripts/build-pkg.mjs` compiles it, with the TypeScript
 * glue it re-exports, into `pkg/ringside_core.js` + `pkg/ringside_core.d.ts` next to the module
 * `pkg/ringside_core_bg.wasm`. The app imports the same module as `ringside-core`.
 *
 * The surface is what a consumer needs, nothing more:
 *
 * - load: {@link init} (one ready machine), or {@link compileCore} once and
 *   {@link instantiateCore} per instance;
 * - create a ring and submit SQEs: {@link UserMemory} (the process's memory), {@link IoUring}
 *   (liburing's calls), {@link Sqe} and the `prep*` helpers; misc devices for `uring_cmd`:
 *   {@link registerDevice}, {@link openDevice};
 * - run: `io_uring_enter` through {@link IoUring} (`submit`, `submitAndWait`), or step by step
 *   with `core.call((e) => e.rs_step())`;
 * - reap CQEs: {@link IoUring.reap}, {@link IoUring.peekCqe};
 * - read the decoded trace: {@link drainTrace} and {@link eventArgs} (typed fields of each
 *   event; {@link recordFields} prints them as the text trace does), with the constants and
 *   name tables of {@link abi}.
 *
 * The rings stay in the module's linear memory: `IoUring` reads and writes them in place, as a
 * process does its mmap'd rings. Layouts, constants and event fields come from the files
 * `core-rs` generates (`abi.generated.ts`, `events.generated.ts`, `exports.generated.ts`).
 */
import type { UserMemory } from '../uring/userMemory';
import { type CmdExports, hasCmdExports } from '../wasm/exports';
import { type Core, instantiateCore, loadCoreFromBytes, loadCoreFromUrl } from '../wasm/load';

export { Core, CoreDeadError, instantiateCore } from '../wasm/load';
export type { CoreExports, CmdExports } from '../wasm/exports';
export { hasCmdExports };
export {
  IoUring,
  UringError,
  type Cqe,
  type Probe,
  type ProbeOp,
  type QueueInitOptions,
  type RingOffsets,
  type SetupParams,
  type SetupResult,
  type Timespec,
} from '../uring/IoUring';
export { Sqe, prepNop, prepNopFlags, prepUringCmd, sqeSetData64, sqeSetFlags } from '../uring/sqe';
export { UserMemory, OutOfUserMemory } from '../uring/userMemory';
export { Libc, type IntResult } from '../uring/libc';
export { drainTrace, decodeRecords, splitStates, type StateChange, type TraceEvent } from '../wasm/decode';
export {
  eventArgs,
  recordFields,
  EVENT_INFO,
  type EventArgs,
  type EventFields,
  type EventName,
  type FormatOptions,
} from '../wasm/events.generated';
export * as abi from '../wasm/abi.generated';

/** File name of the module, next to this one in the package (wasm-pack's `<crate>_bg.wasm`). */
export const WASM_FILE = 'ringside_core_bg.wasm';

/**
 * Where the module is: a URL (`http(s):`, `file:`, relative to the page), its bytes, or an
 * already compiled module. {@link init} and {@link compileCore} default to the `.wasm` file
 * next to this module.
 */
export type CoreSource = URL | string | BufferSource | WebAssembly.Module;

/** Options of {@link init}: the machine `rs_init` creates. */
export interface InitOptions {
  /** Apply RFC v3 patch 2/5 (zero the PDU in `io_uring_cmd_prep`). Default false. */
  patch2?: boolean;
  /** Follow the 6.19 uring_cmd interface (the Rust v5 series' base) instead of 6.18. */
  kernel?: '6.18' | '6.19';
}

/** The URL of the package's `.wasm`, relative to this module. */
export function defaultWasmUrl(): URL {
  // A variable, not a literal: bundlers must not try to resolve the file next to the source.
  const file: string = WASM_FILE;
  return new URL(file, import.meta.url);
}

function toUrl(src: URL | string): URL {
  if (src instanceof URL) return src;
  const base = typeof document !== 'undefined' ? document.baseURI : import.meta.url;
  return new URL(src, base);
}

/** Reads a `file:` URL with Node's `fs` (loaded only when needed: browsers never reach it). */
async function readFileUrl(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as {
    readFile(p: URL): Promise<Uint8Array<ArrayBuffer>>;
  };
  return fs.readFile(url);
}

/**
 * Compiles the module once, so that any number of instances can be made from it without
 * another request ({@link instantiateCore}): over HTTP with `WebAssembly.compileStreaming`
 * (falling back to bytes when the server does not say `application/wasm`), from a `file:` URL
 * by reading the file (Node).
 */
export async function compileCore(src: CoreSource = defaultWasmUrl()): Promise<WebAssembly.Module> {
  if (src instanceof WebAssembly.Module) return src;
  if (typeof src !== 'string' && !(src instanceof URL)) return WebAssembly.compile(src);
  const url = toUrl(src);
  if (url.protocol === 'file:') return WebAssembly.compile(await readFileUrl(url));
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url.href}: HTTP ${res.status}`);
  if (
    typeof WebAssembly.compileStreaming === 'function' &&
    res.headers.get('content-type')?.includes('application/wasm')
  ) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

/**
 * Loads the module and returns a ready machine (`rs_init` done): over HTTP with
 * `WebAssembly.instantiateStreaming` (with a fallback), from a `file:` URL by reading the file
 * (Node), or from bytes or a compiled module.
 *
 * @throws Error when the module cannot be fetched, lacks an export or speaks another ABI.
 */
export async function init(src: CoreSource = defaultWasmUrl(), opts: InitOptions = {}): Promise<Core> {
  let core: Core;
  if (src instanceof WebAssembly.Module) core = await instantiateCore(src);
  else if (typeof src !== 'string' && !(src instanceof URL)) core = await loadCoreFromBytes(src);
  else {
    const url = toUrl(src);
    core = url.protocol === 'file:' ? await loadCoreFromBytes(await readFileUrl(url)) : await loadCoreFromUrl(url.href);
  }
  const cfg = (opts.patch2 ? 1 : 0) | (opts.kernel === '6.19' ? 2 : 0);
  core.call((e) => e.rs_init(cfg));
  return core;
}

function cmdExports(core: Core): CmdExports {
  const ex = core.exports;
  if (!hasCmdExports(ex)) throw new Error('this core.wasm has no misc-device exports');
  return ex;
}

function userString(mem: UserMemory, s: string): [number, number] {
  const b = new TextEncoder().encode(s);
  const a = mem.alloc(Math.max(1, b.length));
  mem.write(a, b);
  return [a, b.length];
}

/**
 * Loads driver `driver` (a key of `abi.DRIVERS`, e.g. `rust_misc_device_v3`) and registers
 * misc device `/dev/<name>` with it. Returns 0 or a negative errno (`-ENOENT` for an unknown
 * driver, `-EEXIST` for a name in use, `-EINVAL` for a malformed name).
 */
export function registerDevice(core: Core, mem: UserMemory, name: string, driver: string): number {
  const [n, nl] = userString(mem, name);
  const [d, dl] = userString(mem, driver);
  const ex = cmdExports(core);
  return core.call(() => ex.rs_dev_register(n, nl, d, dl));
}

/** `open("/dev/<name>")` of a registered misc device: the fd, or a negative errno. */
export function openDevice(core: Core, mem: UserMemory, name: string): number {
  const [n, nl] = userString(mem, name);
  const ex = cmdExports(core);
  return core.call(() => ex.rs_dev_open(n, nl));
}
