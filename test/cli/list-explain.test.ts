/** Runs the built command (bin/rtems-virt-config → dist/, built by `npm test`'s tsc step) as a user would. */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(pkg, 'bin/rtems-virt-config');
const tree = path.join(pkg, 'fixtures/trees/rtems-4.11');
const run = (...args: string[]) => execa('node', [bin, ...args], { reject: false, env: { NO_COLOR: '1' } });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-cli-'));

beforeAll(() => {
  if (!existsSync(path.join(pkg, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does)');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function noStack(s: string) {
  expect(s).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  expect(s).not.toMatch(/internal error/);
}

describe('list', () => {
  it('list bsps: every cfg, grouped by CPU, with a count line', async () => {
    const r = await run('list', 'bsps', tree);
    expect(r.exitCode).toBe(0);
    for (const b of ['smdk2410', 'realview_pbx_a9_qemu', 'pc386', 'pc486', 'pcp4', 'simsh4', 'ngmp', 'niagara', 'usiii']) expect(r.stdout).toMatch(new RegExp(`^  ${b} `, 'm'));
    expect(r.stdout).toMatch(/18 BSPs, 6 CPUs, RTEMS 4\.11\.0/);
  });

  it('list bsps --json', async () => {
    const r = await run('list', 'bsps', tree, '--json');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rtemsVersion).toBe('4.11.0');
    expect(j.bsps).toHaveLength(18);
    expect(j.bsps.find((b: { bsp: string }) => b.bsp === 'simsh1')).toEqual({
      bsp: 'simsh1', arch: 'sh', family: 'shsim', cfg: 'c/src/lib/libbsp/sh/shsim/make/custom/simsh1.cfg',
    });
  });

  it('list arches [--json]', async () => {
    const r = await run('list', 'arches', tree);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['arm', 'i386', 'powerpc', 'sh', 'sparc', 'sparc64']);
    const j = JSON.parse((await run('list', 'arches', tree, '--json')).stdout);
    expect(j.arches.find((a: { arch: string }) => a.arch === 'sh')).toEqual({ arch: 'sh', families: ['gensh1', 'shsim'], bsps: 3, libcpu: true });
    expect(j.arches.find((a: { arch: string }) => a.arch === 'arm')).toEqual({ arch: 'arm', families: ['realview-pbx-a9', 'smdk2410'], bsps: 2, libcpu: true });
  });
});

describe('explain', () => {
  it('explain --bsp pc486: the chain step by step with file:line, then the summary', async () => {
    const r = await run('explain', '--bsp', 'pc486', tree);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^pc486 {2}i386, family pc386$/m);
    expect(r.stdout).toMatch(/cfg-chain +c\/src\/lib\/libbsp\/i386\/pc386\/make\/custom\/pc486\.cfg:10 +includes pc386\.cfg/);
    expect(r.stdout).toMatch(/make +c\/src\/lib\/libbsp\/i386\/pc386\/make\/custom\/pc486\.cfg:5 +make reads RTEMS_CPU_MODEL=i486dx/);
    expect(r.stdout).toMatch(/^CPU model +i486dx$/m);
    expect(r.stdout).toMatch(/^cfg chain +pc486\.cfg → pc386\.cfg$/m);
    expect(r.stdout).toMatch(/^ {2}\.\.\/\.\.\/\.\.\/libcpu\/i386\/fpsave\.rel$/m);
    expect(r.stdout).toMatch(/configure\.ac:\d+ +AM_CONDITIONAL RTEMS_GAS_CODE16/);
  });

  it('explain --json has the product.md shape', async () => {
    const r = await run('explain', '--bsp', 'niagara', tree, '--json');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ['bsp', 'arch', 'family', 'cpuModel', 'cfgChain', 'conditionals', 'libcpu', 'libbspLibadd', 'unknowns']) expect(j).toHaveProperty(k);
    expect(j).toMatchObject({
      bsp: 'niagara', arch: 'sparc64', family: 'niagara', cpuModel: 'sun4v',
      cfgChain: ['c/src/lib/libbsp/sparc64/niagara/make/custom/niagara.cfg'],
      libcpu: { rels: ['shared/shared-score.rel', 'shared/cache.rel'] },
      libbspLibadd: ['../../../libcpu/sparc64/shared/shared-score.rel', '../../../libcpu/sparc64/shared/cache.rel'],
      unknowns: [],
    });
    expect(j.libcpu.sources['shared/shared-score.rel']).toEqual(['shared/score/cpu.c', 'shared/score/interrupt.S']);
  });

  it.each([
    ['--target=i386-rtems4.11 --enable-rtemsbsp=pc486'],
    ['--target=i386-rtems4.11 --enable-bsp=pc486'],
    ['--prefix=/opt/rtems --target=i386-rtems4.11 "--enable-rtemsbsp=pc486"'],
  ])('explain --configure "%s"', async (line) => {
    const r = await run('explain', '--configure', line, tree, '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ bsp: 'pc486', arch: 'i386', cpuModel: 'i486dx' });
  });

  it('several BSPs on a pasted configure line give an array', async () => {
    const r = await run('explain', '--configure', '--target=sparc-rtems4.11 --enable-rtemsbsp="erc32 leon3"', tree, '--json');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { bsp: string; cpuModel: string }) => [x.bsp, x.cpuModel])).toEqual([['erc32', 'erc32'], ['leon3', 'leon3']]);
  });

  it('a --target CPU that does not have the BSP is an error naming where it is', async () => {
    const r = await run('explain', '--configure', '--target=sparc-rtems4.11 --enable-rtemsbsp=pc486', tree);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no BSP named pc486 for sparc/);
    expect(r.stderr).toMatch(/next: it exists for i386/);
  });
});

