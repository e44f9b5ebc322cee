import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMakeCfg, type MakeNode } from '../../src/parse/make-cfg.js';

const tree = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trees/rtems-4.11');
const custom = 'c/src/lib/libbsp/i386/pc386/make/custom';
const read = (rel: string) => parseMakeCfg(readFileSync(path.join(tree, rel), 'latin1'), rel);
const brief = (n: MakeNode) => {
  switch (n.kind) {
    case 'assign':
      return `${n.override ? 'override ' : ''}${n.name} ${n.op} ${n.value}`;
    case 'define':
      return `define ${n.name} ${n.op} [${n.body}]`;
    case 'if':
      return 'name' in n.test ? `${n.test.directive} ${n.test.name}` : `${n.test.directive} (${n.test.left},${n.test.right})`;
    case 'include':
      return `include ${n.paths}`;
    default:
      return n.kind;
  }
};

describe('make cfg nodes', () => {
  it('pc386.cfg: include, ifeq with empty right side, indented assignment, define … endef', () => {
    const doc = read(`${custom}/pc386.cfg`);
    const nodes = doc.nodes.filter((n) => n.kind !== 'blank' && n.kind !== 'comment').map(brief);
    expect(nodes).toEqual([
      'include $(RTEMS_ROOT)/make/custom/default.cfg',
      'RTEMS_CPU = i386',
      'ifeq ($(RTEMS_CPU_MODEL),)',
      'RTEMS_CPU_MODEL = i386_fp',
      'endif',
      'ifeq ($(CPU_CFLAGS),)',
      'CPU_CFLAGS = -mtune=i386',
      'endif',
      'CFLAGS_OPTIMIZE_V = -O2 -g',
      'RELOCADDR = 0x00100000',
      'LDFLAGS += -Wl,-Ttext,$(RELOCADDR)',
      'define bsp-post-link = [\t$(default-bsp-post-link)\n\t$(OBJCOPY) -O binary $(basename $@)$(EXEEXT) $(basename $@).bin]',
    ]);
    const def = doc.nodes.find((n) => n.kind === 'define')!;
    expect([def.line, def.endLine]).toEqual([26, 29]);
    expect(doc.includes().map((i) => i.line)).toEqual([5]);
  });

  it('pc686.cfg: ?=, +=, a define with a reference in its body', () => {
    const nodes = read(`${custom}/pc686.cfg`).nodes.filter((n) => n.kind !== 'blank' && n.kind !== 'comment').map(brief);
    expect(nodes).toEqual([
      'RTEMS_CPU_MODEL ?= pentiumpro',
      'CPU_CFLAGS = -mtune=pentiumpro',
      'CPU_CFLAGS += -march=pentiumpro',
      'define PC686_BANNER = [PentiumPro class PC, $(RTEMS_CPU_MODEL)]',
      'include $(RTEMS_ROOT)/make/custom/pc386.cfg',
    ]);
  });

  it('pcp4.cfg: CRLF, a continuation line, trailing blank kept in the value, no final newline', () => {
    const doc = read(`${custom}/pcp4.cfg`);
    const nodes = doc.nodes.filter((n) => n.kind !== 'blank' && n.kind !== 'comment');
    expect(nodes.map(brief)).toEqual([
      'RTEMS_CPU_MODEL := pentium',
      'CPU_CFLAGS = -mtune=pentium4 -march=pentium4',
      'CPU_CFLAGS += -msse3 ',
      'include $(RTEMS_ROOT)/make/custom/pc386.cfg',
    ]);
    expect(nodes[1]!.raw).toBe('CPU_CFLAGS = -mtune=pentium4 \\\r\n  -march=pentium4\r\n');
    expect(nodes[3]!.line).toBe(12);
  });

  it('ifdef/ifndef/ifneq, quoted ifeq, else ifeq, override, export', () => {
    const text = [
      'ifdef A', 'x = 1', 'else ifeq "$(B)" \'c\'', 'x = 2', 'else', 'x = 3', 'endif',
      'ifneq ($(C), d )', 'override y := 4', 'endif', 'ifndef E', 'export z ?= 5', 'endif', '',
    ].join('\n');
    const doc = parseMakeCfg(text);
    const got = doc.nodes.map((n) => (n.kind === 'else' ? `else${n.test ? ` ${n.test.directive}` : ''}` : brief(n)));
    expect(got).toEqual([
      'ifdef A', 'x = 1', 'else ifeq', 'x = 2', 'else', 'x = 3', 'endif',
      'ifneq ($(C),d)', 'override y := 4', 'endif', 'ifndef E', 'z ?= 5', 'endif',
    ]);
    const elseIf = doc.nodes[2]!;
    expect(elseIf.kind === 'else' && elseIf.test && 'left' in elseIf.test ? [elseIf.test.left, elseIf.test.right] : []).toEqual(['$(B)', 'c']);
    expect(doc.print()).toBe(text);
  });

  it('a tab-indented line outside a rule is an ordinary line, inside a rule a recipe', () => {
    const doc = parseMakeCfg('\tA = 1\nall:\n\tA = 2\n');
    expect(doc.nodes.map((n) => n.kind)).toEqual(['assign', 'rule', 'recipe']);
  });

  it('nested define inside define is counted', () => {
    const doc = parseMakeCfg('define OUTER\ndefine INNER\nx\nendef\nendef\nA = 1\n');
    expect(doc.nodes.map((n) => n.kind)).toEqual(['define', 'assign']);
    const d = doc.nodes[0]!;
    expect(d.kind === 'define' ? d.body : '').toBe('define INNER\nx\nendef');
  });
});
