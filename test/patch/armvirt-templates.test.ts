/**
 * The armvirt templates (paravirtualized ARMv7-A score and BSP start code) execute no privileged
 * or sensitive ARM instruction: statically, through the project's source index and the
 * rules/arch/arm.json table, and, when the arm-none-eabi cross compiler is on PATH, in the objects
 * it builds from them and in the image linked with their linker script (objdump).
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../src/patch/templates.js';
import {
  buildSourceIndex,
  definedSymbols,
  loadInstructionTable,
  matchInstruction,
  privilegedUses,
  type PrivilegedUse,
} from '../../src/source-index/index.js';

const SCORE = 'libcpu/arm/armvirt/score';
const BSP = 'libbsp/arm/armvirt';
const HYPERVISOR_H = 'libcpu/shared/virt/hypervisor.h';
const ASM = [`${BSP}/start/start.S`, `${SCORE}/virt-call.S`, `${SCORE}/cpu_asm.S`];
const FILES = [...ASM, `${BSP}/include/bsp.h`, HYPERVISOR_H];
const LINKCMDS = `${BSP}/startup/linkcmds`;
/** The arch-independent part every <arch>virt model links (libcpu/shared/virt), when it is there. */
const SHARED_C = ['libcpu/shared/virt/virt-cpu.c', 'libcpu/shared/virt/bsp/virt-bsp.c', 'libcpu/shared/virt/bsp/virt-clock.c', 'libcpu/shared/virt/bsp/virt-console.c'];

const table = loadInstructionTable('arm');
const read = (rel: string): string => readFileSync(path.join(TEMPLATES_DIR, rel), 'latin1');
const where = (u: PrivilegedUse): string => `${u.file}:${u.line} ${u.entryId} ${u.instruction.text}`;