describe('errors: exit 2, one located line and next:, no stack trace', () => {
  it('unknown BSP', async () => {
    const r = await run('explain', '--bsp', 'pc999', tree);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error: no BSP named pc999/);
    expect(r.stderr).toMatch(/^ {2}next: /m);
    noStack(r.stderr);
  });

  it('a malformed build file: file:line of the problem', async () => {
    const d = path.join(tmp, 'broken');
    cpSync(tree, d, { recursive: true });
    writeFileSync(path.join(d, 'c/src/lib/libbsp/sparc/leon3/Makefile.am'), 'libbsp_a_LIBADD = a.rel\nif HAS_NETWORKING\nlibbsp_a_LIBADD += b.rel\n');
    const r = await run('explain', '--bsp', 'leon3', d);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^c\/src\/lib\/libbsp\/sparc\/leon3\/Makefile\.am:2: error: `if HAS_NETWORKING` is never closed/m);
    expect(r.stderr).toMatch(/next: add the matching `endif`/);
    noStack(r.stderr);
  });

  it('an RTEMS 6 tree', async () => {
    const d = path.join(tmp, 'rtems6');
    cpSync(path.join(tree, 'cpukit'), path.join(d, 'cpukit'), { recursive: true });
    writeFileSync(path.join(d, 'wscript'), '');
    const r = await run('list', 'bsps', d);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/waf-built RTEMS tree/);
    expect(r.stderr).toMatch(/next: .*4\.10, 4\.11/);
    noStack(r.stderr);
  });

  it('usage errors: no BSP, a configure line without a BSP, an unknown list, an unknown command', async () => {
    for (const args of [['explain', tree], ['explain', '--configure', '--target=i386-rtems4.11', tree], ['list', 'frobs', tree], ['frobnicate']]) {
      const r = await run(...args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
      noStack(r.stderr);
    }
  });
});

describe('--help', () => {
  it.each([[[]], [['list']], [['explain']]])('%j --help exits 0 and shows usage', async (args) => {
    const r = await run(...(args as string[]), '--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: rtems-virt-config/m);
  });
  it('explain --help lists its options', async () => {
    const r = await run('explain', '--help');
    for (const o of ['--bsp', '--configure', '--json', '--arch']) expect(r.stdout).toContain(o);
  });
});
