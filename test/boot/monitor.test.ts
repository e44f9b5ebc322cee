/**
 * The monitor's verdicts, one guest per instruction or fault, and the error
 * results of the interface calls (v86; the same monitor runs under qemu in
 * boot.test.ts).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { bootAll, type BootRun } from '../../src/boot/runner.js';
import { buildGuests, symbolAddress, type BuiltGuests } from './build-guests.js';

const CASES: [string, string][] = [
  ['lidt', 'privileged instruction lidt'],
  ['movcr', 'privileged instruction mov to control register'],
  ['in', 'privileged instruction in 0x00000040'],
  ['int', 'privileged instruction int 0x00000021'],
  ['sti', 'privileged instruction sti'],
  ['wrmsr', 'privileged instruction wrmsr'],
  ['ud2', 'invalid opcode (#UD)'],
  ['div0', 'divide error (#DE)'],
  ['monitor', 'page fault (#PF): read of protected page address 0x00100000'],
];

let built: BuiltGuests;
let run: BootRun;

beforeAll(async () => {
  built = await buildGuests([...CASES.map(([v]) => `priv:${v}`), 'calls']);
  run = await bootAll([...CASES.map(([v]) => built.exe(`priv-${v}`)), built.exe('calls')], {
    bsp: 'i386virt',
    backend: 'v86',
    timeoutSeconds: 30,
    jobs: 2,
    logDir: await mkdtemp(join(tmpdir(), 'rvc-monitor-test-')),
    monitorPath: built.monitor,
  });
}, 180_000);

it.each(CASES)('priv-%s is a fatal error: %s at the instruction', async (variant, text) => {
  const r = run.results.find((x) => x.exe.endsWith(`priv-${variant}.exe`))!;
  const addr = await symbolAddress(built.exe(`priv-${variant}`), 'guest_priv_here');
  expect(r.result).toBe('fatal-error');
  expect(r.reason).toBe(`${text} at 0x${addr.toString(16).padStart(8, '0')}`);
});

it('interface calls answer with the documented results', () => {
  const r = run.results.find((x) => x.exe.endsWith('calls.exe'))!;
  expect(r.result, r.reason).toBe('passed');
});
