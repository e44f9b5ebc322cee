/**
 * A small C token scanner for text tree-sitter does not see as code: macro
 * bodies, and asm statements tree-sitter could not parse. Finds identifiers
 * (calls when followed by `(`) and `asm(...)` statements with their string
 * pieces.
 */
import { decodeCStrings, isCKeyword, parseStatement, skipQuoted, splitAsmStatements, type AsmSyntax, type LineMap } from './text.js';
import type { AsmInstruction, NameRef } from './types.js';

export interface RawAsm {
  start: number;
  end: number;
  pieces: Array<[number, number]>;
  extended: boolean;
}

const ASM_KEYWORDS = new Set(['asm', '__asm__', '__asm']);
const ASM_QUALIFIERS = new Set(['volatile', '__volatile__', '__volatile', 'inline', '__inline__', 'goto']);
const IDENT = /[A-Za-z_]\w*/y;

function skipSpace(code: string, i: number, end: number): number {
  while (i < end) {
    const c = code[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') i++;
    else if (c === '\\' && (code[i + 1] === '\n' || (code[i + 1] === '\r' && code[i + 2] === '\n'))) i += code[i + 1] === '\n' ? 2 : 3;
    else break;
  }
  return i;
}

/** Offset just past the parenthesis matching the one at `i`. */
export function matchParen(code: string, i: number, end: number): number {
  let depth = 0;
  for (let k = i; k < end; k++) {
    const c = code[k]!;
    if (c === '"' || c === "'") {
      k = skipQuoted(code, k) - 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return end;
}

/** Parses `asm [qualifiers] ( "..." "..." [: ...] )` with the keyword at `kw`; null if it is not one. */
export function parseAsmAt(code: string, kw: number, kwEnd: number, end: number): RawAsm | null {
  let i = skipSpace(code, kwEnd, end);
  for (;;) {
    IDENT.lastIndex = i;
    const m = IDENT.exec(code);
    if (m && ASM_QUALIFIERS.has(m[0])) {
      i = skipSpace(code, i + m[0].length, end);
      continue;
    }
    break;
  }
  if (code[i] !== '(') return null;
  const close = matchParen(code, i, end);
  const pieces: Array<[number, number]> = [];
  let extended = false;
  let k = i + 1;
  while (k < close) {
    k = skipSpace(code, k, close);
    const c = code[k];
    if (c === '"') {
      const e = skipQuoted(code, k);
      pieces.push([k + 1, e - 1]);
      k = e;
      continue;
    }
    if (c === ':') {
      extended = true;
      break;
    }
    if (c === ')' || c === undefined) break;
    IDENT.lastIndex = k;
    const m = IDENT.exec(code);
    if (m) {
      // a macro that expands to a string (ARM_SWITCH_TO_ARM, RTEMS_XSTRING(x)): its text is unknown here
      k += m[0].length;
      const after = skipSpace(code, k, close);
      if (code[after] === '(') k = matchParen(code, after, close);
      continue;
    }
    k++;
  }
  return { start: kw, end: close, pieces, extended };
}

/** Identifiers and asm statements of C text in [start, end). */
export function scanCRegion(code: string, start: number, end: number): { refs: Array<Omit<NameRef, 'line' | 'column'>>; asms: RawAsm[] } {
  const refs: Array<Omit<NameRef, 'line' | 'column'>> = [];
  const asms: RawAsm[] = [];
  const re = /[A-Za-z_]\w*|["']|\d[\w.]*/g;
  re.lastIndex = start;
  for (;;) {
    const m = re.exec(code);
    if (!m || m.index >= end) break;
    const tok = m[0];
    if (tok === '"' || tok === "'") {
      re.lastIndex = skipQuoted(code, m.index);
      continue;
    }
    const c0 = tok.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) continue;
    const tEnd = m.index + tok.length;
    if (ASM_KEYWORDS.has(tok)) {
      const a = parseAsmAt(code, m.index, tEnd, end);
      if (a) {
        asms.push(a);
        re.lastIndex = a.end;
      }
      continue;
    }
    if (isCKeyword(tok)) continue;
    // member access: not a macro use
    let p = m.index - 1;
    while (p >= start && (code[p] === ' ' || code[p] === '\t')) p--;
    if (code[p] === '.' || (code[p] === '>' && code[p - 1] === '-')) continue;
    const after = skipSpace(code, tEnd, end);
    refs.push({ name: tok, kind: code[after] === '(' ? 'call' : 'ident', offset: m.index });
  }
  return { refs, asms };
}

/** Instructions of a C asm statement (strings decoded, `%%` → `%` for extended asm). */
export function asmInstructions(
  text: string,
  raw: Pick<RawAsm, 'pieces' | 'extended'>,
  syntax: AsmSyntax,
  lines: LineMap,
  origin: AsmInstruction['origin'],
): { code: string; instructions: AsmInstruction[] } {
  const { code, offsets } = decodeCStrings(text, raw.pieces);
  return { code, instructions: statementsToInstructions(code, offsets, syntax, lines, origin, raw.extended) };
}

export function statementsToInstructions(
  code: string,
  offsets: number[],
  syntax: AsmSyntax,
  lines: LineMap,
  origin: AsmInstruction['origin'],
  extended: boolean,
): AsmInstruction[] {
  const out: AsmInstruction[] = [];
  for (const st of splitAsmStatements(code, offsets, syntax)) {
    const p = parseStatement(st.text);
    if (p.kind !== 'instruction') continue;
    const pos = lines.pos(st.offset);
    const fix = (s: string): string => (extended ? s.replace(/%%/g, '%') : s);
    out.push({
      mnemonic: p.mnemonic,
      operands: fix(p.operands),
      text: fix(p.text),
      line: pos.line,
      column: pos.column,
      offset: st.offset,
      origin,
    });
  }
  return out;
}
