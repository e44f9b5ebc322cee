/**
 * The shapes of the rule engine: a rule is one module with its metadata next
 * to its code (ESLint, Ruff); it reports findings through its context and
 * never decides severities or suppressions itself: the engine does that once.
 */
import type { RtemsTree } from '../model/tree.js';
import type { FileStore } from '../model/file-store.js';
import type { BspResolution } from '../resolve/resolve-bsp.js';
import type { BspVariant } from '../model/tree.js';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export interface RuleMeta {
  /** Stable id, also the file name `src/rules/<id>.ts` and the page `rules/<id>.md`. */
  id: string;
  /** Severity unless the tree's `.rtems-virt-config.json` says otherwise. */
  severity: Severity;
  /** One line: what the rule requires. */
  description: string;
  /** The words of the 2013 design discussion the rule enforces. */
  discussion: string;
  /** The rule's page, relative to the package root. */
  docs: string;
  /** True when `check --fix` can repair its findings. */
  fixable: boolean;
}

/** What a rule reports: a place and a message that says what to do. */
export interface Report {
  /** Path relative to the tree root, `/`-separated. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based; 1 when the finding is about a whole line or file. */
  column?: number;
  message: string;
}

/** One finding as `check --format json` prints it. */
export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The arches and BSPs a run is narrowed to (`--arch`, `--bsp`). */
export interface Scope {
  arches: readonly string[];
  /** Undefined: every BSP of the scoped arches. */
  bsp?: BspVariant;
  hasArch(arch: string): boolean;
  /** Whether a finding in this file belongs to the run (files of other arches, families or BSPs do not). */
  hasFile(file: string): boolean;
  /** The BSP variants of the run. */
  bsps(): BspVariant[];
}

export interface RuleContext {
  readonly tree: RtemsTree;
  readonly files: FileStore;
  readonly scope: Scope;
  /** Resolves a BSP once per run (shared by every rule). */
  resolve(bsp: BspVariant): BspResolution;
  /** Facts other helpers compute lazily and share across rules, keyed by name. */
  memo<T>(key: string, compute: () => T): T;
  report(r: Report): void;
  /** Reports a file the rule could not read as what it claims to be (a SourceError) and lets the rule go on; rethrows anything else. */
  reportUnreadable(e: unknown): void;
}

export interface Rule {
  meta: RuleMeta;
  run(ctx: RuleContext): void | Promise<void>;
}

export interface CheckOptions {
  /** Narrow to one or more arches. */
  arch?: string | string[];
  /** Narrow to one BSP (its arch, family and resolution). */
  bsp?: string;
  /** Run only these rule ids. */
  rule?: string | string[];
  /** Ignore the tree's `.rtems-virt-config.json` (tests; explicit settings below still apply). */
  noConfig?: boolean;
  /** Severity overrides on top of the config file. */
  severities?: Record<string, SeveritySetting>;
  /** Extra ignored path globs on top of the config file. */
  ignore?: string[];
  /** When given, filled with the wall milliseconds each rule took (benchmarks). */
  timings?: Record<string, number>;
}

/** The `check --format json` shape of product.md. */
export interface CheckResult {
  tree: { root: string; rtemsVersion: string | null; arches: string[]; bsps: number };
  diagnostics: Diagnostic[];
  summary: { errors: number; warnings: number; filesRead: number; ms: number };
}
