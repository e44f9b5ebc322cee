/**
 * What `patch --dry-run` prints (git-style unified diffs) and what
 * `patch --json` summarizes, both from the plan alone: nothing is read from
 * or written to the tree.
 */
import { formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import { editAction, type FileEdit, type PatchPlan } from './file-edit.js';

export interface PlanFileSummary {
  path: string;
  action: 'create' | 'modify' | 'delete';
  linesAdded: number;
  linesRemoved: number;
}

export interface PlanSummary {
  arch: string;
  files: PlanFileSummary[];
  notes: string[];
}

function byPath(a: FileEdit, b: FileEdit): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The edits that change something, sorted by path as git sorts a diff. */
function changedEdits(plan: PatchPlan): FileEdit[] {
  return plan.edits.filter((e) => editAction(e) !== 'none').sort(byPath);
}

function gitMode(mode: number | undefined): string {
  return (mode ?? 0o644) & 0o111 ? '100755' : '100644';
}

/** The one hunk of a whole-file addition or removal, built directly (diffing against nothing is slow in jsdiff). */
function wholeFileHunk(text: string, sign: '+' | '-'): StructuredPatch['hunks'] {
  if (text === '') return [];
  const lines = text.split('\n');
  const noEol = lines[lines.length - 1] !== '';
  if (!noEol) lines.pop();
  const out = lines.map((l) => `${sign}${l}`);
  if (noEol) out.push('\\ No newline at end of file');
  const n = lines.length;
  return [sign === '+' ? { oldStart: 1, oldLines: 0, newStart: 1, newLines: n, lines: out } : { oldStart: 1, oldLines: n, newStart: 1, newLines: 0, lines: out }];
}

/** `--dry-run --json` asks for both the diff and the summary: each file is diffed once. */
const cache = new WeakMap<FileEdit, { before: string | null; after: string | null; mode: number | undefined; context: number; patch: StructuredPatch }>();

function patchOf(edit: FileEdit, context: number): StructuredPatch {
  const hit = cache.get(edit);
  if (hit && hit.before === edit.before && hit.after === edit.after && hit.mode === edit.mode && hit.context === context) return hit.patch;
  const patch = computePatch(edit, context);
  cache.set(edit, { before: edit.before, after: edit.after, mode: edit.mode, context, patch });
  return patch;
}

function computePatch(edit: FileEdit, context: number): StructuredPatch {
  const action = editAction(edit);
  const oldName = action === 'create' ? '/dev/null' : `a/${edit.path}`;
  const newName = action === 'delete' ? '/dev/null' : `b/${edit.path}`;
  const p: StructuredPatch =
    action === 'modify'
      ? structuredPatch(oldName, newName, edit.before ?? '', edit.after ?? '', undefined, undefined, { context })
      : {
          oldFileName: oldName,
          newFileName: newName,
          oldHeader: undefined,
          newHeader: undefined,
          hunks: action === 'create' ? wholeFileHunk(edit.after ?? '', '+') : wholeFileHunk(edit.before ?? '', '-'),
        };
  p.isGit = true;
  if (action === 'create') {
    p.isCreate = true;
    p.newMode = gitMode(edit.mode);
  }
  if (action === 'delete') p.isDelete = true;
  return p;
}

/**
 * Plan contents are byte strings (one char per byte). Shown on a terminal,
 * the bytes are decoded as UTF-8 so that non-ASCII text in RTEMS files
 * (author names, ©) reads as it does in an editor.
 */
function bytesToDisplay(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return s;
  return Buffer.from(s, 'latin1').toString('utf8');
}

/** Git-style unified diffs of every file the plan creates, changes or deletes, sorted by path; '' for a no-op plan. */
export function renderDiff(plan: PatchPlan, options: { context?: number } = {}): string {
  const context = options.context ?? 3;
  return changedEdits(plan)
    .map((e) => bytesToDisplay(formatPatch(patchOf(e, context))))
    .join('');
}

function countLines(p: StructuredPatch): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of p.hunks) {
    for (const l of h.lines) {
      if (l.startsWith('+')) added++;
      else if (l.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}

/** The `--json` summary: every file the plan creates, changes or deletes, with the lines its diff adds and removes. */
export function summarizePlan(plan: PatchPlan): PlanSummary {
  const files = changedEdits(plan).map((e): PlanFileSummary => {
    // Line counts do not depend on the context size: share the patch renderDiff makes.
    const { added, removed } = countLines(patchOf(e, 3));
    return { path: e.path, action: editAction(e) as PlanFileSummary['action'], linesAdded: added, linesRemoved: removed };
  });
  return { arch: plan.arch, files, notes: [...plan.notes] };
}
