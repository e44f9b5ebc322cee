/**
 * The shell variables configure has set by the time a BSP's libcpu and libbsp
 * `AM_CONDITIONAL`s run, for a configure line that gives only `--target` and
 * `--enable-rtemsbsp`. Values that come from option defaults are marked as
 * assumptions, so `explain` can say what it took for granted.
 */
import type { FileStore } from '../model/file-store.js';
import { aclocalDocs, invokedMacros, macroBody, type InvokedMacro } from '../model/tree.js';
import type { M4Call } from '../parse/m4.js';
import { globMatch, type ShellEnv } from './shell-test.js';
import { runShellSegment, shellSegmentAt, type SegmentResult } from './shell-script.js';

export interface Assumption {
  variable: string;
  value: string;
  why: string;
  file?: string;
  line?: number;
}

export interface ConfigureEnv {
  /** The tree's files (the resolver caches per tree through it). */
  files: FileStore;
  /** The variables at the end of the family's configure. */
  env: ShellEnv;
  /** The variables when configure runs line `line` of the configure.ac `file`. */
  envAt: (file: string, line: number) => ShellEnv;
  /** Values known to the model; used for `@VAR@` substitution too. */
  values: Map<string, string>;
  assumptions: Assumption[];
}

const NO_NETWORKING_CPUS = /^(avr|h8300|m32c)/;

