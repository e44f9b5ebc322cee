/**
 * A FileStore that sees a draft's edits on top of the disk, so that the tree a plan
 * would produce can be loaded and resolved before anything is written.
 */
import { FileStore, byteCompare } from '../model/file-store.js';

export class OverlayFileStore extends FileStore {
  constructor(
    root: string,
    private readonly overlay: ReadonlyMap<string, string | null>,
  ) {
    super(root);
  }

  override text(rel: string): string | undefined {
    if (this.overlay.has(rel)) return this.overlay.get(rel) ?? undefined;
    return super.text(rel);
  }

  override exists(rel: string): boolean {
    if (this.overlay.has(rel)) return this.overlay.get(rel) !== null;
    if (this.isOverlayDir(rel)) return true;
    return super.exists(rel);
  }

  override isDir(rel: string): boolean {
    return this.isOverlayDir(rel) || super.isDir(rel);
  }

  override list(rel: string): { name: string; dir: boolean }[] {
    const base = rel === '.' || rel === '' ? '' : `${rel.replace(/\/$/, '')}/`;
    const entries = new Map(super.list(rel).map((e) => [e.name, e]));
    for (const [p, content] of this.overlay) {
      if (!p.startsWith(base)) continue;
      const rest = p.slice(base.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (slash < 0 && content === null) entries.delete(name);
      else if (content !== null) entries.set(name, { name, dir: slash >= 0 });
    }
    return [...entries.values()].sort((a, b) => byteCompare(a.name, b.name));
  }

  private isOverlayDir(rel: string): boolean {
    const prefix = `${rel.replace(/\/$/, '')}/`;
    for (const [p, c] of this.overlay) if (c !== null && p.startsWith(prefix)) return true;
    return false;
  }
}
