/**
 * Privileged and sensitive instruction tables, one JSON file per
 * architecture in `rules/arch/<arch>.json` (shape: `rules/arch/schema.json`).
 * The loader validates a table by hand (ajv is a dev dependency only) and
 * compiles its patterns once.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceError } from '../parse/source-error.js';
import type { AsmInstruction } from './types.js';

export type InstructionClass = 'privileged' | 'sensitive';
export type Confidence = 'high' | 'medium' | 'low' | 'none';

/** Named operand tests that a regular expression cannot express well. */
export const OPERAND_PREDICATES = ['ppc-spr-privileged'] as const;
export type OperandPredicate = (typeof OPERAND_PREDICATES)[number];

export interface InstructionEntry {
  id: string;
  /** Exact mnemonics (lower case). */
  mnemonics?: string[];
  /** A regular expression over the lower-cased mnemonic. */
  mnemonicPattern?: string;
  /** A regular expression the operand text must match (case-insensitive). */
  operands?: string;
  /** A regular expression the operand text must not match. */
  operandsExclude?: string;
  /** A regular expression over the whole statement (for algebraic syntaxes such as Blackfin's `IMASK = R0`). */
  statement?: string;
  operandPredicate?: OperandPredicate;
  class: InstructionClass;
  reason: string;
  confidence?: Confidence;
  notes?: string;
}

export interface InstructionTable {
  arch: string;
  confidence: Confidence;
  notes: string;
  syntax: {
    /** Characters that start a comment anywhere on a line (after cpp). */
    lineComment: string[];
    /** Characters that start a comment only at the start of a line. */
    lineStartComment: string[];
    /** Statement separators on one line. */
    separators: string[];
  };
  instructions: InstructionEntry[];
  /** Where the table was read from. */
  file: string;
}

interface CompiledEntry {
  entry: InstructionEntry;
  mnemonics: Set<string> | null;
  mnemonicRe: RegExp | null;
  operandsRe: RegExp | null;
  operandsExcludeRe: RegExp | null;
  statementRe: RegExp | null;
}

const compiled = new WeakMap<InstructionTable, CompiledEntry[]>();
const cache = new Map<string, InstructionTable>();

/** The folder holding the shipped tables (`rules/arch` at the package root). */
export function instructionTableDir(): string {
  return fileURLToPath(new URL('../../rules/arch/', import.meta.url));
}

/** Architectures with a shipped table. */
export function listInstructionTables(dir = instructionTableDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Loads and validates `rules/arch/<arch>.json`; cached per file. */
export function loadInstructionTable(arch: string, dir = instructionTableDir()): InstructionTable {
  if (!/^[a-z0-9_]+$/.test(arch)) {
    throw new SourceError('rules/arch', 1, `"${arch}" is not an architecture name`, {
      hint: 'use the name of a cpukit/score/cpu directory, e.g. i386',
    });
  }
  const file = path.join(dir, `${arch}.json`);
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SourceError(file, 1, `no instruction table for architecture "${arch}"`, {
      hint: `add rules/arch/${arch}.json (see rules/arch/schema.json), or check the --arch value`,
    });
  }
  const table = parseInstructionTable(text, file);
  if (table.arch !== arch) {
    throw new SourceError(file, lineOf(text, '"arch"'), `table says arch "${table.arch}" but is named ${arch}.json`, {
      hint: 'make the "arch" field match the file name',
    });
  }
  cache.set(file, table);
  return table;
}

function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  return i < 0 ? 1 : text.slice(0, i).split('\n').length;
}

