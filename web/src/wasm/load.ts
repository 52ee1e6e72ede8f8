/**
 * Loading and owning one instance of the core.
 *
 * One contract for both environments: in the browser the module is compiled with
 * `WebAssembly.instantiateStreaming(fetch(url))`; under Node the caller passes the bytes read
 * from disk (`web/src/wasm/node.ts`). Either way the result is a {@link Core}. The package
 * entry (`web/src/pkg/index.ts`, imported as `ringside-core`) picks among these for a URL,
 * bytes or a compiled module.
 *
 * After a trap (a simulator bug), the instance is marked dead with the panic text the module
 * sent through `env.host_panic`, and every later call throws {@link CoreDeadError} instead of
 * entering the broken instance again.
 */
import { ABI_VERSION } from './abi.generated';
import { type CoreExports, REQUIRED_EXPORTS } from './exports';

/** Thrown when calling into an instance that has trapped. */
export class CoreDeadError extends Error {
  constructor(readonly panic: string) {
    super(`the simulator core stopped: ${panic}`);
    this.name = 'CoreDeadError';
  }
}

/** A live core instance plus views over its memory. */
export class Core {
  readonly exports: CoreExports;
  panicMessage: string | null = null;
  private buf: ArrayBuffer | null = null;
  private dv: DataView | null = null;
  private u8v: Uint8Array | null = null;

  constructor(exports: CoreExports, panicBox: { msg: string | null }) {
    this.exports = exports;
    this.panicBox = panicBox;
  }

  private readonly panicBox: { msg: string | null };

  /** Whether the instance has trapped. */
  get dead(): boolean {
    return this.panicMessage !== null;
  }

  /** A `DataView` over the whole linear memory, rebuilt after the memory grows. */
  view(): DataView {
    const b = this.exports.memory.buffer;
    if (b !== this.buf || !this.dv) this.refresh(b);
    return this.dv as DataView;
  }

  /** A `Uint8Array` over the whole linear memory, rebuilt after the memory grows. */
  u8(): Uint8Array {
    const b = this.exports.memory.buffer;
    if (b !== this.buf || !this.u8v) this.refresh(b);
    return this.u8v as Uint8Array;
  }

  private refresh(b: ArrayBuffer) {
    this.buf = b;
    this.dv = new DataView(b);
    this.u8v = new Uint8Array(b);
  }

  /**
   * Calls into the module, turning a trap into {@link CoreDeadError}.
   *
   * @throws CoreDeadError if the instance is, or becomes, dead.
   */
  call<T>(f: (e: CoreExports) => T): T {
    if (this.panicMessage !== null) throw new CoreDeadError(this.panicMessage);
    try {
      return f(this.exports);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        this.panicMessage = this.panicBox.msg ?? err.message;
        throw new CoreDeadError(this.panicMessage);
      }
      throw err;
    }
  }
}

function makeImports(panicBox: { msg: string | null }, getMemory: () => WebAssembly.Memory | null) {
  return {
    env: {
      host_panic(ptr: number, len: number) {
        ptr >>>= 0;
        len >>>= 0;
        const mem = getMemory();
        panicBox.msg = mem ? new TextDecoder().decode(new Uint8Array(mem.buffer, ptr, len)) : 'panic';
      },
    },
  };
}

function finish(instance: WebAssembly.Instance, panicBox: { msg: string | null }): Core {
  const ex = instance.exports as Partial<CoreExports>;
  for (const name of REQUIRED_EXPORTS) {
    if (!(name in ex)) throw new Error(`core.wasm lacks the export ${name}`);
  }
  const e = ex as CoreExports;
  const v = e.rs_abi_version();
  if (v !== ABI_VERSION) throw new Error(`core.wasm speaks ABI ${v}, this page expects ${ABI_VERSION}`);
  return new Core(e, panicBox);
}

/** Instantiates the core from bytes (Node, tests, uploads). */
export async function loadCoreFromBytes(bytes: BufferSource): Promise<Core> {
  const panicBox = { msg: null as string | null };
  let mem: WebAssembly.Memory | null = null;
  const { instance } = await WebAssembly.instantiate(
    bytes,
    makeImports(panicBox, () => mem),
  );
  mem = (instance.exports as unknown as CoreExports).memory;
  return finish(instance, panicBox);
}

/** A new instance of a compiled module, with its own memory. */
export async function instantiateCore(module: WebAssembly.Module): Promise<Core> {
  const panicBox = { msg: null as string | null };
  let mem: WebAssembly.Memory | null = null;
  const instance = await WebAssembly.instantiate(
    module,
    makeImports(panicBox, () => mem),
  );
  mem = (instance.exports as unknown as CoreExports).memory;
  return finish(instance, panicBox);
}

/** Instantiates the core from a URL with streaming compilation (browser). */
export async function loadCoreFromUrl(url: string): Promise<Core> {
  const panicBox = { msg: null as string | null };
  let mem: WebAssembly.Memory | null = null;
  const imports = makeImports(panicBox, () => mem);
  let instance: WebAssembly.Instance;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url}: HTTP ${res.status}`);
  if (
    typeof WebAssembly.instantiateStreaming === 'function' &&
    res.headers.get('content-type')?.includes('application/wasm')
  ) {
    instance = (await WebAssembly.instantiateStreaming(res, imports)).instance;
  } else {
    instance = (await WebAssembly.instantiate(await res.arrayBuffer(), imports)).instance;
  }
  mem = (instance.exports as unknown as CoreExports).memory;
  return finish(instance, panicBox);
}
