/**
 * The default backend: the v86 npm package (x86 emulator in WebAssembly), in
 * process. The wasm module is compiled once per process and instantiated per
 * boot; the monitor is the multiboot kernel and the guest its one module
 * (v86 passes `initrd` as multiboot module 0).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Backend, BackendRun, BackendRunOptions } from './backend.js';

/** The machine the monitor expects: 32 MiB (monitor/monitor.c RAM_END). */
const MEMORY_BYTES = 32 * 1024 * 1024;

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

interface V86Instance {
  add_listener(event: string, f: (arg: number) => void): void;
  destroy(): Promise<void>;
}
type V86Constructor = new (options: Record<string, unknown>) => V86Instance;

export const v86Backend: Backend = {
  name: 'v86',
  async run(options: BackendRunOptions): Promise<BackendRun> {
    const started = performance.now();
    let V86: V86Constructor;
    let module: WebAssembly.Module;
    try {
      ({ V86 } = (await import('v86')) as unknown as { V86: V86Constructor });
      module = await compiledWasm();
    } catch (e) {
      return { ending: 'exited', ms: performance.now() - started, error: `cannot load v86: ${(e as Error).message}` };
    }
    return new Promise<BackendRun>((resolve) => {
      let finished = false;
      let emulator: V86Instance | undefined;
      const finish = (ending: BackendRun['ending'], error?: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        const ms = performance.now() - started;
        if (emulator) void emulator.destroy().catch(() => undefined);
        resolve(error ? { ending, ms, error } : { ending, ms });
      };
      const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
      try {
        emulator = new V86({
          wasm_fn: async (imports: WebAssembly.Imports) => (await WebAssembly.instantiate(module, imports)).exports,
          memory_size: MEMORY_BYTES,
          vga_memory_size: 0,
          multiboot: { buffer: arrayBuffer(options.monitor) },
          initrd: { buffer: arrayBuffer(options.guest) },
          cmdline: options.cmdline,
          autostart: true,
          disable_speaker: true,
          disable_keyboard: true,
          disable_mouse: true,
          uart1: true,
        });
        emulator.add_listener('serial0-output-byte', (byte: number) => {
          if (finished) return;
          options.console.pushByte(byte);
          if (options.console.done) finish('done');
        });
      } catch (e) {
        finish('exited', `v86 failed to start: ${(e as Error).message}`);
      }
    });
  },
};
