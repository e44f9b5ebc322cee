/**
 * The automake files agree with the autoconf files and with each other:
 * every `if COND` of a Makefile.am names a conditional its configure.ac
 * defines (directly or through the tree's macros), and every libcpu `.rel`
 * a BSP links is one libcpu builds for that BSP's CPU model.
 */
import path from 'node:path';
import { defineRule, aclocalDirsFor, filesNamed, macrosOf, resolveOrReport, type MacroDef } from '../check/rule-helpers.js';
import type { RuleContext } from '../check/types.js';

/** Conditionals automake's own macros define, by the macro that defines them. */
const AUTOMAKE_CONDITIONALS: Record<string, string[]> = {
  AM_MAINTAINER_MODE: ['MAINTAINER_MODE'],
  AM_INIT_AUTOMAKE: ['AMDEP'],
  AC_PROG_CC: ['am__fastdepCC', 'AMDEP'],
  RTEMS_PROG_CC_FOR_TARGET: ['am__fastdepCC', 'AMDEP'],
  AM_PROG_AS: ['am__fastdepCCAS'],
  RTEMS_PROG_CCAS: ['am__fastdepCCAS'],
  AC_PROG_CXX: ['am__fastdepCXX'],
  RTEMS_PROG_CXX_FOR_TARGET: ['am__fastdepCXX'],
};

export default defineRule(
  {
    id: 'automake-wiring',
    severity: 'error',
    description: 'Conditionals a Makefile.am tests are defined by its configure.ac, and every .rel a BSP links is built for its CPU model.',
    discussion: 'With the --enable-virt flag the autoconf files can be notifed about the different directory structure. (The autoconf files must know the layout.)',
    fixable: false,
  },
  (ctx) => {
    checkConditionals(ctx);
    checkLinkedRels(ctx);
  },
);

function checkConditionals(ctx: RuleContext): void {
  const { files, scope } = ctx;
  const configures = new Set(filesNamed(ctx, 'configure.ac'));
  for (const am of filesNamed(ctx, 'Makefile.am')) {
    if (!scope.hasFile(am)) continue;
    const text = files.text(am);
    if (text === undefined) continue;
    // cheap first pass over the text; the parsed document decides what is reported
    const candidates = new Set<string>();
    for (const m of text.matchAll(/^if\s+!?\s*([A-Za-z][A-Za-z0-9_]*)/gm)) candidates.add(m[1]!);
    if (candidates.size === 0) continue;
    const configureAc = owningConfigure(am, configures);
    if (!configureAc) continue;
    const acText = files.text(configureAc) ?? '';
    const missing = [...candidates].filter((c) => !new RegExp(`AM_CONDITIONAL\\(\\s*\\[?${c}\\]?\\s*,`).test(acText));
    if (missing.length === 0) continue;
    const defined = conditionalsOf(ctx, configureAc);
    if (missing.every((c) => defined.has(c))) continue;
    const doc = files.automake(am);
    if (!doc) continue;
    for (const n of doc.nodes) {
      if (n.kind !== 'if') continue;
      const name = n.condition.name;
      if (defined.has(name)) continue;
      ctx.report({
        file: am,
        line: n.line,
        message: `\`if ${n.condition.negated ? '!' : ''}${name}\`: ${configureAc} defines no AM_CONDITIONAL ${name} (automake stops with "${name} does not appear in AM_CONDITIONAL"); add it to ${configureAc} or fix the name`,
      });
    }
  }
}

/** The configure.ac automake reads a Makefile.am for: the nearest one at or above it. */
function owningConfigure(am: string, configures: ReadonlySet<string>): string | undefined {
  let dir = path.posix.dirname(am);
  for (;;) {
    const c = dir === '.' ? 'configure.ac' : `${dir}/configure.ac`;
    if (configures.has(c)) return c;
    if (dir === '.') return undefined;
    dir = path.posix.dirname(dir);
  }
}

/**
 * Every AM_CONDITIONAL name a configure.ac defines, following calls into the
 * tree's macros as m4 would expand them: calls with arguments (`$1` … `$9`
 * substituted into the body) and bare calls (`RTEMS_CHECK_SMP` on a line
 * of its own, which is how most RTEMS macros are invoked).
 */
function conditionalsOf(ctx: RuleContext, configureAc: string): Set<string> {
  return ctx.memo(`conditionals:${configureAc}`, () => {
    const out = new Set<string>();
    const text = ctx.files.text(configureAc);
    if (text === undefined) return out;
    const dirs = aclocalDirsFor(ctx, configureAc);
    const macroDirs = dirs.map((d) => macrosOf(ctx, d));
    const lookup = (name: string): MacroDef | undefined => {
      for (const m of macroDirs) {
        const hit = m.get(name);
        if (hit) return hit;
      }
      return undefined;
    };
    const dirsKey = dirs.join(':');
    /** The conditionals one expansion defines, memoized per run and set of macro directories (shared by every configure.ac that uses them). */
    const expand = (body: string, depth: number, stack: Set<string>): Set<string> => {
      const found = new Set<string>();
      for (const c of macroCalls(body, (n) => lookup(n) !== undefined || Object.hasOwn(AUTOMAKE_CONDITIONALS, n) || n === 'AM_CONDITIONAL')) {
        if (c.name === 'AM_CONDITIONAL') {
          const n = (c.args[0] ?? '').trim();
          if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) found.add(n);
          continue;
        }
        for (const n of (Object.hasOwn(AUTOMAKE_CONDITIONALS, c.name) ? AUTOMAKE_CONDITIONALS[c.name] : undefined) ?? []) found.add(n);
        const def = lookup(c.name);
        if (!def || depth > 12) continue;
        const key = `${c.name}(${c.args.join(',')})`;
        if (stack.has(key)) continue;
        const sub = ctx.memo(`expand:${dirsKey}:${key}`, () => {
          const raw = def.body?.value ?? '';
          stack.add(key);
          const r = expand(raw.replace(/\$([1-9])/g, (_m, d: string) => (c.args[Number(d) - 1] ?? '').trim()), depth + 1, stack);
          stack.delete(key);
          return r;
        });
        for (const n of sub) found.add(n);
      }
      return found;
    };
    for (const n of expand(text, 0, new Set())) out.add(n);
    return out;
  });
}

