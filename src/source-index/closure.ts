/**
 * Which places execute a privileged or sensitive instruction, directly or
 * through macros and inline functions defined anywhere in the index.
 *
 * Macros (C and assembler `#define`s, `.macro`s) and inline functions are
 * the "transparent" definitions: what they execute is executed where they
 * are used. A worklist propagates, for every transparent definition, the
 * set of table entries it reaches (one chain each) until nothing changes,
 * so cycles (`#define a b` / `#define b a`, mutually recursive inlines)
 * terminate. Every use site (function bodies, macro bodies, `.macro`
 * bodies, assembler statements, file-scope asm) then reports its direct
 * instructions and, for each name it uses, what that name reaches.
 */
import { matchInstruction, type InstructionEntry, type InstructionTable } from './instruction-table.js';
import type { AsmInstruction, ConditionFrame, FileIndex, MacroDefinition, NameRef, PrivilegedUse, SourceIndex, ViaStep } from './types.js';

interface Def {
  step: ViaStep;
  /** C definitions are reached from C calls; assembler ones from statements. */
  lang: 'c' | 'asm';
  objectLike: boolean;
  /** Parsed on demand for macros (see mentions). */
  readonly instructions: AsmInstruction[];
  readonly refs: NameRef[];
  file: string;
  /** Whether the definition's text can mention one of the names the regular expression matches. */
  mentions(re: RegExp): boolean;
  /** Whether it can contain an instruction at all (a C macro body without `asm` cannot). */
  mayHaveInstructions(): boolean;
}

interface Reach {
  entry: InstructionEntry;
  via: ViaStep[];
  instruction: AsmInstruction;
  instructionFile: string;
}

function isAsmFile(f: string): boolean {
  return /\.(S|s|asm)$/.test(f);
}

/** Definitions a reference can expand to. */
function lookup(defs: Map<string, Def[]>, ref: NameRef, fromAsm: boolean): Def[] {
  const all = defs.get(ref.name);
  if (!all) return [];
  return all.filter((d) => {
    if (fromAsm || ref.kind === 'asm-statement') {
      // an assembler statement can name a .macro or a cpp macro (any file, headers included)
      return d.step.kind !== 'inline-function';
    }
    if (isAsmFile(d.file)) return false; // C never sees .S definitions
    if (d.lang === 'asm' && d.step.kind !== 'macro') return false;
    if (ref.kind === 'ident') return d.step.kind === 'macro' && d.objectLike;
    return true;
  });
}

const ASM_WORD = /\b(__asm__|__asm|asm)\b/;

function macroDef(f: FileIndex, m: MacroDefinition): Def {
  return {
    step: { name: m.name, kind: 'macro', file: f.file, line: m.span.line },
    get lang() {
      return m.bodyLanguage;
    },
    get objectLike() {
      return m.params === null;
    },
    get instructions() {
      return m.asm;
    },
    get refs() {
      return m.refs;
    },
    file: f.file,
    mentions: (re) => {
      re.lastIndex = 0;
      return re.test(m.body);
    },
    mayHaveInstructions: () => m.bodyLanguage === 'asm' || ASM_WORD.test(m.body),
  } as Def;
}

function listDef(step: ViaStep, lang: 'c' | 'asm', instructions: AsmInstruction[], refs: NameRef[], file: string): Def {
  const names = new Set(refs.map((r) => r.name));
  return {
    step,
    lang,
    objectLike: false,
    instructions,
    refs,
    file,
    mentions: (re) => {
      for (const n of names) {
        re.lastIndex = 0;
        if (re.test(n)) return true;
      }
      return false;
    },
    mayHaveInstructions: () => instructions.length > 0,
  };
}

