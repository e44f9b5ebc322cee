/**
 * The sparcvirt templates (templates/libcpu/sparc/sparcvirt, templates/libbsp/sparc/sparcvirt)
 * run in SPARC user state: the source index finds no privileged instruction of
 * rules/arch/sparc.json in them, and, when a SPARC cross compiler is installed, they compile,
 * link with their linker script and disassemble without one either.
 */
import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/boot/guest-build.js';
import { buildSourceIndex, definedSymbols, loadInstructionTable, matchInstruction, privilegedUses } from '../../src/source-index/index.js';

const TEMPLATES = join(PACKAGE_ROOT, 'templates');
const SCORE = 'libcpu/sparc/sparcvirt/score';
const BSP = 'libbsp/sparc/sparcvirt';
const FILES = [`${SCORE}/virt-call.S`, `${SCORE}/cpu_asm.S`, `${SCORE}/sparc-virt.c`, `${BSP}/start/start.S`, `${BSP}/include/bsp.h`];
const table = loadInstructionTable('sparc');

describe('sparcvirt templates in the source index', async () => {
  const idx = await buildSourceIndex(TEMPLATES, FILES, 'sparc');

  it('indexes every file and finds the symbols the model provides', () => {
    expect(idx.files.map((f) => f.file).sort()).toEqual([...FILES].sort());
    const defined = new Set(definedSymbols(idx).map((d) => d.name));
    for (const name of ['virt_call', 'virt_event_entry', '_CPU_Context_switch', '_CPU_Context_restore', 'start',
      '_SPARC_Get_PSR', '_SPARC_Set_PSR', '_SPARC_Get_TBR', '_SPARC_Set_TBR', 'sparc_get_wim_impl', 'sparc_set_wim_impl']) {
      expect(defined, name).toContain(name);
    }
  });

  it('has no privileged use (rd/wr/mov of %psr, %wim, %tbr, rett, alternate space)', () => {
    const uses = privilegedUses(idx, table);
    expect(uses.map((u) => `${u.file}:${u.line} ${u.entryId} ${u.instruction.text}`)).toEqual([]);
  });

  it('would see one: the same files with rd %psr and lda added are reported', async () => {
    const cpuAsm = await readFile(join(TEMPLATES, SCORE, 'cpu_asm.S'), 'latin1');
    const patched = cpuAsm.replace('_CPU_Context_switch:\n', '_CPU_Context_switch:\n        rd      %psr, %o2\n        lda     [%o0] 0x1c, %o3\n');
    expect(patched).not.toBe(cpuAsm);
    const bad = await buildSourceIndex(TEMPLATES, FILES, 'sparc', {
      readText: (rel) => (rel === `${SCORE}/cpu_asm.S` ? patched : undefined),
    });
    const ids = privilegedUses(bad, table).map((u) => u.entryId).sort();
    expect(ids).toEqual(['alternate-space', 'rd-psr']);
  });
});

// ---------------------------------------------------------------------------------------------
// With the cross compiler: compile, link with the linker script, disassemble.

