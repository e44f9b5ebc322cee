/**
 * TEST-ONLY crash injection for the transaction's kill tests.
 *
 * When the environment variable `RVC_TEST_CRASH_AT=<step>:<n>` is set, the
 * n-th time (1-based) the transaction reaches the step boundary named
 * `<step>` the process sends itself SIGKILL: no `finally`, no exit handler,
 * no buffered write survives, exactly as `kill -9` from outside at that
 * moment. Steps are listed in `CRASH_STEPS`. Without the variable (every real
 * run) each check is one environment lookup.
 */

/** Every step boundary the transaction and the recovery announce, in the order they happen. */
export const CRASH_STEPS = [
  'journal-partial', // half of the journal's temporary file written
  'journal-written', // journal durable (renamed into place), nothing else touched yet
  'mkdir', // n-th new directory created
  'temp-partial', // half of the n-th temporary file written, not synced
  'temp-written', // n-th temporary file complete, not yet synced
  'temps-synced', // every temporary file and directory synced, journal still "prepared"
  'commit-partial', // the "committing" journal written to its temporary file, not yet renamed
  'committed', // journal says "committing": every temporary file is durable
  'renamed', // n-th file renamed into place (or deleted)
  'before-journal-delete', // every file in place, journal still there
  'journal-deleted', // transaction finished
  'recover-step', // recovery: n-th file completed or restored
  'recover-before-journal-delete', // recovery done, its journal still there
] as const;

export type CrashStep = (typeof CRASH_STEPS)[number];

function wanted(step: CrashStep, n: number): boolean {
  const spec = process.env.RVC_TEST_CRASH_AT;
  if (!spec) return false;
  const i = spec.lastIndexOf(':');
  const name = i < 0 ? spec : spec.slice(0, i);
  const count = i < 0 ? 1 : Number(spec.slice(i + 1));
  return name === step && count === n;
}

/** True when the test hook asks to crash at this boundary (for steps that do something partial first). */
export function crashRequested(step: CrashStep, n = 1): boolean {
  return wanted(step, n);
}

/** Kills the process with SIGKILL, now. */
export function crashNow(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered before the kill() call returns to user code; block in case it is not.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0, 60_000);
}

/** A step boundary: crashes here when the test hook asks for this step and occurrence. */
export function crashPoint(step: CrashStep, n = 1): void {
  if (wanted(step, n)) crashNow();
}