export function collectDefinitions(files: FileIndex[]): Map<string, Def[]> {
  const defs = new Map<string, Def[]>();
  const add = (d: Def): void => {
    const l = defs.get(d.step.name);
    if (l) l.push(d);
    else defs.set(d.step.name, [d]);
  };
  for (const f of files) {
    for (const m of f.macros) add(macroDef(f, m));
    for (const fn of f.functions) {
      if (!fn.storage.inline) continue;
      add(listDef({ name: fn.name, kind: 'inline-function', file: f.file, line: fn.span.line }, 'c', fn.asm, fn.refs, f.file));
    }
    for (const m of f.asmFile?.macros ?? []) {
      add(listDef({ name: m.name, kind: 'asm-macro', file: f.file, line: m.span.line }, 'asm', m.instructions, m.refs, f.file));
    }
  }
  return defs;
}

function namesRegex(names: Iterable<string>): RegExp | null {
  const list = [...names].map((n) => n.replace(/[$.]/g, '\\$&'));
  if (list.length === 0) return null;
  return new RegExp(`(?<![\\w.$])(?:${list.join('|')})(?![\\w.$])`);
}

/**
 * For every transparent definition, the table entries it reaches (keyed by
 * entry id). Works in rounds: the names that gained something in one round
 * are looked for, as text first, in every definition in the next; a
 * definition's references are only parsed when its text mentions one.
 */
export function reachability(defs: Map<string, Def[]>, table: InstructionTable): Map<Def, Map<string, Reach>> {
  const reach = new Map<Def, Map<string, Reach>>();
  const all: Def[] = [];
  for (const list of defs.values()) all.push(...list);
  let changedNames = new Set<string>();
  for (const d of all) {
    if (!d.mayHaveInstructions()) continue;
    const direct = new Map<string, Reach>();
    for (const ins of d.instructions) {
      const e = matchInstruction(table, ins);
      if (e && !direct.has(e.id)) direct.set(e.id, { entry: e, via: [], instruction: ins, instructionFile: d.file });
    }
    if (direct.size > 0) {
      reach.set(d, direct);
      changedNames.add(d.step.name);
    }
  }
  while (changedNames.size > 0) {
    const re = namesRegex(changedNames)!;
    const next = new Set<string>();
    for (const d of all) {
      if (!d.mentions(re)) continue;
      const fromAsm = isAsmFile(d.file);
      let theirs = reach.get(d);
      for (const ref of d.refs) {
        if (!changedNames.has(ref.name)) continue;
        if (ref.name === d.step.name && d.step.kind === 'macro' && ref.kind !== 'asm-statement') continue; // not expanded recursively
        for (const target of lookup(defs, ref, fromAsm)) {
          const r = reach.get(target);
          if (!r || target === d) continue;
          for (const [id, x] of r) {
            if (!theirs) reach.set(d, (theirs = new Map()));
            if (theirs.has(id)) continue;
            theirs.set(id, { ...x, via: [target.step, ...x.via] });
            next.add(d.step.name);
          }
        }
      }
    }
    changedNames = next;
  }
  return reach;
}

interface Site {
  file: FileIndex;
  context: PrivilegedUse['context'];
  instructions: AsmInstruction[];
  refs: NameRef[];
  fromAsm: boolean;
  conditionsFor: (line: number) => ConditionFrame[];
  /** The definition itself when the site is transparent (its own name is not expanded inside it). */
  selfName: string | null;
}

/**
 * Every place that executes a privileged or sensitive instruction of the
 * table, directly or through macros and inline functions, with the chain.
 */