export function configureEnv(
  files: FileStore,
  facts: {
    cpu: string;
    cpuModel: string | undefined;
    bsp: string;
    family: string;
    familyConfigureAc: string;
    /** Further configure.ac files whose shell code runs before the conditionals (libcpu). */
    otherConfigureAcs?: string[];
  },
): ConfigureEnv {
  const values = new Map<string, string>([
    ['RTEMS_CPU', facts.cpu],
    ['RTEMS_BSP', facts.bsp],
    ['RTEMS_BSP_FAMILY', facts.family],
  ]);
  if (facts.cpuModel !== undefined) values.set('RTEMS_CPU_MODEL', facts.cpuModel);
  const assumptions: Assumption[] = [];
  // RTEMS_CHECK_NETWORKING: --enable-networking defaults to yes; some CPUs never have it
  const net = NO_NETWORKING_CPUS.test(facts.cpu) ? 'no' : 'yes';
  const lazy = new Map<string, Assumption>([
    ['HAS_NETWORKING', { variable: 'HAS_NETWORKING', value: net, why: `RTEMS_CHECK_NETWORKING with the default --enable-networking${net === 'no' ? ` (no stack on ${facts.cpu})` : ''}` }],
    ['rtems_cv_HAS_SMP', { variable: 'rtems_cv_HAS_SMP', value: 'disabled', why: 'RTEMS_CHECK_SMP without --enable-experimental-smp (SMP is off by default)' }],
    ['HAS_SMP', { variable: 'HAS_SMP', value: 'no', why: 'SMP is off by default' }],
    ['rtems_cv_HAS_MP', { variable: 'rtems_cv_HAS_MP', value: 'no', why: 'RTEMS_CHECK_MULTIPROCESSING without --enable-multiprocessing (the default)' }],
  ]);
  const configureAcs = [facts.familyConfigureAc, ...(facts.otherConfigureAcs ?? [])];
  const scans = configureAcs.map((rel) => ({ rel, scan: scanConfigureAc(files, rel) }));
  // AM_MAINTAINER_MODE: maintainer mode is off unless --enable-maintainer-mode (or AM_MAINTAINER_MODE([enable]))
  const maintainerOn = scans.some((x) => x.scan.maintainerOn);
  lazy.set('USE_MAINTAINER_MODE', {
    variable: 'USE_MAINTAINER_MODE',
    value: maintainerOn ? 'yes' : 'no',
    why: maintainerOn ? 'AM_MAINTAINER_MODE([enable]) without --disable-maintainer-mode' : 'AM_MAINTAINER_MODE without --enable-maintainer-mode',
  });
  // AC_ARG_ENABLE / AC_ARG_WITH not on the configure line: their default action runs; plain `VAR=value` ones
  // are read, in the configure.ac and in the aclocal macros it runs (RTEMS_ENABLE_MULTILIB: multilib=no)
  for (const { scan } of scans) for (const a of scan.optionDefaults) if (!lazy.has(a.variable)) lazy.set(a.variable, a);
  for (const rel of configureAcs) {
    for (const m of invokedMacros(files, rel)) {
      for (const a of macroOptionDefaults(files, m)) if (!lazy.has(a.variable)) lazy.set(a.variable, a);
    }
  }
  // RTEMS_BSPOPTS_SET(VAR, BSP-PATTERN, DEFAULT): the first arm whose pattern matches the BSP gives the
  // default, applied by the `case` that RTEMS_BSPOPTS_HELP(VAR) emits (no HELP, no default); only the
  // family's configure runs it, and only from the HELP on
  const bspopts = new Map<string, Assumption & { helpLine: number }>();
  const doc = files.m4(facts.familyConfigureAc);
  if (doc) {
    const help = new Map<string, number>();
    for (const c of doc.calls('RTEMS_BSPOPTS_HELP')) {
      const v = c.args[0]?.value.trim() ?? '';
      if (!help.has(v)) help.set(v, c.line);
    }
    for (const c of doc.calls('RTEMS_BSPOPTS_SET')) {
      const variable = c.args[0]?.value.trim() ?? '';
      const pattern = c.args[1]?.value.trim() ?? '';
      if (!variable || !help.has(variable) || bspopts.has(variable) || !casePatternMatches(pattern, facts.bsp)) continue;
      bspopts.set(variable, {
        variable,
        value: c.args[2]?.value.trim() ?? '',
        why: `RTEMS_BSPOPTS_SET default for BSPs matching \`${pattern}\` (no ${variable} in the environment)`,
        file: facts.familyConfigureAc,
        line: c.line,
        helpLine: help.get(variable)!,
      });
    }
  }
  const scanOf = new Map(scans.map((x) => [x.rel, x.scan]));
  const noted = new Set<string>();
  const note = (a: Assumption) => {
    const k = `${a.variable}\0${a.value}\0${a.why}`;
    if (noted.has(k)) return;
    noted.add(k);
    assumptions.push(a);
  };
  const running = new Set<string>();
  const fixed = new Map(values);
  /** The shell variables as configure has them when it runs line `line` of `file`. */
  const envAt = (file: string, line: number): ShellEnv => (name) => {
    if (fixed.has(name)) return fixed.get(name);
    // plain shell code of this configure.ac that assigns the variable before this line
    const first = scanOf.get(file)?.assigned.get(name);
    const key = `${file}\0${name}`;
    if (first !== undefined && first < line && !running.has(key)) {
      const d = files.m4(file);
      const seg = d ? shellSegmentAt(d, first) : undefined;
      if (!seg) return { unknown: `\`$${name}\` is assigned by shell code at ${file}:${first}, which the model does not run` };
      running.add(key);
      let r: SegmentResult;
      try {
        r = runShellSegment(seg.text, seg.firstLine, name, (l) => envAt(file, Math.min(l, line)));
      } finally {
        running.delete(key);
      }
      if (r.kind === 'unknown') return { unknown: `\`$${name}\` is assigned by shell code at ${file}:${first}: ${r.why}` };
      if (r.kind === 'set') {
        values.set(name, r.value);
        note({ variable: name, value: r.value, why: 'set by the shell code of the configure.ac (run by the model)', file, line: r.line });
        return r.value;
      }
    }
    const bo = bspopts.get(name);
    if (bo) {
      if (file === facts.familyConfigureAc && bo.helpLine < line) {
        values.set(name, bo.value);
        note(bo);
        return bo.value;
      }
      note({
        variable: name,
        value: '',
        why: file === facts.familyConfigureAc
          ? `not set yet: its RTEMS_BSPOPTS_HELP is on line ${bo.helpLine} (and it is not in the environment)`
          : `only the family's configure sets it (and it is not in the environment)`,
        file,
        line,
      });
      return '';
    }
    const a = lazy.get(name);
    if (a) {
      values.set(name, a.value);
      note(a);
      return a.value;
    }
    const m = macroAssigning(files, name);
    if (m) return { unknown: `\`$${name}\` is set by ${m.macro} (${m.file}:${m.line}), configure code the model does not run` };
    return undefined;
  };
  const env = envAt(facts.familyConfigureAc, Number.MAX_SAFE_INTEGER);
  // values that are substituted into Makefiles are needed even when no condition asked for them
  return { files, env, envAt, values, assumptions };
}

