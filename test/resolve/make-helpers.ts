/** Shared by the make tests: run our evaluator and real GNU make over the same files. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parseMakeCfg } from '../../src/parse/make-cfg.js';
import { MakeEvaluator } from '../../src/resolve/make-eval.js';

export type Files = Record<string, string>;

/** Our reading: `entry` is read as `make -f entry`, includes are looked up in `files` (RTEMS_ROOT=.). */
export function ours(files: Files, entry: string, names: string[], commandLine: Record<string, string> = {}) {
  const ev = new MakeEvaluator({ RTEMS_ROOT: '.', ...commandLine }, (p) => {
    const rel = path.posix.normalize(p);
    return files[rel] === undefined ? undefined : parseMakeCfg(files[rel]!, rel);
  });
  ev.read(parseMakeCfg(files[entry]!, entry));
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const n of names) {
    const r = ev.valueOf(n);
    out[n] = r.value;
    if (r.unknown) unknown.push(n);
  }
  return { values: out, unknown, evaluator: ev };
}

const PRINT_MK = 'rvc-print-all:\n\t@:$(foreach v,$(RVC_PRINT),$(info $(v)=[$($(v))]))\n';

/** Real GNU make over the same files written to a temporary directory. */
export async function gnuMake(files: Files, entry: string, names: string[], commandLine: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rvc-make-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text, 'latin1');
    }
    writeFileSync(path.join(dir, 'rvc-print.mk'), PRINT_MK);
    const args = ['-s', '--no-builtin-rules', '--no-builtin-variables', '-f', entry, '-f', 'rvc-print.mk', 'rvc-print-all', 'RTEMS_ROOT=.', `RVC_PRINT=${names.join(' ')}`];
    for (const [k, v] of Object.entries(commandLine)) args.push(`${k}=${v}`);
    const r = await execa('make', args, { cwd: dir, reject: false, env: { LC_ALL: 'C' }, extendEnv: false, stripFinalNewline: false });
    const values: Record<string, string> = {};
    for (const m of r.stdout.matchAll(/^([A-Za-z0-9_]+)=\[([\s\S]*?)\]$/gm)) values[m[1]!] = m[2]!;
    return { values, exitCode: r.exitCode, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Small seeded generator (mulberry32) so a failing case can be replayed from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
