/**
 * The records of the C and assembly index. Every position is 1-based
 * line/column plus a 0-based byte offset into the file as read (files are
 * read as latin1, so one character is one byte and offsets can be used on a
 * Buffer of the file directly).
 */

/** One `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/`#endif` directive of a file. */
export interface ConditionalDirective {
  kind: 'if' | 'ifdef' | 'ifndef' | 'elif' | 'else' | 'endif';
  /** The condition as written (continuations joined, comments removed); '' for #else/#endif. */
  expression: string;
  /** The directive's logical line as written (continuations joined by a space). */
  text: string;
  line: number;
  /** Byte offset of the `#`. */
  offset: number;
  /** Nesting depth of the group this directive belongs to (0 = outermost). */
  depth: number;
  /** Line of the `#if`/`#ifdef`/`#ifndef` that opens this group. */
  groupLine: number;
  /** Set on the `#ifndef X`/`#endif` of an include guard; guards are left out of every ConditionFrame stack. */
  includeGuard?: boolean;
}

/** One frame of the conditional stack enclosing a position: the branch it is in. */
export interface ConditionFrame {
  /** The directive that opened the branch the position is in. */
  kind: 'if' | 'ifdef' | 'ifndef' | 'elif' | 'else';
  expression: string;
  text: string;
  line: number;
  /** The `#if`/`#ifdef`/`#ifndef` that opened the group (equal to the frame itself for the first branch). */
  opening: { kind: 'if' | 'ifdef' | 'ifndef'; expression: string; text: string; line: number };
}

export interface Span {
  /** Byte offsets, end exclusive. */
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
}

export interface MacroDefinition {
  name: string;
  file: string;
  /** null for an object-like macro. */
  params: string[] | null;
  variadic: boolean;
  /** The replacement text: continuations removed, comments replaced by a space, trimmed. */
  body: string;
  /** Whether the body is C (headers, C files) or assembler (.S files, `ASM` branches of headers). */
  bodyLanguage: 'c' | 'asm';
  /** From the `#` to the end of the last continuation line, its newline included. */
  span: Span;
  conditions: ConditionFrame[];
  /** Identifiers used in the body: `call` when followed by `(` in C, or the mnemonic of an asm statement. */
  refs: NameRef[];
  /** Asm statements in a C body, or the statements of an assembler body. */
  asm: AsmInstruction[];
}

export interface NameRef {
  name: string;
  /** A call `name(...)` in C, a statement mnemonic in assembler, or a plain identifier. */
  kind: 'call' | 'ident' | 'asm-statement';
  line: number;
  column: number;
  offset: number;
}

/** One instruction executed: from a C asm statement string, or a line of a .S file. */
export interface AsmInstruction {
  /** Lower-cased mnemonic as written (size suffixes kept: `pushfl`). */
  mnemonic: string;
  /** The operand text after `%%` → `%` for extended C asm. */
  operands: string;
  /** The whole statement text, trimmed. */
  text: string;
  line: number;
  column: number;
  offset: number;
  /** Where it came from: a C asm statement (tree-sitter or the fallback scanner), a .S line, a macro body. */
  origin: 'c-asm' | 'asm-file' | 'macro-body';
}

export interface FunctionDefinition {
  name: string;
  file: string;
  storage: { static: boolean; inline: boolean; extern: boolean };
  /** The whole definition, from the first specifier to the closing brace. */
  span: Span;
  /** The body `{ ... }`. */
  body: Span;
  conditions: ConditionFrame[];
  refs: NameRef[];
  asm: AsmInstruction[];
}

/** An `asm` statement of a C file, with its instructions. */
export interface AsmStatement {
  file: string;
  span: Span;
  extended: boolean;
  /** Concatenated string literal contents, escapes decoded. */
  code: string;
  instructions: AsmInstruction[];
  /** Enclosing function, if any. */
  function: string | null;
  conditions: ConditionFrame[];
}

/** A `.macro NAME` … `.endm` block of an assembler file. */
export interface AsmMacroDefinition {
  name: string;
  file: string;
  params: string[];
  span: Span;
  conditions: ConditionFrame[];
  instructions: AsmInstruction[];
  refs: NameRef[];
}

export interface AsmLabel {
  name: string;
  line: number;
  column: number;
  offset: number;
  global: boolean;
  conditions: ConditionFrame[];
}

export interface AsmFileRecord {
  /** Top-level statements (outside .macro bodies) in order, with the label they follow. */
  statements: Array<AsmInstruction & { label: string | null; conditions: ConditionFrame[] }>;
  labels: AsmLabel[];
  /** Names made global by `.globl`/`.global`/`PUBLIC()`. */
  globals: string[];
  macros: AsmMacroDefinition[];
}

export type SourceLanguage = 'c' | 'asm';

/**
 * One file of the index. Fields other than `file`, `language`, `size` and
 * `hints` are computed on first access (preprocessor layer, assembler scan,
 * tree-sitter parse), so read only what you need.
 */
export interface FileIndex {
  file: string;
  language: SourceLanguage;
  /** Byte length of the file. */
  size: number;
  conditionals: ConditionalDirective[];
  macros: MacroDefinition[];
  undefs: Array<{ name: string; line: number }>;
  includes: Array<{ path: string; system: boolean; line: number; conditions: ConditionFrame[] }>;
  functions: FunctionDefinition[];
  asmStatements: AsmStatement[];
  /** Present for .S/.s files. */
  asmFile: AsmFileRecord | null;
  /**
   * Whether the file has C code for tree-sitter (function bodies or asm outside directives). The parse
   * itself happens on first access to `functions`, `asmStatements` or `parseErrors`.
   */
  parsed: boolean;
  /** Lines where tree-sitter reported a syntax error (the index is still built around them). */
  parseErrors: number[];
  /** The conditional stack at a 1-based line. */
  conditionsAt(line: number): ConditionFrame[];
  /** Whether the file's code (comments removed) matches a regular expression: a cheap test before looking at its records. */
  mentions(re: RegExp): boolean;
  /** Cheap facts that let the closure skip files: an `asm` keyword anywhere; macros whose bodies are assembler. */
  hints: { asmKeyword: boolean; assemblerMacros: boolean };
}

export interface SourceIndex {
  root: string;
  arch: string;
  files: FileIndex[];
  byFile: Map<string, FileIndex>;
  ms: number;
}

/** One place that executes a privileged or sensitive instruction. */
export interface ViaStep {
  name: string;
  kind: 'macro' | 'inline-function' | 'asm-macro';
  file: string;
  line: number;
}

export interface PrivilegedUse {
  file: string;
  line: number;
  column: number;
  offset: number;
  /** `instruction`: the instruction is written here; `call`: reached through `via`. */
  kind: 'instruction' | 'call';
  /** The name called here (kind `call`). */
  callee: string | null;
  via: ViaStep[];
  instruction: { mnemonic: string; operands: string; text: string; file: string; line: number };
  class: 'privileged' | 'sensitive';
  reason: string;
  /** The entry of the table that matched. */
  entryId: string;
  /** Where the use is: a function, a macro body, an asm label region, a .macro body, or file scope. */
  context: { kind: 'function' | 'macro' | 'asm-label' | 'asm-macro' | 'file'; name: string | null };
  conditions: ConditionFrame[];
}
