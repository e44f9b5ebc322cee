/** Reports of a boot run: JSON (our shape) and JUnit XML (for CI test views). */
import type { BootRun } from './runner.js';

export function jsonReport(run: BootRun): object {
  return {
    bsp: run.bsp,
    backend: run.backend,
    ms: run.ms,
    summary: { total: run.results.length, ...run.counts },
    results: run.results.map((r) => ({
      exe: r.exe,
      result: r.result,
      reason: r.reason,
      ms: r.ms,
      log: r.logFile,
      consoleBytes: r.consoleBytes,
      logTruncated: r.logTruncated,
      exitStatus: r.exitStatus,
    })),
  };
}

function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** Not passed counts as a failure, except the classes the tester does not count as failures. */
const NOT_FAILURES = new Set(['passed', 'expected-fail', 'user-input', 'indeterminate', 'benchmark']);

export function junitReport(run: BootRun): string {
  const failures = run.results.filter((r) => !NOT_FAILURES.has(r.result) && r.result !== 'fatal-error' && r.result !== 'invalid').length;
  const errors = run.results.filter((r) => r.result === 'fatal-error' || r.result === 'invalid').length;
  const skipped = run.results.filter((r) => r.result === 'user-input' || r.result === 'benchmark').length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rtems-virt-config boot" tests="${run.results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(run.ms / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(`${run.bsp} on ${run.backend}`)}" tests="${run.results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(run.ms / 1000).toFixed(3)}">`,
  ];
  for (const r of run.results) {
    const open = `    <testcase classname="${xml(run.bsp)}" name="${xml(r.exe)}" time="${(r.ms / 1000).toFixed(3)}">`;
    let body = '';
    if (r.result === 'fatal-error' || r.result === 'invalid') body = `      <error type="${r.result}" message="${xml(r.reason)}"/>`;
    else if (r.result === 'user-input' || r.result === 'benchmark') body = `      <skipped message="${xml(`${r.result}: ${r.reason}`)}"/>`;
    else if (!NOT_FAILURES.has(r.result)) body = `      <failure type="${r.result}" message="${xml(r.reason)}"/>`;
    const props = `      <system-out>${xml(`result: ${r.result}\nlog: ${r.logFile}`)}</system-out>`;
    lines.push(open, ...(body ? [body] : []), props, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
