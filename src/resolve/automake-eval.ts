/**
 * Evaluates automake variables under a set of condition values, as the
 * generated Makefile would see them: `=` replaces, `+=` appends, lines inside
 * `if COND` count only when COND is true, `$(VAR)` references to variables of
 * the same file are expanded, and `@VAR@` substitutions are applied.
 */
import type { AutomakeDocument, AmCondition } from '../parse/automake.js';
import type { Tri } from './shell-test.js';
import type { Unknown } from './unknown.js';

export type ConditionValues = ReadonlyMap<string, { value: Tri; unknown?: Unknown }>;

export interface AmWord {
  word: string;
  file: string;
  line: number;
  /** Present when the word is there only if an undecided condition holds. */
  unknown?: Unknown;
}

/** Whether a node's conditions hold: true, false, or unknown with the reason. */
function conditionsHold(
  conds: AmCondition[],
  values: ConditionValues,
  file: string,
): { value: Tri; unknown?: Unknown } {
  let result: Tri = true;
  let unknown: Unknown | undefined;
  for (const c of conds) {
    const v = values.get(c.name);
    if (!v) {
      result = result === false ? false : 'unknown';
      unknown ??= { file, line: c.line, why: `condition ${c.name} is not defined by AM_CONDITIONAL in the sibling configure.ac` };
      continue;
    }
    const val: Tri = v.value === 'unknown' ? 'unknown' : c.negated ? !v.value : v.value;
    if (val === false) return { value: false };
    if (val === 'unknown') {
      result = 'unknown';
      unknown ??= v.unknown ?? { file, line: c.line, why: `condition ${c.name} cannot be decided` };
    }
  }
  return result === 'unknown' ? { value: result, unknown } : { value: result };
}

export class AutomakeEvaluator {
  private readonly memo = new Map<string, AmWord[]>();

  constructor(
    readonly doc: AutomakeDocument,
    readonly conditions: ConditionValues,
    readonly substitutions: ReadonlyMap<string, string>,
  ) {}

  /** The words of a variable, `$(…)` expanded within this file and `@VAR@` substituted. */
  words(name: string, seen: Set<string> = new Set()): AmWord[] {
    const cached = this.memo.get(name);
    if (cached) return cached;
    if (seen.has(name)) return [];
    seen.add(name);
    let out: AmWord[] = [];
    const redefined = this.redefinition(name);
    for (const n of this.doc.assignments(name)) {
      const hold0 = conditionsHold(n.conditions, this.conditions, this.doc.file);
      if (hold0.value === false) continue;
      const hold = redefined && !hold0.unknown ? { value: hold0.value, unknown: redefined } : hold0;
      const add: AmWord[] = [];
      for (const w of n.value.split(/\s+/).filter(Boolean)) {
        for (const x of this.expandWord(w, n.line, seen)) {
          const unknown = hold.unknown ?? x.unknown;
          add.push(unknown ? { ...x, unknown } : x);
        }
      }
      // an uncertain `=` cannot be said to replace what came before
      if (n.op === '+=' || hold.value === 'unknown') out = out.concat(add);
      else out = add;
    }
    this.memo.set(name, out);
    return out;
  }

  /**
   * Automake's "X was already defined in condition C, which includes condition D": an `=` under
   * D after an `=` under a wider C. Automake then writes both definitions and which one make keeps
   * depends on the output order of the condition names, so the model does not decide the value.
   */
  private redefinition(name: string): Unknown | undefined {
    const eqs = this.doc.assignments(name).filter((n) => n.op === '=');
    const key = (c: AmCondition) => `${c.negated ? '!' : ''}${c.name}`;
    for (let j = 1; j < eqs.length; j++) {
      for (let i = 0; i < j; i++) {
        const wide = eqs[i]!.conditions.map(key);
        const narrow = new Set(eqs[j]!.conditions.map(key));
        if (wide.length < narrow.size && wide.every((k) => narrow.has(k))) {
          return {
            file: this.doc.file,
            line: eqs[j]!.line,
            why: `${name} was already defined on line ${eqs[i]!.line} in a condition that includes this one; automake keeps both definitions and make's choice depends on their output order`,
          };
        }
      }
    }
    return undefined;
  }

  /** True when the file assigns the variable anywhere. */
  has(name: string): boolean {
    return this.doc.assignments(name).length > 0;
  }

  private expandWord(w: string, line: number, seen: Set<string>): AmWord[] {
    const ref = w.match(/^\$[({]([A-Za-z0-9_]+)[)}]$/);
    if (ref && this.has(ref[1]!)) return this.words(ref[1]!, new Set(seen));
    const word = w.replace(/@([A-Za-z0-9_]+)@/g, (all, v: string) => this.substitutions.get(v) ?? all);
    return [{ word, file: this.doc.file, line }];
  }
}

/** Automake's canonical form of a program or library name for its variables (`shared/score.rel` → `shared_score_rel`). */
export function canonicalName(name: string): string {
  return name.replace(/[^A-Za-z0-9_@]/g, '_');
}
