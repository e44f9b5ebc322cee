/**
 * From a BSP name to what configure and make would build for it, following
 * the steps of a real autoconf-era configure run:
 *
 *  1. c/configure: the first `libbsp/$RTEMS_CPU/<dir>/make/custom/<bsp>.cfg` in `ls` order;
 *  2. RTEMS_BSP_ALIAS: the family is that `<dir>`;
 *  3. c/src/configure: copy the cfg and the cfgs it includes (`grep '^include.*make/custom'`),
 *     run make over them and read RTEMS_CPU_MODEL back;
 *  4. libbsp/<arch>/configure: RTEMS_CHECK_BSPDIR must have a case arm for the family;
 *  5. libcpu/<arch>/configure: evaluate its AM_CONDITIONALs;
 *  6. libcpu/<arch>/Makefile.am: the `.rel` objects built and their sources;
 *  7. the family's Makefile.am: `libbsp_a_LIBADD` (`librtemsbsp_a_LIBADD` in 5) after `if` blocks and
 *     `@VAR@` substitution.
 */
import path from 'node:path';
import { SourceError } from '../parse/source-error.js';
import type { RtemsTree, BspVariant, AmConditionalDef } from '../model/tree.js';
import { amConditionalsWithMacros, invokedMacros, type MacroConditionalDef } from '../model/tree.js';
import { MakeEvaluator } from './make-eval.js';
import { evaluateShellTest, ShellTestError, type ShellEnv, type ShellTestResult, type Tri } from './shell-test.js';
import type { FileStore } from '../model/file-store.js';
import { configureEnv, casePatternMatches, type Assumption, type ConfigureEnv } from './configure-env.js';
import { AutomakeEvaluator, canonicalName, type AmWord, type ConditionValues } from './automake-eval.js';
import type { Unknown } from './unknown.js';

export interface ExplainStep {
  step: 'cfg' | 'family' | 'cfg-chain' | 'make' | 'bspdir' | 'conditional' | 'rel' | 'libadd';
  file: string;
  line: number;
  detail: string;
}

export interface BspResolution {
  bsp: string;
  arch: string;
  family: string;
  cpuModel: string | null;
  cfgChain: string[];
  conditionals: Record<string, boolean>;
  libcpu: { rels: string[]; sources: Record<string, string[]> };
  libbspLibadd: string[];
  unknowns: Unknown[];
  /** The values make read back from the cfg chain (what `make/<bsp>.cache` holds). */
  cfgVariables: Record<string, { value: string; file?: string; line?: number }>;
  assumptions: Assumption[];
  steps: ExplainStep[];
}

export interface ResolveOptions {
  /** The target CPU (from `--target=<cpu>-rtems…`); needed when a BSP name exists for several CPUs. */
  arch?: string;
}

const CACHE_VARIABLES = ['RTEMS_CPU_MODEL', 'CPU_CFLAGS', 'CFLAGS_OPTIMIZE_V'] as const;

/**
 * Steps 1-3 of the resolution: the cfg, the family, and GNU make over the copied cfg chain
 * (what `RTEMS_CPU_MODEL`, `CPU_CFLAGS` … are), without configure and automake.
 */
