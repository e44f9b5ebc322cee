import { describe, expect, it } from 'vitest';
import {
  buildSourceIndex,
  definedSymbols,
  indexFile,
  loadInstructionTable,
  privilegedUses,
  type PrivilegedUse,
} from '../../src/source-index/index.js';

const FIX = 'fixtures/source-index';

function where(u: PrivilegedUse): string {
  return `${u.file}:${u.line} ${u.entryId}${u.via.length ? ' via ' + u.via.map((v) => v.name).join('>') : ''}`;
}

describe('i386 fixture', async () => {
  const idx = await buildSourceIndex(`${FIX}/i386`, ['rtems/score/interrupts.h', 'rtems/score/cpu.h', 'cpu.c', 'cpu_asm.S'], 'i386');
  const uses = privilegedUses(idx, loadInstructionTable('i386'));
  const inFn = (name: string): PrivilegedUse[] => uses.filter((u) => u.context.kind === 'function' && u.context.name === name);

  it('finds cli through two macro levels at the call site, with the chain', () => {
    const u = inFn('_CPU_ISR_Get_level').find((x) => x.entryId === 'cli');
    expect(u).toBeDefined();
    expect(u!.kind).toBe('call');
    expect(u!.line).toBe(28);
    expect(u!.column).toBe(3);
    expect(u!.callee).toBe('_CPU_ISR_Disable');
    expect(u!.via.map((v) => `${v.kind}:${v.name}`)).toEqual(['macro:_CPU_ISR_Disable', 'macro:i386_disable_interrupts']);
    expect(u!.via[1]!.file).toBe('rtems/score/interrupts.h');
    expect(u!.instruction).toMatchObject({ mnemonic: 'cli', file: 'rtems/score/interrupts.h', line: 18 });
    expect(u!.class).toBe('privileged');
  });

  it('reports pushf (sensitive) and popf from the same macros', () => {
    const ids = inFn('_CPU_ISR_Get_level').map((x) => x.entryId).sort();
    expect(ids).toEqual(['cli', 'popf', 'pushf']);
    expect(inFn('_CPU_ISR_Get_level').find((x) => x.entryId === 'popf')!.class).toBe('sensitive');
  });

  it('finds hlt through an inline function and directly in the idle body', () => {
    const idle = inFn('_CPU_Thread_Idle_body');
    expect(idle).toHaveLength(1);
    expect(idle[0]).toMatchObject({ kind: 'instruction', entryId: 'hlt', line: 36 });
    const viaInline = inFn('_CPU_Native_halt');
    expect(viaInline.map(where)).toEqual(['cpu.c:64 hlt via i386_halt_cpu']);
    expect(viaInline[0]!.via[0]!.kind).toBe('inline-function');
  });

  it('reads control registers through an inline function (%% in extended asm)', () => {
    expect(inFn('_CPU_Initialize').map(where)).toEqual(['cpu.c:18 mov-cr via i386_read_cr0']);
  });

  it('reports the #if branch a finding is in', () => {
    const pv = inFn('_CPU_Virtual_flash');
    expect(pv.length).toBeGreaterThan(0);
    for (const u of pv) {
      expect(u.conditions).toHaveLength(1);
      expect(u.conditions[0]).toMatchObject({ kind: 'if', expression: 'defined(RTEMS_PARAVIRT)', line: 54 });
    }
    const native = inFn('_CPU_Native_halt')[0]!;
    expect(native.conditions[0]).toMatchObject({ kind: 'else', line: 61, opening: { kind: 'if', expression: 'defined(RTEMS_PARAVIRT)', line: 54 } });
    const cpuC = idx.byFile.get('cpu.c')!;
    expect(cpuC.conditionals.map((c) => `${c.line}:${c.kind}:${c.expression}`)).toEqual([
      '6:if:HAVE_CONFIG_H', '8:endif:', '54:if:defined(RTEMS_PARAVIRT)', '61:else:', '66:endif:',
    ]);
  });

  it('does not report words in comments or in ordinary strings', () => {
    const cpuC = uses.filter((u) => u.file === 'cpu.c');
    expect(cpuC.some((u) => u.line <= 4)).toBe(false);
    expect(cpuC.some((u) => u.line === 27)).toBe(false); // // comment
    expect(inFn('print_message')).toEqual([]);
    const asm = uses.filter((u) => u.file === 'cpu_asm.S');
    expect(asm.some((u) => u.line < 10)).toBe(false); // /* */ and # comments
  });

  it('terminates on macro cycles and still finds what a cycle reaches', () => {
    const loop = inFn('_CPU_Loop_for_ever');
    expect(loop.filter((u) => u.callee === 'CYCLE_A')).toEqual([]);
    const cli = loop.find((u) => u.callee === 'LOOP_ONE' && u.entryId === 'cli');
    expect(cli!.via.map((v) => v.name)).toEqual(['LOOP_ONE', 'LOOP_TWO', '_CPU_ISR_Disable', 'i386_disable_interrupts']);
  });

  it('indexes assembler: .macro, cpp macros in .S, labels, PUBLIC/SYM globals', () => {
    const s = idx.byFile.get('cpu_asm.S')!;
    expect(s.asmFile!.labels.map((l) => `${l.name}:${l.global}`)).toEqual([
      '_CPU_Context_switch:true', '_CPU_Context_restore_fp:true', 'local_helper:false',
    ]);
    const a = uses.filter((u) => u.file === 'cpu_asm.S' && u.context.kind === 'asm-label');
    expect(a.map(where)).toEqual([
      'cpu_asm.S:22 cli via SAVE_FLAGS',
      'cpu_asm.S:22 pushf via SAVE_FLAGS',
      'cpu_asm.S:23 popf',
      'cpu_asm.S:28 cli via ENTER_CRITICAL',
      'cpu_asm.S:28 pushf via ENTER_CRITICAL',
      'cpu_asm.S:29 mov-cr',
      'cpu_asm.S:33 hlt',
    ]);
    expect(a.find((u) => u.line === 28)!.via[0]!.kind).toBe('asm-macro');
  });

  it('splits file-scope asm strings on \\n\\t and ;', () => {
    const fs = uses.filter((u) => u.file === 'cpu.c' && u.context.kind === 'file');
    expect(fs.map((u) => `${u.line}:${u.instruction.text}`)).toEqual(['70:pushfl', '71:popfl']);
  });

  it('gives function and macro spans as byte offsets', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(`${FIX}/i386/cpu.c`, 'latin1');
    const fn = idx.byFile.get('cpu.c')!.functions.find((f) => f.name === '_CPU_Thread_Idle_body')!;
    expect(text.slice(fn.span.start, fn.span.end)).toMatch(/^void \*_CPU_Thread_Idle_body\( uintptr_t ignored \)\n\{[\s\S]*\n\}$/);
    expect(fn.storage).toEqual({ static: false, inline: false, extern: false });
    const h = readFileSync(`${FIX}/i386/rtems/score/cpu.h`, 'latin1');
    const m = idx.byFile.get('rtems/score/cpu.h')!.macros.find((x) => x.name === '_CPU_ISR_Enable')!;
    expect(h.slice(m.span.start, m.span.end)).toBe('#define _CPU_ISR_Enable( _level ) \\\n  i386_enable_interrupts( _level )\n');
    expect(m).toMatchObject({ params: ['_level'], body: 'i386_enable_interrupts( _level )', span: { line: 16, endLine: 17 } });
  });

  it('lists external symbols only', () => {
    const names = definedSymbols(idx).map((s) => s.name).sort();
    expect(names).toEqual([
      '_CPU_Context_restore_fp', '_CPU_Context_switch', '_CPU_ISR_Get_level', '_CPU_Initialize', '_CPU_Loop_for_ever',
      '_CPU_Native_halt', '_CPU_Thread_Idle_body', '_CPU_Virtual_flash',
    ]);
  });
});

