/**
 * The contract between the patch planner (`planPatch`) and the transaction
 * that applies its result. A plan is pure data: what each file holds now and
 * what it should hold afterwards.
 *
 * Contents are byte strings: one JavaScript char per byte (latin1), the way
 * `FileStore` reads a tree, so every file round-trips byte for byte. A
 * character above U+00FF in `after` is refused by `validatePlan`.
 */

export interface FileEdit {
  /** Relative to the tree root, POSIX separators. */
  path: string;
  /** Exact current content the plan was computed from; null = the file must not exist. */
  before: string | null;
  /** New content; null = delete the file. */
  after: string | null;
  /** For new files (e.g. 0o755 for scripts); default 0o644. Existing files keep their mode. */
  mode?: number;
}

export interface PatchPlan {
  arch: string;
  edits: FileEdit[];
  notes: string[];
}

export type EditAction = 'create' | 'modify' | 'delete' | 'none';

/** The encoding of every content string in a plan: one char per byte. */
export const PLAN_ENCODING = 'latin1' as const;

/** What applying one edit does to its file. */
export function editAction(edit: FileEdit): EditAction {
  if (edit.before === edit.after) return 'none';
  if (edit.before === null) return 'create';
  if (edit.after === null) return 'delete';
  return 'modify';
}

/** True when applying the plan would change nothing: every edit's `after` equals its `before`. */
export function isNoop(plan: PatchPlan): boolean {
  return plan.edits.every((e) => e.before === e.after);
}

/** The edits that change something, in plan order. */
export function effectiveEdits(plan: PatchPlan): FileEdit[] {
  return plan.edits.filter((e) => e.before !== e.after);
}
