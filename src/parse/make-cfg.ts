/**
 * Lossless parser for the GNU make subset used by RTEMS `make/custom/*.cfg`
 * files: `=`, `:=`, `::=`, `?=`, `+=`, `!=`, `override`, `export`,
 * `ifeq/ifneq/ifdef/ifndef/else/endif`, `define … endef`, `include`, rules
 * and recipes. Line classification follows GNU make's `eval()` in read.c:
 * a tab-indented line in rule context is a recipe line, whatever it looks
 * like; directives may be indented with spaces; inside `define` only
 * `define`/`endef` are recognised.
 */
import { assertLossless, located, SourceError } from './source-error.js';
import { joinContinuations, logicalLines, makeUncomment, stripMakeComment, type LogicalLine } from './lines.js';

export type AssignOp = '=' | ':=' | '::=' | '?=' | '+=' | '!=';

interface NodeBase {
  raw: string;
  line: number;
  endLine: number;
}

export type ConditionalTest =
  | { directive: 'ifeq' | 'ifneq'; left: string; right: string }
  | { directive: 'ifdef' | 'ifndef'; name: string };

export type MakeNode =
  | (NodeBase & { kind: 'blank' })
  | (NodeBase & { kind: 'comment' })
  | (NodeBase & { kind: 'assign'; name: string; op: AssignOp; value: string; override: boolean; export: boolean })
  | (NodeBase & {
      kind: 'define';
      name: string;
      op: AssignOp;
      /** The body exactly as make stores it: lines between define and endef, joined by "\n". */
      body: string;
      override: boolean;
      export: boolean;
    })
  | (NodeBase & { kind: 'if'; test: ConditionalTest })
  /** `else`, or `else ifeq …` which opens a chained test. */
  | (NodeBase & { kind: 'else'; test?: ConditionalTest })
  | (NodeBase & { kind: 'endif' })
  | (NodeBase & { kind: 'include'; paths: string; optional: boolean })
  | (NodeBase & { kind: 'export'; text: string })
  | (NodeBase & { kind: 'rule'; targets: string; rest: string })
  | (NodeBase & { kind: 'recipe' })
  | (NodeBase & { kind: 'other'; text: string });

export class MakeCfgDocument {
  constructor(
    readonly file: string,
    readonly nodes: MakeNode[],
  ) {}

  print(): string {
    let s = '';
    for (const n of this.nodes) s += n.raw;
    return s;
  }

  /** The include directives, in order. */
  includes(): Extract<MakeNode, { kind: 'include' }>[] {
    return this.nodes.filter((n): n is Extract<MakeNode, { kind: 'include' }> => n.kind === 'include');
  }
}

