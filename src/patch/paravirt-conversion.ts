/**
 * Converts the `RTEMS_PARAVIRT` conditionals of cpukit/score/cpu/<arch> (the 4.11 sparc
 * precedent of `--enable-paravirt`) before the score split, so that the score no longer
 * depends on an option:
 *
 * - an interface pair, `#if defined(RTEMS_PARAVIRT)` declaring functions and macros that call
 *   them, `#else` defining the same macros on the privileged instructions: cpukit keeps the
 *   paravirtualized branch (the macros become calls of the functions for every model); the
 *   native definitions of those functions are generated from the `#else` macros and go to
 *   libcpu/<arch>/shared/score, the `<arch>virt` score provides its own;
 * - any other conditional: `RTEMS_PARAVIRT` is evaluated as undefined (what every native
 *   build saw), the directive simplified (`defined(__leon__) && !defined(RTEMS_PARAVIRT)`
 *   becomes `defined(__leon__)`), and a dropped paravirtualized branch is named in the notes.
 *
 * A conditional the conversion cannot decide is refused with its file:line.
 */
import type { Draft } from './draft.js';
import { eolOf, lineStart } from './text-edit.js';
import { preprocess } from '../source-index/preprocessor.js';
import { LineMap, stripComments } from '../source-index/text.js';

export interface ConversionProblem {
  file: string;
  line: number;
  why: string;
}

export interface ConvertedFunction {
  /** The header that declares it, relative to the root. */
  file: string;
  name: string;
  /** Its prototype as declared in the paravirtualized branch (without `;`). */
  signature: string;
  /** The native definition (with the `#else` branch's macro it instantiates). */
  native: string;
}

export interface ConversionResult {
  functions: ConvertedFunction[];
  notes: string[];
  /** Files whose text changed. */
  changed: string[];
}

const PV = /\bRTEMS_PARAVIRT\b/;

interface Directive {
  kind: 'if' | 'ifdef' | 'ifndef' | 'elif' | 'else' | 'endif';
  expr: string;
  line: number;
  /** Offsets of the whole directive (continuation lines included) and the terminator after it. */
  start: number;
  end: number;
}

interface Group {
  open: Directive;
  branches: Directive[];
  close: Directive;
  /** Directives of the groups enclosing this one (their open directive and the branch we are in). */
  enclosing: { open: Directive; branch: Directive }[];
}

/**
 * The preprocessor conditional groups of a C or assembler file, from the source index's
 * preprocessor layer (comments, continuation lines and commented-out directives handled there).
 */
function groupsOf(text: string): Group[] {
  const out: Group[] = [];
  const stack: { open: Directive; branches: Directive[] }[] = [];
  for (const c of preprocess(stripComments(text, null), new LineMap(text)).conditionals) {
    const d: Directive = { kind: c.kind, expr: c.expression, line: c.line, start: lineStart(text, c.offset), end: logicalLineEnd(text, c.offset) };
    if (d.kind === 'if' || d.kind === 'ifdef' || d.kind === 'ifndef') stack.push({ open: d, branches: [] });
    else if (d.kind === 'endif') {
      const g = stack.pop();
      if (g) {
        const enclosing = stack.map((x) => ({ open: x.open, branch: x.branches[x.branches.length - 1] ?? x.open }));
        out.push({ open: g.open, branches: g.branches, close: d, enclosing });
      }
    } else stack[stack.length - 1]?.branches.push(d);
  }
  return out;
}

/** Just past the terminator of the logical line (backslash continuations joined) holding `offset`. */
function logicalLineEnd(text: string, offset: number): number {
  for (let nl = text.indexOf('\n', offset); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    const before = text[nl - 1] === '\r' ? nl - 2 : nl - 1;
    if (text[before] !== '\\') return nl + 1;
  }
  return text.length;
}

const DEFINED_PV = /!?\s*defined\s*(?:\(\s*RTEMS_PARAVIRT\s*\)|\s+RTEMS_PARAVIRT\b)/;

