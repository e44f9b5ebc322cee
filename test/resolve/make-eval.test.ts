import { describe, expect, it } from 'vitest';
import { gnuMake, ours, rng, type Files } from './make-helpers.js';

/** RVC_MAKE_SEEDS=N runs more random cases (the suite runs 120). */
const SEEDS = Number(process.env.RVC_MAKE_SEEDS ?? 120);
const VARS = ['V0', 'V1', 'RTEMS_CPU_MODEL', 'CPU_CFLAGS', 'CFLAGS_OPTIMIZE_V'];

/** Fixed cases: the cfg idioms of RTEMS trees and the make corners they rely on. */
const fixed: { name: string; files: Files; cmd?: Record<string, string> }[] = [
  {
    name: 'variant sets the model before the base cfg tests it (pc486 → pc386)',
    files: {
      'make/custom/pc486.cfg': 'RTEMS_CPU_MODEL=i486dx\nCPU_CFLAGS = -mtune=i486\ninclude $(RTEMS_ROOT)/make/custom/pc386.cfg\n',
      'make/custom/pc386.cfg':
        'include $(RTEMS_ROOT)/make/custom/default.cfg\nRTEMS_CPU=i386\nifeq ($(RTEMS_CPU_MODEL),)\nRTEMS_CPU_MODEL=i386_fp\nendif\nifeq ($(CPU_CFLAGS),)\n  CPU_CFLAGS = -mtune=i386\nendif\nCFLAGS_OPTIMIZE_V = -O2 -g\n',
      'make/custom/default.cfg': '',
    },
  },
  {
    name: 'override, ?=, += on simple and recursive variables, trailing blanks',
    files: {
      'make/custom/a.cfg':
        'V0 := x  \nV1 = $(V0)y\nV0 += z\nV1 += $(V0)\nRTEMS_CPU_MODEL ?= m1\nRTEMS_CPU_MODEL ?= m2\noverride CPU_CFLAGS = -O\nCPU_CFLAGS = ignored\nCPU_CFLAGS += -g \n',
    },
  },
  {
    name: 'command-line variables beat file assignments unless override',
    files: { 'make/custom/a.cfg': 'RTEMS_CPU_MODEL = file\nCPU_CFLAGS = file\noverride CPU_CFLAGS += more\nV0 += x\n' },
    cmd: { RTEMS_CPU_MODEL: 'cmd', CPU_CFLAGS: 'cmd', V0: 'c' },
  },
  {
    name: 'define … endef with =, :=, += and a chained else ifeq',
    files: {
      'make/custom/a.cfg':
        'V0 = a\ndefine V1\nline1 $(V0)\nline2\nendef\ndefine CPU_CFLAGS :=\n-m$(V0)\nendef\ndefine CPU_CFLAGS +=\n-g\nendef\nifeq ($(V0),b)\nRTEMS_CPU_MODEL = b\nelse ifeq ($(V0),a)\nRTEMS_CPU_MODEL = a\nelse\nRTEMS_CPU_MODEL = c\nendif\n',
    },
  },
  {
    name: 'ifdef on a variable whose value expands to nothing, ifndef, ifneq with quotes',
    files: {
      'make/custom/a.cfg':
        'EMPTY =\nV0 = $(EMPTY)\nifdef V0\nRTEMS_CPU_MODEL = defined\nendif\nifdef EMPTY\nCPU_CFLAGS = wrong\nendif\nifndef NOPE\nV1 = undefined\nendif\nifneq "$(V1)" \'undefined\'\nCFLAGS_OPTIMIZE_V = wrong\nelse\nCFLAGS_OPTIMIZE_V = -O2\nendif\n',
    },
  },
  {
    name: 'text functions RTEMS cfgs use',
    files: {
      'make/custom/a.cfg':
        'V0 = a.c b.S c.c\nV1 = $(patsubst %.c,%.o,$(filter %.c,$(V0))) $(words $(V0)) $(word 2,$(V0))\nRTEMS_CPU_MODEL = $(subst -,_,$(strip  sun4v-x  ))\nCPU_CFLAGS = $(if $(findstring sun4v,$(RTEMS_CPU_MODEL)),-mcpu=niagara,-mcpu=v9) $(V0:.c=.o)\nCFLAGS_OPTIMIZE_V = $(sort b a b) $(firstword x y) $(lastword x y) $(notdir d/e.f) $(basename d/e.f) $(addprefix -I,a b)\n',
    },
  },
  {
    name: 'CRLF lines, continuation lines and a file without a final newline',
    files: { 'make/custom/a.cfg': 'RTEMS_CPU_MODEL := pentium\r\nCPU_CFLAGS = -mtune=pentium4 \\\r\n  -march=pentium4\r\nCPU_CFLAGS += -msse3 \r\nV0 = a \\\n\n' + 'V1 = last' },
  },
  {
    name: 'comments, escaped #, $$ and a tab-indented assignment outside a rule',
    files: { 'make/custom/a.cfg': 'V0 = a # comment\nV1 = b\\#c\n\tRTEMS_CPU_MODEL = tabbed\nCPU_CFLAGS = $$HOME\n' },
  },
];

