/**
 * Indexes one C, header or assembler file: the preprocessor layer for all,
 * tree-sitter-c for C code that has function bodies or asm statements, the
 * assembler scanner for .S/.s files.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { SourceError } from '../parse/source-error.js';
import { asmInstructions, parseAsmAt, scanCRegion, statementsToInstructions } from './c-scan.js';
import { scanAsmFile } from './asm-scan.js';
import { parseMacroText, preprocess, type PreprocessResult, type RawMacro } from './preprocessor.js';
import { blankRanges, LineMap, stripComments, type AsmSyntax } from './text.js';
import type { AsmInstruction, AsmStatement, ConditionalDirective, ConditionFrame, FileIndex, FunctionDefinition, MacroDefinition, NameRef, SourceLanguage, Span } from './types.js';

let parserPromise: Promise<Parser> | null = null;

/** The tree-sitter C parser, initialised once per process. */
export function cParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      const require = createRequire(import.meta.url);
      let wasm: string;
      try {
        wasm = require.resolve('tree-sitter-c/tree-sitter-c.wasm');
      } catch {
        throw new SourceError('node_modules/tree-sitter-c', 1, 'the tree-sitter-c grammar (tree-sitter-c.wasm) is not installed', {
          hint: 'reinstall rtems-virt-config (npm install) so that tree-sitter-c is present',
        });
      }
      await Parser.init();
      const lang = await Language.load(wasm);
      const p = new Parser();
      p.setLanguage(lang);
      return p;
    })();
    parserPromise.catch(() => {
      parserPromise = null;
    });
  }
  return parserPromise;
}

export function languageOf(file: string): SourceLanguage | null {
  if (/\.(S|s|asm)$/.test(file)) return 'asm';
  if (/\.(c|h|inl|inc)$/.test(file)) return 'c';
  return null;
}

const ASM_BRANCH = /\b(ASM|__ASSEMBLER__|ASSEMBLY|_ASMLANGUAGE|__ASM__)\b/;

const NEEDS_PARSE = /\)\s*\{|\b(__asm__|__asm|asm)\b/;
const ASM_HEADER_NAME = /(^|\/)(asm|asm-utility|asmmacros?|[\w-]*_asm_macros)\.h$/;

/**
 * Whether a position of a header is assembler: in an `#ifdef ASM` (or
 * `#if defined(ASM)`, `#ifndef ASM … #else`) branch, or anywhere outside a
 * C-only branch of an assembler header (asm.h, a header of `.macro`s).
 */
function isAsmBranch(conditions: ConditionFrame[], asmHeader: boolean): boolean {
  for (const f of conditions) {
    if (!ASM_BRANCH.test(f.opening.expression)) continue;
    const negated = f.opening.kind === 'ifndef' || /^!\s*defined/.test(f.opening.expression);
    const inElse = f.kind === 'else';
    return negated === inElse;
  }
  return asmHeader;
}

/** The regions of a header that are assembler, blanked apart: [assembler text, C text], or null when there are none. */
function splitHeader(file: string, blanked: string, conditionals: ConditionalDirective[], lines: LineMap, conditionsAt: (l: number) => ConditionFrame[]): { asmHeader: boolean; asmText: string; cText: string } | null {
  const asmHeader = ASM_HEADER_NAME.test(file) || (blanked.includes('.macro') && /^[ \t]*\.macro\b/m.test(blanked));
  if (!asmHeader && !conditionals.some((c) => ASM_BRANCH.test(c.expression))) return null;
  const asmRanges: Array<[number, number]> = [];
  const cRanges: Array<[number, number]> = [];
  for (let l = 1; l <= lines.lineCount; l++) {
    const r: [number, number] = [lines.lineStart(l), lines.lineEnd(l)];
    if (isAsmBranch(conditionsAt(l), asmHeader)) cRanges.push(r);
    else asmRanges.push(r);
  }
  if (cRanges.length === 0) return null;
  return { asmHeader, asmText: blankRanges(blanked, asmRanges), cText: blankRanges(blanked, cRanges) };
}

let readyParser: Parser | null = null;

const ASM_CONDITIONAL = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif)\b.*\b(ASM|__ASSEMBLER__|ASSEMBLY|_ASMLANGUAGE|__ASM__)\b/m;

/**
 * Indexes one file. Only comment stripping happens here; the preprocessor
 * layer, the assembler scan and the C parse happen on first access to the
 * fields that need them, so indexing a whole tree is cheap and a closure
 * over it only pays for the files that matter.
 */
