/**
 * A patch the tool declines to apply as things stand (uncommitted changes in
 * the files it would touch, a tree that changed since it was planned, another
 * run in progress). The `patch` command exits 1 for it, not 2: nothing is
 * wrong with the command line, the tree is just not in a state to be patched.
 */
import { EXIT_FINDINGS, UsageError } from '../cli/errors.js';

export class PatchRefusedError extends UsageError {
  readonly exitCode = EXIT_FINDINGS;

  constructor(
    message: string,
    hint: string,
    /** The files (relative to the tree root) the refusal is about. */
    readonly files: readonly string[] = [],
  ) {
    super(message, hint);
    this.name = 'PatchRefusedError';
  }
}
