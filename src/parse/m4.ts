/**
 * Lossless parser for m4 as autoconf uses it (`configure.ac`, `acinclude.m4`,
 * `aclocal/*.m4`): `[`/`]` quotes (nested), `#` comments to end of line,
 * `dnl`, and macro calls with their arguments collected the way m4 collects
 * them (leading whitespace dropped, commas and parentheses counted only
 * outside quotes and comments). Shell text between calls is kept verbatim.
 *
 * We do not expand macros: a word is taken as a macro call when it has the
 * shape of an autoconf/automake/RTEMS macro name (`AC_…`, `AM_…`, `RTEMS_…`,
 * `_RTEMS_…`, `m4_…`, `AS_…`) or is in `extraMacros`, and is followed
 * immediately by `(`, which is how every call in these files is written.
 */
import { assertLossless, SourceError } from './source-error.js';

export interface M4Arg {
  /** Exact source text of the argument, leading whitespace excluded. */
  raw: string;
  /** The argument with one level of quotes removed and `dnl` comments dropped. */
  value: string;
  /** Line where the argument's text starts. */
  line: number;
  /** Offset of `raw` in the document text. */
  offset: number;
}

export interface M4Call {
  name: string;
  args: M4Arg[];
  file: string;
  line: number;
  endLine: number;
  /** Offsets of the call (name to closing parenthesis) in the document text. */
  start: number;
  end: number;
  /** Calls written directly (unquoted) inside the arguments. */
  nested: M4Call[];
}

export type M4Node =
  | { kind: 'text'; raw: string }
  | { kind: 'quote'; raw: string; line: number }
  | { kind: 'comment'; raw: string; line: number }
  | { kind: 'dnl'; raw: string; line: number }
  | { kind: 'call'; raw: string; call: M4Call };

export interface M4Options {
  /** Extra macro names to recognise as calls (e.g. macros the tree defines). */
  extraMacros?: Iterable<string>;
  /** Line number of the first character (for text cut out of a larger file). */
  firstLine?: number;
}

const MACRO_SHAPE = /^(?:_*[A-Z][A-Z0-9]*_[A-Za-z0-9_]*|m4_[A-Za-z0-9_]+|_?AS_[A-Za-z0-9_]+)$/;

export class M4Document {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly nodes: M4Node[],
  ) {}

  print(): string {
    let s = '';
    for (const n of this.nodes) s += n.raw;
    return s;
  }

  /** Top-level calls and the calls nested unquoted in their arguments, in source order. */
  calls(name?: string | RegExp): M4Call[] {
    const out: M4Call[] = [];
    const visit = (c: M4Call) => {
      if (matches(c.name, name)) out.push(c);
      c.nested.forEach(visit);
    };
    for (const n of this.nodes) if (n.kind === 'call') visit(n.call);
    return out;
  }

  /**
   * Like `calls`, but also looks inside quoted arguments (macro bodies such as
   * `AC_DEFUN([X],[ … AC_CONFIG_SUBDIRS([pc386]) … ])`) by reading each quoted
   * argument's value as m4 again. Bodies that are not themselves well-formed
   * m4 (regular expressions, shell code with unbalanced brackets) are skipped.
   */
  deepCalls(name?: string | RegExp): M4Call[] {
    // every deep call, found once per document; a name filters them (a stable sort keeps the order)
    this.allDeepCalls ??= this.findDeepCalls();
    return this.allDeepCalls.filter((c) => matches(c.name, name));
  }

  private allDeepCalls: M4Call[] | undefined;

  private findDeepCalls(): M4Call[] {
    const out: M4Call[] = [];
    const visit = (c: M4Call, depth: number) => {
      out.push(c);
      c.nested.forEach((n) => visit(n, depth));
      if (depth > 8) return;
      for (const a of c.args) {
        if (!a.raw.includes('[')) continue;
        let inner: M4Document;
        try {
          inner = parseM4(a.value, this.file, { firstLine: a.line });
        } catch {
          continue;
        }
        for (const n of inner.nodes) if (n.kind === 'call') visit(n.call, depth + 1);
      }
    };
    for (const n of this.nodes) if (n.kind === 'call') visit(n.call, 0);
    return out.sort((a, b) => a.line - b.line);
  }
}

function matches(n: string, name: string | RegExp | undefined): boolean {
  if (name === undefined) return true;
  return typeof name === 'string' ? n === name : name.test(n);
}

