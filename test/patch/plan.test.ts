import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { loadTree } from '../../src/model/tree.js';
import { resolveBsp } from '../../src/resolve/resolve-bsp.js';
import { planPatch } from '../../src/patch/plan.js';
import { applyPlan } from '../../src/patch/transaction.js';
import { isNoop } from '../../src/patch/file-edit.js';
import { PatchRefusedError } from '../../src/patch/refusal.js';
import { snapshot as snapshotTree } from './tree-snapshot.js';

const FIXTURE = path.resolve('fixtures/trees/rtems-4.11');
const BIN = path.resolve('bin/rtems-virt-config');

function copyFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rvc-patch-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

async function patched(): Promise<string> {
  const root = copyFixture();
  const plan = await planPatch(loadTree(root), 'i386');
  applyPlan(root, plan);
  return root;
}

beforeAll(() => {
  // the CLI tests run the built command (bin/ → dist/, built by `npm test`'s tsc step); rebuilding it
  // here would race with the other test files that run it
  if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does)');
});

describe('planPatch on the fixture tree (i386)', () => {
  it('selects the i386virt model and the virt score for --enable-rtemsbsp=i386virt', async () => {
    const root = await patched();
    const r = resolveBsp(loadTree(root), 'i386virt');
    expect(r.cpuModel).toBe('i386virt');
    expect(r.family).toBe('i386virt');
    expect(r.libcpu.rels).toContain('i386virt/i386virt-score.rel');
    expect(r.libcpu.rels).not.toContain('shared/shared-score.rel');
    expect(r.libbspLibadd).toEqual(['../../../libcpu/i386/i386virt/i386virt-score.rel']);
    expect(r.conditionals).toMatchObject({ shared: false, i386virt: true });
    expect(r.unknowns).toEqual([]);
    // the virt score's sources are the templates plus the generated split.c; the shared virt
    // code it takes from libcpu/shared/virt is the score part, not the BSP part (bsp/)
    const score = r.libcpu.sources['i386virt/i386virt-score.rel']!;
    expect(score).toEqual(
      expect.arrayContaining(['i386virt/score/cpu_asm.S', 'i386virt/score/virt-call.S', 'i386virt/score/split.c', '../shared/virt/virt-cpu.c']),
    );
    expect(score.filter((s) => s.includes('/bsp/'))).toEqual([]);
  });

  it('builds the shared <arch>virt BSP code from libcpu/shared/virt/bsp into the i386virt family and installs its headers', async () => {
    const root = await patched();
    const fam = 'c/src/lib/libbsp/i386/i386virt';
    const am = readFileSync(path.join(root, fam, 'Makefile.am'), 'latin1');
    for (const f of ['virt-bsp.c', 'virt-console.c', 'virt-clock.c', 'virt-clockdrv.c']) {
      expect(am).toContain(`../../../libcpu/shared/virt/bsp/${f}`);
      expect(existsSync(path.join(root, fam, '../../../libcpu/shared/virt/bsp', f))).toBe(true);
    }
    expect(am).toMatch(/^include_HEADERS = include\/bsp\.h \.\.\/\.\.\/\.\.\/libcpu\/shared\/virt\/bsp\/tm27\.h$/m);
    expect(am).toMatch(/^include_bsp_HEADERS = \.\.\/\.\.\/\.\.\/libcpu\/shared\/virt\/bsp\/virt-bsp\.h$/m);
    const pre = readFileSync(path.join(root, fam, 'preinstall.am'), 'latin1');
    expect(pre).toContain('$(PROJECT_INCLUDE)/tm27.h: ../../../libcpu/shared/virt/bsp/tm27.h');
    expect(pre).toContain('$(PROJECT_INCLUDE)/bsp/virt-bsp.h: ../../../libcpu/shared/virt/bsp/virt-bsp.h');
    // the family keeps only what is i386's own
    expect(existsSync(path.join(root, fam, 'include/tm27.h'))).toBe(false);
    expect(existsSync(path.join(root, fam, 'start/start.S'))).toBe(true);
    expect(readFileSync(path.join(root, fam, 'include/bsp.h'), 'latin1')).toContain('#include <bsp/virt-bsp.h>');
  });

  it('gives pc386 the native score moved out of cpukit, and leaves the other BSPs as they were apart from that link', async () => {
    const before = loadTree(FIXTURE);
    const root = await patched();
    const after = loadTree(root);
    const pc386 = resolveBsp(after, 'pc386');
    expect(pc386.libcpu.rels).toContain('shared/shared-score.rel');
    expect(pc386.libcpu.sources['shared/shared-score.rel']).toEqual([
      'shared/score/cpu.c',
      'shared/score/cpu_asm.S',
      'shared/score/interrupts-native.c',
    ]);
    expect(pc386.libbspLibadd).toContain('../../../libcpu/i386/shared/shared-score.rel');
    for (const b of before.bsps) {
      const r0 = resolveBsp(before, b.name, { arch: b.arch });
      const r1 = resolveBsp(after, b.name, { arch: b.arch });
      expect(r1.cpuModel).toBe(r0.cpuModel);
      expect(r1.cfgChain).toEqual(r0.cfgChain);
      if (b.arch !== 'i386') {
        expect(r1.libcpu).toEqual(r0.libcpu);
        expect(r1.libbspLibadd).toEqual(r0.libbspLibadd);
      } else {
        expect(r1.libcpu.rels.filter((x) => x !== 'shared/shared-score.rel')).toEqual(r0.libcpu.rels);
        expect(r1.libbspLibadd.filter((x) => !x.endsWith('shared-score.rel'))).toEqual(r0.libbspLibadd);
      }
    }
  });

  it('takes every privileged instruction out of cpukit/score/cpu/i386 and leaves declarations there', async () => {
    const root = await patched();
    const h = readFileSync(path.join(root, 'cpukit/score/cpu/i386/rtems/score/interrupts.h'), 'latin1');
    expect(h).not.toMatch(/\bcli\b|\bpopf\b|\bpushf\b/);
    expect(h).toContain('unsigned int i386_disable_interrupts_impl( void );');
    expect(h).toMatch(/#define i386_disable_interrupts\( _level \) \\\n\s+do \{ \( _level \) = i386_disable_interrupts_impl\(\); \} while \( 0 \)/);
    expect(readFileSync(path.join(root, 'cpukit/score/cpu/i386/cpu.c'), 'latin1')).not.toContain('hlt');
    const native = readFileSync(path.join(root, 'c/src/lib/libcpu/i386/shared/score/interrupts-native.c'), 'latin1');
    expect(native).toContain('"pushf ; cli ; pop %0"');
    expect(native).toContain('unsigned int i386_disable_interrupts_impl( void )');
    const virtSplit = readFileSync(path.join(root, 'c/src/lib/libcpu/i386/i386virt/score/split.c'), 'latin1');
    expect(virtSplit).toContain('_level = virt_irq_disable();');
    expect(virtSplit).not.toMatch(/\b(cli|sti|hlt|popf|pushf)\b/);
  });

  it('is idempotent: a second plan on the patched tree has no edits', async () => {
    const root = await patched();
    const again = await planPatch(loadTree(root), 'i386');
    expect(isNoop(again)).toBe(true);
    expect(again.edits).toEqual([]);
  });

  it('regenerates acinclude.m4 with the new family in bootstrap order', async () => {
    const root = await patched();
    const ac = readFileSync(path.join(root, 'c/src/lib/libbsp/i386/acinclude.m4'), 'latin1');
    expect(ac.indexOf('  i386virt )')).toBeGreaterThan(0);
    expect(ac.indexOf('  i386virt )')).toBeLessThan(ac.indexOf('  pc386 )'));
  });

  it('refuses an arch it has no recipe or templates for, naming what is missing', async () => {
    await expect(planPatch(loadTree(FIXTURE), 'sh')).rejects.toThrow(PatchRefusedError);
    await expect(planPatch(loadTree(FIXTURE), 'sh')).rejects.toThrow(/a split recipe for sh .*templates\/libcpu\/sh\/shvirt.*templates\/libbsp\/sh\/shvirt/);
    await expect(planPatch(loadTree(FIXTURE), 'sh')).rejects.toMatchObject({ hint: expect.stringMatching(/^supported: (arm, )?i386, powerpc, sparc; nothing was written$/) });
    await expect(planPatch(loadTree(FIXTURE), 'nosuchcpu')).rejects.toThrow(/no cpukit\/score\/cpu\/nosuchcpu/);
  });

  it('refuses a split it cannot do safely (a macro writing two parameters), writing nothing', async () => {
    const root = copyFixture();
    const h = path.join(root, 'cpukit/score/cpu/i386/rtems/score/interrupts.h');
    writeFileSync(
      h,
      readFileSync(h, 'latin1').replace(
        '#endif /* ASM */',
        '#define i386_get_two( _a, _b ) \\\n  __asm__ volatile ( "pushf ; pop %0 ; cli ; mov %0, %1" : "=r" ( _a ), "=r" ( _b ) )\n\n#endif /* ASM */',
      ),
      'latin1',
    );
    const snap = snapshotTree(root);
    await expect(planPatch(loadTree(root), 'i386')).rejects.toThrow(/i386_get_two: it writes 2 of its parameters/);
    expect(snapshotTree(root)).toEqual(snap);
  });
});

describe('rtems-virt-config patch (CLI)', () => {
  it('--dry-run prints the diff and writes nothing', async () => {
    const root = copyFixture();
    const snap = snapshotTree(root);
    const r = await execa('node', [BIN, 'patch', '--arch', 'i386', '--dry-run', root], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('diff --git a/cpukit/score/cpu/i386/rtems/score/interrupts.h b/cpukit/score/cpu/i386/rtems/score/interrupts.h');
    expect(r.stdout).toContain('+++ b/c/src/lib/libbsp/i386/i386virt/make/custom/i386virt.cfg');
    expect(snapshotTree(root)).toEqual(snap);
  });

  it('patches, then says nothing to do and writes nothing on the second run', async () => {
    const root = copyFixture();
    const first = await execa('node', [BIN, 'patch', '--arch', 'i386', root], { reject: false });
    expect(first.exitCode).toBe(0);
    expect(existsSync(path.join(root, 'c/src/lib/libbsp/i386/i386virt/bsp_specs'))).toBe(true);
    const snap = snapshotTree(root);
    const second = await execa('node', [BIN, 'patch', '--arch', 'i386', root], { reject: false });
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toContain('nothing to do');
    expect(snapshotTree(root)).toEqual(snap);
  });

  it('--json summarizes the plan', async () => {
    const root = copyFixture();
    const r = await execa('node', [BIN, 'patch', '--arch', 'i386', '--dry-run', '--json', root], { reject: false });
    const j = JSON.parse(r.stdout) as { arch: string; status: string; files: { path: string; action: string }[] };
    expect(j.arch).toBe('i386');
    expect(j.status).toBe('dry-run');
    expect(j.files).toContainEqual(expect.objectContaining({ path: 'c/src/lib/libbsp/i386/i386virt/configure.ac', action: 'create' }));
    expect(j.files).toContainEqual(expect.objectContaining({ path: 'cpukit/score/cpu/i386/cpu.c', action: 'modify' }));
  });

  it('refuses (exit 1) over uncommitted changes in a file it would touch, and goes ahead with --force', async () => {
    const root = copyFixture();
    const git = (...a: string[]) => execa('git', ['-C', root, ...a]);
    await git('init', '-q');
    await git('add', '-A');
    await git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'fixture');
    const f = path.join(root, 'c/src/lib/libcpu/i386/configure.ac');
    writeFileSync(f, `${readFileSync(f, 'latin1')}dnl local change\n`, 'latin1');
    const snap = snapshotTree(root);
    const r = await execa('node', [BIN, 'patch', '--arch', 'i386', root], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('c/src/lib/libcpu/i386/configure.ac');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(root)).toEqual(snap);
    const forced = await execa('node', [BIN, 'patch', '--arch', 'i386', '--force', root], { reject: false });
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(f, 'latin1')).toContain('dnl local change');
    expect(readFileSync(f, 'latin1')).toContain('AM_CONDITIONAL([i386virt]');
  });

  it('refuses an unsupported arch with exit 1 and a next step, and a missing --arch with exit 2', async () => {
    // on a copy: were it supported after all, the fixture itself would be patched
    const r = await execa('node', [BIN, 'patch', '--arch', 'sh', copyFixture()], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/sh is not supported by patch yet/);
    expect(r.stderr).toMatch(/next: /);
    const u = await execa('node', [BIN, 'patch', FIXTURE], { reject: false });
    expect(u.exitCode).toBe(2);
  });

  it('--remove-enable-paravirt takes the option out, and check of the patched arch is then clean (exit 0)', async () => {
    const root = copyFixture();
    const before = await execa('node', [BIN, 'check', root, '--arch', 'i386'], { reject: false });
    expect(before.exitCode).toBe(1);
    const r = await execa('node', [BIN, 'patch', '--arch', 'i386', '--remove-enable-paravirt', root], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(root, 'aclocal/enable-paravirt.m4'))).toBe(false);
    expect(readFileSync(path.join(root, 'configure.ac'), 'latin1')).not.toContain('RTEMS_ENABLE_PARAVIRT');
    const after = await execa('node', [BIN, 'check', root, '--arch', 'i386'], { reject: false });
    expect(after.stdout).toContain('no problems');
    expect(after.exitCode).toBe(0);
  });

  it('a patch killed half-way through its renames is completed by the next `check`, which says so', async () => {
    const root = copyFixture();
    const done = copyFixture();
    await execa('node', [BIN, 'patch', '--arch', 'i386', done]);
    const killed = await execa('node', [BIN, 'patch', '--arch', 'i386', root], { reject: false, env: { RVC_TEST_CRASH_AT: 'renamed:5' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(path.join(root, '.rtems-virt-config-journal.json'))).toBe(true);
    const r = await execa('node', [BIN, 'check', root, '--arch', 'i386'], { reject: false });
    expect(r.stderr).toMatch(/^recovered: /m);
    expect(existsSync(path.join(root, '.rtems-virt-config-journal.json'))).toBe(false);
    // completed: byte for byte what an uninterrupted run wrote
    expect(snapshotTree(root)).toEqual(snapshotTree(done));
  });
});
