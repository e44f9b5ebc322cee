/**
 * `planPatch(tree, arch)`: every edit that turns a stock autoconf-era RTEMS tree into one
 * where `--enable-rtemsbsp=<arch>virt` builds a paravirtualized BSP, computed without
 * writing anything. The steps, in the order they read and write the draft:
 *
 *  1. split cpukit/score/cpu/<arch> (score-split.ts);
 *  2. install the hypervisor interface (libcpu/shared/virt) and the `<arch>virt` score;
 *  3. wire libcpu/<arch> (configure.ac conditionals, Makefile.am rels);
 *  4. link the native score rel in every existing family of the arch;
 *  5. create the `<arch>virt` family;
 *  6. regenerate libbsp/<arch>/acinclude.m4 and the preinstall.am of every changed Makefile.am;
 *  7. load the planned tree and resolve every BSP of the arch: the virt BSP must select the
 *     virt model and score, every other one the native score; otherwise the plan is a bug.
 *
 * Running it on a tree it already patched gives no edits (idempotent).
 */
import path from 'node:path';
import type { RtemsTree } from '../model/tree.js';
import { loadTree } from '../model/tree.js';
import { parseAutomake } from '../parse/automake.js';
import { resolveBsp, evaluateBspCfg } from '../resolve/resolve-bsp.js';
import { renderAcinclude, bootstrapOrder } from '../generate/acinclude.js';
import { generatePreinstall, ampolish3Variant } from '../generate/preinstall.js';
import { loadInstructionTable } from '../source-index/instruction-table.js';
import { buildSourceIndex, privilegedUses, definedSymbols } from '../source-index/index.js';
import { Draft } from './draft.js';
import type { PatchPlan } from './file-edit.js';
import { archRecipe, supportedArches } from './arch-recipes.js';
import { convertParavirt } from './paravirt-conversion.js';
import { splitScore, SplitRefusal } from './score-split.js';
import { templateFiles, sharedVirtScoreTemplates, TEMPLATES_DIR } from './templates.js';
import { scoreRels, wireLibcpuConfigure, wireLibcpuMakefile } from './libcpu-wiring.js';
import { linkScoreRel, libcpuLink } from './family-link.js';
import { createVirtFamily, virtFamilyDir } from './virt-bsp.js';
import { OverlayFileStore } from './overlay-store.js';
import { PatchRefusedError } from './refusal.js';
import { findParavirtOption, removeParavirtOption } from './enable-paravirt.js';

export interface PlanOptions {
  /** Also remove the `--enable-paravirt` option (RTEMS_ENABLE_PARAVIRT) where the tree has it. */
  removeEnableParavirt?: boolean;
}

const SOURCE = /\.(c|h|S|s)$/;

