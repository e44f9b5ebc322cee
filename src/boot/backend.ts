/** An emulator that boots the monitor with one guest and feeds its console to a ConsoleLog. */
import type { ConsoleLog } from './console-log.js';

export type BackendName = 'v86' | 'qemu';
export const BACKENDS: readonly BackendName[] = ['v86', 'qemu'];

export interface BackendRunOptions {
  /** The hypervisor image; null boots `guest` itself as the multiboot kernel (a stock BSP, qemu only). */
  monitor: Uint8Array | null;
  guest: Uint8Array;
  cmdline: string;
  timeoutMs: number;
  console: ConsoleLog;
  /** A new emulator for this boot, never reused (v86; qemu always starts a new process). */
  fresh?: boolean;
}

export interface BackendRun {
  /** done: the console showed the result; timeout: the time ran out; exited: the emulator stopped by itself. */
  ending: 'done' | 'timeout' | 'exited';
  /** Wall time from emulator start to the end of the run. */
  ms: number;
  /** The emulator could not run. */
  error?: string;
}

export interface Backend {
  readonly name: BackendName;
  run(options: BackendRunOptions): Promise<BackendRun>;
}