export function privilegedUses(index: Pick<SourceIndex, 'files'>, table: InstructionTable): PrivilegedUse[] {
  const defs = collectDefinitions(index.files);
  const reach = reachability(defs, table);
  const reachingNames = new Set<string>();
  for (const d of reach.keys()) reachingNames.add(d.step.name);
  const reachingRe = namesRegex(reachingNames);
  const out: PrivilegedUse[] = [];
  for (const f of index.files) {
    const sites: Site[] = [];
    for (const fn of f.functions) {
      sites.push({ file: f, context: { kind: 'function', name: fn.name }, instructions: fn.asm, refs: fn.refs, fromAsm: false, conditionsFor: f.conditionsAt, selfName: null });
    }
    for (const m of f.macros) {
      // parse a macro body only when it can matter: it mentions a reaching name or may contain asm
      const mdef = macroDef(f, m);
      if (!(reachingRe && mdef.mentions(reachingRe)) && !mdef.mayHaveInstructions()) continue;
      const cond = (): ConditionFrame[] => m.conditions;
      sites.push({ file: f, context: { kind: 'macro', name: m.name }, instructions: m.asm, refs: m.refs, fromAsm: m.bodyLanguage === 'asm', conditionsFor: cond, selfName: m.name });
    }
    // file-scope C asm (not inside a function)
    const fileScope = f.asmStatements.filter((s) => s.function === null).flatMap((s) => s.instructions);
    if (fileScope.length) {
      sites.push({ file: f, context: { kind: 'file', name: null }, instructions: fileScope, refs: [], fromAsm: false, conditionsFor: f.conditionsAt, selfName: null });
    }
    if (f.asmFile) {
      for (const m of f.asmFile.macros) {
        sites.push({ file: f, context: { kind: 'asm-macro', name: m.name }, instructions: m.instructions, refs: m.refs, fromAsm: true, conditionsFor: f.conditionsAt, selfName: m.name });
      }
      // group top-level statements by the label they follow
      const byLabel = new Map<string | null, typeof f.asmFile.statements>();
      for (const s of f.asmFile.statements) {
        const l = byLabel.get(s.label);
        if (l) l.push(s);
        else byLabel.set(s.label, [s]);
      }
      for (const [label, stmts] of byLabel) {
        sites.push({
          file: f,
          context: { kind: label === null ? 'file' : 'asm-label', name: label },
          instructions: stmts,
          refs: stmts.map((s) => ({ name: /^[A-Za-z_.$][\w.$]*/.exec(s.text)?.[0] ?? s.mnemonic, kind: 'asm-statement' as const, line: s.line, column: s.column, offset: s.offset })),
          fromAsm: true,
          conditionsFor: f.conditionsAt,
          selfName: null,
        });
      }
    }
    for (const s of sites) {
      for (const ins of s.instructions) {
        const e = matchInstruction(table, ins);
        if (!e) continue;
        out.push({
          file: f.file,
          line: ins.line,
          column: ins.column,
          offset: ins.offset,
          kind: 'instruction',
          callee: null,
          via: [],
          instruction: { mnemonic: ins.mnemonic, operands: ins.operands, text: ins.text, file: f.file, line: ins.line },
          class: e.class,
          reason: e.reason,
          entryId: e.id,
          context: s.context,
          conditions: s.conditionsFor(ins.line),
        });
      }
      for (const ref of s.refs) {
        if (!reachingNames.has(ref.name)) continue;
        if (ref.name === s.selfName && s.context.kind === 'macro') continue;
        const targets = lookup(defs, ref, s.fromAsm);
        if (targets.length === 0) continue;
        const seen = new Set<string>();
        for (const d of targets) {
          const r = reach.get(d);
          if (!r) continue;
          for (const [id, x] of r) {
            if (seen.has(id)) continue;
            seen.add(id);
            out.push({
              file: f.file,
              line: ref.line,
              column: ref.column,
              offset: ref.offset,
              kind: 'call',
              callee: ref.name,
              via: [d.step, ...x.via],
              instruction: { mnemonic: x.instruction.mnemonic, operands: x.instruction.operands, text: x.instruction.text, file: x.instructionFile, line: x.instruction.line },
              class: x.entry.class,
              reason: x.entry.reason,
              entryId: id,
              context: s.context,
              conditions: s.conditionsFor(ref.line),
            });
          }
        }
      }
    }
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.offset - b.offset || (a.entryId < b.entryId ? -1 : 1)));
  return out;
}
