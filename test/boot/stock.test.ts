/**
 * A stock BSP's executable (here a stand-in: a ring 0 multiboot kernel at 1 MiB
 * printing the banners on COM1) boots directly on qemu, and is refused as an
 * <arch>virt guest.
 */
import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { bootAll } from '../../src/boot/runner.js';
import { ROOT } from './build-guests.js';

const qemu = (await execa('qemu-system-i386', ['--version'], { reject: false })).exitCode === 0 || process.env.RVC_REQUIRE_QEMU === '1';
let exe: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rvc-stock-'));
  exe = join(dir, 'stock.exe');
  const g = join(ROOT, 'guests');
  await execa('gcc', ['-m32', '-ffreestanding', '-fno-pic', '-fno-pie', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-O2',
    '-Wall', '-Wextra', '-Werror', '-nostdlib', '-static', '-no-pie', '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments',
    '-Wl,-T', join(g, 'stock.ld'), '-o', exe, join(g, 'stock.c')]);
}, 60_000);

it.runIf(qemu)('boots on qemu as the kernel itself and passes', async () => {
  const run = await bootAll([exe], { bsp: 'pc386', backend: 'qemu', timeoutSeconds: 30, logDir: join(dir, 'logs') });
  expect(run.results[0]?.result, run.results[0]?.reason).toBe('passed');
}, 60_000);

it('is invalid as an i386virt guest, with the reason', async () => {
  const run = await bootAll([exe], { bsp: 'i386virt', backend: 'v86', timeoutSeconds: 30, logDir: join(dir, 'logs2') });
  expect(run.results[0]?.result).toBe('invalid');
  expect(run.results[0]?.reason).toMatch(/^segment at 0x100000.* lies outside guest RAM .*not an <arch>virt executable/);
});
