#!/usr/bin/env node
// Usage: node bench/generated-files.mjs TREE
//
// For every Makefile.am of TREE that bootstrap -p regenerates (it includes a
// preinstall.am) or that has a preinstall.am beside it, compares
// generatePreinstall(Makefile.am) with the committed preinstall.am and, when
// perl is installed and the tree has an ampolish3, with what
// `perl TREE/ampolish3 Makefile.am` prints. For every libbsp/<arch>/acinclude.m4
// compares generateAcinclude with the committed file and with what the tree's
// own bootstrap function `generate_bspdir_acinclude` writes, run by /bin/sh in a
// scratch copy of the bsp_specs layout under the OS temp dir (nothing is
// written into TREE). Prints counts, wall ms and peak RSS; exits 1 when the
// generator disagrees with the tree's own script anywhere.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadTree,
  generatePreinstall,
  preinstallTargets,
  ampolish3Variant,
  sameUpToHashOrder,
  generateAcinclude,
  acincludeArches,
  acincludeFamilies,
  sameArms,
} from '../dist/index.js';

const root = process.argv[2];
if (!root) {
  console.error('usage: node bench/generated-files.mjs TREE');
  process.exit(2);
}
const t0 = performance.now();
const tree = loadTree(root);
const tLoad = performance.now() - t0;
let failures = 0;

// ---------------------------------------------------------------- preinstall.am
const variant = ampolish3Variant(tree);
const t1 = performance.now();
const included = preinstallTargets(tree);
const tFind = performance.now() - t1;
const includedSet = new Set(included.map((t) => t.makefileAm));
// Makefile.am files with a preinstall.am beside them that bootstrap would not regenerate
const orphans = [];
for (const t of walkPreinstalls(tree.root)) {
  const am = t.replace(/preinstall\.am$/, 'Makefile.am');
  if (!includedSet.has(am)) orphans.push(t);
}
const texts = included.map((t) => ({ ...t, am: tree.files.text(t.makefileAm), committed: tree.files.text(t.preinstallAm) }));

const t2 = performance.now();
const generated = texts.map((t) => generatePreinstall(t.am, { variant: variant ?? 'sorted' }));
const tGen = performance.now() - t2;
const t2b = performance.now();
for (const t of texts) generatePreinstall(t.am, { variant: variant ?? 'sorted' });
const tGenWarm = performance.now() - t2b;

let equalCommitted = 0;
const stale = [];
texts.forEach((t, i) => {
  if (t.committed === generated[i]) equalCommitted++;
  else stale.push(t.preinstallAm + (t.committed === undefined ? ' (missing)' : ''));
});

const perl = await which('perl');
const script = path.join(tree.root, 'ampolish3');
let perlReport = 'not run (no perl on PATH)';
if (variant === undefined) perlReport = 'not run (the tree has no ampolish3)';
else if (perl) {
  const t3 = performance.now();
  let equal = 0;
  const differs = [];
  let nondeterministic = 0;
  let perlRuns = 0;
  const notEquivalent = new Set();
  await pool(texts, 8, async (t, i) => {
    const abs = path.join(tree.root, t.makefileAm);
    // sorted: two different hash seeds must give one output (the script is deterministic)
    // perl-hash-order: the script's output depends on the seed; ours must be one of them
    const seeds = variant === 'sorted' ? [1, 2] : Array.from({ length: 32 }, (_, k) => k);
    const outs = new Set();
    let hit = false;
    for (const seed of seeds) {
      const r = await execa(perl, [script, abs], {
        encoding: 'latin1',
        env: { PERL_HASH_SEED: String(seed), PERL_PERTURB_KEYS: '0' },
        stripFinalNewline: false,
      });
      perlRuns++;
      outs.add(r.stdout);
      if (r.stdout === generated[i]) hit = true;
      if (variant !== 'sorted' && hit && outs.size > 1) break;
    }
    if (outs.size > 1) nondeterministic++;
    for (const o of outs) if (!sameUpToHashOrder(o, generated[i])) notEquivalent.add(t.makefileAm);
    if (hit && (variant !== 'sorted' || outs.size === 1)) equal++;
    else differs.push(t.makefileAm);
  });
  const ms = performance.now() - t3;
  perlReport =
    `${equal} equal to ampolish3, ${differs.length} differ` +
    (variant === 'sorted'
      ? ` (each run under two hash seeds; ${nondeterministic} gave two outputs)`
      : ` (output depends on perl's hash seed for ${nondeterministic} files; ours is one of the outputs of seeds 0..31)`) +
    `; ${notEquivalent.size} with a perl output that is more than a reordering of ours` +
    `; ${perlRuns} perl runs in ${ms.toFixed(0)} ms`;
  failures += notEquivalent.size;
  if (differs.length > 0) {
    failures += differs.length;
    perlReport += '\n    differ: ' + differs.join('\n    differ: ');
  }
}

