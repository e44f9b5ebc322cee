/**
 * `patch` for the arches after i386, on copies of the fixture tree: sparc (the 4.11
 * RTEMS_PARAVIRT precedent, converted) and powerpc (a libcpu whose own `shared` conditional
 * covers only some models).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTree } from '../../src/model/tree.js';
import { resolveBsp } from '../../src/resolve/resolve-bsp.js';
import { planPatch } from '../../src/patch/plan.js';
import { applyPlan } from '../../src/patch/transaction.js';
import { check } from '../../src/check/engine.js';
import type { PatchPlan } from '../../src/patch/file-edit.js';

const FIXTURE = path.resolve('fixtures/trees/rtems-4.11');

async function patchedCopy(arch: string): Promise<{ root: string; plan: PatchPlan }> {
  const root = mkdtempSync(path.join(tmpdir(), `rvc-${arch}-`));
  cpSync(FIXTURE, root, { recursive: true });
  const plan = await planPatch(loadTree(root), arch, { removeEnableParavirt: true });
  applyPlan(root, plan);
  return { root, plan };
}

const read = (root: string, rel: string) => readFileSync(path.join(root, rel), 'latin1');

describe('patch --arch sparc on the fixture (the RTEMS_PARAVIRT precedent)', () => {
  let root: string;
  let plan: PatchPlan;
  beforeAll(async () => {
    ({ root, plan } = await patchedCopy('sparc'));
  }, 60_000);

  it('selects the sparcvirt model and only the virt score for sparcvirt', () => {
    const r = resolveBsp(loadTree(root), 'sparcvirt');
    expect(r.cpuModel).toBe('sparcvirt');
    expect(r.unknowns).toEqual([]);
    expect(r.libcpu.rels).toContain('sparcvirt/sparcvirt-score.rel');
    expect(r.libcpu.rels).not.toContain('shared/shared-score.rel');
    expect(r.libcpu.rels).not.toContain('reg_win.rel'); // the native window handlers are not the virt model's
    expect(r.libbspLibadd).toEqual(['../../../libcpu/sparc/sparcvirt/sparcvirt-score.rel']);
  });

  it('builds and links the native score, generated from the #else branches, for erc32 and leon3', () => {
    const after = loadTree(root);
    for (const b of ['erc32', 'leon3']) {
      const r = resolveBsp(after, b);
      expect(r.libcpu.rels).toContain('shared/shared-score.rel');
      expect(r.libbspLibadd).toContain('../../../libcpu/sparc/shared/shared-score.rel');
    }
    const native = read(root, 'c/src/lib/libcpu/sparc/shared/score/sparc-native.c');
    expect(native).toMatch(/#undef sparc_get_psr\n#define sparc_get_psr\( _psr \) \\\n[^]*"rd %%psr, %0"[^]*\nuint32_t _SPARC_Get_PSR\( void \)\n\{\n  uint32_t value = 0;/);
    expect(native).toMatch(/void _SPARC_Set_PSR\( uint32_t new_psr \)\n\{\n  sparc_set_psr\( new_psr \);\n\}/);
    expect(native).toMatch(/uint32_t sparc_get_wim_impl\( void \)/);
    expect(native).toMatch(/void sparc_set_wim_impl\( uint32_t _wim \)/);
  });

  it('leaves cpukit/score/cpu/sparc without RTEMS_PARAVIRT and without a privileged instruction', () => {
    const h = read(root, 'cpukit/score/cpu/sparc/rtems/score/sparc.h');
    expect(h).not.toContain('RTEMS_PARAVIRT');
    expect(h).not.toMatch(/%%(psr|wim|tbr)/);
    expect(h).toContain('#define sparc_get_psr( _psr ) \\\n  (_psr) = _SPARC_Get_PSR()');
    expect(h).toMatch(/#define sparc_set_wim\( _wim \) \\\n  sparc_set_wim_impl\( _wim \)/);
    expect(read(root, 'cpukit/score/cpu/sparc/cpu.c')).not.toContain('RTEMS_PARAVIRT');
    expect(read(root, 'cpukit/score/cpu/sparc/rtems/asm.h')).not.toContain('%psr');
    expect(plan.notes).toContainEqual(expect.stringMatching(/^cpukit\/score\/cpu\/sparc\/cpu\.c:7: dropped the RTEMS_PARAVIRT branch/));
  });

  it('moves the TRAP trap-table macro into the native start code that expands it', () => {
    const start = read(root, 'c/src/lib/libbsp/sparc/shared/start/start.S');
    expect(start).toMatch(/#include <rtems\/asm.h>\n\n\/\*\n \*  TRAP: moved here by rtems-virt-config patch from\n \*  cpukit\/score\/cpu\/sparc\/rtems\/asm.h\./);
    expect(start).toContain('#define TRAP(_vector, _handler)  \\\n  mov   %psr, %l0 ; \\');
    expect(read(root, 'cpukit/score/cpu/sparc/rtems/asm.h')).toContain('#define RTRAP(_vector, _handler)');
  });

  it('gives the virt model the templates\' PSR/TBR/WIM accessors, not stubs', () => {
    expect(plan.notes.filter((n) => /is a stub/.test(n))).toEqual([]);
    expect(existsSync(path.join(root, 'c/src/lib/libcpu/sparc/sparcvirt/score/sparc-virt.c'))).toBe(true);
  });

  it('leaves a tree that check passes, and a second plan has nothing to do', async () => {
    const result = await check(loadTree(root), { arch: 'sparc' });
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.file}:${d.line} ${d.message}`)).toEqual([]);
    const again = await planPatch(loadTree(root), 'sparc', { removeEnableParavirt: true });
    expect(again.edits).toEqual([]);
  }, 60_000);
});

describe('patch --arch powerpc on the fixture (libcpu/powerpc has its own, narrower `shared`)', () => {
  let root: string;
  beforeAll(async () => {
    ({ root } = await patchedCopy('powerpc'));
  }, 60_000);

  it('builds the native score under !powerpcvirt, so virtex (ppc405, outside `shared`) gets it too', () => {
    const after = loadTree(root);
    const virt = resolveBsp(after, 'powerpcvirt');
    expect(virt.cpuModel).toBe('powerpcvirt');
    expect(virt.libcpu.rels).toEqual(['powerpcvirt/powerpcvirt-score.rel']);
    for (const b of ['qemuppc', 'virtex']) {
      const r = resolveBsp(after, b);
      expect(r.unknowns).toEqual([]);
      expect(r.libcpu.rels).toContain('shared/shared-score.rel');
      expect(r.libcpu.rels).toContain('new-exceptions/rtems-cpu.rel');
      expect(r.libbspLibadd).toContain('../../../libcpu/powerpc/shared/shared-score.rel');
    }
    const ac = read(root, 'c/src/lib/libcpu/powerpc/configure.ac');
    expect(ac).toContain('AM_CONDITIONAL([powerpcvirt],[test x"$RTEMS_CPU_MODEL" = x"powerpcvirt"])');
    // the tree's own `shared` keeps its meaning
    const sharedLine = (t: string) => t.split('\n').filter((l) => /AM_CONDITIONAL\(shared/.test(l));
    expect(sharedLine(ac)).toEqual(sharedLine(read(FIXTURE, 'c/src/lib/libcpu/powerpc/configure.ac')));
    const am = read(root, 'c/src/lib/libcpu/powerpc/Makefile.am');
    expect(am).toMatch(/^noinst_PROGRAMS =\nif !powerpcvirt\nnoinst_PROGRAMS \+= new-exceptions\/rtems-cpu\.rel\n/m);
  });

  it('generates the powerpcvirt interrupt functions on the hypervisor interface', () => {
    const split = read(root, 'c/src/lib/libcpu/powerpc/powerpcvirt/score/split.c');
    expect(split).toMatch(/uint32_t ppc_interrupt_disable\( void \)\n\{\n  return virt_irq_disable\(\) \? 0u : 0x8000u;\n\}/);
    expect(split).toMatch(/void _CPU_MSR_SET_impl\( uint32_t _msr_value \)/);
    expect(split).not.toMatch(/mfmsr|mtmsr/);
    const regs = read(root, 'cpukit/score/cpu/powerpc/rtems/powerpc/registers.h');
    expect(regs).not.toMatch(/mfmsr|mtmsr/);
    expect(regs).toContain('uint32_t ppc_interrupt_disable( void );');
  });

  it('leaves a tree that check passes, and a second plan has nothing to do', async () => {
    const result = await check(loadTree(root), { arch: 'powerpc' });
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.file}:${d.line} ${d.message}`)).toEqual([]);
    const again = await planPatch(loadTree(root), 'powerpc', { removeEnableParavirt: true });
    expect(again.edits).toEqual([]);
  }, 60_000);
});

describe('patch --arch arm on the fixture (exception code in cpukit, an assembler macro, a BSP without a CPU model)', () => {
  let root: string;
  let plan: PatchPlan;
  beforeAll(async () => {
    ({ root, plan } = await patchedCopy('arm'));
  }, 60_000);

  const balance = (t: string) => (t.match(/^\s*#\s*if/gm) ?? []).length - (t.match(/^\s*#\s*endif/gm) ?? []).length;

  it('selects the armvirt model, and gives both native BSPs (one with no RTEMS_CPU_MODEL) the native score', () => {
    const after = loadTree(root);
    const virt = resolveBsp(after, 'armvirt');
    expect(virt.cpuModel).toBe('armvirt');
    expect(virt.libcpu.rels).toEqual(['armvirt/armvirt-score.rel']);
    expect(virt.libbspLibadd).toEqual(['../../../libcpu/arm/armvirt/armvirt-score.rel']);
    for (const b of ['smdk2410', 'realview_pbx_a9_qemu']) {
      const r = resolveBsp(after, b);
      expect(r.unknowns).toEqual([]);
      expect(r.libcpu.rels).toContain('shared/shared-score.rel');
      expect(r.libbspLibadd).toContain('../../../libcpu/arm/shared/shared-score.rel');
    }
    expect(read(root, 'c/src/lib/libcpu/arm/Makefile.am')).toMatch(/^if !armvirt\nnoinst_PROGRAMS \+= shared\/shared-score\.rel$/m);
  });

  it('moves the routines of a file-level #ifdef with their conditional, leaving both files balanced', () => {
    for (const f of ['cpu_asm.S', 'arm_exc_interrupt.S']) {
      const left = read(root, `cpukit/score/cpu/arm/${f}`);
      const moved = read(root, `c/src/lib/libcpu/arm/shared/score/${f}`);
      expect(balance(left), f).toBe(0);
      expect(balance(moved), f).toBe(0);
      expect(left).not.toMatch(/\b(mrs|msr)\b|subs\s+pc/);
      expect(moved).toMatch(/#ifdef ARM_MULTILIB_ARCH_V4[^]*\.globl\t_CPU_Context_switch|#ifdef ARM_MULTILIB_ARCH_V4[^]*_ARMV4_Exception_interrupt/);
    }
  });

  it('moves the GET_SELF_CPU_CONTROL assembler macro out of rtems/asm.h into the moved code that expands it', () => {
    expect(read(root, 'cpukit/score/cpu/arm/rtems/asm.h')).not.toContain('GET_SELF_CPU_CONTROL');
    for (const f of ['cpu_asm.S', 'arm_exc_interrupt.S']) {
      expect(read(root, `c/src/lib/libcpu/arm/shared/score/${f}`)).toMatch(/\.macro GET_SELF_CPU_CONTROL REG, TMP\n[^]*mrc\tp15, 0, \\TMP, c0, c0, 5[^]*\.endm/);
    }
    expect(plan.notes).toContainEqual(expect.stringMatching(/^GET_SELF_CPU_CONTROL \(cpukit\/score\/cpu\/arm\/rtems\/asm\.h:\d+\) .* moved into c\/src\/lib\/libcpu\/arm\/shared\/score\/arm_exc_interrupt\.S, c\/src\/lib\/libcpu\/arm\/shared\/score\/cpu_asm\.S,/));
  });

  it('generates the armvirt interrupt functions, and takes the idle body from libcpu/shared/virt', () => {
    const split = read(root, 'c/src/lib/libcpu/arm/armvirt/score/split.c');
    expect(split).toMatch(/uint32_t arm_interrupt_disable\( void \)\n\{\n  return virt_irq_disable\(\) \? 0x80u : 0u;\n\}/);
    expect(split).toMatch(/void _CPU_ISR_Set_level\( uint32_t level \)\n\{\n  if \( level != 0 \)/);
    expect(split).not.toMatch(/_CPU_Thread_Idle_body/);
    expect(read(root, 'c/src/lib/libcpu/arm/shared/score/armv7-thread-idle.c')).toContain('wfi');
    expect(read(root, 'c/src/lib/libbsp/arm/armvirt/make/custom/armvirt.cfg')).toMatch(/^CPU_CFLAGS = -mcpu=cortex-a9 -mtp=soft$/m);
  });

  it('leaves a tree that check passes, and a second plan has nothing to do', async () => {
    const result = await check(loadTree(root), { arch: 'arm' });
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.file}:${d.line} ${d.message}`)).toEqual([]);
    const again = await planPatch(loadTree(root), 'arm', { removeEnableParavirt: true });
    expect(again.edits).toEqual([]);
  }, 60_000);
});

describe('patch of several arches on one tree', () => {
  it('patches i386, sparc, powerpc and arm one after the other; check of the whole tree is then clean', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rvc-all-'));
    cpSync(FIXTURE, root, { recursive: true });
    for (const arch of ['i386', 'sparc', 'powerpc', 'arm']) applyPlan(root, await planPatch(loadTree(root), arch, { removeEnableParavirt: true }));
    const result = await check(loadTree(root));
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.file}:${d.line} ${d.message}`)).toEqual([]);
  }, 120_000);
});
