/**
 * Runs the plain shell code of a configure.ac that sits between two macro calls, far enough to
 * know what one variable holds afterwards: `if LIST; then … [elif …] [else …] fi`, `NAME=value`
 * and `:`. Conditions go through the shell-test evaluator. Anything else that would run (a
 * command, `X+=y`, a command substitution) makes the answer unknown instead of guessed.
 */
import type { M4Document } from '../parse/m4.js';
import { evaluateShellTest, ShellTestError, type ShellEnv } from './shell-test.js';

export type SegmentResult =
  | { kind: 'set'; value: string; line: number }
  | { kind: 'unset' }
  | { kind: 'unknown'; why: string };

interface Piece {
  text: string;
  line: number;
}

/**
 * The shell text of the run of top-level nodes (text, quotes with one level removed, `#` comments,
 * `dnl` lines) that contains `line`, as m4 would pass it to the configure script.
 */
export function shellSegmentAt(doc: M4Document, line: number): { text: string; firstLine: number } | undefined {
  let l = 1;
  const segs: { text: string; firstLine: number }[] = [];
  let cur: { text: string; firstLine: number } | undefined;
  for (const n of doc.nodes) {
    const lines = n.raw.split('\n').length - 1;
    if (n.kind === 'call') {
      if (cur) segs.push(cur);
      cur = undefined;
    } else {
      cur ??= { text: '', firstLine: l };
      if (n.kind === 'quote') cur.text += n.raw.slice(1, -1);
      else if (n.kind === 'dnl') cur.text += '\n'.repeat(lines);
      else cur.text += n.raw;
    }
    l += lines;
  }
  if (cur) segs.push(cur);
  return segs.find((s) => line >= s.firstLine && line < s.firstLine + s.text.split('\n').length);
}

/** Splits shell text into commands at newlines and unquoted `;` (not `;;`), comments dropped. */
function pieces(text: string, firstLine: number): Piece[] | undefined {
  const out: Piece[] = [];
  let line = firstLine;
  let cur = '';
  let curLine = line;
  let q: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      cur += c;
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"' && i + 1 < text.length) cur += text[++i]!;
      if (c === '\n') line++;
      continue;
    }
    if (c === '"' || c === "'") q = c;
    if (c === '\\' && text[i + 1] === '\n') {
      i++;
      line++;
      cur += ' ';
      continue;
    }
    if (c === '#' && (cur === '' || /\s$/.test(cur))) {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
      continue;
    }
    if (c === '`' || (c === '$' && text[i + 1] === '(')) return undefined; // command substitution
    if (c === '\n' || (c === ';' && text[i + 1] !== ';')) {
      if (cur.trim()) out.push({ text: cur.trim(), line: curLine });
      cur = '';
      if (c === '\n') line++;
      curLine = line;
      continue;
    }
    if (cur.trim() === '') curLine = line;
    cur += c;
  }
  if (q) return undefined;
  if (cur.trim()) out.push({ text: cur.trim(), line: curLine });
  return out;
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"$`\\]*)"|'([^']*)'|([^\s"'$`\\;|&<>()]*))$/;

/**
 * What `target` holds after the segment runs, given the variables before it (`envAt(line)` for
 * the environment at a line of the segment).
 */
export function runShellSegment(text: string, firstLine: number, target: string, envAt: (line: number) => ShellEnv): SegmentResult {
  const ps = pieces(text, firstLine);
  if (!ps) return { kind: 'unknown', why: 'the shell code around it uses quoting or command substitution the model does not run' };
  // keywords may share a piece with what follows them: `then X=1`, `else :`
  const flat: Piece[] = [];
  for (const p of ps) {
    const m = p.text.match(/^(then|else|do)\s+(.*)$/s);
    if (m) flat.push({ text: m[1]!, line: p.line }, { text: m[2]!, line: p.line });
    else flat.push(p);
  }
  const locals = new Map<string, string>();
  let result: SegmentResult = { kind: 'unset' };
  let pos = 0;
  const fail = (why: string, line: number): never => {
    throw new SegmentUnknown(`${why} (line ${line})`);
  };
  const envFor = (line: number): ShellEnv => {
    const outer = envAt(line);
    return (name) => (locals.has(name) ? locals.get(name) : outer(name));
  };
  const cond = (p: Piece, text: string): boolean => {
    let v;
    try {
      v = evaluateShellTest(text, envFor(p.line));
    } catch (e) {
      if (e instanceof ShellTestError) fail(`\`if ${text}\`: ${e.message}`, p.line);
      throw e;
    }
    if (v.value === 'unknown') fail(`\`if ${text}\` cannot be decided: ${v.reasons.join('; ')}`, p.line);
    return v.value as boolean;
  };
  /** Runs (or skips) commands until one of `stops` at this nesting level; returns the stop word. */
  const block = (run: boolean, stops: string[]): string => {
    while (pos < flat.length) {
      const p = flat[pos]!;
      const word = p.text.split(/\s/, 1)[0]!;
      if (stops.includes(word)) return word;
      pos++;
      if (word === 'if') {
        let taken = false;
        let cur = run && cond(p, p.text.slice(2).trim());
        for (;;) {
          if (flat[pos]?.text !== 'then') fail('`if` without `then`', p.line);
          pos++;
          const stop = block(run && cur && !taken, ['elif', 'else', 'fi']);
          taken ||= cur;
          const sp = flat[pos];
          if (!sp) fail('`if` without `fi`', p.line);
          pos++;
          if (stop === 'fi') break;
          if (stop === 'elif') {
            cur = run && !taken && cond(sp!, sp!.text.slice(4).trim());
            continue;
          }
          const s2 = block(run && !taken, ['fi']);
          if (s2 !== 'fi') fail('`if` without `fi`', p.line);
          pos++;
          break;
        }
        continue;
      }
      if (!run) continue;
      if (/^(?::|true)(?:\s|$)/.test(p.text)) continue;
      const m = p.text.match(ASSIGN);
      if (!m) fail(`\`${p.text}\` is not plain shell the model runs`, p.line);
      const value = m![2] ?? m![3] ?? m![4] ?? '';
      locals.set(m![1]!, value);
      if (m![1] === target) result = { kind: 'set', value, line: p.line };
    }
    return '';
  };
  try {
    const stop = block(true, ['then', 'elif', 'else', 'fi']);
    if (stop !== '') fail(`unexpected \`${stop}\``, flat[pos]!.line);
  } catch (e) {
    if (e instanceof SegmentUnknown) return { kind: 'unknown', why: e.message };
    throw e;
  }
  return result;
}

class SegmentUnknown extends Error {}