export function evaluateBspCfg(tree: RtemsTree, name: string, options: ResolveOptions = {}) {
  const variant = findVariant(tree, name, options.arch);
  const arch = variant.arch;
  const files = tree.files;
  const unknowns: Unknown[] = [];
  const steps: ExplainStep[] = [];

  // 1-2. the cfg and the family
  steps.push({ step: 'cfg', file: variant.cfg, line: 1, detail: `${name}.cfg is the first match of ${cfgGlob(tree, arch, `${name}.cfg`)}` });
  const familyDir = `c/src/lib/libbsp/${arch}/${variant.family}`;
  steps.push({ step: 'family', file: variant.cfg, line: 1, detail: `RTEMS_BSP_ALIAS: the cfg lives in ${variant.family}/, so RTEMS_BSP_FAMILY=${variant.family}` });

  // 3. the copied cfg chain, then make over it
  const chain = copyChain(tree, arch, name, unknowns, steps);
  const byName = new Map(chain.map((c) => [path.posix.basename(c), c]));
  const make = new MakeEvaluator({ RTEMS_BSP: name, RTEMS_ROOT: '.' }, (p) => {
    const norm = path.posix.normalize(p);
    const m = norm.match(/^make\/custom\/([^/]+)$/);
    if (!m) return undefined;
    if (m[1] === 'default.cfg') return files.makeCfg(DEFAULT_CFG);
    const rel = byName.get(m[1]!);
    return rel ? files.makeCfg(rel) : undefined;
  });
  const top = files.makeCfg(variant.cfg);
  if (top) make.read(top);
  unknowns.push(...make.unknowns);
  const cfgVariables: BspResolution['cfgVariables'] = {};
  for (const v of [...CACHE_VARIABLES, 'RTEMS_CPU'] as const) {
    const r = make.valueOf(v);
    // bsp.mak writes the cache with `echo ac_cv_env_VAR=\"$(VAR)\"`: inside the quotes the value
    // keeps its blanks (a trailing blank of `CFLAGS_OPTIMIZE_V = -O2 -g ` included)
    const value = r.value;
    cfgVariables[v] = { value, ...(r.variable?.file ? { file: r.variable.file, line: r.variable.line } : {}) };
    if (r.unknown && v === 'RTEMS_CPU_MODEL') unknowns.push({ ...r.unknown, why: `RTEMS_CPU_MODEL: ${r.unknown.why}` });
  }
  const modelVar = cfgVariables.RTEMS_CPU_MODEL!;
  const cpuModel = modelVar.value === '' ? null : modelVar.value;
  steps.push({
    step: 'make',
    file: modelVar.file ?? variant.cfg,
    line: modelVar.line ?? 1,
    detail: cpuModel === null ? 'make leaves RTEMS_CPU_MODEL empty' : `make reads RTEMS_CPU_MODEL=${cpuModel}`,
  });
  return { variant, arch, familyDir, chain, cfgVariables, cpuModel, unknowns, steps };
}

