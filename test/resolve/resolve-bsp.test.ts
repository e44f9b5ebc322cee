import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTree } from '../../src/model/tree.js';
import { resolveBsp } from '../../src/resolve/resolve-bsp.js';
import { SourceError } from '../../src/parse/source-error.js';
import { gnuMake, type Files } from './make-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trees/rtems-4.11');
const tree = loadTree(root);
const libcpu = '../../../libcpu';

describe('resolveBsp on the fixture tree', () => {
  it('pc486 → i486dx: its RTEMS_CPU_MODEL is set before pc386.cfg tests it with ifeq', () => {
    const r = resolveBsp(tree, 'pc486');
    expect(r.arch).toBe('i386');
    expect(r.family).toBe('pc386');
    expect(r.cpuModel).toBe('i486dx');
    expect(r.cfgChain).toEqual(['c/src/lib/libbsp/i386/pc386/make/custom/pc486.cfg', 'c/src/lib/libbsp/i386/pc386/make/custom/pc386.cfg']);
    expect(r.cfgVariables.CPU_CFLAGS!.value).toBe('-mtune=i486');
    expect(r.cfgVariables.RTEMS_CPU_MODEL).toMatchObject({ value: 'i486dx', file: 'c/src/lib/libbsp/i386/pc386/make/custom/pc486.cfg', line: 5 });
    expect(r.libcpu.rels).toEqual(['cache.rel', 'page.rel', 'score.rel', 'fpsave.rel', 'pit.rel']);
    expect(r.libcpu.sources['fpsave.rel']).toEqual(['fpu/fnsave.c']);
    expect(r.conditionals).toMatchObject({ legacy_fpu: true, pit_timer: true, USE_TSC: false, LEGACY_FPU: true, HAS_NETWORKING: true, HAS_SMP: false });
    expect(r.libbspLibadd).toEqual([
      `${libcpu}/i386/cache.rel`, `${libcpu}/i386/page.rel`, `${libcpu}/i386/score.rel`,
      `${libcpu}/i386/fpsave.rel`, `${libcpu}/i386/pit.rel`, 'ne2000.rel',
    ]);
  });

  it('pc386 keeps its own model; pc586/pcp4 (pentium) switch the clock rel', () => {
    expect(resolveBsp(tree, 'pc386').cpuModel).toBe('i386_fp');
    expect(resolveBsp(tree, 'pc386').cfgVariables.CPU_CFLAGS!.value).toBe('-mtune=i386');
    const p5 = resolveBsp(tree, 'pc586');
    expect(p5.cpuModel).toBe('pentium');
    expect(p5.libcpu.rels).toContain('tsc.rel');
    expect(p5.libcpu.rels).not.toContain('pit.rel');
    expect(p5.libbspLibadd).toContain(`${libcpu}/i386/tsc.rel`);
    const p4 = resolveBsp(tree, 'pcp4'); // CRLF cfg without final newline, := and continuation
    expect(p4.cpuModel).toBe('pentium');
    expect(p4.cfgVariables.CPU_CFLAGS!.value).toBe('-mtune=pentium4 -march=pentium4 -msse3 '); // make keeps the trailing blank
    expect(resolveBsp(tree, 'pc686').cpuModel).toBe('pentiumpro');
  });

  it('the RTEMS_GAS_CODE16 assembler check is an unknown with file:line, and what it decides is not guessed', () => {
    const r = resolveBsp(tree, 'pc386');
    const at = readFileSync(path.join(root, 'c/src/lib/libbsp/i386/pc386/configure.ac'), 'utf8').split('\n').findIndex((l) => l.startsWith('AM_CONDITIONAL(RTEMS_GAS_CODE16')) + 1;
    expect(r.unknowns.map((u) => `${u.file}:${u.line}`)).toContain(`c/src/lib/libbsp/i386/pc386/configure.ac:${at}`);
    expect(r.unknowns.some((u) => /start16\.rel/.test(u.why))).toBe(true);
    expect(r.libbspLibadd).not.toContain('start16.rel');
    expect('RTEMS_GAS_CODE16' in r.conditionals).toBe(false);
  });

  it('plain shell code before a RTEMS_BSPOPTS_HELP is run in order: USE_VBE_RM=1 because USE_VGA_FB is not set yet', () => {
    const r = resolveBsp(tree, 'pc386');
    expect(r.conditionals.USE_VBE_RM).toBe(true);
    expect(r.assumptions).toContainEqual(expect.objectContaining({ variable: 'USE_VGA_FB', value: '', why: expect.stringMatching(/not set yet: its RTEMS_BSPOPTS_HELP is on line \d+/) }));
    expect(r.assumptions).toContainEqual(expect.objectContaining({ variable: 'USE_VBE_RM', value: '1', file: 'c/src/lib/libbsp/i386/pc386/configure.ac' }));
    expect(r.unknowns.some((u) => /USE_VBE_RM/.test(u.why))).toBe(false);
  });

  it('AM_CONDITIONALs inside aclocal macros the configure.ac runs (RTEMS_BSP_CONFIGURE → RTEMS_CHECK_MULTIPROCESSING)', () => {
    const r = resolveBsp(tree, 'leon3');
    expect(r.conditionals.HAS_MP).toBe(false);
    const step = r.steps.find((s) => s.step === 'conditional' && s.detail.startsWith('HAS_MP'))!;
    expect(step.file).toBe('c/src/aclocal/check-multiprocessing.m4');
    expect(r.unknowns).toEqual([]);
  });

  it('niagara links the shared score rels that libcpu/sparc64 builds under `if shared`', () => {
    const r = resolveBsp(tree, 'niagara');
    expect(r.cpuModel).toBe('sun4v');
    expect(r.conditionals).toMatchObject({ shared: true, sun4v: true, sun4u: false });
    expect(r.libcpu.rels).toEqual(['shared/shared-score.rel', 'shared/cache.rel']);
    expect(r.libcpu.sources['shared/shared-score.rel']).toEqual(['shared/score/cpu.c', 'shared/score/interrupt.S']);
    expect(r.libcpu.sources['shared/cache.rel']).toEqual(['shared/cache/cache.c']); // through $(CACHE_SOURCES)
    expect(r.libbspLibadd).toEqual([`${libcpu}/sparc64/shared/shared-score.rel`, `${libcpu}/sparc64/shared/cache.rel`]);
    expect(r.unknowns).toEqual([]);
    const u = resolveBsp(tree, 'usiii');
    expect(u.cpuModel).toBe('sun4u');
    expect(u.libbspLibadd).toEqual(r.libbspLibadd.map((x) => x));
  });

  it('sh: per-model score rels through @RTEMS_CPU_MODEL@, and an .inc in the copy chain', () => {
    const g = resolveBsp(tree, 'gensh1');
    expect(g.cpuModel).toBe('sh7032');
    expect(g.libcpu.rels).toEqual(['cache.rel', 'sh7032/score.rel']);
    expect(g.libbspLibadd).toEqual([`${libcpu}/sh/sh7032/score.rel`, `${libcpu}/sh/cache.rel`]);
    const s = resolveBsp(tree, 'simsh4');
    expect(s.cfgChain.map((c) => path.basename(c))).toEqual(['simsh4.cfg', 'shsim.inc']);
    expect(s.cpuModel).toBe('shgdb');
    expect(s.conditionals.SIMSH4).toBe(true); // a `case` on ${RTEMS_BSP}
    expect(resolveBsp(tree, 'simsh1').conditionals.SIMSH4).toBe(false);
    expect(s.libbspLibadd).toEqual([`${libcpu}/sh/shgdb/score.rel`, `${libcpu}/sh/cache.rel`]);
    expect(s.unknowns).toEqual([]);
  });

  it('powerpc: libcpu `shared` holds for some models only (mpc6xx yes, ppc405 no), each BSP links what its model builds', () => {
    const q = resolveBsp(tree, 'qemuppc');
    expect(q.cpuModel).toBe('mpc6xx');
    expect(q.conditionals).toMatchObject({ shared: true, mpc5xx: false, mpc6xx: true, ppc403: false, ppc4xx: false });
    expect(q.libcpu.rels).toEqual(['new-exceptions/rtems-cpu.rel', 'new-exceptions/exc_bspsupport.rel', 'shared/cache.rel', 'mpc6xx/clock.rel']);
    expect(q.libcpu.sources['new-exceptions/rtems-cpu.rel']).toEqual(['new-exceptions/cpu.c', 'new-exceptions/cpu_asm.S']);
    expect(q.libbspLibadd).toEqual(q.libcpu.rels.map((r) => `${libcpu}/powerpc/${r}`));
    expect(q.unknowns).toEqual([]);
    const v = resolveBsp(tree, 'virtex');
    expect(v.cpuModel).toBe('ppc405');
    expect(v.conditionals).toMatchObject({ shared: false, mpc5xx: false, mpc6xx: false, ppc403: false, ppc4xx: true });
    expect(v.libcpu.rels).toEqual(['new-exceptions/rtems-cpu.rel', 'new-exceptions/exc_bspsupport.rel', 'ppc403/clock.rel']);
    expect(v.libbspLibadd).toEqual(v.libcpu.rels.map((r) => `${libcpu}/powerpc/${r}`));
    expect(v.unknowns).toEqual([]);
  });

  it('arm: libcpu `shared` holds for the ARM920T model (s3c2410) only; a cfg without RTEMS_CPU_MODEL (Cortex-A9) builds and links nothing of libcpu', () => {
    const s = resolveBsp(tree, 'smdk2410');
    expect(s.arch).toBe('arm');
    expect(s.family).toBe('smdk2410');
    expect(s.cpuModel).toBe('s3c2410');
    expect(s.cfgVariables.CPU_CFLAGS!.value).toBe('-mcpu=arm920t');
    expect(s.conditionals).toMatchObject({ shared: true, at91rm9200: false, s3c24xx: true });
    expect(s.libcpu.rels).toEqual(['shared/arm920.rel', 's3c24xx/clock.rel']);
    expect(s.libcpu.sources['shared/arm920.rel']).toEqual(['shared/arm920/mmu.c']);
    expect(s.libbspLibadd).toEqual(s.libcpu.rels.map((r) => `${libcpu}/arm/${r}`));
    expect(s.unknowns).toEqual([]);
    const r = resolveBsp(tree, 'realview_pbx_a9_qemu');
    expect(r.arch).toBe('arm');
    expect(r.family).toBe('realview-pbx-a9');
    // make leaves RTEMS_CPU_MODEL empty (what configure substitutes); the resolution says null
    expect(r.cfgVariables.RTEMS_CPU_MODEL!.value).toBe('');
    expect(r.cpuModel).toBeNull();
    expect(r.cfgVariables.CPU_CFLAGS!.value).toBe('-mcpu=cortex-a9');
    expect(r.conditionals).toMatchObject({ shared: false, at91rm9200: false, s3c24xx: false });
    expect(r.libcpu.rels).toEqual([]);
    expect(r.libbspLibadd).toEqual([]);
    expect(r.unknowns).toEqual([]);
  });

  it('sparc: leon3 gets the instruction-cache conditional, sis inherits erc32 and its quirks default', () => {
    const l = resolveBsp(tree, 'ngmp');
    expect(l.cpuModel).toBe('leon3');
    expect(l.cfgVariables.CPU_CFLAGS!.value).toBe('-mcpu=leon3 -muser-mode -msoft-float');
    expect(l.conditionals.has_instruction_cache).toBe(true);
    expect(l.libbspLibadd).toContain(`${libcpu}/sparc/greth.rel`);
    const sis = resolveBsp(tree, 'sis');
    expect(sis.cpuModel).toBe('erc32');
    expect(sis.conditionals).toMatchObject({ has_instruction_cache: false, SIS_QUIRKS: true });
    expect(resolveBsp(tree, 'erc32').conditionals.SIS_QUIRKS).toBe(false);
    expect(sis.assumptions.find((a) => a.variable === 'ENABLE_SIS_QUIRKS')).toMatchObject({ value: '1', line: expect.any(Number) });
    // an AC_ARG_ENABLE that is not on the configure line runs its default action
    expect(sis.conditionals.ERC32_MONITOR).toBe(false);
    expect(sis.assumptions).toContainEqual(expect.objectContaining({ variable: 'ERC32_MONITOR', value: 'no', why: expect.stringMatching(/AC_ARG_ENABLE\(erc32-monitor\) is not on the configure line/) }));
    expect(sis.unknowns).toEqual([]);
  });

  it('every step names a file and line that exist', () => {
    for (const b of tree.bsps) {
      const r = resolveBsp(tree, b.name);
      for (const s of r.steps) {
        const lines = readFileSync(path.join(root, s.file), 'latin1').split('\n').length;
        expect(s.line, `${b.name} ${s.step} ${s.file}`).toBeGreaterThanOrEqual(1);
        expect(s.line).toBeLessThanOrEqual(lines);
      }
    }
  });

  it('an unknown BSP is a located SourceError with a next step', () => {
    expect(() => resolveBsp(tree, 'pc999')).toThrow(SourceError);
    expect(() => resolveBsp(tree, 'pc486', { arch: 'sparc' })).toThrow(/no BSP named pc486 for sparc/);
    try {
      resolveBsp(tree, 'pc486', { arch: 'sparc' });
    } catch (e) {
      expect((e as SourceError).hint).toMatch(/i386/);
    }
  });
});

