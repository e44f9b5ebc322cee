/**
 * Differential test against real autoconf and automake: a small configure.ac and Makefile.am in
 * the style of a libcpu directory are bootstrapped with autoreconf, configured with several
 * RTEMS_CPU_MODEL/option values, and the variables of the generated Makefile (read by GNU make)
 * are compared with what our shell-test and automake evaluators say.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAutomake } from '../../src/parse/automake.js';
import { parseM4 } from '../../src/parse/m4.js';
import { AutomakeEvaluator } from '../../src/resolve/automake-eval.js';
import { evaluateShellTest, type Tri } from '../../src/resolve/shell-test.js';

const CONFIGURE_AC = `AC_INIT([rvc-diff],[1.0])
AC_CONFIG_SRCDIR([Makefile.am])
AM_INIT_AUTOMAKE([foreign no-dependencies 1.12])
AM_MAINTAINER_MODE

AC_SUBST([RTEMS_CPU],[sparc64])
AC_SUBST([RTEMS_CPU_MODEL])

AM_CONDITIONAL(shared, test x"$RTEMS_CPU_MODEL" = x"sun4v" || \\
                       test x"$RTEMS_CPU_MODEL" = x"sun4u")
AM_CONDITIONAL([sun4v],[test x"$RTEMS_CPU_MODEL" = x"sun4v"])
AM_CONDITIONAL([legacy],[test "$RTEMS_CPU_MODEL" = "i386_fp" -o "$RTEMS_CPU_MODEL" = "i486dx"])
AM_CONDITIONAL(HAS_NETWORKING,[test "$HAS_NETWORKING" = "yes"])
AM_CONDITIONAL([SIM],[case "$RTEMS_CPU_MODEL" in sim*) true;; *) false;; esac])
AM_CONDITIONAL([NOT_LEGACY],[test ! "$RTEMS_CPU_MODEL" = "i386_fp" -a ! "$RTEMS_CPU_MODEL" = "i486dx"])
AM_CONDITIONAL([AMPOLISH3],[test x"$USE_MAINTAINER_MODE" = x"yes" && test -n "$AMPOLISH3"])

AC_CONFIG_FILES([Makefile])
AC_OUTPUT
`;

// rels_LIST stands for noinst_PROGRAMS: a non-primary variable, so no compiler is needed to configure
const MAKEFILE_AM = `rels_LIST =
CACHE_SOURCES = shared/cache/cache.c

if shared
rels_LIST += shared/shared-score.rel
shared_shared_score_rel_SOURCES = shared/score/cpu.c
if sun4v
shared_shared_score_rel_SOURCES += shared/score/sun4v.S
else
shared_shared_score_rel_SOURCES += shared/score/sun4u.S
endif
rels_LIST += shared/cache.rel
shared_cache_rel_SOURCES = $(CACHE_SOURCES)
endif

if !shared
rels_LIST += score.rel
score_rel_SOURCES = score/cpu.c
endif

if legacy
rels_LIST += fpsave.rel
endif
if NOT_LEGACY
rels_LIST += fxsave.rel
endif

if SIM
libbsp_a_LIBADD = sim-only.rel
else
libbsp_a_LIBADD = ../../../libcpu/@RTEMS_CPU@/@RTEMS_CPU_MODEL@/score.rel
libbsp_a_LIBADD += ../../../libcpu/@RTEMS_CPU@/cache.rel
endif
if HAS_NETWORKING
libbsp_a_LIBADD += ../../../libcpu/@RTEMS_CPU@/net.rel
endif

## automake warns about this one (defined in TRUE, then again under SIM): see the last test
redef_LIST = ../../../libcpu/@RTEMS_CPU@/@RTEMS_CPU_MODEL@/score.rel
if SIM
redef_LIST = sim-only.rel
else
redef_LIST += ../../../libcpu/@RTEMS_CPU@/cache.rel
endif

if AMPOLISH3
rels_LIST += polish.rel
endif

EXTRA_DIST = shared/score/cpu.c shared/score/sun4v.S shared/score/sun4u.S shared/cache/cache.c score/cpu.c
`;

/**
 * A seeded random section added to both files: variables defined unconditionally, then `+=` (and
 * if/else `=` pairs) inside nested `if Rk` / `if !Rk` blocks, Rk from AM_CONDITIONALs on RVk.
 */
