/**
 * Applies a patch plan to a tree all-or-nothing, and recovers a run that was
 * killed half-way.
 *
 * 1. Validate the paths, check every `before` against the disk byte for byte.
 * 2. Write the journal (state `prepared`: old contents, the directories and
 *    temporary files the run will create), durable.
 * 3. Create missing directories, write every new content to a temporary file
 *    next to its target, sync each one and their directories.
 * 4. Mark the journal `committing` (the commit point), durable.
 * 5. Rename each temporary file over its target (or delete the target), one
 *    by one; sync the directories.
 * 6. Delete the journal.
 *
 * A kill before 4 leaves the tree's files untouched: recovery removes the
 * temporaries and directories. A kill after 4 leaves complete temporaries:
 * recovery finishes the renames. Which files were already renamed is read
 * from the disk (a renamed temporary no longer exists, its target holds the
 * new content's hash), which is exact because rename is atomic.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SourceError } from '../parse/source-error.js';
import { crashPoint } from './crash-hook.js';
import { effectiveEdits, type PatchPlan } from './file-edit.js';
import {
  JOURNAL_NAME,
  JOURNAL_TMP_NAME,
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  fsyncDir,
  readJournal,
  sha256,
  toBytes,
  unlinkIfExists,
  writeJournal,
  writeNewFile,
  writeNewFileDurable,
  type Journal,
  type JournalEntry,
} from './journal.js';
import { PatchRefusedError } from './refusal.js';
import { checkInsideTree, validatePlan } from './tree-paths.js';

export interface ApplyProgress {
  phase: 'journal' | 'write' | 'commit' | 'rename' | 'done';
  /** The file just handled (write and rename phases). */
  path?: string;
  done: number;
  total: number;
}

export interface ApplyOptions {
  onProgress?: (p: ApplyProgress) => void;
}

export interface ApplyResult {
  created: string[];
  modified: string[];
  deleted: string[];
  /** Directories created for new files. */
  dirsCreated: string[];
}

export interface RecoveryReport {
  /** completed: the interrupted patch was finished; rolled-back: the tree is as before it; discarded: an unfinished journal was removed, nothing had been changed. */
  action: 'completed' | 'rolled-back' | 'discarded';
  files: string[];
  message: string;
}

export interface RecoverOptions {
  /** Undo an interrupted patch even when it could be completed. */
  rollback?: boolean;
  /** Recover even though the journal's process still seems to run (pid reuse). */
  ignoreLiveOwner?: boolean;
}

