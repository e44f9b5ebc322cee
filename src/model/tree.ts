/**
 * The model of an autoconf-era RTEMS source tree: version, architectures,
 * BSP families and variants, libcpu conditionals and the families each
 * `libbsp/<arch>/acinclude.m4` registers. Built once by `loadTree`; every
 * command asks it (and the resolver) instead of re-reading files.
 */
import path from 'node:path';
import semver from 'semver';
import { SourceError } from '../parse/source-error.js';
import { FileStore } from './file-store.js';
import { parseM4, type M4Document } from '../parse/m4.js';

export type Layout = '4.x' | '5';

export interface RtemsVersion {
  /** As written in the tree, e.g. `4.11.1.99`. */
  raw: string;
  /** The semver reading of it (`4.11.1`), for comparisons. */
  semver: string;
  file: string;
  line: number;
}

export interface BspFamily {
  arch: string;
  name: string;
  /** Directory of the family's build files (configure.ac, Makefile.am), relative to the root. */
  dir: string;
  /** The bsp_specs file that makes it a family, relative to the root. */
  bspSpecs: string;
}

export interface BspVariant {
  name: string;
  arch: string;
  /** The directory under libbsp/<arch> (or bsps/<arch>) holding the cfg. */
  family: string;
  /** The cfg file, relative to the root. */
  cfg: string;
}

export interface AmConditionalDef {
  name: string;
  /** The shell condition, unquoted. */
  condition: string;
  file: string;
  line: number;
}

export interface LibcpuArch {
  arch: string;
  dir: string;
  configureAc: string;
  makefileAm: string;
  conditionals: AmConditionalDef[];
}

export interface AcincludeArm {
  /** The shell case pattern, e.g. `pc386` or `*`. */
  pattern: string;
  /** The directory passed to AC_CONFIG_SUBDIRS, or undefined for an error arm. */
  subdir?: string;
  line: number;
}

export interface AcincludeFile {
  arch: string;
  file: string;
  arms: AcincludeArm[];
}

export interface RtemsTree {
  root: string;
  layout: Layout;
  version: RtemsVersion | undefined;
  arches: string[];
  families: BspFamily[];
  bsps: BspVariant[];
  libcpu: LibcpuArch[];
  acinclude: AcincludeFile[];
  files: FileStore;
}

export const SUPPORTED = 'rtems-virt-config supports autoconf-era RTEMS trees: 4.10, 4.11 and the transitional 5 branch';

export interface LoadOptions {
  /** Read the tree through this store (e.g. one that overlays planned edits on the disk). */
  files?: FileStore;
}

export function loadTree(root: string, options: LoadOptions = {}): RtemsTree {
  const files = options.files ?? new FileStore(path.resolve(root));
  if (!files.isDir('.')) {
    throw new SourceError(root, 0, `${root} is not a directory`, { hint: 'pass the top of an RTEMS source checkout' });
  }
  if (!files.exists('configure.ac')) {
    if (files.exists('wscript') || files.isDir('spec/build')) {
      throw new SourceError(root, 0, 'this is a waf-built RTEMS tree (RTEMS 6 or later: wscript, spec/build), not an autoconf-era one', {
        hint: `${SUPPORTED}; check out the 4.11 or 5 branch`,
      });
    }
    throw new SourceError(root, 0, 'no configure.ac at the top: this is not an RTEMS source tree', {
      hint: `pass the top of an RTEMS checkout (the directory with configure.ac, cpukit/ and c/); ${SUPPORTED}`,
    });
  }
  if (!files.isDir('cpukit/score/cpu') || !files.isDir('c/src/lib/libbsp')) {
    throw new SourceError(root, 0, 'configure.ac is here but cpukit/score/cpu or c/src/lib/libbsp is missing: not an RTEMS source tree', {
      hint: `pass the top of an RTEMS checkout; ${SUPPORTED}`,
    });
  }
  const layout: Layout = files.isDir('bsps') ? '5' : '4.x';
  const arches = files.list('cpukit/score/cpu').filter((e) => e.dir).map((e) => e.name);

  const families: BspFamily[] = [];
  const bsps: BspVariant[] = [];
  const acinclude: AcincludeFile[] = [];
  for (const a of files.list('c/src/lib/libbsp')) {
    if (!a.dir) continue;
    const arch = a.name;
    const archDir = `c/src/lib/libbsp/${arch}`;
    const acinc = readAcinclude(files, arch, `${archDir}/acinclude.m4`);
    if (acinc) acinclude.push(acinc);
    const cfgBase = layout === '5' ? `bsps/${arch}` : archDir;
    for (const f of files.list(cfgBase)) {
      if (!f.dir) continue;
      const famDir = `${cfgBase}/${f.name}`;
      const specs = layout === '5' ? `${famDir}/start/bsp_specs` : `${famDir}/bsp_specs`;
      if (files.exists(specs)) families.push({ arch, name: f.name, dir: `${archDir}/${f.name}`, bspSpecs: specs });
      const cfgDir = layout === '5' ? `${famDir}/config` : `${famDir}/make/custom`;
      for (const c of files.list(cfgDir)) {
        if (!c.dir && c.name.endsWith('.cfg')) {
          bsps.push({ name: c.name.slice(0, -4), arch, family: f.name, cfg: `${cfgDir}/${c.name}` });
        }
      }
    }
  }

  const libcpu: LibcpuArch[] = [];
  for (const a of files.list('c/src/lib/libcpu')) {
    const dir = `c/src/lib/libcpu/${a.name}`;
    if (!a.dir || !files.exists(`${dir}/configure.ac`)) continue;
    libcpu.push({
      arch: a.name,
      dir,
      configureAc: `${dir}/configure.ac`,
      makefileAm: `${dir}/Makefile.am`,
      conditionals: amConditionals(files, `${dir}/configure.ac`),
    });
  }

  return { root: files.root, layout, version: readVersion(files), arches, families, bsps, libcpu, acinclude, files };
}