/** Shell `case` pattern matching with alternatives (`a|b*`), quotes ignored. */
export function casePatternMatches(pattern: string, word: string): boolean {
  return pattern.split('|').some((alt) => globMatch(alt.trim().replace(/["']/g, ''), word));
}

/** The plain `VAR=value` assignments of the not-given action of one AC_ARG_ENABLE/AC_ARG_WITH call. */
function optionDefault(c: M4Call, rel: string): Assumption[] {
  const deflt = c.args[3]?.value ?? '';
  const simple = deflt.replace(/\bdnl\b.*$/gm, '').split(/[;\n]/).map((x) => x.trim()).filter(Boolean);
  const parsed = simple.map((x) => x.match(/^([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"$`\\]*)"|'([^']*)'|([^\s"'$`\\;]*))$/));
  if (parsed.length === 0 || parsed.some((m) => !m)) return [];
  return parsed.map((m) => ({
    variable: m![1]!,
    value: m![2] ?? m![3] ?? m![4] ?? '',
    why: `${c.name}(${c.args[0]?.value.trim()}) is not on the configure line: its default action sets it`,
    file: rel,
    line: c.line,
  }));
}

/** Option defaults inside an aclocal macro's body, computed once per macro. */
function macroOptionDefaults(files: FileStore, m: InvokedMacro): Assumption[] {
  return files.derived('macro-option-defaults', `${m.file}#${m.name}`, () =>
    (macroBody(files, m)?.deepCalls(/^AC_ARG_(?:ENABLE|WITH)$/) ?? []).flatMap((c) => optionDefault(c, m.file)),
  );
}

interface ConfigureAcScan {
  maintainerOn: boolean;
  optionDefaults: Assumption[];
  /** Variables plain shell code assigns (outside AC_ARG_ENABLE/AC_ARG_WITH), with the first line. */
  assigned: Map<string, number>;
}

/** What configureEnv needs from one configure.ac; computed once per file and tree. */
function scanConfigureAc(files: FileStore, rel: string): ConfigureAcScan {
  return files.derived('configure-env', rel, () => {
    const d = files.m4(rel);
    const out: ConfigureAcScan = { maintainerOn: false, optionDefaults: [], assigned: new Map() };
    if (!d) return out;
    out.maintainerOn = d.calls('AM_MAINTAINER_MODE').some((c) => c.args[0]?.value.trim() === 'enable');
    let text = d.text;
    for (const c of d.calls(/^AC_ARG_(?:ENABLE|WITH)$/)) {
      // the actions of AC_ARG_ENABLE/AC_ARG_WITH are read here, not as plain shell code
      text = text.slice(0, c.start) + text.slice(c.start, c.end).replace(/[^\n]/g, ' ') + text.slice(c.end);
      out.optionDefaults.push(...optionDefault(c, rel));
    }
    out.assigned = shellAssignments(text);
    return out;
  });
}

/**
 * Variables that plain shell code of a configure.ac assigns (`NAME=value` at the start of a
 * command), with the first line; comments and `dnl` lines are skipped.
 */
function shellAssignments(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!text) return out;
  text.split('\n').forEach((l, i) => {
    if (/^\s*(?:#|dnl\b)/.test(l)) return;
    const re = /(?:^|[;&|()[]|\bthen\b|\belse\b|\bdo\b)\s*([A-Za-z_][A-Za-z0-9_]*)\+?=(?!=)/g;
    for (const m of l.matchAll(re)) if (!out.has(m[1]!)) out.set(m[1]!, i + 1);
  });
  return out;
}

/**
 * The aclocal macro (AC_DEFUN in aclocal/, c/src/aclocal/, cpukit/aclocal/) whose shell code assigns
 * a variable, to name it when the variable stays unknown. Indexed once per tree.
 */
function macroAssigning(files: FileStore, name: string): { macro: string; file: string; line: number } | undefined {
  const index = files.derived('aclocal-assignments', '*', () => {
    const out = new Map<string, { macro: string; file: string; line: number }>();
    for (const { rel, doc } of aclocalDocs(files)) {
      for (const d of doc.calls('AC_DEFUN')) {
        const body = d.args[1];
        if (!body) continue;
        for (const [v, l] of shellAssignments(doc.text.slice(body.offset, d.end))) {
          if (!out.has(v)) out.set(v, { macro: d.args[0]!.value.trim(), file: rel, line: body.line + l - 1 });
        }
      }
    }
    return out;
  });
  return index.get(name);
}
