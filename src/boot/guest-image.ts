/**
 * The executable handed to the monitor: checked on the host (so a wrong file
 * is `invalid` with a reason, not a silent hang) and reduced to its ELF header,
 * program headers and loadable bytes, so a debug-heavy executable still fits
 * below guest RAM as a multiboot module.
 */
import { readFile } from 'node:fs/promises';

/** Where the monitor's guest RAM begins and ends (monitor/monitor.c, hypervisor.h). */
export const GUEST_RAM_BEGIN = 0x00400000;
export const GUEST_RAM_END = 0x02000000;

export interface GuestImage {
  /** The compact ELF passed as the multiboot module. */
  bytes: Uint8Array;
  entry: number;
  loadBegin: number;
  loadEnd: number;
}

export class InvalidGuestError extends Error {}

const PT_LOAD = 1;

export function prepareGuest(file: Uint8Array): GuestImage {
  const fail = (why: string): never => {
    throw new InvalidGuestError(why);
  };
  if (file.length < 52 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) fail('not an ELF file');
  if (file[4] !== 1) fail('not a 32-bit ELF (an i386 executable is ELFCLASS32)');
  if (file[5] !== 1) fail('not a little-endian ELF');
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== 3) fail(`ELF machine ${machine} is not i386 (3)`);
  if (type !== 2) fail(`ELF type ${type} is not an executable (ET_EXEC); link it with the BSP's linkcmds`);
  const entry = dv.getUint32(24, true);
  const phoff = dv.getUint32(28, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  if (phentsize !== 32 || phoff + phnum * 32 > file.length) fail('program headers are missing or truncated');
  const loads: { offset: number; vaddr: number; paddr: number; filesz: number; memsz: number; flags: number; align: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 32;
    if (dv.getUint32(o, true) !== PT_LOAD) continue;
    const seg = {
      offset: dv.getUint32(o + 4, true),
      vaddr: dv.getUint32(o + 8, true),
      paddr: dv.getUint32(o + 12, true),
      filesz: dv.getUint32(o + 16, true),
      memsz: dv.getUint32(o + 20, true),
      flags: dv.getUint32(o + 24, true),
      align: dv.getUint32(o + 28, true),
    };
    if (seg.memsz === 0) continue;
    if (seg.filesz > seg.memsz || seg.offset + seg.filesz > file.length) fail(`segment ${i} is truncated`);
    if (seg.paddr < GUEST_RAM_BEGIN || seg.paddr + seg.memsz > GUEST_RAM_END) {
      fail(
        `segment at 0x${seg.paddr.toString(16)}–0x${(seg.paddr + seg.memsz).toString(16)} lies outside guest RAM ` +
          `0x${GUEST_RAM_BEGIN.toString(16)}–0x${GUEST_RAM_END.toString(16)}: not an <arch>virt executable (link at 0x400000)`,
      );
    }
    loads.push(seg);
  }
  if (loads.length === 0) fail('no loadable segment');
  const loadBegin = Math.min(...loads.map((s) => s.paddr));
  const loadEnd = Math.max(...loads.map((s) => s.paddr + s.memsz));
  if (entry < loadBegin || entry >= loadEnd) fail(`entry point 0x${entry.toString(16)} is outside the loaded image`);

  // Compact ELF: header, program headers, then each segment's file bytes.
  const headerSize = 52 + loads.length * 32;
  const total = headerSize + loads.reduce((n, s) => n + s.filesz, 0);
  const out = new Uint8Array(total);
  const ov = new DataView(out.buffer);
  out.set(file.subarray(0, 52), 0);
  ov.setUint32(28, 52, true); // phoff
  ov.setUint32(32, 0, true); // shoff
  ov.setUint16(40, 52, true); // ehsize
  ov.setUint16(44, loads.length, true);
  ov.setUint16(46, 0, true); // shentsize
  ov.setUint16(48, 0, true); // shnum
  ov.setUint16(50, 0, true); // shstrndx
  let data = headerSize;
  loads.forEach((s, i) => {
    const o = 52 + i * 32;
    ov.setUint32(o, PT_LOAD, true);
    ov.setUint32(o + 4, data, true);
    ov.setUint32(o + 8, s.vaddr, true);
    ov.setUint32(o + 12, s.paddr, true);
    ov.setUint32(o + 16, s.filesz, true);
    ov.setUint32(o + 20, s.memsz, true);
    ov.setUint32(o + 24, s.flags, true);
    ov.setUint32(o + 28, 4, true);
    out.set(file.subarray(s.offset, s.offset + s.filesz), data);
    data += s.filesz;
  });
  // The module lands just above the monitor (~1.1 MiB) and must end below guest RAM.
  if (out.length > GUEST_RAM_BEGIN - 0x200000) fail(`loadable image is ${out.length} bytes, more than the 2 MiB the monitor can stage`);
  return { bytes: out, entry, loadBegin, loadEnd };
}

export async function readGuest(path: string): Promise<GuestImage> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (e) {
    throw new InvalidGuestError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return prepareGuest(file);
}

/** A stock BSP's executable, passed to qemu as it is; only checked to be a 32-bit ELF. */
export async function readStockExecutable(path: string): Promise<Uint8Array> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (e) {
    throw new InvalidGuestError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (file.length < 52 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) throw new InvalidGuestError('not an ELF file');
  if (file[4] !== 1) throw new InvalidGuestError('not a 32-bit ELF (qemu boots a 32-bit multiboot ELF)');
  return file;
}
