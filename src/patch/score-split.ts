/**
 * The split of cpukit/score/cpu/<arch>: every construct that executes a privileged or
 * sensitive instruction (the source index's closure) leaves cpukit, so that cpukit no
 * longer depends on the CPU model:
 *
 * - a function of a `.c` file moves whole to libcpu/<arch>/shared/score/<file>.c;
 * - a global routine of a `.S` file (from its `.globl`/`PUBLIC` line to the next one)
 *   moves to libcpu/<arch>/shared/score/<file>.S, with the file's preamble;
 * - an inline function of a header becomes a prototype; its definition moves to
 *   libcpu/<arch>/shared/score/<header>-native.c;
 * - a function-like macro of a header becomes a call of `<macro>_impl()`, declared where the
 *   macro was; the native `<macro>_impl()` instantiates the original macro, moved verbatim.
 *
 * The `<arch>virt` model defines the same external symbols: the templates' score first, then
 * the recipe's paravirtualized macro semantics, and for anything else a stub that stops the
 * guest through the hypervisor (listed in the plan's notes). Constructs the split cannot move
 * safely are refused with their file:line, never moved in part.
 */
import path from 'node:path';
import type { FileIndex, FunctionDefinition, MacroDefinition, PrivilegedUse, SourceIndex, ConditionFrame } from '../source-index/types.js';
import type { Draft } from './draft.js';
import type { ArchRecipe } from './arch-recipes.js';
import { eolOf, lines, lineStart, lineEndAfter } from './text-edit.js';
import type { ConvertedFunction } from './paravirt-conversion.js';

export class SplitRefusal extends Error {
  constructor(readonly problems: { file: string; line: number; why: string }[]) {
    super(`the score split cannot move ${problems.length} construct(s) safely`);
  }
}

export interface SplitResult {
  /** Sources of shared/shared-score.rel, relative to libcpu/<arch>. */
  sharedSources: string[];
  /** Generated sources for the virt score (relative to libcpu/<arch>). */
  virtGenerated: string[];
  /** External symbols the native score now provides. */
  symbols: { name: string; signature: string | null; kind: 'function' | 'asm' | 'macro-impl' | 'inline' }[];
  notes: string[];
}

interface Construct {
  kind: 'function' | 'asm-region' | 'inline' | 'macro' | 'moved-macro';
  file: string;
  name: string;
  line: number;
  /** Where the instruction is (asm routines are found by it). */
  offset: number;
}

const HEADER = /\.h$/;

/**
 * Plans the split on the draft. `index` covers the files of cpukit/score/cpu/<arch> as on disk;
 * `uses` are the privileged/sensitive uses found there.
 */
export interface SplitInputs {
  /** Native definitions from the RTEMS_PARAVIRT conversion, to go with the header that declares them. */
  converted?: ConvertedFunction[];
  /**
   * Files outside cpukit/score/cpu/<arch> that expand a macro, for macros that cannot become a call;
   * `cpukit` lists those under cpukit (the macro then cannot leave the score).
   */
  expandersOf?: (name: string, definedIn: string, style: 'call' | 'statement', asmOnly: boolean) => { outside: string[]; cpukit: string[] };
}