export function parseM4(text: string, file = '<input>', options: M4Options = {}): M4Document {
  const extra = new Set(options.extraMacros ?? []);
  const isMacro = (w: string) => MACRO_SHAPE.test(w) || extra.has(w);
  const firstLine = options.firstLine ?? 1;
  let pos = 0;
  let line = firstLine;

  const advance = (to: number) => {
    for (let i = pos; i < to; i++) if (text.charCodeAt(i) === 10) line++;
    pos = to;
  };

  /** End offset (exclusive) of the quoted string starting at `start` (which is `[`). */
  const quoteEnd = (start: number, startLine: number): number => {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '[') depth++;
      else if (c === ']' && --depth === 0) return i + 1;
    }
    throw new SourceError(file, startLine, 'unterminated quoted string: this `[` is never closed', {
      hint: 'add the matching `]` (m4 quotes nest)',
    });
  };
  const lineEnd = (start: number) => {
    const nl = text.indexOf('\n', start);
    return nl < 0 ? text.length : nl;
  };
  const wordEnd = (start: number) => {
    let i = start;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
    return i;
  };
  const isDnlAt = (i: number) =>
    text.startsWith('dnl', i) && !/[A-Za-z0-9_]/.test(text[i + 3] ?? '') && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '');

  /** Parses a call whose name spans [start, nameEnd) and whose `(` is at nameEnd. */
  const parseCall = (start: number, nameEnd: number): M4Call => {
    const name = text.slice(start, nameEnd);
    const callLine = line;
    advance(nameEnd + 1);
    const args: M4Arg[] = [];
    const nested: M4Call[] = [];
    for (;;) {
      // m4 drops unquoted leading whitespace of each argument
      while (pos < text.length && /\s/.test(text[pos]!)) advance(pos + 1);
      const argStart = pos;
      const argLine = line;
      let value = '';
      let depth = 0;
      for (;;) {
        if (pos >= text.length) {
          throw new SourceError(file, callLine, `unterminated call of ${name}: the \`(\` is never closed`, {
            hint: 'add the missing `)` or quote a `(` that is text',
          });
        }
        const c = text[pos]!;
        if (c === '[') {
          const end = quoteEnd(pos, line);
          value += text.slice(pos + 1, end - 1);
          advance(end);
        } else if (c === '#') {
          const end = lineEnd(pos);
          value += text.slice(pos, end);
          advance(end);
        } else if (c === '(') {
          depth++;
          value += c;
          advance(pos + 1);
        } else if (c === ')' && depth > 0) {
          depth--;
          value += c;
          advance(pos + 1);
        } else if ((c === ')' || c === ',') && depth === 0) {
          args.push({ raw: text.slice(argStart, pos), value, line: argLine, offset: argStart });
          advance(pos + 1);
          if (c === ')') {
            return { name, args, file, line: callLine, endLine: line, start, end: pos, nested };
          }
          break;
        } else if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_]/.test(text[pos - 1] ?? '')) {
          const we = wordEnd(pos);
          const w = text.slice(pos, we);
          if (w === 'dnl') {
            const end = Math.min(lineEnd(pos) + 1, text.length);
            advance(end);
          } else if (text[we] === '(' && isMacro(w) && text[pos - 1] !== '$') {
            const s = pos;
            const inner = parseCall(pos, we);
            nested.push(inner);
            value += text.slice(s, inner.end);
          } else {
            value += w;
            advance(we);
          }
        } else {
          value += c;
          advance(pos + 1);
        }
      }
    }
  };

  const nodes: M4Node[] = [];
  let textStart = 0;
  const flushText = (upTo: number) => {
    if (upTo > textStart) nodes.push({ kind: 'text', raw: text.slice(textStart, upTo) });
  };
  while (pos < text.length) {
    const c = text[pos]!;
    if (c === '[') {
      flushText(pos);
      const s = pos;
      const l = line;
      advance(quoteEnd(pos, line));
      nodes.push({ kind: 'quote', raw: text.slice(s, pos), line: l });
      textStart = pos;
    } else if (c === '#') {
      flushText(pos);
      const s = pos;
      const l = line;
      advance(lineEnd(pos));
      nodes.push({ kind: 'comment', raw: text.slice(s, pos), line: l });
      textStart = pos;
    } else if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_]/.test(text[pos - 1] ?? '')) {
      const we = wordEnd(pos);
      if (isDnlAt(pos)) {
        flushText(pos);
        const s = pos;
        const l = line;
        advance(Math.min(lineEnd(pos) + 1, text.length));
        nodes.push({ kind: 'dnl', raw: text.slice(s, pos), line: l });
        textStart = pos;
      } else if (text[we] === '(' && isMacro(text.slice(pos, we)) && text[pos - 1] !== '$') {
        flushText(pos);
        const s = pos;
        const call = parseCall(pos, we);
        nodes.push({ kind: 'call', raw: text.slice(s, call.end), call });
        textStart = pos;
      } else {
        advance(we);
      }
    } else if (c === ']') {
      // an unbalanced close quote is text to m4; keep it as such
      advance(pos + 1);
    } else {
      advance(pos + 1);
    }
  }
  flushText(pos);
  const doc = new M4Document(file, text, nodes);
  const cq = nodes.find((n) => n.kind === 'text' && /(?:^|[^A-Za-z0-9_])(?:m4_)?changequote(?![A-Za-z0-9_])/.test(n.raw));
  if (cq) {
    const at = text.indexOf(cq.raw) + cq.raw.search(/changequote/);
    const l = text.slice(0, at).split('\n').length + firstLine - 1;
    throw new SourceError(file, l, 'changequote is not supported: quoting can no longer be read exactly', {
      hint: 'this file cannot be modelled; no RTEMS tree of the autoconf era uses changequote',
    });
  }
  assertLossless(file, text, doc.print());
  return doc;
}