function readOrNull(abs: string): Buffer | null {
  try {
    return readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/** The temporary file next to `rel` that transaction `id` writes. */
function tempName(rel: string, id: string): string {
  return path.posix.join(path.posix.dirname(rel), `.${path.posix.basename(rel)}.rvc-${id}.tmp`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Directories (relative) holding `rels`, each once. */
function dirsOf(rels: Iterable<string>): string[] {
  return [...new Set([...rels].map((r) => path.posix.dirname(r)))];
}

function syncDirs(root: string, rels: Iterable<string>): void {
  for (const d of dirsOf(rels)) {
    const abs = d === '.' ? root : path.join(root, d);
    if (exists(abs)) fsyncDir(abs);
  }
}

/** What the transaction needs made durable before it goes on: files and directories (absolute paths) to fsync. */
interface SyncRequest {
  files: string[];
  dirs: string[];
}

function syncRequestSync(req: SyncRequest): void {
  for (const f of req.files) {
    const fd = openSync(f, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  for (const d of req.dirs) fsyncDir(d);
}

/** The same, with every fsync in flight at once: the file system commits them together, several times faster than one by one. */
async function syncRequestAsync(req: SyncRequest): Promise<void> {
  const one = async (p: string) => {
    const fh = await open(p, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  };
  await Promise.all(req.files.map(one));
  await Promise.all(req.dirs.map(one));
}

function absDirsOf(root: string, rels: Iterable<string>): string[] {
  return dirsOf(rels).map((d) => (d === '.' ? root : path.join(root, d)));
}

/**
 * Applies `plan` to the tree at `root`, all or nothing. Refuses (a
 * PatchRefusedError, exit 1) when a file changed since the plan was made or
 * when another run's journal is present; writes nothing then. Edits whose
 * `after` equals their `before` are skipped; a plan of only such edits
 * writes nothing at all. Synchronous: syncs the files one by one (see
 * `applyPlanAsync`, same transaction, faster on many files).
 */
export function applyPlan(root: string, plan: PatchPlan, options: ApplyOptions = {}): ApplyResult {
  const steps = applySteps(root, plan, options);
  let next = steps.next();
  while (!next.done) {
    try {
      syncRequestSync(next.value);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next();
  }
  return next.value;
}

/** `applyPlan` with the fsyncs of each step issued in parallel. Same transaction, same journal, same crash points. */
export async function applyPlanAsync(root: string, plan: PatchPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  const steps = applySteps(root, plan, options);
  let next = steps.next();
  while (!next.done) {
    try {
      await syncRequestAsync(next.value);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next();
  }
  return next.value;
}

/** The transaction, as a sequence of steps that yield whenever files must be made durable before going on. */
function* applySteps(rootArg: string, plan: PatchPlan, options: ApplyOptions): Generator<SyncRequest, ApplyResult, void> {
  const root = path.resolve(rootArg);
  const progress = options.onProgress ?? (() => {});
  validatePlan(root, plan);
  if (exists(path.join(root, JOURNAL_NAME)) || exists(path.join(root, JOURNAL_TMP_NAME))) {
    throw new PatchRefusedError(
      `the tree has a patch journal (${JOURNAL_NAME}): another run is in progress or was interrupted`,
      'run the command again once no other run is active: it completes or rolls back the interrupted patch first',
    );
  }
  const edits = effectiveEdits(plan);
  const result: ApplyResult = { created: [], modified: [], deleted: [], dirsCreated: [] };
  if (edits.length === 0) return result;

  // 1. Every `before` must still be what is on disk, byte for byte.
  const changed: string[] = [];
  const modes = new Map<string, number>();
  for (const e of edits) {
    const abs = path.join(root, e.path);
    const now = readOrNull(abs);
    if (e.before === null ? now !== null : now === null || !now.equals(toBytes(e.before))) changed.push(e.path);
    modes.set(e.path, now !== null ? lstatSync(abs).mode & 0o777 : (e.mode ?? 0o644));
  }
  if (changed.length > 0) {
    throw new PatchRefusedError(
      `${plural(changed.length, 'file')} changed since planned: ${changed.join(', ')}`,
      'nothing was written; run patch again so that it plans against the current tree',
      changed,
    );
  }

  // 2. The journal.
  const id = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const dirs: string[] = [];
  const seenDirs = new Set<string>();
  for (const e of edits) {
    if (e.after === null) continue;
    const segs = e.path.split('/');
    for (let k = 1; k < segs.length; k++) {
      const d = segs.slice(0, k).join('/');
      if (seenDirs.has(d)) continue;
      seenDirs.add(d);
      if (!exists(path.join(root, d))) dirs.push(d);
    }
  }
  const entries: JournalEntry[] = edits.map((e) => {
    const temp = e.after === null ? null : tempName(e.path, id);
    return {
      path: e.path,
      action: e.before === null ? 'create' : e.after === null ? 'delete' : 'modify',
      temp,
      mode: modes.get(e.path) ?? 0o644,
      before: e.before,
      beforeSha256: e.before === null ? null : sha256(toBytes(e.before)),
      afterSha256: e.after === null ? null : sha256(toBytes(e.after)),
    };
  });
  const journal: Journal = {
    format: JOURNAL_FORMAT,
    version: JOURNAL_VERSION,
    id,
    pid: process.pid,
    host: hostname(),
    created: new Date().toISOString(),
    arch: plan.arch,
    state: 'prepared',
    dirs,
    entries,
  };
  const total = entries.length;
  progress({ phase: 'journal', done: 0, total });
  try {
    writeJournal(root, journal, 'journal-partial');
  } catch (e) {
    unlinkIfExists(path.join(root, JOURNAL_TMP_NAME));
    throw new SourceError(JOURNAL_NAME, 0, `cannot write the patch journal: ${errText(e)}`, {
      hint: 'nothing was changed; make the tree writable and run patch again',
    });
  }
  crashPoint('journal-written');

  // 3. Directories and temporary files, then one sync barrier for all of them.
  try {
    dirs.forEach((d, i) => {
      mkdirSync(path.join(root, d), { mode: 0o755 });
      crashPoint('mkdir', i + 1);
    });
    const temps: string[] = [];
    let n = 0;
    edits.forEach((e, i) => {
      const entry = entries[i]!;
      if (e.after === null || entry.temp === null) return;
      n++;
      const abs = path.join(root, entry.temp);
      writeNewFile(abs, toBytes(e.after), entry.mode, { step: 'temp-partial', n });
      temps.push(abs);
      crashPoint('temp-written', n);
      progress({ phase: 'write', path: e.path, done: n, total });
    });
    // Temporaries, the directories holding them, and the parents of new directories.
    yield { files: temps, dirs: absDirsOf(root, [...entries.map((e) => e.path), ...dirs]) };
    crashPoint('temps-synced');
  } catch (e) {
    recoverOrExplain(root, e, 'nothing was changed');
  }

  // 4. Commit point.
  try {
    writeJournal(root, { ...journal, state: 'committing' }, 'commit-partial');
  } catch (e) {
    recoverOrExplain(root, e, 'nothing was changed');
  }
  crashPoint('committed');
  progress({ phase: 'commit', done: 0, total });

  // 5. Renames and deletions.
  try {
    entries.forEach((entry, i) => {
      const abs = path.join(root, entry.path);
      if (entry.temp !== null) renameSync(path.join(root, entry.temp), abs);
      else unlinkSync(abs);
      crashPoint('renamed', i + 1);
      progress({ phase: 'rename', path: entry.path, done: i + 1, total });
    });
    yield { files: [], dirs: absDirsOf(root, entries.map((e) => e.path)) };
  } catch (e) {
    // Finish (or undo) from the journal, which is still on disk.
    recoverOrExplain(root, e, 'the interrupted patch was completed or rolled back as reported above');
  }

  // 6. Done.
  crashPoint('before-journal-delete');
  unlinkSync(path.join(root, JOURNAL_NAME));
  fsyncDir(root);
  crashPoint('journal-deleted');
  progress({ phase: 'done', done: total, total });

  for (const entry of entries) {
    if (entry.action === 'create') result.created.push(entry.path);
    else if (entry.action === 'modify') result.modified.push(entry.path);
    else result.deleted.push(entry.path);
  }
  result.dirsCreated = dirs;
  return result;
}

/** After an I/O error in applyPlan: recover from the journal on disk, then report the error. Never returns. */
function recoverOrExplain(root: string, cause: unknown, whenRecovered: string): never {
  let report: RecoveryReport | null = null;
  try {
    report = recoverJournal(root, { ignoreLiveOwner: true });
  } catch (e2) {
    throw new SourceError(JOURNAL_NAME, 0, `patch failed (${errText(cause)}) and could not be undone: ${errText(e2)}`, {
      hint: 'run patch (or check) again to retry the recovery; the journal keeps the old contents',
    });
  }
  const done = report ? ` (${report.message})` : '';
  throw new SourceError(JOURNAL_NAME, 0, `patch failed: ${errText(cause)}${done}`, {
    hint: `${report?.action === 'completed' ? 'the patch was completed' : whenRecovered}; fix the cause and run patch again`,
  });
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Verdict = { ok: true } | { ok: false; path: string; why: string };

/**
 * Called at the start of every `patch` and `check` run. When the tree holds
 * the journal of an interrupted patch, completes it (it had reached its
 * commit point) or rolls it back (it had not, or `rollback` is asked), and
 * says what it did; null when there was nothing to recover. Throws a
 * SourceError, keeping the journal, when a file changed under the journal so
 * that neither direction is safe, and a PatchRefusedError when the run that
 * owns the journal is still alive.
 */
export function recoverJournal(rootArg: string, options: RecoverOptions = {}): RecoveryReport | null {
  const root = path.resolve(rootArg);
  const read = readJournal(root);
  const tmpAbs = path.join(root, JOURNAL_TMP_NAME);
  if (read.kind === 'none') {
    // Killed while writing the first journal: nothing else was touched.
    if (unlinkIfExists(tmpAbs)) {
      fsyncDir(root);
      return { action: 'discarded', files: [], message: 'removed an incomplete patch journal; no file had been changed' };
    }
    return null;
  }
  if (read.kind === 'corrupt') return discardCorrupt(root, read.raw, read.reason);

  const journal = read.journal;
  if (!options.ignoreLiveOwner && journal.host === hostname() && processAlive(journal.pid)) {
    throw new PatchRefusedError(
      `another rtems-virt-config run (pid ${journal.pid}) is patching this tree`,
      `wait for it to finish; if pid ${journal.pid} is not a rtems-virt-config run, run again with --force to recover its journal`,
    );
  }
  // A temporary journal next to a complete one is an unfinished state update: the complete one rules.
  unlinkIfExists(tmpAbs);
  for (const d of journal.dirs) checkInsideTree(root, d);
  for (const e of journal.entries) {
    checkInsideTree(root, e.path);
    // A temporary file is only ever the one applyPlan names: recovery never removes anything else.
    if (e.temp !== null && e.temp !== tempName(e.path, journal.id)) {
      throw new SourceError(JOURNAL_NAME, 0, `the patch journal names ${e.temp} as the temporary file of ${e.path}`, {
        hint: 'the journal was not written by rtems-virt-config; inspect the tree, then remove the journal',
      });
    }
  }

  const files = journal.entries.map((e) => e.path);
  if (journal.state === 'prepared') {
    // Killed before the commit point: no file of the tree was replaced. Remove what the run created.
    journal.entries.forEach((e, i) => {
      if (e.temp !== null) unlinkIfExists(path.join(root, e.temp));
      crashPoint('recover-step', i + 1);
    });
    syncDirs(root, files);
    const kept = removeDirs(root, journal.dirs);
    finish(root);
    const keptNote = kept.length ? `; kept non-empty directories ${kept.join(', ')}` : '';
    return {
      action: 'rolled-back',
      files,
      message: `rolled back interrupted patch of ${plural(files.length, 'file')} (arch ${journal.arch}): no file had been replaced yet, the tree is as before it${keptNote}`,
    };
  }

  let why = 'as asked';
  if (journal.state === 'committing' && !options.rollback) {
    const verdicts = journal.entries.map((e) => forwardVerdict(root, e));
    const bad = verdicts.find((v): v is Extract<Verdict, { ok: false }> => !v.ok);
    if (bad === undefined) {
      journal.entries.forEach((e, i) => {
        rollForward(root, e);
        crashPoint('recover-step', i + 1);
      });
      syncDirs(root, files);
      finish(root);
      return { action: 'completed', files, message: `completed interrupted patch of ${plural(files.length, 'file')} (arch ${journal.arch})` };
    }
    // Cannot complete: undo instead, if every file allows it.
    const back = journal.entries.map((e) => backwardVerdict(root, e));
    const bad2 = back.find((v): v is Extract<Verdict, { ok: false }> => !v.ok);
    if (bad2 !== undefined) throw conflict(bad, journal);
    why = `it could not be completed: ${bad.path}: ${bad.why}`;
  }

  if (journal.state !== 'rolling-back') {
    // Make the direction durable before undoing committed renames.
    writeJournal(root, { ...journal, state: 'rolling-back' });
  }
  const back = journal.entries.map((e) => backwardVerdict(root, e));
  const bad = back.find((v): v is Extract<Verdict, { ok: false }> => !v.ok);
  if (bad !== undefined) throw conflict(bad, journal);
  let restored = 0;
  journal.entries.forEach((e, i) => {
    if (rollBack(root, e, journal.id)) restored++;
    crashPoint('recover-step', i + 1);
  });
  syncDirs(root, files);
  const kept = removeDirs(root, journal.dirs);
  finish(root);
  const keptNote = kept.length ? `; kept non-empty directories ${kept.join(', ')}` : '';
  return {
    action: 'rolled-back',
    files,
    message: `rolled back interrupted patch of ${plural(files.length, 'file')} (arch ${journal.arch}, ${why}): ${plural(restored, 'file')} restored, the tree is as before it${keptNote}`,
  };
}

function finish(root: string): void {
  crashPoint('recover-before-journal-delete');
  unlinkIfExists(path.join(root, JOURNAL_NAME));
  fsyncDir(root);
}

function conflict(bad: { path: string; why: string }, journal: Journal): SourceError {
  return new SourceError(bad.path, 0, `cannot recover the interrupted patch (arch ${journal.arch}): ${bad.why}`, {
    hint: `the file was changed after the run was interrupted; restore it, then run again (the journal ${JOURNAL_NAME} keeps every old content)`,
  });
}

function hashOf(bytes: Buffer | null): string | null {
  return bytes === null ? null : sha256(bytes);
}

/** Whether an entry can be brought to its new state. */
function forwardVerdict(root: string, e: JournalEntry): Verdict {
  const target = hashOf(readOrNull(path.join(root, e.path)));
  if (e.temp === null) {
    return target === null || target === e.beforeSha256 ? { ok: true } : { ok: false, path: e.path, why: 'it holds neither its old content nor is it deleted' };
  }
  const temp = readOrNull(path.join(root, e.temp));
  if (temp !== null) {
    if (sha256(temp) !== e.afterSha256) return { ok: false, path: e.temp, why: 'its temporary file is damaged' };
    if (target !== e.beforeSha256) return { ok: false, path: e.path, why: 'it no longer holds its old content' };
    return { ok: true };
  }
  return target === e.afterSha256 ? { ok: true } : { ok: false, path: e.path, why: 'its temporary file is gone and it does not hold the new content' };
}

function rollForward(root: string, e: JournalEntry): void {
  const abs = path.join(root, e.path);
  if (e.temp === null) {
    unlinkIfExists(abs);
    return;
  }
  const tempAbs = path.join(root, e.temp);
  if (exists(tempAbs)) renameSync(tempAbs, abs);
}

/** Whether an entry can be brought back to its old state. */
function backwardVerdict(root: string, e: JournalEntry): Verdict {
  const target = hashOf(readOrNull(path.join(root, e.path)));
  if (target === e.beforeSha256 || target === e.afterSha256) return { ok: true };
  return { ok: false, path: e.path, why: 'it holds neither its old nor its new content' };
}

/** Restores one entry's old state; true when a file had to be put back. */
function rollBack(root: string, e: JournalEntry, id: string): boolean {
  const abs = path.join(root, e.path);
  if (e.temp !== null) unlinkIfExists(path.join(root, e.temp));
  const target = hashOf(readOrNull(abs));
  if (target === e.beforeSha256) return false;
  if (e.before === null) {
    unlinkSync(abs);
    return true;
  }
  // Put the old content back the same way: a synced temporary file renamed over the target.
  const restore = path.join(path.dirname(abs), `.${path.basename(abs)}.rvc-${id}.restore`);
  unlinkIfExists(restore);
  writeNewFileDurable(restore, toBytes(e.before), e.mode);
  renameSync(restore, abs);
  return true;
}

/** Removes the directories a run created, deepest first, when empty; returns those kept. */
function removeDirs(root: string, dirs: string[]): string[] {
  const kept: string[] = [];
  for (const d of [...dirs].reverse()) {
    try {
      rmdirSync(path.join(root, d));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') kept.push(d);
      else throw e;
    }
  }
  if (dirs.length) syncDirs(root, dirs);
  return kept;
}

/** A journal that cannot be read was being written when the run died: nothing had been renamed. */
function discardCorrupt(root: string, raw: string, reason: string): RecoveryReport {
  if (/"state"\s*:\s*"(committing|rolling-back)"/.test(raw)) {
    throw new SourceError(JOURNAL_NAME, 0, `the patch journal is damaged (${reason}) and says files were being replaced`, {
      hint: 'inspect the files it lists (git status / git diff), restore them, then delete the journal',
    });
  }
  let removed = 0;
  for (const m of raw.matchAll(/"temp"\s*:\s*"([^"\\]*)"/g)) {
    const rel = m[1] ?? '';
    if (!/\.rvc-[0-9a-z]+\.tmp$/.test(rel)) continue;
    try {
      checkInsideTree(root, rel);
    } catch {
      continue;
    }
    if (unlinkIfExists(path.join(root, rel))) removed++;
  }
  unlinkIfExists(path.join(root, JOURNAL_TMP_NAME));
  unlinkIfExists(path.join(root, JOURNAL_NAME));
  fsyncDir(root);
  return {
    action: 'discarded',
    files: [],
    message: `removed a damaged patch journal (${reason})${removed ? ` and ${plural(removed, 'temporary file')}` : ''}; no file had been changed`,
  };
}