export async function indexFile(file: string, text: string, syntax: AsmSyntax): Promise<FileIndex> {
  const language = languageOf(file) ?? 'c';
  const code = stripComments(text, language === 'asm' ? syntax : null);
  if (language === 'c' && !readyParser) readyParser = await cParser();

  interface Layer {
    lines: LineMap;
    pp: PreprocessResult;
    conditionsAt: (line: number) => ConditionFrame[];
    macros: MacroDefinition[];
    asmFile: FileIndex['asmFile'];
    cText: string | null;
  }
  let layer: Layer | null = null;
  const build = (): Layer => {
    if (layer) return layer;
    const lines = new LineMap(text);
    const pp = preprocess(code, lines);
    const conditionsAt = (line: number): ConditionFrame[] => pp.stackAt[line] ?? [];
    // set below for headers whose unconditioned parts are assembler; read lazily by the macros
    let asmHeader = false;
    const isHeaderAsm = (conditions: ConditionFrame[]): boolean => isAsmBranch(conditions, asmHeader);
    const mctx: MacroContext = { file, code, fileLanguage: language, syntax, lines, isHeaderAsm };
    const macros: MacroDefinition[] = pp.macros.map((m) => new LazyMacro(mctx, m));
    let asmFile: FileIndex['asmFile'] = null;
    let cText: string | null = null;
    if (language === 'asm') {
      asmFile = scanAsmFile(file, pp.blanked(), syntax, lines, conditionsAt);
    } else {
      let blanked: string | null = null;
      if (file.endsWith('.h')) {
        // assembler parts of a header (`#ifdef ASM` branches, asm.h, .macro headers) go to the assembler scanner
        const split = splitHeader(file, pp.blanked(), pp.conditionals, lines, conditionsAt);
        if (split) {
          asmHeader = split.asmHeader;
          if (/\S/.test(split.asmText)) asmFile = scanAsmFile(file, split.asmText, syntax, lines, conditionsAt);
          blanked = split.cText;
        } else if (ASM_HEADER_NAME.test(file)) asmHeader = true;
      }
      // no function body and no asm outside directives: nothing for tree-sitter
      if (blanked !== null || NEEDS_PARSE.test(code)) {
        blanked ??= pp.blanked();
        if (NEEDS_PARSE.test(blanked)) cText = hideAttributeMacros(blanked);
      }
    }
    layer = { lines, pp, conditionsAt, macros, asmFile, cText };
    return layer;
  };

  // The C parse is done on first use of functions/asmStatements.
  type CState = Pick<FileIndex, 'file' | 'conditionsAt' | 'functions' | 'asmStatements' | 'parseErrors'>;
  let cState: CState | null = null;
  const parsedC = (): CState => {
    if (cState) return cState;
    const l = build();
    cState = { file, conditionsAt: l.conditionsAt, functions: [], asmStatements: [], parseErrors: [] };
    if (l.cText === null) return cState;
    if (!readyParser) throw new Error('internal error: the C parser is not initialised');
    // tree-sitter sees the code without comments and directives, offsets unchanged
    const tree = readyParser.parse(l.cText);
    if (!tree) return cState;
    try {
      indexCTree(cState, tree.rootNode, text, l.cText, syntax, l.lines);
    } finally {
      tree.delete();
    }
    return cState;
  };
  const rec = {
    file,
    language,
    size: text.length,
    conditionsAt: (line: number): ConditionFrame[] => build().conditionsAt(line),
    mentions: (re: RegExp): boolean => {
      re.lastIndex = 0;
      return re.test(code);
    },
    hints: {
      asmKeyword: /\b(__asm__|__asm|asm)\b/.test(code),
      assemblerMacros: language === 'asm' || ASM_HEADER_NAME.test(file) || ASM_CONDITIONAL.test(code) || (code.includes('.macro') && /^[ \t]*\.macro\b/m.test(code)),
    },
  } as unknown as FileIndex;
  const lazy = (get: () => unknown): PropertyDescriptor => ({ enumerable: true, get });
  Object.defineProperties(rec, {
    conditionals: lazy(() => build().pp.conditionals),
    macros: lazy(() => build().macros),
    undefs: lazy(() => build().pp.undefs),
    includes: lazy(() => build().pp.includes),
    asmFile: lazy(() => build().asmFile),
    parsed: lazy(() => build().cText !== null),
    functions: lazy(() => parsedC().functions),
    asmStatements: lazy(() => parsedC().asmStatements),
    parseErrors: lazy(() => parsedC().parseErrors),
  });
  return rec;
}

