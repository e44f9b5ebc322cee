/**
 * Which places execute a privileged or sensitive instruction, directly or
 * through macros and inline functions defined anywhere in the index.
 *
 * Macros (C and assembler `#define`s, `.macro`s) and inline functions are
 * the "transparent" definitions: what they execute is executed where they
 * are used. Rounds propagate, for every transparent definition, the set
 * of table entries it reaches (one chain each) until nothing changes, so
 * cycles (`#define a b` / `#define b a`, mutually recursive inlines)
 * terminate. Every use site (function bodies, macro bodies, `.macro`
 * bodies, assembler statements, file-scope asm) then reports its direct
 * instructions and, for each name it uses, what that name reaches.
 * Calls through ordinary (non-inline) functions are not followed: the
 * instruction is reported where that function executes it.
 */
import { parseStatement } from './text.js';
import { matchInstruction, type InstructionEntry, type InstructionTable } from './instruction-table.js';
import type { AsmInstruction, AsmMacroDefinition, ConditionFrame, FileIndex, MacroDefinition, NameRef, PrivilegedUse, SourceIndex, ViaStep } from './types.js';

/** A transparent definition: a macro, an inline function or a `.macro`. */
class Def {
  private stepCache: ViaStep | null = null;
  constructor(
    readonly kind: ViaStep['kind'],
    readonly name: string,
    readonly file: string,
    private readonly line: number,
    private readonly macro: MacroDefinition | null,
    private readonly list: { instructions: AsmInstruction[]; refs: NameRef[] } | null,
  ) {}
  get step(): ViaStep {
    return (this.stepCache ??= { name: this.name, kind: this.kind, file: this.file, line: this.line });
  }
  /** C definitions are reached from C calls; assembler ones from statements. */
  get lang(): 'c' | 'asm' {
    return this.macro ? this.macro.bodyLanguage : this.kind === 'asm-macro' ? 'asm' : 'c';
  }
  get objectLike(): boolean {
    return this.macro ? this.macro.params === null : false;
  }
  get instructions(): AsmInstruction[] {
    return this.macro ? this.macro.asm : this.list!.instructions;
  }
  get refs(): NameRef[] {
    return this.macro ? this.macro.refs : this.list!.refs;
  }
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

/** Whether a reference can expand to a definition. */
function canExpand(d: Def, ref: NameRef, fromAsm: boolean): boolean {
  if (fromAsm || ref.kind === 'asm-statement') {
    // an assembler statement can name a .macro or a cpp macro (any file, headers included)
    return d.kind !== 'inline-function';
  }
  if (isAsmFile(d.file)) return false; // C never sees .S definitions
  if (d.kind === 'asm-macro') return false;
  if (ref.kind === 'ident') return d.kind === 'macro' && d.objectLike;
  return true;
}

const ASM_WORD = /\b(__asm__|__asm|asm)\b/;

/** Cheap text test: can this macro's body contain an instruction at all? */
function macroMayHaveInstructions(m: MacroDefinition): boolean {
  if (m.body === '') return false;
  return m.bodyLanguage === 'asm' || ASM_WORD.test(m.body);
}

function namesRegex(names: Iterable<string>): RegExp | null {
  const list = [...names].map((n) => n.replace(/[$.]/g, '\\$&'));
  if (list.length === 0) return null;
  return new RegExp(`(?<![\\w.$])(?:${list.join('|')})(?![\\w.$])`);
}

/**
 * The transparent definitions that reach a table entry, with one chain per
 * entry id. Works in rounds: the names that gained something in one round
 * are looked for, as text first, in every definition in the next; a
 * definition's references are only parsed when its text mentions one.
 * Sets only grow, so cycles terminate.
 */
export function reachability(files: FileIndex[], table: InstructionTable): Map<string, Array<{ def: Def; reach: Map<string, Reach> }>> {
  const reach = new Map<Def, Map<string, Reach>>();
  const byName = new Map<string, Def[]>();
  const note = (d: Def): void => {
    const l = byName.get(d.name);
    if (!l) byName.set(d.name, [d]);
    else if (!l.includes(d)) l.push(d);
  };
  // macros get a Def only when they matter; inline functions and .macros always (they are few)
  const macroDefs = new Map<MacroDefinition, Def>();
  const defOfMacro = (f: FileIndex, m: MacroDefinition): Def => {
    let d = macroDefs.get(m);
    if (!d) macroDefs.set(m, (d = new Def('macro', m.name, f.file, m.span.line, m, null)));
    return d;
  };
  // inline functions and .macros of a file, built when the file first matters (touching
  // `functions` makes the file's C parse happen)
  const othersOf = new Map<FileIndex, Array<{ def: Def; names: string }>>();
  const others = (f: FileIndex): Array<{ def: Def; names: string }> => {
    let l = othersOf.get(f);
    if (l) return l;
    l = [];
    if (f.parsed) {
      for (const fn of f.functions) {
        if (!fn.storage.inline) continue;
        l.push({ def: new Def('inline-function', fn.name, f.file, fn.span.line, null, { instructions: fn.asm, refs: fn.refs }), names: fn.refs.map((r) => r.name).join(' ') });
      }
    }
    for (const m of f.asmFile?.macros ?? []) {
      l.push({ def: new Def('asm-macro', m.name, f.file, m.span.line, null, { instructions: m.instructions, refs: m.refs }), names: m.refs.map((r) => r.name).join(' ') });
    }
    othersOf.set(f, l);
    return l;
  };
  let changed = new Set<string>();
  const seed = (d: Def): void => {
    const direct = new Map<string, Reach>();
    for (const ins of d.instructions) {
      const e = matchInstruction(table, ins);
      if (e && !direct.has(e.id)) direct.set(e.id, { entry: e, via: [], instruction: ins, instructionFile: d.file });
    }
    if (direct.size === 0) return;
    reach.set(d, direct);
    note(d);
    changed.add(d.name);
  };
  for (const f of files) {
    if (!f.hints.asmKeyword && !f.hints.assemblerMacros) continue;
    for (const m of f.macros) if (macroMayHaveInstructions(m)) seed(defOfMacro(f, m));
    for (const o of others(f)) seed(o.def);
  }
  const visit = (d: Def): void => {
    const fromAsm = isAsmFile(d.file);
    let theirs = reach.get(d);
    for (const ref of d.refs) {
      if (!changed.has(ref.name)) continue;
      if (ref.name === d.name && d.kind === 'macro' && ref.kind !== 'asm-statement') continue; // not expanded recursively
      for (const target of byName.get(ref.name) ?? []) {
        if (target === d || !canExpand(target, ref, fromAsm)) continue;
        const r = reach.get(target);
        if (!r) continue;
        for (const [id, x] of r) {
          if (!theirs) {
            reach.set(d, (theirs = new Map()));
            note(d);
          }
          if (theirs.has(id)) continue;
          theirs.set(id, { ...x, via: [target.step, ...x.via] });
          next.add(d.name);
        }
      }
    }
  };
  let next = new Set<string>();
  while (changed.size > 0) {
    const re = namesRegex(changed)!;
    next = new Set<string>();
    for (const f of files) {
      if (!f.mentions(re)) continue;
      for (const m of f.macros) if (re.test(m.body)) visit(defOfMacro(f, m));
      for (const o of others(f)) if (re.test(o.names)) visit(o.def);
    }
    changed = next;
  }
  const out = new Map<string, Array<{ def: Def; reach: Map<string, Reach> }>>();
  for (const [name, defs] of byName) out.set(name, defs.map((def) => ({ def, reach: reach.get(def)! })));
  return out;
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
export interface PrivilegedUsesOptions {
  /** Report uses only in these files (definitions are still taken from every indexed file); saves parsing the others. */
  only?: (file: string) => boolean;
}

export function privilegedUses(index: Pick<SourceIndex, 'files'>, table: InstructionTable, options: PrivilegedUsesOptions = {}): PrivilegedUse[] {
  const reaching = reachability(index.files, table);
  const reachingRe = namesRegex(reaching.keys());
  const asmMacros = new Map<string, AsmMacroDefinition[]>();
  for (const f of index.files) {
    for (const m of f.asmFile?.macros ?? []) {
      const l = asmMacros.get(m.name);
      if (l) l.push(m);
      else asmMacros.set(m.name, [m]);
    }
  }
  const out: PrivilegedUse[] = [];
  for (const f of index.files) {
    if (options.only && !options.only(f.file)) continue;
    const sites: Site[] = [];
    const mayMention = reachingRe !== null && f.mentions(reachingRe);
    const mayHaveAsm = f.hints.asmKeyword || f.hints.assemblerMacros;
    // no asm and no name that reaches an instruction: nothing in this file can be a use
    if (!mayMention && !mayHaveAsm) continue;
    // functions (and the C parse behind them) only for files that can have a use
    const fns = f.parsed && (mayMention || f.hints.asmKeyword) ? f.functions : [];
    for (const fn of fns) {
      sites.push({ file: f, context: { kind: 'function', name: fn.name }, instructions: fn.asm, refs: fn.refs, fromAsm: false, conditionsFor: f.conditionsAt, selfName: null });
    }
    for (const m of f.macros) {
      // parse a macro body only when it can matter: it mentions a reaching name or may contain asm
      if (!(mayMention && reachingRe!.test(m.body)) && !(mayHaveAsm && macroMayHaveInstructions(m))) continue;
      const cond = (): ConditionFrame[] => m.conditions;
      sites.push({ file: f, context: { kind: 'macro', name: m.name }, instructions: m.asm, refs: m.refs, fromAsm: m.bodyLanguage === 'asm', conditionsFor: cond, selfName: m.name });
    }
    // file-scope C asm (not inside a function)
    const fileScope = f.parsed && f.hints.asmKeyword ? f.asmStatements.filter((s) => s.function === null).flatMap((s) => s.instructions) : [];
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
      for (const [ri, ref] of s.refs.entries()) {
        const seen = new Set<string>();
        // a .macro whose body runs its arguments (`\_RFI` with `_RFI=rfi`): substitute at this call
        if (s.fromAsm && ref.kind === 'asm-statement' && asmMacros.has(ref.name)) {
          const call = s.instructions[ri];
          for (const am of asmMacros.get(ref.name)!) {
            if (call === undefined || !am.instructions.some((i) => i.text.includes('\\'))) continue;
            const args = macroArgs(am.params, call.operands.replace(/^[\s,]+/, ''));
            for (const mi of am.instructions) {
              if (!mi.text.includes('\\')) continue;
              const text = mi.text.replace(/\\([\w.$]+)(\(\))?/g, (all, name: string) => args.get(name) ?? all);
              if (text === mi.text) continue;
              const p = parseStatement(text);
              if (p.kind !== 'instruction') continue;
              const e = matchInstruction(table, { mnemonic: p.mnemonic, operands: p.operands, text: p.text });
              if (!e || seen.has(e.id)) continue;
              seen.add(e.id);
              out.push({
                file: f.file,
                line: ref.line,
                column: ref.column,
                offset: ref.offset,
                kind: 'call',
                callee: ref.name,
                via: [{ name: am.name, kind: 'asm-macro', file: am.file, line: am.span.line }],
                instruction: { mnemonic: p.mnemonic, operands: p.operands, text: p.text, file: am.file, line: mi.line },
                class: e.class,
                reason: e.reason,
                entryId: e.id,
                context: s.context,
                conditions: s.conditionsFor(ref.line),
              });
            }
          }
        }
        const targets = reaching.get(ref.name);
        if (!targets) continue;
        if (ref.name === s.selfName && s.context.kind === 'macro') continue;
        for (const { def: d, reach: r } of targets) {
          if (!canExpand(d, ref, s.fromAsm)) continue;
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

/** Arguments of a `.macro` call: `name=value` pairs and positional values (separated by commas or blanks). */
export function macroArgs(params: string[], operands: string): Map<string, string> {
  const args = new Map<string, string>();
  const parts = operands.split(/\s*,\s*|\s+/).filter((x) => x !== '');
  let pos = 0;
  for (const part of parts) {
    const kv = /^([\w.$]+)=(.*)$/.exec(part);
    if (kv && params.includes(kv[1]!)) args.set(kv[1]!, kv[2]!);
    else if (pos < params.length) args.set(params[pos++]!, part);
  }
  return args;
}
