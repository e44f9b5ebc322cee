import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { hostname } from 'node:os';
import { applyPlan, applyPlanAsync, recoverJournal, type ApplyProgress } from '../../src/patch/transaction.js';
import { isNoop, type PatchPlan } from '../../src/patch/file-edit.js';
import { PatchRefusedError } from '../../src/patch/refusal.js';
import { JOURNAL_NAME, JOURNAL_TMP_NAME, readJournal } from '../../src/patch/journal.js';
import { SourceError } from '../../src/parse/source-error.js';
import { makeNewTree, makeOldTree, samplePlan, snapshot, writeTree, removeTmpDirs } from './tree-snapshot.js';

afterAll(removeTmpDirs);

describe('applyPlan', () => {
  it('turns the old tree into exactly the new tree (contents, modes, new directories, deletions), with no journal or temporaries left', () => {
    const root = makeOldTree('apply');
    const events: ApplyProgress[] = [];
    const r = applyPlan(root, samplePlan(), { onProgress: (p) => events.push(p) });
    expect(snapshot(root)).toEqual(snapshot(makeNewTree('apply-expected')));
    expect(r.created.sort()).toEqual([
      'c/src/lib/libcpu/i386/i386virt/gen.sh',
      'c/src/lib/libcpu/i386/i386virt/score/cpu.c',
      'c/src/lib/libcpu/shared/virt/hypervisor.h',
    ]);
    expect(r.deleted).toEqual(['cpukit/score/cpu/i386/old-idle.c']);
    expect(r.modified).toEqual(['c/src/lib/libcpu/i386/configure.ac', 'c/src/lib/libcpu/i386/Makefile.am', 'bootstrap']);
    expect(r.dirsCreated).toEqual([
      'c/src/lib/libcpu/i386/i386virt',
      'c/src/lib/libcpu/i386/i386virt/score',
      'c/src/lib/libcpu/shared',
      'c/src/lib/libcpu/shared/virt',
    ]);
    expect(statSync(path.join(root, 'c/src/lib/libcpu/i386/i386virt/gen.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(root, 'bootstrap')).mode & 0o777).toBe(0o755); // an existing file keeps its mode
    // Non-ASCII bytes survive untouched (byte strings, not UTF-16 text).
    expect(readFileSync(path.join(root, 'c/src/lib/libcpu/i386/i386virt/score/cpu.c')).includes(Buffer.from([0xc2, 0xa9]))).toBe(true);
    expect(events.map((e) => e.phase)).toEqual(['journal', ...Array(6).fill('write'), 'commit', ...Array(7).fill('rename'), 'done']);
    expect(recoverJournal(root)).toBeNull();
  });

  it('applyPlanAsync (parallel fsyncs) produces the same tree', async () => {
    const root = makeOldTree('apply-async');
    const r = await applyPlanAsync(root, samplePlan());
    expect(r.created).toHaveLength(3);
    expect(snapshot(root)).toEqual(snapshot(makeNewTree('apply-async-expected')));
  });

  it('applyPlanAsync rolls back when a step fails before the commit point', async () => {
    const root = makeOldTree('async-fail');
    const before = snapshot(root);
    const failing = (p: ApplyProgress) => {
      if (p.phase === 'write' && p.done === 5) throw new Error('EIO (simulated)');
    };
    await expect(applyPlanAsync(root, samplePlan(), { onProgress: failing })).rejects.toThrow(/EIO.*rolled back/);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses when a file changed since planned, and writes nothing', () => {
    const root = makeOldTree('mismatch');
    writeFileSync(path.join(root, 'c/src/lib/libcpu/i386/Makefile.am'), 'edited by hand\n');
    writeTree(root, { 'c/src/lib/libcpu/shared/virt/hypervisor.h': '/* already there */\n' });
    const before = snapshot(root);
    let err: unknown;
    try {
      applyPlan(root, samplePlan());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchRefusedError);
    const refusal = err as PatchRefusedError;
    expect(refusal.message).toMatch(/2 files changed since planned/);
    expect(refusal.files).toEqual(['c/src/lib/libcpu/i386/Makefile.am', 'c/src/lib/libcpu/shared/virt/hypervisor.h']);
    expect(refusal.exitCode).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });

  it('treats a file deleted since planned as changed', () => {
    const root = makeOldTree('mismatch-del');
    const p = samplePlan();
    p.edits = p.edits.filter((e) => e.path !== 'bootstrap');
    writeFileSync(path.join(root, 'cpukit/score/cpu/i386/old-idle.c'), 'void other(void);\n');
    expect(() => applyPlan(root, p)).toThrow(/changed since planned: cpukit\/score\/cpu\/i386\/old-idle\.c/);
  });

  it('writes nothing for a no-op plan (second run of an idempotent patch)', () => {
    const root = makeOldTree('noop');
    const p: PatchPlan = {
      arch: 'i386',
      notes: [],
      edits: [{ path: 'bootstrap', before: '#! /bin/sh\necho bootstrap\n', after: '#! /bin/sh\necho bootstrap\n' }],
    };
    expect(isNoop(p)).toBe(true);
    expect(isNoop(samplePlan())).toBe(false);
    const before = snapshot(root);
    const r = applyPlan(root, p);
    expect(r).toEqual({ created: [], modified: [], deleted: [], dirsCreated: [] });
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses while a journal is present', () => {
    const root = makeOldTree('busy');
    writeFileSync(path.join(root, JOURNAL_TMP_NAME), '{"format":');
    expect(() => applyPlan(root, samplePlan())).toThrow(PatchRefusedError);
  });

  it('rolls back by itself when writing the new contents fails before the commit point', () => {
    const root = makeOldTree('fail-write');
    const before = snapshot(root);
    let n = 0;
    const failing = (p: ApplyProgress) => {
      if (p.phase === 'write' && ++n === 3) throw new Error('ENOSPC: no space left on device (simulated)');
    };
    let err: unknown;
    try {
      applyPlan(root, samplePlan(), { onProgress: failing });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toMatch(/ENOSPC.*rolled back interrupted patch of 7 files/);
    expect(snapshot(root)).toEqual(before);
  });

  it('completes by itself when a step fails after the commit point', () => {
    const root = makeOldTree('fail-rename');
    let n = 0;
    const failing = (p: ApplyProgress) => {
      if (p.phase === 'rename' && ++n === 2) throw new Error('EIO (simulated)');
    };
    expect(() => applyPlan(root, samplePlan(), { onProgress: failing })).toThrow(/EIO.*completed interrupted patch of 7 files/);
    expect(snapshot(root)).toEqual(snapshot(makeNewTree('fail-rename-expected')));
  });
});

describe('recoverJournal (in-process cases)', () => {
  it('drops a journal whose first write never finished', () => {
    const root = makeOldTree('rec-tmp');
    const before = snapshot(root);
    writeFileSync(path.join(root, JOURNAL_TMP_NAME), '{"format":"rtems-virt-config-journal","vers');
    const r = recoverJournal(root);
    expect(r?.action).toBe('discarded');
    expect(r?.message).toMatch(/no file had been changed/);
    expect(snapshot(root)).toEqual(before);
  });

  it('handles a truncated (corrupt) journal: removes the temporaries it names, drops it', () => {
    const root = makeOldTree('rec-corrupt');
    const before = snapshot(root);
    writeTree(root, { 'c/src/lib/libcpu/i386/.Makefile.am.rvc-abc123.tmp': 'half' });
    writeFileSync(
      path.join(root, JOURNAL_NAME),
      '{"format":"rtems-virt-config-journal","version":1,"id":"abc123","state":"prepared","entries":[{"path":"c/src/lib/libcpu/i386/Makefile.am","action":"modify","temp":"c/src/lib/libcpu/i386/.Makefile.am.rvc-abc123.tmp","mo',
    );
    const r = recoverJournal(root);
    expect(r?.action).toBe('discarded');
    expect(r?.message).toMatch(/damaged.*1 temporary file/);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a corrupt journal that says files were being replaced, and keeps it', () => {
    const root = makeOldTree('rec-corrupt-commit');
    writeFileSync(path.join(root, JOURNAL_NAME), '{"format":"rtems-virt-config-journal","state":"committing","entries":[{');
    expect(() => recoverJournal(root)).toThrow(SourceError);
    expect(existsSync(path.join(root, JOURNAL_NAME))).toBe(true);
  });

  it('refuses a journal whose paths leave the tree', () => {
    const root = makeOldTree('rec-evil');
    const j = {
      format: 'rtems-virt-config-journal', version: 1, id: 'x1', pid: 999999999, host: 'elsewhere', created: '', arch: 'i386',
      state: 'committing', dirs: [],
      entries: [{ path: '../escape.c', action: 'create', temp: '.escape.c.rvc-x1.tmp', mode: 420, before: null, beforeSha256: null, afterSha256: 'ff' }],
    };
    writeFileSync(path.join(root, JOURNAL_NAME), JSON.stringify(j));
    expect(readJournal(root).kind).toBe('ok');
    expect(() => recoverJournal(root)).toThrow(/leaves the tree/);
  });

  it('never removes a file a tampered journal passes off as a temporary file', () => {
    const root = makeOldTree('rec-tamper');
    const j = {
      format: 'rtems-virt-config-journal', version: 1, id: 'x2', pid: 999999999, host: 'elsewhere', created: '', arch: 'i386',
      state: 'prepared', dirs: [],
      entries: [{ path: 'c/src/lib/libcpu/i386/Makefile.am', action: 'modify', temp: 'bootstrap', mode: 420, before: 'x', beforeSha256: 'aa', afterSha256: 'bb' }],
    };
    writeFileSync(path.join(root, JOURNAL_NAME), JSON.stringify(j));
    const before = snapshot(root);
    expect(() => recoverJournal(root)).toThrow(/names bootstrap as the temporary file/);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses to recover the journal of a run that is still alive, unless told to', () => {
    const root = makeOldTree('rec-live');
    const j = {
      format: 'rtems-virt-config-journal', version: 1, id: 'live1', pid: process.ppid, host: hostname(), created: '', arch: 'i386',
      state: 'prepared', dirs: [], entries: [],
    };
    writeFileSync(path.join(root, JOURNAL_NAME), JSON.stringify(j));
    expect(() => recoverJournal(root)).toThrow(PatchRefusedError);
    expect(existsSync(path.join(root, JOURNAL_NAME))).toBe(true);
    expect(recoverJournal(root, { ignoreLiveOwner: true })?.action).toBe('rolled-back');
    expect(existsSync(path.join(root, JOURNAL_NAME))).toBe(false);
  });

  it('returns null when there is nothing to recover', () => {
    expect(recoverJournal(makeOldTree('rec-none'))).toBeNull();
    expect(readdirSync(makeOldTree('rec-none2'))).not.toContain(JOURNAL_NAME);
  });
});
