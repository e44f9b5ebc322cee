/** `rtems-virt-config check [TREE]`: the rulebook over a tree. Exit 0 clean, 1 errors, 2 usage. */
import writeFileAtomic from 'write-file-atomic';
import { performance } from 'node:perf_hooks';
import { loadTree } from '../model/tree.js';
import { statSync } from 'node:fs';
import { recoverJournal } from '../patch/transaction.js';
import { SourceError } from '../parse/source-error.js';
import { check, selectRules } from '../check/engine.js';
import { makeScope } from '../check/scope.js';
import { formatStylish } from '../check/format-stylish.js';
import { toSarif } from '../check/format-sarif.js';
import { staleGeneratedFiles } from '../rules/generated-files-current.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './errors.js';
import { color, printJson } from './output.js';

export interface CheckCommandOptions {
  arch?: string[];
  bsp?: string;
  rule?: string[];
  format?: string;
  fix?: boolean;
}

const FORMATS = ['stylish', 'json', 'sarif'] as const;

export async function checkCommand(treeArg: string | undefined, opts: CheckCommandOptions): Promise<number> {
  const format = opts.format ?? 'stylish';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format "${format}"`, `use --format ${FORMATS.join(' | ')}`);
  }
  const rules = selectRules(opts.rule); // unknown ids fail before the tree is read
  const t0 = performance.now();
  // an interrupted patch is completed or rolled back first: never check a half-patched tree
  if (isDirectory(treeArg ?? '.')) {
    const rec = recoverJournal(treeArg ?? '.');
    if (rec) process.stderr.write(`recovered: ${rec.message}\n`);
  }
  let tree = loadTree(treeArg ?? '.');
  const options = { ...(opts.arch?.length ? { arch: opts.arch } : {}), ...(opts.bsp ? { bsp: opts.bsp } : {}), ...(opts.rule?.length ? { rule: opts.rule } : {}) };
  const fixed: string[] = [];
  if (opts.fix) {
    const scope = makeScope(tree, options);
    for (const s of staleGeneratedFiles({ tree, files: tree.files, scope })) {
      try {
        await writeFileAtomic(tree.files.abs(s.file), Buffer.from(s.expected, 'latin1'));
      } catch (e) {
        throw new SourceError(s.file, 0, `cannot write the regenerated file: ${(e as Error).message}`, {
          hint: `${fixed.length ? `already rewritten: ${fixed.join(', ')}; ` : ''}make the tree writable, or run its bootstrap yourself`,
        });
      }
      fixed.push(s.file);
    }
    if (fixed.length > 0) tree = loadTree(treeArg ?? '.');
  }
  const result = await check(tree, options);
  result.summary.ms = Math.round(performance.now() - t0);
  if (format === 'json') printJson(result);
  else if (format === 'sarif') printJson(toSarif(result, rules));
  else {
    for (const f of fixed) process.stdout.write(`${color.green('fixed')} ${f}\n`);
    if (fixed.length > 0) process.stdout.write('\n');
    process.stdout.write(formatStylish(result, color));
  }
  if (opts.fix && format !== 'stylish' && fixed.length > 0) process.stderr.write(`fixed ${fixed.length} generated file(s): ${fixed.join(' ')}\n`);
  return result.summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
