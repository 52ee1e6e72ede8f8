/**
 * The raw exports of `core.wasm`.
 *
 * Must match `core-rs/src/ffi/exports.rs`. Pointers are wasm32 addresses (`number`, apply
 * `>>> 0`); `u64` results arrive as `bigint`.
 */
export interface CoreExports extends WebAssembly.Exports {
  memory: WebAssembly.Memory;
  rs_abi_version(): number;
  rs_init(cfg: number): void;
  rs_user_mem_base(): number;
  rs_user_mem_len(): number;
  rs_user_wrote(addr: number, len: number): void;
  io_uring_setup(entries: number, params: number): number;
  rs_mmap(fd: number, offset: number): number;
  rs_mmap_len(fd: number, offset: number): number;
  rs_enter_begin(fd: number, toSubmit: number, minComplete: number, flags: number, arg: number, argsz: number): number;
  io_uring_enter(fd: number, toSubmit: number, minComplete: number, flags: number, arg: number, argsz: number): number;
  rs_step(): number;
  rs_task_state(): number;
  rs_last_ret(): number;
  rs_step_count(): number;
  rs_clock_ns(): bigint;
  rs_trace_ptr(): number;
  rs_trace_len(): number;
  rs_trace_clear(): void;
  rs_trace_enable(on: number): void;
  rs_close(fd: number): number;
  rs_req_count(ringFd: number): number;
  rs_req_info(ringFd: number, idx: number): number;
}

/** Names of every export the glue relies on; `loadCore` refuses a module missing one. */
export const REQUIRED_EXPORTS: readonly (keyof CoreExports)[] = [
  'memory', 'rs_abi_version', 'rs_init', 'rs_user_mem_base', 'rs_user_mem_len', 'rs_user_wrote',
  'io_uring_setup', 'rs_mmap', 'rs_mmap_len', 'rs_enter_begin', 'io_uring_enter', 'rs_step',
  'rs_task_state', 'rs_last_ret', 'rs_step_count', 'rs_clock_ns', 'rs_trace_ptr', 'rs_trace_len',
  'rs_trace_clear', 'rs_trace_enable', 'rs_close', 'rs_req_count', 'rs_req_info',
];