function randomSection(seed: number): { ac: string; am: string; vars: string[] } {
  let a = seed >>> 0;
  const r = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const conds = ['R0', 'R1', 'R2', 'R3'];
  const ac = conds.map((c, k) => `AM_CONDITIONAL([${c}],[test "$RV${k}" = "yes"${k % 2 ? ` -o x"$RTEMS_CPU_MODEL" = x"sun4v"` : ''}])`).join('\n') + '\n';
  const vars = Array.from({ length: 12 }, (_, k) => `rand_${k}`);
  const lines: string[] = [];
  vars.forEach((v, k) => {
    if (k % 4 === 3) {
      const c = conds[Math.floor(r() * conds.length)]!;
      lines.push(`if ${c}`, `${v} = ${v}_then.rel`, 'else', `${v} = ${v}_else.rel`, 'endif');
    } else lines.push(`${v} = ${v}_base.rel`);
  });
  const block = (depth: number): void => {
    const c = conds[Math.floor(r() * conds.length)]!;
    lines.push(`if ${r() < 0.3 ? '!' : ''}${c}`);
    for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
      if (depth < 2 && r() < 0.3) block(depth + 1);
      else {
        const v = vars[Math.floor(r() * vars.length)]!;
        lines.push(`${v} += ${v}_${lines.length}.rel${r() < 0.3 ? ' @RTEMS_CPU@/x.rel' : ''}`);
      }
    }
    if (r() < 0.4) {
      lines.push('else');
      const v = vars[Math.floor(r() * vars.length)]!;
      lines.push(`${v} += ${v}_${lines.length}_else.rel`);
    }
    lines.push('endif');
  };
  for (let n = 0; n < 14; n++) block(0);
  return { ac, am: lines.join('\n') + '\n', vars };
}
const RANDOM = randomSection(2026);

const PRINT_MK = 'rvc-print-all:\n\t@:$(foreach v,$(RVC_PRINT),$(info $(v)=[$($(v))]))\n';
const VARS = ['rels_LIST', 'shared_shared_score_rel_SOURCES', 'shared_cache_rel_SOURCES', 'score_rel_SOURCES', 'libbsp_a_LIBADD', ...RANDOM.vars];

const cases: Record<string, string>[] = [
  { RTEMS_CPU_MODEL: 'sun4v', HAS_NETWORKING: 'yes', RV0: 'yes', RV1: 'no', RV2: 'yes', RV3: 'no' },
  { RTEMS_CPU_MODEL: 'sun4u', HAS_NETWORKING: 'no', RV0: 'no', RV1: 'yes', RV2: 'no', RV3: 'yes' },
  { RTEMS_CPU_MODEL: 'i486dx', HAS_NETWORKING: 'yes', RV0: 'yes', RV1: 'yes', RV2: 'yes', RV3: 'yes' },
  { RTEMS_CPU_MODEL: 'simulator', HAS_NETWORKING: '', RV0: 'no', RV1: 'no', RV2: 'no', RV3: 'no' },
  { RTEMS_CPU_MODEL: 'i386_fp', HAS_NETWORKING: 'yes', RV0: 'no', RV1: 'no', RV2: 'yes', RV3: 'yes' },
];

const CONFIGURE_AC_FULL = CONFIGURE_AC.replace('AC_CONFIG_FILES', `${RANDOM.ac}\nAC_CONFIG_FILES`);
const MAKEFILE_AM_FULL = MAKEFILE_AM + RANDOM.am;