/**
 * The expression with RTEMS_PARAVIRT undefined: `true`/`false` when it is decided, the remaining
 * expression when the option was one operand of a top-level `&&` or `||`, or null when the
 * expression uses RTEMS_PARAVIRT in any other way.
 */
export function withoutParavirt(kind: 'if' | 'ifdef' | 'ifndef' | 'elif', expr: string): boolean | string | null {
  if (kind === 'ifdef') return expr === 'RTEMS_PARAVIRT' ? false : null;
  if (kind === 'ifndef') return expr === 'RTEMS_PARAVIRT' ? true : null;
  const e = stripParens(expr.trim());
  const whole = new RegExp(`^${DEFINED_PV.source}$`).exec(e);
  if (whole) return whole[0].trimStart().startsWith('!');
  for (const op of ['&&', '||'] as const) {
    const parts = splitTopLevel(e, op);
    if (parts.length < 2) continue;
    const kept: string[] = [];
    let decided: boolean | null = null;
    for (const p of parts) {
      const v = PV.test(p) ? withoutParavirt('if', p) : p;
      if (v === null) return null;
      if (typeof v === 'boolean') {
        if (op === '&&' && v === false) decided = false;
        if (op === '||' && v === true) decided = true;
        continue; // a neutral operand disappears
      }
      kept.push(v);
    }
    if (decided !== null) return decided;
    if (kept.length === 0) return op === '&&';
    return kept.join(` ${op} `);
  }
  return PV.test(e) ? null : e;
}

function stripParens(e: string): string {
  while (e.startsWith('(') && e.endsWith(')') && balanced(e.slice(1, -1))) e = e.slice(1, -1).trim();
  return e;
}

function balanced(e: string): boolean {
  let d = 0;
  for (const c of e) {
    if (c === '(') d++;
    else if (c === ')' && --d < 0) return false;
  }
  return d === 0;
}

function splitTopLevel(e: string, op: '&&' | '||'): string[] {
  const out: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && e.startsWith(op, i)) {
      out.push(e.slice(last, i).trim());
      last = i + op.length;
      i += op.length - 1;
    }
  }
  out.push(e.slice(last).trim());
  return out;
}

interface MacroDef {
  name: string;
  params: string[];
  body: string;
  /** The whole definition, continuation lines included. */
  text: string;
}

function macrosIn(text: string): MacroDef[] {
  const out: MacroDef[] = [];
  const re = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^)]*)\)((?:[^\n]*\\\r?\n)*[^\n]*)(?:\r?\n|$)/gm;
  for (const m of text.matchAll(re)) {
    out.push({ name: m[1]!, params: m[2]!.split(',').map((p) => p.trim()).filter(Boolean), body: m[3]!.replace(/\\\r?\n/g, ' ').trim(), text: m[0] });
  }
  return out;
}

function prototypesIn(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, ' ');
  for (const m of noComments.matchAll(/^[ \t]*((?:[A-Za-z_]\w*[ \t*]+)+?)([A-Za-z_]\w*)[ \t]*\(([^()]*)\)[ \t]*;/gm)) {
    if (/^\s*(return|if|while|for|switch)\b/.test(m[1]!)) continue;
    out.set(m[2]!, `${m[1]!.trim()} ${m[2]!}( ${m[3]!.trim() || 'void'} )`.replace(/\s+/g, ' ').replace(/\* /g, '*'));
  }
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The native definition of one paravirtualized-branch function, or why there is none. */
function nativeOf(fn: string, signature: string, pv: MacroDef, native: MacroDef, eol: string): string | { why: string } {
  const p = pv.params;
  if (native.params.length !== p.length) return { why: `${pv.name} takes ${p.length} parameter(s) in one branch and ${native.params.length} in the other` };
  const ret = signature.slice(0, signature.indexOf(` ${fn}(`)).trim();
  const params = /\(([^()]*)\)\s*$/.exec(signature)![1]!.trim();
  const paramNames = params === 'void' ? [] : params.split(',').map((x) => /([A-Za-z_]\w*)\s*$/.exec(x.trim())?.[1] ?? '');
  const arg = (x: string) => `\\(*\\s*${escapeRe(x)}\\s*\\)*`;
  const head = [`#undef ${pv.name}`, native.text.replace(/\r?\n$/, ''), signature, '{'];
  if (p.length === 1 && paramNames.length === 0 && ret !== 'void' && new RegExp(`^\\(*\\s*${escapeRe(p[0]!)}\\s*\\)*\\s*=\\s*${escapeRe(fn)}\\s*\\(\\s*\\)\\s*;?$`).test(pv.body)) {
    // `(x) = F()`: a getter
    return [...head, `  ${ret} value = 0;`, '', `  ${pv.name}( value );`, '  return value;', '}', '', ''].join(eol);
  }
  if (paramNames.length === p.length && ret === 'void' && new RegExp(`^${escapeRe(fn)}\\s*\\(\\s*${p.map(arg).join('\\s*,\\s*')}\\s*\\)\\s*;?$`).test(pv.body)) {
    // `F( x )`: a setter (the native macro may write its argument: it gets a copy)
    return [...head, `  ${pv.name}( ${paramNames.join(', ')} );`, '}', '', ''].join(eol);
  }
  return { why: `${pv.name} is \`${pv.body}\`: only \`(x) = ${fn}()\` and \`${fn}( x )\` are converted` };
}

