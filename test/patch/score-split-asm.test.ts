/**
 * The score split on assembler files, shapes found building real 4.11 ARM: routines inside a
 * file-level conditional, and the instruction-set directive (`.arm`) that announces a routine.
 */
import { describe, expect, it } from 'vitest';
import { buildSourceIndex, privilegedUses } from '../../src/source-index/index.js';
import { loadInstructionTable } from '../../src/source-index/instruction-table.js';
import { splitScore } from '../../src/patch/score-split.js';
import { archRecipe } from '../../src/patch/arch-recipes.js';
import { Draft } from '../../src/patch/draft.js';
import type { FileStore } from '../../src/model/file-store.js';

const FILE = 'cpukit/score/cpu/arm/exc.S';
const SOURCE = [
  '#include <rtems/asm.h>',
  '',
  '#ifdef ARM_MULTILIB_ARCH_V4',
  '',
  '.globl set_handler',
  '.globl entry',
  '',
  '#ifdef __thumb__',
  '\t.thumb_func',
  '#endif',
  'set_handler:',
  '\tldr\tr1, =handler',
  '\tbx\tlr',
  '',
  '.arm',
  '',
  'entry:',
  '\tmrs\tr0, cpsr',
  '\tsubs\tpc, lr, #4',
  '',
  '#endif /* ARM_MULTILIB_ARCH_V4 */',
  '',
].join('\n');

const balance = (t: string) => (t.match(/^\s*#\s*if/gm) ?? []).length - (t.match(/^\s*#\s*endif/gm) ?? []).length;

describe('score split of an assembler file', () => {
  it('moves the privileged routine with its .arm and its conditional, leaving both files balanced', async () => {
    const files: Record<string, string> = { [FILE]: SOURCE };
    const draft = new Draft({ text: (rel: string) => files[rel] } as unknown as FileStore);
    const index = await buildSourceIndex('/nonexistent', [FILE], 'arm', { readText: (rel) => draft.read(rel) });
    const uses = privilegedUses(index, loadInstructionTable('arm'));
    const r = archRecipe('arm');
    if (!('recipe' in r)) throw new Error(r.missing.join('; '));
    const split = splitScore(draft, r.recipe, index, uses, new Set());
    expect(split.sharedSources).toEqual(['shared/score/exc.S']);
    const left = draft.read(FILE)!;
    const moved = draft.read('c/src/lib/libcpu/arm/shared/score/exc.S')!;
    expect(left).not.toMatch(/\bmrs\b|subs\s+pc/);
    expect(left).toContain('set_handler:');
    expect(left).not.toMatch(/^\.arm$/m);
    expect(moved).toMatch(/^\.arm\n\nentry:\n\tmrs\tr0, cpsr/m);
    expect(moved).not.toContain('set_handler:');
    expect(balance(left)).toBe(0);
    expect(balance(moved)).toBe(0);
    expect(moved).toMatch(/#ifdef ARM_MULTILIB_ARCH_V4[^]*entry:[^]*#endif \/\* ARM_MULTILIB_ARCH_V4 \*\//);
    expect(split.symbols.map((s) => s.name)).toEqual(['entry']);
  });
});

describe('score split of a C file', () => {
  it('copies the file\'s own #defines the moved function uses (through one another) into the native file', async () => {
    const file = 'cpukit/score/cpu/arm/cpu.c';
    const files: Record<string, string> = {
      [file]: [
        '#include <rtems/score/cpu.h>',
        '',
        '#define DO_STR( x ) #x',
        '#define STR( x ) DO_STR( x )',
        '#define KEPT 1',
        '',
        'uint32_t get_level( void )',
        '{',
        '  uint32_t l;',
        '  __asm__ volatile ( "mrs %0, cpsr\\n" "and %0, #" STR( 0x80 ) : "=r" (l) );',
        '  return l;',
        '}',
        '',
        'int kept( void )',
        '{',
        '  return KEPT;',
        '}',
        '',
      ].join('\n'),
    };
    const draft = new Draft({ text: (rel: string) => files[rel] } as unknown as FileStore);
    const index = await buildSourceIndex('/nonexistent', [file], 'arm', { readText: (rel) => draft.read(rel) });
    const r = archRecipe('arm');
    if (!('recipe' in r)) throw new Error(r.missing.join('; '));
    splitScore(draft, r.recipe, index, privilegedUses(index, loadInstructionTable('arm')), new Set());
    const native = draft.read('c/src/lib/libcpu/arm/shared/score/cpu.c')!;
    expect(native).toMatch(/#define DO_STR\( x \) #x\n#define STR\( x \) DO_STR\( x \)\n\nuint32_t get_level\( void \)/);
    expect(native).not.toContain('KEPT');
    const left = draft.read(file)!;
    expect(left).not.toContain('get_level');
    expect(left).toContain('#define STR( x ) DO_STR( x )');
    expect(left).toContain('return KEPT;');
  });
});
