/**
 * The patch journal: one JSON file at the top of the tree
 * (`.rtems-virt-config-journal.json`) that says what a transaction is doing,
 * with a copy of every file's old content, so that the next run can finish
 * or undo a run that was killed.
 *
 * The journal itself is only ever replaced atomically (written to
 * `<journal>.tmp`, synced, renamed, directory synced): at any moment it is
 * either absent or complete. Its `state` is the commit point:
 *
 * - `prepared`: the journal lists the directories and temporary files the
 *   run may create; no file of the tree has been replaced yet. Recovery
 *   rolls back (removes those temporaries and directories).
 * - `committing`: every temporary file is complete and synced. Recovery
 *   completes the renames and deletions.
 * - `rolling-back`: a committed transaction is being undone (an explicit
 *   rollback, or a completion that could not finish). Recovery restores the
 *   old contents from the journal.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, fchmodSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { JOURNAL_NAME } from './tree-paths.js';
import { crashNow, crashRequested, type CrashStep } from './crash-hook.js';
import { PLAN_ENCODING } from './file-edit.js';

export { JOURNAL_NAME };
export const JOURNAL_TMP_NAME = `${JOURNAL_NAME}.tmp`;
export const JOURNAL_FORMAT = 'rtems-virt-config-journal';
export const JOURNAL_VERSION = 1;

export type JournalState = 'prepared' | 'committing' | 'rolling-back';

export interface JournalEntry {
  path: string;
  action: 'create' | 'modify' | 'delete';
  /** Temporary file next to the target (relative to the root); null for deletions. */
  temp: string | null;
  /** Permission bits of the new file (or of the deleted one, to restore it). */
  mode: number;
  /** Old content (byte string), null when the file did not exist. */
  before: string | null;
  beforeSha256: string | null;
  afterSha256: string | null;
}

export interface Journal {
  format: typeof JOURNAL_FORMAT;
  version: number;
  id: string;
  pid: number;
  host: string;
  created: string;
  arch: string;
  state: JournalState;
  /** Directories the run creates (relative, parents first); removed again on rollback. */
  dirs: string[];
  entries: JournalEntry[];
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function toBytes(text: string): Buffer {
  return Buffer.from(text, PLAN_ENCODING);
}

/** fsync a directory so that creations, renames and deletions in it are durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `bytes` to a new file `abs` (which must not exist), sets `mode`
 * exactly, and syncs it. `crashStep` (test hook) makes it die after writing
 * half of the bytes.
 */
export function writeNewFileDurable(abs: string, bytes: Buffer, mode: number, crashStep?: { step: CrashStep; n: number }): void {
  writeNewFile(abs, bytes, mode, crashStep, true);
}

/** `writeNewFileDurable` without the sync (the caller syncs a batch of files at once). */
export function writeNewFile(abs: string, bytes: Buffer, mode: number, crashStep?: { step: CrashStep; n: number }, sync = false): void {
  const fd = openSync(abs, 'wx', mode);
  try {
    fchmodSync(fd, mode);
    if (crashStep && crashRequested(crashStep.step, crashStep.n)) {
      writeAll(fd, bytes.subarray(0, bytes.length >> 1));
      crashNow();
    }
    writeAll(fd, bytes);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Atomically replaces the journal of `root` with `journal` (tmp file, sync, rename, sync directory). */
export function writeJournal(root: string, journal: Journal, partialCrash?: CrashStep): void {
  const tmp = path.join(root, JOURNAL_TMP_NAME);
  unlinkIfExists(tmp);
  const bytes = Buffer.from(`${JSON.stringify(journal)}\n`, 'utf8');
  writeNewFileDurable(tmp, bytes, 0o644, partialCrash ? { step: partialCrash, n: 1 } : undefined);
  renameSync(tmp, path.join(root, JOURNAL_NAME));
  fsyncDir(root);
}

export function unlinkIfExists(abs: string): boolean {
  try {
    unlinkSync(abs);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

export type JournalRead =
  | { kind: 'none' }
  | { kind: 'ok'; journal: Journal }
  | { kind: 'corrupt'; reason: string; raw: string };

function isEntry(e: unknown): e is JournalEntry {
  if (!e || typeof e !== 'object') return false;
  const o = e as Record<string, unknown>;
  return (
    typeof o.path === 'string' &&
    (o.action === 'create' || o.action === 'modify' || o.action === 'delete') &&
    (o.temp === null || typeof o.temp === 'string') &&
    typeof o.mode === 'number' &&
    (o.before === null || typeof o.before === 'string') &&
    (o.beforeSha256 === null || typeof o.beforeSha256 === 'string') &&
    (o.afterSha256 === null || typeof o.afterSha256 === 'string')
  );
}

/** Reads and checks the journal of `root`. */
export function readJournal(root: string): JournalRead {
  let raw: string;
  try {
    raw = readFileSync(path.join(root, JOURNAL_NAME), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    return { kind: 'corrupt', reason: `not valid JSON (${(e as Error).message})`, raw };
  }
  const j = data as Partial<Journal>;
  if (!j || j.format !== JOURNAL_FORMAT) return { kind: 'corrupt', reason: 'not a rtems-virt-config journal', raw };
  if (j.version !== JOURNAL_VERSION) return { kind: 'corrupt', reason: `journal version ${String(j.version)} is not ${JOURNAL_VERSION}`, raw };
  if (
    typeof j.id !== 'string' ||
    !/^[0-9a-z]{1,64}$/.test(j.id) ||
    (j.state !== 'prepared' && j.state !== 'committing' && j.state !== 'rolling-back') ||
    !Array.isArray(j.dirs) ||
    !j.dirs.every((d) => typeof d === 'string') ||
    !Array.isArray(j.entries) ||
    !j.entries.every(isEntry)
  ) {
    return { kind: 'corrupt', reason: 'journal fields are missing or malformed', raw };
  }
  return { kind: 'ok', journal: j as Journal };
}
