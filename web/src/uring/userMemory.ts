/**
 * The process's own memory, as the application sees it: a bump allocator over the core's user
 * arena. Every write is reported to the core so each byte knows userspace wrote it last.
 */
import type { Core } from '../wasm/load';

/** Thrown when the user arena is exhausted. */
export class OutOfUserMemory extends Error {}

export class UserMemory {
  private next: number;
  readonly base: number;
  readonly end: number;

  constructor(private readonly core: Core) {
    this.base = core.call((e) => e.rs_user_mem_base()) >>> 0;
    this.end = this.base + (core.call((e) => e.rs_user_mem_len()) >>> 0);
    this.next = this.base;
  }

  /** Allocates `len` zeroed bytes aligned to `align`; returns the user address. */
  alloc(len: number, align = 8): number {
    const a = Math.ceil(this.next / align) * align;
    if (a + len > this.end) throw new OutOfUserMemory(`user memory exhausted (${len} bytes wanted)`);
    this.next = a + len;
    this.core.u8().fill(0, a, a + len);
    return a;
  }

  /** The allocator position (part of a snapshot). */
  position(): number {
    return this.next;
  }

  /** Restores the allocator position from a snapshot. */
  setPosition(p: number): void {
    this.next = p;
  }

  /** Writes bytes at a user address. */
  write(addr: number, bytes: Uint8Array): void {
    this.check(addr, bytes.length);
    this.core.u8().set(bytes, addr);
    this.core.call((e) => e.rs_user_wrote(addr, bytes.length));
  }

  writeU32(addr: number, v: number): void {
    this.check(addr, 4);
    this.core.view().setUint32(addr, v >>> 0, true);
    this.core.call((e) => e.rs_user_wrote(addr, 4));
  }

  writeU16(addr: number, v: number): void {
    this.check(addr, 2);
    this.core.view().setUint16(addr, v & 0xffff, true);
    this.core.call((e) => e.rs_user_wrote(addr, 2));
  }

  writeI32(addr: number, v: number): void {
    this.writeU32(addr, v | 0);
  }

  writeU64(addr: number, v: bigint): void {
    this.check(addr, 8);
    this.core.view().setBigUint64(addr, BigInt.asUintN(64, v), true);
    this.core.call((e) => e.rs_user_wrote(addr, 8));
  }

  readU32(addr: number): number {
    this.check(addr, 4);
    return this.core.view().getUint32(addr, true);
  }

  readI32(addr: number): number {
    this.check(addr, 4);
    return this.core.view().getInt32(addr, true);
  }

  read(addr: number, len: number): Uint8Array {
    this.check(addr, len);
    return this.core.u8().slice(addr, addr + len);
  }

  private check(addr: number, len: number) {
    if (addr < this.base || addr + len > this.end) {
      throw new RangeError(`0x${addr.toString(16)}+${len} is not user memory`);
    }
  }
}
