import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAutomake } from '../../src/parse/automake.js';

const tree = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trees/rtems-4.11');
const read = (rel: string) => parseAutomake(readFileSync(path.join(tree, rel), 'latin1'), rel);

describe('automake nodes and conditions', () => {
  it('assignments carry the conditions around them, `else` negates', () => {
    const doc = read('c/src/lib/libbsp/i386/pc386/Makefile.am');
    const libadd = doc.assignments('libbsp_a_LIBADD');
    const show = libadd.map((n) => [n.op, n.value, n.conditions.map((c) => (c.negated ? '!' : '') + c.name).join(',')]);
    expect(show).toEqual([
      ['=', '../../../libcpu/@RTEMS_CPU@/cache.rel', ''],
      ['+=', '../../../libcpu/@RTEMS_CPU@/page.rel', ''],
      ['+=', '../../../libcpu/@RTEMS_CPU@/score.rel', ''],
      ['+=', '../../../libcpu/@RTEMS_CPU@/fpsave.rel', 'LEGACY_FPU'],
      ['+=', '../../../libcpu/@RTEMS_CPU@/tsc.rel', 'USE_TSC'],
      ['+=', '../../../libcpu/@RTEMS_CPU@/pit.rel', '!USE_TSC'],
      ['+=', 'start16.rel', 'RTEMS_GAS_CODE16'],
      ['+=', 'ne2000.rel', 'HAS_NETWORKING'],
    ]);
    expect(libadd[0]!.line).toBe(46);
    expect([...doc.conditionNames()].sort()).toEqual(['HAS_NETWORKING', 'LEGACY_FPU', 'RTEMS_GAS_CODE16', 'RTEMS_VGA', 'USE_TSC', 'USE_VBE_RM']);
    const inc = doc.nodes.filter((n) => n.kind === 'include');
    expect(inc.map((n) => (n.kind === 'include' ? n.path : ''))).toEqual([
      '$(RTEMS_ROOT)/make/custom/@RTEMS_BSP@.cfg',
      '$(top_srcdir)/../../../../automake/compile.am',
      '$(srcdir)/preinstall.am',
      '$(top_srcdir)/../../../../automake/local.am',
    ]);
  });

  it('continuation lines join into one value; trailing blanks and tabs are not part of it', () => {
    const doc = read('c/src/lib/libbsp/sparc64/usiii/Makefile.am');
    const [a] = doc.assignments('libbsp_a_LIBADD');
    expect(a!.value.split(/\s+/)).toEqual(['../../../libcpu/@RTEMS_CPU@/shared/shared-score.rel', '../../../libcpu/@RTEMS_CPU@/shared/cache.rel']);
    expect([a!.line, a!.endLine]).toEqual([22, 24]);
  });

  it('rules and their recipe lines, ## comments, preinstall.am', () => {
    const doc = read('c/src/lib/libbsp/i386/pc386/preinstall.am');
    const kinds = doc.nodes.map((n) => n.kind);
    expect(kinds[0]).toBe('comment');
    expect(doc.nodes[0]!.kind === 'comment' && doc.nodes[0]!.automakeOnly).toBe(true);
    const rules = doc.nodes.filter((n) => n.kind === 'rule');
    expect(rules.map((r) => (r.kind === 'rule' ? r.targets[0] : ''))).toContain('$(PROJECT_INCLUDE)/bsp.h');
    const recipeLines = doc.nodes.filter((n) => n.kind === 'recipe');
    expect(recipeLines.length).toBeGreaterThanOrEqual(8);
    expect(recipeLines.every((n) => n.raw.startsWith('\t'))).toBe(true);
    // the rule inside `if AMPOLISH3` is conditional
    const amp = rules.find((r) => r.kind === 'rule' && r.targets[0] === '$(srcdir)/preinstall.am')!;
    expect(amp.conditions.map((c) => c.name)).toEqual(['AMPOLISH3']);
  });

  it('nested if / if ! / else / endif COND', () => {
    // after `else` the open condition is the negation: `endif B` closes `if !B` (as automake 1.16 checks it)
    const text = 'if A\nif !B\nx = 1\nelse\nx = 2\nendif B\nendif A\ny = 3\n';
    const doc = parseAutomake(text);
    const xs = doc.assignments('x').map((n) => n.conditions.map((c) => (c.negated ? '!' : '') + c.name).join(','));
    expect(xs).toEqual(['A,!B', 'A,B']);
    expect(doc.assignments('y')[0]!.conditions).toEqual([]);
    expect(doc.print()).toBe(text);
  });

  it('`endif` naming the else-branch condition is accepted, a wrong name is not', () => {
    expect(() => parseAutomake('if A\nelse\nendif !A\n')).not.toThrow();
    expect(() => parseAutomake('if A\nelse\nendif A\n')).toThrow(/does not match/);
    expect(() => parseAutomake('if A\nif !B\nelse\nendif !B\nendif A\n')).toThrow(/does not match/);
    expect(() => parseAutomake('if A\nelse !A\nendif !A\n')).not.toThrow();
    expect(() => parseAutomake('if A\nelse A\nendif\n')).toThrow(/does not match/);
  });

  it('@SUBST@ words and $(VAR) references stay in values verbatim', () => {
    const doc = parseAutomake('SUBDIRS = @RTEMS_BSP_FAMILY@\nx_SOURCES = $(CACHE_SOURCES) a.c\n');
    expect(doc.assignments('SUBDIRS')[0]!.value).toBe('@RTEMS_BSP_FAMILY@');
    expect(doc.assignments('x_SOURCES')[0]!.value).toBe('$(CACHE_SOURCES) a.c');
  });

  it('a tab-indented line after a rule is a recipe even if it looks like an assignment or `if`', () => {
    const doc = parseAutomake('all:\n\tif x = 1; then :; fi\n\tA = b\n');
    expect(doc.nodes.map((n) => n.kind)).toEqual(['rule', 'recipe', 'recipe']);
  });
});
