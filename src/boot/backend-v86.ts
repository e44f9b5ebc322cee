/**
 * The default backend: the v86 npm package (x86 emulator in WebAssembly), in
 * process. The wasm module is compiled once per process. Emulators are pooled:
 * when a boot's result is known its emulator is stopped and, for the next boot,
 * reset (CPU, TLB, JIT cache, the low 32 MiB of RAM) and given the monitor and
 * the next guest again, the way v86 loads a multiboot kernel at start. That
 * skips v86's machine construction and a 64 MiB allocation per boot; a reset
 * that fails falls back to a new emulator. The monitor is the multiboot kernel
 * and the guest its one module (v86 passes `initrd` as multiboot module 0).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Backend, BackendRun, BackendRunOptions } from './backend.js';

/** The machine the monitor expects: 32 MiB (monitor/monitor.c RAM_END). */
export const V86_MEMORY_BYTES = 32 * 1024 * 1024;
/** The multiboot loader's I/O port in v86: reading it loads the kernel and its module. */
const MULTIBOOT_PORT = 0xf4;

let wasmModule: Promise<WebAssembly.Module> | undefined;

function v86Dir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('v86'));
}

function compiledWasm(): Promise<WebAssembly.Module> {
  wasmModule ??= readFile(join(v86Dir(), 'v86.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return wasmModule;
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The parts of v86's (untyped) internals a reset uses; the names survive its release build. */
interface V86Cpu {
  reset_cpu(): void;
  full_clear_tlb(): void;
  jit_clear_cache(): void;
  mem8: Uint8Array;
  reg32: Int32Array;
  io: { port_read32(port: number): number };
  load_multiboot_option_rom(kernel: ArrayBuffer, initrd: ArrayBuffer | undefined, cmdline: string): unknown;
}
interface V86Instance {
  add_listener(event: string, f: (arg: number) => void): void;
  run(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
  v86: { cpu: V86Cpu };
}
type V86Constructor = new (options: Record<string, unknown>) => V86Instance;

/** One pooled emulator; `sink` is where COM1 bytes of the current boot go. */
interface Slot {
  emulator: V86Instance;
  sink: ((byte: number) => void) | null;
}

const idle: Slot[] = [];

async function createSlot(monitor: Uint8Array, guest: Uint8Array, cmdline: string, onReady: () => void): Promise<Slot> {
  const { V86 } = (await import('v86')) as unknown as { V86: V86Constructor };
  const module = await compiledWasm();
  const slot: Slot = { emulator: undefined as unknown as V86Instance, sink: null };
  slot.emulator = new V86({
    wasm_fn: async (imports: WebAssembly.Imports) => (await WebAssembly.instantiate(module, imports)).exports,
    memory_size: V86_MEMORY_BYTES,
    vga_memory_size: 0,
    multiboot: { buffer: arrayBuffer(monitor) },
    initrd: { buffer: arrayBuffer(guest) },
    cmdline,
    autostart: true,
    disable_speaker: true,
    disable_keyboard: true,
    disable_mouse: true,
    uart1: true,
  });
  slot.emulator.add_listener('serial0-output-byte', (byte: number) => slot.sink?.(byte));
  slot.emulator.add_listener('emulator-ready', onReady);
  return slot;
}

/** Reset a stopped emulator and load the monitor and a guest into it, as v86 does at start. */
async function reuseSlot(slot: Slot, monitor: Uint8Array, guest: Uint8Array, cmdline: string): Promise<void> {
  const cpu = slot.emulator.v86.cpu;
  cpu.reset_cpu();
  cpu.full_clear_tlb();
  cpu.jit_clear_cache();
  cpu.mem8.fill(0, 0, V86_MEMORY_BYTES);
  cpu.load_multiboot_option_rom(arrayBuffer(monitor), arrayBuffer(guest), cmdline);
  cpu.reg32[0] = cpu.io.port_read32(MULTIBOOT_PORT);
  await slot.emulator.run();
}

/** Stop and drop every pooled emulator (the runner calls this when a run is over). */
export async function closeV86Pool(): Promise<void> {
  const slots = idle.splice(0);
  await Promise.all(slots.map((s) => s.emulator.destroy().catch(() => undefined)));
}

export const v86Backend: Backend = {
  name: 'v86',
  async run(options: BackendRunOptions): Promise<BackendRun> {
    const started = performance.now();
    const monitor = options.monitor;
    if (monitor === null) return { ending: 'exited', ms: 0, error: 'v86 boots only through the monitor (an <arch>virt executable)' };
    let slot: Slot | undefined;
    let finished = false;
    let resolveRun!: (r: BackendRun) => void;
    const result = new Promise<BackendRun>((resolve) => (resolveRun = resolve));
    const finish = (ending: BackendRun['ending'], error?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const ms = performance.now() - started;
      const outcome: BackendRun = error ? { ending, ms, error } : { ending, ms };
      if (!slot) {
        resolveRun(outcome);
        return;
      }
      // Stop it, then offer it to the next boot (a broken one, or one slow to stop, is dropped).
      const s = slot;
      s.sink = null;
      let settled = false;
      const settle = (keep: boolean) => {
        if (settled) return;
        settled = true;
        if (keep && !options.fresh) idle.push(s);
        else void s.emulator.destroy().catch(() => undefined);
        resolveRun(outcome);
      };
      setTimeout(() => settle(false), 2000).unref();
      s.emulator.stop().then(
        () => settle(!error),
        () => settle(false),
      );
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    const sink = (byte: number) => {
      if (finished) return;
      options.console.pushByte(byte);
      if (options.console.done) finish('done');
    };
    try {
      const reused = options.fresh ? undefined : idle.pop();
      if (reused) {
        try {
          reused.sink = sink;
          slot = reused;
          await reuseSlot(reused, monitor, options.guest, options.cmdline);
        } catch {
          reused.sink = null;
          slot = undefined;
          void reused.emulator.destroy().catch(() => undefined);
        }
      }
      if (!slot) {
        const created = await createSlot(monitor, options.guest, options.cmdline, () => undefined);
        if (finished) void created.emulator.destroy().catch(() => undefined); // timed out while starting
        else {
          created.sink = sink;
          slot = created;
        }
      }
    } catch (e) {
      finish('exited', `v86 failed to start: ${(e as Error).message}`);
    }
    return result;
  },
};
