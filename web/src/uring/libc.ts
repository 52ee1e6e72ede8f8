/**
 * The libc calls a liburing program makes besides io_uring's: creating files, pipes and
 * sockets, reading, writing, ioctl and socket options.
 *
 * Each function is the thin libc wrapper of one system call of the simulated kernel and keeps
 * its contract, except that failures are returned as the negative errno (`-EBADF`) instead of
 * `-1` plus `errno`, as liburing's own `__sys_*` wrappers do. Arguments that are pointers in C
 * (paths, buffers, `int *`) are placed in the process's user memory by the wrapper.
 *
 * @see core-rs/src/linux/syscalls.rs
 */
import { AF_INET, INADDR_LOOPBACK, SOCKADDR_IN_SIZE } from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import type { UserMemory } from './userMemory';

/** A result that carries a value besides the return code (`int` out-parameters). */
export interface IntResult {
  ret: number;
  value: number;
}

/** The libc of one process, bound to a core and its user memory. */
export class Libc {
  private scratchAddr = 0;
  private scratchLen = 0;

  constructor(
    private readonly core: Core,
    private readonly mem: UserMemory,
  ) {}

  /** A user buffer of at least `len` bytes, reused between calls (its content is not kept). */
  scratch(len: number): number {
    if (len > this.scratchLen) {
      this.scratchLen = Math.max(len, 4096);
      this.scratchAddr = this.mem.alloc(this.scratchLen, 16);
    }
    return this.scratchAddr;
  }

  private str(s: string): [number, number] {
    const b = new TextEncoder().encode(s);
    const a = this.mem.alloc(Math.max(1, b.length));
    this.mem.write(a, b);
    return [a, b.length];
  }

  private intCell(v = 0): number {
    const a = this.mem.alloc(4, 4);
    this.mem.writeI32(a, v);
    return a;
  }

  /** `openat(AT_FDCWD, path, flags)`: returns the fd or a negative errno. */
  openat(path: string, flags: number): number {
    const [a, n] = this.str(path);
    return this.core.call((e) => e.rs_sys_openat(a, n, flags >>> 0));
  }

  /** `mkdirat(AT_FDCWD, path, 0755)`. */
  mkdir(path: string): number {
    const [a, n] = this.str(path);
    return this.core.call((e) => e.rs_sys_mkdirat(a, n));
  }

  /** `pipe2(fds, flags)`: `fds` is `[read end, write end]` on success. */
  pipe2(flags = 0): { ret: number; fds: [number, number] } {
    const a = this.mem.alloc(8, 4);
    const ret = this.core.call((e) => e.rs_sys_pipe2(a, flags >>> 0));
    return { ret, fds: [this.mem.readI32(a), this.mem.readI32(a + 4)] };
  }

  /** `eventfd(initval, flags)`. */
  eventfd(initval = 0, flags = 0): number {
    return this.core.call((e) => e.rs_sys_eventfd2(initval >>> 0, flags >>> 0));
  }

  /** `epoll_create1(flags)`. */
  epollCreate1(flags = 0): number {
    return this.core.call((e) => e.rs_sys_epoll_create1(flags >>> 0));
  }

  /** `memfd_create(name, flags)`. */
  memfdCreate(name: string, flags = 0): number {
    const [a, n] = this.str(name);
    return this.core.call((e) => e.rs_sys_memfd_create(a, n, flags >>> 0));
  }

  /** `socket(domain, type, protocol)`. */
  socket(domain: number, type: number, protocol = 0): number {
    return this.core.call((e) => e.rs_sys_socket(domain >>> 0, type >>> 0, protocol >>> 0));
  }

  /** `socketpair(domain, type, protocol, sv)`: `fds` holds both ends on success. */
  socketpair(domain: number, type: number, protocol = 0): { ret: number; fds: [number, number] } {
    const a = this.mem.alloc(8, 4);
    const ret = this.core.call((e) => e.rs_sys_socketpair(domain >>> 0, type >>> 0, protocol >>> 0, a));
    return { ret, fds: [this.mem.readI32(a), this.mem.readI32(a + 4)] };
  }

