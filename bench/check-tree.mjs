#!/usr/bin/env node
// Usage: node bench/check-tree.mjs TREE [--runs N]
//
// Full-tree `check` (loadTree + every rule) against the time it takes just to
// read the same files: both are run N times (default 3) in fresh child
// processes, and the best wall time of each is printed with the peak RSS of
// the check, its CPU time and the machine's load average (a loaded 2-core
// machine stretches wall times; the CPU figure is less sensitive to that).
// Requires `npx tsc -p tsconfig.json` (imports ../dist).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const [mode, ...rest] = process.argv.slice(2);

if (mode === '--child-check') {
  const [tree, listFile] = rest;
  const { loadTree, check } = await import(new URL('../dist/index.js', import.meta.url).href);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const t = loadTree(tree);
  const timings = {};
  const r = await check(t, { timings });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // the FileStore's own record of what it read (private field, read here for the comparison only)
  const read = [...t.files.texts.entries()].filter(([, v]) => v !== undefined).map(([k]) => k);
  writeFileSync(listFile, JSON.stringify(read));
  const counts = {};
  for (const d of r.diagnostics) counts[d.ruleId] = (counts[d.ruleId] ?? 0) + 1;
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, filesRead: r.summary.filesRead, findings: counts, timings }));
  process.exit(0);
}
if (mode === '--child-read') {
  const [tree, listFile] = rest;
  const list = JSON.parse(readFileSync(listFile, 'utf8'));
  const t0 = performance.now();
  let bytes = 0;
  for (const f of list) bytes += readFileSync(path.join(tree, f), 'latin1').length;
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, bytes, files: list.length }));
  process.exit(0);
}

const tree = path.resolve(mode ?? '.');
const runs = rest[0] === '--runs' ? Number(rest[1]) : 3;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-bench-'));
const listFile = path.join(tmp, 'files.json');
const child = (m) => JSON.parse(execFileSync(process.execPath, [self, m, tree, listFile], { encoding: 'utf8', maxBuffer: 1 << 26 }));
try {
  const checks = [];
  const reads = [];
  for (let i = 0; i < runs; i++) {
    checks.push(child('--child-check'));
    reads.push(child('--child-read'));
  }
  const best = (xs) => xs.reduce((a, b) => (a.ms <= b.ms ? a : b));
  const c = best(checks);
  const r = best(reads);
  console.log(`tree ${tree}`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  console.log(`check (loadTree + all rules): best of ${runs} ${c.ms.toFixed(0)} ms wall, ${c.cpuMs.toFixed(0)} ms CPU, peak RSS ${c.rssMb.toFixed(0)} MB, ${c.filesRead} files read`);
  console.log(`  all runs (ms): ${checks.map((x) => x.ms.toFixed(0)).join(' ')}`);
  console.log(`read the same ${r.files} files (${(r.bytes / 1e6).toFixed(1)} MB): best of ${runs} ${r.ms.toFixed(0)} ms  (runs: ${reads.map((x) => x.ms.toFixed(0)).join(' ')})`);
  console.log(`ratio check / read: ${(c.ms / r.ms).toFixed(1)}x`);
  console.log(`per rule (ms, best run; a rule pays for the files and resolutions it is first to need): ${Object.entries(c.timings).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`findings: ${JSON.stringify(c.findings)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
