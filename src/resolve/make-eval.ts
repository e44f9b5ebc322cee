/**
 * Evaluates make/custom cfg files with GNU make's semantics, as `c/src/configure`
 * does when it runs make over the BSP's copied cfg chain to read back
 * `RTEMS_CPU_MODEL`, `CPU_CFLAGS` and `CFLAGS_OPTIMIZE_V`.
 *
 * Read-time semantics only (no rules are run): recursive and simple variables,
 * `=`, `:=`, `::=`, `?=`, `+=`, `override`, command-line variables, `define`,
 * conditionals, `include`, and the text functions. Whatever needs the shell or
 * the file system (`$(shell)`, `$(wildcard)`, `!=`) becomes an Unknown, and so
 * does every value computed from it.
 */
import type { MakeCfgDocument, MakeNode, ConditionalTest } from '../parse/make-cfg.js';
import type { Unknown } from './unknown.js';

export type Origin = 'command line' | 'file' | 'override' | 'environment';

export interface MakeVariable {
  name: string;
  flavor: 'recursive' | 'simple';
  value: string;
  origin: Origin;
  file?: string;
  line?: number;
  /** Set when the value depends on something that could not be evaluated. */
  unknown?: Unknown;
}

export type IncludeLoader = (path: string, from: { file: string; line: number }) => MakeCfgDocument | undefined;

interface Ctx {
  file: string;
  line: number;
  taint: Unknown[];
  depth: number;
}

export class MakeEvaluator {
  readonly vars = new Map<string, MakeVariable>();
  readonly unknowns: Unknown[] = [];

  constructor(
    commandLine: Record<string, string>,
    private readonly loadInclude: IncludeLoader,
  ) {
    for (const [name, value] of Object.entries(commandLine)) {
      this.vars.set(name, { name, flavor: 'recursive', value, origin: 'command line' });
    }
  }

  /** Reads a makefile as `make -f` or `include` would. */
  read(doc: MakeCfgDocument): void {
    // each entry: is this branch being read, has any branch of the chain been taken, taint of the tests
    const stack: { reading: boolean; taken: boolean; parentReading: boolean; taint: Unknown[] }[] = [];
    const reading = () => stack.every((s) => s.reading);
    const conditionalTaint = () => stack.flatMap((s) => s.taint);

    for (const node of doc.nodes) {
      const ctx: Ctx = { file: doc.file, line: node.line, taint: [], depth: 0 };
      switch (node.kind) {
        case 'if': {
          const parentReading = reading();
          const result = parentReading ? this.test(node.test, ctx) : false;
          stack.push({ reading: result, taken: result, parentReading, taint: this.noteTaint(ctx, 'this conditional') });
          break;
        }
        case 'else': {
          const top = stack[stack.length - 1]!;
          if (top.taken || !top.parentReading) {
            top.reading = false;
          } else if (node.test) {
            const result = this.test(node.test, ctx);
            top.taint.push(...this.noteTaint(ctx, 'this conditional'));
            top.reading = result;
            top.taken = result;
          } else {
            top.reading = true;
            top.taken = true;
          }
          break;
        }
        case 'endif':
          stack.pop();
          break;
        default:
          if (reading()) this.readLine(node, ctx, conditionalTaint());
      }
    }
  }

  private noteTaint(ctx: Ctx, what: string): Unknown[] {
    if (ctx.taint.length === 0) return [];
    const u: Unknown = { file: ctx.file, line: ctx.line, why: `${what} depends on a value that cannot be evaluated: ${ctx.taint[0]!.why}` };
    this.unknowns.push(u);
    return [u];
  }

  private readLine(node: MakeNode, ctx: Ctx, condTaint: Unknown[]): void {
    switch (node.kind) {
      case 'assign':
        this.assign(node.name, node.op, node.value, node.override, ctx, condTaint);
        break;
      case 'define':
        this.assign(node.name, node.op === '=' ? '=' : node.op, node.body, node.override, ctx, condTaint);
        break;
      case 'include': {
        const paths = this.expand(node.paths, ctx).split(/\s+/).filter(Boolean);
        for (const p of paths) {
          const doc = this.loadInclude(p, { file: ctx.file, line: ctx.line });
          if (doc) this.read(doc);
          else if (!node.optional) {
            this.unknowns.push({ file: ctx.file, line: ctx.line, why: `make cannot find the included file ${p}` });
          }
        }
        break;
      }
      case 'other':
        this.unknowns.push({ file: ctx.file, line: ctx.line, why: `make would stop here: "missing separator" in \`${node.text}\`` });
        break;
      default:
        break; // rules, recipes, comments, export lists: nothing to read
    }
  }

