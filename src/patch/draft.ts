/**
 * The files of a patch being planned: the tree as read, plus the edits the
 * planner's steps have made so far. Steps read through the draft, so an
 * edit of one step is seen by the next; nothing touches the disk.
 * Contents are latin1 strings, as the FileStore reads them: every byte
 * survives, whatever the file's encoding.
 */
import type { FileStore } from '../model/file-store.js';
import type { FileEdit } from './file-edit.js';

export type { FileEdit };

export class Draft {
  private readonly changed = new Map<string, { after: string | null; mode?: number }>();

  constructor(readonly files: FileStore) {}

  /** Current content in the draft, or undefined when the file does not exist there. */
  read(rel: string): string | undefined {
    const c = this.changed.get(rel);
    if (c) return c.after ?? undefined;
    return this.files.text(rel);
  }

  /** Content that must exist; a missing file is a planner bug or an unexpected tree. */
  require(rel: string, why: string): string {
    const t = this.read(rel);
    if (t === undefined) throw new Error(`${rel} is missing (${why})`);
    return t;
  }

  write(rel: string, content: string, mode?: number): void {
    this.changed.set(rel, mode === undefined ? { after: content } : { after: content, mode });
  }

  remove(rel: string): void {
    this.changed.set(rel, { after: null });
  }

  exists(rel: string): boolean {
    return this.read(rel) !== undefined;
  }

  /** The edits that differ from the disk, in path order. */
  edits(): FileEdit[] {
    const out: FileEdit[] = [];
    for (const [path, c] of [...this.changed.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const before = this.files.text(path) ?? null;
      if (before === c.after) continue;
      out.push(c.mode === undefined ? { path, before, after: c.after } : { path, before, after: c.after, mode: c.mode });
    }
    return out;
  }

  /** Every path the draft has touched (created, changed or deleted), whether or not it differs from disk. */
  overlay(): Map<string, string | null> {
    return new Map([...this.changed.entries()].map(([p, c]) => [p, c.after]));
  }
}