/** Parses and validates a table's text; throws SourceError naming the field that is wrong. */
export function parseInstructionTable(text: string, file: string): InstructionTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
    throw new SourceError(file, line, `invalid JSON: ${(e as Error).message}`, { hint: 'fix the JSON syntax' });
  }
  const fail = (where: string, msg: string, needle?: string): never => {
    throw new SourceError(file, needle ? lineOf(text, needle) : 1, `${where}: ${msg}`, {
      hint: 'see rules/arch/schema.json for the table shape',
    });
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('table', 'must be a JSON object');
  const o = raw as Record<string, unknown>;
  const allowedTop = new Set(['$schema', 'arch', 'confidence', 'notes', 'syntax', 'instructions']);
  for (const k of Object.keys(o)) if (!allowedTop.has(k)) fail(k, 'unknown field', `"${k}"`);
  if (typeof o.arch !== 'string' || o.arch === '') fail('arch', 'must be a non-empty string', '"arch"');
  if (!isConfidence(o.confidence)) fail('confidence', 'must be one of high, medium, low, none', '"confidence"');
  if (typeof o.notes !== 'string') fail('notes', 'must be a string', '"notes"');
  const syn = o.syntax as Record<string, unknown> | undefined;
  if (typeof syn !== 'object' || syn === null) fail('syntax', 'must be an object', '"syntax"');
  const strList = (v: unknown, where: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0)) {
      fail(where, 'must be an array of non-empty strings', `"${where.split('.').pop()}"`);
    }
    return v as string[];
  };
  const syntax = {
    lineComment: strList(syn!.lineComment, 'syntax.lineComment'),
    lineStartComment: strList(syn!.lineStartComment, 'syntax.lineStartComment'),
    separators: strList(syn!.separators, 'syntax.separators'),
  };
  for (const k of Object.keys(syn!)) {
    if (!['lineComment', 'lineStartComment', 'separators'].includes(k)) fail(`syntax.${k}`, 'unknown field', `"${k}"`);
  }
  if (!Array.isArray(o.instructions)) fail('instructions', 'must be an array', '"instructions"');
  const ids = new Set<string>();
  const entries: InstructionEntry[] = [];
  let searchFrom = 0;
  (o.instructions as unknown[]).forEach((e, i) => {
    const where = `instructions[${i}]`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) fail(where, 'must be an object', '"instructions"');
    const r = e as Record<string, unknown>;
    const idPos = typeof r.id === 'string' ? text.indexOf(`"${r.id}"`, searchFrom) : -1;
    if (idPos >= 0) searchFrom = idPos;
    const at = (): string => `"${String(r.id)}"`;
    const allowed = new Set([
      'id', 'mnemonics', 'mnemonicPattern', 'operands', 'operandsExclude', 'statement', 'operandPredicate',
      'class', 'reason', 'confidence', 'notes',
    ]);
    for (const k of Object.keys(r)) if (!allowed.has(k)) fail(`${where}.${k}`, 'unknown field', at());
    if (typeof r.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(r.id)) fail(`${where}.id`, 'must be a lower-case id', '"instructions"');
    if (ids.has(r.id as string)) fail(`${where}.id`, `duplicate id "${String(r.id)}"`, at());
    ids.add(r.id as string);
    if (r.class !== 'privileged' && r.class !== 'sensitive') fail(`${where}.class`, 'must be "privileged" or "sensitive"', at());
    if (typeof r.reason !== 'string' || r.reason.trim() === '' || r.reason.includes('\n')) {
      fail(`${where}.reason`, 'must be a one-line, non-empty string', at());
    }
    if (r.confidence !== undefined && !isConfidence(r.confidence)) fail(`${where}.confidence`, 'must be one of high, medium, low, none', at());
    if (r.notes !== undefined && typeof r.notes !== 'string') fail(`${where}.notes`, 'must be a string', at());
    if (r.mnemonics !== undefined) {
      const m = strList(r.mnemonics, `${where}.mnemonics`);
      if (m.length === 0 || m.some((x) => x !== x.toLowerCase() || /\s/.test(x))) {
        fail(`${where}.mnemonics`, 'must list lower-case mnemonics without spaces', at());
      }
    }
    if (r.mnemonics === undefined && r.mnemonicPattern === undefined && r.statement === undefined) {
      fail(where, 'needs one of mnemonics, mnemonicPattern or statement', at());
    }
    for (const k of ['mnemonicPattern', 'operands', 'operandsExclude', 'statement'] as const) {
      if (r[k] === undefined) continue;
      if (typeof r[k] !== 'string') fail(`${where}.${k}`, 'must be a string', at());
      try {
        new RegExp(r[k] as string, 'i');
      } catch (err) {
        fail(`${where}.${k}`, `invalid regular expression: ${(err as Error).message}`, at());
      }
    }
    if (r.operandPredicate !== undefined && !(OPERAND_PREDICATES as readonly string[]).includes(r.operandPredicate as string)) {
      fail(`${where}.operandPredicate`, `must be one of ${OPERAND_PREDICATES.join(', ')}`, at());
    }
    entries.push(r as unknown as InstructionEntry);
  });
  if (o.confidence === 'none' && entries.length > 0) fail('confidence', '"none" is for tables without instructions', '"confidence"');
  return {
    arch: o.arch as string,
    confidence: o.confidence as Confidence,
    notes: o.notes as string,
    syntax,
    instructions: entries,
    file,
  };
}