describe('armvirt templates in the source index (rules/arch/arm.json)', () => {
  it('index every file and find no privileged or sensitive use', async () => {
    const idx = await buildSourceIndex(TEMPLATES_DIR, FILES, 'arm');
    expect(idx.files.map((f) => f.file)).toEqual(FILES);
    expect(privilegedUses(idx, table).map(where)).toEqual([]);
  });

  it('define the context switch, the binding and the entry point, and nothing of the shared code', async () => {
    const idx = await buildSourceIndex(TEMPLATES_DIR, ASM, 'arm');
    const names = definedSymbols(idx).map((s) => s.name);
    for (const n of ['_CPU_Context_switch', '_CPU_Context_restore', 'virt_call', 'virt_event_entry', '_start']) {
      expect(names, n).toContain(n);
    }
    // the idle body and virt_vcpu are libcpu/shared/virt/virt-cpu.c's; the dispatch is the shared BSP code's
    for (const n of ['_CPU_Thread_Idle_body', 'virt_vcpu', 'virt_event_dispatch', 'virt_bsp_early_init']) {
      expect(names, n).not.toContain(n);
    }
  });

  it('would report mrs/msr CPSR, cpsid, wfi, a TPIDRURO write and an exception return in these files (the scan is not vacuous)', async () => {
    const file = `${SCORE}/cpu_asm.S`;
    const patched = read(file).replace(
      '_CPU_Context_switch:\n',
      '_CPU_Context_switch:\n        mrs     r2, cpsr\n        msr     cpsr_c, r2\n        cpsid   i\n        wfi\n        mcr     p15, 0, r3, c13, c0, 3\n        subs    pc, lr, #4\n',
    );
    expect(patched).not.toBe(read(file));
    const idx = await buildSourceIndex(TEMPLATES_DIR, [file], 'arm', { readText: (rel) => (rel === file ? patched : undefined) });
    expect(privilegedUses(idx, table).map((u) => `${u.entryId}:${u.context.name}`)).toEqual([
      'mrs-cpsr:_CPU_Context_switch',
      'msr-cpsr:_CPU_Context_switch',
      'cps:_CPU_Context_switch',
      'wfi-wfe:_CPU_Context_switch',
      'cp15:_CPU_Context_switch',
      'exception-return:_CPU_Context_switch',
    ]);
  });

  it('the user-writable thread ID register TPIDRURW is reported too, so the thread pointer lives in virt_arm_thread_id', () => {
    const ins = { mnemonic: 'mcr', operands: 'p15, 0, r3, c13, c0, 2', text: 'mcr p15, 0, r3, c13, c0, 2' };
    expect(matchInstruction(table, ins)?.id).toBe('cp15');
    const cpuAsm = read(`${SCORE}/cpu_asm.S`);
    expect(cpuAsm).toMatch(/^virt_arm_thread_id:/m);
    expect(cpuAsm).not.toMatch(/^\s*(mcr|mrc)\b/m);
  });

  it('hard-code the values of hypervisor.h, of the binding and of the 4.11 Context_Control', () => {
    const h = read(HYPERVISOR_H);
    const headerValue = (name: string): number => {
      const m = new RegExp(`#define\\s+${name}\\s+(0x[0-9a-fA-F]+|\\d+)u?\\b`).exec(h);
      expect(m, `${name} in hypervisor.h`).not.toBeNull();
      return Number(m![1]);
    };
    let checked = 0;
    for (const rel of ASM) {
      for (const m of read(rel).matchAll(/^#define\s+(VIRT_\w+)\s+(0x[0-9a-fA-F]+|\d+)/gm)) {
        expect(Number(m[2]), `${m[1]} in ${rel}`).toBe(headerValue(m[1]!));
        checked++;
      }
      // every svc is the binding's
      for (const m of read(rel).matchAll(/^\s*svc\s+#(\w+)/gm)) {
        const imm = m[1] === 'VIRT_ARM_SVC_IMM' ? headerValue('VIRT_ARM_SVC_IMM') : Number(m[1]);
        expect(imm, `svc in ${rel}`).toBe(headerValue('VIRT_ARM_SVC_IMM'));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    const ramBase = /RamBase = DEFINED\(RamBase\) \? RamBase : (0x[0-9a-fA-F]+);/.exec(read(LINKCMDS));
    expect(Number(ramBase![1])).toBe(headerValue('VIRT_ARM_GUEST_RAM_BEGIN'));
    // the delivery frame keeps the AAPCS stack alignment and holds its four slots
    expect(headerValue('VIRT_ARM_FRAME_SIZE') % 8).toBe(0);
    const slots = ['VIRT_ARM_FRAME_R0', 'VIRT_ARM_FRAME_SP', 'VIRT_ARM_FRAME_PC', 'VIRT_ARM_FRAME_CPSR'].map(headerValue);
    expect(new Set(slots).size).toBe(4);
    for (const s of slots) expect(s + 4).toBeLessThanOrEqual(headerValue('VIRT_ARM_FRAME_SIZE'));
    // the ARM_MULTILIB_ARCH_V4 Context_Control of 4.11: cpsr, r4..r10, fp, sp, lr (4 bytes each), thread_id, d8..
    const cpuAsm = read(`${SCORE}/cpu_asm.S`);
    const ctx = (name: string): number => Number(new RegExp(`^#define\\s+${name}\\s+(\\d+)`, 'm').exec(cpuAsm)![1]);
    expect([ctx('CTX_CPSR'), ctx('CTX_R4'), ctx('CTX_SP'), ctx('CTX_LR'), ctx('CTX_THREAD_ID'), ctx('CTX_D8')]).toEqual([0, 4, 4 + 8 * 4, 4 + 9 * 4, 4 + 10 * 4, 48]);
  });
});

const GCC = 'arm-none-eabi-gcc';
// CI sets RVC_REQUIRE_CROSS=1 (.ci/run): there a missing cross compiler fails these tests instead of skipping them
const gccPresent = process.env.RVC_REQUIRE_CROSS === '1' || (await execa(GCC, ['--version'], { reject: false }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
const SKIP_REASON = gccPresent ? '' : ` (skipped: ${GCC} is not on PATH; apt-get install gcc-arm-none-eabi)`;

/** Link-test stand-in for RTEMS (boot_card); the shared virt code is linked when present, else stood in for too. */
const BOOT_STUB = `#include <stdint.h>
#include <libcpu/virt/hypervisor.h>
void boot_card(const char *cmdline);
void boot_card(const char *cmdline) { uint32_t n = 0; while (cmdline[n] != '\\0') ++n; (void) virt_console_write(cmdline, n); }
`;
const SHARED_STUB = `#include <stdint.h>
#include <libcpu/virt/hypervisor.h>
const char *virt_bsp_early_init(const virt_start_info *info);
void virt_event_dispatch(void);
void virt_bsp_exit(uint32_t status);
virt_vcpu_state *virt_vcpu;
const char *virt_bsp_early_init(const virt_start_info *info) { virt_vcpu = (virt_vcpu_state *) (uintptr_t) info->vcpu; return info->cmdline; }
void virt_event_dispatch(void) { (void) virt_take_events(); }
void virt_bsp_exit(uint32_t status) { virt_exit(status); }
`;

interface Disassembled {
  mnemonic: string;
  operands: string;
  text: string;
  where: string;
}

/** The instructions of `objdump -d` output (ARM state: one 32-bit word per line). */
function parseObjdump(out: string): Disassembled[] {
  const list: Disassembled[] = [];
  let fn = '?';
  for (const line of out.split('\n')) {
    const label = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (label) fn = label[1]!;
    const m = /^\s*([0-9a-f]+):\t[0-9a-f]{8} \t(\S+)\s*(.*)$/.exec(line);
    if (!m || m[2]!.startsWith('.')) continue; // .word: literal pool
    let operands = m[3]!.replace(/\s*[@;].*$/, '').trim();
    // objdump names the coprocessor by number ("mcr 15, 0, r0, cr13, ..."); the table and the source say p15
    if (/^(mcr|mrc|ldc|stc)2?l?$/.test(m[2]!)) operands = operands.replace(/^(\d+),/, 'p$1,');
    list.push({ mnemonic: m[2]!, operands, text: `${m[2]} ${operands}`.trim(), where: `${fn}+0x${m[1]}` });
  }
  return list;
}

/** Privileged or sensitive instructions: by the table, and by a plain pattern independent of it. */
function privileged(ins: Disassembled[]): string[] {
  const plain = /^(mrs\s.*\b(cpsr|spsr)|msr\s+(cpsr|spsr)(?!_f\b)|cps\w*\s|wfi|wfe|(mcr|mrc)2?\s+p1[45]\b|(subs|movs)\s+pc\b|rfe\w*\s|srs\w*\s|smc\s|hvc\s)|\}\s*\^/i;
  return ins.filter((i) => matchInstruction(table, i) !== null || plain.test(i.text)).map((i) => `${i.where} ${i.text}`);
}

describe.skipIf(!gccPresent)(`armvirt templates built with ${GCC}${SKIP_REASON}`, () => {
  let dir: string;
  let objects: string[];
  let image: string;
  const cflags = ['-march=armv7-a', '-marm', '-mfloat-abi=soft', '-ffreestanding', '-O2', '-Wall', '-Wextra', '-Wmissing-prototypes', '-Werror'];
  const objdump = async (files: string[]): Promise<Disassembled[]> =>
    parseObjdump((await execa('arm-none-eabi-objdump', ['-d', ...files])).stdout);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rvc-armvirt-'));
    mkdirSync(path.join(dir, 'inc', 'libcpu', 'virt'), { recursive: true });
    writeFileSync(path.join(dir, 'inc', 'libcpu', 'virt', 'hypervisor.h'), read(HYPERVISOR_H));
    writeFileSync(path.join(dir, 'boot-stub.c'), BOOT_STUB);
    let shared = SHARED_C.map((rel) => path.join(TEMPLATES_DIR, rel));
    if (!shared.every((f) => existsSync(f))) {
      writeFileSync(path.join(dir, 'shared-stub.c'), SHARED_STUB);
      shared = [path.join(dir, 'shared-stub.c')];
    }
    const sources = [...ASM.map((r) => path.join(TEMPLATES_DIR, r)), ...shared, path.join(dir, 'boot-stub.c')];
    objects = [];
    for (const src of sources) {
      const obj = path.join(dir, `${path.basename(src)}.o`);
      await execa(GCC, [...cflags, `-I${path.join(dir, 'inc')}`, '-c', src, '-o', obj]);
      objects.push(obj);
    }
    image = path.join(dir, 'guest.elf');
    await execa('arm-none-eabi-ld', ['--no-warn-rwx-segments', '--no-warn-execstack', '-T', path.join(TEMPLATES_DIR, LINKCMDS), ...objects, '-o', image]);
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('links at VIRT_ARM_GUEST_RAM_BEGIN with _start first and the symbols of the linker script', async () => {
    const { stdout: header } = await execa('arm-none-eabi-readelf', ['-h', image]);
    expect(header).toMatch(/Class:\s+ELF32/);
    expect(header).toMatch(/Machine:\s+ARM/);
    expect(header).toMatch(/little endian/);
    expect(header).toMatch(/Entry point address:\s+0x40000000/);
    const { stdout: nm } = await execa('arm-none-eabi-nm', [image]);
    const sym = new Map(nm.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length === 3).map((p) => [p[2]!, Number.parseInt(p[0]!, 16)]));
    expect(sym.get('_start')).toBe(0x40000000);
    expect(sym.get('RamBase')).toBe(0x40000000);
    for (const n of ['_CPU_Context_switch', '_CPU_Context_restore', 'virt_call', 'virt_event_entry', 'virt_arm_thread_id', '__bss_start', '_end',
      '_stack_top', 'WorkAreaBase', 'RamSize', 'HeapSize', '_TLS_Size', '_TLS_Alignment', '__exidx_start', '__exidx_end']) {
      expect(sym.has(n), n).toBe(true);
    }
    expect(sym.get('_stack_top')! % 8).toBe(0);
    expect(sym.get('_stack_top')!).toBeGreaterThan(sym.get('__bss_start')!);
    expect(sym.get('WorkAreaBase')).toBe(sym.get('_end'));
  });

  it('objdump: no mrs/msr of CPSR/SPSR, cps, wfi/wfe, p15/p14 access, exception return or ldm/stm ^ in any object nor the image', async () => {
    for (const file of [...objects, image]) {
      const ins = await objdump([file]);
      expect(ins.length, file).toBeGreaterThan(0);
      expect(privileged(ins), file).toEqual([]);
    }
    // every trap is the binding's svc: virt_call, IRQ_RETURN, the exit after a refused IRQ_RETURN, start's exit
    const svcs = (await objdump([image])).filter((i) => i.mnemonic === 'svc');
    expect(svcs.length).toBe(4);
    expect(new Set(svcs.map((i) => Number(i.operands.replace('#', ''))))).toEqual(new Set([0x56]));
  });

  it('hard-float (-mfpu=vfpv3-d16 -mfloat-abi=hard): the context switch adds d8-d15 at offset 48, still nothing privileged', async () => {
    const obj = path.join(dir, 'cpu_asm-hard.o');
    await execa(GCC, ['-march=armv7-a', '-marm', '-mfpu=vfpv3-d16', '-mfloat-abi=hard', '-Wall', '-Werror', '-c', path.join(TEMPLATES_DIR, SCORE, 'cpu_asm.S'), '-o', obj]);
    const ins = await objdump([obj]);
    expect(privileged(ins)).toEqual([]);
    expect(ins.filter((i) => /^v(stm|ldm)/.test(i.mnemonic)).map((i) => i.operands.replace(/^r\d+, /, ''))).toEqual(['{d8-d15}', '{d8-d15}']);
  });

  it('the objdump check sees privileged and sensitive instructions when they are there', async () => {
    const src = path.join(dir, 'control.S');
    writeFileSync(src, [
      '\t.syntax unified', '\t.arm', '\t.text',
      '\tmrs r0, cpsr', '\tmsr cpsr_c, r0', '\tmrs r1, spsr', '\tcpsid i', '\twfi', '\twfe',
      '\tmcr p15, 0, r0, c13, c0, 3', '\tmrc p15, 0, r0, c1, c0, 0', '\tsubs pc, lr, #4', '\tmovs pc, lr', '\tldm sp!, {r0-r3, pc}^',
      // allowed in User mode: the flags-only APSR write, svc, barriers.  ("mrs rX, apsr" is the very
      // encoding of "mrs rX, cpsr" and objdump prints it so: the templates read no APSR.)
      '\tmsr APSR_nzcvq, r2', '\tsvc #0x56', '\tdmb', '\tclrex', '',
    ].join('\n'));
    const obj = path.join(dir, 'control.o');
    await execa(GCC, ['-march=armv7-a', '-marm', '-c', src, '-o', obj]);
    const found = privileged(await objdump([obj]));
    expect(found.map((f) => f.split(' ')[1])).toEqual(['mrs', 'msr', 'mrs', 'cpsid', 'wfi', 'wfe', 'mcr', 'mrc', 'subs', 'movs', 'ldm']);
    expect(found.join('\n')).not.toMatch(/CPSR_f|svc|dmb|clrex/i);
    // each of them by the table itself, not only by the plain pattern
    expect((await objdump([obj])).filter((i) => matchInstruction(table, i) !== null)).toHaveLength(11);
  });
});
