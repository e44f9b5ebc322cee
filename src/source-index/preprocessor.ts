/**
 * The preprocessor layer of a C or assembler file: directives, the
 * conditional stack at every line, macro definitions with their spans, and
 * the file's code with directive lines blanked out (offsets unchanged) for
 * the C parser and the assembler scanner.
 */
import type { ConditionFrame, ConditionalDirective, Span } from './types.js';
import { blankRanges as blankRangesOf, type LineMap } from './text.js';

export interface RawMacro {
  name: string;
  /** `(` right after the name. Parameters and body are parsed on demand (parseMacroText). */
  functionLike: boolean;
  /** Offset just past the name. */
  nameEnd: number;
  /** End of the directive's text (before its final newline). */
  contentEnd: number;
  span: Span;
  conditions: ConditionFrame[];
}

export interface PreprocessResult {
  conditionals: ConditionalDirective[];
  macros: RawMacro[];
  undefs: Array<{ name: string; line: number }>;
  includes: Array<{ path: string; system: boolean; line: number; conditions: ConditionFrame[] }>;
  /** The stripped code with every directive's characters replaced by spaces (computed on first use). */
  blanked(): string;
  /** Conditional stack per 1-based line (index 0 unused). */
  stackAt: ConditionFrame[][];
}

const EMPTY: ConditionFrame[] = Object.freeze([]) as unknown as ConditionFrame[];
const WORD = /[ \t]*([A-Za-z_]\w*)?/y;
const NAME = /[ \t]*([A-Za-z_]\w*)/y;

function directiveRest(code: string, from: number, to: number): string {
  let r = code.slice(from, to);
  if (r.includes('\\')) r = r.replace(/\\\r?\n/g, ' ');
  return r.trim().replace(/\s+/g, ' ');
}

/**
 * `code` is the file's text with comments already replaced by spaces.
 */
export function preprocess(code: string, lines: LineMap): PreprocessResult {
  const conditionals: ConditionalDirective[] = [];
  const macros: RawMacro[] = [];
  const undefs: PreprocessResult['undefs'] = [];
  const includes: PreprocessResult['includes'] = [];
  const stackAt: ConditionFrame[][] = new Array(lines.lineCount + 2);
  const ranges: number[] = [];
  interface Group {
    opening: ConditionFrame['opening'];
    current: ConditionFrame;
  }
  const groups: Group[] = [];
  let stack: ConditionFrame[] = EMPTY;
  const n = code.length;
  const total = lines.lineCount;
  const hashLine = /^[ \t]*#/gm;
  let filled = 1;
  const fillTo = (upto: number): void => {
    for (; filled <= upto; filled++) stackAt[filled] = stack;
  };
  let from = 0;
  for (;;) {
    hashLine.lastIndex = from;
    const m = hashLine.exec(code);
    if (!m) break;
    const hashAt = m.index + m[0].length - 1;
    const line = lines.line(m.index);
    // logical line: join backslash-newline continuations
    let e = code.indexOf('\n', hashAt);
    let continued = false;
    while (e >= 0 && (code[e - 1] === '\\' || (code[e - 1] === '\r' && code[e - 2] === '\\'))) {
      continued = true;
      e = code.indexOf('\n', e + 1);
    }
    const contentEnd = e < 0 ? n : e;
    const end = e < 0 ? n : e + 1;
    const endLine = continued ? lines.line(contentEnd) : line;
    WORD.lastIndex = hashAt + 1;
    const wm = WORD.exec(code)!;
    const word = wm[1] ?? '';
    const afterWord = hashAt + 1 + wm[0].length;
    fillTo(line - 1);
    stackAt[line] = stack;
    switch (word) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const rest = directiveRest(code, afterWord, contentEnd);
        const text = `#${word}${rest ? ' ' + rest : ''}`;
        const frame: ConditionFrame = { kind: word, expression: rest, text, line, opening: { kind: word, expression: rest, text, line } };
        conditionals.push({ kind: word, expression: rest, text, line, offset: hashAt, depth: groups.length, groupLine: line });
        groups.push({ opening: frame.opening, current: frame });
        stack = groups.map((g) => g.current);
        break;
      }
      case 'elif':
      case 'else': {
        const rest = directiveRest(code, afterWord, contentEnd);
        const text = `#${word}${rest ? ' ' + rest : ''}`;
        const g = groups[groups.length - 1];
        conditionals.push({
          kind: word, expression: word === 'elif' ? rest : '', text, line, offset: hashAt,
          depth: Math.max(0, groups.length - 1), groupLine: g ? g.opening.line : line,
        });
        if (g) {
          stackAt[line] = groups.slice(0, -1).map((x) => x.current);
          g.current = { kind: word, expression: word === 'elif' ? rest : '', text, line, opening: g.opening };
          stack = groups.map((x) => x.current);
        }
        break;
      }
      case 'endif': {
        const g = groups.pop();
        conditionals.push({ kind: 'endif', expression: '', text: '#endif', line, offset: hashAt, depth: groups.length, groupLine: g ? g.opening.line : line });
        stack = groups.length === 0 ? EMPTY : groups.map((x) => x.current);
        stackAt[line] = stack;
        break;
      }
      case 'define': {
        NAME.lastIndex = afterWord;
        const nm = NAME.exec(code);
        if (!nm) break;
        const nameEnd = afterWord + nm[0].length;
        macros.push({
          name: nm[1]!,
          functionLike: code[nameEnd] === '(',
          nameEnd,
          contentEnd,
          span: { start: lines.lineStart(line), end, line, column: hashAt - lines.lineStart(line) + 1, endLine },
          conditions: stack,
        });
        break;
      }
      case 'undef': {
        NAME.lastIndex = afterWord;
        const um = NAME.exec(code);
        if (um) undefs.push({ name: um[1]!, line });
        break;
      }
      case 'include':
      case 'include_next': {
        const im = /^\s*(?:<([^>]*)>|"([^"]*)")/.exec(code.slice(afterWord, contentEnd));
        if (im) includes.push({ path: (im[1] ?? im[2])!, system: im[1] !== undefined, line, conditions: stack });
        break;
      }
      default:
    }
    for (let l = line + 1; l <= endLine; l++) stackAt[l] = stack;
    filled = endLine + 1;
    ranges.push(hashAt, contentEnd);
    from = end;
    if (from >= n) break;
  }
  fillTo(total + 1);
  stripIncludeGuard(conditionals, macros, includes, stackAt);
  let blanked: string | null = null;
  return {
    conditionals, macros, undefs, includes, stackAt,
    blanked: () => (blanked ??= blankRangesOf(code, ranges)),
  };
}

