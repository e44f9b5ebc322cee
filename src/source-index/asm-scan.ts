/**
 * The assembler side of the index: the statements of a .S/.s file (after
 * comments and cpp directives are removed), its labels and global symbols
 * (`.globl x`, `.global SYM(x)`, `PUBLIC(x)`), and `.macro` … `.endm` bodies.
 */
import { parseStatement, splitAsmStatements, type AsmSyntax, type LineMap } from './text.js';
import type { AsmFileRecord, AsmInstruction, AsmMacroDefinition, ConditionFrame } from './types.js';

const SYM_NAME = /^\s*(?:SYM\s*\(\s*([\w.$]+)\s*\)|([A-Za-z_.$][\w.$]*))\s*$/;
const PUBLIC_RE = /^(?:PUBLIC|PUBLIC_VAR|PUBLIC_PROC|GLOBAL|\.globl|\.global)\s*\(\s*([\w.$]+)\s*\)\s*$/;
/** RTEMS macros that define a global function label: arm asm.h, mips LEAF/NESTED/FRAME. */
const FUNCTION_RE = /^(?:DEFINE_FUNCTION_ARM|DEFINE_FUNCTION_THUMB|FUNCTION_ENTRY|FUNCTION_THUMB_ENTRY|ENTRY|LEAF|NESTED|FRAME|GLOBAL_FUNCTION)\s*\(\s*([\w.$]+)\s*(?:,[^)]*)?\)\s*$/;

/** A symbol name as RTEMS writes it: `x`, `SYM(x)`, `SYM (x)`. */
function symbolName(s: string): string | null {
  const m = SYM_NAME.exec(s);
  return m ? (m[1] ?? m[2])! : null;
}

function isLocalLabel(name: string): boolean {
  return /^\d+$/.test(name) || name.startsWith('.L') || name.startsWith('L$');
}

export function scanAsmFile(
  file: string,
  code: string,
  syntax: AsmSyntax,
  lines: LineMap,
  conditionsAt: (line: number) => ConditionFrame[],
): AsmFileRecord {
  const rec: AsmFileRecord = { statements: [], labels: [], globals: [], macros: [] };
  const globals = new Set<string>();
  let label: string | null = null;
  let macro: AsmMacroDefinition | null = null;
  let lineNo = 0;
  for (let ls = 0; ls < code.length; ) {
    lineNo++;
    let le = code.indexOf('\n', ls);
    if (le < 0) le = code.length;
    const lineText = code.slice(ls, le);
    if (lineText.trim() === '') {
      ls = le + 1;
      continue;
    }
    for (const st of splitAsmStatements(lineText, ls, syntax)) {
      const p = parseStatement(st.text);
      const pos = lines.pos(st.offset);
      const conditions = conditionsAt(pos.line);
      for (const l of p.labels) {
        if (macro) continue;
        rec.labels.push({ name: l, line: pos.line, column: pos.column, offset: st.offset, global: false, conditions });
        if (!isLocalLabel(l)) label = l;
      }
      if (p.kind === 'empty') continue;
      const stOffset = st.offset + p.at;
      const stPos = lines.pos(stOffset);
      if (p.kind === 'directive' && macro && p.text.startsWith('\\')) {
        // `\param` as a whole statement: the instruction is an argument of the macro's call
        const m = /^\\([\w.$]+)\s*(.*)$/.exec(p.text);
        if (m) {
          macro.instructions.push({ mnemonic: `\\${m[1]!.toLowerCase()}`, operands: m[2]!, text: p.text, line: stPos.line, column: stPos.column, offset: stOffset, origin: 'asm-file' });
          macro.refs.push({ name: `\\${m[1]!}`, kind: 'asm-statement', line: stPos.line, column: stPos.column, offset: stOffset });
        }
        continue;
      }
      if (p.kind === 'directive') {
        const d = /^\.(\w+)\s*(.*)$/s.exec(p.text);
        const dir = d?.[1]?.toLowerCase() ?? '';
        const args = d?.[2]?.trim() ?? '';
        if (dir === 'globl' || dir === 'global') {
          for (const a of splitArgs(args)) {
            const nm = symbolName(a);
            if (nm) globals.add(nm);
          }
        } else if (dir === 'macro') {
          const mm = /^([\w.$]+)\s*,?\s*(.*)$/.exec(args);
          if (mm) {
            macro = {
              name: mm[1]!,
              file,
              params: mm[2] ? mm[2].split(/[\s,]+/).filter(Boolean).map((x) => x.replace(/[:=].*$/, '')) : [],
              span: { start: lines.lineStart(stPos.line), end: lines.lineEnd(stPos.line), line: stPos.line, column: stPos.column, endLine: stPos.line },
              conditions,
              instructions: [],
              refs: [],
            };
            rec.macros.push(macro);
          }
        } else if (dir === 'endm' || dir === 'endmacro') {
          if (macro) {
            macro.span.end = lines.lineEnd(stPos.line);
            macro.span.endLine = stPos.line;
            macro = null;
          }
        }
        continue;
      }
      const pub = PUBLIC_RE.exec(p.text);
      if (pub) {
        globals.add(pub[1]!);
        continue;
      }
      const fnm = macro ? null : FUNCTION_RE.exec(p.text);
      if (fnm) {
        const name = fnm[1]!;
        globals.add(name);
        rec.labels.push({ name, line: stPos.line, column: stPos.column, offset: stOffset, global: true, conditions });
        label = name;
        continue;
      }
      const ins: AsmInstruction = {
        mnemonic: p.mnemonic,
        operands: p.operands,
        text: p.text,
        line: stPos.line,
        column: stPos.column,
        offset: stOffset,
        origin: 'asm-file',
      };
      if (macro) {
        if (macro.params.includes(p.name)) continue;
        macro.instructions.push(ins);
        macro.refs.push({ name: p.name, kind: 'asm-statement', line: ins.line, column: ins.column, offset: ins.offset });
      } else {
        rec.statements.push({ ...ins, label, conditions });
      }
    }
    ls = le + 1;
  }
  for (const l of rec.labels) l.global = globals.has(l.name);
  rec.globals = [...globals].sort();
  return rec;
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
