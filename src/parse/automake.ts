/**
 * Lossless parser for automake input (`Makefile.am`, `preinstall.am`).
 *
 * Every byte of the input belongs to exactly one node; `print()` concatenates
 * the nodes' raw text and gives the input back. The classification follows
 * automake's own reader (`read_am_file`): `if`/`else`/`endif` at column 0,
 * `include`, assignments (`=`, `+=`, `:=`, `?=`), rules and their tab-indented
 * recipe lines, `#` and `##` comments, continuation lines.
 */
import { assertLossless, located, SourceError } from './source-error.js';
import { joinContinuations, logicalLines, stripMakeComment, type LogicalLine } from './lines.js';

/** One automake condition in effect, e.g. `if !HAS_SMP` gives {name: 'HAS_SMP', negated: true}. */
export interface AmCondition {
  name: string;
  negated: boolean;
  /** Line of the `if` that opened it. */
  line: number;
}

interface NodeBase {
  raw: string;
  line: number;
  endLine: number;
  /** Conditions in effect around this node, outermost first. */
  conditions: AmCondition[];
}

export type AutomakeNode =
  | (NodeBase & { kind: 'blank' })
  | (NodeBase & { kind: 'comment'; automakeOnly: boolean })
  | (NodeBase & { kind: 'assign'; name: string; op: '=' | '+=' | ':=' | '?='; value: string })
  | (NodeBase & { kind: 'if'; condition: AmCondition })
  | (NodeBase & { kind: 'else' })
  | (NodeBase & { kind: 'endif' })
  | (NodeBase & { kind: 'include'; path: string; optional: boolean })
  | (NodeBase & { kind: 'rule'; targets: string[]; prerequisites: string })
  | (NodeBase & { kind: 'recipe' })
  | (NodeBase & { kind: 'other' });

export class AutomakeDocument {
  constructor(
    readonly file: string,
    readonly nodes: AutomakeNode[],
  ) {}

  print(): string {
    let s = '';
    for (const n of this.nodes) s += n.raw;
    return s;
  }

  private byName: Map<string, Extract<AutomakeNode, { kind: 'assign' }>[]> | undefined;

  /** Assignments, optionally only those of one variable, in file order. */
  assignments(name?: string): Extract<AutomakeNode, { kind: 'assign' }>[] {
    if (name === undefined) return this.nodes.filter((n): n is Extract<AutomakeNode, { kind: 'assign' }> => n.kind === 'assign');
    if (!this.byName) {
      this.byName = new Map();
      for (const n of this.nodes) {
        if (n.kind !== 'assign') continue;
        const l = this.byName.get(n.name);
        if (l) l.push(n);
        else this.byName.set(n.name, [n]);
      }
    }
    return this.byName.get(name) ?? [];
  }

  /** Names of every condition the file tests with `if`. */
  conditionNames(): Set<string> {
    const s = new Set<string>();
    for (const n of this.nodes) if (n.kind === 'if') s.add(n.condition.name);
    return s;
  }
}