  private sockaddrIn(port: number, addr: number): number {
    const a = this.mem.alloc(SOCKADDR_IN_SIZE);
    const b = new Uint8Array(SOCKADDR_IN_SIZE);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, AF_INET, true);
    dv.setUint16(2, port, false);
    dv.setUint32(4, addr >>> 0, false);
    this.mem.write(a, b);
    return a;
  }

  /** `bind(fd, {AF_INET, addr:port})`; `addr` defaults to 127.0.0.1, port 0 picks one. */
  bind(fd: number, port: number, addr = INADDR_LOOPBACK): number {
    const a = this.sockaddrIn(port, addr);
    return this.core.call((e) => e.rs_sys_bind(fd, a, SOCKADDR_IN_SIZE));
  }

  /** `listen(fd, backlog)`. */
  listen(fd: number, backlog: number): number {
    return this.core.call((e) => e.rs_sys_listen(fd, backlog | 0));
  }

  /** `connect(fd, {AF_INET, addr:port})`. */
  connect(fd: number, port: number, addr = INADDR_LOOPBACK): number {
    const a = this.sockaddrIn(port, addr);
    return this.core.call((e) => e.rs_sys_connect(fd, a, SOCKADDR_IN_SIZE));
  }

  /** `accept4(fd, NULL, NULL, flags)`. */
  accept4(fd: number, flags = 0): number {
    return this.core.call((e) => e.rs_sys_accept4(fd, flags >>> 0));
  }

  /** `getsockname(fd)`: the local port on success. */
  getsockname(fd: number): { ret: number; port: number } {
    const a = this.mem.alloc(SOCKADDR_IN_SIZE);
    const len = this.intCell(SOCKADDR_IN_SIZE);
    const ret = this.core.call((e) => e.rs_sys_getsockname(fd, a, len));
    const b = this.mem.read(a, 4);
    return { ret, port: (b[2]! << 8) | b[3]! };
  }

  /** `read(fd, buf, count)` into a scratch buffer; returns bytes read or a negative errno. */
  read(fd: number, count: number): number {
    const buf = this.scratch(count);
    return this.core.call((e) => e.rs_sys_read(fd, buf, count >>> 0));
  }

  /** `write(fd, buf, count)` of `count` bytes (their content is not part of the model). */
  write(fd: number, count: number): number {
    const buf = this.scratch(count);
    return this.core.call((e) => e.rs_sys_write(fd, buf, count >>> 0));
  }

  /** `send(fd, buf, len, flags)`. */
  send(fd: number, len: number, flags = 0): number {
    const buf = this.scratch(len);
    return this.core.call((e) => e.rs_sys_sendto(fd, buf, len >>> 0, flags >>> 0));
  }

  /** `recv(fd, buf, len, flags)`. */
  recv(fd: number, len: number, flags = 0): number {
    const buf = this.scratch(len);
    return this.core.call((e) => e.rs_sys_recvfrom(fd, buf, len >>> 0, flags >>> 0));
  }

  /**
   * `ioctl(fd, request, &v)` with `int v = 0`: `ret` is 0 or a negative errno, `value` what
   * the call stored in `v`.
   */
  ioctlInt(fd: number, request: number, v = 0): IntResult {
    const a = this.intCell(v);
    const ret = this.core.call((e) => e.rs_sys_ioctl(fd, request >>> 0, a));
    return { ret, value: this.mem.readI32(a) };
  }

  /** `fcntl(fd, cmd, arg)` for `F_GETFL`/`F_SETFL`. */
  fcntl(fd: number, cmd: number, arg = 0): number {
    return this.core.call((e) => e.rs_sys_fcntl(fd, cmd >>> 0, arg >>> 0));
  }

  /** `getsockopt(fd, level, optname, &v, &len)` with `int v = 0` and `len = optlen`. */
  getsockoptInt(fd: number, level: number, optname: number, optlen = 4): IntResult {
    const v = this.intCell(0);
    const len = this.intCell(optlen);
    const ret = this.core.call((e) => e.rs_sys_getsockopt(fd, level >>> 0, optname >>> 0, v, len));
    return { ret, value: this.mem.readI32(v) };
  }

  /** `setsockopt(fd, level, optname, &value, sizeof(int))`. */
  setsockoptInt(fd: number, level: number, optname: number, value: number): number {
    const v = this.intCell(value);
    return this.core.call((e) => e.rs_sys_setsockopt(fd, level >>> 0, optname >>> 0, v, 4));
  }

  /** `close(fd)`. */
  close(fd: number): number {
    return this.core.call((e) => e.rs_close(fd));
  }
}
