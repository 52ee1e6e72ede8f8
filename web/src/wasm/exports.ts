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
  // core-rs/src/ffi/ring_exports.rs
  io_uring_register(fd: number, opcode: number, arg: number, nrArgs: number): number;
  rs_run_until_idle(maxSteps: number): number;
  rs_advance_clock(ns: bigint): number;
  rs_sleep_begin(ns: bigint): void;
  rs_spin(ns: bigint): number;
  rs_sys_openat(path: number, pathLen: number, flags: number): number;
  rs_sys_mkdirat(path: number, pathLen: number): number;
  rs_sys_pipe2(fds: number, flags: number): number;
  rs_sys_eventfd2(initval: number, flags: number): number;
  rs_sys_epoll_create1(flags: number): number;
  rs_sys_memfd_create(name: number, nameLen: number, flags: number): number;
  rs_sys_socket(domain: number, type: number, protocol: number): number;
  rs_sys_socketpair(domain: number, type: number, protocol: number, sv: number): number;
  rs_sys_bind(fd: number, addr: number, addrlen: number): number;
  rs_sys_listen(fd: number, backlog: number): number;
  rs_sys_connect(fd: number, addr: number, addrlen: number): number;
  rs_sys_accept4(fd: number, flags: number): number;
  rs_sys_getsockname(fd: number, addr: number, addrlen: number): number;
  rs_sys_read(fd: number, buf: number, count: number): number;
  rs_sys_write(fd: number, buf: number, count: number): number;
  rs_sys_sendto(fd: number, buf: number, len: number, flags: number): number;
  rs_sys_recvfrom(fd: number, buf: number, len: number, flags: number): number;
  rs_sys_ioctl(fd: number, cmd: number, arg: number): number;
  rs_sys_fcntl(fd: number, cmd: number, arg: number): number;
  rs_sys_getsockopt(fd: number, level: number, optname: number, optval: number, optlen: number): number;
  rs_sys_setsockopt(fd: number, level: number, optname: number, optval: number, optlen: number): number;
}

/**
 * Exports for misc devices, device pokes, the kernel log and provenance arrays.
 *
 * Must match `core-rs/src/ffi/cmd_exports.rs`. Optional: callers feature-detect them
 * ({@link hasCmdExports}), so a page still loads an older core.
 */
export interface CmdExports {
  /** Registers `/dev/<name>` driven by driver `<driver>` (UTF-8 strings in user memory); 0 or -errno. */
  rs_dev_register(namePtr: number, nameLen: number, driverPtr: number, driverLen: number): number;
  /** Opens `/dev/<name>` through the driver's `open`; fd or -errno. */
  rs_dev_open(namePtr: number, nameLen: number): number;
  /** A driver-specific device poke (`complete_now`, `fail_next`, `stall`, `dispatch`); result or -errno. */
  rs_dev_ctl(fd: number, actionPtr: number, actionLen: number, arg: number): number;
  /** Address of kernel log message `id` (UTF-8), or 0. */
  rs_log_ptr(id: number): number;
  /** Length of kernel log message `id`. */
  rs_log_len(id: number): number;
  /** Address of the user-memory provenance array (one PROV_NAMES index per byte). */
  rs_user_prov_ptr(): number;
  /** Address of the user-memory source array (one u32 `file << 16 | line` per byte). */
  rs_user_src_ptr(): number;
  /** Address of a ring's SQE-array provenance (one PROV_NAMES index per byte), or 0. */
  rs_sqe_prov_ptr(ringFd: number): number;
}

/** Names of the optional exports of {@link CmdExports}. */
export const CMD_EXPORTS: readonly (keyof CmdExports)[] = [
  'rs_dev_register', 'rs_dev_open', 'rs_dev_ctl', 'rs_log_ptr', 'rs_log_len', 'rs_user_prov_ptr',
  'rs_user_src_ptr', 'rs_sqe_prov_ptr',
];

/** Whether the module has every export of {@link CmdExports}. */
export function hasCmdExports(e: WebAssembly.Exports): e is WebAssembly.Exports & CmdExports {
  return CMD_EXPORTS.every((n) => typeof (e as Record<string, unknown>)[n] === 'function');
}

/** Names of every export the glue relies on; `loadCore` refuses a module missing one. */
export const REQUIRED_EXPORTS: readonly (keyof CoreExports)[] = [
  'memory', 'rs_abi_version', 'rs_init', 'rs_user_mem_base', 'rs_user_mem_len', 'rs_user_wrote',
  'io_uring_setup', 'rs_mmap', 'rs_mmap_len', 'rs_enter_begin', 'io_uring_enter', 'rs_step',
  'rs_task_state', 'rs_last_ret', 'rs_step_count', 'rs_clock_ns', 'rs_trace_ptr', 'rs_trace_len',
  'rs_trace_clear', 'rs_trace_enable', 'rs_close', 'rs_req_count', 'rs_req_info',
  'io_uring_register', 'rs_run_until_idle', 'rs_advance_clock', 'rs_sleep_begin', 'rs_spin', 'rs_sys_openat', 'rs_sys_mkdirat',
  'rs_sys_pipe2', 'rs_sys_eventfd2', 'rs_sys_epoll_create1', 'rs_sys_memfd_create', 'rs_sys_socket',
  'rs_sys_socketpair', 'rs_sys_bind', 'rs_sys_listen', 'rs_sys_connect', 'rs_sys_accept4',
  'rs_sys_getsockname', 'rs_sys_read', 'rs_sys_write', 'rs_sys_sendto', 'rs_sys_recvfrom',
  'rs_sys_ioctl', 'rs_sys_fcntl', 'rs_sys_getsockopt', 'rs_sys_setsockopt',
];
