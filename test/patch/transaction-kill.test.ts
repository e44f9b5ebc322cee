/**
 * Kill tests: the transaction runs in a child process that SIGKILLs itself
 * (RVC_TEST_CRASH_AT=<step>:<n>, a test-only hook) at every step boundary;
 * then recoverJournal must leave the tree byte-identical to the full old or
 * the full new state (contents, modes, no stray directory, temporary file or
 * journal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { SourceError } from '../../src/parse/source-error.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { recoverJournal } from '../../src/patch/transaction.js';
import { JOURNAL_NAME } from '../../src/patch/journal.js';
import { makeNewTree, makeOldTree, samplePlan, snapshot, tmpDir, removeTmpDirs } from './tree-snapshot.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');
const child = path.join(here, 'transaction-child.mjs');
let dist = '';
let planFile = '';
let OLD: Map<string, string>;
let NEW: Map<string, string>;

beforeAll(async () => {
  // Compile the transaction alone (the whole project may hold others' work in progress).
  // Inside node_modules/.cache so that the compiled files resolve the project's packages.
  const cache = path.join(projectRoot, 'node_modules/.cache');
  await execa('mkdir', ['-p', cache]);
  dist = mkdtempSync(path.join(cache, 'rvc-tx-kill-'));
  await execa(
    'npx',
    ['tsc', '--ignoreConfig', '--outDir', dist, '--rootDir', 'src', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', 'src/patch/transaction.ts'],
    { cwd: projectRoot },
  );
  planFile = path.join(tmpDir('plan'), 'plan.json');
  writeFileSync(planFile, JSON.stringify(samplePlan()));
  OLD = snapshot(makeOldTree('kill-old'));
  NEW = snapshot(makeNewTree('kill-new'));
  expect(OLD).not.toEqual(NEW);
});

afterAll(() => {
  if (dist) rmSync(dist, { recursive: true, force: true });
  removeTmpDirs();
});

async function runChild(args: string[], crashAt: string) {
  return execa(process.execPath, [child, ...args], {
    env: { RVC_TX_DIST: dist, RVC_TEST_CRASH_AT: crashAt },
    reject: false,
  });
}

/** Apply in a child that dies at `crashAt`; the child must really die there. */
async function killedApply(crashAt: string, mode: 'apply' | 'apply-async' = 'apply'): Promise<string> {
  const root = makeOldTree('kill');
  const r = await runChild([mode, root, planFile], crashAt);
  expect(r.signal, `child should die at ${crashAt}; stderr: ${String(r.stderr)}`).toBe('SIGKILL');
  return root;
}

// The sample plan: 4 new directories, 6 temporary files (3 created, 3 modified files), 7 renames/deletions.
// Every step boundary of the transaction is listed here (CRASH_STEPS in src/patch/crash-hook.ts).
const BEFORE_COMMIT = [
  'journal-partial:1',
  'journal-written:1',
  ...[1, 2, 3, 4].map((n) => `mkdir:${n}`),
  ...[1, 2, 3, 4, 5, 6].flatMap((n) => [`temp-partial:${n}`, `temp-written:${n}`]),
  'temps-synced:1',
  'commit-partial:1',
];
const AFTER_COMMIT = ['committed:1', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `renamed:${n}`), 'before-journal-delete:1'];

describe.concurrent('kill -9 during applyPlan, then recoverJournal', () => {
  it.each(BEFORE_COMMIT)('killed at %s: rolled back to the exact old tree', async (crashAt) => {
    const root = await killedApply(crashAt);
    const report = recoverJournal(root);
    expect(report?.action).toBe(crashAt === 'journal-partial:1' ? 'discarded' : 'rolled-back');
    expect(snapshot(root)).toEqual(OLD);
    expect(recoverJournal(root)).toBeNull();
  });

  it.each(AFTER_COMMIT)('killed at %s: completed to the exact new tree', async (crashAt) => {
    const root = await killedApply(crashAt);
    expect(existsSync(path.join(root, JOURNAL_NAME))).toBe(true);
    const report = recoverJournal(root);
    expect(report?.action).toBe('completed');
    expect(report?.message).toBe('completed interrupted patch of 7 files (arch i386)');
    expect(snapshot(root)).toEqual(NEW);
  });

  it('killed right after the journal is deleted: nothing to recover, new tree', async () => {
    const root = await killedApply('journal-deleted:1');
    expect(recoverJournal(root)).toBeNull();
    expect(snapshot(root)).toEqual(NEW);
  });

  it('the tree is never half-patched at any kill point: a check with no recovery sees old files unless committed', async () => {
    // Between the kill and the recovery, the tree's own files are either all old (before the commit point) or the journal is there.
    const root = await killedApply('temp-written:6');
    const s = snapshot(root);
    for (const [p, v] of OLD) expect(s.get(p), p).toBe(v);
  });
});

