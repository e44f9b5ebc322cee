import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { amConditionalsWithMacros, invokedMacros, loadTree } from '../../src/model/tree.js';
import { SourceError } from '../../src/parse/source-error.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trees/rtems-4.11');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadTree on the 4.11 fixture', () => {
  const tree = loadTree(root);

  it('reads the version from aclocal/version.m4 and compares it with semver', () => {
    expect(tree.version).toMatchObject({ raw: '4.11.0', semver: '4.11.0', file: 'aclocal/version.m4', line: 2 });
    expect(semver.satisfies(tree.version!.semver, '>=4.10 <5')).toBe(true);
    expect(tree.layout).toBe('4.x');
  });

  it('arches from cpukit/score/cpu, in byte order', () => {
    expect(tree.arches).toEqual(['arm', 'i386', 'powerpc', 'sh', 'sparc', 'sparc64']);
  });

  it('families are the directories with a bsp_specs; variants are their make/custom/*.cfg (not .inc)', () => {
    expect(tree.families.map((f) => `${f.arch}/${f.name}`)).toEqual([
      'arm/realview-pbx-a9', 'arm/smdk2410', 'i386/pc386', 'powerpc/qemuppc', 'powerpc/virtex', 'sh/gensh1', 'sh/shsim', 'sparc/erc32', 'sparc/leon3', 'sparc64/niagara', 'sparc64/usiii',
    ]);
    expect(tree.bsps.map((b) => b.name)).toEqual([
      'realview_pbx_a9_qemu', 'smdk2410', 'pc386', 'pc486', 'pc586', 'pc686', 'pcp4', 'qemuppc', 'virtex', 'gensh1', 'simsh1', 'simsh4', 'erc32', 'sis', 'leon3', 'ngmp', 'niagara', 'usiii',
    ]);
    expect(tree.bsps.find((b) => b.name === 'pc486')).toEqual({
      name: 'pc486', arch: 'i386', family: 'pc386', cfg: 'c/src/lib/libbsp/i386/pc386/make/custom/pc486.cfg',
    });
  });

  it('libcpu conditionals per arch, with the shell condition and line', () => {
    const sparc64 = tree.libcpu.find((l) => l.arch === 'sparc64')!;
    expect(sparc64.conditionals.map((c) => [c.name, c.line])).toEqual([['shared', 22], ['sun4u', 25], ['sun4v', 26]]);
    expect(sparc64.conditionals[0]!.condition).toMatch(/^test x"\$RTEMS_CPU_MODEL" = x"sun4v" \|\|/);
    expect(tree.libcpu.map((l) => l.arch)).toEqual(['arm', 'i386', 'powerpc', 'sh', 'sparc', 'sparc64']);
    const powerpc = tree.libcpu.find((l) => l.arch === 'powerpc')!;
    expect(powerpc.conditionals.map((c) => c.name)).toEqual(['shared', 'mpc5xx', 'mpc6xx', 'ppc403', 'ppc4xx']);
    expect(powerpc.conditionals[0]!.condition).toBe('test "$RTEMS_CPU_MODEL" = "mpc6xx" || test "$RTEMS_CPU_MODEL" = "mpc7400"');
    const arm = tree.libcpu.find((l) => l.arch === 'arm')!;
    expect(arm.conditionals.map((c) => [c.name, c.line])).toEqual([['shared', 24], ['at91rm9200', 27], ['s3c24xx', 28]]);
    expect(arm.conditionals[0]!.condition).toBe('test "$RTEMS_CPU_MODEL" = "s3c2410" || test "$RTEMS_CPU_MODEL" = "at91rm9200"');
  });

  it('acinclude.m4 arms: each family with its AC_CONFIG_SUBDIRS, then the error arm', () => {
    const sparc = tree.acinclude.find((a) => a.arch === 'sparc')!;
    expect(sparc.arms).toEqual([
      { pattern: 'erc32', subdir: 'erc32', line: 5 },
      { pattern: 'leon3', subdir: 'leon3', line: 7 },
      { pattern: '*', subdir: undefined, line: 9 },
    ]);
  });

  it('AM_CONDITIONALs a configure.ac gets through the aclocal macros it invokes, with where it invokes them', () => {
    const rel = 'c/src/lib/libbsp/sparc/leon3/configure.ac';
    expect(invokedMacros(tree.files, rel).map((m) => [m.name, m.depth])).toEqual([
      ['RTEMS_BSP_CONFIGURE', 0],
      ['RTEMS_CHECK_CUSTOM_BSP', 1],
      ['_RTEMS_CHECK_CUSTOM_BSP', 2],
      ['RTEMS_CHECK_MULTIPROCESSING', 1],
      ['RTEMS_ENABLE_MULTIPROCESSING', 2],
    ]);
    const defs = amConditionalsWithMacros(tree.files, rel);
    const mp = defs.find((d) => d.name === 'HAS_MP')!;
    expect(mp).toMatchObject({ file: 'c/src/aclocal/check-multiprocessing.m4', line: 20, via: { file: rel, line: 10, macro: 'RTEMS_BSP_CONFIGURE' } });
    // in the order configure runs them: the macro's (line 10) before the file's own (HAS_NETWORKING, HAS_SMP)
    expect(defs.map((d) => d.name)).toEqual(['HAS_MP', 'HAS_NETWORKING', 'HAS_SMP']);
  });

  it('reads each file once through the FileStore', () => {
    const t = loadTree(root);
    const before = t.files.filesRead;
    t.files.m4('c/src/lib/libcpu/sparc64/configure.ac');
    t.files.m4('c/src/lib/libcpu/sparc64/configure.ac');
    expect(t.files.filesRead).toBe(before); // already read by loadTree
    expect(t.files.m4('c/src/lib/libcpu/sparc64/configure.ac')).toBe(t.files.m4('c/src/lib/libcpu/sparc64/configure.ac'));
  });
});