describe('sparc fixture', async () => {
  const idx = await buildSourceIndex(`${FIX}/sparc`, ['sparc.h', 'cpu_asm.S'], 'sparc');
  const uses = privilegedUses(idx, loadInstructionTable('sparc'));

  it('finds rd %psr and wr/mov %psr in inline asm, but not rd %y', () => {
    const h = uses.filter((u) => u.file === 'sparc.h');
    expect(h.map((u) => `${u.context.name}:${u.entryId}:${u.instruction.text}`)).toEqual([
      'sparc_get_psr:rd-psr:rd %psr, %0',
      'sparc_set_psr:mov-psr:mov  %0, %psr',
    ]);
  });

  it('handles ! comments and ; separators in .S', () => {
    const s = uses.filter((u) => u.file === 'cpu_asm.S');
    expect(s.map((u) => `${u.line}:${u.entryId}`)).toEqual(['11:rd-psr', '12:wr-psr']);
    expect(s[1]!.column).toBe(35);
    expect(s[0]!.context).toEqual({ kind: 'asm-label', name: '_CPU_Context_switch' });
  });
});

describe('arm fixture', async () => {
  const idx = await buildSourceIndex(`${FIX}/arm`, ['arm.h', 'cpu_asm.S'], 'arm');
  const uses = privilegedUses(idx, loadInstructionTable('arm'));

  it('finds mrs/msr cpsr_c in inline asm with string macros around it, not msr cpsr_f', () => {
    const h = uses.filter((u) => u.file === 'arm.h');
    expect(h.map((u) => `${u.context.name}:${u.entryId}:${u.line}`)).toEqual([
      'arm_interrupt_disable:mrs-cpsr:15',
      'arm_interrupt_disable:msr-cpsr:17',
    ]);
  });

  it('does not take # immediates for comments, and skips @ comments', () => {
    const s = uses.filter((u) => u.file === 'cpu_asm.S');
    expect(s.map((u) => `${u.line}:${u.entryId}`)).toEqual(['10:mrs-cpsr', '13:msr-cpsr', '17:msr-cpsr']);
  });

  it('takes DEFINE_FUNCTION_ARM(name) as a global label', () => {
    const u = uses.find((x) => x.file === 'cpu_asm.S' && x.line === 17)!;
    expect(u.context).toEqual({ kind: 'asm-label', name: '_CPU_Context_restore' });
    expect(definedSymbols(idx).map((x) => x.name).sort()).toEqual(['_CPU_Context_restore', '_CPU_Context_switch']);
  });
});

