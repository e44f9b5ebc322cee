import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseM4 } from '../../src/parse/m4.js';

const tree = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trees/rtems-4.11');
const read = (rel: string) => parseM4(readFileSync(path.join(tree, rel), 'latin1'), rel);

describe('m4 queries', () => {
  it('AM_CONDITIONAL calls with arguments unquoted, continuation kept, and their lines', () => {
    const doc = read('c/src/lib/libcpu/sparc64/configure.ac');
    const calls = doc.calls('AM_CONDITIONAL');
    expect(calls.map((c) => c.args[0]!.value)).toEqual(['shared', 'sun4u', 'sun4v']);
    expect(calls.map((c) => c.line)).toEqual([22, 25, 26]);
    expect(calls[0]!.args[1]!.value).toBe('test x"$RTEMS_CPU_MODEL" = x"sun4v" || \\\n                       test x"$RTEMS_CPU_MODEL" = x"sun4u"');
    expect(calls[0]!.endLine).toBe(23);
    expect(calls[1]!.args[1]!.value).toBe('test x"$RTEMS_CPU_MODEL" = x"sun4u"');
    expect(calls[1]!.args[1]!.raw).toBe('[test x"$RTEMS_CPU_MODEL" = x"sun4u"]');
    // the commented-out call after `#` is not a call
    expect(doc.calls('AM_CONDITIONAL').some((c) => c.args[0]!.value === 'simexample')).toBe(false);
  });

  it('AC_CONFIG_SUBDIRS inside the quoted body of AC_DEFUN (acinclude.m4)', () => {
    const doc = read('c/src/lib/libbsp/sparc/acinclude.m4');
    expect(doc.calls('AC_CONFIG_SUBDIRS')).toEqual([]); // quoted: not expanded at top level
    const deep = doc.deepCalls('AC_CONFIG_SUBDIRS');
    expect(deep.map((c) => [c.args[0]!.value, c.line])).toEqual([
      ['erc32', 6],
      ['leon3', 8],
    ]);
    const defun = doc.calls('AC_DEFUN');
    expect(defun.map((c) => c.args[0]!.value)).toEqual(['RTEMS_CHECK_BSPDIR']);
    expect(defun[0]!.line).toBe(2);
  });

  it('AC_CONFIG_FILES, AC_ARG_ENABLE and RTEMS_* calls', () => {
    const top = read('configure.ac');
    expect(top.calls('AC_CONFIG_FILES').map((c) => c.args[0]!.value)).toEqual(['Makefile']);
    expect(top.calls(/^RTEMS_/).map((c) => c.name)).toEqual(['RTEMS_TOP']);
    // macros called without parentheses are shell text, not calls
    expect(top.print()).toContain('RTEMS_ENABLE_PARAVIRT');
    const cpukit = read('cpukit/configure.ac');
    expect(cpukit.calls('AC_CONFIG_FILES')[0]!.args[0]!.value.split(/\s+/).filter(Boolean)).toContain('score/cpu/sparc/Makefile');
    const pv = read('aclocal/enable-paravirt.m4');
    const en = pv.deepCalls('AC_ARG_ENABLE');
    expect(en).toHaveLength(1);
    expect(en[0]!.args[0]!.value).toBe('paravirt');
    expect(en[0]!.line).toBe(7);
    expect(pv.deepCalls('AC_DEFINE').map((c) => c.args[0]!.value)).toEqual(['RTEMS_PARAVIRT']);
    const fam = read('c/src/lib/libbsp/i386/pc386/configure.ac');
    const sets = fam.calls('RTEMS_BSPOPTS_SET');
    expect(sets.map((c) => c.args.map((a) => a.value))).toEqual([
      ['BSP_ENABLE_VGA', 'pcp4', '0'],
      ['BSP_ENABLE_VGA', '*', '1'],
      ['BSP_ENABLE_IDE', '*', '1'],
      ['USE_VGA_FB', '*', '0'],
      ['USE_VBE_RM', '*', '0'],
    ]);
    expect(fam.calls('RTEMS_TOP')[0]!.args[0]!.value).toBe('../../../../../..');
  });

  it('dnl and # comments hide calls; nested quotes lose one level', () => {
    const doc = parseM4('dnl AM_CONDITIONAL([x],[true])\n# AM_CONDITIONAL([y],[true])\nAM_CONDITIONAL([z],[[a [b]] c])\n');
    expect(doc.calls('AM_CONDITIONAL').map((c) => [c.args[0]!.value, c.args[1]!.value, c.line])).toEqual([['z', '[a [b]] c', 3]]);
    expect(doc.nodes.map((n) => n.kind)).toEqual(['dnl', 'comment', 'text', 'call', 'text']);
  });

  it('nested unquoted calls and m4 argument whitespace rules', () => {
    const doc = parseM4('AS_IF([test x = y],\n  AC_MSG_ERROR(no) ,\n\t[AC_MSG_RESULT([yes])])\n');
    const asIf = doc.calls('AS_IF')[0]!;
    expect(asIf.args.map((a) => a.value)).toEqual(['test x = y', 'AC_MSG_ERROR(no) ', 'AC_MSG_RESULT([yes])']);
    expect(asIf.args[1]!.line).toBe(2);
    expect(asIf.nested.map((c) => c.name)).toEqual(['AC_MSG_ERROR']);
    expect(doc.deepCalls('AC_MSG_RESULT')[0]!.line).toBe(3);
  });

  it('a $ before a macro-shaped word, or a word without (, is not a call', () => {
    const doc = parseM4('echo ${AM_X}(a) $AC_Y(b)\nAC_SUBST(FOO)\nAM_MAINTAINER_MODE\n');
    expect(doc.calls().map((c) => c.name)).toEqual(['AC_SUBST']);
  });
});
