/**
 * Evaluates the shell conditions of `AM_CONDITIONAL(name, condition)`:
 * `test`/`[ … ]` with `=`, `!=`, `-n`, `-z`, `!`, `-a`, `-o`, parentheses,
 * and `true`/`false`/`:` joined by `&&`, `||` and `!`, with words such as
 * `x"$RTEMS_CPU_MODEL"`, `"${VAR}"` and `'lit'`.
 *
 * The result is three-valued: a variable the caller cannot supply makes the
 * parts that depend on it unknown, but `false && …` and `true || …` still decide.
 */

export type Tri = true | false | 'unknown';

export interface ShellTestResult {
  value: Tri;
  /** Why the value is unknown (empty when it is known). */
  reasons: string[];
}

/**
 * Supplies the values of shell variables; `undefined` means "not known to the model",
 * `{ unknown }` the same with the reason why.
 */
export type ShellEnv = (name: string) => string | { unknown: string } | undefined;

type Word = { text: string; unknown?: string };
type Token = { op: string } | { word: Word; raw: string };

export class ShellTestError extends Error {}

export function evaluateShellTest(condition: string, env: ShellEnv): ShellTestResult {
  const tokens = tokenize(condition.replace(/\\\r?\n/g, ' '), env);
  const reasons: string[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (t: Token | undefined, op: string) => t !== undefined && 'op' in t && t.op === op;

  const list = (): Tri => {
    let v = pipeline();
    for (;;) {
      if (isOp(peek(), '&&')) {
        pos++;
        const r = pipeline();
        v = and(v, r);
      } else if (isOp(peek(), '||')) {
        pos++;
        const r = pipeline();
        v = or(v, r);
      } else if (isOp(peek(), ';')) {
        // `;;` ends a case arm; `esac`, `)` or the end close the list
        if (isOp(tokens[pos + 1], ';')) return v;
        pos++;
        if (pos >= tokens.length || isWord(peek(), 'esac') || isOp(peek(), ')')) return v;
        v = pipeline();
      } else return v;
    }
  };
  const pipeline = (): Tri => {
    if (isWord(peek(), '!')) {
      pos++;
      return not(pipeline());
    }
    return command();
  };
  const command = (): Tri => {
    const t = tokens[pos];
    if (t === undefined) throw new ShellTestError('expected a command');
    if (isOp(t, '(')) {
      pos++;
      const v = list();
      if (!isOp(peek(), ')')) throw new ShellTestError('expected `)`');
      pos++;
      return v;
    }
    if (!('word' in t)) throw new ShellTestError(t.op === '|' ? 'pipes are not evaluated' : `unexpected \`${t.op}\``);
    const name = t.raw;
    pos++;
    if (name === 'case') return caseCommand();
    if (name === 'true' || name === ':') return true;
    if (name === 'false') return false;
    if (name !== 'test' && name !== '[') throw new ShellTestError(`\`${name}\` is not a test the model evaluates`);
    const args: Token[] = [];
    while (pos < tokens.length && 'word' in tokens[pos]!) args.push(tokens[pos++]!);
    if (name === '[') {
      const last = args.pop();
      if (!last || !('word' in last) || last.raw !== ']') throw new ShellTestError('`[` without `]`');
    }
    return testExpr(args.map((a) => a as { word: Word; raw: string }));
  };

  /** `case WORD in [(]PAT[|PAT]…) LIST ;; … esac`: the list of the first arm whose pattern matches. */
  const caseCommand = (): Tri => {
    const subject = tokens[pos];
    if (!subject || !('word' in subject)) throw new ShellTestError('case: word expected');
    pos++;
    if (!isWord(peek(), 'in')) throw new ShellTestError('case: `in` expected');
    pos++;
    let result: Tri | undefined;
    const subjectUnknown = subject.word.unknown;
    for (;;) {
      if (pos >= tokens.length) throw new ShellTestError('case without esac');
      if (isWord(peek(), 'esac')) {
        pos++;
        break;
      }
      if (isOp(peek(), '(')) pos++;
      const patterns: Word[] = [];
      for (;;) {
        const t = tokens[pos];
        if (!t || !('word' in t)) throw new ShellTestError('case: pattern expected');
        patterns.push(t.word);
        pos++;
        if (isOp(peek(), '|')) {
          pos++;
          continue;
        }
        if (!isOp(peek(), ')')) throw new ShellTestError('case: `)` expected after the pattern');
        pos++;
        break;
      }
      const reasonsBefore = reasons.length;
      let armValue: Tri = true;
      if (!(isOp(peek(), ';') && isOp(tokens[pos + 1], ';')) && !isWord(peek(), 'esac')) armValue = list();
      if (isOp(peek(), ';') && isOp(tokens[pos + 1], ';')) pos += 2;
      if (result !== undefined) {
        reasons.length = reasonsBefore; // an arm after the chosen one is never run
        continue;
      }
      if (subjectUnknown !== undefined) continue;
      const unknownPattern = patterns.find((p) => p.unknown !== undefined);
      if (unknownPattern) {
        reasons.push(unknownPattern.unknown!);
        result = 'unknown';
        continue;
      }
      if (patterns.some((p) => globMatch(p.text, subject.word.text))) result = armValue;
      else reasons.length = reasonsBefore;
    }
    if (subjectUnknown !== undefined) {
      reasons.push(subjectUnknown);
      return 'unknown';
    }
    return result ?? true; // no arm matched: case exits 0
  };

  const testExpr = (args: { word: Word; raw: string }[]): Tri => {
    let p = 0;
    // test sees its arguments after quote removal and expansion: `\(` and `"("` are both a parenthesis
    const lit = (k: number) => { const a = args[k]; return a === undefined || a.word.unknown !== undefined ? undefined : a.word.text; };
    const val = (k: number): Tri | string => {
      const w = args[k]!.word;
      if (w.unknown !== undefined) {
        reasons.push(w.unknown);
        return 'unknown';
      }
      return w.text;
    };
    const orE = (): Tri => {
      let v = andE();
      while (lit(p) === '-o') { p++; v = or(v, andE()); }
      return v;
    };
    const andE = (): Tri => {
      let v = notE();
      while (lit(p) === '-a') { p++; v = and(v, notE()); }
      return v;
    };
    const notE = (): Tri => {
      if (lit(p) === '!' && p + 1 < args.length) { p++; return not(notE()); }
      return primary();
    };
    const primary = (): Tri => {
      if (p >= args.length) throw new ShellTestError('test: argument expected');
      if (lit(p) === '(') {
        p++;
        const v = orE();
        if (lit(p) !== ')') throw new ShellTestError('test: `)` expected');
        p++;
        return v;
      }
      const op = lit(p + 1);
      if (op === '=' || op === '!=' || op === '==') {
        const a = val(p);
        const b = val(p + 2);
        if (p + 2 >= args.length) throw new ShellTestError(`test: missing argument after \`${op}\``);
        p += 3;
        if (a === 'unknown' || b === 'unknown') return 'unknown';
        return op === '!=' ? a !== b : a === b;
      }
      if (lit(p) === '-n' || lit(p) === '-z') {
        const unary = lit(p);
        if (p + 1 < args.length) {
          const a = val(p + 1);
          p += 2;
          if (a === 'unknown') return 'unknown';
          return unary === '-n' ? a !== '' : a === '';
        }
      }
      if (/^-[a-zA-Z]$/.test(lit(p) ?? '') && p + 1 < args.length && !['-a', '-o'].includes(lit(p + 1)!)) {
        const unary = lit(p);
        p += 2;
        reasons.push(`\`test ${unary}\` looks at the file system`);
        return 'unknown';
      }
      const a = val(p);
      p++;
      return a === 'unknown' ? 'unknown' : a !== '';
    };
    const v = orE();
    if (p !== args.length) throw new ShellTestError(`test: unexpected \`${args[p]!.raw}\``);
    return v;
  };

  const value = list();
  if (pos !== tokens.length) throw new ShellTestError('unexpected text after the condition');
  return { value, reasons: value === 'unknown' ? [...new Set(reasons)] : [] };
}

function isWord(t: Token | undefined, w: string): boolean {
  return t !== undefined && 'word' in t && t.raw === w;
}

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return 'unknown';
}
function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return 'unknown';
}
function not(a: Tri): Tri {
  return a === 'unknown' ? 'unknown' : !a;
}