describe('powerpc fixture', async () => {
  const idx = await buildSourceIndex(`${FIX}/powerpc`, ['utility.h', 'cpu_asm.S'], 'powerpc');
  const uses = privilegedUses(idx, loadInstructionTable('powerpc'));

  it('indexes the #else (ASM) branch of a header as assembler and expands its .macro in .S', () => {
    const h = idx.byFile.get('utility.h')!;
    expect(h.asmFile!.macros.map((m) => m.name)).toEqual(['INTERRUPT_DISABLE', 'RETURN_FROM']);
    expect(h.functions.map((f) => f.name)).toEqual(['ppc_fixture_interrupt_disable', 'ppc_fixture_time_base']);
    const s = uses.filter((u) => u.file === 'cpu_asm.S');
    expect(s.map((u) => `${u.line}:${u.entryId}${u.via.length ? ':' + u.via.map((v) => `${v.kind}:${v.name}`).join('>') : ''}`)).toEqual([
      '10:msr:asm-macro:INTERRUPT_DISABLE',
      '11:spr-privileged',
      '13:spr-privileged',
      '18:rfi:asm-macro:RETURN_FROM',
      '18:spr-privileged:asm-macro:RETURN_FROM',
    ]);
    expect(s[0]!.context).toEqual({ kind: 'asm-label', name: '_CPU_Context_switch' });
    expect(definedSymbols(idx).map((x) => `${x.kind}:${x.name}`)).toEqual(['asm-label:_CPU_Context_switch', 'asm-label:_CPU_Exception_return']);
  });

  it('substitutes .macro arguments that are instructions (\\_RFI with _RFI=rfci)', () => {
    const r = uses.filter((u) => u.file === 'cpu_asm.S' && u.context.name === '_CPU_Exception_return');
    expect(r.map((u) => `${u.line}:${u.entryId}:${u.instruction.text}:${u.via.map((v) => v.name).join('>')}`)).toEqual([
      '18:rfi:rfci:RETURN_FROM',
      '18:spr-privileged:mtspr	csrr0, r3:RETURN_FROM',
    ]);
  });

  it('decides mtspr/mfspr by SPR number and leaves the time base alone', () => {
    const h = uses.filter((u) => u.file === 'utility.h' && u.context.kind === 'function');
    expect(h.map((u) => `${u.context.name}:${u.entryId}:${u.instruction.text}`)).toEqual([
      'ppc_fixture_interrupt_disable:msr:mfmsr %[level]',
      'ppc_fixture_interrupt_disable:msr:mtmsr %[mask]',
    ]);
  });
});