const CONDITIONAL = /^(ifeq|ifneq|ifdef|ifndef)(?=[\s(]|$)\s*(.*)$/s;

export function parseMakeCfg(text: string, file = '<input>'): MakeCfgDocument {
  const nodes: MakeNode[] = [];
  const stack: { line: number; sawElse: boolean }[] = [];
  let inRule = false;
  const lines = logicalLines(text);

  for (let i = 0; i < lines.length; i++) {
    const ll = lines[i]!;
    const base = { raw: ll.raw, line: ll.line, endLine: ll.endLine };
    const first = ll.parts[0]!.text;

    if (inRule && first.startsWith('\t')) {
      nodes.push({ ...base, kind: 'recipe' });
      continue;
    }
    const joined = joinContinuations(ll.parts);
    const trimmed = joined.replace(/^[ \t]+/, '');
    const code = stripMakeComment(trimmed).trimEnd();
    if (code === '') {
      nodes.push({ ...base, kind: /^\s*#/.test(trimmed) ? 'comment' : 'blank' });
      continue;
    }

    let m: RegExpMatchArray | null;
    if ((m = code.match(CONDITIONAL))) {
      stack.push({ line: ll.line, sawElse: false });
      nodes.push({ ...base, kind: 'if', test: parseTest(file, ll, m[1]!, m[2]!) });
      continue;
    }
    if (/^else(?:\s|$)/.test(code)) {
      const top = stack[stack.length - 1];
      if (!top) throw located(file, ll, '`else` without a conditional', 'remove it or add the matching `ifeq`/`ifdef`');
      if (top.sawElse) throw located(file, ll, 'only one `else` per conditional', `the conditional starts on line ${top.line}`);
      const rest = code.slice(4).trim();
      if (rest === '') {
        top.sawElse = true;
        nodes.push({ ...base, kind: 'else' });
      } else {
        const cm = rest.match(CONDITIONAL);
        if (!cm) throw located(file, ll, `extraneous text after \`else\`: ${rest}`, 'use `else ifeq (a,b)` or a plain `else`');
        nodes.push({ ...base, kind: 'else', test: parseTest(file, ll, cm[1]!, cm[2]!) });
      }
      continue;
    }
    if (/^endif(?:\s|$)/.test(code)) {
      if (!stack.pop()) throw located(file, ll, '`endif` without a conditional', 'remove it or add the matching `ifeq`/`ifdef`');
      if (code.slice(5).trim() !== '') throw located(file, ll, 'extraneous text after `endif`', 'remove it');
      nodes.push({ ...base, kind: 'endif' });
      continue;
    }

    // make keeps the blanks at the end of a value (`A = b ` is "b "): match on the untrimmed text
    const mods = makeUncomment(trimmed).match(/^((?:(?:override|export)\s+)*)(.*)$/s)!;
    const isOverride = /\boverride\b/.test(mods[1]!);
    const isExport = /\bexport\b/.test(mods[1]!);
    const body = mods[2]!;

    if ((m = body.match(/^define(?:\s+(.*))?$/s))) {
      const head = (m[1] ?? '').trim();
      const hm = head.match(/^(\S+?)\s*(=|:=|::=|\?=|\+=|!=)?$/);
      if (!hm) throw located(file, ll, `cannot read the name of this \`define\``, 'write `define NAME` or `define NAME =`');
      // collect the body verbatim up to the matching endef (nested define/endef counted)
      let depth = 1;
      let j = i + 1;
      const bodyLines: string[] = [];
      for (; j < lines.length; j++) {
        const t = lines[j]!.parts.map((p) => p.text).join('\n');
        const tt = t.replace(/^[ \t]+/, '');
        if (/^endef(?:\s|$)/.test(tt) && !lines[j]!.parts[0]!.text.startsWith('\t')) {
          if (--depth === 0) break;
        } else if (/^(?:(?:override|export)\s+)*define(?:\s|$)/.test(tt) && !lines[j]!.parts[0]!.text.startsWith('\t')) {
          depth++;
        }
        bodyLines.push(t);
      }
      if (j >= lines.length) {
        throw located(file, ll, `\`define ${hm[1]}\` is never closed`, 'add the matching `endef`');
      }
      const raw = lines.slice(i, j + 1).map((l) => l.raw).join('');
      nodes.push({
        raw,
        line: ll.line,
        endLine: lines[j]!.endLine,
        kind: 'define',
        name: hm[1]!,
        op: (hm[2] ?? '=') as AssignOp,
        body: bodyLines.join('\n'),
        override: isOverride,
        export: isExport,
      });
      i = j;
      inRule = false;
      continue;
    }
    if ((m = body.match(/^(-|s)?include(?:\s+(.*))?$/s)) && mods[1] === '') {
      inRule = false;
      nodes.push({ ...base, kind: 'include', paths: (m[2] ?? '').trim(), optional: m[1] !== undefined });
      continue;
    }
    const assign = findAssignment(body);
    if (assign) {
      inRule = false;
      nodes.push({ ...base, kind: 'assign', ...assign, override: isOverride, export: isExport });
      continue;
    }
    if (mods[1] !== '' || /^unexport(?:\s|$)/.test(body.trimEnd())) {
      nodes.push({ ...base, kind: 'export', text: code });
      continue;
    }
    const colon = findTopLevel(body, ':');
    if (colon >= 0) {
      inRule = true;
      nodes.push({ ...base, kind: 'rule', targets: body.slice(0, colon).trim(), rest: body.slice(colon + 1).trimEnd() });
      continue;
    }
    nodes.push({ ...base, kind: 'other', text: code });
  }
  if (stack.length > 0) {
    throw new SourceError(file, stack[stack.length - 1]!.line, 'this conditional is never closed', { hint: 'add the matching `endif`' });
  }
  const doc = new MakeCfgDocument(file, nodes);
  assertLossless(file, text, doc.print());
  return doc;
}


/** Finds the assignment operator of `name op value` outside `$(…)`, if the line is an assignment. */
function findAssignment(s: string): { name: string; op: AssignOp; value: string } | undefined {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) {
      depth++;
      i++;
      continue;
    }
    if (depth > 0) {
      if (c === '(' || c === '{') depth++;
      else if (c === ')' || c === '}') depth--;
      continue;
    }
    let op: AssignOp | undefined;
    if (c === '=') op = '=';
    else if (c === ':' && s.startsWith('::=', i)) op = '::=';
    else if (c === ':' && s[i + 1] === '=') op = ':=';
    else if (c === ':') return undefined; // a rule
    else if ((c === '+' || c === '?' || c === '!') && s[i + 1] === '=') op = `${c}=` as AssignOp;
    if (op) {
      const name = s.slice(0, i).trim();
      if (name === '' || /\s/.test(name)) return undefined;
      // make strips leading whitespace of the value, keeps trailing
      return { name, op, value: s.slice(i + op.length).replace(/^[ \t]+/, '') };
    }
  }
  return undefined;
}

function findTopLevel(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) {
      depth++;
      i++;
    } else if (depth > 0 && (c === '(' || c === '{')) depth++;
    else if (depth > 0 && (c === ')' || c === '}')) depth--;
    else if (depth === 0 && c === ch) return i;
  }
  return -1;
}