const GCC = 'sparc64-linux-gnu-gcc';
// CI sets RVC_REQUIRE_CROSS=1 (.ci/run): there a missing cross compiler fails these tests instead of skipping them
const haveGcc = process.env.RVC_REQUIRE_CROSS === '1' || (await execa(GCC, ['--version'], { reject: false }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
const SKIP_REASON = haveGcc ? '' : ` (skipped: ${GCC} is not on PATH)`;

interface Insn { addr: string; mnemonic: string; operands: string; text: string }

/** The instructions of `objdump -d` output. */
function disassembly(out: string): Insn[] {
  const list: Insn[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} ){4}\t(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const operands = m[3]!.replace(/\s*!.*$/, '').trim();
    list.push({ addr: m[1]!, mnemonic: m[2]!, operands, text: `${m[2]} ${operands}`.trim() });
  }
  return list;
}

/** Privileged instructions, by the table and by a plain pattern independent of it. */
function privileged(insns: Insn[]): string[] {
  const plain = /%(psr|wim|tbr)\b|^rett\b|^(ld|st)(s?[bh]|u[bh]|d)?a\b|^(swapa|ldstuba)\b/;
  return insns.filter((i) => matchInstruction(table, i) !== null || plain.test(i.text)).map((i) => `${i.addr}: ${i.text}`);
}

describe(`sparcvirt templates built with ${GCC}${SKIP_REASON}`, () => {
  let dir: string;
  let objects: string[];
  let elf: string;
  const objdump = async (file: string): Promise<Insn[]> => disassembly((await execa('sparc64-linux-gnu-objdump', ['-d', file])).stdout);

  beforeAll(async () => {
    if (!haveGcc) return;
    dir = await mkdtemp(join(tmpdir(), 'rvc-sparcvirt-'));
    await mkdir(join(dir, 'inc', 'libcpu', 'virt'), { recursive: true });
    await copyFile(join(TEMPLATES, 'libcpu/shared/virt/hypervisor.h'), join(dir, 'inc', 'libcpu', 'virt', 'hypervisor.h'));
    // boot_card and the per-CPU control stand in for RTEMS.
    await writeFile(join(dir, 'boot-stub.c'), [
      '#include <stdint.h>',
      '#include <libcpu/virt/hypervisor.h>',
      'void boot_card( const char *cmdline );',
      'uint32_t _Per_CPU_Information[ 16 ];',
      'void boot_card( const char *cmdline )',
      '{',
      '  uint32_t n = 0;',
      "  while ( cmdline[ n ] != '\\0' ) ++n;",
      '  (void) virt_console_write( cmdline, n );',
      '}',
      '',
    ].join('\n'));
    const include = (await execa(GCC, ['-print-file-name=include'])).stdout.trim();
    const sources = [
      join(TEMPLATES, SCORE, 'virt-call.S'), join(TEMPLATES, SCORE, 'cpu_asm.S'), join(TEMPLATES, SCORE, 'sparc-virt.c'),
      join(TEMPLATES, BSP, 'start/start.S'),
      // the arch-independent part every <arch>virt model links
      join(TEMPLATES, 'libcpu/shared/virt/virt-cpu.c'), join(TEMPLATES, 'libcpu/shared/virt/bsp/virt-bsp.c'),
      join(dir, 'boot-stub.c'),
    ];
    objects = await Promise.all(sources.map(async (src) => {
      const obj = join(dir, `${basename(src)}.o`);
      // -fno-pic: the Debian cross compiler defaults to PIE, a sparc-rtems compiler does not
      await execa(GCC, ['-m32', '-mcpu=v8', '-ffreestanding', '-nostdinc', '-isystem', include, '-I', join(TEMPLATES, 'libcpu/shared/virt'),
        '-I', join(dir, 'inc'), '-fno-pic', '-O2', '-Wall', '-Wextra', '-Wmissing-prototypes', '-Werror', '-c', src, '-o', obj]);
      return obj;
    }));
    elf = join(dir, 'guest.elf');
    await execa('sparc64-linux-gnu-ld', ['-m', 'elf32_sparc', '-T', join(TEMPLATES, BSP, 'startup/linkcmds'), '-o', elf, ...objects]);
  }, 120_000);

  it.skipIf(!haveGcc)('links at VIRT_SPARC_GUEST_RAM_BEGIN with start first and the symbols of the linker script', async () => {
    const { stdout: header } = await execa('sparc64-linux-gnu-readelf', ['-h', elf]);
    expect(header).toMatch(/Class:\s+ELF32/);
    expect(header).toMatch(/Machine:\s+Sparc/);
    expect(header).toMatch(/Entry point address:\s+0x40000000/);
    const { stdout: nm } = await execa('sparc64-linux-gnu-nm', [elf]);
    const sym = new Map(nm.split('\n').map((l) => l.split(' ')).filter((p) => p.length === 3).map((p) => [p[2]!, parseInt(p[0]!, 16)]));
    expect(sym.get('start')).toBe(0x40000000);
    expect(sym.get('RamBase')).toBe(0x40000000);
    for (const name of ['__bss_start', '_end', '_stack_top', 'WorkAreaBase', 'RamSize', 'HeapSize', '_TLS_Size', 'virt_event_entry']) {
      expect(sym.has(name), name).toBe(true);
    }
    expect(sym.get('_stack_top')! % 8).toBe(0);
    expect(sym.get('__bss_start')! % 8).toBe(0);
    expect(sym.get('_stack_top')!).toBeGreaterThan(sym.get('__bss_start')!);
    expect(sym.get('WorkAreaBase')).toBe(sym.get('_end'));
  });

  it.skipIf(!haveGcc)('objdump: no rd/wr %psr/%wim/%tbr, rett or alternate-space access in any object nor the image', async () => {
    for (const file of [...objects, elf]) {
      const insns = await objdump(file);
      expect(insns.length, file).toBeGreaterThan(0);
      expect(privileged(insns), file).toEqual([]);
    }
    const image = await objdump(elf);
    // the calls are the binding's traps: ta 0x70 (virt_call, IRQ_RETURN) and ta 3 (flush windows)
    expect(image.filter((i) => i.mnemonic === 'ta').map((i) => i.operands).sort()).toEqual(['0x70', '0x70', '3', '3']);
  });

  it.skipIf(!haveGcc)('the objdump check sees privileged instructions when they are there', async () => {
    const src = join(dir, 'control.S');
    await writeFile(src, [
      '\t.text',
      '\trd %psr, %o0', '\twr %o0, %psr', '\trd %wim, %o1', '\twr %o1, 0, %wim', '\trd %tbr, %o2', '\twr %o2, %tbr',
      '\trett %o7 + 8', '\tlda [%o0] 0x1c, %o1', '\tsta %o1, [%o0] 0x1c', '\tlduba [%o0] 0x20, %o1', '\tswapa [%o0] 0x20, %o1',
      '\trd %y, %o3', '\tld [%o0], %o1', '\tta 0x70', '',
    ].join('\n'));
    const obj = join(dir, 'control.o');
    await execa(GCC, ['-m32', '-mcpu=v8', '-c', src, '-o', obj]);
    const found = privileged(await objdump(obj));
    expect(found).toHaveLength(11);
    expect(found.join('\n')).not.toMatch(/%y|ta 0x70|\tld \[/);
  });
});