describe('single files', () => {
  const syntax = loadInstructionTable('i386').syntax;

  it('reports the branch of #ifdef/#elif/#else and nested stacks', async () => {
    const text = [
      '#ifdef A', // 1
      '#if B > 1', // 2
      'int x;', // 3
      '#elif defined(C)', // 4
      'int y;', // 5
      '#endif', // 6
      '#else', // 7
      'int z;', // 8
      '#endif', // 9
      'int w;', // 10
      '',
    ].join('\n');
    const f = await indexFile('t.c', text, syntax);
    expect(f.conditionsAt(3).map((c) => c.text)).toEqual(['#ifdef A', '#if B > 1']);
    expect(f.conditionsAt(5).map((c) => `${c.kind}:${c.expression}:${c.opening.expression}`)).toEqual(['ifdef:A:A', 'elif:defined(C):B > 1']);
    expect(f.conditionsAt(8).map((c) => c.kind)).toEqual(['else']);
    expect(f.conditionsAt(10)).toEqual([]);
    expect(f.conditionals.map((c) => `${c.kind}@${c.depth}`)).toEqual(['ifdef@0', 'if@1', 'elif@1', 'endif@1', 'else@0', 'endif@0']);
  });

  it('keeps include guards out of the stacks but flags them', async () => {
    const f = await indexFile('g.h', '#ifndef G_H\n#define G_H\n#if X\nint a;\n#endif\n#endif\n', syntax);
    expect(f.conditionsAt(4).map((c) => c.text)).toEqual(['#if X']);
    expect(f.conditionals[0]!.includeGuard).toBe(true);
  });

  it('records function-like and object-like macros and storage classes', async () => {
    const f = await indexFile('m.h', '#define ONE 1\n#define F(a, ...) g(a, __VA_ARGS__)\nstatic int h(void) { return F(1, 2); }\nextern int k(int q) { return q; }\n', syntax);
    expect(f.macros.map((m) => [m.name, m.params, m.variadic])).toEqual([['ONE', null, false], ['F', ['a'], true]]);
    expect(f.macros[1]!.refs.map((r) => `${r.name}:${r.kind}`)).toEqual(['g:call']);
    expect(f.functions.map((x) => [x.name, x.storage.static, x.storage.extern])).toEqual([['h', true, false], ['k', false, true]]);
    expect(f.functions[0]!.refs.map((r) => `${r.name}:${r.kind}`)).toEqual(['F:call']);
  });

  it('finds definitions behind attribute macros, RTEMS_INLINE_ROUTINE and macro invocations without a semicolon', async () => {
    const text = [
      'SPR_RW(BOOKE_TSR)', // 1
      'SPR_RO(PVR)', // 2
      '', // 3
      'BSP_TEXT_SECTION static inline uint32_t', // 4
      'cp15_get_id( void )', // 5
      '{', // 6
      '  return 0;', // 7
      '}', // 8
      '', // 9
      'RTEMS_INLINE_ROUTINE uint32_t', // 10
      'get_exisr( void )', // 11
      '{', // 12
      '  return 1;', // 13
      '}', // 14
      '',
    ].join('\n');
    const f = await indexFile('attr.h', text, syntax);
    expect(f.functions.map((x) => [x.name, x.span.line, x.storage.static, x.storage.inline])).toEqual([
      ['cp15_get_id', 4, true, true],
      ['get_exisr', 10, true, true],
    ]);
    const fn = f.functions[0]!;
    expect(text.slice(fn.span.start, fn.span.end)).toMatch(/^BSP_TEXT_SECTION static inline uint32_t\ncp15_get_id/);
  });

  it('parses only files that need it (no function bodies, no asm)', async () => {
    const f = await indexFile('defs.h', '#define REG (*(volatile int *) 0x10)\nstruct s { int a; };\n', syntax);
    expect(f.parsed).toBe(false);
    expect(f.macros).toHaveLength(1);
  });
});