/** Reads the arguments of ifeq/ifneq (`(a,b)`, `"a" "b"`, `'a' 'b'`) or ifdef/ifndef. */
function parseTest(file: string, ll: LogicalLine, directive: string, rest: string): ConditionalTest {
  if (directive === 'ifdef' || directive === 'ifndef') {
    const name = rest.trim();
    if (name === '' || /\s/.test(name)) throw located(file, ll, `\`${directive}\` takes exactly one variable name`, `write \`${directive} NAME\``);
    return { directive, name };
  }
  const d = directive as 'ifeq' | 'ifneq';
  const s = rest.trim();
  if (s.startsWith('(')) {
    // find the comma at paren depth 1 and the matching close paren
    let depth = 0;
    let comma = -1;
    let close = -1;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) {
          close = i;
          break;
        }
      } else if (c === ',' && depth === 1 && comma < 0) comma = i;
    }
    if (comma < 0 || close < 0 || s.slice(close + 1).trim() !== '') {
      throw located(file, ll, `malformed \`${d}\`: expected \`${d} (a,b)\``, 'check the parentheses and the comma');
    }
    // GNU make strips blanks after the first argument and around the second
    return { directive: d, left: s.slice(1, comma).replace(/[ \t]+$/, ''), right: s.slice(comma + 1, close).trim() };
  }
  const q = s.match(/^(["'])(.*?)\1\s+(["'])(.*?)\3$/s);
  if (!q) throw located(file, ll, `malformed \`${d}\`: expected \`${d} (a,b)\` or \`${d} "a" "b"\``, 'quote both arguments or use parentheses');
  return { directive: d, left: q[2]!, right: q[4]! };
}