/** Parameters and replacement text of a macro (continuations removed). */
export function parseMacroText(code: string, m: RawMacro): { params: string[] | null; variadic: boolean; body: string; bodyStart: number } {
  let bodyStart = m.nameEnd;
  let params: string[] | null = null;
  let variadic = false;
  if (m.functionLike) {
    let close = code.indexOf(')', m.nameEnd);
    if (close < 0 || close > m.contentEnd) close = m.contentEnd;
    const plist = code.slice(m.nameEnd + 1, close).replace(/\\\r?\n/g, ' ');
    params = plist.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (params.length && params[params.length - 1]!.endsWith('...')) {
      variadic = true;
      const last = params[params.length - 1]!.slice(0, -3).trim();
      if (last === '') params.pop();
      else params[params.length - 1] = last;
    }
    bodyStart = Math.min(close + 1, m.contentEnd);
  }
  let body = code.slice(bodyStart, m.contentEnd);
  if (body.includes('\\')) body = body.replace(/\\\r?\n/g, ' ');
  return { params, variadic, body: body.trim(), bodyStart };
}

/**
 * An include guard (`#ifndef X` / `#define X` first, its `#endif` last) says
 * nothing about configuration: it is flagged in the directive list and left
 * out of every conditional stack.
 */
function stripIncludeGuard(
  conditionals: ConditionalDirective[],
  macros: RawMacro[],
  includes: PreprocessResult['includes'],
  stackAt: ConditionFrame[][],
): void {
  const first = conditionals[0];
  const last = conditionals[conditionals.length - 1];
  if (!first || !last || last.kind !== 'endif' || last.groupLine !== first.line) return;
  let name: string | undefined;
  if (first.kind === 'ifndef') name = first.expression.trim();
  else if (first.kind === 'if') name = /^!\s*defined\s*\(?\s*(\w+)\s*\)?$/.exec(first.expression.trim())?.[1];
  if (!name) return;
  const def = macros.find((m) => m.name === name);
  if (!def || def.span.line > first.line + 3) return;
  if (conditionals.some((c) => c.groupLine === first.line && (c.kind === 'else' || c.kind === 'elif'))) return;
  first.includeGuard = true;
  last.includeGuard = true;
  const memo = new Map<ConditionFrame[], ConditionFrame[]>();
  const strip = (st: ConditionFrame[]): ConditionFrame[] => {
    if (st.length === 0 || st[0]!.opening.line !== first.line) return st;
    let r = memo.get(st);
    if (!r) memo.set(st, (r = st.slice(1)));
    return r;
  };
  for (let i = 0; i < stackAt.length; i++) if (stackAt[i]) stackAt[i] = strip(stackAt[i]!);
  for (const m of macros) m.conditions = strip(m.conditions);
  for (const inc of includes) inc.conditions = strip(inc.conditions);
}
