#!/usr/bin/env node
// Times the patch transaction on a copy of a real RTEMS tree (the tree itself is never written):
// a synthetic plan of the size `patch --arch ARCH` makes (every build file of the arch's libbsp and
// libcpu and every score/cpu source modified, N new files in new directories, one deletion);
// prints wall ms for validatePlan, checkGitState (with --git: the copy is committed first),
// renderDiff, applyPlan, applyPlanAsync, and recoverJournal after a child applying the reverse plan was killed
// half-way through its renames; and the peak RSS.
// Usage: node bench/transaction.mjs TREE [--arch i386] [--new 60] [--git]   (needs `npx tsc -p tsconfig.json` first)
import { mkdtempSync, readFileSync, readdirSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { validatePlan, checkGitState, applyPlan, applyPlanAsync, recoverJournal, renderDiff, summarizePlan } from '../dist/index.js';

const argv = process.argv.slice(2);
const tree = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.match(/^--(arch|new)$/));
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
if (!tree) {
  console.error('usage: node bench/transaction.mjs TREE [--arch i386] [--new 60] [--git]');
  process.exit(2);
}
const arch = opt('--arch', 'i386');
const nNew = Number(opt('--new', '60'));
const withGit = argv.includes('--git');

const ms = (t) => `${(performance.now() - t).toFixed(1)} ms`;
const work = mkdtempSync(path.join(tmpdir(), 'rvc-bench-tx-'));
const root = path.join(work, 'tree');
let t = performance.now();
await execa('cp', ['-a', path.resolve(tree), root]);
console.log(`copy of ${tree}: ${ms(t)}`);

function walk(rel, keep, out = []) {
  let names;
  try {
    names = readdirSync(path.join(root, rel));
  } catch {
    return out;
  }
  for (const n of names.sort()) {
    const r = `${rel}/${n}`;
    const st = statSync(path.join(root, r));
    if (st.isDirectory()) walk(r, keep, out);
    else if (keep(n)) out.push(r);
  }
  return out;
}
const buildFiles = [...walk(`c/src/lib/libbsp/${arch}`, (n) => /^(Makefile\.am|preinstall\.am|configure\.ac|acinclude\.m4)$/.test(n)),
  ...walk(`c/src/lib/libcpu/${arch}`, (n) => /^(Makefile\.am|preinstall\.am|configure\.ac)$/.test(n))];
const scoreFiles = walk(`cpukit/score/cpu/${arch}`, (n) => /\.(c|h|S)$/.test(n));
const read = (rel) => readFileSync(path.join(root, rel), 'latin1');
const edits = [];
for (const p of [...buildFiles, ...scoreFiles.slice(1)]) {
  const before = read(p);
  edits.push({ path: p, before, after: `${before}\n# touched by ${arch}virt bench\n` });
}
const deleted = scoreFiles[0];
if (deleted) edits.push({ path: deleted, before: read(deleted), after: null });
for (let i = 0; i < nNew; i++) {
  const dir = i % 3 === 0 ? `c/src/lib/libbsp/${arch}/${arch}virt/sub${i % 5}` : `c/src/lib/libcpu/${arch}/${arch}virt/score${i % 4}`;
  edits.push({ path: `${dir}/new${i}.c`, before: null, after: `/* generated ${i} */\n${'int x;\n'.repeat(200)}` });
}
const plan = { arch, edits, notes: [] };
console.log(`plan: ${edits.length} files (${buildFiles.length + scoreFiles.length - 1} modified, ${nNew} created, ${deleted ? 1 : 0} deleted)`);

if (withGit) {
  t = performance.now();
  await execa('git', ['init', '-q'], { cwd: root });
  await execa('git', ['add', '-A'], { cwd: root });
  await execa('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', 'commit', '-q', '-m', 'tree'], { cwd: root });
  console.log(`git init+commit of the copy: ${ms(t)} (setup, not the tool)`);
  t = performance.now();
  const g = await checkGitState(root, edits.map((e) => e.path));
  console.log(`checkGitState: ${ms(t)} (git: ${g.isGit}, dirty: ${g.dirty.length})`);
}

t = performance.now();
validatePlan(root, plan);
console.log(`validatePlan: ${ms(t)}`);
t = performance.now();
const diff = renderDiff(plan);
const summary = summarizePlan(plan);
console.log(`renderDiff + summarizePlan: ${ms(t)} (${diff.length} chars, ${summary.files.length} files)`);
t = performance.now();
const r = applyPlan(root, plan);
console.log(`applyPlan: ${ms(t)} (created ${r.created.length}, modified ${r.modified.length}, deleted ${r.deleted.length}, dirs ${r.dirsCreated.length})`);

const reverse = { arch, notes: [], edits: edits.map((e) => ({ path: e.path, before: e.after, after: e.before })) };
t = performance.now();
await applyPlanAsync(root, reverse);
console.log(`applyPlanAsync of the reverse plan (parallel fsyncs): ${ms(t)}`);
t = performance.now();
await applyPlanAsync(root, plan);
console.log(`applyPlanAsync of the plan again: ${ms(t)}`);

// Recovery: a child applies the reverse plan and is killed halfway through its renames.
const planFile = path.join(work, 'reverse.json');
writeFileSync(planFile, JSON.stringify(reverse));
const dist = fileURLToPath(new URL('../dist/patch/transaction.js', import.meta.url));
const childSrc = `import { readFileSync } from 'node:fs'; const { applyPlan } = await import(${JSON.stringify(dist)}); applyPlan(process.argv[1], JSON.parse(readFileSync(process.argv[2], 'utf8')));`;
const c = await execa(process.execPath, ['--input-type=module', '-e', childSrc, root, planFile], {
  env: { RVC_TEST_CRASH_AT: `renamed:${Math.floor(edits.length / 2)}` },
  reject: false,
});
if (c.signal !== 'SIGKILL') console.log(`child was not killed: ${c.stderr}`);
t = performance.now();
const rep = recoverJournal(root);
console.log(`recoverJournal after kill -9 at rename ${Math.floor(edits.length / 2)}/${edits.length}: ${ms(t)} (${rep?.message})`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
rmSync(work, { recursive: true, force: true });
