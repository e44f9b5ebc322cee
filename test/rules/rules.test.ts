/**
 * Every rule against its fixtures: the bad tree gives exactly the expected
 * findings of that rule (rule, file, line), the good tree none of it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadTree } from '../../src/model/tree.js';
import { check } from '../../src/check/engine.js';
import { allRules } from '../../src/rules/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The design discussion the rules quote (the project's seed, shared read-only). */
const SEED = path.resolve(ROOT, '../shared/seed/paravirtualization-thread-2013-04-16.txt');
const fixture = (id: string, kind: 'bad' | 'good') => path.join(ROOT, 'fixtures/rules', id, kind);

/** The findings each bad fixture must produce, and nothing else from its rule. */
const EXPECTED: Record<string, { file: string; line: number; message: RegExp }[]> = {
  'no-virt-ifdef-in-score-cpu': [
    { file: 'cpukit/score/cpu/i386/rtems/score/cpu.h', line: 19, message: /`#if defined\(RTEMS_PARAVIRT\)` \(to line 27\) makes RTEMS_PARAVIRT a second CPU model/ },
  ],
  'no-privileged-in-score-cpu': [
    { file: 'cpukit/score/cpu/i386/cpu.c', line: 17, message: /executes privileged cli through i386_disable_interrupts\(\) .*cpukit\/score\/cpu\/i386\/rtems\/score\/cpu\.h:15/ },
    { file: 'cpukit/score/cpu/i386/cpu.c', line: 17, message: /executes sensitive pushfl through i386_disable_interrupts\(\)/ },
    { file: 'cpukit/score/cpu/i386/rtems/score/cpu.h', line: 15, message: /executes sensitive pushfl through `pushfl`/ },
    { file: 'cpukit/score/cpu/i386/rtems/score/cpu.h', line: 15, message: /executes privileged cli through `cli`/ },
  ],
  'no-privileged-in-virt': [
    { file: 'c/src/lib/libbsp/i386/i386virt/startup/bspstart.c', line: 13, message: /i386virt model executes privileged cli through i386_disable_interrupts\(\) .*c\/src\/lib\/libcpu\/i386\/cpu\.h:9/ },
    { file: 'c/src/lib/libbsp/i386/i386virt/startup/bspstart.c', line: 13, message: /executes sensitive pushfl through i386_disable_interrupts\(\)/ },
    { file: 'c/src/lib/libbsp/i386/i386virt/startup/bspstart.c', line: 15, message: /executes privileged lidt through `lidt %0`/ },
  ],
  'virt-idle-waits-for-event': [
    { file: 'c/src/lib/libcpu/i386/i386virt/score/isr.c', line: 19, message: /_CPU_Thread_Idle_body of i386virt does not wait for an event/ },
  ],
  'score-split-parity': [
    // the native model gets nothing from libbsp/i386/shared here (in the good tree it does)
    { file: 'c/src/lib/libcpu/i386/i386virt/score/isr.c', line: 20, message: /_CPU_Context_restore_support, which cpukit\/score\/cpu\/i386 calls, is defined here but not in c\/src\/lib\/libcpu\/i386\/shared\/score\/: the native model would not link/ },
    { file: 'c/src/lib/libcpu/i386/shared/score/isr.c', line: 14, message: /_CPU_ISR_Enable_support, which cpukit\/score\/cpu\/i386 calls, is defined here but not in c\/src\/lib\/libcpu\/i386\/i386virt\/score\// },
  ],
  'no-clock-passthrough': [
    { file: 'c/src/lib/libbsp/i386/i386virt/Makefile.am', line: 7, message: /builds the native clock or timer driver \.\.\/pc386\/clock\/ckinit\.c/ },
    { file: 'c/src/lib/libbsp/i386/i386virt/clock/clock-virt.c', line: 16, message: /reads or programs clock\/timer hardware \(`rdtsc`\)/ },
  ],
  'score-cpu-is-gcc-target': [{ file: 'cpukit/score/cpu/i386virt/cpu.c', line: 1, message: /i386virt is a virtual CPU, not a gcc target/ }],
  'virt-bsp-location': [{ file: 'c/src/lib/libbsp/virt/i386/l4rtems/Makefile.am', line: 1, message: /libbsp\/virt\/ is a separate tree.*c\/src\/lib\/libbsp\/i386\/i386virt/ }],
  'virt-bsp-naming': [{ file: 'c/src/lib/libbsp/i386/pc386/make/custom/pc386virt.cfg', line: 1, message: /BSP pc386virt .* not i386virt/ }],
  'virt-cpu-model': [{ file: 'c/src/lib/libbsp/i386/i386virt/make/custom/i386virt.cfg', line: 8, message: /RTEMS_CPU_MODEL=pentium: set RTEMS_CPU_MODEL=i386virt/ }],
  'no-enable-virt-flag': [
    { file: 'aclocal/enable-paravirt.m4', line: 4, message: /--enable-paravirt switches virtualization on/ },
    { file: 'configure.ac', line: 14, message: /RTEMS_ENABLE_PARAVIRT adds the configure option --enable-paravirt/ },
  ],
  'score-split-present': [{ file: 'c/src/lib/libcpu/i386/Makefile.am', line: 14, message: /i386virt\/score\/ is built unconditionally/ }],
  'shared-virt-in-libcpu-shared': [
    { file: 'c/src/lib/libcpu/sparc/sparcvirt/score/console.c', line: 7, message: /virt_console_puts is the same code as in c\/src\/lib\/libcpu\/i386\/i386virt\/score\/console\.c:9/ },
    { file: 'c/src/lib/libcpu/sparc/sparcvirt/score/isr.c', line: 1, message: /same code as c\/src\/lib\/libcpu\/i386\/i386virt\/score\/isr.c/ },
  ],
  'bsp-registered': [{ file: 'c/src/lib/libbsp/i386/acinclude.m4', line: 7, message: /family i386virt .* not in RTEMS_CHECK_BSPDIR/ }],
  'generated-files-current': [
    { file: 'c/src/lib/libbsp/i386/acinclude.m4', line: 5, message: /stale: bootstrap would write `i386virt \)`/ },
    { file: 'c/src/lib/libbsp/i386/pc386/preinstall.am', line: 25, message: /stale: bootstrap -p \(ampolish3\) would write `\$\(PROJECT_INCLUDE\)\/tm27.h/ },
  ],
  'automake-wiring': [
    { file: 'c/src/lib/libbsp/i386/pc386/Makefile.am', line: 8, message: /BSP pc386 links \.\.\/\.\.\/\.\.\/libcpu\/i386\/i386virt\/score\.rel, but .* does not build i386virt\/score\.rel for CPU model pentium/ },
    { file: 'c/src/lib/libbsp/i386/pc386/Makefile.am', line: 10, message: /`if HAS_NETWORKING`: .*configure\.ac defines no AM_CONDITIONAL HAS_NETWORKING/ },
  ],
};

describe('rulebook fixtures', () => {
  for (const rule of allRules) {
    const id = rule.meta.id;
    describe(id, () => {
      it('has a bad and a good fixture tree and an expectation', () => {
        expect(existsSync(fixture(id, 'bad'))).toBe(true);
        expect(existsSync(fixture(id, 'good'))).toBe(true);
        expect(EXPECTED[id], `EXPECTED has no entry for ${id}`).toBeDefined();
      });
      it('reports exactly the expected findings on the bad tree', async () => {
        const result = await check(loadTree(fixture(id, 'bad')), { rule: id, noConfig: true });
        const got = result.diagnostics.map((d) => ({ ruleId: d.ruleId, file: d.file, line: d.line }));
        const want = (EXPECTED[id] ?? []).map((e) => ({ ruleId: id, file: e.file, line: e.line }));
        expect(got).toEqual(want);
        result.diagnostics.forEach((d, i) => expect(d.message).toMatch(EXPECTED[id]![i]!.message));
        expect(result.summary.errors + result.summary.warnings).toBe(want.length);
      });
      it('reports nothing from this rule on the good tree', async () => {
        const result = await check(loadTree(fixture(id, 'good')), { noConfig: true });
        expect(result.diagnostics.filter((d) => d.ruleId === id)).toEqual([]);
      });
    });
  }
});

describe('rule modules', () => {
  it('every src/rules/<id>.ts is registered, and every registered rule has its own file', () => {
    const files = readdirSync(path.join(ROOT, 'src/rules'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    expect(allRules.map((r) => r.meta.id).sort()).toEqual(files);
  });

  it('ids are unique and metadata is complete', () => {
    const ids = allRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of allRules) {
      expect(r.meta.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)+$/);
      expect(['error', 'warning', 'info']).toContain(r.meta.severity);
      expect(r.meta.description.length).toBeGreaterThan(20);
      expect(r.meta.discussion.length).toBeGreaterThan(20);
      expect(r.meta.docs).toBe(`rules/${r.meta.id}.md`);
      expect(typeof r.meta.fixable).toBe('boolean');
    }
  });

  it('only the generated-file rules claim to be fixable (check --fix regenerates nothing else)', () => {
    expect(allRules.filter((r) => r.meta.fixable).map((r) => r.meta.id).sort()).toEqual(['bsp-registered', 'generated-files-current']);
  });

  it('each rule has a page with the template sections', () => {
    for (const r of allRules) {
      const page = readFileSync(path.join(ROOT, r.meta.docs), 'utf8');
      expect(page.startsWith(`# ${r.meta.id}\n`)).toBe(true);
      for (const h of ['## What it does', '## Why', '## Bad', '## Good', '## How to fix', '## When not to use it']) {
        expect(page, `${r.meta.docs} lacks "${h}"`).toContain(h);
      }
    }
  });

  it('each rule quotes words that are in the design discussion', () => {
    if (!existsSync(SEED)) throw new Error(`${SEED} is missing: this test reads the design discussion from the shared/ folder beside the checkout (CI has it there)`);
    const seed = readFileSync(SEED, 'utf8').replace(/^[> ]+/gm, '').replace(/\.\.\./g, '…').replace(/\s+/g, ' ');
    for (const r of allRules) {
      // the quote may elide with "…" and add a parenthesised gloss; every quoted piece is in the thread
      const pieces = r.meta.discussion.replace(/\([^)]*\)/g, '…').split('…').map((p) => p.trim().replace(/\s+/g, ' ')).filter((p) => p.length > 8);
      expect(pieces.length, r.meta.id).toBeGreaterThan(0);
      for (const p of pieces) expect(seed, `${r.meta.id}: "${p}"`).toContain(p.replace(/[.?]$/, ''));
    }
  });
});

