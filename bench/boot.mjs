#!/usr/bin/env node
// Boot of the hello guest on the bundled target, per boot, v86 vs qemu side by side, and a batch of
// 20 boots with --jobs 2. Goals (issue 5): under 300 ms wall per boot on v86 including emulator
// start; 20 boots with --jobs 2 under 5 s.
// Usage: node bench/boot.mjs [EXE] [--boots N]   (needs `npx tsc -p tsconfig.json` and
// `npm run build:monitor` first; without EXE it builds guests/hello.c from templates/
// with the host gcc -m32). Prints the machine load too: figures on a loaded machine are not
// comparable.
import { execa } from 'execa';
import { mkdir, mkdtemp, copyFile } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootAll, bootOne } from '../dist/boot/runner.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const bootsIdx = args.indexOf('--boots');
const perBackend = bootsIdx >= 0 ? Number(args[bootsIdx + 1]) : 10;
const exeArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--boots');

async function buildHello() {
  const dir = await mkdtemp(join(tmpdir(), 'rvc-bench-boot-'));
  const t = join(root, 'templates');
  await mkdir(join(dir, 'include/libcpu/virt'), { recursive: true });
  await copyFile(join(t, 'libcpu/shared/virt/hypervisor.h'), join(dir, 'include/libcpu/virt/hypervisor.h'));
  const srcs = [
    'libbsp/i386/i386virt/start/start.S', 'libbsp/i386/i386virt/startup/bspstart-virt.c',
    'libbsp/i386/i386virt/console/console-io.c', 'libbsp/i386/i386virt/clock/clock-virt.c',
    'libcpu/i386/i386virt/score/virt-call.S', 'libcpu/i386/i386virt/score/cpu.c', 'libcpu/i386/i386virt/score/cpu_asm.S',
  ].map((s) => join(t, s));
  const exe = join(dir, 'hello.exe');
  await execa('gcc', ['-m32', '-march=i486', '-ffreestanding', '-fno-pic', '-fno-pie', '-fno-stack-protector', '-O2',
    '-I', join(dir, 'include'), '-nostdlib', '-static', '-no-pie', '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments',
    '-Wl,-T', join(t, 'libbsp/i386/i386virt/startup/linkcmds'), '-o', exe, ...srcs,
    join(root, 'guests/rt.c'), join(root, 'guests/hello.c')]);
  return { exe, dir };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};

const { exe, dir } = exeArg ? { exe: exeArg, dir: await mkdtemp(join(tmpdir(), 'rvc-bench-boot-')) } : await buildHello();
const qemu = (await execa('qemu-system-i386', ['--version'], { reject: false })).exitCode === 0;
console.log(`guest ${exe}; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const rows = [];
for (const backend of qemu ? ['v86', 'qemu'] : ['v86']) {
  const ms = [];
  for (let i = 0; i < perBackend; i++) {
    const t0 = performance.now();
    const r = await bootOne(exe, join(dir, `${backend}-${i}.log`), { bsp: 'i386virt', backend, timeoutSeconds: 60, logDir: dir });
    const wall = performance.now() - t0;
    if (r.result !== 'passed') throw new Error(`${backend}: ${r.result}: ${r.reason}`);
    ms.push(wall);
  }
  const s = stats(ms);
  rows.push({ backend, ...s, first: ms[0] });
}
console.log('backend  boots  first ms  min ms  median ms  max ms   (sequential, per boot, emulator start included)');
for (const r of rows) {
  console.log(`${r.backend.padEnd(7)}  ${String(perBackend).padStart(5)}  ${r.first.toFixed(0).padStart(8)}  ${r.min.toFixed(0).padStart(6)}  ${r.median.toFixed(0).padStart(9)}  ${r.max.toFixed(0).padStart(6)}`);
}
for (const backend of qemu ? ['v86', 'qemu'] : ['v86']) {
  const t0 = performance.now();
  const run = await bootAll(Array.from({ length: 20 }, () => exe), { bsp: 'i386virt', backend, timeoutSeconds: 60, jobs: 2, logDir: join(dir, `batch-${backend}`) });
  const wall = performance.now() - t0;
  console.log(`${backend}: 20 boots --jobs 2: ${wall.toFixed(0)} ms wall, passed ${run.counts.passed}/20 (goal < 5000 ms)`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
process.exit(0);
