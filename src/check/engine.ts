/**
 * The rule engine: runs the rulebook over a loaded tree and returns the
 * `check --format json` shape. Severities (defaults, config file, options),
 * ignored paths, `--arch`/`--bsp` narrowing and inline suppression comments
 * are applied here, once, never inside rules.
 */
import { performance } from 'node:perf_hooks';
import type { RtemsTree, BspVariant } from '../model/tree.js';
import { resolveBsp, type BspResolution } from '../resolve/resolve-bsp.js';
import { SourceError } from '../parse/source-error.js';
import { UsageError } from '../cli/errors.js';
import { allRules } from '../rules/index.js';
import { readConfig } from './config.js';
import { globToRegExp, matchesAny } from './glob.js';
import { makeScope } from './scope.js';
import { isSuppressed, suppressions, type Suppressions } from './suppress.js';
import type { CheckOptions, CheckResult, Diagnostic, Report, Rule, RuleContext, Severity, SeveritySetting } from './types.js';

function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}

/** The rules a run uses, in rulebook order; unknown ids are a usage error. */
export function selectRules(ids: string | string[] | undefined): readonly Rule[] {
  if (ids === undefined) return allRules;
  const list = (Array.isArray(ids) ? ids : [ids]).flatMap((i) => i.split(/[\s,]+/)).filter(Boolean);
  for (const id of list) {
    if (!ruleById(id)) throw new UsageError(`unknown rule "${id}"`, 'run `rtems-virt-config list rules` for the ids');
  }
  return allRules.filter((r) => list.includes(r.meta.id));
}

export async function check(tree: RtemsTree, options: CheckOptions = {}): Promise<CheckResult> {
  const t0 = performance.now();
  const rules = selectRules(options.rule);
  const known = new Set(allRules.map((r) => r.meta.id));
  const config = options.noConfig ? { rules: {}, ignore: [] } : readConfig(tree.files, known);
  const settings: Record<string, SeveritySetting> = { ...config.rules, ...(options.severities ?? {}) };
  const ignore = [...config.ignore, ...(options.ignore ?? [])].map(globToRegExp);
  const scope = makeScope(tree, options);

  const resolutions = new Map<string, BspResolution>();
  const memo = new Map<string, unknown>();
  const diagnostics: Diagnostic[] = [];
  const suppressionCache = new Map<string, Suppressions>();
  const seen = new Set<string>();

  const accept = (ruleId: string, severity: Severity, r: Report) => {
    const file = r.file.replace(/\\/g, '/').replace(/^\.\//, '');
    const line = Math.max(1, Math.floor(r.line));
    const column = Math.max(1, Math.floor(r.column ?? 1));
    if (!scope.hasFile(file) || matchesAny(file, ignore)) return;
    let sup = suppressionCache.get(file);
    if (!sup) {
      sup = suppressions(tree.files.text(file) ?? '');
      suppressionCache.set(file, sup);
    }
    if (isSuppressed(sup, line, ruleId)) return;
    const key = `${ruleId}\0${file}\0${line}\0${column}\0${r.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push({ ruleId, severity, file, line, column, message: r.message });
  };

  // a file a rule needs cannot be read as what it claims to be: that is a finding, not a crash
  const unreadable = (ruleId: string, severity: Severity, e: unknown) => {
    if (!(e instanceof SourceError)) throw e;
    accept(ruleId, severity, {
      file: e.file.startsWith(tree.root) ? e.file.slice(tree.root.length + 1) || '.' : e.file,
      line: e.line,
      column: e.column,
      message: `cannot be checked: ${e.message}${e.hint ? ` (${e.hint})` : ''}`,
    });
  };

  for (const rule of rules) {
    const setting = settings[rule.meta.id] ?? rule.meta.severity;
    if (setting === 'off') continue;
    const ctx: RuleContext = {
      tree,
      files: tree.files,
      scope,
      resolve(bsp: BspVariant) {
        const key = `${bsp.arch}/${bsp.name}`;
        let r = resolutions.get(key);
        if (!r) {
          r = resolveBsp(tree, bsp.name, { arch: bsp.arch });
          resolutions.set(key, r);
        }
        return r;
      },
      memo<T>(key: string, compute: () => T): T {
        if (!memo.has(key)) memo.set(key, compute());
        return memo.get(key) as T;
      },
      report: (r) => accept(rule.meta.id, setting, r),
      reportUnreadable: (e) => unreadable(rule.meta.id, setting, e),
    };
    const started = performance.now();
    try {
      await rule.run(ctx);
    } catch (e) {
      unreadable(rule.meta.id, setting, e);
    }
    if (options.timings) options.timings[rule.meta.id] = Math.round(performance.now() - started);
  }

  diagnostics.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  return {
    tree: { root: tree.root, rtemsVersion: tree.version?.raw ?? null, arches: tree.arches, bsps: tree.bsps.length },
    diagnostics,
    summary: {
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      filesRead: tree.files.filesRead,
      ms: Math.round(performance.now() - t0),
    },
  };
}
