/**
 * Text utilities shared by the C and assembler scanners: offset → line and
 * column, comment stripping that keeps every offset in place, and the
 * splitting of assembler text into statements.
 */

export interface AsmSyntax {
  lineComment: string[];
  lineStartComment: string[];
  separators: string[];
}

export class LineMap {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  /** 1-based line of an offset. */
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }
  /** Offset just past the newline of a 1-based line (or the end of the text). */
  lineEnd(line: number): number {
    return this.starts[line] ?? this.text.length;
  }
  pos(offset: number): { line: number; column: number } {
    const line = this.line(offset);
    return { line, column: offset - this.starts[line - 1]! + 1 };
  }
}

const DIRECTIVE_WORD = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|define|undef|include|include_next|error|warning|pragma|line|ident|sccs|assert|unassert|\d|$)/;

/**
 * Replaces comments by spaces (newlines kept), so offsets do not move.
 * C comments always; for assembler also the architecture's line comments,
 * except on preprocessor directive lines (a `#` that starts a directive is
 * cpp's, not a comment). String literals are kept as they are.
 */
export function stripComments(text: string, asm: AsmSyntax | null): string {
  const n = text.length;
  const ranges: Array<[number, number]> = [];
  // C needs no line structure (only comments and literals); assembler does (line comments, directive lines)
  const special = new Set<string>(asm === null ? ['/', '"', "'"] : ['\n', '/', '"', ...asm.lineComment]);
  const esc = [...special].map((c) => (c === '\n' ? '\\n' : c.replace(/[\\\]\[^$.|?*+(){}\/-]/g, '\\$&'))).join('');
  const re = new RegExp(`[${esc}]`, 'g');
  let inDirective = false;
  const lineEndOf = (i: number): number => {
    const e = text.indexOf('\n', i);
    return e < 0 ? n : e;
  };
  // handles the start of the line beginning at `i`; returns the offset to continue from
  const lineStart = (i: number): number => {
    let k = i;
    while (k < n && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
    const c = text[k];
    if (c === '#') {
      if (asm === null || DIRECTIVE_WORD.test(text.slice(k, Math.min(n, k + 40)))) {
        inDirective = true;
        return k + 1;
      }
      const e = lineEndOf(k);
      ranges.push([k, e]);
      return e;
    }
    if (asm && c !== undefined && asm.lineStartComment.includes(c)) {
      const e = lineEndOf(k);
      ranges.push([k, e]);
      return e;
    }
    return k;
  };
  let i = asm === null ? 0 : lineStart(0);
  while (i < n) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) break;
    i = m.index;
    const c = text[i]!;
    if (c === '\n') {
      let k = i - 1;
      if (text[k] === '\r') k--;
      if (!(inDirective && text[k] === '\\')) inDirective = false;
      i = inDirective ? i + 1 : lineStart(i + 1);
      continue;
    }
    if (c === '/') {
      if (text[i + 1] === '*') {
        const e = text.indexOf('*/', i + 2);
        const end = e < 0 ? n : e + 2;
        ranges.push([i, end]);
        i = end;
        continue;
      }
      if (text[i + 1] === '/') {
        let e = i;
        for (;;) {
          const nl = text.indexOf('\n', e);
          if (nl < 0) {
            e = n;
            break;
          }
          let k = nl - 1;
          if (text[k] === '\r') k--;
          if (text[k] === '\\') {
            e = nl + 1;
            continue;
          }
          e = nl;
          break;
        }
        ranges.push([i, e]);
        i = e;
        continue;
      }
      if (!(asm && asm.lineComment.includes('/'))) {
        i++;
        continue;
      }
    }
    if (c === '"' || (c === "'" && asm === null)) {
      i = skipQuoted(text, i);
      continue;
    }
    if (asm && !inDirective && asm.lineComment.includes(c)) {
      const e = lineEndOf(i);
      ranges.push([i, e]);
      i = e;
      continue;
    }
    i++;
  }
  return blankRanges(text, ranges);
}

