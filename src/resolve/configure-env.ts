/**
 * The shell variables configure has set by the time a BSP's libcpu and libbsp
 * `AM_CONDITIONAL`s run, for a configure line that gives only `--target` and
 * `--enable-rtemsbsp`. Values that come from option defaults are marked as
 * assumptions, so `explain` can say what it took for granted.
 */
import type { FileStore } from '../model/file-store.js';
import { globMatch, type ShellEnv } from './shell-test.js';

export interface Assumption {
  variable: string;
  value: string;
  why: string;
  file?: string;
  line?: number;
}

export interface ConfigureEnv {
  env: ShellEnv;
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
  const assume = (a: Assumption) => {
    values.set(a.variable, a.value);
    assumptions.push(a);
  };
  const used = new Set<string>();
  // RTEMS_CHECK_NETWORKING: --enable-networking defaults to yes; some CPUs never have it
  const net = NO_NETWORKING_CPUS.test(facts.cpu) ? 'no' : 'yes';
  const lazy = new Map<string, Assumption>([
    ['HAS_NETWORKING', { variable: 'HAS_NETWORKING', value: net, why: `RTEMS_CHECK_NETWORKING with the default --enable-networking${net === 'no' ? ` (no stack on ${facts.cpu})` : ''}` }],
    ['rtems_cv_HAS_SMP', { variable: 'rtems_cv_HAS_SMP', value: 'disabled', why: 'RTEMS_CHECK_SMP without --enable-experimental-smp (SMP is off by default)' }],
    ['HAS_SMP', { variable: 'HAS_SMP', value: 'no', why: 'SMP is off by default' }],
  ]);
  // RTEMS_BSPOPTS_SET(VAR, BSP-PATTERN, DEFAULT): the first arm whose pattern matches the BSP gives the default
  const doc = files.m4(facts.familyConfigureAc);
  if (doc) {
    const seen = new Set<string>();
    for (const c of doc.calls('RTEMS_BSPOPTS_SET')) {
      const variable = c.args[0]?.value.trim() ?? '';
      const pattern = c.args[1]?.value.trim() ?? '';
      if (!variable || seen.has(variable) || !casePatternMatches(pattern, facts.bsp)) continue;
      seen.add(variable);
      lazy.set(variable, {
        variable,
        value: c.args[2]?.value.trim() ?? '',
        why: `RTEMS_BSPOPTS_SET default for BSPs matching \`${pattern}\` (no ${variable} in the environment)`,
        file: facts.familyConfigureAc,
        line: c.line,
      });
    }
  }
  // shell code of the configure.ac files that assigns a variable: the model does not run it
  const assigned = new Map<string, { file: string; line: number }>();
  for (const rel of [facts.familyConfigureAc, ...(facts.otherConfigureAcs ?? [])]) {
    for (const [name, line] of shellAssignments(files.text(rel))) if (!assigned.has(name)) assigned.set(name, { file: rel, line });
  }
  const env: ShellEnv = (name) => {
    if (values.has(name)) return values.get(name);
    const sa = assigned.get(name);
    if (sa) return { unknown: `\`$${name}\` is assigned by shell code at ${sa.file}:${sa.line}, which the model does not run` };
    const a = lazy.get(name);
    if (a && !used.has(name)) {
      used.add(name);
      assume(a);
      return a.value;
    }
    return undefined;
  };
  // values that are substituted into Makefiles are needed even when no condition asked for them
  return { env, values, assumptions };
}

/** Shell `case` pattern matching with alternatives (`a|b*`), quotes ignored. */
export function casePatternMatches(pattern: string, word: string): boolean {
  return pattern.split('|').some((alt) => globMatch(alt.trim().replace(/["']/g, ''), word));
}

/**
 * Variables that plain shell code of a configure.ac assigns (`NAME=value` at the start of a
 * command), with the first line; comments and `dnl` lines are skipped.
 */
export function shellAssignments(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!text) return out;
  text.split('\n').forEach((l, i) => {
    if (/^\s*(?:#|dnl\b)/.test(l)) return;
    const re = /(?:^|[;&|(]|\bthen\b|\belse\b|\bdo\b)\s*([A-Za-z_][A-Za-z0-9_]*)\+?=(?!=)/g;
    for (const m of l.matchAll(re)) if (!out.has(m[1]!)) out.set(m[1]!, i + 1);
  });
  return out;
}
