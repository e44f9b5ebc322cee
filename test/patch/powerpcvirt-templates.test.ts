/**
 * The powerpcvirt templates (paravirtualized PowerPC score and BSP start code) execute no
 * privileged PowerPC instruction: statically, through the project's source index and the
 * rules/arch/powerpc.json table, and, when the powerpc-linux-gnu cross compiler is on PATH,
 * in the objects it builds from them (objdump of every object and of a linked image); with
 * qemu-ppc (PowerPC Linux user mode, i.e. problem state) too, the score runs: the context
 * switch, the virtual interrupt level it carries, the initial context and the TLS layout
 * (fixtures/powerpcvirt/context-harness.c).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const SCORE = 'libcpu/powerpc/powerpcvirt/score';
const BSP = 'libbsp/powerpc/powerpcvirt';
const HYPERVISOR_H = 'libcpu/shared/virt/hypervisor.h';
const ASM = [`${BSP}/start/start.S`, `${SCORE}/virt-call.S`, `${SCORE}/cpu_asm.S`];
const C = [`${SCORE}/cpu-virt.c`];
const FILES = [...ASM, ...C, `${BSP}/include/bsp.h`, HYPERVISOR_H];
const LINKCMDS = `${BSP}/startup/linkcmds`;

const table = loadInstructionTable('powerpc');
const read = (rel: string): string => readFileSync(path.join(TEMPLATES_DIR, rel), 'latin1');
const where = (u: PrivilegedUse): string => `${u.file}:${u.line} ${u.entryId} ${u.instruction.text}`;

describe('powerpcvirt templates in the source index (rules/arch/powerpc.json)', () => {
  it('index every file and find no privileged or sensitive use', async () => {
    const idx = await buildSourceIndex(TEMPLATES_DIR, FILES, 'powerpc');
    expect(idx.files.map((f) => f.file)).toEqual(FILES);
    expect(privilegedUses(idx, table).map(where)).toEqual([]);
  });

  it('define the symbols that replace libcpu/powerpc/new-exceptions (cpu.c, cpu_asm.S) and the entry points', async () => {
    const idx = await buildSourceIndex(TEMPLATES_DIR, [...ASM, ...C], 'powerpc');
    const names = definedSymbols(idx).map((s) => s.name);
    for (const n of [
      '_CPU_Initialize',
      '_CPU_Context_Initialize',
      '_CPU_Context_switch',
      '_CPU_Context_restore',
      '_CPU_Context_save_fp',
      '_CPU_Context_restore_fp',
      '_BSP_Fatal_error',
      '_CPU_Exception_frame_print',
      'virt_call',
      'virt_event_entry',
      '_start',
      'start',
    ]) {
      expect(names, n).toContain(n);
    }
    // the idle body and virt_vcpu are the shared code's (libcpu/shared/virt/virt-cpu.c), not duplicated here
    expect(names).not.toContain('_CPU_Thread_Idle_body');
  });

  it('would report an mfmsr or a supervisor mtspr in these files (the scan is not vacuous)', async () => {
    const file = `${SCORE}/cpu_asm.S`;
    const idx = await buildSourceIndex(TEMPLATES_DIR, [file], 'powerpc', {
      readText: (rel) => (rel === file ? read(rel).replace('_CPU_Context_switch:\n', '_CPU_Context_switch:\n        mfmsr   %r6\n        mtspr   26, %r7\n') : undefined),
    });
    const uses = privilegedUses(idx, table);
    expect(uses.map((u) => `${u.entryId}:${u.context.name}`)).toEqual(['msr:_CPU_Context_switch', 'spr-privileged:_CPU_Context_switch']);
  });

  it('hard-code the values of hypervisor.h and of the binding', () => {
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
    }
    expect(checked).toBeGreaterThanOrEqual(5);
    const ramBase = /RamBase = DEFINED\(RamBase\) \? RamBase : (0x[0-9a-fA-F]+);/.exec(read(LINKCMDS));
    expect(Number(ramBase![1])).toBe(headerValue('VIRT_PPC_GUEST_RAM_BEGIN'));
    // the delivery frame keeps the ABI's stack alignment and holds its slots
    expect(headerValue('VIRT_PPC_FRAME_SIZE') % 16).toBe(0);
    for (const slot of ['VIRT_PPC_FRAME_PC', 'VIRT_PPC_FRAME_CR', 'VIRT_PPC_FRAME_R3']) {
      expect(headerValue(slot) + 4).toBeLessThanOrEqual(headerValue('VIRT_PPC_FRAME_SIZE'));
    }
  });
});

const GCC = 'powerpc-linux-gnu-gcc';
const runs = async (cmd: string, args: string[]): Promise<boolean> =>
  (await execa(cmd, args, { reject: false }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
// CI sets RVC_REQUIRE_CROSS=1 (.ci/run): there a missing cross compiler or qemu-ppc fails these tests instead of skipping them
const required = process.env.RVC_REQUIRE_CROSS === '1';
const gccPresent = required || (await runs(GCC, ['--version']));
const qemuPpcPresent = required || (await runs('qemu-ppc', ['--version']));

/** Link-test stand-ins for RTEMS (boot_card), newlib (memcpy, memset) and the shared virt code. */
const STUB = `#include <stddef.h>
#include <stdint.h>
#include <libcpu/virt/hypervisor.h>
void boot_card(const char *cmdline);
const char *virt_bsp_early_init(const virt_start_info *info);
void virt_event_dispatch(void);
void virt_bsp_exit(uint32_t status);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
virt_vcpu_state *virt_vcpu;
void boot_card(const char *cmdline) { (void) virt_console_write(cmdline, 1); }
const char *virt_bsp_early_init(const virt_start_info *info) { virt_vcpu = (virt_vcpu_state *) (uintptr_t) info->vcpu; return info->cmdline; }
void virt_event_dispatch(void) { (void) virt_take_events(); }
void virt_bsp_exit(uint32_t status) { virt_exit(status); }
void *memcpy(void *d, const void *s, size_t n) { char *a = d; const char *b = s; while (n--) *a++ = *b++; return d; }
void *memset(void *d, int c, size_t n) { volatile char *a = d; while (n--) *a++ = (char) c; return d; }
`;

