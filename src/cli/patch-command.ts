/**
 * `rtems-virt-config patch --arch A [TREE] [--dry-run] [--force] [--json]`
 *
 * Recovers an interrupted earlier run first, plans, refuses over uncommitted work,
 * then applies all or nothing. Exit 0 patched (or nothing to do), 1 refused, 2 usage.
 */
import { loadTree } from '../model/tree.js';
import { planPatch } from '../patch/plan.js';
import { applyPlanAsync, recoverJournal } from '../patch/transaction.js';
import { checkGitState } from '../patch/git-state.js';
import { validatePlan } from '../patch/tree-paths.js';
import { renderDiff, summarizePlan } from '../patch/diff.js';
import { isNoop, effectiveEdits } from '../patch/file-edit.js';
import { PatchRefusedError } from '../patch/refusal.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, formatError } from './errors.js';
import { color, printJson } from './output.js';

export interface PatchOptions {
  arch?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
  removeEnableParavirt?: boolean;
}

export async function patchCommand(treeArg: string | undefined, opts: PatchOptions): Promise<number> {
  if (!opts.arch) throw new UsageError('no architecture given', 'use --arch i386 (the CPU whose <arch>virt BSP to add)');
  const root = treeArg ?? '.';
  const say = (s: string) => process.stderr.write(`${s}\n`);
  try {
    if (!opts.dryRun) {
      const rec = recoverJournal(root, { ignoreLiveOwner: opts.force === true });
      if (rec) say(`${color.yellow('recovered:')} ${rec.message}`);
    }
    const tree = loadTree(root);
    const plan = await planPatch(tree, opts.arch, opts.removeEnableParavirt ? { removeEnableParavirt: true } : {});
    const summary = summarizePlan(plan);
    if (isNoop(plan)) {
      if (opts.json) printJson({ ...summary, status: 'nothing-to-do' });
      else say(`nothing to do: ${opts.arch}virt is already in this tree`);
      return EXIT_OK;
    }
    validatePlan(tree.root, plan); // before git sees any path of it (applyPlanAsync checks again)
    if (opts.dryRun) {
      if (opts.json) printJson({ ...summary, status: 'dry-run' });
      else {
        process.stdout.write(renderDiff(plan));
        for (const n of plan.notes) say(`note: ${n}`);
        say(color.dim(`dry run: ${effectiveEdits(plan).length} files would change; nothing was written`));
      }
      return EXIT_OK;
    }
    const git = await checkGitState(tree.root, effectiveEdits(plan).map((e) => e.path), { force: opts.force === true });
    if (git.dirty.length > 0) say(color.yellow(`--force: patching over uncommitted changes in ${git.dirty.map((d) => d.path).join(', ')}`));
    const tty = process.stderr.isTTY === true;
    const result = await applyPlanAsync(tree.root, plan, {
      onProgress: (p) => {
        if (tty && p.phase === 'write') process.stderr.write(`\r\x1b[2Kwriting ${p.done}/${p.total} ${p.path ?? ''}`);
      },
    });
    if (tty) process.stderr.write('\r\x1b[2K');
    if (opts.json) printJson({ ...summary, status: 'applied', created: result.created, modified: result.modified, deleted: result.deleted });
    else {
      for (const f of summary.files) console.log(`${f.action === 'create' ? color.green('A') : f.action === 'delete' ? color.red('D') : color.yellow('M')} ${f.path}`);
      for (const n of plan.notes) say(`note: ${n}`);
      say(
        `patched: ${result.created.length} created, ${result.modified.length} changed, ${result.deleted.length} deleted. ` +
          `Next: run the tree's ./bootstrap, then configure with --enable-rtemsbsp=${opts.arch}virt`,
      );
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof PatchRefusedError) {
      process.stderr.write(`${formatError(e).replace(/^error:/, 'refused:')}\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
}
