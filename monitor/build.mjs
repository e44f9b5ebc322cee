#!/usr/bin/env node
// Builds the bundled hypervisor (monitor/build/rvc-monitor.elf) with the host's
// gcc -m32 and ld -m elf_i386. Run by `npm run build:monitor`.
import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Optional argument: another output directory (the tests build a fresh copy).
const out = process.argv[2] ?? join(here, 'build');
const include = join(here, '..', 'templates', 'libcpu', 'shared', 'virt');
mkdirSync(out, { recursive: true });

const cflags = ['-m32', '-march=i486', '-ffreestanding', '-fno-pic', '-fno-pie', '-fno-stack-protector',
  '-fno-asynchronous-unwind-tables', '-mno-sse', '-mno-mmx', '-O2', '-Wall', '-Wextra', '-Werror',
  '-nostdinc', '-isystem', await gccInclude(), '-I', include];

async function gccInclude() {
  const { stdout } = await execa('gcc', ['-m32', '-print-file-name=include']);
  return stdout.trim();
}

try {
  await execa('gcc', [...cflags, '-c', join(here, 'boot.S'), '-o', join(out, 'boot.o')], { stdio: 'inherit' });
  await execa('gcc', [...cflags, '-c', join(here, 'monitor.c'), '-o', join(out, 'monitor.o')], { stdio: 'inherit' });
  await execa('ld', ['-m', 'elf_i386', '-nostdlib', '--build-id=none', '-z', 'max-page-size=0x1000', '--no-warn-rwx-segments',
    '-T', join(here, 'monitor.ld'), '-o', join(out, 'rvc-monitor.elf'), join(out, 'boot.o'), join(out, 'monitor.o')],
  { stdio: 'inherit' });
  console.log(`built ${join(out, 'rvc-monitor.elf')}`);
} catch (e) {
  console.error(`monitor build failed: ${e.shortMessage ?? e.message}`);
  console.error('next: install a 32-bit capable gcc (Debian: apt-get install gcc-multilib) and binutils');
  process.exit(1);
}
