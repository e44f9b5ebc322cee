export { parseAutomake, AutomakeDocument, type AutomakeNode, type AmCondition } from './parse/automake.js';
export { parseMakeCfg, MakeCfgDocument, type MakeNode } from './parse/make-cfg.js';
export { parseM4, M4Document, type M4Call, type M4Arg } from './parse/m4.js';
export { SourceError } from './parse/source-error.js';
export { loadTree, type RtemsTree, type BspVariant, type BspFamily } from './model/tree.js';
export { resolveBsp, type BspResolution } from './resolve/resolve-bsp.js';
export {
  generatePreinstall,
  preinstallTargets,
  ampolish3Variant,
  sameUpToHashOrder,
  type Ampolish3Variant,
  type PreinstallOptions,
  type PreinstallTarget,
} from './generate/preinstall.js';
export {
  generateAcinclude,
  renderAcinclude,
  bootstrapOrder,
  acincludeFamilies,
  acincludeArches,
  sameArms,
} from './generate/acinclude.js';
export { generatedFiles, firstDifferentLine, type GeneratedFile, type GeneratedStatus } from './generate/generated-files.js';
export {
  buildSourceIndex,
  privilegedUses,
  definedSymbols,
  isDeadBranch,
  indexFile,
  loadInstructionTable,
  parseInstructionTable,
  listInstructionTables,
  matchInstruction,
  type SourceIndex,
  type FileIndex,
  type PrivilegedUse,
  type DefinedSymbol,
  type InstructionTable,
  type InstructionEntry,
  type ConditionFrame,
  type ConditionalDirective,
  type FunctionDefinition,
  type MacroDefinition,
  type AsmInstruction,
} from './source-index/index.js';
export { isNoop, editAction, type FileEdit, type PatchPlan, type EditAction } from './patch/file-edit.js';
export { validatePlan } from './patch/tree-paths.js';
export { checkGitState, type GitState, type DirtyFile } from './patch/git-state.js';
export {
  applyPlan,
  applyPlanAsync,
  recoverJournal,
  type ApplyOptions,
  type ApplyProgress,
  type ApplyResult,
  type RecoverOptions,
  type RecoveryReport,
} from './patch/transaction.js';
export { renderDiff, summarizePlan, type PlanSummary, type PlanFileSummary } from './patch/diff.js';
export { PatchRefusedError } from './patch/refusal.js';
export { check, selectRules } from './check/engine.js';
export { toSarif } from './check/format-sarif.js';
export { formatStylish } from './check/format-stylish.js';
export { allRules } from './rules/index.js';
export type { CheckOptions, CheckResult, Diagnostic, Rule, RuleMeta, Severity } from './check/types.js';
export { bootAll, bootOne, selectShard, MONITOR_BSPS, type BootOptions, type BootResult, type BootRun } from './boot/runner.js';
export { classify, RESULT_CLASSES, type ResultClass, type BootObservation } from './boot/classify.js';
export { jsonReport, junitReport } from './boot/report.js';
