/**
 * The preprocessor layer of a C or assembler file: directives, the
 * conditional stack at every line, macro definitions with their spans, and
 * the file's code with directive lines blanked out (offsets unchanged) for
 * the C parser and the assembler scanner.
 */
import type { ConditionFrame, ConditionalDirective, Span } from './types.js';
import type { LineMap } from './text.js';

export interface RawMacro {
  name: string;
  params: string[] | null;
  variadic: boolean;
  body: string;
  /** Offset in the (comment-stripped) text where the body starts. */
  bodyStart: number;
  /** End of the body (before the final newline). */
  bodyEnd: number;
  span: Span;
  conditions: ConditionFrame[];
}

export interface PreprocessResult {
  conditionals: ConditionalDirective[];
  macros: RawMacro[];
  undefs: Array<{ name: string; line: number }>;
  includes: Array<{ path: string; system: boolean; line: number; conditions: ConditionFrame[] }>;
  /** The stripped code with every directive's characters replaced by spaces. */
  blanked: string;
  /** Conditional stack per 1-based line (index 0 unused). */
  stackAt: ConditionFrame[][];
}

const EMPTY: ConditionFrame[] = Object.freeze([]) as unknown as ConditionFrame[];

/**
 * `code` is the file's text with comments already replaced by spaces;
 * `original` is the text as read (used for the directive text reported).
 */
