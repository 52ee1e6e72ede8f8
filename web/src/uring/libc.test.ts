import { beforeEach, describe, expect, it } from 'vitest';
import {
  AF_INET,
  AF_UNIX,
  EAGAIN,
  EBADF,
  EINVAL,
  ENOENT,
  ENOTTY,
  EPIPE,
  F_SETFL,
  O_NONBLOCK,
  O_RDWR,
  SIOCINQ,
  SIOCOUTQ,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  SO_KEEPALIVE,
  SO_TYPE,
} from '../wasm/abi.generated';
import type { Core } from '../wasm/load';
import { loadCoreFromDisk } from '../wasm/node';
import { Libc } from './libc';
import { UserMemory } from './userMemory';

let core: Core;
let libc: Libc;

beforeEach(async () => {
  core = await loadCoreFromDisk();
  core.call((e) => e.rs_init(0));
  libc = new Libc(core, new UserMemory(core));
});

describe('Libc over the simulated kernel', () => {
  it('opens device nodes and refuses unknown paths', () => {
    expect(libc.openat('/dev/null', O_RDWR)).toBe(3);
    expect(libc.openat('/nope', O_RDWR)).toBe(-ENOENT);
    expect(libc.write(3, 100)).toBe(100);
    expect(libc.read(3, 100)).toBe(0);
    expect(libc.ioctlInt(3, SIOCINQ).ret).toBe(-ENOTTY);
  });

  it('moves bytes through a pipe and reports EPIPE once the reader is gone', () => {
    const p = libc.pipe2();
    expect(p.ret).toBe(0);
    const [r, w] = p.fds;
    expect(libc.write(w, 100)).toBe(100);
    expect(libc.ioctlInt(r, SIOCINQ)).toEqual({ ret: 0, value: 100 });
    expect(libc.read(r, 40)).toBe(40);
    expect(libc.write(r, 1)).toBe(-EBADF);
    expect(libc.close(r)).toBe(0);
    expect(libc.write(w, 1)).toBe(-EPIPE);
    expect(libc.close(r)).toBe(-EBADF);
  });

  it('connects TCP over loopback; SIOCINQ counts the bytes, a listener refuses it', () => {
    const l = libc.socket(AF_INET, SOCK_STREAM);
    expect(libc.bind(l, 0)).toBe(0);
    const { port } = libc.getsockname(l);
    expect(port).toBeGreaterThanOrEqual(32768);
    expect(libc.listen(l, 4)).toBe(0);
    const c = libc.socket(AF_INET, SOCK_STREAM);
    expect(libc.connect(c, port)).toBe(0);
    const s = libc.accept4(l);
    expect(s).toBeGreaterThan(c);
    expect(libc.send(c, 100)).toBe(100);
    expect(libc.ioctlInt(s, SIOCINQ)).toEqual({ ret: 0, value: 100 });
    expect(libc.ioctlInt(c, SIOCOUTQ)).toEqual({ ret: 0, value: 0 });
    expect(libc.ioctlInt(l, SIOCINQ).ret).toBe(-EINVAL);
    expect(libc.getsockoptInt(l, SOL_SOCKET, SO_ACCEPTCONN)).toEqual({ ret: 0, value: 1 });
    expect(libc.setsockoptInt(c, SOL_SOCKET, SO_KEEPALIVE, 1)).toBe(0);
    expect(libc.getsockoptInt(c, SOL_SOCKET, SO_KEEPALIVE).value).toBe(1);
    expect(libc.fcntl(s, F_SETFL, O_NONBLOCK)).toBe(0);
    expect(libc.recv(s, 1000)).toBe(100);
    expect(libc.recv(s, 1000)).toBe(-EAGAIN);
  });

  it('keeps datagram boundaries on AF_UNIX datagram pairs', () => {
    const p = libc.socketpair(AF_UNIX, SOCK_DGRAM);
    expect(p.ret).toBe(0);
    const [a, b] = p.fds;
    expect(libc.send(a, 50)).toBe(50);
    expect(libc.send(a, 30)).toBe(30);
    expect(libc.ioctlInt(b, SIOCINQ).value).toBe(50);
    expect(libc.getsockoptInt(a, SOL_SOCKET, SO_TYPE).value).toBe(SOCK_DGRAM);
    expect(libc.recv(b, 1000)).toBe(50);
    expect(libc.recv(b, 1000)).toBe(30);
  });
});