export function resolveBsp(tree: RtemsTree, name: string, options: ResolveOptions = {}): BspResolution {
  const { variant, arch, familyDir, chain, cfgVariables, cpuModel, unknowns, steps } = evaluateBspCfg(tree, name, options);
  const files = tree.files;

  // 4. RTEMS_CHECK_BSPDIR
  const acinc = tree.acinclude.find((a) => a.arch === arch);
  if (!acinc) {
    unknowns.push({ file: `c/src/lib/libbsp/${arch}/acinclude.m4`, line: 1, why: 'no acinclude.m4: RTEMS_CHECK_BSPDIR is undefined (run bootstrap)' });
  } else {
    const arm = acinc.arms.find((a) => casePatternMatches(a.pattern, variant.family));
    if (!arm || arm.subdir === undefined) {
      unknowns.push({
        file: acinc.file,
        line: arm?.line ?? 1,
        why: `RTEMS_CHECK_BSPDIR has no arm for ${variant.family}: configure stops with "Invalid BSP" (regenerate acinclude.m4 with bootstrap)`,
      });
    } else {
      steps.push({ step: 'bspdir', file: acinc.file, line: arm.line, detail: `RTEMS_CHECK_BSPDIR: \`${arm.pattern} )\` configures ${arm.subdir}/` });
    }
  }

  // 5-7. conditionals, libcpu objects, libbsp link list
  const familyConfigureAc = `${familyDir}/configure.ac`;
  const libcpuArch = tree.libcpu.find((l) => l.arch === arch);
  const cenv = configureEnv(files, {
    cpu: arch,
    cpuModel: cpuModel ?? '',
    bsp: name,
    family: variant.family,
    familyConfigureAc,
    ...(libcpuArch ? { otherConfigureAcs: [libcpuArch.configureAc] } : {}),
  });
  modelPpcExceptions(files, familyConfigureAc, cfgVariables.CPU_CFLAGS?.value ?? '', cenv);
  const conditionals: Record<string, boolean> = {};
  const libcpu: BspResolution['libcpu'] = { rels: [], sources: {} };
  if (libcpuArch) {
    const values = evaluateConditionals(amConditionalsWithMacros(files, libcpuArch.configureAc), cenv, conditionals, steps, unknowns);
    const am = files.automake(libcpuArch.makefileAm);
    if (am) {
      const ev = new AutomakeEvaluator(am, values, cenv.values);
      for (const w0 of ev.words('noinst_PROGRAMS')) {
        const w = leftoverSubst(tree, w0);
        if (!w.word.endsWith('.rel')) continue;
        if (w.unknown) {
          unknowns.push({ ...w.unknown, why: `whether ${w.word} is built: ${w.unknown.why}` });
          continue;
        }
        if (libcpu.rels.includes(w.word)) continue;
        libcpu.rels.push(w.word);
        libcpu.sources[w.word] = ev.words(`${canonicalName(w.word)}_SOURCES`).filter((s) => !s.unknown).map((s) => s.word);
        steps.push({ step: 'rel', file: w.file, line: w.line, detail: `libcpu builds ${w.word}` });
      }
    }
  }
  const familyValues = evaluateConditionals(amConditionalsWithMacros(files, familyConfigureAc), cenv, conditionals, steps, unknowns);
  const libbspLibadd: string[] = [];
  const famAm = files.automake(`${familyDir}/Makefile.am`);
  if (famAm) {
    const ev = new AutomakeEvaluator(famAm, familyValues, cenv.values);
    // 4.10/4.11 build libbsp.a; the transitional 5 layout builds librtemsbsp.a in the family directory
    const lib = !ev.has('libbsp_a_LIBADD') && ev.has('librtemsbsp_a_LIBADD') ? 'librtemsbsp' : 'libbsp';
    for (const w0 of ev.words(`${lib}_a_LIBADD`)) {
      const w = leftoverSubst(tree, w0);
      if (w.unknown) {
        unknowns.push({ ...w.unknown, why: `whether ${w.word} is linked: ${w.unknown.why}` });
        continue;
      }
      libbspLibadd.push(w.word);
      steps.push({ step: 'libadd', file: w.file, line: w.line, detail: `${lib}.a links ${w.word}` });
    }
  } else {
    unknowns.push({ file: `${familyDir}/Makefile.am`, line: 1, why: 'the family has no Makefile.am' });
  }

  return {
    bsp: name,
    arch,
    family: variant.family,
    cpuModel,
    cfgChain: chain,
    conditionals,
    libcpu,
    libbspLibadd,
    unknowns: dedupe(unknowns),
    cfgVariables,
    assumptions: cenv.assumptions,
    steps,
  };
}

/** Where the top-level default.cfg of the build tree comes from. */
const DEFAULT_CFG = 'c/src/make/custom/default.cfg.in';

function cfgGlob(tree: RtemsTree, arch: string, file: string): string {
  return tree.layout === '5' ? `bsps/${arch}/*/config/${file}` : `c/src/lib/libbsp/${arch}/*/make/custom/${file}`;
}

function findVariant(tree: RtemsTree, name: string, arch: string | undefined): BspVariant {
  if (!/^[A-Za-z0-9_.+-]+$/.test(name)) {
    throw new SourceError(tree.root, 0, `"${name}" is not a BSP name`, { hint: 'BSP names are cfg file names without .cfg; see `list bsps`' });
  }
  const hits = tree.bsps.filter((b) => b.name === name && (arch === undefined || b.arch === arch));
  if (hits.length === 0) {
    const elsewhere = arch ? tree.bsps.filter((b) => b.name === name).map((b) => b.arch) : [];
    throw new SourceError(tree.root, 0, `no BSP named ${name}${arch ? ` for ${arch}` : ''} in this tree`, {
      hint: elsewhere.length > 0 ? `it exists for ${[...new Set(elsewhere)].join(', ')}` : 'run `rtems-virt-config list bsps` to see the BSPs this tree offers',
    });
  }
  const arches = [...new Set(hits.map((h) => h.arch))];
  if (arches.length > 1) {
    throw new SourceError(tree.root, 0, `BSP ${name} exists for several CPUs: ${arches.join(', ')}`, {
      hint: `say which with --arch, or paste the configure line with --target=<cpu>-rtems…`,
    });
  }
  // the shell's sorted glob order: first family directory wins
  return hits[0]!;
}

