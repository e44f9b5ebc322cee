/**
 * A FileStore that sees a draft's edits on top of the disk, so that the tree a plan
 * would produce can be loaded and resolved before anything is written. Given the store the
 * plan was made from, it reuses that store's texts, listings and parsed documents for every
 * file the draft does not touch (the planned tree is checked without reading the tree again).
 */
import type { AutomakeDocument } from '../parse/automake.js';
import type { M4Document } from '../parse/m4.js';
import type { MakeCfgDocument } from '../parse/make-cfg.js';
import { FileStore, byteCompare } from '../model/file-store.js';

export class OverlayFileStore extends FileStore {
  constructor(
    root: string,
    private readonly overlay: ReadonlyMap<string, string | null>,
    private readonly base: FileStore = new FileStore(root),
  ) {
    super(root);
  }

  override text(rel: string): string | undefined {
    if (this.overlay.has(rel)) return this.overlay.get(rel) ?? undefined;
    return this.base.text(rel);
  }

  override automake(rel: string): AutomakeDocument | undefined {
    return this.overlay.has(rel) ? super.automake(rel) : this.base.automake(rel);
  }

  override m4(rel: string): M4Document | undefined {
    return this.overlay.has(rel) ? super.m4(rel) : this.base.m4(rel);
  }

  override makeCfg(rel: string): MakeCfgDocument | undefined {
    return this.overlay.has(rel) ? super.makeCfg(rel) : this.base.makeCfg(rel);
  }

  override exists(rel: string): boolean {
    if (this.overlay.has(rel)) return this.overlay.get(rel) !== null;
    if (this.isOverlayDir(rel)) return true;
    return this.base.exists(rel);
  }

  override isDir(rel: string): boolean {
    return this.isOverlayDir(rel) || this.base.isDir(rel);
  }

  override list(rel: string): { name: string; dir: boolean }[] {
    const base = rel === '.' || rel === '' ? '' : `${rel.replace(/\/$/, '')}/`;
    const entries = new Map(this.base.list(rel).map((e) => [e.name, e]));
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
