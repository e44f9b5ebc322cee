import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseM4 } from '../../src/parse/m4.js';
import { runShellSegment, shellSegmentAt } from '../../src/resolve/shell-script.js';
import type { ShellEnv } from '../../src/resolve/shell-test.js';

const envOf = (vars: Record<string, string>): ((line: number) => ShellEnv) => () => (n) => vars[n] ?? '';

async function realValue(script: string, target: string, vars: Record<string, string>): Promise<string | undefined> {
  const r = await execa('sh', ['-c', `${script}\nif test "\${${target}+set}" = set; then printf '%s' "set:$${target}"; fi`], {
    env: { ...vars, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    extendEnv: false,
  });
  return r.stdout.startsWith('set:') ? r.stdout.slice(4) : undefined;
}

describe('runShellSegment: plain configure.ac shell code, run in order', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['if test "${A}" != "1" -a "${B}" != "1"; then\n  X=1;\n  if test -z "${N}"; then\n      N=2 ;\n  else\n      N=3 ;\n  fi\nfi\n', 'X', {}],
    ['if test "${A}" != "1" -a "${B}" != "1"; then\n  X=1;\nfi\n', 'X', { A: '1' }],
    ['if test "$A" = y; then X=a; elif test "$B" = y; then X=b; else X=c; fi', 'X', { B: 'y' }],
    ['if test "$A" = y; then X=a; elif test "$B" = y; then X=b; else X=c; fi', 'X', {}],
    ['X=first\nif false; then X=never; fi # comment\n: nothing\nY="quoted value"', 'Y', {}],
    ['X=1\nX=2', 'X', {}],
    ['if true\nthen\n  X=\'single\'\nfi', 'X', {}],
  ];
  it.each(cases.map((c, i) => [i, ...c]))('case %i agrees with sh', async (_i, script, target, vars) => {
    const r = runShellSegment(script as string, 1, target as string, envOf(vars as Record<string, string>));
    const real = await realValue(script as string, target as string, vars as Record<string, string>);
    if (real === undefined) expect(r.kind).toBe('unset');
    else expect(r).toMatchObject({ kind: 'set', value: real });
  });

  it('the line of the assignment that wins', () => {
    const r = runShellSegment('X=1\nif true; then\n  X=2\nfi\n', 10, 'X', envOf({}));
    expect(r).toEqual({ kind: 'set', value: '2', line: 12 });
  });

  it('what it cannot run is unknown, never guessed', () => {
    for (const s of ['X=`uname`', 'X=$(uname)', 'if grep -q a f; then X=1; fi', 'X+=2', 'X=$Y', 'if test "$U" = 1; then X=1; fi']) {
      const r = runShellSegment(s, 1, 'X', () => (n) => (n === 'U' ? undefined : ''));
      expect(r.kind, s).toBe('unknown');
    }
  });

  it('a command in a branch that is not taken does not matter', () => {
    const r = runShellSegment('if test "$A" = 1; then\n  N+=2\n  X=no\nelse\n  X=yes\nfi', 1, 'X', envOf({}));
    expect(r).toMatchObject({ kind: 'set', value: 'yes' });
  });

  it('shellSegmentAt: the text between two macro calls, quotes removed one level, as configure gets it', () => {
    const doc = parseM4('AC_INIT([x],[1])\nif test "$A" = [y]; then\n  X=1\nfi\ndnl a comment\nAC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n');
    const seg = shellSegmentAt(doc, 3)!;
    expect(seg.firstLine).toBe(1);
    expect(seg.text).toBe('\nif test "$A" = y; then\n  X=1\nfi\n\n');
    expect(runShellSegment(seg.text, seg.firstLine, 'X', envOf({ A: 'y' }))).toEqual({ kind: 'set', value: '1', line: 3 });
    // a macro written without parentheses expands to shell the model does not see: unknown
    const after = shellSegmentAt(doc, 7)!;
    expect(runShellSegment(`X=1\n${after.text}`, 1, 'X', envOf({})).kind).toBe('unknown');
  });
});
