/**
 * Result classes of the RTEMS tester, decided from what the console showed.
 *
 * The banner logic follows rtems-tools' tester (tester/rt/report.py): begin and
 * end banners mean passed, a begin without end failed, nothing at all invalid,
 * and `*** TEST STATE:` moves a test into expected-fail, user-input,
 * indeterminate or benchmark. The monitor adds what a tester on hardware cannot
 * see: a privileged instruction or fault of the guest is a fatal-error.
 */

export const RESULT_CLASSES = [
  'passed',
  'failed',
  'fatal-error',
  'timeout',
  'invalid',
  'expected-fail',
  'user-input',
  'indeterminate',
  'benchmark',
] as const;
export type ResultClass = (typeof RESULT_CLASSES)[number];

/** What one boot showed on its console, and how it ended. */
export interface BootObservation {
  begin: boolean;
  end: boolean;
  /** The word after `*** TEST STATE:`, e.g. `EXPECTED_FAIL`. */
  state: string | null;
  /** The monitor's `fatal: …` text (privileged instruction, fault). */
  monitorFatal: string | null;
  /** `*** FATAL ***` printed by the guest itself (RTEMS fatal error handler). */
  guestFatal: boolean;
  /** Status passed to the exit call, when the guest made it. */
  exitStatus: number | null;
  /** The image could not be loaded (host check or the monitor's loader). */
  invalidReason: string | null;
  /** The machine restarted (the monitor's start line seen twice): a triple fault. */
  reset: boolean;
  timedOut: boolean;
  /** The emulator itself failed (could not start, died). */
  emulatorError: string | null;
}

export function emptyObservation(): BootObservation {
  return {
    begin: false,
    end: false,
    state: null,
    monitorFatal: null,
    guestFatal: false,
    exitStatus: null,
    invalidReason: null,
    reset: false,
    timedOut: false,
    emulatorError: null,
  };
}

export interface Classification {
  result: ResultClass;
  /** One line saying why, for the summary and the reports. */
  reason: string;
}

const KNOWN_STATES = new Set(['EXPECTED_PASS', 'EXPECTED_FAIL', 'USER_INPUT', 'INDETERMINATE', 'BENCHMARK']);

export function classify(o: BootObservation): Classification {
  if (o.invalidReason !== null) return { result: 'invalid', reason: o.invalidReason };
  if (o.emulatorError !== null) return { result: 'invalid', reason: `emulator: ${o.emulatorError}` };
  const fatal = o.monitorFatal ?? (o.reset ? 'triple fault: the machine reset' : o.guestFatal ? '*** FATAL *** printed by the guest' : null);
  const state = o.state === 'EXPECTED_PASS' ? null : o.state;
  if (state !== null && !KNOWN_STATES.has(state)) return { result: 'invalid', reason: `unknown test state ${state}` };
  if (state === 'USER_INPUT') return { result: 'user-input', reason: 'test state USER_INPUT' };
  if (state === 'BENCHMARK') return { result: 'benchmark', reason: 'test state BENCHMARK' };
  if (fatal !== null) {
    if (state === 'EXPECTED_FAIL') return { result: 'expected-fail', reason: `expected to fail: ${fatal}` };
    return { result: 'fatal-error', reason: fatal };
  }
  const completed = o.begin && o.end;
  if (state === 'EXPECTED_FAIL') {
    return completed ? { result: 'passed', reason: 'expected to fail but reached its end banner' } : { result: 'expected-fail', reason: 'test state EXPECTED_FAIL' };
  }
  if (state === 'INDETERMINATE') {
    return completed ? { result: 'passed', reason: 'begin and end banners' } : { result: 'indeterminate', reason: 'test state INDETERMINATE' };
  }
  if (completed) return { result: 'passed', reason: 'begin and end banners' };
  if (o.timedOut) return { result: 'timeout', reason: o.begin ? 'no end banner before the timeout' : 'no banner before the timeout' };
  if (o.begin) {
    return { result: 'failed', reason: o.exitStatus !== null ? `exited with status ${o.exitStatus} before the end banner` : 'no end banner' };
  }
  return { result: 'invalid', reason: o.exitStatus !== null ? `exited with status ${o.exitStatus} without a begin banner` : 'no begin banner' };
}
