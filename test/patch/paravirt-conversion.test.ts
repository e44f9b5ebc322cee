import { describe, expect, it } from 'vitest';
import { convertParavirt, withoutParavirt } from '../../src/patch/paravirt-conversion.js';
import { Draft } from '../../src/patch/draft.js';
import type { FileStore } from '../../src/model/file-store.js';

/** A draft over an in-memory set of files. */
function draftOf(files: Record<string, string>): Draft {
  const store = { text: (rel: string) => files[rel] } as unknown as FileStore;
  return new Draft(store);
}

describe('withoutParavirt: RTEMS_PARAVIRT evaluated as undefined', () => {
  it.each([
    ['if', 'defined(RTEMS_PARAVIRT)', false],
    ['if', '!defined(RTEMS_PARAVIRT)', true],
    ['if', 'defined RTEMS_PARAVIRT', false],
    ['ifdef', 'RTEMS_PARAVIRT', false],
    ['ifndef', 'RTEMS_PARAVIRT', true],
    ['if', 'defined(__leon__) && !defined(RTEMS_PARAVIRT)', 'defined(__leon__)'],
    ['if', '!defined(__leon__) || defined(RTEMS_PARAVIRT)', '!defined(__leon__)'],
    ['if', 'defined(RTEMS_SMP) && defined(RTEMS_PARAVIRT)', false],
    ['if', '(defined(A) || !defined(RTEMS_PARAVIRT))', true],
    ['if', 'defined(A) && defined(B) && !defined(RTEMS_PARAVIRT)', 'defined(A) && defined(B)'],
  ] as const)('#%s %s → %s', (kind, expr, want) => {
    expect(withoutParavirt(kind, expr)).toBe(want);
  });

  it('gives up on a use it cannot decide', () => {
    expect(withoutParavirt('if', 'RTEMS_PARAVIRT > 1')).toBeNull();
    expect(withoutParavirt('ifdef', 'OTHER')).toBeNull();
  });
});

const PAIR = [
  '#ifndef ASM',
  '/* read the PSR */',
  '#if defined(RTEMS_PARAVIRT)',
  '',
  'uint32_t _X_Get_PSR( void );',
  '',
  '#define x_get_psr( _psr ) \\',
  '  (_psr) = _X_Get_PSR()',
  '',
  '#else /* RTEMS_PARAVIRT */',
  '',
  '#define x_get_psr( _psr ) \\',
  '  do { __asm__ volatile ( "rd %%psr, %0" : "=r" (_psr) ); } while ( 0 )',
  '',
  '#endif /* RTEMS_PARAVIRT */',
  '',
  '#if defined(RTEMS_PARAVIRT)',
  'void _X_Set_PSR( uint32_t new_psr );',
  '#define x_set_psr( _psr ) _X_Set_PSR( _psr )',
  '#else',
  '#define x_set_psr( _psr ) __asm__ volatile ( "wr %0, %%psr" : : "r" (_psr) )',
  '#endif',
  '#endif /* ASM */',
  '',
].join('\n');

