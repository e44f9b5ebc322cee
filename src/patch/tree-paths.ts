/**
 * Keeps a plan inside its tree: every path is relative, has no `.` or `..`
 * segment, no NUL, and reaches its file through real directories only. No
 * symlink is followed, neither out of the tree nor inside it, and a symlink or
 * directory is never the target of a write.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { SourceError } from '../parse/source-error.js';
import { UsageError } from '../cli/errors.js';
import type { FileEdit, PatchPlan } from './file-edit.js';

/** The journal an interrupted run leaves behind; no plan may write it. */
export const JOURNAL_NAME = '.rtems-virt-config-journal.json';

function lstatOrNull(abs: string): Stats | null {
  try {
    return lstatSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return null;
    throw e;
  }
}

function refuse(file: string, message: string, hint: string): never {
  throw new SourceError(file, 0, message, { hint });
}

/** Checks the shape of one path string (no file system access). */
export function checkRelativePath(p: unknown): string {
  if (typeof p !== 'string' || p.length === 0) {
    throw new UsageError('patch plan has an edit without a path', 'this is a planner bug; report it');
  }
  const shown = JSON.stringify(p);
  if (p.includes('\0')) refuse(shown, 'path contains a NUL byte', 'a plan may only name ordinary relative paths');
  if (p.includes('\\')) refuse(p, 'path contains a backslash', 'paths in a plan use POSIX "/" separators');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) {
    refuse(p, 'absolute path in a patch plan', 'a plan may only write files inside the tree, named relative to its top');
  }
  for (const seg of p.split('/')) {
    if (seg === '..') refuse(p, 'path leaves the tree through ".."', 'a plan may only write files inside the tree');
    if (seg === '.' || seg === '') {
      refuse(p, 'path is not in normal form (empty or "." segment)', 'name files as "dir/sub/file", relative to the top of the tree');
    }
    if (seg === '.git') refuse(p, 'path is inside a .git directory', 'the patch never writes git metadata');
  }
  if (p === JOURNAL_NAME || p.startsWith(`${JOURNAL_NAME}.`)) {
    refuse(p, 'path is the patch journal itself', 'this is a planner bug; report it');
  }
  return p;
}

function checkEditShape(edit: FileEdit, index: number): void {
  const where = typeof edit?.path === 'string' ? edit.path : `edit #${index}`;
  if (edit.before !== null && typeof edit.before !== 'string') refuse(where, '"before" is neither text nor null', 'this is a planner bug; report it');
  if (edit.after !== null && typeof edit.after !== 'string') refuse(where, '"after" is neither text nor null', 'this is a planner bug; report it');
  if (edit.mode !== undefined && (!Number.isInteger(edit.mode) || edit.mode < 0 || (edit.mode & ~0o777) !== 0)) {
    refuse(where, `file mode ${String(edit.mode)} is not a plain permission mode`, 'use 0o644 for sources and 0o755 for scripts');
  }
  if (edit.after !== null) {
    // Contents are byte strings (one char per byte, as FileStore reads them).
    for (let i = 0; i < edit.after.length; i++) {
      if (edit.after.charCodeAt(i) > 0xff) {
        refuse(where, `new content has a character above U+00FF at offset ${i}`, 'plan contents are byte strings: read templates as latin1 (or keep them ASCII)');
      }
    }
  }
}

/**
 * Throws a SourceError (file = the offending path) unless every edit of the
 * plan names a file strictly inside `root`, reached through real directories,
 * and is not itself a symlink, a directory or a special file.
 */
export function validatePlan(root: string, plan: PatchPlan): void {
  let rootStat: Stats;
  try {
    rootStat = statSync(root);
  } catch {
    throw new UsageError(`tree ${root} does not exist`, 'give the top directory of an RTEMS source tree');
  }
  if (!rootStat.isDirectory()) throw new UsageError(`tree ${root} is not a directory`, 'give the top directory of an RTEMS source tree');
  if (!plan || !Array.isArray(plan.edits)) throw new UsageError('patch plan has no edit list', 'this is a planner bug; report it');

  const seen = new Set<string>();
  plan.edits.forEach((edit, i) => {
    const p = checkRelativePath(edit?.path);
    checkEditShape(edit, i);
    if (seen.has(p)) refuse(p, 'the plan edits this file twice', 'this is a planner bug; report it');
    seen.add(p);
  });
  // A file cannot also be a directory of another edit.
  for (const p of seen) {
    const segs = p.split('/');
    for (let k = 1; k < segs.length; k++) {
      const dir = segs.slice(0, k).join('/');
      if (seen.has(dir)) refuse(dir, `the plan writes this path as a file and also writes ${p} below it`, 'this is a planner bug; report it');
    }
  }

  // Walk each path component by component with lstat: no symlink anywhere, directories where directories are needed.
  const checkedDirs = new Map<string, 'dir' | 'missing'>();
  for (const edit of plan.edits) {
    const segs = edit.path.split('/');
    let missing = false;
    for (let k = 1; k < segs.length && !missing; k++) {
      const rel = segs.slice(0, k).join('/');
      const known = checkedDirs.get(rel);
      if (known === 'dir') continue;
      if (known === 'missing') {
        missing = true;
        break;
      }
      const st = lstatOrNull(path.join(root, rel));
      if (st === null) {
        checkedDirs.set(rel, 'missing');
        missing = true;
      } else if (st.isSymbolicLink()) {
        refuse(edit.path, `directory ${rel} on the way to this file is a symlink`, 'the patch never writes through symlinks; replace the link with a real directory or patch the tree it points to');
      } else if (!st.isDirectory()) {
        refuse(edit.path, `${rel} is not a directory`, `move ${rel} out of the way, or re-plan against the current tree`);
      } else {
        checkedDirs.set(rel, 'dir');
      }
    }
    if (missing) continue;
    const st = lstatOrNull(path.join(root, edit.path));
    if (st === null) continue;
    if (st.isSymbolicLink()) {
      refuse(edit.path, 'the file to write is a symlink', 'the patch never writes through symlinks; replace the link with a regular file');
    }
    if (st.isDirectory()) refuse(edit.path, 'the file to write is a directory', `move the directory ${edit.path} out of the way`);
    if (!st.isFile()) refuse(edit.path, 'the file to write is not a regular file', `remove ${edit.path} or move it out of the way`);
  }
}

/**
 * For paths read back from a journal: the same string checks as a plan path,
 * and no symlink on the way to it nor at it. Throws a SourceError.
 */
export function checkInsideTree(root: string, rel: string, what = 'journal path'): void {
  checkRelativePath(rel);
  const segs = rel.split('/');
  for (let k = 1; k <= segs.length; k++) {
    const sub = segs.slice(0, k).join('/');
    const st = lstatOrNull(path.join(root, sub));
    if (st === null) return;
    if (st.isSymbolicLink()) refuse(rel, `${what}: ${sub} is a symlink`, 'the journal was tampered with or the tree changed; inspect it, then remove .rtems-virt-config-journal.json');
    if (k < segs.length && !st.isDirectory()) refuse(rel, `${what}: ${sub} is not a directory`, 'the tree changed since the interrupted run; inspect it, then remove .rtems-virt-config-journal.json');
  }
}
