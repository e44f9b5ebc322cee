/** `boot` through the command line: exit codes, summary, report file. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { buildGuests, type BuiltGuests } from './build-guests.js';

let built: BuiltGuests;
let out: string;
const saved = process.env.RVC_MONITOR;

beforeAll(async () => {
  built = await buildGuests(['hello', 'hlt']);
  process.env.RVC_MONITOR = built.monitor;
  out = await mkdtemp(join(tmpdir(), 'rvc-boot-cli-'));
}, 120_000);

afterAll(() => {
  if (saved === undefined) delete process.env.RVC_MONITOR;
  else process.env.RVC_MONITOR = saved;
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('rtems-virt-config boot', () => {
  it('exits 0 when every executable passed, and prints the summary', async () => {
    const r = await run(['boot', built.exe('hello'), '--bsp', 'i386virt', '--timeout', '30', '--log-dir', join(out, 'logs1')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hello\.exe\s+passed/);
    expect(r.stdout).toContain('1 executable(s) on i386virt/v86');
    expect(await readFile(join(out, 'logs1', 'hello.exe.log'), 'latin1')).toContain('*** END OF TEST HELLO WORLD ***');
  });

  it('exits 1 when one did not pass, and writes the JSON report', async () => {
    const report = join(out, 'r.json');
    const r = await run(['boot', built.exe('hello'), built.exe('hlt'), '--bsp', 'i386virt', '--jobs', '2', '--timeout', '30', '--report', 'json', '--report-file', report, '--log-dir', join(out, 'logs2')]);
    expect(r.code).toBe(1);
    const j = JSON.parse(await readFile(report, 'utf8')) as { summary: Record<string, number>; results: { result: string; reason: string }[] };
    expect(j.summary).toMatchObject({ total: 2, passed: 1, 'fatal-error': 1 });
    expect(j.results[1]?.reason).toMatch(/^privileged instruction hlt at 0x004/);
  });

  it('with --shard runs only its slice', async () => {
    const r = await run(['boot', built.exe('hlt'), built.exe('hello'), '--bsp', 'i386virt', '--shard', '2/2', '--timeout', '30', '--log-dir', join(out, 'logs3')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 executable(s)');
    expect(r.stdout).not.toContain('hlt.exe');
  });

  it('exits 2 on a usage error, without a stack trace', async () => {
    const r = await run(['boot', built.exe('hello'), '--bsp', 'erc32']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: the bundled target does not run erc32 executables');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unreadable executable is invalid, not a crash', async () => {
    const r = await run(['boot', join(out, 'missing.exe'), '--bsp', 'i386virt', '--log-dir', join(out, 'logs4')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing\.exe\s+invalid\s+\d+\s+cannot read: ENOENT/);
  });
});