export function preprocess(code: string, lines: LineMap): PreprocessResult {
  const conditionals: ConditionalDirective[] = [];
  const macros: RawMacro[] = [];
  const undefs: PreprocessResult['undefs'] = [];
  const includes: PreprocessResult['includes'] = [];
  const stackAt: ConditionFrame[][] = new Array(lines.lineCount + 2);
  const blankRanges: Array<[number, number]> = [];
  interface Group {
    opening: ConditionFrame['opening'];
    current: ConditionFrame;
  }
  const groups: Group[] = [];
  let stack: ConditionFrame[] = EMPTY;
  const n = code.length;
  let line = 1;
  const total = lines.lineCount;
  // Fast path: find lines whose first non-blank character is '#'.
  const hashLine = /^[ \t]*#/gm;
  let filled = 1;
  const fillTo = (upto: number): void => {
    for (; filled <= upto; filled++) stackAt[filled] = stack;
  };
  for (;;) {
    hashLine.lastIndex = lines.lineStart(line);
    const m = hashLine.exec(code);
    if (!m) break;
    const start = m.index;
    line = lines.line(start);
    const hashAt = start + m[0].length - 1;
    // logical line: join backslash-newline continuations
    let endLine = line;
    let end = lines.lineEnd(line);
    while (endLine < total) {
      let k = end - 2;
      if (code[k] === '\r') k--;
      if (code[end - 1] === '\n' && code[k] === '\\') {
        endLine++;
        end = lines.lineEnd(endLine);
      } else break;
    }
    const contentEnd = code[end - 1] === '\n' ? end - 1 : end;
    const raw = code.slice(hashAt + 1, contentEnd);
    const joined = raw.replace(/\\\r?\n/g, ' ');
    const dm = /^\s*([A-Za-z_]\w*)?/.exec(joined)!;
    const word = dm[1] ?? '';
    const rest = joined.slice(dm[0].length).trim().replace(/\s+/g, ' ');
    const text = `#${word}${rest ? ' ' + rest : ''}`;
    fillTo(line - 1);
    const column = hashAt - lines.lineStart(line) + 1;
    switch (word) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const frame: ConditionFrame = { kind: word, expression: rest, text, line, opening: { kind: word, expression: rest, text, line } };
        conditionals.push({ kind: word, expression: rest, text, line, offset: hashAt, depth: groups.length, groupLine: line });
        stackAt[line] = stack;
        groups.push({ opening: frame.opening, current: frame });
        stack = groups.map((g) => g.current);
        break;
      }
      case 'elif':
      case 'else': {
        const g = groups[groups.length - 1];
        conditionals.push({
          kind: word, expression: word === 'elif' ? rest : '', text, line, offset: hashAt,
          depth: Math.max(0, groups.length - 1), groupLine: g ? g.opening.line : line,
        });
        if (g) {
          stackAt[line] = groups.slice(0, -1).map((x) => x.current);
          g.current = { kind: word, expression: word === 'elif' ? rest : '', text, line, opening: g.opening };
          stack = groups.map((x) => x.current);
        } else stackAt[line] = stack;
        break;
      }
      case 'endif': {
        const g = groups.pop();
        conditionals.push({ kind: 'endif', expression: '', text, line, offset: hashAt, depth: groups.length, groupLine: g ? g.opening.line : line });
        stack = groups.length === 0 ? EMPTY : groups.map((x) => x.current);
        stackAt[line] = stack;
        break;
      }
      case 'define': {
        stackAt[line] = stack;
        const mm = /^\s*([A-Za-z_]\w*)(\()?/.exec(joined.slice(dm[0].length));
        if (!mm) break;
        const name = mm[1]!;
        let bodyRel = dm[0].length + mm[0].length;
        let params: string[] | null = null;
        let variadic = false;
        if (mm[2]) {
          const close = joined.indexOf(')', bodyRel);
          const plist = joined.slice(bodyRel, close < 0 ? joined.length : close);
          params = plist.split(',').map((p) => p.trim()).filter((p) => p !== '');
          if (params.length && params[params.length - 1]!.endsWith('...')) {
            variadic = true;
            const last = params[params.length - 1]!.slice(0, -3).trim();
            if (last === '') params.pop();
            else params[params.length - 1] = last;
          }
          bodyRel = close < 0 ? joined.length : close + 1;
        }
        // map the joined offset back to the raw text (continuations change lengths)
        const bodyStart = hashAt + 1 + rawOffset(raw, bodyRel);
        macros.push({
          name,
          params,
          variadic,
          body: joined.slice(bodyRel).trim(),
          bodyStart,
          bodyEnd: contentEnd,
          span: { start: lines.lineStart(line), end, line, column, endLine },
          conditions: stack,
        });
        break;
      }
      case 'undef': {
        stackAt[line] = stack;
        const um = /^\s*([A-Za-z_]\w*)/.exec(rest);
        if (um) undefs.push({ name: um[1]!, line });
        break;
      }
      case 'include':
      case 'include_next': {
        stackAt[line] = stack;
        const im = /^\s*(?:<([^>]*)>|"([^"]*)")/.exec(rest);
        if (im) includes.push({ path: (im[1] ?? im[2])!, system: im[1] !== undefined, line, conditions: stack });
        break;
      }
      default:
        stackAt[line] = stack;
    }
    for (let l = line + 1; l <= endLine; l++) stackAt[l] = stack;
    filled = endLine + 1;
    blankRanges.push([hashAt, contentEnd]);
    line = endLine + 1;
    if (line > total || lines.lineStart(line) >= n) break;
  }
  fillTo(total + 1);
  stripIncludeGuard(conditionals, macros, includes, stackAt);
  let blanked = '';
  let last = 0;
  for (const [s, e] of blankRanges) {
    blanked += code.slice(last, s) + code.slice(s, e).replace(/[^\n]/g, ' ');
    last = e;
  }
  blanked += code.slice(last);
  return { conditionals, macros, undefs, includes, blanked, stackAt };
}

/** Offset in `raw` of position `joinedIdx` of `raw` with each backslash-newline replaced by one space. */
function rawOffset(raw: string, joinedIdx: number): number {
  let j = 0;
  let i = 0;
  while (i < raw.length && j < joinedIdx) {
    if (raw[i] === '\\' && raw[i + 1] === '\n') {
      i += 2;
      j += 1;
    } else if (raw[i] === '\\' && raw[i + 1] === '\r' && raw[i + 2] === '\n') {
      i += 3;
      j += 1;
    } else {
      i++;
      j++;
    }
  }
  return i;
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