describe('trees that are not autoconf-era RTEMS trees get a clear message', () => {
  const errorOf = (dir: string) => {
    try {
      loadTree(dir);
    } catch (e) {
      return e as SourceError;
    }
    throw new Error('loadTree did not fail');
  };

  it('an RTEMS 6 tree (wscript, spec/build) says so and what is supported', () => {
    const d = path.join(tmp, 'rtems6');
    mkdirSync(path.join(d, 'spec/build/bsps'), { recursive: true });
    mkdirSync(path.join(d, 'cpukit/score/cpu/sparc'), { recursive: true });
    writeFileSync(path.join(d, 'wscript'), '# waf build script\n');
    const e = errorOf(d);
    expect(e).toBeInstanceOf(SourceError);
    expect(e.message).toMatch(/waf-built RTEMS tree \(RTEMS 6 or later/);
    expect(e.hint).toMatch(/4\.10, 4\.11 and the transitional 5 branch/);
  });

  it('a directory that is no RTEMS tree at all', () => {
    const d = path.join(tmp, 'plain');
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'README'), 'hello\n');
    const e = errorOf(d);
    expect(e.message).toMatch(/not an RTEMS source tree/);
    expect(e.hint).toMatch(/configure\.ac, cpukit\/ and c\//);
  });

  it('a path that does not exist', () => {
    expect(errorOf(path.join(tmp, 'nope')).message).toMatch(/is not a directory/);
  });

  it('a configure.ac without cpukit/score/cpu', () => {
    const d = path.join(tmp, 'half');
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'configure.ac'), 'AC_INIT([x],[1])\n');
    expect(errorOf(d).message).toMatch(/cpukit\/score\/cpu or c\/src\/lib\/libbsp is missing/);
  });

  it('a malformed build file surfaces as the parser\'s located error when it is read', () => {
    const d = path.join(tmp, 'broken');
    cpSync(root, d, { recursive: true });
    writeFileSync(path.join(d, 'c/src/lib/libcpu/sh/configure.ac'), 'AM_CONDITIONAL([sh7032],[test x = y)\n');
    const e = errorOf(d);
    expect(e.file).toBe('c/src/lib/libcpu/sh/configure.ac');
    expect(e.line).toBe(1);
  });
});
