/**
 * The emulated target end to end: guest programs built here with the host
 * compiler boot on the monitor (v86 always; qemu where installed, and required
 * when RVC_REQUIRE_QEMU=1, which .ci/run sets) and are classified from their
 * consoles.
 */
import { execa } from 'execa';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/boot/backend.js';
import { bootAll, type BootRun } from '../../src/boot/runner.js';
import { buildGuests, symbolAddress, type BuiltGuests } from './build-guests.js';

const GUESTS = ['hello', 'ticker', 'hlt', 'cli', 'loop', 'fault', 'flood', 'ports', 'noport'];
const FINISHING = GUESTS.filter((g) => g !== 'loop' && g !== 'noport');

async function hasQemu(): Promise<boolean> {
  const r = await execa('qemu-system-i386', ['--version'], { reject: false });
  return r.exitCode === 0;
}

const qemuPresent = await hasQemu();
const requireQemu = process.env.RVC_REQUIRE_QEMU === '1';
const backends: BackendName[] = qemuPresent || requireQemu ? ['v86', 'qemu'] : ['v86'];

let built: BuiltGuests;

beforeAll(async () => {
  built = await buildGuests(GUESTS, { flood: ['-DFLOOD_LINES=2048'] });
}, 120_000);

it('qemu-system-i386 is installed when RVC_REQUIRE_QEMU=1 (CI)', () => {
  if (requireQemu) expect(qemuPresent, 'RVC_REQUIRE_QEMU=1 but qemu-system-i386 does not run; install qemu-system-x86').toBe(true);
  else expect(backends).toContain('v86');
});

describe.each(backends)('boot on %s', (backend) => {
  let run: BootRun;
  let loopRun: BootRun;
  const byName = (name: string) => {
    const r = [...run.results, ...loopRun.results].find((x) => x.exe.endsWith(`/${name}.exe`));
    if (!r) throw new Error(`no result for ${name}`);
    return r;
  };
  const log = (name: string) => readFile(byName(name).logFile, 'latin1');

  beforeAll(async () => {
    const logDir = await mkdtemp(join(tmpdir(), `rvc-boot-${backend}-`));
    const options = {
      bsp: 'i386virt',
      backend,
      timeoutSeconds: 30,
      jobs: 2,
      logDir,
      monitorPath: built.monitor,
      logHeadBytes: 16 * 1024,
      logTailBytes: 4 * 1024,
    };
    run = await bootAll(FINISHING.map((g) => built.exe(g)), options);
    loopRun = await bootAll([built.exe('loop')], { ...options, timeoutSeconds: 2 });
  }, 120_000);

  it('hello passes and its log holds the banners', async () => {
    expect(byName('hello').result).toBe('passed');
    expect(byName('hello').exitStatus).toBe(null); // killed at the end banner, before the exit call
    const text = await log('hello');
    expect(text).toContain('*** BEGIN OF TEST HELLO WORLD ***');
    expect(text).toContain('Hello World');
    expect(text).toContain('*** END OF TEST HELLO WORLD ***');
  });

  it('ticker: virtual timer, masking with pending state, wait for event, two preempted contexts', async () => {
    const text = await log('ticker');
    expect(byName('ticker').result, text).toBe('passed');
    expect(text).toContain('pending while disabled: 1');
    expect(text).toContain('level while disabled: 1');
    expect(text).toContain('delivered while disabled: 0');
    expect(text).toMatch(/delivered after enable: [1-9]/);
    expect(text).toMatch(/ticks: \d+ switches: \d+ a: 1 b: 1/);
    const m = /switches: (\d+)/.exec(text);
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(39);
  });

  it.each([
    ['hlt', 'guest_hlt_here'],
    ['cli', 'guest_cli_here'],
  ])('%s is a fatal error naming the instruction and its address', async (name, symbol) => {
    const r = byName(name);
    const addr = await symbolAddress(built.exe(name), symbol);
    expect(r.result).toBe('fatal-error');
    expect(r.reason).toBe(`privileged instruction ${name} at 0x${addr.toString(16).padStart(8, '0')}`);
    expect(await log(name)).not.toContain('*** END OF TEST');
  });

  it('an endless loop times out', () => {
    expect(byName('loop').result).toBe('timeout');
    expect(byName('loop').reason).toBe('no end banner before the timeout');
    expect(byName('loop').ms).toBeGreaterThanOrEqual(1900);
  });

  it('a null pointer write is a fatal page fault naming the address', async () => {
    const r = byName('fault');
    const addr = await symbolAddress(built.exe('fault'), 'guest_fault_here');
    expect(r.result).toBe('fatal-error');
    expect(r.reason).toBe(`page fault (#PF): write to unmapped page address 0x00000000 at 0x${addr.toString(16).padStart(8, '0')}`);
  });

  it('a console flood is still classified and its log stays bounded', async () => {
    const r = byName('flood');
    expect(r.result).toBe('passed');
    expect(r.consoleBytes).toBeGreaterThan(2048 * 64);
    expect(r.logTruncated).toBe(true);
    const size = (await stat(r.logFile)).size;
    expect(size).toBeLessThan(16 * 1024 + 4 * 1024 + 200);
    const text = await log('flood');
    expect(text).toContain('*** BEGIN OF TEST FLOOD ***');
    expect(text).toContain('*** END OF TEST FLOOD ***');
    expect(text).toMatch(/\[rtems-virt-config: \d+ bytes of console output dropped\]/);
  });

  it('the PIT and PIC are refused, a UART range is granted and in/out on it work', async () => {
    const text = await log('ports');
    expect(byName('ports').result, text).toBe('passed');
    expect(text).toContain('pit request: 0xfffffffe');
    expect(text).toContain('pic request: 0xfffffffe');
    expect(text).toContain('uart request: 0x00000000');
    expect(text).toContain('[rvc-monitor] granted I/O ports 0x000002f8-0x000002ff');
    expect(text).toContain('uart scratch: 0x0000005a 0x000000a5');
  });

  it('counts every result once', () => {
    expect(run.results).toHaveLength(FINISHING.length);
    expect(run.counts.passed).toBe(4);
    expect(run.counts['fatal-error']).toBe(3);
    expect(loopRun.counts.timeout).toBe(1);
  });
});

describe('a reused v86 emulator carries nothing over', () => {
  it('a port granted to one guest is refused to the next, which runs on the reset emulator', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'rvc-boot-reuse-'));
    const run = await bootAll([built.exe('ports'), built.exe('noport')], {
      bsp: 'i386virt',
      backend: 'v86',
      timeoutSeconds: 30,
      jobs: 1,
      logDir,
      monitorPath: built.monitor,
    });
    const addr = await symbolAddress(built.exe('noport'), 'guest_out_here');
    expect(run.results.map((r) => r.result)).toEqual(['passed', 'fatal-error']);
    expect(run.results[1]?.reason).toBe(`privileged instruction out at 0x${addr.toString(16).padStart(8, '0')}`);
  }, 60_000);

  it('--fresh (freshEmulator) boots as well', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'rvc-boot-fresh-'));
    const run = await bootAll([built.exe('hello'), built.exe('hello')], {
      bsp: 'i386virt',
      backend: 'v86',
      timeoutSeconds: 30,
      jobs: 1,
      logDir,
      monitorPath: built.monitor,
      freshEmulator: true,
    });
    expect(run.counts.passed).toBe(2);
  }, 60_000);
});
