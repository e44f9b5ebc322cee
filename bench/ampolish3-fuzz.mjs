#!/usr/bin/env node
// Usage: node bench/ampolish3-fuzz.mjs TREE [COUNT] [SEED]
//
// Differential test of generatePreinstall against the tree's own
// `perl TREE/ampolish3` on COUNT (default 2000) random Makefile.am texts built
// from the kinds of lines the script treats specially (dirs, primaries with
// every prefix, noinst, conditionals, continuations, recipe lines, CR, odd
// bytes, a missing final newline). Needs perl and a tree with an ampolish3.
// For a 4.10 tree (unsorted hash iteration) perl runs with PERL_HASH_SEED=16,
// PERL_PERTURB_KEYS=0 — the seed under which this perl puts the header blocks in
// the committed 4.10 order — so its output is deterministic; prints the number
// of differences and the first few, and exits 1 on any.
import { execa } from 'execa';
import path from 'node:path';
import { loadTree, generatePreinstall, ampolish3Variant } from '../dist/index.js';

const [root, countArg, seedArg] = process.argv.slice(2);
if (!root) {
  console.error('usage: node bench/ampolish3-fuzz.mjs TREE [COUNT] [SEED]');
  process.exit(2);
}
const tree = loadTree(root);
const variant = ampolish3Variant(tree);
if (!variant) {
  console.error(`${root} has no ampolish3`);
  process.exit(2);
}
const count = Number(countArg ?? 2000);
let seed = Number(seedArg ?? 1) >>> 0;
const rnd = (n) => {
  // xorshift32
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
};
const pick = (a) => a[rnd(a.length)];

const names = ['include', 'include_bsp', 'include_rtems_score', 'project_lib', 'lib', 'bin', 'pkgdata', 'foo', 'project', 'include_libcpu'];
const prefixes = ['', 'dist_', 'nodist_', 'noinst_', 'project_', 'dist_project_', 'nodist_project_'];
const primaries = ['HEADERS', 'LIBRARIES', 'DATA', 'SCRIPTS', 'PROGRAMS', 'SOURCES'];
const files = ['a.h', 'include/bsp.h', '../../shared/include/x.h', 'start.$(OBJEXT)', 'shared/score.rel', 'linkcmds', '$(srcdir)/y.h', 'sub/dir/z.exe', '\xa0odd.h'];
const ws = [' ', '', '\t', '  '];
const ops = ['=', '+=', ':=', ' = ', ' += '];
const conds = ['if A', 'if !B', 'else', 'endif', 'if HAS_SMP', 'ifeq ($(X),y)', '  if C', 'endif # A', 'if'];
const dirValues = ['$(includedir)', '$(includedir)/bsp', '$(libdir)', '$(project_libdir)/x', '$(include_bspdir)/sub', '$(prefix)/bin', '', '$(undefineddir)/q'];

function line() {
  switch (rnd(12)) {
    case 0:
    case 1:
    case 2: {
      const fs = Array.from({ length: rnd(4) }, () => pick(files));
      return `${pick(prefixes)}${pick(names)}_${pick(primaries)}${pick(ws)}${pick(ops)}${pick(ws)}${fs.join(pick([' ', ' \\\n\t', '\t']))}`;
    }
    case 3:
      return `${pick(names)}dir${pick(ws)}${pick(['=', '+=', ' = '])}${pick(ws)}${pick(dirValues)}${pick(ws)}`;
    case 4:
    case 5:
      return pick(conds);
    case 6:
      return pick(['CLEANFILES = x', 'DISTCLEANFILES += y', 'SUBDIRS = .', '\tCLEANFILES = z', 'CLEANFILES=w']);
    case 7:
      return pick([
        'foo: bar', '\t$(CC) -o $@ $<', 'foo: a \\', 'x = \\', 'ACLOCAL_AMFLAGS = -I ../aclocal', '# comment', '## am comment',
        'elsewhere = x', 'iffy_SOURCES = a.c', '# if commented', 'includedir = $(prefix)/inc', 'libdir = $(prefix)/lib',
        'project_includedir = $(includedir)/p', '  include_HEADERS = lead.h', 'include_HEADERS = $(srcdir)/s.h x=y.h',
      ]);
    case 8:
      return '';
    case 9:
      return `${pick(names)}_${pick(primaries)} = ${pick(files)} \\`;
    case 10:
      return pick(['include $(srcdir)/preinstall.am', 'include $(top_srcdir)/automake/compile.am']);
    default:
      return `${pick(prefixes)}${pick(names)}_${pick(primaries)} = ${pick(files)}`;
  }
}

function makefile() {
  const n = 1 + rnd(25);
  const eol = rnd(10) === 0 ? '\r\n' : '\n';
  let s = Array.from({ length: n }, line).join(eol);
  if (rnd(5) !== 0) s += eol;
  return s;
}

const script = path.join(tree.root, 'ampolish3');
const env = variant === 'sorted' ? {} : { PERL_HASH_SEED: '16', PERL_PERTURB_KEYS: '0' };
const t0 = performance.now();
let differ = 0;
let shown = 0;
let genMs = 0;
const inputs = Array.from({ length: count }, makefile);
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < inputs.length) {
      const text = inputs[next++];
      const r = await execa('perl', [script], { input: Buffer.from(text, 'latin1'), encoding: 'latin1', env, stripFinalNewline: false });
      const g0 = performance.now();
      const got = generatePreinstall(text, { variant });
      genMs += performance.now() - g0;
      if (got !== r.stdout) {
        differ++;
        if (shown++ < 3) {
          console.log('--- input', JSON.stringify(text));
          console.log('--- ampolish3', JSON.stringify(r.stdout));
          console.log('--- generatePreinstall', JSON.stringify(got));
        }
      }
    }
  }),
);
console.log(
  `${count} random Makefile.am (seed ${seedArg ?? 1}), ampolish3 variant ${variant}: ${count - differ} equal, ${differ} differ; ` +
    `generator ${genMs.toFixed(0)} ms total, wall ${(performance.now() - t0).toFixed(0)} ms, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`,
);
process.exit(differ > 0 ? 1 : 0);