export async function planPatch(tree: RtemsTree, arch: string, options: PlanOptions = {}): Promise<PatchPlan> {
  if (tree.layout !== '4.x') {
    throw new PatchRefusedError(
      `patch supports the 4.10/4.11 layout (c/src/lib/libbsp); this tree has the RTEMS 5 layout (bsps/)`,
      'run it on a 4.10 or 4.11 checkout',
    );
  }
  if (!tree.arches.includes(arch)) {
    throw new PatchRefusedError(`no cpukit/score/cpu/${arch} in this tree`, `the tree's CPUs are: ${tree.arches.join(', ')}`);
  }
  const r = archRecipe(arch);
  if ('missing' in r) {
    throw new PatchRefusedError(`${arch} is not supported by patch yet: missing ${r.missing.join('; ')}`, `supported: ${supportedArches().join(', ')}; nothing was written`);
  }
  const recipe = r.recipe;
  const virt = `${arch}virt`;
  if (!tree.libcpu.some((l) => l.arch === arch)) {
    throw new PatchRefusedError(`no c/src/lib/libcpu/${arch}/configure.ac: the split needs libcpu/${arch}`, 'nothing was written');
  }
  const files = tree.files;
  const draft = new Draft(files);
  const notes: string[] = [];
  const libcpu = `c/src/lib/libcpu/${arch}`;
  const rels = scoreRels(arch);

  // 1. the split
  const scoreDir = `cpukit/score/cpu/${arch}`;
  const built = builtSources(files, scoreDir);
  const scoreFiles = files.walk(scoreDir).filter((f) => SOURCE.test(f) && (/\.h$/.test(f) || built.has(f)));
  const table = loadInstructionTable(arch);
  // the RTEMS_PARAVIRT conditionals first (sparc in 4.11): the split then sees the converted text
  const conversion = convertParavirt(draft, arch, files.walk(scoreDir).filter((f) => SOURCE.test(f)));
  if ('problems' in conversion) {
    throw new PatchRefusedError(
      `the RTEMS_PARAVIRT conditionals of ${scoreDir} cannot be converted:\n${conversion.problems.map((p) => `  ${p.file}:${p.line}: ${p.why}`).join('\n')}`,
      'nothing was written; convert them by hand or report the construct',
      conversion.problems.map((p) => p.file),
    );
  }
  notes.push(...conversion.notes);
  const index = await buildSourceIndex(tree.root, scoreFiles, arch, { readText: (rel) => draft.read(rel) });
  const uses = privilegedUses(index, table);
  const virtTemplateFiles = [...templateFiles(`libcpu/${arch}/${virt}`), ...sharedVirtScoreTemplates()].filter((t) => SOURCE.test(t.rel));
  const virtIndex = await buildSourceIndex(TEMPLATES_DIR, virtTemplateFiles.map((t) => t.rel), arch);
  const virtDefined = new Set(definedSymbols(virtIndex).map((s) => s.name));
  let split;
  try {
    split = splitScore(draft, recipe, index, uses, virtDefined, { converted: conversion.functions, expandersOf: expanderFinder(files, draft, arch) });
  } catch (e) {
    if (!(e instanceof SplitRefusal)) throw e;
    throw new PatchRefusedError(
      `the score split of ${scoreDir} cannot be done safely:\n${e.problems.map((p) => `  ${p.file}:${p.line}: ${p.why}`).join('\n')}`,
      'nothing was written; move these by hand or report the construct',
      e.problems.map((p) => p.file),
    );
  }
  notes.push(...split.notes);

  // 2. the interface and the virt score
  for (const t of [...templateFiles('libcpu/shared/virt'), ...templateFiles(`libcpu/${arch}/${virt}`)]) {
    const dest = `c/src/lib/${t.rel}`;
    if (draft.read(dest) === undefined) draft.write(dest, t.text, t.mode);
  }

  // 3. libcpu wiring
  const sharedSources = split.sharedSources;
  const virtSources = [
    ...templateFiles(`libcpu/${arch}/${virt}`).map((t) => t.rel.slice(`libcpu/${arch}/`.length)),
    ...split.virtGenerated,
    ...sharedVirtScoreTemplates().map((t) => `../shared/virt/${t.rel.slice('libcpu/shared/virt/'.length)}`),
  ].filter((s) => /\.(c|S)$/.test(s));
  const virtHeaders = sharedVirtScoreTemplates()
    .map((t) => `../shared/virt/${t.rel.slice('libcpu/shared/virt/'.length)}`)
    .filter((s) => s.endsWith('.h'));
  // every model the arch's BSPs select ('' for a cfg that sets none)
  const models = () => [...new Set(tree.bsps.filter((b) => b.arch === arch && b.name !== virt).map((b) => evaluateBspCfg(tree, b.name, { arch }).cpuModel ?? ''))];
  const nativeCond = wireLibcpuConfigure(draft, arch, models);
  if (sharedSources.length === 0 && !relBuilt(draft, libcpu, rels.shared)) {
    notes.push(`${scoreDir} executes no privileged or sensitive instruction: nothing to split, no ${rels.shared}`);
  }
  wireLibcpuMakefile(draft, arch, {
    shared: sharedSources,
    virt: [...new Set(virtSources)],
    virtHeaders,
    virtCppflags: '$(AM_CPPFLAGS)',
  }, nativeCond);

  // 4. every existing family links the native score
  const sharedLinked = relBuilt(draft, libcpu, rels.shared);
  for (const fam of tree.families.filter((f) => f.arch === arch && f.name !== virt)) {
    if (sharedLinked && !linkScoreRel(draft, fam.dir, rels.shared)) notes.push(`${fam.dir}: no libbsp.a, nothing to link`);
  }

  // 5. the virt family
  if (!draft.exists(`${virtFamilyDir(arch)}/bsp_specs`)) {
    createVirtFamily(tree, draft, { arch, virtScoreRel: rels.virt, cpuCflags: recipe.cpuCflags });
  }

  // 6. generated files
  const acinc = `c/src/lib/libbsp/${arch}/acinclude.m4`;
  const familyNames = [...new Set([...tree.families.filter((f) => f.arch === arch).map((f) => f.name), virt])];
  const acText = renderAcinclude(bootstrapOrder(familyNames));
  if (draft.read(acinc) !== acText) draft.write(acinc, acText);
  const variant = ampolish3Variant(tree) ?? 'sorted';
  for (const e of draft.edits()) {
    if (!e.path.endsWith('/Makefile.am') || e.after === null || !/include [^\n]*\/preinstall\.am/.test(e.after)) continue;
    const pre = `${path.posix.dirname(e.path)}/preinstall.am`;
    const text = generatePreinstall(e.after, { variant });
    if (draft.read(pre) !== text) draft.write(pre, text);
  }

  const paravirt = findParavirtOption(tree);
  if (paravirt.definitions.length + paravirt.uses.length > 0) {
    if (options.removeEnableParavirt) {
      const touched = removeParavirtOption(tree, draft);
      // what still tests the option is dead code now (native builds never defined it)
      // (the arch's own files only: reading every arch's score costs more than the note is worth)
      const still = [...files.walk(scoreDir), ...files.walk(`c/src/lib/libcpu/${arch}`)]
        .filter((f) => SOURCE.test(f) && /\bRTEMS_PARAVIRT\b/.test(draft.read(f) ?? ''))
        .sort();
      notes.push(
        `removed the --enable-paravirt option (${touched.join(', ')}); RTEMS_PARAVIRT is no longer defined` +
          (still.length > 0 ? `, so what is under it is dead code in ${still.join(', ')}` : '') +
          '; `check` lists what other arches still have under it (no-virt-ifdef-in-score-cpu)',
      );
    } else {
      const at = paravirt.uses[0] ?? { file: paravirt.definitions[0]!, line: 1 };
      notes.push(`this tree has the --enable-paravirt option (${at.file}:${at.line}); --remove-enable-paravirt removes it`);
    }
  }

  // 7. the planned tree must resolve as intended
  const plan: PatchPlan = { arch, edits: draft.edits(), notes };
  verifyPlannedTree(tree, draft, arch, rels, sharedLinked);
  return plan;
}