const WIDE = /[^\x00-\xff]/;
let scratch = Buffer.allocUnsafe(1 << 16);

/** `text` with every character of the given [start, end) ranges except newlines replaced by a space. */
export function blankRanges(text: string, ranges: Array<[number, number]> | number[]): string {
  if (ranges.length === 0) return text;
  if (typeof ranges[0] === 'number') {
    const flat = ranges as number[];
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    ranges = pairs;
  }
  const list = ranges as Array<[number, number]>;
  if (!WIDE.test(text)) {
    // one scratch buffer for the process: a fresh Buffer per file is external memory that drives the GC
    if (scratch.length < text.length) scratch = Buffer.allocUnsafe(Math.max(text.length, scratch.length * 2));
    const buf = scratch;
    buf.write(text, 0, 'latin1');
    for (const [s, e] of list) {
      for (let k = s; k < e; k++) if (buf[k] !== 10) buf[k] = 32;
    }
    return buf.toString('latin1', 0, text.length);
  }
  const parts: string[] = [];
  let last = 0;
  for (const [s, e] of list) {
    parts.push(text.slice(last, s), text.slice(s, e).replace(/[^\n]/g, ' '));
    last = e;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Offset just past a quoted literal starting at `i` (stops at an unescaped newline). */
export function skipQuoted(text: string, i: number): number {
  const q = text[i];
  let k = i + 1;
  while (k < text.length) {
    const ch = text[k]!;
    if (ch === '\\') {
      k += 2;
      continue;
    }
    if (ch === q) return k + 1;
    if (ch === '\n') return k;
    k++;
  }
  return k;
}

/**
 * Decodes the contents of C string literals. `pieces` are [start, end)
 * offsets of the text between the quotes; the result maps every decoded
 * character back to the offset it came from.
 */
export function decodeCStrings(text: string, pieces: Array<[number, number]>): { code: string; offsets: number[] } {
  let code = '';
  const offsets: number[] = [];
  for (const [s, e] of pieces) {
    for (let i = s; i < e; ) {
      const c = text[i]!;
      if (c !== '\\') {
        code += c;
        offsets.push(i);
        i++;
        continue;
      }
      const d = text[i + 1] ?? '';
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '?': '?' };
      if (d === '\n') {
        i += 2;
        continue;
      }
      if (d in simple) {
        code += simple[d];
        offsets.push(i);
        i += 2;
        continue;
      }
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
      if (oct) {
        code += String.fromCharCode(parseInt(oct[0], 8));
        offsets.push(i);
        i += 1 + oct[0].length;
        continue;
      }
      const hex = /^x[0-9a-fA-F]+/.exec(text.slice(i + 1, i + 12));
      if (hex) {
        code += String.fromCharCode(parseInt(hex[0].slice(1), 16) & 0xff);
        offsets.push(i);
        i += 1 + hex[0].length;
        continue;
      }
      code += d;
      offsets.push(i);
      i += 2;
    }
    // adjacent literals concatenate without a separator
  }
  return { code, offsets };
}

export interface RawStatement {
  text: string;
  /** Offset in the source of the statement's first character. */
  offset: number;
}

const X86_PREFIXES = new Set(['lock', 'rep', 'repe', 'repz', 'repne', 'repnz', 'data16', 'data32', 'addr16', 'addr32']);

/**
 * Splits assembler text (a decoded asm string or a line of a .S file) into
 * statements: newlines and the architecture's separators split, its comment
 * characters end a statement's text. `offsets[i]` is the source offset of
 * `code[i]`.
 */
export function splitAsmStatements(code: string, offsets: number[] | number, syntax: AsmSyntax): RawStatement[] {
  const at = (k: number): number => (typeof offsets === 'number' ? offsets + k : (offsets[k] ?? 0));
  const out: RawStatement[] = [];
  let start = 0;
  let inComment = false;
  let atStart = true;
  const flush = (end: number): void => {
    let s = start;
    while (s < end && /\s/.test(code[s]!)) s++;
    let e = end;
    while (e > s && /\s/.test(code[e - 1]!)) e--;
    if (e > s) out.push({ text: code.slice(s, e), offset: at(s) });
  };
  let commentAt = -1;
  for (let i = 0; i <= code.length; i++) {
    const c = i < code.length ? code[i]! : '\n';
    if (c === '\n') {
      flush(inComment ? commentAt : i);
      start = i + 1;
      inComment = false;
      atStart = true;
      continue;
    }
    if (inComment) continue;
    if (c === '"') {
      const e = skipQuoted(code, i);
      i = e - 1;
      atStart = false;
      continue;
    }
    if (atStart && !/\s/.test(c) && syntax.lineStartComment.includes(c)) {
      inComment = true;
      commentAt = i;
      continue;
    }
    if (syntax.lineComment.includes(c)) {
      inComment = true;
      commentAt = i;
      continue;
    }
    if (syntax.separators.includes(c)) {
      flush(i);
      start = i + 1;
      atStart = true;
      continue;
    }
    if (!/\s/.test(c)) atStart = false;
  }
  return out;
}

export interface ParsedStatement {
  labels: string[];
  /** `.globl`-like directive or plain instruction; empty when the statement was only labels. */
  kind: 'instruction' | 'directive' | 'empty';
  mnemonic: string;
  /** The mnemonic as written (case kept) for macro lookup. */
  name: string;
  operands: string;
  /** Text from the mnemonic on. */
  text: string;
  /** Index into the statement text where the mnemonic starts. */
  at: number;
}

const LABEL = /^\s*(?:(?:SYM|PROC)\s*\(\s*([A-Za-z_.$][\w.$]*)\s*\)|([A-Za-z_.$][\w.$]*|\d+))\s*:(?![:=])/;
const MNEMONIC = /^[A-Za-z_.$][\w.$]*/;

/** Splits labels, the mnemonic and the operands of one statement. */
export function parseStatement(text: string): ParsedStatement {
  const labels: string[] = [];
  let rest = text;
  let at = 0;
  for (;;) {
    const m = LABEL.exec(rest);
    if (!m) break;
    labels.push(m[1] ?? m[2]!);
    at += m[0].length;
    rest = rest.slice(m[0].length);
  }
  const lead = rest.length - rest.trimStart().length;
  at += lead;
  rest = rest.trimStart();
  if (rest === '') return { labels, kind: 'empty', mnemonic: '', name: '', operands: '', text: '', at };
  const m = MNEMONIC.exec(rest);
  if (!m) return { labels, kind: 'directive', mnemonic: '', name: '', operands: rest, text: rest, at };
  let name = m[0];
  let ops = rest.slice(name.length).trim();
  if (X86_PREFIXES.has(name.toLowerCase())) {
    const m2 = MNEMONIC.exec(ops);
    if (m2) {
      name = m2[0];
      ops = ops.slice(name.length).trim();
    }
  }
  const kind = name.startsWith('.') ? 'directive' : 'instruction';
  return { labels, kind, mnemonic: name.toLowerCase(), name, operands: ops, text: rest, at };
}

const C_KEYWORDS = new Set([
  'if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default', 'return', 'sizeof', 'typeof', '__typeof__',
  'goto', 'break', 'continue', 'struct', 'union', 'enum', 'typedef', 'static', 'extern', 'inline', 'const',
  'volatile', 'register', 'auto', 'unsigned', 'signed', 'int', 'char', 'short', 'long', 'void', 'float', 'double',
  '__attribute__', '__extension__', 'asm', '__asm__', '__asm', '__volatile__', '__volatile', '__inline__', '__inline',
  'defined', '_Bool', '__builtin_expect', 'restrict', '__restrict', '__restrict__', 'alignof', '_Alignof', '__alignof__',
]);

export function isCKeyword(s: string): boolean {
  return C_KEYWORDS.has(s);
}
