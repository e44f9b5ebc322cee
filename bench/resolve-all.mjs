#!/usr/bin/env node
// Loads an RTEMS tree and resolves every BSP it offers; prints wall ms, peak RSS, BSP counts, the
// distinct unknown reasons, and as the floor the time `cat` takes over the files the model read.
// Usage: node bench/resolve-all.mjs TREE [--verbose] [--repeat N]   (needs `npx tsc -p tsconfig.json` first)
// --repeat N: load and resolve N more times from scratch and also print the fastest run (load spikes on a
// shared machine only ever make a run slower).
import path from 'node:path';
import { execa } from 'execa';
import { loadTree, resolveBsp, SourceError } from '../dist/index.js';

const root = process.argv[2];
const verbose = process.argv.includes('--verbose');
const ri = process.argv.indexOf('--repeat');
const repeat = ri > 0 ? Number(process.argv[ri + 1]) : 1;
if (!root) {
  console.error('usage: node bench/resolve-all.mjs TREE [--verbose]');
  process.exit(2);
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const tree = loadTree(root);
const tLoad = performance.now() - t0;
let resolved = 0;
let withUnknowns = 0;
const failed = [];
const reasons = new Map();
const perBsp = [];
for (const b of tree.bsps) {
  try {
    const r = resolveBsp(tree, b.name, { arch: b.arch });
    if (r.unknowns.length === 0) resolved++;
    else withUnknowns++;
    perBsp.push(r);
    for (const u of r.unknowns) {
      // group by reason with BSP-specific words kept: the reason text names the condition or variable
      const key = `${u.file}:${u.line}: ${u.why}`;
      const e = reasons.get(key) ?? { n: 0, bsps: [] };
      e.n++;
      e.bsps.push(b.name);
      reasons.set(key, e);
    }
  } catch (e) {
    failed.push(`${b.arch}/${b.name}: ${e instanceof SourceError ? `${e.file}:${e.line}: ${e.message}` : e?.stack ?? e}`);
  }
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const rss = process.resourceUsage().maxRSS / 1024;

const walls = [wall];
for (let k = 1; k < repeat; k++) {
  const s0 = performance.now();
  const t = loadTree(root);
  for (const b of t.bsps) resolveBsp(t, b.name, { arch: b.arch });
  walls.push(performance.now() - s0);
}

// the floor: cat over the same files, argument arrays in batches
const files = [...tree.files['texts'].entries()].filter(([, t]) => t !== undefined).map(([rel]) => path.join(tree.root, rel));
const c0 = performance.now();
let catBytes = 0;
for (let i = 0; i < files.length; i += 500) {
  const r = await execa('cat', files.slice(i, i + 500), { encoding: 'buffer', stripFinalNewline: false });
  catBytes += r.stdout.length;
}
let catMs = performance.now() - c0;
for (let k = 1; k < repeat; k++) {
  const c1 = performance.now();
  for (let i = 0; i < files.length; i += 500) await execa('cat', files.slice(i, i + 500), { encoding: 'buffer', stripFinalNewline: false });
  catMs = Math.min(catMs, performance.now() - c1);
}

console.log(`tree ${tree.root} (RTEMS ${tree.version?.raw ?? '?'}, layout ${tree.layout})`);
console.log(`  BSPs ${tree.bsps.length} (${tree.arches.length} CPUs, ${tree.families.length} families)`);
console.log(`  fully resolved ${resolved}, with unknowns ${withUnknowns}, failed ${failed.length}`);
console.log(`  wall ${wall.toFixed(0)} ms (loadTree ${tLoad.toFixed(0)} ms), CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, peak RSS ${rss.toFixed(0)} MB, load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
if (repeat > 1) console.log(`  fastest of ${repeat} runs: ${Math.min(...walls).toFixed(0)} ms (median ${[...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)].toFixed(0)} ms)`);
console.log(`  files read ${tree.files.filesRead}; cat over them${repeat > 1 ? ` (fastest of ${repeat})` : ''}: ${catMs.toFixed(0)} ms (${(catBytes / 1024).toFixed(0)} KiB)`);
if (reasons.size) {
  console.log(`  distinct unknowns ${reasons.size}${verbose || reasons.size <= 12 ? '' : ' (top 12; --verbose for all)'}:`);
  for (const [k, e] of [...reasons].sort((a, b) => b[1].n - a[1].n).slice(0, verbose ? Infinity : 12)) {
    console.log(`    ${String(e.n).padStart(3)}x ${k}${verbose ? `  [${e.bsps.join(' ')}]` : ''}`);
  }
}
// the same reasons with file names and words abstracted: what kinds of facts stay undecided
const classes = new Map();
for (const [k, e] of reasons) {
  const c = k
    .replace(/^\S+:\d+: /, '')
    .replace(/^whether .*? (is|are) (built|linked)/, 'whether X is $2')
    .replace(/AM_CONDITIONAL \S+/, 'AM_CONDITIONAL C')
    .replace(/ at \S+:\d+/g, ' at F:L')
    .replace(/BSPs matching `[^`]*`/, 'BSPs matching P');
  const x = classes.get(c) ?? new Set();
  for (const b of e.bsps) x.add(b);
  classes.set(c, x);
}
if (classes.size) {
  console.log(`  unknown kinds (BSPs affected):`);
  for (const [c, bs] of [...classes].sort((a, b) => b[1].size - a[1].size)) console.log(`    ${String(bs.size).padStart(3)} ${c}`);
}
for (const f of failed) console.log(`  FAILED ${f}`);
if (verbose) {
  for (const r of perBsp) console.log(`  ${r.arch}/${r.bsp}: model=${r.cpuModel} family=${r.family} rels=${r.libcpu.rels.length} libadd=${r.libbspLibadd.length} unknowns=${r.unknowns.length}`);
}