function verifyPlannedTree(tree: RtemsTree, draft: Draft, arch: string, rels: { shared: string; virt: string }, sharedLinked: boolean): void {
  const planned = loadTree(tree.root, { files: new OverlayFileStore(tree.root, draft.overlay(), tree.files) });
  const virt = `${arch}virt`;
  const problems: string[] = [];
  for (const b of planned.bsps.filter((x) => x.arch === arch)) {
    const r = resolveBsp(planned, b.name, { arch });
    if (b.name === virt) {
      if (r.cpuModel !== virt) problems.push(`${virt}: CPU model ${r.cpuModel}`);
      if (!r.libcpu.rels.includes(rels.virt)) problems.push(`${virt}: ${rels.virt} not built`);
      if (r.libcpu.rels.includes(rels.shared)) problems.push(`${virt}: the native ${rels.shared} is built`);
      if (!r.libbspLibadd.includes(libcpuLink(rels.virt).replace('@RTEMS_CPU@', arch))) problems.push(`${virt}: ${rels.virt} not linked`);
    } else if (sharedLinked) {
      if (r.libcpu.rels.includes(rels.virt)) problems.push(`${b.name}: the virt score is built`);
      if (r.unknowns.length === 0 && !r.libcpu.rels.includes(rels.shared)) problems.push(`${b.name}: ${rels.shared} not built`);
      if (r.unknowns.length === 0 && !r.libbspLibadd.includes(libcpuLink(rels.shared).replace('@RTEMS_CPU@', arch))) problems.push(`${b.name}: ${rels.shared} not linked`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`the planned tree does not resolve as intended (nothing was written): ${problems.join('; ')}`);
  }
}

/** The sources cpukit/score/cpu/<arch>/Makefile.am compiles (any *_SOURCES), relative to the root. */
function builtSources(files: RtemsTree['files'], dir: string): Set<string> {
  const am = files.automake(`${dir}/Makefile.am`);
  const out = new Set<string>();
  for (const a of am?.assignments() ?? []) {
    if (!/_SOURCES$/.test(a.name)) continue;
    for (const w of a.value.split(/\s+/)) if (w && !w.includes('$')) out.add(path.posix.normalize(`${dir}/${w}`));
  }
  return out;
}

function relBuilt(draft: Draft, libcpu: string, rel: string): boolean {
  const file = `${libcpu}/Makefile.am`;
  const t = draft.read(file);
  if (t === undefined) return false;
  return parseAutomake(t, file)
    .assignments('noinst_PROGRAMS')
    .some((a) => a.value.split(/\s+/).includes(rel));
}

/**
 * Who expands a macro, in the draft (the code the split moved is in its new place): files of
 * the arch's libbsp and libcpu and of libbsp/shared (the native code a macro may move into),
 * and any file of cpukit but the other arches' score ports (then it cannot move).
 */
function expanderFinder(
  files: RtemsTree['files'],
  draft: Draft,
  arch: string,
): (name: string, definedIn: string, style: 'call' | 'statement', asmOnly: boolean) => { outside: string[]; cpukit: string[] } {
  const prefixes = ['cpukit/', `c/src/lib/libbsp/${arch}/`, 'c/src/lib/libbsp/shared/', `c/src/lib/libcpu/${arch}/`];
  const wanted = (f: string) =>
    /\.(c|h|S|s|inc)$/.test(f) && prefixes.some((p) => f.startsWith(p)) && (!f.startsWith('cpukit/score/cpu/') || f.startsWith(`cpukit/score/cpu/${arch}/`));
  // the file lists once: the draft only adds files under libcpu/<arch> (the moved code) between calls
  let onDisk: string[] | null = null;
  return (name, definedIn, style, asmOnly) => {
    onDisk ??= [...files.walk('cpukit'), ...files.walk(`c/src/lib/libbsp/${arch}`), ...files.walk('c/src/lib/libbsp/shared'), ...files.walk(`c/src/lib/libcpu/${arch}`)];
    const candidates = new Set(onDisk);
    for (const [p, after] of draft.overlay()) {
      if (after === null) candidates.delete(p);
      else candidates.add(p);
    }
    // a function-like macro is expanded by `NAME(`, an assembler macro by a statement starting with its name
    const re = style === 'call' ? new RegExp(`\\b${name}\\s*\\(`) : new RegExp(`(^|;)[ \\t]*${name}\\b(?![ \\t]*:)`, 'm');
    const code = (f: string) => (draft.read(f) ?? '').replace(/\/\*[\s\S]*?\*\//g, ' ');
    // an assembler macro is only expanded in assembler sources
    const hits = [...candidates].filter((f) => f !== definedIn && wanted(f) && (!asmOnly || /\.(S|s|inc)$/.test(f)) && re.test(code(f))).sort();
    return { outside: hits.filter((f) => !f.startsWith('cpukit/')), cpukit: hits.filter((f) => f.startsWith('cpukit/')) };
  };
}
