import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDiff, summarizePlan } from '../../src/patch/diff.js';
import type { PatchPlan } from '../../src/patch/file-edit.js';
import { makeNewTree, makeOldTree, samplePlan, snapshot, tmpDir, removeTmpDirs } from './tree-snapshot.js';

afterAll(removeTmpDirs);

describe('renderDiff', () => {
  it('prints git-style diffs for created, modified and deleted files, sorted by path, skipping unchanged ones', () => {
    const d = renderDiff(samplePlan());
    const heads = d.split('\n').filter((l) => l.startsWith('diff --git '));
    expect(heads).toEqual([
      'diff --git a/bootstrap b/bootstrap',
      'diff --git a/c/src/lib/libcpu/i386/Makefile.am b/c/src/lib/libcpu/i386/Makefile.am',
      'diff --git a/c/src/lib/libcpu/i386/configure.ac b/c/src/lib/libcpu/i386/configure.ac',
      'diff --git a/c/src/lib/libcpu/i386/i386virt/gen.sh b/c/src/lib/libcpu/i386/i386virt/gen.sh',
      'diff --git a/c/src/lib/libcpu/i386/i386virt/score/cpu.c b/c/src/lib/libcpu/i386/i386virt/score/cpu.c',
      'diff --git a/c/src/lib/libcpu/shared/virt/hypervisor.h b/c/src/lib/libcpu/shared/virt/hypervisor.h',
      'diff --git a/cpukit/score/cpu/i386/old-idle.c b/cpukit/score/cpu/i386/old-idle.c',
    ]);
    expect(d).toContain('new file mode 100755\n--- /dev/null\n+++ b/c/src/lib/libcpu/i386/i386virt/gen.sh\n@@ -0,0 +1,2 @@\n+#!/bin/sh\n+echo generated\n');
    expect(d).toContain('deleted file mode 100644\n--- a/cpukit/score/cpu/i386/old-idle.c\n+++ /dev/null\n@@ -1,4 +0,0 @@\n');
    expect(d).toContain('+AM_CONDITIONAL([i386virt],[test x"$RTEMS_CPU_MODEL" = x"i386virt"])\n');
    expect(d).not.toContain('cpukit/score/cpu/i386/cpu.c'); // unchanged edit
    expect(d).toContain('\u00a9 */'); // bytes shown as UTF-8 text
    expect(renderDiff({ arch: 'i386', notes: [], edits: [] })).toBe('');
  });

  it('is a patch that git apply turns the old tree into the new tree with', async () => {
    const root = makeOldTree('gitapply');
    const patchFile = path.join(tmpDir('diff'), 'p.diff');
    writeFileSync(patchFile, renderDiff(samplePlan()));
    await execa('git', ['apply', '--unsafe-paths', '--directory=.', patchFile], { cwd: root });
    expect(snapshot(root)).toEqual(snapshot(makeNewTree('gitapply-expected')));
  });

  it('marks a missing final newline', () => {
    const p: PatchPlan = { arch: 'sparc', notes: [], edits: [{ path: 'a.c', before: 'x\n', after: 'x\ny' }] };
    expect(renderDiff(p)).toContain('+y\n\\ No newline at end of file\n');
  });
});

describe('summarizePlan', () => {
  it('lists each changed file with its action and line counts, and keeps the notes', () => {
    const s = summarizePlan(samplePlan());
    expect(s.arch).toBe('i386');
    expect(s.notes).toEqual(['test plan']);
    expect(s.files).toEqual([
      { path: 'bootstrap', action: 'modify', linesAdded: 1, linesRemoved: 0 },
      { path: 'c/src/lib/libcpu/i386/Makefile.am', action: 'modify', linesAdded: 5, linesRemoved: 0 },
      { path: 'c/src/lib/libcpu/i386/configure.ac', action: 'modify', linesAdded: 3, linesRemoved: 0 },
      { path: 'c/src/lib/libcpu/i386/i386virt/gen.sh', action: 'create', linesAdded: 2, linesRemoved: 0 },
      { path: 'c/src/lib/libcpu/i386/i386virt/score/cpu.c', action: 'create', linesAdded: 8, linesRemoved: 0 },
      { path: 'c/src/lib/libcpu/shared/virt/hypervisor.h', action: 'create', linesAdded: 4, linesRemoved: 0 },
      { path: 'cpukit/score/cpu/i386/old-idle.c', action: 'delete', linesAdded: 0, linesRemoved: 4 },
    ]);
  });

  it('counts a changed line as one removed and one added', () => {
    const p: PatchPlan = { arch: 'arm', notes: [], edits: [{ path: 'm.am', before: 'a\nb\nc\n', after: 'a\nB\nc\n' }] };
    expect(summarizePlan(p).files).toEqual([{ path: 'm.am', action: 'modify', linesAdded: 1, linesRemoved: 1 }]);
  });
});

describe('renderDiff of whole-file creations and deletions', () => {
  it('matches what jsdiff computes by diffing against an empty file', async () => {
    const { createTwoFilesPatch } = await import('diff');
    for (const text of ['a\nb\n', 'one line, no newline', 'x\n\n\ny', '\n']) {
      const created = renderDiff({ arch: 'i386', notes: [], edits: [{ path: 'f.c', before: null, after: text }] });
      const reference = createTwoFilesPatch('/dev/null', 'b/f.c', '', text, undefined, undefined, { headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true } });
      expect(created).toBe(`diff --git a/f.c b/f.c\nnew file mode 100644\n${reference}`);
      const deleted = renderDiff({ arch: 'i386', notes: [], edits: [{ path: 'f.c', before: text, after: null }] });
      const refDel = createTwoFilesPatch('a/f.c', '/dev/null', text, '', undefined, undefined, { headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true } });
      expect(deleted).toBe(`diff --git a/f.c b/f.c\ndeleted file mode 100644\n${refDel}`);
    }
  });

  it('creates an empty file with headers only', () => {
    expect(renderDiff({ arch: 'i386', notes: [], edits: [{ path: 'e', before: null, after: '' }] })).toBe('diff --git a/e b/e\nnew file mode 100644\n');
  });
});
