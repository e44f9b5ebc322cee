#!/usr/bin/env node
// Patch of a full tree: copies TREE to a temporary directory, then times planPatch and applyPlan
// (wall, per phase) and the peak RSS, over several runs on fresh copies. Prints one line per run
// and the medians. The copy is not timed.
//
//   npx tsc -p tsconfig.json && node bench/patch-tree.mjs /path/to/rtems-4.11 [--arch i386] [--runs 5]
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTree } from '../dist/model/tree.js';
import { planPatch } from '../dist/patch/plan.js';
import { applyPlanAsync } from '../dist/patch/transaction.js';

const args = process.argv.slice(2);
const tree = args.find((a) => !a.startsWith('--'));
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
if (!tree) {
  console.error('usage: node bench/patch-tree.mjs TREE [--arch i386] [--runs 5]');
  process.exit(2);
}
const arch = opt('arch', 'i386');
const runs = Number(opt('runs', '5'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rvc-bench-patch-'));
  cpSync(tree, dir, { recursive: true });
  const t0 = performance.now();
  const t = loadTree(dir);
  const t1 = performance.now();
  const plan = await planPatch(t, arch, { removeEnableParavirt: true });
  const t2 = performance.now();
  const res = await applyPlanAsync(dir, plan);
  const t3 = performance.now();
  const again = await planPatch(loadTree(dir), arch, { removeEnableParavirt: true });
  const t4 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const row = { load: t1 - t0, plan: t2 - t1, apply: t3 - t2, total: t3 - t0, rerun: t4 - t3, files: res.created.length + res.modified.length + res.deleted.length, noopAfter: again.edits.length === 0 };
  rows.push(row);
  console.log(
    `run ${i + 1}: load ${row.load.toFixed(0)} ms, plan ${row.plan.toFixed(0)} ms, apply ${row.apply.toFixed(0)} ms, total ${row.total.toFixed(0)} ms; ` +
      `${row.files} files written; second run ${row.rerun.toFixed(0)} ms, ${row.noopAfter ? 'nothing to do' : 'NOT idempotent'}`,
  );
}
console.log(
  `median of ${runs}: total ${median(rows.map((r) => r.total)).toFixed(0)} ms (load ${median(rows.map((r) => r.load)).toFixed(0)}, ` +
    `plan ${median(rows.map((r) => r.plan)).toFixed(0)}, apply ${median(rows.map((r) => r.apply)).toFixed(0)}); ` +
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
