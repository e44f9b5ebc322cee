import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAutomake } from '../../src/parse/automake.js';
import { parseM4 } from '../../src/parse/m4.js';
import { parseMakeCfg } from '../../src/parse/make-cfg.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

type Kind = 'automake' | 'm4' | 'cfg';
function kindOf(name: string): Kind | undefined {
  if (name === 'Makefile.am' || name === 'preinstall.am' || name.endsWith('.Makefile.am') || name.endsWith('.am')) return 'automake';
  if (name === 'configure.ac' || name.endsWith('.configure.ac') || name.endsWith('.m4')) return 'm4';
  if (name.endsWith('.cfg') || name.endsWith('.inc') || name.endsWith('.cfg.in')) return 'cfg';
  return undefined;
}
const parse = { automake: parseAutomake, m4: parseM4, cfg: parseMakeCfg } as const;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

describe('every build file of the fixture trees prints back byte for byte', () => {
  const files = walk(path.join(fixtures, 'trees')).filter((f) => kindOf(path.basename(f)));
  it('finds the build files', () => {
    // a tree with libbsp, libcpu, aclocal and make/custom files of all three kinds
    expect(files.filter((f) => kindOf(path.basename(f)) === 'automake').length).toBeGreaterThan(20);
    expect(files.filter((f) => kindOf(path.basename(f)) === 'm4').length).toBeGreaterThan(15);
    expect(files.filter((f) => kindOf(path.basename(f)) === 'cfg').length).toBeGreaterThan(14);
  });
  it.each(files.map((f) => [path.relative(fixtures, f), f]))('%s', (_rel, file) => {
    const text = readFileSync(file, 'latin1');
    const doc = parse[kindOf(path.basename(file))!](text, file);
    expect(doc.print()).toBe(text);
  });
});

describe('malformed-directory files that are well formed round-trip', () => {
  const expected = JSON.parse(readFileSync(path.join(fixtures, 'malformed/expected.json'), 'utf8')) as { roundTrip: string[] };
  it.each(expected.roundTrip)('%s', (name) => {
    const text = readFileSync(path.join(fixtures, 'malformed', name), 'latin1');
    expect(parse[kindOf(name)!](text, name).print()).toBe(text);
  });
});

/** Small seeded generator (mulberry32) so failures are reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('synthesized edge cases round-trip', () => {
  const eols = ['\n', '\r\n'];
  const amLines = [
    'noinst_PROGRAMS =', 'noinst_PROGRAMS += a.rel \\\n\tb.rel', '\tb.rel', 'if shared', 'if !sun4v', 'else', 'endif', 'endif # shared',
    '## automake comment', '# make comment', 'x_rel_SOURCES = a.c   ', 'include $(srcdir)/preinstall.am', '',
    '$(PROJECT_INCLUDE)/x.h: x.h', '\t$(INSTALL_DATA) $< $@', 'libbsp_a_LIBADD = @RTEMS_CPU@/x.rel\t',
  ];
  const cfgLines = [
    'RTEMS_CPU=i386', 'ifeq ($(RTEMS_CPU_MODEL),)', 'ifdef X', 'else', 'endif', 'A += b  ', 'B ?= c', 'C := $(A)',
    'override D = e', 'define E', 'endef', 'include $(RTEMS_ROOT)/make/custom/default.cfg', '# comment \\\ncontinued comment', '\ttabbed = 1', '',
  ];
  const m4Lines = [
    'AC_INIT([x],[1])', 'dnl comment', '# shell comment [', 'AM_CONDITIONAL([a],[test "$X" = "y"])',
    'AM_CONDITIONAL(b, test x"$Y" = x"z" || \\\n  test "$Z" = "1")', 'case "$1" in', 'pc386 )', 'esac', 'RTEMS_TOP(../..)', '',
    'AC_DEFUN([M],[[nested [quotes]] here])', 'foo=bar ; echo $foo  ',
  ];
  it('random automake, cfg and m4 texts (structure kept balanced) print back exactly', () => {
    const r = rng(42);
    const pick = <T,>(a: T[]) => a[Math.floor(r() * a.length)]!;
    let checked = 0;
    for (let n = 0; n < 300; n++) {
      const eol = pick(eols);
      // automake: random lines without if/else/endif, wrapped in a balanced block
      const am = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(amLines.filter((l) => !/^(if|else|endif)/.test(l))));
      const amText = ['if shared', ...am, 'else', ...am, 'endif'].join(eol) + (r() < 0.5 ? eol : '');
      expect(parseAutomake(amText).print()).toBe(amText);
      const cfg = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(cfgLines.filter((l) => !/^(if|else|endif|define|endef)/.test(l))));
      const cfgText = ['ifdef X', ...cfg, 'else', ...cfg, 'endif', 'define D', ...cfg, 'endef'].join(eol) + (r() < 0.5 ? eol : '');
      expect(parseMakeCfg(cfgText).print()).toBe(cfgText);
      const m4 = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(m4Lines));
      // a `\` continuation at the end is shell text, still exact
      const m4Text = m4.join(eol) + (r() < 0.5 ? eol : '');
      expect(parseM4(m4Text).print()).toBe(m4Text);
      checked += 3;
    }
    expect(checked).toBe(900);
  });
});
