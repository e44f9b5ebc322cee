import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { validatePlan } from '../../src/patch/tree-paths.js';
import { applyPlan } from '../../src/patch/transaction.js';
import { SourceError } from '../../src/parse/source-error.js';
import type { PatchPlan } from '../../src/patch/file-edit.js';
import { makeOldTree, snapshot, tmpDir, removeTmpDirs } from './tree-snapshot.js';

afterAll(removeTmpDirs);

const plan = (...edits: PatchPlan['edits']): PatchPlan => ({ arch: 'i386', notes: [], edits });
const create = (p: string) => ({ path: p, before: null, after: 'x\n' });

function rejection(root: string, p: PatchPlan): SourceError {
  try {
    validatePlan(root, p);
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('validatePlan accepted the plan');
}

describe('validatePlan', () => {
  const root = makeOldTree('validate');

  it('accepts ordinary relative paths, new nested directories included', () => {
    expect(() => validatePlan(root, plan(create('c/src/lib/libcpu/i386/i386virt/score/cpu.c'), create('new/dir/file.h')))).not.toThrow();
  });

  it.each([
    ['../outside.c', /\.\./],
    ['c/src/../../outside.c', /\.\./],
    ['/etc/passwd', /absolute/],
    ['c/./src/x.c', /normal form/],
    ['c//src/x.c', /normal form/],
    ['c/src/', /normal form/],
    ['c\\src\\x.c', /backslash/],
    ['c/src/x\0.c', /NUL/],
    ['.git/config', /\.git/],
    ['.rtems-virt-config-journal.json', /journal/],
  ])('rejects %j', (p, msg) => {
    const e = rejection(root, plan(create(p)));
    expect(e.message).toMatch(msg);
    expect(e.hint).toBeTruthy();
  });

  it('rejects a parent directory that is a symlink pointing outside the tree, and writes nothing there', () => {
    const t = makeOldTree('symparent');
    const outside = tmpDir('outside');
    symlinkSync(outside, path.join(t, 'c/src/lib/libcpu/escape'));
    const p = plan(create('c/src/lib/libcpu/escape/evil.c'));
    const e = rejection(t, p);
    expect(e.file).toBe('c/src/lib/libcpu/escape/evil.c');
    expect(e.message).toMatch(/c\/src\/lib\/libcpu\/escape.*symlink/);
    expect(() => applyPlan(t, p)).toThrow(SourceError);
    expect(existsSync(path.join(outside, 'evil.c'))).toBe(false);
  });

  it('rejects a symlinked parent even when it points inside the tree', () => {
    const t = makeOldTree('symin');
    symlinkSync('i386', path.join(t, 'c/src/lib/libcpu/alias'));
    expect(rejection(t, plan(create('c/src/lib/libcpu/alias/new.c'))).message).toMatch(/symlink/);
  });

  it('rejects a target that is itself a symlink, and leaves its referent alone', () => {
    const t = makeOldTree('symtarget');
    const outside = tmpDir('outside2');
    writeFileSync(path.join(outside, 'victim'), 'keep\n');
    symlinkSync(path.join(outside, 'victim'), path.join(t, 'cpukit/score/cpu/i386/link.c'));
    const p = plan({ path: 'cpukit/score/cpu/i386/link.c', before: 'keep\n', after: 'overwritten\n' });
    expect(rejection(t, p).message).toMatch(/is a symlink/);
    const before = snapshot(outside);
    expect(() => applyPlan(t, p)).toThrow(SourceError);
    expect(snapshot(outside)).toEqual(before);
  });

  it('rejects a target that is a directory, and a file in the way of a directory', () => {
    const t = makeOldTree('dirtarget');
    mkdirSync(path.join(t, 'c/src/lib/libcpu/i386/somedir'));
    expect(rejection(t, plan(create('c/src/lib/libcpu/i386/somedir'))).message).toMatch(/is a directory/);
    expect(rejection(t, plan(create('bootstrap/inner.c'))).message).toMatch(/bootstrap is not a directory/);
  });

  it('rejects duplicate paths, file/directory clashes inside the plan, bad modes and non-byte content', () => {
    expect(rejection(root, plan(create('a.c'), create('a.c'))).message).toMatch(/twice/);
    expect(rejection(root, plan(create('a'), create('a/b.c'))).message).toMatch(/also writes a\/b\.c/);
    expect(rejection(root, plan({ path: 'x.sh', before: null, after: '', mode: 0o4755 })).message).toMatch(/mode/);
    expect(rejection(root, plan({ path: 'x.c', before: null, after: 'em dash \u2014\n' })).message).toMatch(/U\+00FF/);
  });
});