interface Disassembled {
  mnemonic: string;
  operands: string;
  text: string;
  where: string;
}

/** The instructions of `objdump -d` output. */
function parseObjdump(out: string): Disassembled[] {
  const list: Disassembled[] = [];
  let fn = '?';
  for (const line of out.split('\n')) {
    const label = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (label) fn = label[1]!;
    const m = /^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} ){4}\t(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const operands = m[3]!.replace(/\s+#.*$/, '').replace(/\s+<.*>$/, '').trim();
    list.push({ mnemonic: m[2]!, operands, text: `${m[2]} ${operands}`.trim(), where: `${fn}+0x${m[1]}` });
  }
  return list;
}

describe.skipIf(!gccPresent)(`powerpcvirt templates built with ${GCC}${gccPresent ? '' : ' (skipped: not on PATH; apt-get install gcc-powerpc-linux-gnu)'}`, () => {
  let dir: string;
  const include = path.join('inc');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rvc-powerpcvirt-'));
    mkdirSync(path.join(dir, include, 'libcpu', 'virt'), { recursive: true });
    writeFileSync(path.join(dir, include, 'libcpu', 'virt', 'hypervisor.h'), read(HYPERVISOR_H));
    writeFileSync(path.join(dir, 'stub.c'), STUB);
    writeFileSync(path.join(dir, 'control.S'), '\t.text\ncontrol:\n\tmfmsr %r3\n\tmtspr 26, %r3\n\tmtsrr1 %r4\n\trfi\n\tmftb %r5\n');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function build(variant: string, cpuFlags: string[]): Promise<{ objects: string[]; image: string }> {
    const isystem = (await execa(GCC, ['-print-file-name=include'])).stdout.trim();
    const flags = [
      ...cpuFlags,
      '-fno-pie', // Debian's cross compiler defaults to PIE; the RTEMS toolchain does not
      '-ffreestanding',
      '-nostdinc',
      '-isystem',
      isystem,
      `-I${path.join(dir, include)}`,
      '-O2',
      '-Wall',
      '-Wextra',
      '-Wmissing-prototypes',
      '-Werror',
      '-c',
    ];
    const objects: string[] = [];
    for (const src of [...ASM.map((r) => path.join(TEMPLATES_DIR, r)), ...C.map((r) => path.join(TEMPLATES_DIR, r)), path.join(dir, 'stub.c')]) {
      const obj = path.join(dir, `${variant}-${path.basename(src)}.o`);
      await execa(GCC, [...flags, src, '-o', obj]);
      objects.push(obj);
    }
    const image = path.join(dir, `${variant}.elf`);
    await execa('powerpc-linux-gnu-ld', ['--no-warn-rwx-segments', '-T', path.join(TEMPLATES_DIR, LINKCMDS), ...objects, '-o', image]);
    return { objects, image };
  }

  async function privilegedInObjects(files: string[]): Promise<string[]> {
    const out = (await execa('powerpc-linux-gnu-objdump', ['-d', ...files])).stdout;
    const ins = parseObjdump(out);
    expect(ins.length).toBeGreaterThan(0);
    return ins.filter((i) => matchInstruction(table, i) !== null).map((i) => `${i.where} ${i.text}`);
  }

  async function symbols(image: string): Promise<Map<string, string>> {
    const out = (await execa('powerpc-linux-gnu-nm', [image])).stdout;
    return new Map(out.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length === 3).map((p) => [p[2]!, p[0]!]));
  }

  it('the objdump check finds mfmsr, mtspr SRR0, mtsrr1 and rfi in a control object, not mftb', async () => {
    const obj = path.join(dir, 'control.o');
    await execa(GCC, ['-c', path.join(dir, 'control.S'), '-o', obj]);
    const found = await privilegedInObjects([obj]);
    expect(found.map((f) => f.split(' ')[1])).toEqual(['mfmsr', 'mtsrr0', 'mtsrr1', 'rfi']);
  });

  it('soft-float (-mcpu=603e -msoft-float): compiles without warnings, links at 0x00100000, no privileged instruction', async () => {
    const { objects, image } = await build('soft', ['-mcpu=603e', '-msoft-float']);
    expect(await privilegedInObjects([...objects, image])).toEqual([]);
    const syms = await symbols(image);
    expect(syms.get('_start')).toBe('00100000');
    for (const n of ['_CPU_Context_switch', '_CPU_Context_restore', '_CPU_Context_Initialize', '_CPU_Initialize', 'virt_call', 'virt_event_entry', '_SDA_BASE_', '_SDA2_BASE_', '_stack_top', 'WorkAreaBase', '_TLS_Size']) {
      expect(syms.has(n), n).toBe(true);
    }
    expect(syms.has('_CPU_Context_save_fp')).toBe(false); // no FPU, no FP context (CPU_HARDWARE_FP FALSE)
    expect(Number.parseInt(syms.get('_stack_top')!, 16) % 16).toBe(0);
  }, 60_000);

  it('hard-float (-mcpu=603e): adds the FP context functions, still no privileged instruction', async () => {
    const { objects, image } = await build('hard', ['-mcpu=603e']);
    expect(await privilegedInObjects([...objects, image])).toEqual([]);
    const syms = await symbols(image);
    expect(syms.has('_CPU_Context_save_fp')).toBe(true);
    expect(syms.has('_CPU_Context_restore_fp')).toBe(true);
  }, 60_000);
});