/**
 * The macro calls of an m4 text, in order, with their arguments (one level
 * of quotes removed): `NAME(args)` and bare `NAME`. Comments (`dnl`, `#`) are
 * skipped. Only names `isMacro` accepts are returned.
 */
function macroCalls(text: string, isMacro: (name: string) => boolean): { name: string; args: string[] }[] {
  const out: { name: string; args: string[] }[] = [];
  const re = /\bdnl\b[^\n]*|#[^\n]*|\b[A-Za-z_][A-Za-z0-9_]*\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const w = m[0];
    if (w.startsWith('dnl') && !/^dnl[A-Za-z0-9_]/.test(w)) continue;
    if (w.startsWith('#')) continue;
    if (!isMacro(w)) continue;
    if (text[re.lastIndex] !== '(') {
      out.push({ name: w, args: [] });
      continue;
    }
    const { args, end } = readArgs(text, re.lastIndex);
    out.push({ name: w, args });
    // the arguments are m4 too: AM_CONDITIONAL and calls inside them count where they are expanded
    for (const a of args) out.push(...macroCalls(a, isMacro));
    re.lastIndex = end;
  }
  return out;
}

/** Arguments of a call whose `(` is at `open`, m4 style: quotes nest, commas and parens count outside them. */
function readArgs(text: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = 0;
  let i = open + 1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quote > 0) {
      if (ch === '[') quote++;
      else if (ch === ']' && --quote === 0) continue;
      cur += ch;
      continue;
    }
    if (ch === '[') {
      quote = 1;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')' && depth === 0) {
      args.push(cur);
      return { args: args.map((a) => a.replace(/^\s+/, '')), end: i + 1 };
    }
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      args.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  args.push(cur);
  return { args, end: i };
}

function checkLinkedRels(ctx: RuleContext): void {
  const { tree, files } = ctx;
  if (tree.layout === '5') return;
  for (const v of ctx.scope.bsps()) {
    const libcpu = tree.libcpu.find((l) => l.arch === v.arch);
    if (!libcpu || !files.exists(libcpu.makefileAm)) continue;
    const familyDir = `c/src/lib/libbsp/${v.arch}/${v.family}`;
    // a family whose every libcpu link is to an object libcpu builds for every model cannot link a missing one
    if (linksOnlyUnconditional(ctx, v.arch, familyDir, libcpu.dir, libcpu.makefileAm)) continue;
    const r = resolveOrReport(ctx, v);
    if (!r) continue;
    for (const word of r.libbspLibadd) {
      const full = path.posix.normalize(path.posix.join(familyDir, word));
      const prefix = `${libcpu.dir}/`;
      if (!full.startsWith(prefix) || !full.endsWith('.rel')) continue;
      if (/@[A-Za-z0-9_]+@/.test(full)) continue; // a substitution the model does not know: undecided, not a finding
      const rel = full.slice(prefix.length);
      if (r.libcpu.rels.includes(rel)) continue;
      if (r.unknowns.some((u) => u.why.includes(rel))) continue;
      const step = r.steps.find((s) => s.step === 'libadd' && s.detail === `libbsp.a links ${word}`);
      ctx.report({
        file: step?.file ?? `${familyDir}/Makefile.am`,
        line: step?.line ?? 1,
        message: `BSP ${v.name} links ${word}, but ${libcpu.makefileAm} does not build ${rel} for CPU model ${r.cpuModel ?? '(empty)'}: put the link under the same conditional, or build the object for that model`,
      });
    }
  }
}

/** Whether every libcpu `.rel` a family's Makefile.am can link is built unconditionally by libcpu (no need to resolve its BSPs). */
function linksOnlyUnconditional(ctx: RuleContext, arch: string, familyDir: string, libcpuDir: string, libcpuAm: string): boolean {
  return ctx.memo(`onlyUnconditional:${familyDir}`, () => {
    const always = ctx.memo(`alwaysBuilt:${libcpuAm}`, () => {
      const out = new Set<string>();
      for (const n of ctx.files.automake(libcpuAm)?.assignments('noinst_PROGRAMS') ?? []) {
        if (n.conditions.length > 0) continue;
        for (const w of n.value.split(/\s+/)) if (w.endsWith('.rel')) out.add(w);
      }
      return out;
    });
    const am = ctx.files.text(`${familyDir}/Makefile.am`);
    if (am === undefined) return true;
    for (const raw of am.split(/[\s\\]+/)) {
      if (!raw.endsWith('.rel') || !raw.includes('libcpu/')) continue;
      const full = path.posix.normalize(path.posix.join(familyDir, raw.replace(/@RTEMS_CPU@/g, arch)));
      if (!full.startsWith(`${libcpuDir}/`)) continue;
      if (/@[A-Za-z0-9_]+@|\$[({]/.test(full)) return false;
      if (!always.has(full.slice(libcpuDir.length + 1))) return false;
    }
    return true;
  });
}
