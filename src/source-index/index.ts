/**
 * The C and assembly index of a set of files of one tree and architecture.
 *
 *   const idx = await buildSourceIndex(root, files, 'i386');
 *   const uses = privilegedUses(idx, loadInstructionTable('i386'));
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceError } from '../parse/source-error.js';
import { indexFile, languageOf } from './file-index.js';
import { loadInstructionTable, type InstructionTable } from './instruction-table.js';
import type { AsmSyntax } from './text.js';
import type { ConditionFrame, FileIndex, SourceIndex } from './types.js';

export * from './types.js';
export {
  loadInstructionTable,
  parseInstructionTable,
  listInstructionTables,
  instructionTableDir,
  matchInstruction,
  type InstructionTable,
  type InstructionEntry,
  type InstructionClass,
  type Confidence,
} from './instruction-table.js';
export { privilegedUses, type PrivilegedUsesOptions } from './closure.js';
export { indexFile, languageOf, cParser } from './file-index.js';

export interface BuildOptions {
  /** Reads a file relative to the root; undefined when it does not exist (default: the file system, latin1). */
  readText?: (rel: string) => string | undefined;
  /** The instruction table whose assembler syntax (comments, separators) is used; default rules/arch/<arch>.json. */
  table?: InstructionTable;
}

const DEFAULT_SYNTAX: AsmSyntax = { lineComment: ['#'], lineStartComment: [], separators: [';'] };

/** The assembler syntax of an architecture (from its table; `#` comments and `;` separators when there is none). */
export function asmSyntaxFor(arch: string, table?: InstructionTable): AsmSyntax {
  if (table) return table.syntax;
  try {
    return loadInstructionTable(arch).syntax;
  } catch {
    return DEFAULT_SYNTAX;
  }
}

/**
 * Indexes `relFiles` (paths relative to `root`; .c, .h, .S, .s, .inc).
 * Files that do not exist are skipped; other extensions are rejected.
 */
export async function buildSourceIndex(root: string, relFiles: string[], arch: string, options: BuildOptions = {}): Promise<SourceIndex> {
  const t0 = performance.now();
  const syntax = asmSyntaxFor(arch, options.table);
  const read = options.readText ?? ((rel: string): string | undefined => {
    try {
      return readFileSync(path.join(root, rel), 'latin1');
    } catch {
      return undefined;
    }
  });
  const files: FileIndex[] = [];
  const byFile = new Map<string, FileIndex>();
  for (const rel of relFiles) {
    if (byFile.has(rel)) continue;
    if (languageOf(rel) === null) {
      throw new SourceError(rel, 1, 'not a C or assembler file (.c, .h, .S, .s, .inc)', { hint: 'index only C sources, headers and assembler files' });
    }
    const text = read(rel);
    if (text === undefined) continue;
    const f = await indexFile(rel, text, syntax);
    files.push(f);
    byFile.set(rel, f);
  }
  return { root, arch, files, byFile, ms: performance.now() - t0 };
}

export interface DefinedSymbol {
  name: string;
  file: string;
  line: number;
  kind: 'function' | 'asm-label';
  /** For functions: declared inline (non-static inline still emits an external definition in GNU89). */
  inline: boolean;
  conditions: ConditionFrame[];
}

/** External (non-static) functions and global assembler labels the files define. */
export function definedSymbols(files: FileIndex[] | SourceIndex): DefinedSymbol[] {
  const list = Array.isArray(files) ? files : files.files;
  const out: DefinedSymbol[] = [];
  for (const f of list) {
    for (const fn of f.functions) {
      if (fn.storage.static) continue;
      out.push({ name: fn.name, file: f.file, line: fn.span.line, kind: 'function', inline: fn.storage.inline, conditions: fn.conditions });
    }
    for (const l of f.asmFile?.labels ?? []) {
      if (!l.global) continue;
      out.push({ name: l.name, file: f.file, line: l.line, kind: 'asm-label', inline: false, conditions: l.conditions });
    }
  }
  return out;
}

/** True when a conditional stack contains a branch that can never be compiled (`#if 0`, the `#else` of `#if 1`). */
export function isDeadBranch(conditions: ConditionFrame[]): boolean {
  return conditions.some((f) => {
    const e = f.opening.expression.trim();
    if (f.opening.kind !== 'if') return false;
    if (f.kind === 'if' && /^0$/.test(e)) return true;
    if (f.kind === 'else' && /^1$/.test(e)) return true;
    return false;
  });
}
