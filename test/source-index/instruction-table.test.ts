import { readFileSync, readdirSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/parse/source-error.js';
import {
  instructionTableDir,
  listInstructionTables,
  loadInstructionTable,
  matchInstruction,
  parseInstructionTable,
} from '../../src/source-index/index.js';

const SCORE_CPU_ARCHES = [
  'arm', 'avr', 'bfin', 'epiphany', 'h8300', 'i386', 'lm32', 'm32c', 'm32r', 'm68k', 'mips', 'moxie', 'nios2',
  'no_cpu', 'or1k', 'powerpc', 'sh', 'sparc', 'sparc64', 'v850',
];

function ins(text: string): { mnemonic: string; operands: string; text: string } {
  const m = /^(\S+)\s*(.*)$/.exec(text)!;
  return { mnemonic: m[1]!.toLowerCase(), operands: m[2]!, text };
}

describe('shipped tables', () => {
  it('cover every cpukit/score/cpu architecture of RTEMS 4.11', () => {
    const have = listInstructionTables();
    for (const a of SCORE_CPU_ARCHES) expect(have).toContain(a);
  });

  it('all load, and all validate against rules/arch/schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = JSON.parse(readFileSync(`${instructionTableDir()}/schema.json`, 'utf8'));
    const validate = ajv.compile(schema);
    for (const f of readdirSync(instructionTableDir()).filter((x) => x.endsWith('.json') && x !== 'schema.json')) {
      const data = JSON.parse(readFileSync(`${instructionTableDir()}/${f}`, 'utf8'));
      expect(validate(data), `${f}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      const t = loadInstructionTable(f.replace(/\.json$/, ''));
      expect(t.notes.length).toBeGreaterThan(20);
      if (t.arch === 'no_cpu') expect(t.instructions).toEqual([]);
      else expect(t.instructions.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['i386', 'cli', 'cli'],
    ['i386', 'popfl', 'popf'],
    ['i386', 'movl %cr0, %eax', 'mov-cr'],
    ['i386', 'movl cr3,eax', 'mov-cr'],
    ['i386', 'outb %al, %dx', 'io-out'],
    ['sparc', 'rd %psr, %g1', 'rd-psr'],
    ['sparc', 'wr %g1, 0x20, %psr', 'wr-psr'],
    ['sparc', 'mov %g1, %wim', 'mov-psr'],
    ['sparc', 'lduba [%g1] 0x1c, %g2', 'alternate-space'],
    ['sparc', 'sta %g0, [%g0] 2', 'alternate-space'],
    ['arm', 'msr cpsr_c, r0', 'msr-cpsr'],
    ['arm', 'mrs r0, CPSR', 'mrs-cpsr'],
    ['arm', 'mcr p15, 0, r0, c7, c5, 0', 'cp15'],
    ['arm', 'ldmfd sp!, {r0-r3, pc}^', 'ldm-user-or-return'],
    ['arm', 'cpsid i', 'cps'],
    ['powerpc', 'mtmsr r3', 'msr'],
    ['powerpc', 'mtspr 26, r3', 'spr-privileged'],
    ['powerpc', 'mfspr r3, SPRG1', 'spr-privileged'],
    ['powerpc', 'mtsrr1 r4', 'spr-extended'],
    ['m68k', 'move.w %sr, %d0', 'move-from-sr'],
    ['m68k', 'oriw #0x0700,%sr', 'logic-to-sr'],
    ['mips', 'mtc0 $8, $12', 'cp0-move'],
    ['sh', 'ldc r0,sr', 'ldc-sr'],
    ['sparc64', 'wrpr %g0, 0xf, %pil', 'rdpr-wrpr'],
    ['or1k', 'l.mtspr r0, r3, 17', 'spr'],
    ['nios2', 'wrctl status, r2', 'rdctl-wrctl'],
    ['bfin', 'cli r0', 'cli-sti'],
    ['bfin', 'RETI = [SP++]', 'supervisor-register'],
    ['avr', 'out __SREG__, r0', 'sreg-write'],
  ])('%s: `%s` is %s', (arch, text, id) => {
    expect(matchInstruction(loadInstructionTable(arch), ins(text))?.id).toBe(id);
  });

  it.each([
    ['i386', 'movl %eax, %ebx'],
    ['i386', 'pushl %eax'],
    ['sparc', 'rd %y, %g1'],
    ['sparc', 'mov %g1, %g2'],
    ['sparc', 'std %g2, [%sp]'],
    ['sparc', 'ldub [%g1], %g2'],
    ['arm', 'msr cpsr_f, r0'],
    ['arm', 'mrs r0, apsr'],
    ['arm', 'mcr p14, 0, r0, c0, c0, 0x123'.replace('p14', 'p10')],
    ['arm', 'subs r0, r0, #1'],
    ['powerpc', 'mftb r3'],
    ['powerpc', 'mftbu r3'],
    ['powerpc', 'mfspr r3, 268'],
    ['powerpc', 'mfspr r3, lr'],
    ['powerpc', 'mtspr 9, r0'],
    ['m68k', 'move.w %d0, %ccr'],
    ['m68k', 'movel %a0@(EXC_SR), %d0'],
    ['sh', 'ldc r0,gbr'],
    ['mips', 'addiu $sp, $sp, -8'],
  ])('%s: `%s` is not listed', (arch, text) => {
    expect(matchInstruction(loadInstructionTable(arch), ins(text))).toBeNull();
  });
});

describe('loader errors', () => {
  const base = {
    arch: 'toy',
    confidence: 'low',
    notes: 'a test table',
    syntax: { lineComment: ['#'], separators: [';'] },
    instructions: [{ id: 'halt', mnemonics: ['halt'], class: 'privileged', reason: 'stops the core' }],
  };
  const parse = (o: unknown): unknown => parseInstructionTable(JSON.stringify(o, null, 2), 'rules/arch/toy.json');
  const err = (o: unknown): SourceError => {
    try {
      parse(o);
    } catch (e) {
      expect(e).toBeInstanceOf(SourceError);
      return e as SourceError;
    }
    throw new Error('expected a SourceError');
  };

  it('accepts a minimal table', () => {
    expect(parse(base)).toMatchObject({ arch: 'toy', instructions: [{ id: 'halt' }] });
  });

  it('names the bad field and its line', () => {
    const e = err({ ...base, instructions: [...base.instructions, { id: 'nop', mnemonics: ['nop'], class: 'harmless', reason: 'x' }] });
    expect(e.message).toMatch(/instructions\[1\]\.class/);
    expect(e.file).toBe('rules/arch/toy.json');
    expect(e.line).toBeGreaterThan(10);
    expect(e.hint).toMatch(/schema\.json/);
  });

  it('rejects invalid JSON, unknown fields, bad regexes, duplicate ids, missing reasons', () => {
    expect(() => parseInstructionTable('{ "arch": ', 'x.json')).toThrow(/invalid JSON/);
    expect(err({ ...base, extra: 1 }).message).toMatch(/extra: unknown field/);
    expect(err({ ...base, instructions: [{ id: 'a', mnemonicPattern: '(', class: 'privileged', reason: 'r' }] }).message).toMatch(/invalid regular expression/);
    expect(err({ ...base, instructions: [base.instructions[0], base.instructions[0]] }).message).toMatch(/duplicate id/);
    expect(err({ ...base, instructions: [{ id: 'a', mnemonics: ['a'], class: 'sensitive' }] }).message).toMatch(/reason/);
    expect(err({ ...base, instructions: [{ id: 'a', class: 'sensitive', reason: 'r' }] }).message).toMatch(/needs one of/);
    expect(err({ ...base, instructions: [{ id: 'a', mnemonics: ['CLI'], class: 'sensitive', reason: 'r' }] }).message).toMatch(/lower-case/);
  });

  it('reports a missing architecture as a SourceError with a hint', () => {
    expect(() => loadInstructionTable('vax')).toThrow(SourceError);
    expect(() => loadInstructionTable('../etc')).toThrow(/not an architecture name/);
  });
});