const IF = /^if\s+(!?)\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:#.*)?$/;
const ELSE = /^else(?:\s+(!?)\s*([A-Za-z][A-Za-z0-9_]*))?\s*(?:#.*)?$/;
const ENDIF = /^endif(?:\s+(!?)\s*([A-Za-z][A-Za-z0-9_]*))?\s*(?:#.*)?$/;
const INCLUDE = /^(-?)include\s+(\S.*?)\s*$/;
const ASSIGN = /^ *([^ \t=:+?#]+)\s*([:+?]?)=\s*(.*)$/s;
const RULE = /^([^\t#=:][^#=:]*?)\s*::?(?!=)(.*)$/s;

export function parseAutomake(text: string, file = '<input>'): AutomakeDocument {
  const nodes: AutomakeNode[] = [];
  const stack: { cond: AmCondition; sawElse: boolean }[] = [];
  let inRule = false;
  // the conditions array is shared by the nodes between two if/else/endif lines
  let current: AmCondition[] = [];
  const conds = () => current;
  const refresh = () => {
    current = stack.map((s) => s.cond);
  };

  for (const ll of logicalLines(text)) {
    const base = { raw: ll.raw, line: ll.line, endLine: ll.endLine, conditions: conds() };
    const first = ll.parts[0]!.text;
    const joined = joinContinuations(ll.parts);

    if (/^\s*$/.test(joined) && !(inRule && first.startsWith('\t'))) {
      nodes.push({ ...base, kind: 'blank' });
      continue;
    }
    if (/^\s*#/.test(first) && !first.startsWith('\t')) {
      nodes.push({ ...base, kind: 'comment', automakeOnly: /^\s*##/.test(first) });
      continue;
    }
    let m: RegExpMatchArray | null;
    const c0 = joined.charCodeAt(0);
    const maybeDirective = c0 === 105 /* i */ || c0 === 101; /* e */
    if (maybeDirective && (m = joined.match(IF))) {
      const cond: AmCondition = { name: m[2]!, negated: m[1] === '!', line: ll.line };
      stack.push({ cond, sawElse: false });
      refresh();
      nodes.push({ ...base, kind: 'if', condition: cond });
      continue;
    }
    if (maybeDirective && (m = joined.match(ELSE))) {
      const top = stack[stack.length - 1];
      if (!top) throw located(file, ll, '`else` without `if`', 'remove it or add the matching `if COND`');
      if (top.sawElse) throw located(file, ll, 'a second `else` for the same `if`', `the \`if\` is on line ${top.cond.line}`);
      // `else !COND` may name the condition of the branch it opens
      top.cond = { ...top.cond, negated: !top.cond.negated };
      top.sawElse = true;
      refresh();
      checkMatchingName(file, ll, m, top.cond, 'else');
      nodes.push({ ...base, kind: 'else' });
      continue;
    }
    if (maybeDirective && (m = joined.match(ENDIF))) {
      const top = stack.pop();
      refresh();
      if (!top) throw located(file, ll, '`endif` without `if`', 'remove it or add the matching `if COND`');
      // automake accepts `endif COND` naming the condition of the `if` (negated after `else`)
      checkMatchingName(file, ll, m, top.cond, 'endif');
      nodes.push({ ...base, conditions: conds(), kind: 'endif' });
      continue;
    }
    if (inRule && first.startsWith('\t')) {
      nodes.push({ ...base, kind: 'recipe' });
      continue;
    }
    inRule = false;
    if ((m = joined.match(INCLUDE))) {
      nodes.push({ ...base, kind: 'include', path: m[2]!, optional: m[1] === '-' });
      continue;
    }
    if ((m = joined.match(ASSIGN))) {
      const op = (m[2] ? `${m[2]}=` : '=') as '=' | '+=' | ':=' | '?=';
      nodes.push({ ...base, kind: 'assign', name: m[1]!, op, value: stripMakeComment(m[3]!).trim() });
      continue;
    }
    if ((m = joined.match(RULE))) {
      inRule = true;
      nodes.push({
        ...base,
        kind: 'rule',
        targets: m[1]!.trim().split(/\s+/),
        prerequisites: stripMakeComment(m[2]!).trim(),
      });
      continue;
    }
    nodes.push({ ...base, kind: 'other' });
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!.cond;
    throw new SourceError(file, open.line, `\`if ${open.negated ? '!' : ''}${open.name}\` is never closed`, {
      hint: 'add the matching `endif`',
    });
  }
  const doc = new AutomakeDocument(file, nodes);
  assertLossless(file, text, doc.print());
  return doc;
}

function checkMatchingName(file: string, ll: LogicalLine, m: RegExpMatchArray, cond: AmCondition, word: string): void {
  if (!m[2]) return;
  const negated = m[1] === '!';
  if (m[2] !== cond.name || negated !== cond.negated) {
    throw located(
      file,
      ll,
      `\`${word} ${m[1]}${m[2]}\` does not match the open condition \`${cond.negated ? '!' : ''}${cond.name}\``,
      `the \`if\` is on line ${cond.line}`,
    );
  }
}