/** An AM_CONDITIONAL that a configure.ac gets from an aclocal macro it invokes. */
export interface MacroConditionalDef extends AmConditionalDef {
  /** Where the configure.ac invokes the macro (directly or through others) that holds it. */
  via: { file: string; line: number; macro: string };
}

const MACRO_WORD = /\b_?[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g;

/**
 * The `.m4` files of the tree's aclocal directories, parsed, in the order the c/src configure scripts
 * (the only ones the resolver reads) search them: c/src/aclocal first. A file the m4 reader rejects is left out.
 */
export function aclocalDocs(files: FileStore): { rel: string; doc: M4Document }[] {
  return files.derived('aclocal-docs', '*', () => {
    const out: { rel: string; doc: M4Document }[] = [];
    for (const dir of ['c/src/aclocal', 'aclocal', 'cpukit/aclocal']) {
      for (const e of files.list(dir)) {
        if (e.dir || !e.name.endsWith('.m4')) continue;
        const rel = `${dir}/${e.name}`;
        let doc: M4Document | undefined;
        try {
          doc = files.m4(rel);
        } catch {
          continue;
        }
        if (doc) out.push({ rel, doc });
      }
    }
    return out;
  });
}

/** AC_DEFUNs of the tree's aclocal directories by name (the first definition wins, as with -I order). */
function macroIndex(files: FileStore): Map<string, { file: string; doc: M4Document; start: number; end: number }> {
  return files.derived('aclocal-macros', '*', () => {
    const out = new Map<string, { file: string; doc: M4Document; start: number; end: number }>();
    for (const { rel, doc } of aclocalDocs(files)) {
      for (const d of doc.calls('AC_DEFUN')) {
        const name = d.args[0]?.value.trim() ?? '';
        if (!name || !d.args[1] || out.has(name)) continue;
        out.set(name, { file: rel, doc, start: d.start, end: d.end });
      }
    }
    return out;
  });
}

/** Macro names a piece of m4 invokes: calls with parentheses and bare words, with their lines. */
function invocations(doc: M4Document, from: number, to: number, firstLine: number, known: (n: string) => boolean): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  const text = doc.text.slice(from, to);
  // lines of `text` counted from firstLine; comments and dnl lines hold no invocations
  text.split('\n').forEach((l, i) => {
    const code = l.replace(/(^|\s)(#|dnl\b).*$/, '');
    for (const m of code.matchAll(MACRO_WORD)) if (known(m[0])) out.push({ name: m[0], line: firstLine + i });
  });
  return out;
}

/**
 * The AM_CONDITIONALs a configure.ac defines: its own calls (as `amConditionals`) and those inside
 * the aclocal macros it invokes, directly or through other macros (RTEMS_BSP_CONFIGURE →
 * RTEMS_CHECK_MULTIPROCESSING → AM_CONDITIONAL(HAS_MP, …)), in the order configure runs them.
 */
export function amConditionalsWithMacros(files: FileStore, rel: string): (AmConditionalDef | MacroConditionalDef)[] {
  return files.derived('am-conditionals-with-macros', rel, () => {
    const doc = files.m4(rel);
    if (!doc) return [];
    const own = amConditionals(files, rel);
    const out: { def: AmConditionalDef | MacroConditionalDef; order: number }[] = own.map((d) => ({ def: d, order: d.line }));
    for (const m of invokedMacros(files, rel)) {
      const defs = files.derived('macro-conditionals', `${m.file}#${m.name}`, () =>
        (macroBody(files, m)?.deepCalls('AM_CONDITIONAL') ?? []).map((c) => ({ name: (c.args[0]?.value ?? '').trim(), condition: c.args[1]?.value ?? '', line: c.line })),
      );
      for (const d of defs) out.push({ def: { ...d, file: m.file, via: m.via }, order: m.via.line + m.depth * 1e-3 });
    }
    return out.sort((a, b) => a.order - b.order).map((x) => x.def);
  });
}

/** An aclocal macro a configure.ac runs, directly or through other macros, with its parsed body. */
export interface InvokedMacro {
  name: string;
  file: string;
  doc: M4Document;
  start: number;
  end: number;
  depth: number;
  via: { file: string; line: number; macro: string };
}

/** The aclocal macros a configure.ac invokes (calls and bare names), each once, in the order it runs them. */
export function invokedMacros(files: FileStore, rel: string): InvokedMacro[] {
  return files.derived('invoked-macros', rel, () => {
    const doc = files.m4(rel);
    if (!doc) return [];
    const index = macroIndex(files);
    const out: InvokedMacro[] = [];
    const expanded = new Set<string>();
    const expand = (name: string, via: { file: string; line: number; macro: string }, depth: number) => {
      if (expanded.has(name) || depth > 6) return; // AC_REQUIRE-like: each macro once
      expanded.add(name);
      const m = index.get(name)!;
      out.push({ name, file: m.file, doc: m.doc, start: m.start, end: m.end, depth, via });
      const calls = files.derived('macro-invokes', `${m.file}#${name}`, () =>
        invocations(m.doc, m.start, m.end, lineOf(m.doc, m.start), (n) => n !== name && index.has(n)).map((i) => i.name),
      );
      for (const n of calls) expand(n, via, depth + 1);
    };
    for (const inv of invocations(doc, 0, doc.text.length, 1, (n) => index.has(n))) {
      expand(inv.name, { file: rel, line: inv.line, macro: inv.name }, 0);
    }
    return out;
  });
}

function lineOf(doc: M4Document, offset: number): number {
  let n = 1;
  for (let i = doc.text.indexOf('\n'); i >= 0 && i < offset; i = doc.text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The `AC_DEFUN` call of an invoked macro read as m4 on its own (undefined when it is not well-formed), parsed once per tree. */
export function macroBody(files: FileStore, m: InvokedMacro): M4Document | undefined {
  return files.derived('macro-body', `${m.file}#${m.name}`, () => {
    try {
      return parseM4(m.doc.text.slice(m.start, m.end), m.doc.file, { firstLine: lineOf(m.doc, m.start) });
    } catch {
      return undefined;
    }
  });
}

/** The `AM_CONDITIONAL(name, condition)` calls of a configure.ac, in order. */
export function amConditionals(files: FileStore, rel: string): AmConditionalDef[] {
  const doc = files.m4(rel);
  if (!doc) return [];
  return doc.calls('AM_CONDITIONAL').map((c) => ({
    name: (c.args[0]?.value ?? '').trim(),
    condition: c.args[1]?.value ?? '',
    file: rel,
    line: c.line,
  }));
}

function readVersion(files: FileStore): RtemsVersion | undefined {
  const rel = 'aclocal/version.m4';
  const doc = files.m4(rel);
  if (!doc) return undefined;
  const def = doc.deepCalls('m4_define').find((c) => c.args[0]?.value.trim() === '_RTEMS_VERSION');
  if (!def) return undefined;
  const raw = (def.args[1]?.value ?? '').trim();
  const coerced = semver.coerce(raw);
  return { raw, semver: coerced ? coerced.version : '0.0.0', file: rel, line: def.line };
}

/** The case arms of `RTEMS_CHECK_BSPDIR` in `libbsp/<arch>/acinclude.m4`. */
function readAcinclude(files: FileStore, arch: string, rel: string): AcincludeFile | undefined {
  const doc = files.m4(rel);
  if (!doc) return undefined;
  const defun = doc.calls('AC_DEFUN').find((c) => c.args[0]?.value.trim() === 'RTEMS_CHECK_BSPDIR');
  const body = defun?.args[1];
  if (!body) return { arch, file: rel, arms: [] };
  const arms: AcincludeArm[] = [];
  const lines = body.value.split('\n');
  const subdirs = new Map(doc.deepCalls('AC_CONFIG_SUBDIRS').map((c) => [c.line, c.args[0]?.value.trim()]));
  lines.forEach((l, i) => {
    const m = l.match(/^\s*\(?\s*([^()\s][^()]*?)\s*\)(.*)$/);
    if (!m || /^\s*(case|esac)\b/.test(l)) return;
    const line = body.line + i;
    // the AC_CONFIG_SUBDIRS of this arm is on this line or the next ones, before the `;;`
    let subdir: string | undefined;
    for (let k = 0; k < 3 && k + i < lines.length; k++) {
      if (subdirs.has(line + k)) {
        subdir = subdirs.get(line + k);
        break;
      }
      if (lines[i + k]!.includes(';;')) break;
    }
    arms.push({ pattern: m[1]!, subdir, line });
  });
  return { arch, file: rel, arms };
}
