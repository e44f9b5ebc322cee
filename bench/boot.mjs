#!/usr/bin/env node
// Boot of the hello guest on the bundled target, per boot, v86 vs qemu side by side, and a batch of
// 20 boots with --jobs 2. Goals (issue 5): under 300 ms wall per boot on v86 including emulator
// start; 20 boots with --jobs 2 under 5 s.
// Usage: node bench/boot.mjs [EXE] [--boots N]   (needs `npx tsc -p tsconfig.json` and
// `npm run build:monitor` first; without EXE it builds guests/hello.c from templates/
// with the host gcc -m32). Prints the machine load too: figures on a loaded machine are not
// comparable.
import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { bootAll, bootOne } from '../dist/boot/runner.js';
import { buildGuest, GUEST_PROGRAMS, TEMPLATES_LIB } from '../dist/boot/guest-build.js';

const args = process.argv.slice(2);
const bootsIdx = args.indexOf('--boots');
const perBackend = bootsIdx >= 0 ? Number(args[bootsIdx + 1]) : 10;
const exeArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--boots');

async function buildHello() {
  const dir = await mkdtemp(join(tmpdir(), 'rvc-bench-boot-'));
  const exe = await buildGuest({
    lib: TEMPLATES_LIB,
    programs: [join(GUEST_PROGRAMS, 'rt.c'), join(GUEST_PROGRAMS, 'hello.c')],
    out: join(dir, 'hello.exe'),
    work: dir,
  });
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