console.log(`tree ${tree.root} (version ${tree.version?.raw ?? '?'}, layout ${tree.layout})`);
console.log(`load tree: ${tLoad.toFixed(1)} ms`);
console.log(`preinstall.am (ampolish3 variant: ${variant ?? 'none'})`);
console.log(`  Makefile.am including a preinstall.am: ${included.length} (found in ${tFind.toFixed(1)} ms)`);
console.log(`  preinstall.am beside a Makefile.am that does not include it: ${orphans.length}${orphans.length ? ' ' + orphans.join(' ') : ''}`);
console.log(`  generated ${generated.length} in ${tGen.toFixed(1)} ms (${(tGen / Math.max(1, generated.length)).toFixed(3)} ms each); again, warm: ${tGenWarm.toFixed(1)} ms`);
console.log(`  vs committed: ${equalCommitted} equal, ${stale.length} stale${stale.length ? '\n    stale: ' + stale.join('\n    stale: ') : ''}`);
console.log(`  vs perl ampolish3: ${perlReport}`);

// ---------------------------------------------------------------- acinclude.m4
const arches = acincludeArches(tree);
const t4 = performance.now();
const acGen = arches.map((a) => generateAcinclude(tree, a));
const tAc = performance.now() - t4;
let acEqual = 0;
const acStale = [];
arches.forEach((a, i) => {
  const rel = `c/src/lib/libbsp/${a}/acinclude.m4`;
  if (tree.files.text(rel) === acGen[i]) acEqual++;
  else acStale.push(rel);
});
console.log('acinclude.m4');
console.log(`  arches whose libbsp configure.ac calls RTEMS_CHECK_BSPDIR: ${arches.length}; generated in ${tAc.toFixed(2)} ms`);
console.log(`  vs committed: ${acEqual} equal, ${acStale.length} stale${acStale.length ? ' ' + acStale.join(' ') : ''}`);

const fn = bootstrapFunction(tree.root);
if (!fn) {
  console.log('  vs bootstrap: not run (this bootstrap has no generate_bspdir_acinclude; the files are kept by hand)');
} else {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'rvc-acinclude-'));
  try {
    const locales = [{ name: 'caller environment', env: {} }];
    const en = await enUsLocale();
    if (en) locales.push({ name: `LC_ALL=${en.LC_ALL}`, env: en });
    for (const loc of locales) {
      let equal = 0;
      const differs = [];
      let reordered = 0;
      const t5 = performance.now();
      for (const [i, a] of arches.entries()) {
        const dir = path.join(scratch, a);
        rmSync(dir, { recursive: true, force: true });
        for (const f of tree.families.filter((f) => f.arch === a)) {
          mkdirSync(path.join(dir, f.name), { recursive: true });
          writeFileSync(path.join(dir, f.name, 'bsp_specs'), readFileSync(path.join(tree.root, f.bspSpecs)));
        }
        mkdirSync(dir, { recursive: true });
        await execa('/bin/sh', ['-c', `${fn}\ngenerate_bspdir_acinclude`], { cwd: dir, env: loc.env });
        const out = readFileSync(path.join(dir, 'acinclude.m4'), 'latin1');
        if (out === acGen[i]) equal++;
        else if (sameArms(out, acincludeFamilies(tree, a))) reordered++;
        else differs.push(a);
      }
      const ms = performance.now() - t5;
      console.log(
        `  vs bootstrap's generate_bspdir_acinclude (${loc.name}): ${equal} equal, ${reordered} same arms in another order, ${differs.length} differ (${ms.toFixed(0)} ms)` +
          (differs.length ? ' ' + differs.join(' ') : ''),
      );
      // only the caller's C/C.UTF-8 run is the reference; another locale reordering arms is the finding, not a bug
      if (loc === locales[0]) failures += differs.length + reordered;
      else failures += differs.length;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB; total ${(performance.now() - t0).toFixed(0)} ms`);
process.exit(failures > 0 ? 1 : 0);

// ---------------------------------------------------------------- helpers
function* walkPreinstalls(rootDir) {
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop();
    for (const e of readdirSync(path.join(rootDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) stack.push(r);
      else if (e.name === 'preinstall.am') yield r;
    }
  }
}

/** The text of `generate_bspdir_acinclude() { ... }` in TREE/bootstrap, or undefined. */
function bootstrapFunction(rootDir) {
  const f = path.join(rootDir, 'bootstrap');
  if (!existsSync(f)) return undefined;
  const m = /^generate_bspdir_acinclude\(\)\n\{\n[\s\S]*?\n\}\n/m.exec(readFileSync(f, 'latin1'));
  return m ? m[0] : undefined;
}

async function which(cmd) {
  try {
    const r = await execa('sh', ['-c', 'command -v "$1"', 'sh', cmd]);
    return r.stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** An en_US.UTF-8 locale if the system has one (or LOCPATH points at a compiled one). */
async function enUsLocale() {
  try {
    const r = await execa('locale', ['-a'], { env: process.env.LOCPATH ? { LOCPATH: process.env.LOCPATH } : {} });
    const name = r.stdout.split('\n').find((l) => /^en_US\.utf-?8$/i.test(l.trim()));
    if (name) return { LC_ALL: name.trim(), ...(process.env.LOCPATH ? { LOCPATH: process.env.LOCPATH } : {}) };
  } catch {
    /* no locale tool */
  }
  if (process.env.LOCPATH && existsSync(path.join(process.env.LOCPATH, 'en_US.UTF-8'))) {
    return { LC_ALL: 'en_US.UTF-8', LOCPATH: process.env.LOCPATH };
  }
  return undefined;
}

async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}
