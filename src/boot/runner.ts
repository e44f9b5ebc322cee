/**
 * Boots executables on the emulated target: one emulator per executable, up to
 * `jobs` at a time, each killed as soon as its result is known; the console of
 * each goes to a bounded log file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Backend, BackendName } from './backend.js';
import { closeV86Pool, v86Backend } from './backend-v86.js';
import { qemuBackend } from './backend-qemu.js';
import { classify, RESULT_CLASSES, type ResultClass } from './classify.js';
import { ConsoleLog } from './console-log.js';
import { InvalidGuestError, readGuest, readStockExecutable } from './guest-image.js';
import { readMonitor } from './monitor-image.js';

/** BSPs whose executables run on the bundled monitor. */
export const MONITOR_BSPS = ['i386virt'] as const;
/**
 * Stock BSPs qemu boots directly (`-kernel EXE -append --console=/dev/com1`, no monitor). v86
 * cannot: without a BIOS image it never reaches RTEMS's console (product.md).
 */
export const STOCK_QEMU_BSPS = ['pc386', 'pc486', 'pc586', 'pc586-sse', 'pc686', 'pcp4'] as const;

export function isStockBsp(bsp: string): boolean {
  return (STOCK_QEMU_BSPS as readonly string[]).includes(bsp);
}

export interface BootOptions {
  bsp: string;
  backend: BackendName;
  /** Per executable, in seconds. */
  timeoutSeconds: number;
  jobs?: number;
  /** Directory for the per-executable console logs. */
  logDir: string;
  /** Bytes of console output kept at the start of each log (the end is kept too). */
  logHeadBytes?: number;
  logTailBytes?: number;
  /** The guest's command line (virt_start_info.cmdline). */
  cmdline?: string;
  /** v86: a new emulator per boot instead of a reset pooled one (slower, nothing carried over). */
  freshEmulator?: boolean;
  /** The monitor image (defaults to the bundled one). */
  monitorPath?: string;
  /** Called when a boot starts and when it ends. */
  onProgress?: (event: ProgressEvent) => void;
}

export interface BootResult {
  exe: string;
  result: ResultClass;
  reason: string;
  backend: BackendName;
  /** Wall time of the boot, emulator start included. */
  ms: number;
  logFile: string;
  consoleBytes: number;
  logTruncated: boolean;
  exitStatus: number | null;
}

export type Counts = Record<ResultClass, number>;

export interface ProgressEvent {
  kind: 'start' | 'end';
  index: number;
  total: number;
  exe: string;
  counts: Counts;
  result?: BootResult;
}

export interface BootRun {
  bsp: string;
  backend: BackendName;
  results: BootResult[];
  counts: Counts;
  ms: number;
}

export function backendFor(name: BackendName): Backend {
  return name === 'qemu' ? qemuBackend : v86Backend;
}

export function emptyCounts(): Counts {
  return Object.fromEntries(RESULT_CLASSES.map((c) => [c, 0])) as Counts;
}

/** Round-robin slice `index` (1-based) of `count` of a list, so shards get similar work. */
export function selectShard<T>(items: readonly T[], index: number, count: number): T[] {
  return items.filter((_, i) => i % count === index - 1);
}

function logNames(exes: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return exes.map((exe) => {
    const base = basename(exe);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? `${base}.log` : `${base}.${n}.log`;
  });
}

export async function bootOne(exe: string, logFile: string, options: BootOptions): Promise<BootResult> {
  const backend = backendFor(options.backend);
  const log = new ConsoleLog({ headBytes: options.logHeadBytes, tailBytes: options.logTailBytes });
  const started = performance.now();
  let ms = 0;
  try {
    const stock = isStockBsp(options.bsp);
    const guest = stock ? await readStockExecutable(exe) : (await readGuest(exe)).bytes;
    const monitor = stock ? null : readMonitor(options.monitorPath);
    const run = await backend.run({
      monitor,
      guest,
      cmdline: options.cmdline ?? (stock ? '--console=/dev/com1' : basename(exe)),
      timeoutMs: Math.round(options.timeoutSeconds * 1000),
      console: log,
      fresh: options.freshEmulator === true,
    });
    ms = run.ms;
    log.finish();
    if (run.ending === 'timeout') log.observation.timedOut = true;
    if (run.error) log.observation.emulatorError = run.error;
  } catch (e) {
    if (!(e instanceof InvalidGuestError)) throw e;
    log.observation.invalidReason = e.message;
    ms = performance.now() - started;
  }
  const { result, reason } = classify(log.observation);
  await writeFile(logFile, log.text());
  return {
    exe,
    result,
    reason,
    backend: options.backend,
    ms: Math.round(ms),
    logFile,
    consoleBytes: log.totalBytes,
    logTruncated: log.truncated,
    exitStatus: log.observation.exitStatus,
  };
}

export async function bootAll(exes: readonly string[], options: BootOptions): Promise<BootRun> {
  const started = performance.now();
  await mkdir(options.logDir, { recursive: true });
  const names = logNames(exes);
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), exes.length || 1));
  const counts = emptyCounts();
  const results: BootResult[] = new Array(exes.length);
  let next = 0;
  let doneCount = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= exes.length) return;
      const exe = exes[i]!;
      options.onProgress?.({ kind: 'start', index: doneCount + 1, total: exes.length, exe, counts: { ...counts } });
      const r = await bootOne(resolve(exe), join(options.logDir, names[i]!), options);
      r.exe = exe;
      results[i] = r;
      counts[r.result]++;
      doneCount++;
      options.onProgress?.({ kind: 'end', index: doneCount, total: exes.length, exe, counts: { ...counts }, result: r });
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    await closeV86Pool();
  }
  return { bsp: options.bsp, backend: options.backend, results, counts, ms: Math.round(performance.now() - started) };
}