export function splitScore(
  draft: Draft,
  recipe: ArchRecipe,
  index: SourceIndex,
  uses: PrivilegedUse[],
  virtDefined: Set<string>,
  inputs: SplitInputs = {},
): SplitResult {
  const arch = recipe.arch;
  const scoreDir = `cpukit/score/cpu/${arch}`;
  const libcpu = `c/src/lib/libcpu/${arch}`;
  const problems: { file: string; line: number; why: string }[] = [];
  const constructs = new Map<string, Construct>();

  for (const u of uses.filter((x) => x.kind === 'instruction')) {
    const fi = index.byFile.get(u.file);
    const ctx = u.context;
    if (!fi) continue;
    if (ctx.kind === 'function' && ctx.name) {
      const fn = fi.functions.find((f) => f.name === ctx.name);
      const kind = HEADER.test(u.file) || fn?.storage.inline ? 'inline' : 'function';
      constructs.set(`${u.file}#${ctx.name}`, { kind, file: u.file, name: ctx.name, line: fn?.span.line ?? u.line, offset: u.offset });
    } else if (ctx.kind === 'macro' && ctx.name) {
      const m = fi.macros.find((x) => x.name === ctx.name && x.span.line <= u.line && x.span.endLine >= u.line) ?? fi.macros.find((x) => x.name === ctx.name);
      if (m && m.bodyLanguage === 'c' && m.params !== null) constructs.set(`${u.file}#${ctx.name}`, { kind: 'macro', file: u.file, name: ctx.name, line: m.span.line, offset: u.offset });
      else if (m && HEADER.test(u.file) && inputs.expandersOf) {
        // a macro that cannot become a call: it leaves cpukit for the native files that expand it
        constructs.set(`${u.file}#${ctx.name}`, { kind: 'moved-macro', file: u.file, name: ctx.name, line: m.span.line, offset: u.offset });
      } else problems.push({ file: u.file, line: u.line, why: `${ctx.name} is ${m?.params === null ? 'an object-like' : 'an assembler'} macro executing \`${u.instruction.text}\`: it cannot be turned into a call` });
    } else if (ctx.kind === 'asm-macro' && ctx.name && HEADER.test(u.file) && inputs.expandersOf) {
      const m = fi.asmFile?.macros.find((x) => x.name === ctx.name);
      if (m) constructs.set(`${u.file}#${ctx.name}`, { kind: 'moved-macro', file: u.file, name: ctx.name, line: m.span.line, offset: u.offset });
      else problems.push({ file: u.file, line: u.line, why: `assembler macro ${ctx.name} not found in the index` });
    } else if (ctx.kind === 'asm-label' && ctx.name) {
      constructs.set(`${u.file}@${u.offset}`, { kind: 'asm-region', file: u.file, name: ctx.name, line: u.line, offset: u.offset });
    } else {
      problems.push({ file: u.file, line: u.line, why: `\`${u.instruction.text}\` is executed at ${ctx.kind === 'asm-macro' ? `assembler macro ${ctx.name}` : 'file scope'}: the split has no function to move` });
    }
  }

  const result: SplitResult = { sharedSources: [], virtGenerated: [], symbols: [], notes: [] };
  const byFile = new Map<string, Construct[]>();
  for (const c of constructs.values()) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  const convertedBy = new Map<string, ConvertedFunction[]>();
  for (const f of inputs.converted ?? []) {
    convertedBy.set(f.file, [...(convertedBy.get(f.file) ?? []), f]);
    if (!byFile.has(f.file)) byFile.set(f.file, []);
  }

  const outputs = new Map<string, string>(); // new libcpu files, by path relative to libcpu/<arch>
  const movedMacros: { file: string; name: string; line: number; definition: string; style: 'call' | 'statement'; asmOnly: boolean }[] = [];
  const virtParts: string[] = [];
  const virtProtos: string[] = [];

  for (const [file, cs] of [...byFile.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const fi = index.byFile.get(file);
    if (!fi) throw new Error(`${file} is not in the source index`);
    const text = draft.require(file, 'indexed file');
    const eol = eolOf(text);
    const stem = path.posix.basename(file).replace(/\.[^.]+$/, '');
    const removals: { start: number; end: number; replacement: string }[] = [];
    for (const c of cs.filter((x) => x.kind === 'moved-macro')) {
      // a #define (C or assembler body) or an assembler .macro
      const cMacro = fi.macros.find((x) => x.name === c.name && x.span.line === c.line);
      const def = cMacro ?? fi.asmFile?.macros.find((x) => x.name === c.name);
      if (!def) continue;
      const start = lineStart(text, def.span.start);
      const end = lineEndOf(text, Math.max(def.span.start, def.span.end - 1));
      const kept = movableConditions(fi, def.conditions);
      movedMacros.push({
        file,
        name: c.name,
        line: def.span.line,
        style: cMacro && cMacro.params !== null ? 'call' : 'statement',
        asmOnly: !cMacro || cMacro.bodyLanguage === 'asm',
        definition: wrapConditions(kept, text.slice(start, end).replace(/(\r?\n)[ \t]*\r?\n$/, '$1'), eol),
      });
      removals.push({ start, end, replacement: '' });
    }

    if (fi.language === 'asm') {
      const regions = asmRegions(fi, text);
      const want = new Set<number>();
      for (const c of cs.filter((x) => x.kind !== 'moved-macro')) {
        const i = regions.findIndex((r) => r.start <= c.offset && c.offset < r.end);
        if (i < 0) problems.push({ file, line: c.line, why: `\`${c.name}\` is outside every global routine of the file` });
        else want.add(i);
      }
      // routines that jump to each other's local labels move together
      for (let grew = true; grew; ) {
        grew = false;
        regions.forEach((r, i) => {
          if (want.has(i)) return;
          const linked = [...want].some((j) => refersTo(regions[j]!, r) || refersTo(r, regions[j]!));
          if (linked) {
            want.add(i);
            grew = true;
          }
        });
      }
      const moved: string[] = [];
      const lineOf = (o: number) => text.slice(0, o).split('\n').length;
      const firstLine = lineOf(regions[0]?.start ?? 0);
      for (const i of [...want].sort((a, b) => a - b)) {
        const r = regions[i]!;
        // conditionals around the routine: those opened in the preamble come with the preamble's copy,
        // those opened between the preamble and the routine are put around it again
        const startLine = lineOf(r.start);
        const around: ConditionFrame[] = [];
        let bad: ConditionFrame | null = null;
        for (const f of r.conditions) {
          if (f.line >= startLine) continue; // opened inside the routine's text
          if (f.opening.line >= firstLine) {
            if (f.kind === 'elif') bad = f;
            else around.push(f);
          } else if (f.line >= firstLine) bad = f; // its #if is in the preamble, its #else between routines
        }
        if (bad) {
          problems.push({ file, line: r.line, why: `routine ${r.name} sits inside ${bad.text}: moving it would change which branch builds it` });
          continue;
        }
        moved.push(wrapConditions(around, text.slice(r.start, r.end), eol));
        removals.push({ start: r.start, end: r.end, replacement: '' });
        for (const n of r.names) result.symbols.push({ name: n, signature: null, kind: 'asm' });
      }
      if (moved.length > 0) {
        const first = regions[0]!.start;
        const last = regions[regions.length - 1]!.end;
        // #defines the moved routines use that sit between routines staying behind go along (a copy)
        const movedRegions = [...want].map((i) => regions[i]!);
        const used = new Set(movedRegions.flatMap((r) => [...r.words].map((w) => w.replace(/^\$/, ''))));
        const inMoved = (o: number) => movedRegions.some((r) => r.start <= o && o < r.end);
        const defs = fi.macros
          .filter((m) => m.span.start >= first && m.span.start < last && !inMoved(m.span.start) && used.has(m.name))
          .map((m) => wrapConditions(m.conditions, text.slice(m.span.start, m.span.end), eol));
        const rel = `shared/score/${stem}.S`;
        outputs.set(rel, text.slice(0, first) + defs.join('') + (defs.length > 0 ? eol : '') + moved.join('') + text.slice(last));
        result.sharedSources.push(rel);
      }
    } else if (!HEADER.test(file)) {
      const moved: string[] = [];
      for (const c of cs) {
        const fn = fi.functions.find((f) => f.name === c.name);
        if (!fn) continue;
        if (fn.conditions.some((f) => f.kind === 'elif')) {
          problems.push({ file, line: fn.span.line, why: `${fn.name} sits in an #elif branch: moving it would change which branch builds it` });
          continue;
        }
        const statics = fi.functions.filter((f) => f.storage.static && f.name !== fn.name && fn.refs.some((r) => r.name === f.name));
        if (statics.length > 0) {
          problems.push({ file, line: fn.span.line, why: `${fn.name} calls static ${statics.map((s) => s.name).join(', ')} of the same file` });
          continue;
        }
        const start = lineStart(text, fn.span.start);
        const end = lineEndOf(text, fn.span.end);
        moved.push(wrapConditions(fn.conditions, text.slice(start, end), eol));
        removals.push({ start, end, replacement: '' });
        result.symbols.push({ name: fn.name, signature: declarator(text, fn), kind: 'function' });
      }
      if (moved.length > 0) {
        const rel = `shared/score/${stem}.c`;
        outputs.set(rel, nativeFile(file, includesOf(fi, text), [...localMacrosUsed(fi, text, moved.join(''), removals, eol), ...moved], eol));
        result.sharedSources.push(rel);
      }
    } else {
      const natives: string[] = [];
      for (const f of convertedBy.get(file) ?? []) {
        natives.push(f.native);
        result.symbols.push({ name: f.name, signature: f.signature, kind: 'function' });
      }
      for (const c of cs) {
        if (c.kind === 'moved-macro') continue;
        if (c.kind === 'inline') {
          const fn = fi.functions.find((f) => f.name === c.name);
          if (!fn) continue;
          // the declarator without static/inline: the prototype left in the header and the native definition's head
          const proto = declarator(text, fn).replace(/\bstatic\s+|\binline\s+|\b__inline__\s+|\bRTEMS_INLINE_ROUTINE\s+/g, '');
          removals.push({ start: fn.span.start, end: fn.span.end, replacement: `${proto};` });
          natives.push(wrapConditions(fn.conditions.filter((f) => !isIncludeGuard(fi, f)), `${proto}${eol}${text.slice(fn.body.start, fn.body.end)}${eol}${eol}`, eol));
          result.symbols.push({ name: fn.name, signature: proto, kind: 'inline' });
        } else {
          const m = fi.macros.find((x) => x.name === c.name && x.span.line === c.line);
          if (!m || m.params === null) continue;
          const shape = recipe.macros[m.name]?.shape ?? macroShape(m);
          if ('why' in shape) {
            problems.push({ file, line: m.span.line, why: `${m.name}: ${shape.why}` });
            continue;
          }
          const impl = `${m.name}_impl`;
          const ins = shape.inputs;
          const ret = shape.output ? recipe.word : 'void';
          const proto = `${ret} ${impl}( ${ins.length ? ins.map((p) => `${recipe.word} ${p}`).join(', ') : 'void'} )`;
          const args = ins.length > 0 ? `( ${ins.join(', ')} )` : '()';
          const call = shape.output ? `do { ( ${shape.output} ) = ${impl}${args}; } while ( 0 )` : `${impl}${args}`;
          const needGuard = !m.conditions.some((f) => /\bASM\b/.test(f.expression) && (f.kind === 'ifndef' || /!\s*defined/.test(f.expression)));
          const replacement =
            (needGuard ? `#ifndef ASM${eol}` : '') +
            `/* implemented by the CPU model: libcpu/${arch}/shared/score or libcpu/${arch}/${arch}virt/score */${eol}` +
            `${proto};${eol}` +
            (needGuard ? `#endif${eol}` : '') +
            `#define ${m.name}( ${m.params.join(', ')} ) \\${eol}  ${call}${eol}`;
          removals.push({ start: m.span.start, end: m.span.end, replacement });
          const original = text.slice(m.span.start, m.span.end);
          const body = [
            `#undef ${m.name}`,
            original.replace(/\r?\n$/, ''),
            `${proto.replace(`${impl}(`, `${impl}(`)}`,
            '{',
            ...(shape.output ? [`  ${recipe.word} ${shape.output} = 0;`] : []),
            `  ${m.name}( ${m.params.join(', ')} );`,
            ...(shape.output ? [`  return ${shape.output};`] : []),
            '}',
            '',
          ];
          const kept = movableConditions(fi, m.conditions);
          natives.push(wrapConditions(kept, lines(eol, ...body), eol));
          result.symbols.push({ name: impl, signature: proto, kind: 'macro-impl' });
          const virtOf = recipe.macros[m.name]?.virt;
          virtParts.push(
            ...(virtOf
              ? [proto, '{', ...ins.map((p) => `  (void) ${p};`), ...(shape.output ? [`  ${recipe.word} ${shape.output};`] : []), ...virtOf({ inputs: ins, output: shape.output }).map((l) => `  ${l}`), ...(shape.output ? [`  return ${shape.output};`] : []), '}', '']
              : []),
          );
          if (virtOf) {
            virtDefined.add(impl);
            virtProtos.push(`${proto};`);
          }
        }
      }
      if (natives.length > 0) {
        const rel = `shared/score/${stem}-native.c`;
        const include = file.slice(scoreDir.length + 1); // the path cpukit code includes it by
        // the score port's interface header first: it brings the types the other headers assume
        const hub = 'rtems/score/cpu.h';
        const incs = include !== hub && draft.exists(`${scoreDir}/${hub}`) ? [`#include <${hub}>`, `#include <${include}>`] : [`#include <${include}>`];
        outputs.set(rel, nativeFile(file, incs, natives, eol));
        result.sharedSources.push(rel);
      }
    }
    if (removals.length > 0) {
      let t = text;
      for (const r of removals.sort((a, b) => b.start - a.start)) t = t.slice(0, r.start) + r.replacement + t.slice(r.end);
      draft.write(file, t);
    }
  }
  if (problems.length > 0) throw new SplitRefusal(problems);

  for (const [rel, t] of outputs) draft.write(`${libcpu}/${rel}`, t);

  // macros that left cpukit go into the native files that expand them, now that the moved code is in place
  for (const mm of movedMacros) {
    const ex = inputs.expandersOf!(mm.name, mm.file, mm.style, mm.asmOnly);
    if (ex.cpukit.length > 0) {
      problems.push({ file: mm.file, line: mm.line, why: `${mm.name} executes privileged instructions, cannot become a call, and code staying in cpukit expands it (${ex.cpukit.join(', ')})` });
      continue;
    }
    for (const target of ex.outside) moveMacroInto(draft, target, mm.name, mm.file, mm.definition);
    result.notes.push(
      `${mm.name} (${mm.file}:${mm.line}) executes privileged instructions and cannot become a call: moved into ${ex.outside.length > 0 ? ex.outside.join(', ') : 'nothing (no file expands it)'}, the native code that expands it`,
    );
  }
  if (problems.length > 0) throw new SplitRefusal(problems);

  // the virt model: whatever the templates and the recipe do not define stops the guest
  const stubs: string[] = [];
  for (const s of result.symbols) {
    if (virtDefined.has(s.name)) continue;
    const sig = (s.signature ?? `void ${s.name}( void )`).replace(/\(\s*\)/, '( void )');
    const fnSem = recipe.functions?.[s.name];
    if (fnSem) {
      virtProtos.push(`${sig};`);
      virtParts.push(sig, '{', ...fnSem({ params: paramNames(sig) }).map((l) => `  ${l}`), '}', '');
      continue;
    }
    // a stub never returns, so neither its parameters nor its result reach anyone: it is declared
    // without them, and the tree's types (Context_Control, attributes) are not needed here
    const stub = `void ${s.name}( void )`;
    virtProtos.push(`${stub};`);
    stubs.push(
      `/* ${s.name}: the native version executes privileged instructions; ${arch}virt has no equivalent yet.`,
      ...(s.signature && s.signature.replace(/\(\s*\)/, '( void )') !== stub ? [` * The tree declares it as: ${s.signature} */`] : [' */']),
      stub,
      '{',
      `  virt_fatal_unsupported( "${s.name}" ); /* libcpu/shared/virt/virt-fatal.c */`,
      '}',
      '',
    );
    result.notes.push(`${arch}virt: ${s.name} is a stub that stops the guest (no paravirtualized version yet)`);
  }
  if (virtParts.length > 0 || stubs.length > 0) {
    const rel = `${arch}virt/score/split.c`;
    const head = [
      '/*',
      ` *  ${arch}virt implementations of the functions the score split moved out of`,
      ` *  cpukit/score/cpu/${arch}: generated by rtems-virt-config patch.`,
      ' */',
      '',
      ...recipe.virtIncludes.map((h) => `#include ${h}`),
      '',
      '/* what cpukit calls; cpukit declares them in its own headers, which this model does not include */',
      ...virtProtos,
      '',
    ];
    draft.write(`${libcpu}/${rel}`, [...head, ...virtParts, ...stubs].join('\n'));
    result.virtGenerated.push(rel);
  }
  return result;
}

interface AsmRegion {
  name: string;
  /** Every global routine in the region (several when a conditional group holds them). */
  names: string[];
  line: number;
  start: number;
  end: number;
  conditions: ConditionFrame[];
  /** Labels defined in the routine (its own and local ones). */
  labels: Set<string>;
  /** Identifiers its instructions use. */
  words: Set<string>;
}

/**
 * Lines that announce the routine after them and go with it: alignment, symbol type, and the
 * instruction set state (ARM's `.arm`/`.thumb`/`.code 16`/`.thumb_func`: a routine moved
 * without its `.arm` would be assembled as Thumb).
 */
const ANNOUNCING = /^(\.type|\.align|\.p2align|\.balign|ALIGN|\.set|\.arm|\.thumb|\.thumb_func|\.code\s+(16|32)|\.syntax)\b/;

/**
 * The start of the `#if` group that ends on the line starting at `endifAt`, when every line of the
 * group is an announcing line, a blank line or a directive; otherwise null.
 */
function announcingGroupStart(text: string, endifAt: number): number | null {
  let depth = 0;
  let at = endifAt;
  for (;;) {
    const line = text.slice(at, text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at)).replace(/\r$/, '').trim();
    if (/^#\s*endif\b/.test(line)) depth++;
    else if (/^#\s*if(n?def)?\b/.test(line)) {
      depth--;
      if (depth === 0) return at;
    } else if (!(line === '' || /^#\s*(else|elif)\b/.test(line) || ANNOUNCING.test(line))) return null;
    if (at <= 0) return null;
    at = lineStart(text, at - 1);
  }
}

/** Whether routine `a` uses a label that routine `b` defines. */
function refersTo(a: AsmRegion, b: AsmRegion): boolean {
  for (const l of b.labels) if (a.words.has(l)) return true;
  return false;
}

/**
 * Global routines of an assembler file: from the `.globl`/`PUBLIC` line (with the comment
 * block and alignment just before it) to the next routine, or to the file's epilogue.
 */
function asmRegions(fi: FileIndex, text: string): AsmRegion[] {
  const af = fi.asmFile;
  if (!af) return [];
  const globals = new Set(af.globals);
  const heads = af.labels.filter((l) => l.global || globals.has(l.name)).sort((a, b) => a.offset - b.offset);
  const headNames = new Set(heads.map((h) => h.name));
  /** Whether another routine's .globl/PUBLIC line lies between `from` and `to` (a block of announcements). */
  const otherGlobalsBetween = (from: number, to: number): boolean =>
    [...text.slice(from, to).matchAll(/^\s*(?:PUBLIC\s*\(\s*([\w.$]+)|\.glob(?:a)?l\s+([\w.$]+))/gm)].filter((m) => headNames.has((m[1] ?? m[2])!)).length > 1;
  const starts = heads.map((l, i) => {
    // never before the line after the previous routine's label (a block of .globl lines at the top
    // of a file announces every routine at once and belongs to none of them)
    const floor = i > 0 ? lineEndAfter(text, heads[i - 1]!.offset) : 0;
    // the announcement of the label: a PUBLIC/.globl line earlier, then .set/.type/.align lines, blank lines, a comment block
    let s = lineStart(text, l.offset);
    const announce = new RegExp(`^\\s*(PUBLIC\\s*\\(\\s*${escapeRe(l.name)}\\s*\\)|\\.globl\\s+${escapeRe(l.name)}\\b|\\.global\\s+${escapeRe(l.name)}\\b)`, 'm');
    const before = text.slice(0, s);
    const ann = [...before.matchAll(new RegExp(announce.source, 'gm'))].pop();
    if (ann && ann.index !== undefined && ann.index >= floor && !otherGlobalsBetween(ann.index, s) && before.slice(ann.index).split('\n').length < 12) {
      s = lineStart(text, ann.index + ann[0].length - 1);
    }
    let inComment = false;
    for (;;) {
      if (s <= floor) break;
      const ps = lineStart(text, s - 1);
      const line = text.slice(ps, s - 1).replace(/\r$/, '').trim();
      if (inComment) {
        s = ps;
        if (line.startsWith('/*')) inComment = false;
        continue;
      }
      if (ANNOUNCING.test(line) || /^#\s*if(n?def)?\b/.test(line) || line === '') s = ps;
      else if (/^#\s*endif\b/.test(line)) {
        // a whole conditional group of announcing lines (`#ifdef __thumb__` / `.thumb_func` / `#endif`) goes too
        const open = announcingGroupStart(text, ps);
        if (open === null) break;
        s = open;
      } else if (line.endsWith('*/')) {
        s = ps;
        inComment = !line.startsWith('/*');
      } else break;
    }
    return s;
  });
  const lastStart = starts[starts.length - 1] ?? 0;
  const m = /^[ \t]*(END_CODE|END|\.end)\b.*$/m.exec(text.slice(lastStart));
  const epilogue = m ? lastStart + m.index : text.length;
  const regions = heads.map((l, i) => {
    const start = starts[i]!;
    const end = i + 1 < heads.length ? starts[i + 1]! : epilogue;
    const labels = new Set(af.labels.filter((x) => x.offset >= start && x.offset < end).map((x) => x.name));
    const words = new Set<string>();
    for (const st of af.statements) {
      if (st.offset < start || st.offset >= end) continue;
      for (const w of st.operands.match(/[A-Za-z_.$][\w.$]*/g) ?? []) words.add(w);
    }
    return { name: l.name, names: [l.name], line: l.line, start, end, conditions: l.conditions, labels, words };
  });
  // a routine never splits a conditional group: routines inside one #if…#endif move as one
  const depth = (r: AsmRegion) =>
    fi.conditionals
      .filter((c) => c.offset >= r.start && c.offset < r.end)
      .reduce((d, c) => d + (c.kind === 'if' || c.kind === 'ifdef' || c.kind === 'ifndef' ? 1 : c.kind === 'endif' ? -1 : 0), 0);
  const merged: AsmRegion[] = [];
  let open: AsmRegion | null = null;
  let level = 0;
  for (const r of regions) {
    const prev: AsmRegion | null = open;
    const cur: AsmRegion = prev
      ? { ...prev, end: r.end, labels: new Set([...prev.labels, ...r.labels]), words: new Set([...prev.words, ...r.words]), names: [...prev.names, r.name] }
      : r;
    level += depth(r);
    // below zero: the routine closes a conditional opened before it (trimmed below), not a group of its own
    if (level <= 0) {
      merged.push(cur);
      open = null;
      level = 0;
    } else open = cur;
  }
  if (open !== null) merged.push(open);
  // a routine ends before a directive that closes (or continues) a conditional opened before it:
  // that `#endif` belongs to the text around the routine, which stays where it is
  for (const r of merged) {
    let d = 0;
    for (const c of fi.conditionals) {
      if (c.offset < r.start || c.offset >= r.end) continue;
      if (c.kind === 'if' || c.kind === 'ifdef' || c.kind === 'ifndef') d++;
      else if (c.kind === 'endif') d--;
      if (d < 0 || (d === 0 && (c.kind === 'else' || c.kind === 'elif'))) {
        r.end = lineStart(text, c.offset);
        break;
      }
    }
  }
  return merged;
}

/**
 * The file's own `#define`s that moved C code uses (directly or through one another, e.g. a
 * stringification helper used inside an asm string): copies go with it, wrapped in their
 * conditionals; the originals stay for what remains.
 */
function localMacrosUsed(fi: FileIndex, text: string, movedText: string, removals: { start: number; end: number }[], eol: string): string[] {
  const local = fi.macros.filter((m) => !removals.some((r) => m.span.start >= r.start && m.span.start < r.end));
  const uses = (body: string, name: string) => new RegExp(`\\b${escapeRe(name)}\\b`).test(body);
  const needed = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of local) {
      if (needed.has(m.name)) continue;
      if (uses(movedText, m.name) || local.some((o) => needed.has(o.name) && uses(text.slice(o.span.start, o.span.end), m.name))) {
        needed.add(m.name);
        grew = true;
      }
    }
  }
  const defs = local
    .filter((m) => needed.has(m.name))
    .map((m) => wrapConditions(m.conditions.filter((f) => !isIncludeGuard(fi, f)), text.slice(m.span.start, m.span.end).replace(/\r?\n?$/, eol), eol));
  return defs.length > 0 ? [...defs, eol] : [];
}

/** The conditionals a header definition keeps where it moves to a .c file: not the include guard, not the ASM tests. */
function movableConditions(fi: FileIndex, conds: ConditionFrame[]): ConditionFrame[] {
  return conds.filter((f) => !/\bASM\b/.test(f.expression) && !isIncludeGuard(fi, f));
}

/** `#ifndef X` + `#define X` opening a header and closed by its last directive. */
function isIncludeGuard(fi: FileIndex, f: ConditionFrame): boolean {
  const o = f.opening;
  if (o.kind !== 'ifndef' && !(o.kind === 'if' && /^!\s*defined\s*\(?\s*\w+\s*\)?$/.test(o.expression.trim()))) return false;
  const first = fi.conditionals[0];
  const last = fi.conditionals[fi.conditionals.length - 1];
  if (!first || first.line !== o.line || !last || last.kind !== 'endif' || last.depth !== 0) return false;
  const name = o.expression.replace(/^!\s*defined\s*\(?\s*|\s*\)?\s*$/g, '').trim();
  return fi.macros.some((m) => m.name === name && m.params === null && m.span.line > o.line && m.span.line <= o.line + 3);
}

/** How a function-like macro's parameters are used: at most one written (the result), the others read. */
function macroShape(m: MacroDefinition): { inputs: string[]; output: string | null } | { why: string } {
  const params = m.params ?? [];
  if (m.variadic) return { why: 'a variadic macro cannot be turned into a call' };
  const written = params.filter((p) => {
    const ref = `\\(?\\s*\\(?\\s*${escapeRe(p)}\\s*\\)?\\s*\\)?`;
    const asmOut = new RegExp(`"[=+][^"]*"\\s*\\(\\s*${ref}\\s*\\)`).test(m.body);
    const assigned = new RegExp(`(^|[^.\\w>])${escapeRe(p)}\\s*\\)?\\s*(=(?!=)|\\+=|-=|\\|=|&=|\\+\\+|--)`).test(m.body);
    return asmOut || assigned;
  });
  if (written.length > 1) return { why: `it writes ${written.length} of its parameters (${written.join(', ')}); only one result can be returned` };
  const output = written[0] ?? null;
  return { inputs: params.filter((p) => p !== output), output };
}

/** Parameter names of a C prototype (`void f( unsigned int a, char *b )` → a, b). */
function paramNames(sig: string): string[] {
  const m = /\(([^()]*)\)\s*$/.exec(sig);
  if (!m) return [];
  return m[1]!
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== 'void' && p !== '...')
    .map((p) => /([A-Za-z_]\w*)\s*(\[[^\]]*\])?$/.exec(p)?.[1] ?? '')
    .filter((n) => n !== '');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  let end = nl < 0 ? text.length : nl + 1;
  // take one following blank line with the definition
  const next = text.indexOf('\n', end);
  if (next >= 0 && text.slice(end, next).trim() === '') end = next + 1;
  return end;
}

function declarator(text: string, fn: FunctionDefinition): string {
  return text.slice(fn.span.start, fn.body.start).trim().replace(/\s+/g, ' ');
}

function includesOf(fi: FileIndex, text: string): string[] {
  const out: string[] = [];
  for (const inc of fi.includes) {
    if (inc.conditions.length > 0) continue;
    const ls = text.split('\n')[inc.line - 1];
    if (ls !== undefined) out.push(ls.replace(/\r$/, ''));
  }
  return out;
}

function wrapConditions(conds: ConditionFrame[], body: string, eol: string): string {
  if (conds.length === 0) return body;
  let open = '';
  let close = '';
  for (const f of conds) {
    if (f.kind === 'else') open += `#if !(${condExpr(f.opening)})${eol}`;
    else open += `${f.text}${eol}`;
    close = `#endif${eol}` + close;
  }
  return open + body + close;
}

function condExpr(o: ConditionFrame['opening']): string {
  if (o.kind === 'ifdef') return `defined(${o.expression})`;
  if (o.kind === 'ifndef') return `!defined(${o.expression})`;
  return o.expression;
}

function nativeFile(from: string, includes: string[], parts: string[], eol: string): string {
  return (
    lines(
      eol,
      '/*',
      ` *  Native implementation for every model with supervisor privilege, moved out of`,
      ` *  ${from} by rtems-virt-config patch.`,
      ' */',
      '',
      ...includes,
      '',
    ) + parts.join('')
  );
}

/**
 * Puts a macro definition that left cpukit into a native file that expands it: after the
 * file's last `#include`, with a comment saying where it came from. Idempotent.
 */
function moveMacroInto(draft: Draft, target: string, name: string, from: string, definition: string): void {
  const text = draft.require(target, `expands ${name}`);
  const eol = eolOf(text);
  if (new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+${escapeRe(name)}\\b`, 'm').test(text)) return;
  const includes = [...text.matchAll(/^[ \t]*#[ \t]*include\b[^\n]*\n/gm)];
  const last = includes[includes.length - 1];
  const at = last && last.index !== undefined ? last.index + last[0].length : 0;
  const block =
    eol +
    lines(
      eol,
      '/*',
      ` *  ${name}: moved here by rtems-virt-config patch from`,
      ` *  ${from}. It executes privileged instructions, so it`,
      ' *  cannot stay in the score port that the paravirtualized model shares;',
      ' *  only native code expands it.',
      ' */',
    ) +
    definition.replace(/\r?\n$/, '') +
    eol;
  draft.write(target, text.slice(0, at) + block + text.slice(at));
}