describe('make evaluator agrees with GNU make', () => {
  it.each(fixed.map((c) => [c.name, c]))('%s', async (_n, c) => {
    const entry = Object.keys(c.files)[0]!;
    const real = await gnuMake(c.files, entry, VARS, c.cmd);
    expect(real.exitCode, real.stderr).toBe(0);
    const mine = ours(c.files, entry, VARS, c.cmd);
    expect(mine.unknown).toEqual([]);
    expect(mine.values).toEqual(real.values);
  });

  it('the pc486 chain gives i486dx: the variant sets the model before pc386.cfg tests it', () => {
    const mine = ours(fixed[0]!.files, 'make/custom/pc486.cfg', ['RTEMS_CPU_MODEL', 'CPU_CFLAGS']);
    expect(mine.values).toEqual({ RTEMS_CPU_MODEL: 'i486dx', CPU_CFLAGS: '-mtune=i486' });
  });

  it('$(shell) and != make values unknown instead of guessed', () => {
    const files = { 'make/custom/a.cfg': 'V0 = $(shell uname)\nV1 != echo hi\nRTEMS_CPU_MODEL = $(V0)x\nCPU_CFLAGS = plain\n' };
    const mine = ours(files, 'make/custom/a.cfg', ['V0', 'V1', 'RTEMS_CPU_MODEL', 'CPU_CFLAGS']);
    expect(mine.unknown.sort()).toEqual(['RTEMS_CPU_MODEL', 'V0', 'V1']);
  });

  it('seeded random cfg chains (assignments, conditionals, defines, override, includes) agree', async () => {
    let compared = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const c = randomCase(seed);
      const real = await gnuMake(c.files, 'make/custom/top.cfg', VARS, c.cmd);
      expect(real.exitCode, `seed ${seed}: ${real.stderr}\n${JSON.stringify(c, null, 1)}`).toBe(0);
      const mine = ours(c.files, 'make/custom/top.cfg', VARS, c.cmd);
      expect(mine.values, `seed ${seed}\n${Object.entries(c.files).map(([f, t]) => `--- ${f}\n${t}`).join('')}\ncmd ${JSON.stringify(c.cmd)}`).toEqual(real.values);
      compared++;
    }
    expect(compared).toBe(SEEDS);
  }, Math.max(120_000, SEEDS * 250));
});

/** A random chain of 1-3 cfg files over VARS; a variable only references variables before it, so no cycles. */
function randomCase(seed: number): { files: Files; cmd: Record<string, string> } {
  const r = rng(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const words = ['i386_fp', 'i486dx', 'pentium', 'sun4v', '-O2', '-g', '-mtune=i486', '', 'x y', ' lead', 'trail '];
  const ref = (i: number) => (i === 0 ? pick(words) : pick([pick(words), `$(${VARS[Math.floor(r() * i)]})`, `\${${VARS[Math.floor(r() * i)]}}`, `$(strip $(${VARS[Math.floor(r() * i)]}))`]));
  const value = (i: number) => Array.from({ length: 1 + Math.floor(r() * 2) }, () => ref(i)).join(pick([' ', '']));
  const nFiles = 1 + Math.floor(r() * 3);
  const names = ['top.cfg', 'mid.cfg', 'base.inc'];
  const files: Files = {};
  for (let f = 0; f < nFiles; f++) {
    const lines: string[] = [];
    const stmt = (depth: number): void => {
      const i = Math.floor(r() * VARS.length);
      const v = VARS[i]!;
      const k = r();
      if (k < 0.45) lines.push(`${r() < 0.1 ? 'override ' : ''}${v} ${pick(['=', ':=', '?=', '+='])} ${value(i)}`);
      else if (k < 0.6 && depth < 2) {
        const j = Math.floor(r() * VARS.length);
        const test = pick([
          `ifeq ($(${VARS[j]}),${pick(words).trim()})`,
          `ifneq ($(${VARS[j]}),)`,
          `ifdef ${VARS[j]}`,
          `ifndef ${VARS[j]}`,
          `ifeq "$(${VARS[j]})" "${pick(words).trim()}"`,
        ]);
        lines.push(test);
        for (let n = Math.floor(r() * 3); n >= 0; n--) stmt(depth + 1);
        if (r() < 0.5) {
          lines.push(r() < 0.3 ? `else ifeq ($(${VARS[j]}),i486dx)` : 'else');
          for (let n = Math.floor(r() * 2); n >= 0; n--) stmt(depth + 1);
        }
        lines.push('endif');
      } else if (k < 0.7) {
        lines.push(`define ${v}${pick(['', ' =', ' :=', ' +=', ' ?='])}`, value(i), ...(r() < 0.3 ? [value(i)] : []), 'endef');
      } else if (k < 0.8) lines.push(`# comment ${v}`, '');
      else lines.push(`${v} ${pick(['=', ':=', '+='])} ${value(i)}${pick(['', ' ', '\t', ' # c'])}`);
    };
    for (let n = 2 + Math.floor(r() * 6); n > 0; n--) stmt(0);
    if (f + 1 < nFiles) lines.splice(Math.floor(r() * (lines.length + 1)), 0, `include $(RTEMS_ROOT)/make/custom/${names[f + 1]}`);
    // keep conditionals balanced around the insertion: re-check and fall back to appending
    let depth = 0;
    let ok = true;
    for (const l of lines) {
      if (/^(ifeq|ifneq|ifdef|ifndef)/.test(l)) depth++;
      else if (l === 'endif') depth--;
    }
    if (depth !== 0) ok = false;
    files[`make/custom/${names[f]}`] = ok ? lines.join('\n') + (r() < 0.8 ? '\n' : '') : '';
  }
  const cmd: Record<string, string> = r() < 0.25 ? { [pick(VARS)]: pick(['cmd', 'sun4v']) } : {};
  return { files, cmd };
}
