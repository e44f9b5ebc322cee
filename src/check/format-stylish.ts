/** `--format stylish`: findings grouped by file, as ESLint prints them, and a summary line. */
import type { ChalkInstance } from 'chalk';
import type { CheckResult, Severity } from './types.js';

export function formatStylish(result: CheckResult, c: ChalkInstance): string {
  const out: string[] = [];
  const byFile = new Map<string, CheckResult['diagnostics']>();
  for (const d of result.diagnostics) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  const paint = (s: Severity) => (s === 'error' ? c.red(s) : s === 'warning' ? c.yellow(s) : c.blue(s));
  for (const [file, list] of byFile) {
    out.push(c.underline(file));
    const posWidth = Math.max(...list.map((d) => `${d.line}:${d.column}`.length));
    const msgWidth = Math.min(100, Math.max(...list.map((d) => d.message.length)));
    for (const d of list) {
      const pos = `${d.line}:${d.column}`.padEnd(posWidth);
      out.push(`  ${c.dim(pos)}  ${paint(d.severity)}${' '.repeat(7 - d.severity.length)}  ${d.message.padEnd(msgWidth)}  ${c.dim(d.ruleId)}`);
    }
    out.push('');
  }
  const { errors, warnings } = result.summary;
  const infos = result.diagnostics.length - errors - warnings;
  const total = result.diagnostics.length;
  const stats = c.dim(`${result.summary.filesRead} files read in ${result.summary.ms} ms`);
  if (total === 0) {
    out.push(`${c.green('✔')} no problems  ${stats}`);
  } else {
    const mark = errors > 0 ? c.red.bold('✖') : c.yellow.bold('⚠');
    const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
    if (infos > 0) parts.push(`${infos} info`);
    out.push(`${mark} ${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')})  ${stats}`);
  }
  return `${out.join('\n')}\n`;
}
