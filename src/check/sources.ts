/**
 * What the source-based rules share: which arches have a paravirtualized
 * model, which files are compiled into it, and the C/assembly index of a
 * set of files (built once per run and set of files, through the FileStore
 * so each file is read once).
 */
import path from 'node:path';
import { buildSourceIndex, languageOf, loadInstructionTable, privilegedUses, isDeadBranch } from '../source-index/index.js';
import type { InstructionTable, PrivilegedUse, SourceIndex, ConditionFrame } from '../source-index/index.js';
import { bspBase, filesUnder, virtNameOf } from './rule-helpers.js';
import type { RuleContext } from './types.js';

/** Arches of the run that have a `<arch>virt` BSP, family or libcpu model. */
export function virtArches(ctx: RuleContext): string[] {
  return ctx.memo('virtArches', () =>
    ctx.scope.arches.filter((arch) => {
      const v = virtNameOf(arch);
      return (
        ctx.files.isDir(`${bspBase(ctx, arch)}/${v}`) ||
        ctx.tree.bsps.some((b) => b.arch === arch && b.name === v) ||
        ctx.files.isDir(`c/src/lib/libcpu/${arch}/${v}`)
      );
    }),
  );
}

/** The instruction table of an arch, or undefined when rules/arch has none. */
export function tableFor(ctx: RuleContext, arch: string): InstructionTable | undefined {
  return ctx.memo(`table:${arch}`, () => {
    try {
      return loadInstructionTable(arch);
    } catch {
      return undefined;
    }
  });
}

const isSource = (f: string) => languageOf(f) !== null;

/** Indexed files under a directory. */
export function sourcesUnder(ctx: RuleContext, dir: string): string[] {
  return filesUnder(ctx, dir).filter(isSource);
}

/** The files of `cpukit/score/cpu/<arch>`. */
export function scoreCpuFiles(ctx: RuleContext, arch: string): string[] {
  return sourcesUnder(ctx, `cpukit/score/cpu/${arch}`);
}

/**
 * The files of `cpukit/score/cpu/<arch>` that its Makefile.am compiles or
 * installs (`*_SOURCES`, `*_HEADERS`, under any condition), plus every
 * header (an uninstalled header can still be included). A test program the
 * Makefile.am never builds (i386's `sse_test.c`) is not part of the port.
 * Without a Makefile.am (RTEMS 5) every file counts.
 */
export function builtScoreCpuFiles(ctx: RuleContext, arch: string): string[] {
  return ctx.memo(`builtScore:${arch}`, () => {
    const dir = `cpukit/score/cpu/${arch}`;
    const all = scoreCpuFiles(ctx, arch);
    const am = ctx.files.automake(`${dir}/Makefile.am`);
    if (!am) return all;
    const listed = new Set<string>();
    for (const n of am.assignments()) {
      if (!/_(?:SOURCES|HEADERS)$/.test(n.name)) continue;
      for (const w of n.value.split(/\s+/)) if (w) listed.add(path.posix.normalize(`${dir}/${w.replace(/^\$\(srcdir\)\//, '')}`));
    }
    return all.filter((f) => listed.has(f) || f.endsWith('.h') || f.endsWith('.inl'));
  });
}

/**
 * The sources compiled into the `<arch>virt` model: the libcpu objects its
 * BSP links (from the resolver), everything in its BSP family, and
 * `libcpu/shared/virt`. Falls back to the `<arch>virt` directories when the
 * tree has no `<arch>virt.cfg` to resolve.
 */
export function virtModelFiles(ctx: RuleContext, arch: string): string[] {
  return ctx.memo(`virtModel:${arch}`, () => {
    const v = virtNameOf(arch);
    const out = new Set<string>();
    const variant = ctx.tree.bsps.find((b) => b.arch === arch && b.name === v);
    const libcpuDir = `c/src/lib/libcpu/${arch}`;
    if (variant) {
      const r = ctx.resolve(variant);
      for (const rel of r.libcpu.rels) {
        for (const s of r.libcpu.sources[rel] ?? []) {
          const f = path.posix.normalize(`${libcpuDir}/${s}`);
          if (isSource(f) && ctx.files.exists(f)) out.add(f);
        }
      }
    } else {
      for (const f of sourcesUnder(ctx, `${libcpuDir}/${v}`)) out.add(f);
    }
    for (const f of sourcesUnder(ctx, `${bspBase(ctx, arch)}/${v}`)) out.add(f);
    for (const f of sourcesUnder(ctx, 'c/src/lib/libcpu/shared/virt')) out.add(f);
    return [...out].sort();
  });
}

/** Headers that give macros and inline functions their meaning for an arch (score port, libcpu, shared virt). */
export function definitionHeaders(ctx: RuleContext, arch: string): string[] {
  return ctx.memo(`headers:${arch}`, () =>
    [...scoreCpuFiles(ctx, arch), ...sourcesUnder(ctx, `c/src/lib/libcpu/${arch}`), ...sourcesUnder(ctx, 'c/src/lib/libcpu/shared/virt')].filter(
      (f) => f.endsWith('.h') || f.endsWith('.inl'),
    ),
  );
}

export function indexOf(ctx: RuleContext, arch: string, files: string[]): Promise<SourceIndex> {
  const table = tableFor(ctx, arch);
  return ctx.memo(`index:${arch}:${files.join('\0')}`, () =>
    buildSourceIndex(ctx.files.root, files, arch, { readText: (rel) => ctx.files.text(rel), ...(table ? { table } : {}) }),
  );
}

/** Privileged and sensitive uses in `report` files, closed over the macros and inline functions of `files`. */
export async function usesIn(ctx: RuleContext, arch: string, report: string[], context: string[]): Promise<PrivilegedUse[]> {
  const table = tableFor(ctx, arch);
  if (!table || report.length === 0) return [];
  const files = [...new Set([...report, ...context])].sort();
  const idx = await indexOf(ctx, arch, files);
  const wanted = new Set(report);
  return privilegedUses(idx, table).filter((u) => wanted.has(u.file) && !isDeadBranch(u.conditions));
}

/** `via macro X (file:line) → inline Y` for a message. */
export function viaText(u: PrivilegedUse): string {
  if (u.kind === 'instruction') return `\`${u.instruction.text}\``;
  const chain = u.via.map((s) => `${s.name}`).join(' → ');
  return `${u.callee ?? chain}() (${chain ? `${chain} → ` : ''}\`${u.instruction.text}\` at ${u.instruction.file}:${u.instruction.line})`;
}

/** `in the #if defined(X) branch` for a message, or '' (the `#ifndef ASM` and include-guard frames every header has say nothing). */
export function branchText(conditions: ConditionFrame[]): string {
  const telling = conditions.filter((f) => !/^(?:ASM|__ASSEMBLER__|_*[A-Z0-9_]+_H_*)$/.test(f.opening.expression.trim()) || f.kind === 'else');
  const last = telling[telling.length - 1];
  if (!last) return '';
  const open = last.opening.text.trim();
  return last.kind === 'else' ? ` (in the #else of \`${open}\`, line ${last.opening.line})` : ` (in \`${last.text.trim()}\`, line ${last.line})`;
}
