/**
 * Inline suppression, handled once by the engine as ESLint does: a comment
 * `rtems-virt-config-disable-next-line RULE[, RULE…]` (in any comment syntax:
 * C, assembly, m4 `dnl`/`#`, make `#`) suppresses the findings of those
 * rules on the next line; without rule ids it suppresses every rule there.
 */
const DIRECTIVE = /rtems-virt-config-disable-next-line(?![\w-])([^\n]*)/;

export type Suppressions = Map<number, Set<string> | 'all'>;

/** Lines (1-based) whose findings are suppressed, with the rule ids. */
export function suppressions(text: string): Suppressions {
  const out: Suppressions = new Map();
  if (!text.includes('rtems-virt-config-disable-next-line')) return out;
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    const m = DIRECTIVE.exec(l);
    if (!m) return;
    // the rule list ends at the comment's end or a `--` description, as in ESLint
    const list = m[1]!.replace(/\*\/.*$/, '').replace(/\s--\s.*$/, '');
    const ids = list.split(/[\s,]+/).filter((w) => /^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(w));
    out.set(i + 2, ids.length === 0 ? 'all' : new Set(ids));
  });
  return out;
}

export function isSuppressed(s: Suppressions, line: number, ruleId: string): boolean {
  const hit = s.get(line);
  return hit === 'all' || (hit !== undefined && hit.has(ruleId));
}