/**
 * Converts every RTEMS_PARAVIRT conditional of the given files in the draft; returns the
 * problems instead when one cannot be converted (nothing is changed then).
 */
export function convertParavirt(draft: Draft, arch: string, files: string[]): ConversionResult | { problems: ConversionProblem[] } {
  const result: ConversionResult = { functions: [], notes: [], changed: [] };
  const problems: ConversionProblem[] = [];
  const writes = new Map<string, string>();
  for (const file of files) {
    const text = draft.read(file);
    if (text === undefined || !PV.test(text)) continue;
    const eol = eolOf(text);
    const edits: { start: number; end: number; replacement: string }[] = [];
    for (const g of groupsOf(text)) {
      const all = [g.open, ...g.branches];
      if (!all.some((d) => PV.test(d.expr))) continue;
      if (g.branches.some((b) => b.kind === 'elif' && PV.test(b.expr))) {
        problems.push({ file, line: g.branches.find((b) => PV.test(b.expr))!.line, why: 'RTEMS_PARAVIRT in an #elif: convert it by hand' });
        continue;
      }
      const isPair =
        (g.open.kind === 'ifdef' && g.open.expr === 'RTEMS_PARAVIRT') || (g.open.kind === 'if' && /^\(?\s*defined\s*\(?\s*RTEMS_PARAVIRT\s*\)?\s*\)?$/.test(g.open.expr));
      const elseD = g.branches.find((b) => b.kind === 'else');
      if (isPair && elseD && g.branches.length === 1) {
        const pvText = text.slice(g.open.end, elseD.start);
        const nativeText = text.slice(elseD.end, g.close.start);
        const pvMacros = macrosIn(pvText);
        const nativeMacros = new Map(macrosIn(nativeText).map((m) => [m.name, m]));
        const protos = prototypesIn(pvText);
        const converted: ConvertedFunction[] = [];
        let ok = pvMacros.length > 0;
        for (const m of pvMacros) {
          const fn = [...protos.keys()].find((f) => new RegExp(`\\b${escapeRe(f)}\\s*\\(`).test(m.body));
          const nat = nativeMacros.get(m.name);
          if (!fn || !nat) {
            ok = false;
            break;
          }
          const native = nativeOf(fn, protos.get(fn)!, m, nat, eol);
          if (typeof native !== 'string') {
            // not an interface this conversion understands: the group is treated like any other below
            result.notes.push(`${file}:${g.open.line}: the RTEMS_PARAVIRT branch is not kept as the interface (${native.why}); the native branch is split as usual`);
            ok = false;
            break;
          }
          converted.push({ file, name: fn, signature: protos.get(fn)!, native: wrapEnclosing(g, native, eol) });
        }
        if (ok) {
          // the branch without its directives, and without the blank lines that framed them
          let kept = pvText.replace(/^[ \t]*\r?\n/, '');
          if (/^[ \t]*\r?\n/.test(text.slice(g.close.end))) kept = kept.replace(/\r?\n[ \t]*\r?\n$/, eol);
          edits.push({ start: g.open.start, end: elseD.start, replacement: kept });
          edits.push({ start: elseD.start, end: g.close.end, replacement: '' });
          result.functions.push(...converted);
          continue;
        }
      }
      // evaluate RTEMS_PARAVIRT as undefined
      const v = withoutParavirt(g.open.kind as 'if' | 'ifdef' | 'ifndef', g.open.expr);
      if (v === null) {
        problems.push({ file, line: g.open.line, why: `\`#${g.open.kind} ${g.open.expr}\` uses RTEMS_PARAVIRT in a way the conversion cannot decide` });
        continue;
      }
      const next = g.branches[0] ?? g.close;
      const lead = (d: Directive) => /^\s*#\s*/.exec(text.slice(d.start, d.end))?.[0].replace(/^\r?\n/, '') ?? '#';
      if (typeof v === 'string') {
        edits.push({ start: g.open.start, end: g.open.end, replacement: `${lead(g.open)}if ${v}${eol}` });
      } else if (v) {
        // the first branch is what native builds compiled: keep it, drop the others
        edits.push({ start: g.open.start, end: g.open.end, replacement: '' });
        edits.push({ start: next.start, end: g.close.end, replacement: '' });
        if (next !== g.close) result.notes.push(`${file}:${next.line}: dropped the branch native builds did not compile (RTEMS_PARAVIRT defined)`);
      } else {
        const dropped = text.slice(g.open.end, next.start);
        if (next.kind === 'elif') edits.push({ start: g.open.start, end: next.end, replacement: `${lead(next)}if ${next.expr}${eol}` });
        else if (next.kind === 'else') {
          edits.push({ start: g.open.start, end: next.end, replacement: '' });
          edits.push({ start: g.close.start, end: g.close.end, replacement: '' });
        } else edits.push({ start: g.open.start, end: g.close.end, replacement: '' });
        if (dropped.trim() !== '') {
          result.notes.push(`${file}:${g.open.line}: dropped the RTEMS_PARAVIRT branch (lines ${g.open.line}-${next.line}); the ${arch}virt score provides the paravirtualized code`);
        }
      }
    }
    if (edits.length === 0) continue;
    // nested groups can both be edited only when their edits do not overlap
    edits.sort((a, b) => b.start - a.start);
    for (let i = 1; i < edits.length; i++) {
      if (edits[i]!.end > edits[i - 1]!.start) {
        problems.push({ file, line: text.slice(0, edits[i]!.start).split('\n').length, why: 'nested RTEMS_PARAVIRT conditionals: convert them by hand' });
        break;
      }
    }
    let t = text;
    for (const e of edits) t = t.slice(0, e.start) + e.replacement + t.slice(e.end);
    writes.set(file, t);
  }
  if (problems.length > 0) return { problems: problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)) };
  for (const [f, t] of writes) {
    draft.write(f, t);
    result.changed.push(f);
  }
  return result;
}

/** The native definition inside the conditionals that enclosed the pair (include guards and ASM tests left out). */
function wrapEnclosing(g: Group, body: string, eol: string): string {
  let open = '';
  let close = '';
  for (const { open: o, branch } of g.enclosing) {
    if (/\bASM\b/.test(o.expr) || /^_?_?[A-Z0-9_]*_H_*$/.test(o.expr) || /^!\s*defined\s*\(?\s*_?_?[A-Z0-9_]*_H_*\s*\)?$/.test(o.expr)) continue;
    const cond = o.kind === 'ifdef' ? `defined(${o.expr})` : o.kind === 'ifndef' ? `!defined(${o.expr})` : o.expr;
    open += branch === o ? `#if ${cond}${eol}` : branch.kind === 'else' ? `#if !(${cond})${eol}` : `#if ${branch.expr}${eol}`;
    close = `#endif${eol}` + close;
  }
  return open + body + close;
}