describe.concurrent('kill -9 during applyPlanAsync (parallel fsyncs), then recoverJournal', () => {
  it.each(['temp-partial:4', 'temps-synced:1'])('killed at %s: old tree', async (crashAt) => {
    const root = await killedApply(crashAt, 'apply-async');
    expect(recoverJournal(root)?.action).toBe('rolled-back');
    expect(snapshot(root)).toEqual(OLD);
  });
  it.each(['committed:1', 'renamed:4'])('killed at %s: new tree', async (crashAt) => {
    const root = await killedApply(crashAt, 'apply-async');
    expect(recoverJournal(root)?.action).toBe('completed');
    expect(snapshot(root)).toEqual(NEW);
  });
});

describe.concurrent('kill -9 during recovery, then recovery again', () => {
  it.each([1, 4, 7])('completion killed at file %i: the next recovery still completes', async (n) => {
    const root = await killedApply('renamed:3');
    const r = await runChild(['recover', root], `recover-step:${n}`);
    expect(r.signal).toBe('SIGKILL');
    expect(recoverJournal(root)?.action).toBe('completed');
    expect(snapshot(root)).toEqual(NEW);
  });

  it('roll-back of an uncommitted run killed half-way: the next recovery still rolls back', async () => {
    const root = await killedApply('temp-written:4');
    const r = await runChild(['recover', root], 'recover-step:2');
    expect(r.signal).toBe('SIGKILL');
    expect(recoverJournal(root)?.action).toBe('rolled-back');
    expect(snapshot(root)).toEqual(OLD);
  });

  it.each([1, 4, 7])('an explicit rollback of a committed run killed at file %i keeps rolling back (not forward)', async (n) => {
    const root = await killedApply('renamed:5');
    const r = await runChild(['recover', root, 'rollback'], `recover-step:${n}`);
    expect(r.signal).toBe('SIGKILL');
    const report = recoverJournal(root);
    expect(report?.action).toBe('rolled-back');
    expect(snapshot(root)).toEqual(OLD);
  });

  it('recovery killed just before dropping its journal: the next one finishes cleanly', async () => {
    const root = await killedApply('committed:1');
    const r = await runChild(['recover', root], 'recover-before-journal-delete:1');
    expect(r.signal).toBe('SIGKILL');
    expect(recoverJournal(root)?.action).toBe('completed');
    expect(snapshot(root)).toEqual(NEW);
  });

  it('an explicit rollback of a fully renamed (committed) run restores every old content and mode', async () => {
    const root = await killedApply('before-journal-delete:1');
    const r = await runChild(['recover', root, 'rollback'], 'none:0');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).message).toMatch(/rolled back interrupted patch of 7 files \(arch i386, as asked\): 7 files restored/);
    expect(snapshot(root)).toEqual(OLD);
  });
});

describe.concurrent('files changed by hand between the kill and the recovery', () => {
  it('a committed run whose pending file was edited: neither direction is safe, recovery refuses and keeps the journal', async () => {
    const root = await killedApply('renamed:2');
    // Entry 7 (bootstrap) was not renamed yet; someone edits it.
    writeFileSync(path.join(root, 'bootstrap'), 'edited after the crash\n');
    const journal = readFileSync(path.join(root, JOURNAL_NAME), 'utf8');
    let err: unknown;
    try {
      recoverJournal(root);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).file).toBe('bootstrap');
    expect((err as SourceError).message).toMatch(/no longer holds its old content/);
    expect(readFileSync(path.join(root, JOURNAL_NAME), 'utf8')).toBe(journal);
    expect(readFileSync(path.join(root, 'bootstrap'), 'utf8')).toBe('edited after the crash\n');
  });

  it('a committed run whose pending temporary file vanished: rolled back instead of completed', async () => {
    const root = await killedApply('renamed:1');
    // The temporary file of entry 3 (a new file) is lost; the run cannot be completed but can be undone.
    const j = JSON.parse(readFileSync(path.join(root, JOURNAL_NAME), 'utf8')) as { entries: { temp: string | null }[] };
    rmSync(path.join(root, j.entries[2]!.temp!));
    const report = recoverJournal(root);
    expect(report?.action).toBe('rolled-back');
    expect(report?.message).toMatch(/could not be completed/);
    expect(snapshot(root)).toEqual(OLD);
  });
});