describe('generated-files-current', () => {
  it('selects the same preinstall.am targets as src/generate, from the run\'s own walk', async () => {
    const { preinstallTargets } = await import('../../src/generate/preinstall.js');
    const { preinstallTargetsOf } = await import('../../src/rules/generated-files-current.js');
    for (const t of ['/work/scratch/rtems-4.11', fixture('generated-files-current', 'bad')]) {
      if (!existsSync(t)) continue;
      const tree = loadTree(t);
      const memo = new Map<string, unknown>();
      const ctx = { tree, files: tree.files, memo: <T,>(k: string, f: () => T): T => (memo.has(k) ? (memo.get(k) as T) : (memo.set(k, f()), memo.get(k) as T)) };
      expect(preinstallTargetsOf(ctx)).toEqual(preinstallTargets(tree));
    }
  });
});

describe('automake-wiring follows the tree\'s macros', () => {
  it('a conditional is defined only through the macro call: removing the call reports its `if`', async () => {
    const { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-wiring-'));
    try {
      cpSync(fixture('automake-wiring', 'good'), tmp, { recursive: true });
      const ac = path.join(tmp, 'c/src/lib/libbsp/i386/pc386/configure.ac');
      writeFileSync(ac, readFileSync(ac, 'latin1').replace('RTEMS_BSP_COND([HAS_VGA],[yes])\n', '').replace('RTEMS_CHECK_NETWORKING\n', ''));
      const r = await check(loadTree(tmp), { rule: 'automake-wiring', noConfig: true });
      expect(r.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['c/src/lib/libbsp/i386/pc386/Makefile.am:9', 'c/src/lib/libbsp/i386/pc386/Makefile.am:13']);
      expect(r.diagnostics[0]!.message).toMatch(/AM_CONDITIONAL HAS_NETWORKING/);
      expect(r.diagnostics[1]!.message).toMatch(/AM_CONDITIONAL HAS_VGA/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a word that is also an object property (constructor, toString) is not taken for a known macro', async () => {
    const { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-wiring-'));
    try {
      cpSync(fixture('automake-wiring', 'good'), tmp, { recursive: true });
      const ac = path.join(tmp, 'c/src/lib/libbsp/i386/pc386/configure.ac');
      writeFileSync(ac, `${readFileSync(ac, 'latin1')}constructor(x) toString(y)\n`);
      const r = await check(loadTree(tmp), { rule: 'automake-wiring', noConfig: true });
      expect(r.diagnostics).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
