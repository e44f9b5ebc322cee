/**
 * An error located in a source file. Everything the user can get wrong in a
 * tree (malformed build files, unknown BSPs, unsupported layouts) is reported
 * as a SourceError so that the CLI prints `file:line: message` and a next
 * step instead of a stack trace.
 */
export class SourceError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly hint: string | undefined;

  constructor(file: string, line: number, message: string, options: { column?: number; hint?: string } = {}) {
    super(message);
    this.name = 'SourceError';
    this.file = file;
    this.line = line;
    this.column = options.column ?? 1;
    this.hint = options.hint;
  }

  /** `file:line:column: message` as compilers print it. */
  get location(): string {
    return `${this.file}:${this.line}:${this.column}`;
  }
}

/** A SourceError at the first line of a logical line (the parsers' malformed-input errors). */
export function located(file: string, ll: { line: number }, message: string, hint: string): SourceError {
  return new SourceError(file, ll.line, message, { hint });
}

/** Fails loudly when a parser could not reproduce its input exactly. */
export function assertLossless(file: string, input: string, printed: string): void {
  if (printed === input) return;
  let i = 0;
  while (i < input.length && input[i] === printed[i]) i++;
  const line = input.slice(0, i).split('\n').length;
  throw new SourceError(file, line, 'internal error: the parsed document does not print back to its input', {
    hint: 'please report this file; nothing was written',
  });
}