const runSkip = !gccPresent ? `${GCC} is not on PATH` : !qemuPpcPresent ? 'qemu-ppc is not on PATH (apt-get install qemu-user)' : '';
describe.skipIf(runSkip !== '')(`powerpcvirt score run in problem state under qemu-ppc${runSkip ? ` (skipped: ${runSkip})` : ''}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rvc-powerpcvirt-run-'));
    mkdirSync(path.join(dir, 'libcpu', 'virt'), { recursive: true });
    writeFileSync(path.join(dir, 'libcpu', 'virt', 'hypervisor.h'), read(HYPERVISOR_H));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['soft-float', ['-mcpu=603e', '-msoft-float']],
    ['hard-float (FP context save/restore too)', ['-mcpu=603e']],
  ])('%s: switches keep r14-r31 and r2, carry the virtual level, deliver a pending event on enable', async (name, cpuFlags) => {
    const exe = path.join(dir, `harness-${name.split(' ')[0]}`);
    await execa(GCC, [
      ...cpuFlags,
      '-O2',
      '-Wall',
      '-Werror',
      '-static',
      '-nostdlib',
      '-ffreestanding',
      '-fno-pie',
      '-no-pie',
      `-I${dir}`,
      fileURLToPath(new URL('../../fixtures/powerpcvirt/context-harness.c', import.meta.url)),
      path.join(TEMPLATES_DIR, SCORE, 'cpu_asm.S'),
      path.join(TEMPLATES_DIR, SCORE, 'cpu-virt.c'),
      '-lgcc',
      '-o',
      exe,
    ]);
    const r = await execa('qemu-ppc', [exe], { reject: false });
    expect(r.stdout).toBe('OK deliveries=2');
    expect(r.exitCode).toBe(0);
  }, 60_000);
});
