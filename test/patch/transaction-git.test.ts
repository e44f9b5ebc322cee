import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { checkGitState, parsePorcelainZ } from '../../src/patch/git-state.js';
import { PatchRefusedError } from '../../src/patch/refusal.js';
import { UsageError } from '../../src/cli/errors.js';
import { makeOldTree, samplePlan, removeTmpDirs } from './tree-snapshot.js';

afterAll(removeTmpDirs);

const touched = samplePlan().edits.map((e) => e.path);

async function git(root: string, ...args: string[]) {
  await execa('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'init.defaultBranch=main', '-C', root, ...args]);
}

async function committedTree(tag: string): Promise<string> {
  const root = makeOldTree(tag);
  await git(root, 'init', '-q');
  await git(root, 'add', '.');
  await git(root, 'commit', '-q', '-m', 'initial');
  return root;
}

async function refusal(p: Promise<unknown>): Promise<PatchRefusedError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PatchRefusedError);
    return e as PatchRefusedError;
  }
  throw new Error('checkGitState did not refuse');
}

describe('checkGitState', () => {
  it('allows a tree that is not in git', async () => {
    expect(await checkGitState(makeOldTree('nogit'), touched)).toEqual({ isGit: false, dirty: [] });
  });

  it('allows a clean git tree', async () => {
    const root = await committedTree('clean');
    // A change to a file the plan does not touch does not matter.
    writeFileSync(path.join(root, 'c/src/lib/libcpu/i386/preinstall.am'), 'local change\n');
    writeFileSync(path.join(root, 'notes.txt'), 'untracked, not touched\n');
    expect(await checkGitState(root, touched)).toEqual({ isGit: true, dirty: [] });
  });

  it('refuses modified, staged and deleted files the plan touches, naming them, exit code 1', async () => {
    const root = await committedTree('dirty');
    writeFileSync(path.join(root, 'c/src/lib/libcpu/i386/Makefile.am'), 'modified\n');
    writeFileSync(path.join(root, 'bootstrap'), 'staged\n');
    await git(root, 'add', 'bootstrap');
    unlinkSync(path.join(root, 'cpukit/score/cpu/i386/old-idle.c'));
    const e = await refusal(checkGitState(root, touched));
    expect(e.exitCode).toBe(1);
    expect(e.files).toEqual(['bootstrap', 'c/src/lib/libcpu/i386/Makefile.am', 'cpukit/score/cpu/i386/old-idle.c']);
    expect(e.message).toMatch(/3 files .* uncommitted changes: bootstrap \(staged\), c\/src\/lib\/libcpu\/i386\/Makefile\.am \(modified\), cpukit\/score\/cpu\/i386\/old-idle\.c \(deleted\)/);
    expect(e.hint).toMatch(/--force/);
    expect(e.hint).toMatch(/commit or stash/);
  });

  it('refuses an untracked file where the plan would create one (in a new, untracked directory too)', async () => {
    const root = await committedTree('untracked');
    mkdirSync(path.join(root, 'c/src/lib/libcpu/i386/i386virt/score'), { recursive: true });
    writeFileSync(path.join(root, 'c/src/lib/libcpu/i386/i386virt/score/cpu.c'), 'mine\n');
    const e = await refusal(checkGitState(root, touched));
    expect(e.files).toEqual(['c/src/lib/libcpu/i386/i386virt/score/cpu.c']);
    expect(e.message).toMatch(/untracked/);
  });

  it('lets --force through and still reports the dirty files', async () => {
    const root = await committedTree('force');
    writeFileSync(path.join(root, 'c/src/lib/libcpu/i386/configure.ac'), 'modified\n');
    const r = await checkGitState(root, touched, { force: true });
    expect(r.isGit).toBe(true);
    expect(r.dirty).toEqual([{ path: 'c/src/lib/libcpu/i386/configure.ac', code: ' M', state: 'modified' }]);
  });

  it('works when the tree is a subdirectory of the repository (paths relative to the tree)', async () => {
    const top = await committedTree('subdir');
    const root = path.join(top, 'c/src/lib/libcpu');
    writeFileSync(path.join(root, 'i386/Makefile.am'), 'modified\n');
    const e = await refusal(checkGitState(root, ['i386/Makefile.am', 'i386/configure.ac']));
    expect(e.files).toEqual(['i386/Makefile.am']);
  });

  it('treats pathspec characters literally', async () => {
    const root = await committedTree('literal');
    writeFileSync(path.join(root, 'c/src/lib/libcpu/i386/Makefile.am'), 'modified\n');
    // "*.am" as a glob would match the modified Makefile.am; as a literal name it matches nothing.
    expect(await checkGitState(root, ['c/src/lib/libcpu/i386/*.am'])).toEqual({ isGit: true, dirty: [] });
  });

  it('reports a broken repository instead of treating it as "not git"', async () => {
    const root = makeOldTree('brokengit');
    writeFileSync(path.join(root, '.git'), 'gitdir: /nonexistent/elsewhere\n');
    await expect(checkGitState(root, touched)).rejects.toThrow(UsageError);
  });

  it('parses renames in porcelain -z output', () => {
    expect(parsePorcelainZ('R  new.c\0old.c\0 M a b.c\0?? x\0')).toEqual([
      { code: 'R ', path: 'new.c' },
      { code: ' M', path: 'a b.c' },
      { code: '??', path: 'x' },
    ]);
  });
});
