/**
 * RTEMS_PPC_EXCEPTIONS decides `@exceptions@` by compiling `#if defined(_OLD_EXCEPTIONS)`: the model reads
 * it as "old only when the BSP's CPU_CFLAGS define _OLD_EXCEPTIONS" and says so as an assumption, and only
 * when the tree's macro is that very test. A powerpc family is added to a copy of the fixture tree here.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTree } from '../../src/model/tree.js';
import { resolveBsp } from '../../src/resolve/resolve-bsp.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trees/rtems-4.11');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const MACRO = `dnl the style of powerpc exceptions a BSP builds with
AC_DEFUN([RTEMS_PPC_EXCEPTIONS],
[
AC_MSG_CHECKING([for style of powerpc exceptions])
AC_COMPILE_IFELSE(
  [AC_LANG_PROGRAM(
    [],
    [#if defined(_OLD_EXCEPTIONS)
     choke me
     #endif])],
  [EXCEPTIONS=new],
  [EXCEPTIONS=old])
AC_MSG_RESULT([$EXCEPTIONS])
AC_SUBST([exceptions],[$EXCEPTIONS-exceptions])
])
`;

function treeWithPowerpc(macro: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rvc-ppc-'));
  dirs.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  put('cpukit/score/cpu/powerpc/cpu.c', '/* powerpc score port */\n');
  put('c/src/aclocal/ppc.m4', macro);
  put('c/src/lib/libbsp/powerpc/acinclude.m4', '# RTEMS_CHECK_BSPDIR(RTEMS_BSP_FAMILY)\nAC_DEFUN([RTEMS_CHECK_BSPDIR],\n[\n  case "$1" in\n  ppcgen )\n    AC_CONFIG_SUBDIRS([ppcgen]);;\n  *)\n    AC_MSG_ERROR([Invalid BSP]);;\n  esac\n])\n');
  const fam = 'c/src/lib/libbsp/powerpc/ppcgen';
  put(`${fam}/bsp_specs`, '*startfile:\n%{!qrtems: %(old_startfile)}\n');
  put(`${fam}/configure.ac`, 'AC_INIT([rtems-c-src-lib-libbsp-powerpc-ppcgen],[_RTEMS_VERSION])\nRTEMS_TOP(../../../../../..)\nRTEMS_BSP_CONFIGURE\nRTEMS_PPC_EXCEPTIONS\nAC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n');
  put(`${fam}/Makefile.am`, 'noinst_LIBRARIES = libbsp.a\nlibbsp_a_SOURCES = startup/bspstart.c\nlibbsp_a_LIBADD = ../../../libcpu/@RTEMS_CPU@/@exceptions@/rtems-cpu.rel\n');
  const cfg = (model: string, flags: string) =>
    `include $(RTEMS_ROOT)/make/custom/default.cfg\n\nRTEMS_CPU=powerpc\nRTEMS_CPU_MODEL=${model}\n\nCPU_CFLAGS = ${flags}\n`;
  put(`${fam}/make/custom/ppcgen.cfg`, cfg('mpc750', '-mcpu=750 -Dppc750'));
  put(`${fam}/make/custom/ppcold.cfg`, cfg('mpc750', '-mcpu=750 -D_OLD_EXCEPTIONS'));
  return root;
}

describe('RTEMS_PPC_EXCEPTIONS', () => {
  it('new-exceptions when nothing defines _OLD_EXCEPTIONS, with the assumption stated', () => {
    const r = resolveBsp(loadTree(treeWithPowerpc(MACRO)), 'ppcgen');
    expect(r.libbspLibadd).toEqual(['../../../libcpu/powerpc/new-exceptions/rtems-cpu.rel']);
    expect(r.unknowns).toEqual([]);
    expect(r.assumptions).toContainEqual(expect.objectContaining({ variable: 'exceptions', value: 'new-exceptions', file: 'c/src/aclocal/ppc.m4' }));
  });

  it('old-exceptions when the BSP\'s CPU_CFLAGS define it', () => {
    const r = resolveBsp(loadTree(treeWithPowerpc(MACRO)), 'ppcold');
    expect(r.libbspLibadd).toEqual(['../../../libcpu/powerpc/old-exceptions/rtems-cpu.rel']);
  });

  it('any other text of the macro stays an unknown naming the AC_SUBST', () => {
    const r = resolveBsp(loadTree(treeWithPowerpc(MACRO.replace('_OLD_EXCEPTIONS', '__ppc_old_style__'))), 'ppcgen');
    expect(r.libbspLibadd).toEqual([]);
    expect(r.unknowns.map((u) => u.why).join('\n')).toMatch(/@exceptions@ is substituted by configure code the model does not run \(AC_SUBST in RTEMS_PPC_EXCEPTIONS/);
  });
});
