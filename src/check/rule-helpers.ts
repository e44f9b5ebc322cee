/**
 * Facts several rules ask for, computed once per run through `ctx.memo`:
 * the tree's file list, its autoconf files and macros, the `<arch>virt`
 * things it holds. Rules stay short and never re-read files.
 */
import path from 'node:path';
import type { M4Call } from '../parse/m4.js';
import type { RuleContext, RuleMeta, Rule } from './types.js';
import type { BspVariant } from '../model/tree.js';
import type { BspResolution } from '../resolve/resolve-bsp.js';

export function defineRule(meta: Omit<RuleMeta, 'docs'>, run: Rule['run']): Rule {
  return { meta: { ...meta, docs: `rules/${meta.id}.md` }, run };
}

export const virtNameOf = (arch: string) => `${arch}virt`;
/**
 * Whether a name says "virtual": `i386virt`, `paravirt`, `xen_virtual`, `VIRT`;
 * not `virtex` (a Xilinx FPGA) or `virtio` (a device interface).
 */
export const mentionsVirt = (name: string) => /virt(?:ual(?:i[sz]ed)?)?(?![a-z])/i.test(name) || /l4vcpu/i.test(name);

/** `<p>virt` names: the arch part, or undefined. */
export const virtPrefix = (name: string) => /^(.*)virt$/.exec(name)?.[1];

/**
 * Every file of the tree (relative, `/`-separated), from the FileStore's one
 * walk (whose directory listings the model and the rules share), in byte
 * order of the whole path; version-control and build directories skipped.
 */
export function allFiles(ctx: RuleContext): string[] {
  return ctx.memo('allFiles', () => ctx.files.walk('.').filter((f) => !SKIP.test(f)).sort());
}

/** Dependency and autoconf cache directories (and `.git`, which the walk already skips): never part of the tree's sources. */
const SKIP = /(?:^|\/)(?:\.git|node_modules|autom4te\.cache)\//;

/** Every file below a directory, in allFiles order. */
export function filesUnder(ctx: RuleContext, dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return allFiles(ctx).filter((f) => f.startsWith(prefix));
}

export function filesNamed(ctx: RuleContext, base: string): string[] {
  return ctx.memo(`named:${base}`, () => allFiles(ctx).filter((f) => f === base || f.endsWith(`/${base}`)));
}

/** The m4 macro files of the tree's aclocal directories (`aclocal/`, `c/src/aclocal/`, `cpukit/aclocal/`, …). */
export function aclocalFiles(ctx: RuleContext): string[] {
  return ctx.memo('aclocalFiles', () => allFiles(ctx).filter((f) => /(?:^|\/)aclocal\/[^/]+\.m4$/.test(f)));
}

export interface MacroDef {
  name: string;
  file: string;
  line: number;
  body: M4Call['args'][number] | undefined;
}

/** `AC_DEFUN`s of one aclocal directory, by name (the -I directory a configure.ac uses). */
export function macrosOf(ctx: RuleContext, dir: string): Map<string, MacroDef> {
  return ctx.memo(`macros:${dir}`, () => {
    const out = new Map<string, MacroDef>();
    for (const f of aclocalFiles(ctx)) {
      if (path.posix.dirname(f) !== dir) continue;
      const text = ctx.files.text(f);
      if (text === undefined || !text.includes('AC_DEFUN')) continue;
      const doc = ctx.files.m4(f);
      if (!doc) continue;
      for (const d of doc.calls('AC_DEFUN')) {
        const name = (d.args[0]?.value ?? '').trim();
        if (name) out.set(name, { name, file: f, line: d.line, body: d.args[1] });
      }
    }
    return out;
  });
}

/** The aclocal directories a configure.ac sees: `ACLOCAL_AMFLAGS = -I dir` of its Makefile.am, resolved. */
export function aclocalDirsFor(ctx: RuleContext, configureAc: string): string[] {
  const dir = path.posix.dirname(configureAc);
  const am = ctx.files.automake(dir === '.' ? 'Makefile.am' : `${dir}/Makefile.am`);
  const flags = am?.assignments('ACLOCAL_AMFLAGS').map((a) => a.value).join(' ') ?? '';
  const dirs: string[] = [];
  const re = /-I\s*(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(flags))) dirs.push(path.posix.normalize(path.posix.join(dir, m[1]!)));
  return dirs;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Column (1-based) of a character offset. */
export function columnAt(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return offset - nl;
}

/** Directories directly under a directory. */
export function subdirs(ctx: RuleContext, rel: string): string[] {
  return ctx.files.list(rel).filter((e) => e.dir).map((e) => e.name);
}

/** The libbsp directory of an arch in this layout (where BSP families live). */
export function bspBase(ctx: RuleContext, arch: string): string {
  return ctx.tree.layout === '5' ? `bsps/${arch}` : `c/src/lib/libbsp/${arch}`;
}

/** The BSP's resolution, or undefined after reporting a file the resolver could not read (the rule goes on). */
export function resolveOrReport(ctx: RuleContext, v: BspVariant): BspResolution | undefined {
  try {
    return ctx.resolve(v);
  } catch (e) {
    ctx.reportUnreadable(e);
    return undefined;
  }
}