  private assign(name0: string, op: string, value: string, override: boolean, ctx: Ctx, condTaint: Unknown[]): void {
    const name = this.expand(name0, ctx).trim();
    const old = this.vars.get(name);
    if (old && (old.origin === 'command line' || old.origin === 'override') && !override) return;
    const origin: Origin = override ? 'override' : 'file';
    const at = { file: ctx.file, line: ctx.line };
    let next: MakeVariable;
    switch (op) {
      case '=':
        next = { name, flavor: 'recursive', value, origin, ...at };
        break;
      case ':=':
      case '::=':
        next = { name, flavor: 'simple', value: this.expand(value, ctx), origin, ...at };
        break;
      case '?=':
        if (old) return;
        next = { name, flavor: 'recursive', value, origin, ...at };
        break;
      case '+=': {
        if (!old) {
          next = { name, flavor: 'recursive', value, origin, ...at };
          break;
        }
        const add = old.flavor === 'simple' ? this.expand(value, ctx) : value;
        // GNU make: appending nothing leaves the variable as it was; no blank before the first word
        if (add === '' && ctx.taint.length === 0) return;
        next = { ...old, value: old.value === '' ? add : `${old.value} ${add}`, origin: override ? 'override' : old.origin, ...at };
        break;
      }
      default: // '!=' runs the shell
        ctx.taint.push({ file: ctx.file, line: ctx.line, why: `\`${name} != …\` runs a shell command` });
        next = { name, flavor: 'simple', value: '', origin, ...at };
    }
    const taint = [...condTaint, ...ctx.taint];
    if (taint.length > 0) next.unknown = taint[0];
    else if (op !== '+=' || !old?.unknown) delete next.unknown;
    this.vars.set(name, next);
  }

  private test(t: ConditionalTest, ctx: Ctx): boolean {
    if ('name' in t) {
      const name = this.expand(t.name, ctx).trim();
      const v = this.vars.get(name);
      if (v?.unknown) ctx.taint.push(v.unknown);
      const defined = v !== undefined && v.value !== '';
      return t.directive === 'ifdef' ? defined : !defined;
    }
    const eq = this.expand(t.left, ctx) === this.expand(t.right, ctx);
    return t.directive === 'ifeq' ? eq : !eq;
  }

  /** The value of `$(name)` after reading, with the Unknown it depends on, if any. */
  valueOf(name: string): { value: string; unknown?: Unknown; variable?: MakeVariable } {
    const ctx: Ctx = { file: '<make>', line: 0, taint: [], depth: 0 };
    const value = this.expand(`$(${name})`, ctx);
    const variable = this.vars.get(name);
    return ctx.taint.length > 0 ? { value, unknown: ctx.taint[0]!, variable } : { value, variable };
  }

  /** Expands `$(…)`, `${…}` and `$x` references in text. */
  expand(text: string, ctx: Ctx): string {
    if (!text.includes('$')) return text;
    if (ctx.depth > 200) {
      ctx.taint.push({ file: ctx.file, line: ctx.line, why: 'a variable references itself (make: "Recursive variable references itself")' });
      return '';
    }
    let out = '';
    let i = 0;
    while (i < text.length) {
      const d = text.indexOf('$', i);
      if (d < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, d);
      const c = text[d + 1];
      if (c === undefined) {
        i = d + 1;
        break;
      }
      if (c === '$') {
        out += '$';
        i = d + 2;
      } else if (c === '(' || c === '{') {
        const close = matchingClose(text, d + 1);
        if (close < 0) {
          ctx.taint.push({ file: ctx.file, line: ctx.line, why: `unterminated variable reference in \`${text}\`` });
          return out;
        }
        out += this.reference(text.slice(d + 2, close), ctx);
        i = close + 1;
      } else {
        out += this.variable(c, ctx);
        i = d + 2;
      }
    }
    return out;
  }

  private variable(name: string, ctx: Ctx): string {
    const v = this.vars.get(name);
    if (!v) return '';
    if (v.unknown) ctx.taint.push(v.unknown);
    if (v.flavor === 'simple') return v.value;
    return this.expand(v.value, { ...ctx, depth: ctx.depth + 1, taint: ctx.taint });
  }

  private reference(inner: string, ctx: Ctx): string {
    const fm = inner.match(/^([a-z-]+)[ \t]+([\s\S]*)$/);
    if (fm && FUNCTIONS.has(fm[1]!)) return this.call(fm[1]!, fm[2]!, ctx);
    // substitution reference $(VAR:a=b)
    const colon = topLevelIndex(inner, ':');
    if (colon >= 0 && inner.indexOf('=', colon) > colon) {
      const name = this.expand(inner.slice(0, colon), ctx);
      const [from, to] = splitOnce(inner.slice(colon + 1), '=');
      const words = this.variable(name, ctx).split(/\s+/).filter(Boolean);
      const f = this.expand(from, ctx);
      const t = this.expand(to, ctx);
      const pat = f.includes('%') ? f : `%${f}`;
      const rep = f.includes('%') ? t : `%${t}`;
      return words.map((w) => patsubstWord(pat, rep, w)).join(' ');
    }
    return this.variable(this.expand(inner, ctx), ctx);
  }