describe('convertParavirt', () => {
  it('keeps the paravirtualized form of an interface pair and generates the native functions from the #else macros', () => {
    const d = draftOf({ 'x.h': PAIR });
    const r = convertParavirt(d, 'x', ['x.h']);
    if ('problems' in r) throw new Error(JSON.stringify(r.problems));
    const after = d.read('x.h')!;
    expect(after).not.toContain('RTEMS_PARAVIRT');
    expect(after).not.toContain('%%psr');
    expect(after).toContain('uint32_t _X_Get_PSR( void );\n\n#define x_get_psr( _psr ) \\\n  (_psr) = _X_Get_PSR()\n\nvoid _X_Set_PSR( uint32_t new_psr );');
    expect(after).toContain('#define x_set_psr( _psr ) _X_Set_PSR( _psr )\n#endif /* ASM */');
    expect(r.functions.map((f) => [f.name, f.signature])).toEqual([
      ['_X_Get_PSR', 'uint32_t _X_Get_PSR( void )'],
      ['_X_Set_PSR', 'void _X_Set_PSR( uint32_t new_psr )'],
    ]);
    const get = r.functions[0]!.native;
    expect(get).toContain('#undef x_get_psr\n#define x_get_psr( _psr ) \\\n  do { __asm__ volatile ( "rd %%psr, %0"');
    expect(get).toContain('uint32_t _X_Get_PSR( void )\n{\n  uint32_t value = 0;\n\n  x_get_psr( value );\n  return value;\n}');
    expect(r.functions[1]!.native).toContain('void _X_Set_PSR( uint32_t new_psr )\n{\n  x_set_psr( new_psr );\n}');
  });

  it('evaluates other conditionals as native builds saw them and says what it dropped', () => {
    const src = [
      '#if defined(RTEMS_PARAVIRT)',
      'void *idle( void ) { for (;;) yield(); }',
      '#else',
      'void *idle( void ) { for (;;) ; }',
      '#endif',
      '  #if defined(__leon__) && !defined(RTEMS_PARAVIRT)',
      'int leon;',
      '  #endif',
      '#ifndef RTEMS_PARAVIRT',
      'int native;',
      '#else',
      'int pv;',
      '#endif',
      '',
    ].join('\n');
    const d = draftOf({ 'c.c': src });
    const r = convertParavirt(d, 'sparc', ['c.c']);
    if ('problems' in r) throw new Error(JSON.stringify(r.problems));
    expect(d.read('c.c')).toBe(['void *idle( void ) { for (;;) ; }', '  #if defined(__leon__)', 'int leon;', '  #endif', 'int native;', ''].join('\n'));
    expect(r.functions).toEqual([]);
    expect(r.notes).toEqual([
      expect.stringMatching(/^c\.c:1: dropped the RTEMS_PARAVIRT branch \(lines 1-3\); the sparcvirt score/),
      expect.stringMatching(/^c\.c:11: dropped the branch native builds did not compile/),
    ]);
  });

  it('refuses what it cannot decide, with file:line, and changes nothing', () => {
    const src = ['int a;', '#if RTEMS_PARAVIRT + 0 > 0', 'int b;', '#endif', '#if defined(A)', '#elif defined(RTEMS_PARAVIRT)', '#endif', ''].join('\n');
    const d = draftOf({ 'z.c': src });
    const r = convertParavirt(d, 'x', ['z.c']);
    expect('problems' in r && r.problems).toEqual([
      { file: 'z.c', line: 2, why: expect.stringContaining('cannot decide') },
      { file: 'z.c', line: 6, why: 'RTEMS_PARAVIRT in an #elif: convert it by hand' },
    ]);
    expect(d.edits()).toEqual([]);
  });

  it('leaves files without RTEMS_PARAVIRT alone', () => {
    const d = draftOf({ 'n.h': '#if defined(A)\nint a;\n#endif\n' });
    const r = convertParavirt(d, 'x', ['n.h']);
    expect(r).toEqual({ functions: [], notes: [], changed: [] });
  });
});

describe('convertParavirt on a pair whose macros are not a plain call', () => {
  it('keeps the native branch (split as usual later) and says why', () => {
    const src = [
      '#if defined(RTEMS_PARAVIRT)',
      'uint32_t _X_Get( void );',
      '#define x_get( _v ) do { (_v) = _X_Get() + 1; } while ( 0 )',
      '#else',
      '#define x_get( _v ) __asm__ volatile ( "rd %%psr, %0" : "=r" (_v) )',
      '#endif',
      '',
    ].join('\n');
    const d = draftOf({ 'p.h': src });
    const r = convertParavirt(d, 'x', ['p.h']);
    if ('problems' in r) throw new Error(JSON.stringify(r.problems));
    expect(d.read('p.h')).toBe('#define x_get( _v ) __asm__ volatile ( "rd %%psr, %0" : "=r" (_v) )\n');
    expect(r.functions).toEqual([]);
    expect(r.notes).toEqual([
      expect.stringMatching(/^p\.h:1: the RTEMS_PARAVIRT branch is not kept as the interface \(x_get is `do \{/),
      expect.stringMatching(/^p\.h:1: dropped the RTEMS_PARAVIRT branch/),
    ]);
  });
});
