/**
 * Reads and parses the files of one tree, each at most once. Every command
 * asks the store, so a file is read and parsed in one place and `check`
 * can report how many files it read.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAutomake, type AutomakeDocument } from '../parse/automake.js';
import { parseMakeCfg, type MakeCfgDocument } from '../parse/make-cfg.js';
import { parseM4, type M4Document } from '../parse/m4.js';

export class FileStore {
  private readonly texts = new Map<string, string | undefined>();
  private readonly docs = new Map<string, AutomakeDocument | MakeCfgDocument | M4Document>();
  private readonly listings = new Map<string, { name: string; dir: boolean }[]>();
  private readonly derivedCache = new Map<string, unknown>();

  constructor(readonly root: string) {}

  /** Number of distinct files read so far. */
  get filesRead(): number {
    let n = 0;
    for (const t of this.texts.values()) if (t !== undefined) n++;
    return n;
  }

  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /** The text of a file relative to the root, or undefined when it does not exist. Bytes are read as latin1 so every file round-trips. */
  text(rel: string): string | undefined {
    if (this.texts.has(rel)) return this.texts.get(rel);
    let t: string | undefined;
    try {
      t = readFileSync(this.abs(rel), 'latin1');
    } catch {
      t = undefined;
    }
    this.texts.set(rel, t);
    return t;
  }

  exists(rel: string): boolean {
    try {
      statSync(this.abs(rel));
      return true;
    } catch {
      return false;
    }
  }

  isDir(rel: string): boolean {
    try {
      return statSync(this.abs(rel)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Entries of a directory sorted in the C locale (byte order), as configure's `ls` sees them. */
  list(rel: string): { name: string; dir: boolean }[] {
    const hit = this.listings.get(rel);
    if (hit) return hit;
    let out: { name: string; dir: boolean }[];
    try {
      out = readdirSync(this.abs(rel), { withFileTypes: true })
        .map((d) => ({ name: d.name, dir: d.isDirectory() }))
        .sort((a, b) => byteCompare(a.name, b.name));
    } catch {
      out = [];
    }
    this.listings.set(rel, out);
    return out;
  }

  /** Per-file results derived from a parsed document (e.g. the resolver's scans), computed once. */
  derived<T>(kind: string, rel: string, compute: () => T): T {
    const key = `${kind}\0${rel}`;
    if (this.derivedCache.has(key)) return this.derivedCache.get(key) as T;
    const v = compute();
    this.derivedCache.set(key, v);
    return v;
  }

  /** Every file below a directory (relative to the root), in byte order; `.git` is skipped. */
  walk(dir: string): string[] {
    const out: string[] = [];
    for (const e of this.list(dir)) {
      const rel = dir === '.' || dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.dir) {
        if (e.name !== '.git') out.push(...this.walk(rel));
      } else out.push(rel);
    }
    return out;
  }

  automake(rel: string): AutomakeDocument | undefined {
    return this.parsed(rel, parseAutomake);
  }

  m4(rel: string): M4Document | undefined {
    return this.parsed(rel, parseM4);
  }

  makeCfg(rel: string): MakeCfgDocument | undefined {
    return this.parsed(rel, parseMakeCfg);
  }

  private parsed<D extends AutomakeDocument | MakeCfgDocument | M4Document>(rel: string, parse: (t: string, f: string) => D): D | undefined {
    const hit = this.docs.get(rel);
    if (hit) return hit as D;
    const t = this.text(rel);
    if (t === undefined) return undefined;
    const d = parse(t, rel);
    this.docs.set(rel, d);
    return d;
  }
}

export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
