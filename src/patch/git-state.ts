/**
 * Refuses to patch over uncommitted work: when the tree is a git work tree,
 * every file the plan touches must be committed (or absent, for files the
 * plan creates), unless the user says `--force`.
 */
import { execa } from 'execa';
import { UsageError } from '../cli/errors.js';
import { PatchRefusedError } from './refusal.js';

export interface DirtyFile {
  /** Relative to the tree root. */
  path: string;
  /** The two-letter `git status --porcelain` code, e.g. " M", "A ", "??". */
  code: string;
  /** modified, staged, untracked, deleted, unmerged. */
  state: string;
}

export interface GitState {
  /** Whether the tree lies in a git work tree. */
  isGit: boolean;
  /** Touched files with uncommitted changes (only non-empty when `force` let them through). */
  dirty: DirtyFile[];
}

function describe(code: string): string {
  const [x = ' ', y = ' '] = code;
  if (code === '??') return 'untracked';
  if (x === 'U' || y === 'U' || code === 'AA' || code === 'DD') return 'unmerged';
  if (y === 'D' || x === 'D') return x !== ' ' && y === ' ' ? 'staged deletion' : 'deleted';
  if (x !== ' ' && y !== ' ') return 'staged and modified';
  if (x !== ' ') return 'staged';
  return 'modified';
}

/** Parses `git status --porcelain=v1 -z` output into (code, path) pairs; paths as git prints them (relative to the repository top). */
export function parsePorcelainZ(out: string): { code: string; path: string }[] {
  const fields = out.split('\0');
  const entries: { code: string; path: string }[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f === undefined || f.length < 4) continue;
    const code = f.slice(0, 2);
    entries.push({ code, path: f.slice(3) });
    // Renames and copies carry the original path in the next field.
    if (code[0] === 'R' || code[0] === 'C' || code[1] === 'R' || code[1] === 'C') i++;
  }
  return entries;
}

async function git(root: string, args: string[]) {
  return execa('git', ['--no-optional-locks', '--literal-pathspecs', '-C', root, ...args], {
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    // Untranslated messages: the "not a git repository" test below reads them.
    env: { LC_ALL: 'C' },
  });
}

/**
 * Checks the git state of the files `paths` (relative to `root`). Non-git
 * trees (and hosts without git) pass. In a git work tree, any touched file
 * that is modified, staged, unmerged or untracked makes this throw a
 * PatchRefusedError (exit code 1) naming the files, unless `force`.
 */
export async function checkGitState(root: string, paths: readonly string[], options: { force?: boolean } = {}): Promise<GitState> {
  const probe = await git(root, ['rev-parse', '--is-inside-work-tree', '--show-prefix']);
  if ((probe as { code?: string }).code === 'ENOENT' || probe.failed && probe.exitCode === undefined) {
    // git is not installed: nothing to protect that git would know about.
    return { isGit: false, dirty: [] };
  }
  if (probe.exitCode !== 0) {
    const err = String(probe.stderr);
    // "(or any of the parent directories)" / "(or any parent up to mount point …)": no repository at all. A bare "not a git repository: PATH" is a broken .git link, reported.
    if (/not a git repository \(or any/i.test(err)) return { isGit: false, dirty: [] };
    throw new UsageError(`git cannot read the state of ${root}: ${err.trim().split('\n')[0] ?? ''}`, 'fix the git error above (e.g. safe.directory), or patch a copy of the tree');
  }
  const [inside = '', prefix = ''] = String(probe.stdout).split('\n');
  if (inside.trim() !== 'true') return { isGit: false, dirty: [] };
  if (paths.length === 0) return { isGit: true, dirty: [] };

  const st = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths]);
  if (st.exitCode !== 0) {
    throw new UsageError(`git status failed in ${root}: ${String(st.stderr).trim().split('\n')[0] ?? ''}`, 'fix the git error above, or patch a copy of the tree');
  }
  const wanted = new Set(paths);
  const dirty: DirtyFile[] = [];
  for (const e of parsePorcelainZ(String(st.stdout))) {
    const rel = prefix && e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path;
    if (!wanted.has(rel)) continue;
    dirty.push({ path: rel, code: e.code, state: describe(e.code) });
  }
  dirty.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (dirty.length > 0 && !options.force) {
    const list = dirty.map((d) => `${d.path} (${d.state})`).join(', ');
    throw new PatchRefusedError(
      `${dirty.length} file${dirty.length === 1 ? '' : 's'} the patch would touch ${dirty.length === 1 ? 'has' : 'have'} uncommitted changes: ${list}`,
      'commit or stash them first (git stash --include-untracked), or rerun with --force to overwrite them',
      dirty.map((d) => d.path),
    );
  }
  return { isGit: true, dirty };
}