  private call(fn: string, argText: string, ctx: Ctx): string {
    const raw = splitArgs(argText);
    const arg = (i: number) => this.expand(raw[i] ?? '', ctx);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    switch (fn) {
      case 'subst':
        return arg(2).split(arg(0)).join(arg(1));
      case 'patsubst':
        return words(arg(2)).map((w) => patsubstWord(arg(0), arg(1), w)).join(' ');
      case 'strip':
        return words(arg(0)).join(' ');
      case 'findstring':
        return arg(1).includes(arg(0)) ? arg(0) : '';
      case 'filter':
      case 'filter-out': {
        const pats = words(arg(0));
        const keep = (w: string) => pats.some((p) => patternMatch(p, w) !== undefined);
        return words(arg(1)).filter((w) => (fn === 'filter' ? keep(w) : !keep(w))).join(' ');
      }
      case 'sort':
        return [...new Set(words(arg(0)))].sort().join(' ');
      case 'word': {
        const n = Number(arg(0).trim());
        return words(arg(1))[n - 1] ?? '';
      }
      case 'wordlist': {
        const s = Number(arg(0).trim());
        const e = Number(arg(1).trim());
        return words(arg(2)).slice(s - 1, e).join(' ');
      }
      case 'words':
        return String(words(arg(0)).length);
      case 'firstword':
        return words(arg(0))[0] ?? '';
      case 'lastword':
        return words(arg(0)).at(-1) ?? '';
      case 'dir':
        return words(arg(0)).map((w) => (w.includes('/') ? w.slice(0, w.lastIndexOf('/') + 1) : './')).join(' ');
      case 'notdir':
        return words(arg(0)).map((w) => w.slice(w.lastIndexOf('/') + 1)).join(' ');
      case 'suffix':
        return words(arg(0)).map((w) => { const m = w.match(/(\.[^./]*)$/); return m ? m[1]! : ''; }).filter(Boolean).join(' ');
      case 'basename':
        return words(arg(0)).map((w) => w.replace(/\.[^./]*$/, '')).join(' ');
      case 'addsuffix':
        return words(arg(1)).map((w) => w + arg(0)).join(' ');
      case 'addprefix':
        return words(arg(1)).map((w) => arg(0) + w).join(' ');
      case 'join': {
        const a = words(arg(0));
        const b = words(arg(1));
        return Array.from({ length: Math.max(a.length, b.length) }, (_, k) => (a[k] ?? '') + (b[k] ?? '')).join(' ');
      }
      case 'if':
        return arg(0).trim() !== '' ? arg(1) : arg(2);
      case 'or':
        for (let k = 0; k < raw.length; k++) { const v = arg(k); if (v.trim() !== '') return v; }
        return '';
      case 'and': {
        let v = '';
        for (let k = 0; k < raw.length; k++) { v = arg(k); if (v.trim() === '') return ''; }
        return v;
      }
      case 'value': {
        const v = this.vars.get(arg(0).trim());
        return v ? v.value : '';
      }
      case 'origin': {
        const v = this.vars.get(arg(0).trim());
        return v ? v.origin : 'undefined';
      }
      case 'flavor': {
        const v = this.vars.get(arg(0).trim());
        return v ? v.flavor : 'undefined';
      }
      case 'info':
      case 'warning':
        return '';
      default:
        ctx.taint.push({ file: ctx.file, line: ctx.line, why: `$(${fn} …) needs ${fn === 'shell' ? 'a shell' : fn === 'error' ? 'make to stop' : 'the file system or code evaluation'} and is not evaluated` });
        return '';
    }
  }
}

const FUNCTIONS = new Set([
  'subst', 'patsubst', 'strip', 'findstring', 'filter', 'filter-out', 'sort', 'word', 'wordlist', 'words',
  'firstword', 'lastword', 'dir', 'notdir', 'suffix', 'basename', 'addsuffix', 'addprefix', 'join', 'if', 'or',
  'and', 'value', 'origin', 'flavor', 'info', 'warning', 'error', 'shell', 'wildcard', 'realpath', 'abspath',
  'eval', 'call', 'foreach', 'file', 'let', 'intcmp',
]);

function matchingClose(s: string, open: number): number {
  const o = s[open]!;
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === o) depth++;
    else if (s[i] === c && --depth === 0) return i;
  }
  return -1;
}

function topLevelIndex(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ch && depth === 0) return i;
  }
  return -1;
}

function splitOnce(s: string, ch: string): [string, string] {
  const i = s.indexOf(ch);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Matches a make pattern (one `%`) against a word; returns the stem, or undefined. */
function patternMatch(pattern: string, word: string): string | undefined {
  const p = pattern.indexOf('%');
  if (p < 0) return pattern === word ? '' : undefined;
  const pre = pattern.slice(0, p);
  const post = pattern.slice(p + 1);
  if (word.length >= pre.length + post.length && word.startsWith(pre) && word.endsWith(post)) {
    return word.slice(pre.length, word.length - post.length);
  }
  return undefined;
}

function patsubstWord(pattern: string, replacement: string, word: string): string {
  const stem = patternMatch(pattern, word);
  if (stem === undefined) return word;
  return replacement.includes('%') ? replacement.replace('%', stem) : replacement;
}
