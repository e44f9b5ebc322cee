#!/usr/bin/env node
// Parses every Makefile.am, preinstall.am, configure.ac, *.m4 and *.cfg of an RTEMS tree with the
// lossless parsers and prints each back; reports counts, mismatches and exceptions.
// Usage: node bench/roundtrip-all.mjs TREE   (needs `npx tsc -p tsconfig.json` first)
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAutomake, parseM4, parseMakeCfg, SourceError } from '../dist/index.js';

const root = process.argv[2];
if (!root) {
  console.error('usage: node bench/roundtrip-all.mjs TREE');
  process.exit(2);
}

function kindOf(name) {
  if (name === 'Makefile.am' || name === 'preinstall.am') return 'automake';
  if (name === 'configure.ac' || name.endsWith('.m4')) return 'm4';
  if (name.endsWith('.cfg')) return 'cfg';
  return undefined;
}

const found = [];
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile()) {
      const k = kindOf(e.name);
      if (k) found.push({ file: p, kind: k });
    }
  }
})(root);

const parsers = { automake: parseAutomake, m4: parseM4, cfg: parseMakeCfg };
const counts = { automake: 0, m4: 0, cfg: 0 };
const ok = { automake: 0, m4: 0, cfg: 0 };
const problems = [];
let bytes = 0;
const t0 = performance.now();
for (const { file, kind } of found) {
  counts[kind]++;
  const text = readFileSync(file, 'latin1');
  bytes += text.length;
  const rel = path.relative(root, file);
  try {
    const doc = parsers[kind](text, rel);
    if (doc.print() === text) ok[kind]++;
    else problems.push(`${rel}: MISMATCH`);
  } catch (e) {
    if (e instanceof SourceError) problems.push(`${rel}:${e.line}: SourceError: ${e.message}`);
    else problems.push(`${rel}: EXCEPTION: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
  }
}
const ms = performance.now() - t0;
const total = found.length;
const totalOk = ok.automake + ok.m4 + ok.cfg;
console.log(`tree ${root}`);
for (const k of ['automake', 'm4', 'cfg']) console.log(`  ${k.padEnd(9)} ${ok[k]}/${counts[k]} byte-identical`);
console.log(`  total     ${totalOk}/${total} files, ${(bytes / 1024).toFixed(0)} KiB, ${ms.toFixed(0)} ms, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
for (const p of problems) console.log(`  ${p}`);
process.exitCode = problems.length ? 1 : 0;
