// Indexes every C/header/assembler file under cpukit/score/cpu and
// c/src/lib/libcpu of TREE, arch by arch, and prints timings and the
// privileged/sensitive findings per architecture.
//   npx tsc -p tsconfig.json && node bench/source-index.mjs /path/to/rtems [--list ARCH]
import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildSourceIndex, privilegedUses, loadInstructionTable, listInstructionTables } from '../dist/index.js';

const tree = process.argv[2];
const listArch = process.argv[3] === '--list' ? process.argv[4] : null;
if (!tree) {
  console.error('usage: node bench/source-index.mjs TREE [--list ARCH]');
  process.exit(2);
}

function walk(rel, out) {
  const abs = path.join(tree, rel);
  if (!existsSync(abs)) return out;
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(r, out);
    else if (/\.(c|h|S|s)$/.test(e.name)) out.push(r);
  }
  return out;
}

const cpuDir = 'cpukit/score/cpu';
import os from 'node:os';

// Phase 1: every file of cpukit/score/cpu and c/src/lib/libcpu in one index (tree-sitter init included).
{
  const all = [...walk(cpuDir, []), ...walk('c/src/lib/libcpu', [])];
  for (let run = 1; run <= 2; run++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const idx = await buildSourceIndex(tree, all, 'i386');
    const w1 = performance.now();
    const cpu1 = process.cpuUsage(c0);
    let n = 0;
    for (const f of idx.files) if (f.parsed) n += f.functions.length;
    const w2 = performance.now();
    console.log(`all files, run ${run}: ${idx.files.length} files indexed in ${(w1 - w0).toFixed(0)} ms wall / ${((cpu1.user + cpu1.system) / 1000).toFixed(0)} ms cpu; forcing every C parse (${n} functions) ${(w2 - w1).toFixed(0)} ms more`);
  }
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cpus`);
}

const arches = readdirSync(path.join(tree, cpuDir)).filter((d) => statSync(path.join(tree, cpuDir, d)).isDirectory()).sort();
const tables = new Set(listInstructionTables());
const t0 = performance.now();
const c0 = process.cpuUsage();
let files = 0;
let bytes = 0;
let parsed = 0;
const rows = [];
for (const arch of arches) {
  const rel = [...walk(`${cpuDir}/${arch}`, []), ...walk(`c/src/lib/libcpu/${arch}`, [])];
  const a0 = performance.now();
  const idx = await buildSourceIndex(tree, rel, arch);
  const indexMs = performance.now() - a0;
  files += idx.files.length;
  for (const f of idx.files) {
    bytes += f.size;
    if (f.parsed) parsed++;
  }
  let uses = [];
  let closureMs = 0;
  if (tables.has(arch)) {
    const c0 = performance.now();
    uses = privilegedUses(idx, loadInstructionTable(arch));
    closureMs = performance.now() - c0;
  }
  const direct = uses.filter((u) => u.kind === 'instruction').length;
  const score = uses.filter((u) => u.file.startsWith(cpuDir)).length;
  rows.push({ arch, files: idx.files.length, indexMs: indexMs.toFixed(0), closureMs: closureMs.toFixed(0), uses: uses.length, direct, viaChain: uses.length - direct, inScoreCpu: score, table: tables.has(arch) ? 'yes' : 'NO' });
  if (listArch === arch) {
    for (const u of uses) {
      const via = u.via.length ? ` via ${u.via.map((v) => v.name).join(' > ')}` : '';
      const cond = u.conditions.length ? ` [${u.conditions.map((c) => `${c.text}@${c.line}`).join(' / ')}]` : '';
      console.log(`${u.file}:${u.line}:${u.column} ${u.class} ${u.entryId} \`${u.instruction.text}\`${via} in ${u.context.kind} ${u.context.name ?? ''}${cond}`);
    }
  }
}
const total = performance.now() - t0;
const cpu = process.cpuUsage(c0);
console.table(rows);
console.log(`tree ${tree}: ${files} files, ${(bytes / 1e6).toFixed(1)} MB, ${parsed} parsed by tree-sitter, wall ${total.toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (incl. wasm init; index+closure per arch above), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
