/** `rtems-virt-config boot EXE… --bsp NAME`: smoke-boot executables on the bundled emulated target. */
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, type BackendName } from '../boot/backend.js';
import { RESULT_CLASSES, type ResultClass } from '../boot/classify.js';
import { jsonReport, junitReport } from '../boot/report.js';
import { bootAll, isStockBsp, MONITOR_BSPS, selectShard, STOCK_QEMU_BSPS, type BootRun, type ProgressEvent } from '../boot/runner.js';
import { UsageError } from './errors.js';
import { color } from './output.js';

export interface BootCommandOptions {
  bsp?: string;
  backend?: string;
  timeout?: string;
  jobs?: string;
  shard?: string;
  report?: string;
  reportFile?: string;
  logDir?: string;
  fresh?: boolean;
}

export interface ParsedBootOptions {
  bsp: string;
  backend: BackendName;
  timeoutSeconds: number;
  jobs: number;
  shard: { index: number; count: number } | null;
  report: { format: 'json' | 'junit'; file: string } | null;
  logDir: string | null;
}

const DEFAULT_TIMEOUT_S = 180;

/** Validates the options; every mistake is a UsageError (exit 2). */
export function parseBootOptions(exes: string[], opts: BootCommandOptions): ParsedBootOptions {
  if (exes.length === 0) throw new UsageError('no executable given', 'pass one or more executables: boot hello.exe ticker.exe --bsp i386virt');
  if (!opts.bsp) throw new UsageError('no BSP given', 'add --bsp i386virt');
  const stock = isStockBsp(opts.bsp);
  if (!stock && !(MONITOR_BSPS as readonly string[]).includes(opts.bsp)) {
    throw new UsageError(
      `the bundled target does not run ${opts.bsp} executables`,
      `it runs ${MONITOR_BSPS.join(', ')} (paravirtualized BSPs on the bundled monitor), and ${STOCK_QEMU_BSPS.join(', ')} on --backend qemu; run \`rtems-virt-config patch\` to add an <arch>virt BSP to your tree`,
    );
  }
  const backend = (opts.backend ?? (stock ? 'qemu' : 'v86')) as BackendName;
  if (!BACKENDS.includes(backend)) throw new UsageError(`unknown backend ${opts.backend}`, `use --backend ${BACKENDS.join(' or --backend ')}`);
  if (stock && backend !== 'qemu') {
    throw new UsageError(`${opts.bsp} executables boot on --backend qemu only`, 'v86 without a BIOS image never reaches a stock BSP\'s console; use --backend qemu (qemu-system-i386)');
  }
  const timeoutSeconds = opts.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${opts.timeout} is not a positive number of seconds`);
  const jobs = opts.jobs === undefined ? availableParallelism() : Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${opts.jobs} is not a positive integer`);
  let shard: ParsedBootOptions['shard'] = null;
  if (opts.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(opts.shard);
    const index = m ? Number(m[1]) : NaN;
    const count = m ? Number(m[2]) : NaN;
    if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${opts.shard} is not I/N with 1 <= I <= N`, 'e.g. --shard 2/4 runs the second of four slices');
    shard = { index, count };
  }
  let report: ParsedBootOptions['report'] = null;
  if (opts.report !== undefined || opts.reportFile !== undefined) {
    if (opts.report !== 'json' && opts.report !== 'junit') throw new UsageError(`--report ${opts.report ?? '(missing)'} is not json or junit`, 'use --report json|junit --report-file FILE');
    if (!opts.reportFile) throw new UsageError(`--report ${opts.report} needs --report-file FILE`);
    report = { format: opts.report, file: opts.reportFile };
  }
  return { bsp: opts.bsp, backend, timeoutSeconds, jobs, shard, report, logDir: opts.logDir ?? null };
}

const LETTERS: [ResultClass, string][] = [
  ['passed', 'p'],
  ['failed', 'f'],
  ['user-input', 'u'],
  ['expected-fail', 'e'],
  ['indeterminate', 'I'],
  ['benchmark', 'B'],
  ['timeout', 't'],
  ['invalid', 'i'],
  ['fatal-error', 'F'],
];

/** The tester's progress line: `[ 3/20] p:2 f:0 … | i386virt/hello.exe`. */
export function progressLine(e: ProgressEvent, bsp: string): string {
  const w = String(e.total).length;
  const counts = LETTERS.map(([c, l]) => `${l}:${String(e.counts[c]).padEnd(w)}`).join(' ');
  return `[${String(e.index).padStart(w)}/${e.total}] ${counts} | ${bsp}/${e.exe}`;
}

function paint(result: ResultClass, text: string): string {
  if (result === 'passed') return color.green(text);
  if (result === 'expected-fail' || result === 'user-input' || result === 'benchmark' || result === 'indeterminate') return color.yellow(text);
  return color.red(text);
}

export function summaryTable(run: BootRun): string {
  const lines: string[] = [];
  const nameW = Math.max(10, ...run.results.map((r) => r.exe.length));
  const resW = Math.max(...RESULT_CLASSES.map((c) => c.length));
  lines.push(color.bold(`${'executable'.padEnd(nameW)}  ${'result'.padEnd(resW)}  ${'ms'.padStart(6)}  why`));
  for (const r of run.results) {
    lines.push(`${r.exe.padEnd(nameW)}  ${paint(r.result, r.result.padEnd(resW))}  ${String(r.ms).padStart(6)}  ${r.reason}`);
  }
  lines.push('');
  const parts = RESULT_CLASSES.filter((c) => run.counts[c] > 0).map((c) => `${c}: ${run.counts[c]}`);
  lines.push(`${run.results.length} executable(s) on ${run.bsp}/${run.backend} in ${run.ms} ms — ${parts.join(', ') || 'nothing run'}`);
  return lines.join('\n');
}

export async function bootCommand(exes: string[], opts: BootCommandOptions): Promise<number> {
  const o = parseBootOptions(exes, opts);
  const selected = o.shard ? selectShard(exes, o.shard.index, o.shard.count) : exes;
  const logDir = o.logDir ?? mkdtempSync(join(tmpdir(), 'rvc-boot-'));
  const tty = process.stderr.isTTY === true;
  let live = '';
  const run = await bootAll(selected, {
    bsp: o.bsp,
    backend: o.backend,
    timeoutSeconds: o.timeoutSeconds,
    jobs: o.jobs,
    logDir,
    freshEmulator: opts.fresh === true,
    onProgress: tty
      ? (e) => {
          if (e.kind !== 'end') return;
          live = progressLine(e, o.bsp);
          process.stderr.write(`\r\x1b[K${live.slice(0, (process.stderr.columns ?? 120) - 1)}`);
        }
      : undefined,
  });
  if (tty && live) process.stderr.write('\r\x1b[K');
  process.stdout.write(`${summaryTable(run)}\n`);
  process.stdout.write(color.dim(`logs: ${logDir}\n`));
  if (o.report) {
    const text = o.report.format === 'json' ? `${JSON.stringify(jsonReport(run), null, 2)}\n` : junitReport(run);
    try {
      await writeFile(o.report.file, text);
    } catch (e) {
      throw new UsageError(`cannot write the report ${o.report.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return run.results.every((r) => r.result === 'passed') ? 0 : 1;
}