const ATTRIBUTE_MACRO_NAME = /^(?!RTEMS_INLINE_ROUTINE$|_INLINE_$|RTEMS_INLINE$|CPU_INLINE$|RTEMS_STATIC_INLINE$)[A-Z][A-Z0-9_]{2,}$/;
const ATTRIBUTE_MACRO = /^([ \t]*)([A-Z][A-Z0-9_]{2,})(?=\s+(?:static|inline|extern|void|int|unsigned|signed|char|long|short|u?int\w*_t|const|volatile|bool|_Bool|size_t|__inline__|__attribute__|RTEMS_INLINE_ROUTINE)\b)/gm;

/**
 * Blanks an all-caps macro written before a function's specifiers
 * (`ARM_CP15_TEXT_SECTION static inline uint32_t f(void)`,
 * `RTEMS_NO_RETURN void f(void)`): tree-sitter cannot know it expands to an
 * attribute and loses the definition otherwise. Offsets are unchanged.
 */
function hideAttributeMacros(code: string): string {
  // RTEMS's inline macro is spelled out so that tree-sitter sees an ordinary `static inline`
  if (code.includes('RTEMS_INLINE_ROUTINE')) code = code.replace(/\bRTEMS_INLINE_ROUTINE\b/g, 'static inline       ');
  // file-scope macro invocations without a semicolon (`SPR_RW(BOOKE_TSR)`, `_PPC_FEAT_DECL(x)`) swallow the next definition
  code = code.replace(/^([A-Z_][A-Z0-9_]*[ \t]*\([^;{}\n]*\))[ \t]*\n(?![ \t\n]*\{)/gm, (all: string, inv: string) => ' '.repeat(inv.length) + all.slice(inv.length));
  return code.replace(ATTRIBUTE_MACRO, (all, lead: string, name: string) => (ATTRIBUTE_MACRO_NAME.test(name) ? lead + ' '.repeat(name.length) : all));
}

function spanOf(node: Node, lines: LineMap): Span {
  // line and column from the offsets (tree-sitter's own columns count UTF-16 bytes)
  const p = lines.pos(node.startIndex);
  return { start: node.startIndex, end: node.endIndex, line: p.line, column: p.column, endLine: lines.line(Math.max(node.startIndex, node.endIndex - 1)) };
}

function declaratorName(node: Node | null): string | null {
  let n = node;
  for (let guard = 0; n && guard < 20; guard++) {
    if (n.type === 'identifier') return n.text;
    const d = n.childForFieldName('declarator');
    if (d) {
      n = d;
      continue;
    }
    n = n.namedChildren.find((c) => c !== null && /declarator|identifier/.test(c.type)) ?? null;
  }
  return null;
}

const INLINE_RE = /\b(inline|__inline__|__inline|RTEMS_INLINE_ROUTINE|_INLINE_|RTEMS_INLINE|CPU_INLINE)\b/;
const STATIC_RE = /\b(static|RTEMS_INLINE_ROUTINE|_INLINE_|RTEMS_STATIC_INLINE)\b/;

function indexCTree(rec: Pick<FileIndex, 'file' | 'conditionsAt' | 'functions' | 'asmStatements' | 'parseErrors'>, root: Node, text: string, code: string, syntax: AsmSyntax, lines: LineMap): void {
  const pos = (o: number): { line: number; column: number } => lines.pos(o);
  if (root.hasError) {
    for (const e of root.descendantsOfType('ERROR')) if (e) rec.parseErrors.push(e.startPosition.row + 1);
  }
  const covered: Array<[number, number]> = [];
  const addAsm = (start: number, end: number, pieces: Array<[number, number]>, extended: boolean, fn: string | null): AsmStatement => {
    const { code: asmCode, instructions } = asmInstructions(text, { pieces, extended }, syntax, lines, 'c-asm');
    const p = pos(start);
    const st: AsmStatement = {
      file: rec.file,
      span: { start, end, line: p.line, column: p.column, endLine: lines.line(Math.max(start, end - 1)) },
      extended,
      code: asmCode,
      instructions,
      function: fn,
      conditions: rec.conditionsAt(p.line),
    };
    rec.asmStatements.push(st);
    covered.push([start, end]);
    return st;
  };
  const asmFromNode = (a: Node, fn: string | null): AsmStatement => {
    const codeNode = a.childForFieldName('assembly_code');
    const pieces: Array<[number, number]> = [];
    if (codeNode) {
      const lits = codeNode.type === 'string_literal' ? [codeNode] : codeNode.namedChildren.filter((c): c is Node => c !== null && c.type === 'string_literal');
      for (const l of lits) {
        // between the quotes (prefixes such as L"" are not used in asm)
        const s = text.indexOf('"', l.startIndex);
        if (s >= 0 && s < l.endIndex) pieces.push([s + 1, l.endIndex - 1]);
      }
    }
    const extended = a.childForFieldName('output_operands') !== null || a.childForFieldName('input_operands') !== null ||
      a.childForFieldName('clobbers') !== null || a.childForFieldName('goto_labels') !== null || /:/.test(code.slice(codeNode ? codeNode.endIndex : a.startIndex, a.endIndex));
    return addAsm(a.startIndex, a.endIndex, pieces, extended, fn);
  };

  const fnNodes = root.descendantsOfType('function_definition');
  for (const f of fnNodes) {
    if (!f) continue;
    const body = f.childForFieldName('body');
    const decl = f.childForFieldName('declarator');
    if (!body || !decl) continue;
    const name = declaratorName(decl);
    if (!name) continue;
    const prefix = code.slice(f.startIndex, decl.startIndex);
    const storage = {
      static: STATIC_RE.test(prefix),
      inline: INLINE_RE.test(prefix),
      extern: /\bextern\b/.test(prefix),
    };
    const span = spanOf(f, lines);
    // a hidden attribute macro right before the definition belongs to it (patch moves it along)
    const attr = /([A-Z][A-Z0-9_]{2,})\s*$/.exec(text.slice(Math.max(0, span.start - 80), span.start));
    // (not the name a directive tests: `#ifdef ARM_MULTILIB_HAS_WFI` before a function is blank in `code` too)
    const attrStart = span.start - (attr?.[0].length ?? 0);
    const inDirective = attr !== null && /^[ \t]*#/.test(text.slice(text.lastIndexOf('\n', attrStart - 1) + 1, attrStart));
    if (attr && !inDirective && /^\s*$/.test(code.slice(span.start - attr[0].length, span.start)) && ATTRIBUTE_MACRO_NAME.test(attr[1]!)) {
      span.start -= attr[0].length;
      const p = lines.pos(span.start);
      span.line = p.line;
      span.column = p.column;
    }
    const fd: FunctionDefinition = {
      name,
      file: rec.file,
      storage,
      span,
      body: spanOf(body, lines),
      conditions: rec.conditionsAt(span.line),
      refs: [],
      asm: [],
    };
    for (const a of body.descendantsOfType('gnu_asm_expression')) {
      if (a) fd.asm.push(...asmFromNode(a, name).instructions);
    }
    // calls and identifiers: a token scan of the body is much cheaper than one JS object per tree-sitter node
    const covered = fd.asm.length ? rec.asmStatements.filter((x) => x.function === name && x.span.start >= fd.body.start && x.span.end <= fd.body.end) : [];
    for (const r of scanCRegion(code, fd.body.start, fd.body.end).refs) {
      if (covered.some((x) => r.offset >= x.span.start && r.offset < x.span.end)) continue;
      const p = pos(r.offset);
      fd.refs.push({ name: r.name, kind: r.kind, offset: r.offset, line: p.line, column: p.column });
    }
    fd.refs.sort((a, b) => a.offset - b.offset);
    rec.functions.push(fd);
  }
  // file-scope asm (e.g. `__asm__(".globl x")`) and asm inside ERROR regions
  for (const a of root.descendantsOfType('gnu_asm_expression')) {
    if (!a) continue;
    if (covered.some(([s, e]) => a.startIndex >= s && a.endIndex <= e)) continue;
    const fn = rec.functions.find((f) => a.startIndex >= f.span.start && a.endIndex <= f.span.end);
    const st = asmFromNode(a, fn ? fn.name : null);
    if (fn) fn.asm.push(...st.instructions);
  }
  // asm keywords tree-sitter did not turn into gnu_asm_expression (syntax it could not parse)
  const kw = /\b(__asm__|__asm|asm)\b/g;
  for (let m = kw.exec(code); m; m = kw.exec(code)) {
    const at = m.index;
    if (covered.some(([s, e]) => at >= s && at < e)) continue;
    const ls = code.lastIndexOf('\n', at) + 1;
    if (((code.slice(ls, at).match(/"/g) ?? []).length & 1) === 1) continue; // inside a string
    const raw = parseAsmAt(code, at, at + m[0].length, code.length);
    if (!raw) continue;
    const fn = rec.functions.find((f) => at >= f.body.start && at < f.body.end) ?? null;
    const st = addAsm(raw.start, raw.end, raw.pieces, raw.extended, fn ? fn.name : null);
    if (fn) fn.asm.push(...st.instructions);
    kw.lastIndex = raw.end;
  }
  for (const fn of rec.functions) fn.asm.sort((a, b) => a.offset - b.offset);
}

/**
 * A macro definition whose parameters, body, references and asm are parsed
 * on first use: headers full of register #defines (AVR, MPC55xx) hold
 * hundreds of thousands of them, and most are never looked at.
 */
/** What every macro of one file shares (one object per file keeps each macro small). */
interface MacroContext {
  file: string;
  code: string;
  fileLanguage: SourceLanguage;
  syntax: AsmSyntax;
  lines: LineMap;
  isHeaderAsm: (conditions: ConditionFrame[]) => boolean;
}

class LazyMacro implements MacroDefinition {
  private parsedText: ReturnType<typeof parseMacroText> | null = null;
  private scanned: { refs: NameRef[]; asm: AsmInstruction[] } | null = null;
  private lang: 'c' | 'asm' | null = null;

  constructor(
    private readonly ctx: MacroContext,
    private readonly raw: RawMacro,
  ) {}
  get name(): string {
    return this.raw.name;
  }
  get file(): string {
    return this.ctx.file;
  }
  get span(): Span {
    return this.raw.span;
  }
  get conditions(): ConditionFrame[] {
    return this.raw.conditions;
  }
  private get text(): ReturnType<typeof parseMacroText> {
    return (this.parsedText ??= parseMacroText(this.ctx.code, this.raw));
  }
  get params(): string[] | null {
    return this.text.params;
  }
  get variadic(): boolean {
    return this.text.variadic;
  }
  get body(): string {
    return this.text.body;
  }
  /** The raw body's offsets in the file (for a cheap text test before the body is scanned). */
  get bodyRange(): [number, number] {
    return [this.text.bodyStart, this.raw.contentEnd];
  }
  get bodyLanguage(): 'c' | 'asm' {
    return (this.lang ??= this.ctx.fileLanguage === 'asm' || this.ctx.isHeaderAsm(this.raw.conditions) ? 'asm' : 'c');
  }
  get refs(): NameRef[] {
    return this.scan().refs;
  }
  get asm(): AsmInstruction[] {
    return this.scan().asm;
  }
  toJSON(): object {
    const { name, file, params, variadic, body, bodyLanguage, span, conditions, refs, asm } = this;
    return { name, file, params, variadic, body, bodyLanguage, span, conditions, refs, asm };
  }
  private scan(): { refs: NameRef[]; asm: AsmInstruction[] } {
    if (this.scanned) return this.scanned;
    const refs: NameRef[] = [];
    const asm: AsmInstruction[] = [];
    this.scanned = { refs, asm };
    const { bodyStart, params: plist, body } = this.text;
    if (body === '') return this.scanned;
    const code = this.ctx.code;
    const lines = this.ctx.lines;
    const params = new Set(plist ?? []);
    if (this.bodyLanguage === 'c') {
      const r = scanCRegion(code, bodyStart, this.raw.contentEnd);
      for (const x of r.refs) {
        if (params.has(x.name) || x.name === '__VA_ARGS__') continue;
        const p = lines.pos(x.offset);
        refs.push({ name: x.name, kind: x.kind, offset: x.offset, line: p.line, column: p.column });
      }
      for (const a of r.asms) asm.push(...asmInstructions(code, a, this.ctx.syntax, lines, 'macro-body').instructions);
      return this.scanned;
    }
    // assembler body: `;`-separated statements (continuations count as spaces)
    const seg = code.slice(bodyStart, this.raw.contentEnd);
    const offsets: number[] = [];
    let s = '';
    for (let i = 0; i < seg.length; i++) {
      if (seg[i] === '\\' && (seg[i + 1] === '\n' || seg[i + 1] === '\r')) {
        s += ' ';
        offsets.push(bodyStart + i);
        i += seg[i + 1] === '\r' ? 2 : 1;
        continue;
      }
      s += seg[i];
      offsets.push(bodyStart + i);
    }
    const syn = this.ctx.syntax;
    const asmSyntax: AsmSyntax = syn.separators.includes(';') || syn.lineComment.includes(';') ? syn : { ...syn, separators: [...syn.separators, ';'] };
    for (const ins of statementsToInstructions(s, offsets, asmSyntax, lines, 'macro-body', false)) {
      const name = /^[A-Za-z_.$][\w.$]*/.exec(ins.text)?.[0] ?? ins.mnemonic;
      if (params.has(name)) continue;
      asm.push(ins);
      refs.push({ name, kind: 'asm-statement', line: ins.line, column: ins.column, offset: ins.offset });
    }
    return this.scanned;
  }
}