describe('offsets and laziness', () => {
  const syntax = loadInstructionTable('i386').syntax;

  it('keeps byte offsets exact after non-ASCII bytes (files are read as latin1)', async () => {
    // "Jürgen" in UTF-8 is two bytes for the ü: read as latin1 they are two characters
    const bytes = Buffer.concat([Buffer.from('/* J'), Buffer.from([0xc3, 0xbc]), Buffer.from('rgen */\nvoid f( void )\n{\n  __asm__ volatile ( "hlt" );\n}\n')]);
    const text = bytes.toString('latin1');
    const f = await indexFile('x.c', text, syntax);
    const fn = f.functions[0]!;
    expect(bytes.subarray(fn.span.start, fn.span.end).toString('latin1')).toBe('void f( void )\n{\n  __asm__ volatile ( "hlt" );\n}');
    const ins = fn.asm[0]!;
    expect(bytes.subarray(ins.offset, ins.offset + 3).toString()).toBe('hlt');
    expect([ins.line, ins.column]).toEqual([4, 23]);
  });

  it('gives the same uses whether or not the C parse was forced first', async () => {
    const files = ['rtems/score/interrupts.h', 'rtems/score/cpu.h', 'cpu.c', 'cpu_asm.S'];
    const table = loadInstructionTable('i386');
    const lazy = privilegedUses(await buildSourceIndex(`${FIX}/i386`, files, 'i386'), table);
    const eager = await buildSourceIndex(`${FIX}/i386`, files, 'i386');
    for (const f of eager.files) void f.functions.length;
    expect(JSON.stringify(privilegedUses(eager, table))).toBe(JSON.stringify(lazy));
  });

  it('reads through readText (e.g. staged content) instead of the disk', async () => {
    const idx = await buildSourceIndex('/nonexistent', ['a.c', 'missing.c'], 'i386', {
      readText: (rel) => (rel === 'a.c' ? 'void g( void ) { __asm__ ( "cli" ); }\n' : undefined),
    });
    expect(idx.files.map((f) => f.file)).toEqual(['a.c']);
    expect(privilegedUses(idx, loadInstructionTable('i386')).map((u) => `${u.context.name}:${u.entryId}`)).toEqual(['g:cli']);
  });

  it('does not take the name an #ifdef tests for an attribute macro of the function after it', async () => {
    const text = '#include <x.h>\n\n#ifdef ARM_MULTILIB_HAS_WFI\n\nvoid *idle( uintptr_t ignored )\n{\n  for ( ;; ) __asm__ volatile ( "wfi" );\n}\n\n#endif /* ARM_MULTILIB_HAS_WFI */\n';
    const idx = await buildSourceIndex('/nonexistent', ['idle.c'], 'arm', { readText: () => text });
    const fn = idx.files[0]!.functions[0]!;
    expect(fn.name).toBe('idle');
    expect(fn.span.line).toBe(5);
    expect(text.slice(fn.span.start, fn.span.start + 5)).toBe('void ');
    expect(fn.conditions.map((c) => c.text)).toEqual(['#ifdef ARM_MULTILIB_HAS_WFI']);
  });

  it('restricts the reported files with `only`, still expanding definitions from the others', async () => {
    const files = ['rtems/score/interrupts.h', 'rtems/score/cpu.h', 'cpu.c', 'cpu_asm.S'];
    const idx = await buildSourceIndex(`${FIX}/i386`, files, 'i386');
    const table = loadInstructionTable('i386');
    const all = privilegedUses(idx, table);
    const only = privilegedUses(idx, table, { only: (f) => f === 'cpu.c' });
    expect(only.length).toBeGreaterThan(0);
    expect(only).toEqual(all.filter((u) => u.file === 'cpu.c'));
  });

  it('rejects files that are not C or assembler', async () => {
    await expect(buildSourceIndex(`${FIX}/i386`, ['Makefile.am'], 'i386')).rejects.toThrow(/not a C or assembler file/);
  });
});