function isConfidence(v: unknown): v is Confidence {
  return v === 'high' || v === 'medium' || v === 'low' || v === 'none';
}

function compile(table: InstructionTable): CompiledEntry[] {
  let c = compiled.get(table);
  if (c) return c;
  c = table.instructions.map((entry) => ({
    entry,
    mnemonics: entry.mnemonics ? new Set(entry.mnemonics) : null,
    mnemonicRe: entry.mnemonicPattern ? new RegExp(entry.mnemonicPattern, 'i') : null,
    operandsRe: entry.operands ? new RegExp(entry.operands, 'i') : null,
    operandsExcludeRe: entry.operandsExclude ? new RegExp(entry.operandsExclude, 'i') : null,
    statementRe: entry.statement ? new RegExp(entry.statement, 'i') : null,
  }));
  compiled.set(table, c);
  return c;
}

/** The first table entry an instruction matches, or null. */
export function matchInstruction(
  table: InstructionTable,
  ins: Pick<AsmInstruction, 'mnemonic' | 'operands' | 'text'>,
): InstructionEntry | null {
  for (const c of compile(table)) {
    if (c.statementRe) {
      if (!c.statementRe.test(ins.text)) continue;
      if (!c.mnemonics && !c.mnemonicRe) return c.entry;
    }
    const byName = (c.mnemonics?.has(ins.mnemonic) ?? false) || (c.mnemonicRe?.test(ins.mnemonic) ?? false);
    if (!byName) continue;
    if (c.operandsRe && !c.operandsRe.test(ins.operands)) continue;
    if (c.operandsExcludeRe && c.operandsExcludeRe.test(ins.operands)) continue;
    if (c.entry.operandPredicate && !operandPredicate(c.entry.operandPredicate, ins)) continue;
    return c.entry;
  }
  return null;
}

/** PowerPC: mtspr/mfspr are privileged when bit 0x10 of the SPR number is set (SRR0=26, SPRG0=272, HID0=1008…). */
const PPC_SPR_NAMES: Record<string, number> = {
  xer: 1, lr: 8, ctr: 9, tbrl: 268, tbru: 269, tblr: 268, tbur: 269, usprg3: 259, spefscr: 512, l2csr0: 1017, msscr0: 1014, nri: 82, eid: 81, eie: 80, dsisr: 18, dar: 19, dec: 22, sdr1: 25, srr0: 26, srr1: 27, csrr0: 58, csrr1: 59,
  dear: 61, esr: 62, ivpr: 63, usprg0: 256, vrsave: 256, tbl: 284, tbu: 285, sprg0: 272, sprg1: 273, sprg2: 274,
  sprg3: 275, sprg4: 276, sprg5: 277, sprg6: 278, sprg7: 279, ear: 282, pir: 1023, pvr: 287, hid0: 1008, hid1: 1009,
  iabr: 1010, dabr: 1013, l2cr: 1017, ictc: 1019, thrm1: 1020, thrm2: 1021, thrm3: 1022, tcr: 340, tsr: 336,
  pid: 48, decar: 54, mcsrr0: 570, mcsrr1: 571, mcsr: 572, dbcr0: 308, dbsr: 304, bucsr: 1013, l1csr0: 1010,
  l1csr1: 1011, mas0: 624, mas1: 625, mas2: 626, mas3: 627, mas4: 628, mas6: 630, mmucr: 946, ivor0: 400,
};

function operandPredicate(p: OperandPredicate, ins: Pick<AsmInstruction, 'mnemonic' | 'operands'>): boolean {
  switch (p) {
    case 'ppc-spr-privileged': {
      const ops = ins.operands.split(',').map((s) => s.trim().toLowerCase());
      // mtspr SPR,rS  /  mfspr rD,SPR
      const spr = ins.mnemonic === 'mtspr' ? ops[0] : ops[1];
      if (spr === undefined || spr === '') return true;
      let n: number | undefined;
      if (/^(0x[0-9a-f]+|\d+)$/.test(spr)) n = Number(spr);
      else n = PPC_SPR_NAMES[spr.replace(/^(ppc_|booke_|fsl_eis_)?(spr_?)?/, '')];
      // An SPR given through a macro or an asm operand (%0, %[spr]) cannot be decided here: assume privileged.
      if (n === undefined) return true;
      return (n & 0x10) !== 0;
    }
  }
}
