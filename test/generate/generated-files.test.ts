import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTree } from '../../src/model/tree.js';
import { renderAcinclude } from '../../src/generate/acinclude.js';
import { generatedFiles, firstDifferentLine } from '../../src/generate/generated-files.js';

const FIX = path.resolve(__dirname, '../../fixtures/generate');
const read = (f: string): string => readFileSync(path.join(FIX, f), 'latin1');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function mkTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rvc-genfiles-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries({ 'configure.ac': 'AC_INIT\n', 'cpukit/score/cpu/i386/cpu.c': '', ...files })) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text, 'latin1');
  }
  return root;
}
const lib = 'c/src/lib/libbsp';
const check = 'RTEMS_CHECK_BSPDIR([$RTEMS_BSP_FAMILY])\n';
const specs = '%rename endfile old_endfile\n';

describe('generatedFiles', () => {
  const bsp = read('bsp-family.am');
  const root = mkTree({
    // a one-line stand-in for the script: only its `sort keys %seen` is read
    ampolish3: 'foreach my $k ( sort keys %seen )\n',
    [`${lib}/i386/configure.ac`]: check,
    [`${lib}/i386/acinclude.m4`]: renderAcinclude(['pc386']),
    [`${lib}/i386/pc386/bsp_specs`]: specs,
    [`${lib}/i386/i386virt/bsp_specs`]: specs,
    [`${lib}/sparc/configure.ac`]: check,
    [`${lib}/sparc/acinclude.m4`]: renderAcinclude(['leon3', 'erc32']),
    [`${lib}/sparc/erc32/bsp_specs`]: specs,
    [`${lib}/sparc/leon3/bsp_specs`]: specs,
    [`${lib}/m68k/configure.ac`]: check,
    [`${lib}/m68k/acinclude.m4`]: renderAcinclude(['av5282']),
    [`${lib}/m68k/av5282/bsp_specs`]: specs,
    [`${lib}/i386/pc386/Makefile.am`]: bsp,
    [`${lib}/i386/pc386/preinstall.am`]: read('bsp-family.expected'),
    [`${lib}/sparc/erc32/Makefile.am`]: bsp,
    [`${lib}/sparc/erc32/preinstall.am`]: read('bsp-family.4.10.expected'),
    [`${lib}/sparc/leon3/Makefile.am`]: bsp.replace('include/tm27.h', 'include/tm28.h'),
    [`${lib}/sparc/leon3/preinstall.am`]: read('bsp-family.expected'),
    [`${lib}/m68k/av5282/Makefile.am`]: bsp,
  });
  const byFile = new Map(generatedFiles(loadTree(root)).map((g) => [g.file, g]));

  it('lists the acinclude.m4 of every RTEMS_CHECK_BSPDIR arch and the preinstall.am of every including Makefile.am', () => {
    expect([...byFile.keys()].sort()).toEqual([
      `${lib}/i386/acinclude.m4`,
      `${lib}/i386/pc386/preinstall.am`,
      `${lib}/m68k/acinclude.m4`,
      `${lib}/m68k/av5282/preinstall.am`,
      `${lib}/sparc/acinclude.m4`,
      `${lib}/sparc/erc32/preinstall.am`,
      `${lib}/sparc/leon3/preinstall.am`,
    ]);
  });
  it('classifies each', () => {
    expect(byFile.get(`${lib}/m68k/acinclude.m4`)?.status).toBe('current');
    expect(byFile.get(`${lib}/i386/acinclude.m4`)?.status).toBe('stale');
    expect(byFile.get(`${lib}/sparc/acinclude.m4`)?.status).toBe('reordered');
    expect(byFile.get(`${lib}/i386/pc386/preinstall.am`)?.status).toBe('current');
    expect(byFile.get(`${lib}/sparc/erc32/preinstall.am`)?.status).toBe('reordered');
    expect(byFile.get(`${lib}/sparc/leon3/preinstall.am`)?.status).toBe('stale');
    expect(byFile.get(`${lib}/m68k/av5282/preinstall.am`)?.status).toBe('missing');
  });
  it('points at the first different line of a stale file', () => {
    const i386 = byFile.get(`${lib}/i386/acinclude.m4`)!;
    // arms: i386virt comes before pc386, so line 5 (first arm) differs
    expect(i386.firstDifferentLine).toBe(5);
    expect(i386.text).toBe(renderAcinclude(['i386virt', 'pc386']));
    const leon3 = byFile.get(`${lib}/sparc/leon3/preinstall.am`)!;
    expect(leon3.committed!.split('\n')[leon3.firstDifferentLine! - 1]).toContain('tm27.h');
    expect(leon3.text.split('\n')[leon3.firstDifferentLine! - 1]).toContain('tm28.h');
  });
  it('lists no preinstall.am for a tree without ampolish3 (5)', () => {
    const t = loadTree(mkTree({ [`${lib}/i386/configure.ac`]: check, 'bsps/i386/pc386/start/bsp_specs': specs, [`${lib}/i386/pc386/Makefile.am`]: bsp }));
    expect(generatedFiles(t).map((g) => [g.file, g.status])).toEqual([[`${lib}/i386/acinclude.m4`, 'missing']]);
  });
});

describe('firstDifferentLine', () => {
  it('counts lines up to the first different byte', () => {
    expect(firstDifferentLine('a\nb\nc\n', 'a\nb\nd\n')).toBe(3);
    expect(firstDifferentLine('a\n', 'a\nb\n')).toBe(2);
    expect(firstDifferentLine('x', 'y')).toBe(1);
  });
});