let dir = '';
let bootstrapped: { ok: boolean; why: string } = { ok: false, why: 'not run' };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rvc-autotools-'));
  writeFileSync(path.join(dir, 'configure.ac'), CONFIGURE_AC_FULL);
  writeFileSync(path.join(dir, 'Makefile.am'), MAKEFILE_AM_FULL);
  writeFileSync(path.join(dir, 'print.mk'), PRINT_MK);
  const r = await execa('autoreconf', ['-i'], { cwd: dir, reject: false });
  bootstrapped = { ok: r.exitCode === 0, why: r.stderr };
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function configureAndPrint(vars: Record<string, string>): Promise<Record<string, string[]>> {
  const build = mkdtempSync(path.join(dir, 'build-'));
  const conf = await execa(path.join(dir, 'configure'), Object.entries(vars).map(([k, v]) => `${k}=${v}`), { cwd: build, reject: false });
  if (conf.exitCode !== 0) throw new Error(`configure failed: ${conf.stderr}`);
  const mk = await execa('make', ['-s', '-f', 'Makefile', '-f', path.join(dir, 'print.mk'), 'rvc-print-all', `RVC_PRINT=${VARS.join(' ')}`], { cwd: build });
  const real: Record<string, string[]> = {};
  for (const m of mk.stdout.matchAll(/^([A-Za-z0-9_]+)=\[(.*)\]$/gm)) real[m[1]!] = m[2]!.split(/\s+/).filter(Boolean);
  return real;
}

describe('our evaluators agree with autoconf + automake + make', () => {
  it('autoreconf bootstraps the test project (autoconf and automake are installed)', () => {
    expect(bootstrapped.ok, bootstrapped.why).toBe(true);
  });

  it('configure with several RTEMS_CPU_MODEL and HAS_NETWORKING values', async () => {
    expect(bootstrapped.ok, bootstrapped.why).toBe(true);
    const results = await Promise.all(cases.map((vars) => configureAndPrint(vars)));
    // the random section really depends on the conditions: the cases do not all print the same
    expect(new Set(results.map((r) => JSON.stringify(RANDOM.vars.map((v) => r[v])))).size).toBeGreaterThan(3);
    expect(results.flatMap((r) => RANDOM.vars.flatMap((v) => r[v] ?? [])).filter((w) => /_\d+(_else)?\.rel$/.test(w)).length).toBeGreaterThan(20);
    cases.forEach((vars, k) => {
      const real = results[k]!;
      // ours: the AM_CONDITIONALs through the shell-test evaluator, the Makefile.am through AutomakeEvaluator
      const env = (n: string) => (n === 'USE_MAINTAINER_MODE' ? 'no' : n === 'AMPOLISH3' ? undefined : vars[n] ?? '');
      const conditions = new Map<string, { value: Tri }>();
      for (const c of parseM4(CONFIGURE_AC_FULL, 'configure.ac').calls('AM_CONDITIONAL')) {
        conditions.set(c.args[0]!.value.trim(), { value: evaluateShellTest(c.args[1]!.value, env).value });
      }
      for (const [name, v] of conditions) expect(v.value, name).not.toBe('unknown');
      const subst = new Map([['RTEMS_CPU', 'sparc64'], ['RTEMS_CPU_MODEL', vars.RTEMS_CPU_MODEL!]]);
      const ev = new AutomakeEvaluator(parseAutomake(MAKEFILE_AM_FULL, 'Makefile.am'), conditions, subst);
      for (const v of VARS) {
        const words = ev.words(v);
        expect(words.every((w) => w.unknown === undefined)).toBe(true);
        expect(words.map((w) => w.word), `${v} with ${JSON.stringify(vars)}`).toEqual(real[v] ?? []);
      }
    });
  }, 240_000);

  it('a redefinition under a narrower condition, which automake warns about, is an unknown, not a guess', () => {
    expect(bootstrapped.why).toMatch(/redef_LIST was already defined in condition TRUE, which includes condition SIM/);
    const conditions = new Map<string, { value: Tri }>([['SIM', { value: true }]]);
    const ev = new AutomakeEvaluator(parseAutomake(MAKEFILE_AM, 'Makefile.am'), conditions, new Map());
    const words = ev.words('redef_LIST');
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(w.unknown?.why).toMatch(/already defined on line/);
  });
});
