/** `rtems-virt-config check` and `list rules` through the CLI entry: exit codes, formats, --fix. */
import { describe, expect, it, beforeEach, afterEach, vi } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { allRules } from '../../src/rules/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fx = (id: string, kind: string) => path.join(ROOT, 'fixtures/rules', id, kind);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
  }
}

function filesOf(dir: string, base = dir): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) for (const [k, v] of filesOf(p, base)) m.set(k, v);
    else m.set(path.relative(base, p), readFileSync(p, 'latin1'));
  }
  return m;
}

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-cli-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('check exit codes', () => {
  it('0 on a clean tree', async () => {
    const r = await run(['check', fx('automake-wiring', 'good')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/no problems/);
  });
  it('1 with findings at error level, 0 when they are only warnings', async () => {
    expect((await run(['check', fx('automake-wiring', 'bad')])).code).toBe(1);
    const r = await run(['check', fx('shared-virt-in-libcpu-shared', 'bad'), '--rule', 'shared-virt-in-libcpu-shared']);
    expect(r.out).toMatch(/2 problems \(0 errors, 2 warnings\)/);
    expect(r.code).toBe(0);
  });
  it('2 for an unreadable tree, an unknown rule or format, with one line and a next step', async () => {
    const missing = await run(['check', path.join(tmp, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/is not a directory\n {2}next: /);
    expect(missing.err).not.toMatch(/at .*\.ts:\d+/);
    const rule = await run(['check', fx('automake-wiring', 'good'), '--rule', 'bogus']);
    expect(rule.code).toBe(2);
    expect(rule.err).toMatch(/unknown rule "bogus"/);
    const fmt = await run(['check', fx('automake-wiring', 'good'), '--format', 'xml']);
    expect(fmt.code).toBe(2);
    const notRtems = await run(['check', path.join(ROOT, 'test')]);
    expect(notRtems.code).toBe(2);
  });
});

describe('check formats', () => {
  it('--format json prints the check shape', async () => {
    const r = await run(['check', fx('virt-cpu-model', 'bad'), '--format', 'json', '--rule', 'virt-cpu-model']);
    const j = JSON.parse(r.out);
    expect(j.diagnostics).toEqual([
      {
        ruleId: 'virt-cpu-model',
        severity: 'error',
        file: 'c/src/lib/libbsp/i386/i386virt/make/custom/i386virt.cfg',
        line: 8,
        column: 1,
        message: expect.stringMatching(/RTEMS_CPU_MODEL=pentium/),
      },
    ]);
    expect(j.summary.errors).toBe(1);
    expect(r.code).toBe(1);
  });
  it('--format sarif prints one run with the selected rules', async () => {
    const r = await run(['check', '--rule', 'virt-cpu-model', '--rule', 'virt-bsp-naming', fx('virt-cpu-model', 'bad'), '--format', 'sarif']);
    const log = JSON.parse(r.out);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(['virt-bsp-naming', 'virt-cpu-model']);
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['virt-cpu-model']);
  });
});

describe('check options', () => {
  it('--rule and --arch take one value each, repeat or comma-separate, and never swallow the tree', async () => {
    const a = JSON.parse((await run(['check', '--rule', 'automake-wiring,virt-cpu-model', fx('automake-wiring', 'bad'), '--format', 'json'])).out);
    expect(a.diagnostics.map((d: { ruleId: string }) => d.ruleId)).toEqual(['automake-wiring', 'automake-wiring']);
    const b = await run(['check', '--arch', 'i386', '--rule', 'automake-wiring', fx('automake-wiring', 'bad')]);
    expect(b.code).toBe(1);
    const c = await run(['check', '--arch', 'sparc', fx('automake-wiring', 'bad')]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/no arch sparc in this tree/);
  });
});

describe('check --fix', () => {
  it('rewrites the stale acinclude.m4 and preinstall.am exactly as generated, and nothing else', async () => {
    const tree = path.join(tmp, 'tree');
    cpSync(fx('generated-files-current', 'bad'), tree, { recursive: true });
    const before = filesOf(tree);
    const r = await run(['check', tree, '--fix']);
    expect(r.out).toMatch(/fixed c\/src\/lib\/libbsp\/i386\/acinclude\.m4/);
    expect(r.out).toMatch(/fixed c\/src\/lib\/libbsp\/i386\/pc386\/preinstall\.am/);
    expect(r.code).toBe(0);
    const after = filesOf(tree);
    const good = filesOf(fx('generated-files-current', 'good'));
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k)).sort();
    expect(changed).toEqual(['c/src/lib/libbsp/i386/acinclude.m4', 'c/src/lib/libbsp/i386/pc386/preinstall.am']);
    for (const k of changed) expect(after.get(k)).toBe(good.get(k));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    // a second run has nothing to fix
    const again = await run(['check', tree, '--fix']);
    expect(again.out).not.toMatch(/fixed/);
  });
  it('leaves other findings alone', async () => {
    const tree = path.join(tmp, 'tree');
    cpSync(fx('virt-cpu-model', 'bad'), tree, { recursive: true });
    const before = filesOf(tree);
    const r = await run(['check', tree, '--fix']);
    expect(r.code).toBe(1);
    expect(filesOf(tree)).toEqual(before);
  });
});

describe('list rules', () => {
  it('prints every rule, and --json their metadata, without a tree', async () => {
    const r = await run(['list', 'rules']);
    expect(r.code).toBe(0);
    for (const rule of allRules) expect(r.out).toContain(rule.meta.id);
    const j = JSON.parse((await run(['list', 'rules', '--json'])).out);
    expect(j.map((m: { id: string }) => m.id)).toEqual(allRules.map((x) => x.meta.id));
    expect(j[0]).toMatchObject({ id: allRules[0]!.meta.id, severity: 'error', docs: `rules/${allRules[0]!.meta.id}.md` });
  });
});

describe('check --fix when a file cannot be written', () => {
  it('exits 2 with the file and a next step, not a stack trace', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const tree = path.join(tmp, 'tree');
    cpSync(fx('generated-files-current', 'bad'), tree, { recursive: true });
    // a directory where preinstall.am should be: no rename can replace it, not even as root
    const target = path.join(tree, 'c/src/lib/libbsp/i386/pc386/preinstall.am');
    rmSync(target);
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'x');
    const r = await run(['check', tree, '--fix']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^c\/src\/lib\/libbsp\/i386\/pc386\/preinstall\.am: error: cannot write the regenerated file/);
    expect(r.err).toMatch(/next: already rewritten: c\/src\/lib\/libbsp\/i386\/acinclude\.m4/);
    expect(r.err).not.toMatch(/at .*\.(?:ts|js):\d+/);
  });
});
