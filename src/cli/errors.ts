/** How the CLI reports failures: one located line and a next step, never a stack trace. */
import { SourceError } from '../parse/source-error.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A usage or input error the user can fix; printed without a stack. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function formatError(e: unknown): string {
  if (e instanceof SourceError) {
    const where = e.line > 0 ? `${e.file}:${e.line}: ` : `${e.file}: `;
    return `${where}error: ${e.message}${e.hint ? `\n  next: ${e.hint}` : ''}`;
  }
  if (e instanceof UsageError) return `error: ${e.message}${e.hint ? `\n  next: ${e.hint}` : ''}`;
  const err = e instanceof Error ? e : new Error(String(e));
  const detail = process.env.RVC_DEBUG ? `\n${err.stack}` : '\n  next: this is a bug in rtems-virt-config; rerun with RVC_DEBUG=1 and report the output';
  return `internal error: ${err.message}${detail}`;
}