/**
 * `_RTEMS_CHECK_CUSTOM_BSP(file)`: the first hit of `ls libbsp/$RTEMS_CPU/<any>/make/custom/<file>`
 * (`bsps/$RTEMS_CPU/<any>/config/<file>` in 5), in sorted order: any file name, `.cfg` or `.inc`.
 */
function findCustomFile(tree: RtemsTree, arch: string, file: string): string | undefined {
  const base = tree.layout === '5' ? `bsps/${arch}` : `c/src/lib/libbsp/${arch}`;
  const sub = tree.layout === '5' ? 'config' : 'make/custom';
  for (const d of tree.files.list(base)) {
    if (!d.dir) continue;
    // `test -r` on what `ls` listed: a readable file (directory listings are cached by the FileStore)
    if (tree.files.list(`${base}/${d.name}/${sub}`).some((e) => e.name === file && !e.dir)) return `${base}/${d.name}/${sub}/${file}`;
  }
  return undefined;
}

/**
 * c/src/configure.ac's copy loop: copy the cfg, then the file named by its
 * `grep "^include.*make/custom" | sed -e 's%^.*custom/%%' -e 's%default\.cfg%%'`, until that is empty.
 */
function copyChain(tree: RtemsTree, arch: string, bsp: string, unknowns: Unknown[], steps: ExplainStep[]): string[] {
  const chain: string[] = [];
  let f = `${bsp}.cfg`;
  for (let guard = 0; guard < 32; guard++) {
    const hit = findCustomFile(tree, arch, f);
    if (!hit) {
      const from = chain[chain.length - 1];
      if (from) unknowns.push({ file: from, line: 1, why: `includes ${f}, which no ${cfgGlob(tree, arch, '')} directory has: make stops` });
      break;
    }
    if (chain.includes(hit)) break;
    chain.push(hit);
    const text = tree.files.text(hit) ?? '';
    const lines = text.split('\n');
    const incLines: number[] = [];
    lines.forEach((l, i) => {
      if (/^include.*make\/custom/.test(l)) incLines.push(i);
    });
    // what the sed leaves of each grep hit; the shell's `$f` is their newline-joined text
    const named = incLines.map((i) => lines[i]!.replace(/^.*custom\//, '').replace('default.cfg', ''));
    const next = named.join('\n');
    if (next.trim() === '') break;
    const at = incLines[named.findIndex((n) => n !== '')]! + 1;
    if (named.filter((n) => n !== '').length > 1 || incLines.length > 1 || /\s/.test(next)) {
      unknowns.push({
        file: hit,
        line: at,
        why: `configure's copy loop reads \`${next.replace(/\n/g, '\\n')}\` as the next cfg name (several make/custom includes or blanks): the copy depends on shell word splitting`,
      });
      break;
    }
    f = next;
    steps.push({ step: 'cfg-chain', file: hit, line: at, detail: `includes ${f}; configure copies it too` });
  }
  return chain;
}

type EnvAnswer = ReturnType<ShellEnv>;
interface CachedTest {
  asked: [string, EnvAnswer][];
  result?: ShellTestResult;
  error?: string;
}

/**
 * evaluateShellTest with a per-tree cache. The evaluation is a function of the answers the env
 * gives, asked in order, so an entry is reused when the same questions get the same answers; the
 * env is still asked (and so records its assumptions) exactly as a fresh evaluation would.
 */
function cachedShellTest(files: FileStore, condition: string, env: ShellEnv): ShellTestResult {
  const cache = files.derived('shell-test-cache', '*', () => new Map<string, CachedTest[]>());
  const same = (a: EnvAnswer, b: EnvAnswer) => a === b || (typeof a === 'object' && typeof b === 'object' && a.unknown === b.unknown);
  const entries = cache.get(condition) ?? [];
  for (const e of entries) {
    if (e.asked.every(([n, a]) => same(env(n), a))) {
      if (e.error !== undefined) throw new ShellTestError(e.error);
      return e.result!;
    }
  }
  const asked: [string, EnvAnswer][] = [];
  const rec: ShellEnv = (n) => {
    const a = env(n);
    asked.push([n, a]);
    return a;
  };
  try {
    const result = evaluateShellTest(condition, rec);
    if (entries.length < 32) cache.set(condition, [...entries, { asked, result }]);
    return result;
  } catch (e) {
    if (e instanceof ShellTestError && entries.length < 32) cache.set(condition, [...entries, { asked, error: e.message }]);
    throw e;
  }
}

function evaluateConditionals(
  defs: AmConditionalDef[],
  cenv: ConfigureEnv,
  out: Record<string, boolean>,
  steps: ExplainStep[],
  unknowns: Unknown[],
): ConditionValues {
  const values = new Map<string, { value: Tri; unknown?: Unknown }>();
  for (const d of defs) {
    let value: Tri;
    let unknown: Unknown | undefined;
    try {
      // a conditional from an aclocal macro runs where the configure.ac invokes the macro
      const at = 'via' in d ? (d as MacroConditionalDef).via : d;
      const r = cachedShellTest(cenv.files, d.condition, cenv.envAt(at.file, at.line));
      value = r.value;
      if (value === 'unknown') unknown = { file: d.file, line: d.line, why: `AM_CONDITIONAL ${d.name}: ${r.reasons.join('; ')}` };
    } catch (e) {
      if (!(e instanceof ShellTestError)) throw e;
      value = 'unknown';
      unknown = { file: d.file, line: d.line, why: `AM_CONDITIONAL ${d.name}: ${e.message}` };
    }
    values.set(d.name, unknown ? { value, unknown } : { value });
    // an undecided condition is an unknown of its own (it is missing from `conditionals`), and is
    // reported again where it decides something (a rel, a link entry)
    if (value === 'unknown') {
      steps.push({ step: 'conditional', file: d.file, line: d.line, detail: `${d.name} cannot be decided: ${unknown!.why}` });
      unknowns.push(unknown!);
    } else {
      out[d.name] = value;
      steps.push({ step: 'conditional', file: d.file, line: d.line, detail: `${d.name} is ${value}` });
    }
  }
  return values;
}

/**
 * A word still holding `@VAR@` after the substitutions the model knows: configure substitutes it
 * from code the model does not run (e.g. RTEMS_PPC_EXCEPTIONS, a compile check). Unknown, with
 * the AC_SUBST that sets it when the tree's aclocal directories have one.
 */
function leftoverSubst(tree: RtemsTree, w: AmWord): AmWord {
  if (w.unknown) return w;
  const m = w.word.match(/@([A-Za-z_][A-Za-z0-9_]*)@/);
  if (!m) return w;
  const where = findSubst(tree, m[1]!);
  return {
    ...w,
    unknown: {
      file: w.file,
      line: w.line,
      why: `@${m[1]}@ is substituted by configure code the model does not run${where ? ` (AC_SUBST in ${where.macro}, ${where.file}:${where.line})` : ''}`,
    },
  };
}

/** The AC_SUBST of a variable in the aclocal macros, looked up once per tree and name. */
function findSubst(tree: RtemsTree, name: string): { macro: string; file: string; line: number } | undefined {
  return tree.files.derived('aclocal-subst', name, () => {
    for (const dir of ['aclocal', 'c/src/aclocal', 'cpukit/aclocal']) {
      for (const e of tree.files.list(dir)) {
        if (e.dir || !e.name.endsWith('.m4')) continue;
        const rel = `${dir}/${e.name}`;
        if (!tree.files.text(rel)?.includes(name)) continue;
        const doc = tree.files.m4(rel);
        let found: { macro: string; file: string; line: number } | undefined;
        for (const d of doc?.calls('AC_DEFUN') ?? []) {
          if (!doc!.text.slice(d.start, d.end).includes(name)) continue;
          const sub = doc!.deepCalls('AC_SUBST').find((c) => c.args[0]?.value.trim() === name && c.start >= d.start && c.end <= d.end);
          if (sub) found = { macro: d.args[0]?.value.trim() ?? '?', file: rel, line: sub.line };
        }
        if (found) return found;
      }
    }
    return undefined;
  });
}

function dedupe(us0: Unknown[]): Unknown[] {
  // "whether A is linked: R" and "whether B is linked: R" at one line become "whether A, B are linked: R"
  const us: Unknown[] = [];
  const grouped = new Map<string, { u: Unknown; words: string[]; verb: string; reason: string }>();
  for (const u of us0) {
    const m = u.why.match(/^whether (\S+) is (built|linked): ([\s\S]*)$/);
    if (!m) {
      us.push(u);
      continue;
    }
    const key = `${u.file}:${u.line}:${m[2]}:${m[3]}`;
    const g = grouped.get(key);
    if (g) {
      if (!g.words.includes(m[1]!)) g.words.push(m[1]!);
      continue;
    }
    const entry = { u: { ...u }, words: [m[1]!], verb: m[2]!, reason: m[3]! };
    grouped.set(key, entry);
    us.push(entry.u);
  }
  for (const g of grouped.values()) {
    g.u.why = `whether ${g.words.join(', ')} ${g.words.length > 1 ? 'are' : 'is'} ${g.verb}: ${g.reason}`;
  }
  const seen = new Set<string>();
  return us.filter((u) => {
    const k = `${u.file}:${u.line}:${u.why}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * RTEMS_PPC_EXCEPTIONS (c/src/aclocal/ppc.m4) compiles `#if defined(_OLD_EXCEPTIONS) choke me #endif` and
 * substitutes `exceptions` = `new-exceptions` when that compiles, `old-exceptions` when it does not. Only the
 * compiler's flags can define `_OLD_EXCEPTIONS` (GCC predefines no such name): the BSP's CPU_CFLAGS, known
 * from its cfg, and CFLAGS from the environment, assumed empty. Modelled only when the macro in the tree is
 * that very test; any other text stays an unknown.
 */
function modelPpcExceptions(files: FileStore, familyConfigureAc: string, cpuCflags: string, cenv: ConfigureEnv): void {
  const m = invokedMacros(files, familyConfigureAc).find((x) => x.name === 'RTEMS_PPC_EXCEPTIONS');
  if (!m) return;
  const body = m.doc.text.slice(m.start, m.end);
  const isTheTest =
    /AC_COMPILE_IFELSE/.test(body) &&
    /#if\s+defined\(\s*_OLD_EXCEPTIONS\s*\)\s*choke me/.test(body) &&
    /\[EXCEPTIONS=new\]\s*,\s*\[EXCEPTIONS=old\]/.test(body) &&
    /AC_SUBST\(\[exceptions\],\s*\[\$EXCEPTIONS-exceptions\]\)/.test(body);
  if (!isTheTest) return;
  const old = /(^|\s)-D_OLD_EXCEPTIONS(=\S*)?(\s|$)/.test(cpuCflags);
  const value = `${old ? 'old' : 'new'}-exceptions`;
  cenv.values.set('exceptions', value);
  cenv.assumptions.push({
    variable: 'exceptions',
    value,
    why: `RTEMS_PPC_EXCEPTIONS compiles \`#if defined(_OLD_EXCEPTIONS)\`: ${old ? 'CPU_CFLAGS defines it' : 'neither CPU_CFLAGS nor GCC defines it'} (no CFLAGS from the environment)`,
    file: m.file,
    line: lineOfOffset(m.doc.text, m.start),
  });
}

function lineOfOffset(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