describe('the cfg values of every fixture BSP agree with GNU make over the copied chain', () => {
  // as c/src/configure does: copy the chain into make/custom, default.cfg from default.cfg.in, then make
  it.each(tree.bsps.map((b) => [b.name]))('%s', async (name) => {
    const r = resolveBsp(tree, name);
    const files: Files = { 'make/custom/default.cfg': readFileSync(path.join(root, 'c/src/make/custom/default.cfg.in'), 'latin1') };
    for (const c of r.cfgChain) files[`make/custom/${path.basename(c)}`] = readFileSync(path.join(root, c), 'latin1');
    const names = ['RTEMS_CPU_MODEL', 'CPU_CFLAGS', 'CFLAGS_OPTIMIZE_V', 'RTEMS_CPU'];
    const real = await gnuMake(files, `make/custom/${name}.cfg`, names, { RTEMS_BSP: name });
    expect(real.exitCode, real.stderr).toBe(0);
    // the cache keeps make's value verbatim (bsp.mak echoes it inside double quotes)
    for (const n of names) expect(r.cfgVariables[n]!.value, n).toBe(real.values[n]);
  });
});

describe('a tree with a stale acinclude.m4', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-stale-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it('a family missing from RTEMS_CHECK_BSPDIR is an unknown: configure stops with "Invalid BSP"', () => {
    cpSync(root, tmp, { recursive: true });
    const acinc = path.join(tmp, 'c/src/lib/libbsp/sparc/acinclude.m4');
    const text = readFileSync(acinc, 'utf8').replace(/  leon3 \)\n    AC_CONFIG_SUBDIRS\(\[leon3\]\);;\n/, '');
    writeFileSync(acinc, text);
    const r = resolveBsp(loadTree(tmp), 'leon3');
    expect(r.unknowns.some((u) => u.file === 'c/src/lib/libbsp/sparc/acinclude.m4' && /Invalid BSP/.test(u.why))).toBe(true);
    expect(resolveBsp(loadTree(tmp), 'erc32').unknowns).toEqual([]);
  });

  it('a cfg including a make/custom file that no family has: configure stops copying, make cannot include it', () => {
    writeFileSync(path.join(tmp, 'c/src/lib/libbsp/sh/shsim/make/custom/simsh1.cfg'), 'include $(RTEMS_ROOT)/make/custom/nowhere.inc\nCPU_CFLAGS = -m1\n');
    const r = resolveBsp(loadTree(tmp), 'simsh1');
    expect(r.cfgChain.map((c) => path.basename(c))).toEqual(['simsh1.cfg']);
    expect(r.unknowns.map((u) => u.why)).toEqual(
      expect.arrayContaining([expect.stringMatching(/includes nowhere\.inc, which no .* directory has/), expect.stringMatching(/make cannot find the included file/)]),
    );
    expect(r.cpuModel).toBeNull();
  });

  it('two make/custom includes in one cfg: the copy loop would read both names as one, so it is an unknown', () => {
    writeFileSync(path.join(tmp, 'c/src/lib/libbsp/sh/shsim/make/custom/simsh4.cfg'), 'include $(RTEMS_ROOT)/make/custom/shsim.inc\ninclude $(RTEMS_ROOT)/make/custom/gensh1.cfg\n');
    const r = resolveBsp(loadTree(tmp), 'simsh4');
    expect(r.unknowns.some((u) => u.line === 1 && /copy loop reads/.test(u.why))).toBe(true);
  });
});