const NAME_AT = /[A-Za-z_][A-Za-z0-9_]*/y;

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

function tokenize(s: string, env: ShellEnv): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (isBlank(c)) { i++; continue; }
    if (c === '#') break;
    if (s.startsWith('&&', i) || s.startsWith('||', i)) { out.push({ op: s.slice(i, i + 2) }); i += 2; continue; }
    if (c === ';' || c === '(' || c === ')') { out.push({ op: c }); i++; continue; }
    if (c === '|') { out.push({ op: '|' }); i++; continue; }
    if (c === '&' || c === '<' || c === '>' || c === '`') {
      throw new ShellTestError(`\`${c}\` (pipes, redirections, command substitution) is not evaluated`);
    }
    // a word: concatenation of quoted and unquoted parts
    let text = '';
    let unknown: string | undefined;
    const start = i;
    const expandVar = (name: string) => {
      const v = env(name);
      if (v === undefined) unknown ??= `\`$${name}\` is set by configure code outside the model`;
      else if (typeof v === 'object') unknown ??= v.unknown;
      else text += v;
    };
    const readVar = (): void => {
      // at s[i] === '$'
      if (s[i + 1] === '{') {
        const close = s.indexOf('}', i);
        if (close < 0) throw new ShellTestError('unterminated ${');
        const inner = s.slice(i + 2, close);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) throw new ShellTestError(`\${${inner}} is not evaluated`);
        expandVar(inner);
        i = close + 1;
      } else {
        NAME_AT.lastIndex = i + 1;
        const m = NAME_AT.exec(s);
        if (!m) { text += '$'; i++; return; }
        expandVar(m[0]);
        i += 1 + m[0].length;
      }
    };
    while (i < s.length && !isBlank(s[i]!) && s[i] !== ';' && s[i] !== '(' && s[i] !== ')' && s[i] !== '|' && !s.startsWith('&&', i)) {
      const ch = s[i]!;
      if (ch === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '$') readVar();
          else if (s[i] === '\\' && i + 1 < s.length) { text += s[i + 1]; i += 2; }
          else if (s[i] === '`') throw new ShellTestError('command substitution is not evaluated');
          else { text += s[i]; i++; }
        }
        if (s[i] !== '"') throw new ShellTestError('unterminated "');
        i++;
      } else if (ch === "'") {
        const close = s.indexOf("'", i + 1);
        if (close < 0) throw new ShellTestError("unterminated '");
        text += s.slice(i + 1, close);
        i = close + 1;
      } else if (ch === '$') {
        readVar();
      } else if (ch === '\\' && i + 1 < s.length) {
        text += s[i + 1];
        i += 2;
      } else if (ch === '`') {
        throw new ShellTestError('command substitution is not evaluated');
      } else {
        text += ch;
        i++;
      }
    }
    out.push({ word: unknown ? { text, unknown } : { text }, raw: s.slice(start, i) });
  }
  return out;
}

/** Shell pattern matching as `case` does it: `*`, `?`, `[…]` / `[!…]`, backslash escapes. */
const globCache = new Map<string, RegExp>();

export function globMatch(pattern: string, word: string): boolean {
  let rx = globCache.get(pattern);
  if (!rx) {
    rx = globToRegExp(pattern);
    globCache.set(pattern, rx);
  }
  return rx.test(word);
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        const neg = body.startsWith('!') || body.startsWith('^');
        if (neg) body = body.slice(1);
        re += `[${neg ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]')}]`;
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
