/** The engine: severities, the config file, suppression comments, narrowing, and the three formats. */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { Chalk } from 'chalk';
import { loadTree } from '../../src/model/tree.js';
import { check } from '../../src/check/engine.js';
import { allRules } from '../../src/rules/index.js';
import { toSarif } from '../../src/check/format-sarif.js';
import { formatStylish } from '../../src/check/format-stylish.js';
import { globToRegExp } from '../../src/check/glob.js';
import { suppressions, isSuppressed } from '../../src/check/suppress.js';
import { SourceError } from '../../src/parse/source-error.js';
import { UsageError } from '../../src/cli/errors.js';
import { check as checkFromPackage } from '../../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BAD_WIRING = path.join(ROOT, 'fixtures/rules/automake-wiring/bad');
const BAD_FLAG = path.join(ROOT, 'fixtures/rules/no-enable-virt-flag/bad');
const GOOD = path.join(ROOT, 'fixtures/rules/automake-wiring/good');

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'rvc-check-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function copyOf(src: string): string {
  const dst = path.join(tmp, 'tree');
  cpSync(src, dst, { recursive: true });
  return dst;
}

describe('check()', () => {
  it('returns the product.md json shape', async () => {
    const r = await check(loadTree(BAD_FLAG), { noConfig: true });
    expect(Object.keys(r).sort()).toEqual(['diagnostics', 'summary', 'tree']);
    expect(r.tree).toEqual({ root: BAD_FLAG, rtemsVersion: '4.11.99.0', arches: ['i386'], bsps: 2 });
    for (const d of r.diagnostics) expect(Object.keys(d).sort()).toEqual(['column', 'file', 'line', 'message', 'ruleId', 'severity']);
    expect(r.summary.errors).toBe(r.diagnostics.filter((d) => d.severity === 'error').length);
    expect(r.summary.filesRead).toBeGreaterThan(5);
    expect(typeof r.summary.ms).toBe('number');
  });

  it('is exported from the package root', () => {
    expect(checkFromPackage).toBe(check);
  });

  it('a clean tree gives no diagnostics from any rule', async () => {
    const r = await check(loadTree(GOOD), { noConfig: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.summary).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('--rule narrows to the named rules and rejects unknown ids', async () => {
    const r = await check(loadTree(BAD_WIRING), { rule: ['bsp-registered'], noConfig: true });
    expect(r.diagnostics).toEqual([]);
    await expect(check(loadTree(BAD_WIRING), { rule: 'no-such-rule' })).rejects.toBeInstanceOf(UsageError);
  });

  it('--arch of another arch drops findings in per-arch files; an unknown arch is an error', async () => {
    const tree = copyOf(BAD_WIRING);
    cpSync(path.join(tree, 'cpukit/score/cpu/i386'), path.join(tree, 'cpukit/score/cpu/sparc'), { recursive: true });
    const all = await check(loadTree(tree), { rule: 'automake-wiring', noConfig: true });
    expect(all.diagnostics).toHaveLength(2);
    const sparc = await check(loadTree(tree), { rule: 'automake-wiring', arch: 'sparc', noConfig: true });
    expect(sparc.diagnostics).toEqual([]);
    const i386 = await check(loadTree(tree), { rule: 'automake-wiring', arch: ['i386'], noConfig: true });
    expect(i386.diagnostics).toHaveLength(2);
    await expect(check(loadTree(tree), { arch: 'vax' })).rejects.toBeInstanceOf(SourceError);
  });

  it('--bsp keeps its own family and drops other families', async () => {
    const pc386 = await check(loadTree(BAD_WIRING), { rule: 'automake-wiring', bsp: 'pc386', noConfig: true });
    expect(pc386.diagnostics.map((d) => d.line)).toEqual([8, 10]);
    const virt = await check(loadTree(BAD_WIRING), { rule: 'automake-wiring', bsp: 'i386virt', noConfig: true });
    expect(virt.diagnostics).toEqual([]);
    await expect(check(loadTree(BAD_WIRING), { bsp: 'nosuchbsp' })).rejects.toThrow(/no BSP named nosuchbsp/);
  });
});

describe('.rtems-virt-config.json', () => {
  it('sets severities, turns rules off and ignores paths', async () => {
    const tree = copyOf(BAD_WIRING);
    writeFileSync(path.join(tree, '.rtems-virt-config.json'), JSON.stringify({ rules: { 'automake-wiring': 'warning' } }));
    let r = await check(loadTree(tree));
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(r.summary).toMatchObject({ errors: 0, warnings: 2 });

    writeFileSync(path.join(tree, '.rtems-virt-config.json'), JSON.stringify({ rules: { 'automake-wiring': 'off' } }));
    r = await check(loadTree(tree));
    expect(r.diagnostics).toEqual([]);

    writeFileSync(path.join(tree, '.rtems-virt-config.json'), JSON.stringify({ ignore: ['c/src/lib/libbsp/i386/pc386/**'] }));
    r = await check(loadTree(tree));
    expect(r.diagnostics).toEqual([]);

    writeFileSync(path.join(tree, '.rtems-virt-config.json'), JSON.stringify({ ignore: ['libbsp/i386/i386virt'] }));
    r = await check(loadTree(tree));
    expect(r.diagnostics).toHaveLength(2);
  });

  it('reports a broken config with its line, as a SourceError', async () => {
    const tree = copyOf(GOOD);
    writeFileSync(path.join(tree, '.rtems-virt-config.json'), '{\n  "rules": {\n    "no-such-rule": "error"\n  }\n}\n');
    await expect(check(loadTree(tree))).rejects.toMatchObject({ file: '.rtems-virt-config.json', line: 3, message: 'unknown rule "no-such-rule"' });
    writeFileSync(path.join(tree, '.rtems-virt-config.json'), '{\n  "rules": {\n    "automake-wiring": "fatal"\n  }\n}\n');
    await expect(check(loadTree(tree))).rejects.toMatchObject({ line: 3 });
    writeFileSync(path.join(tree, '.rtems-virt-config.json'), '{ "rules": ');
    await expect(check(loadTree(tree))).rejects.toBeInstanceOf(SourceError);
  });
});

describe('inline suppression', () => {
  it('disable-next-line with a rule id suppresses exactly that finding', async () => {
    const tree = copyOf(BAD_WIRING);
    const am = path.join(tree, 'c/src/lib/libbsp/i386/pc386/Makefile.am');
    const lines = readFileSync(am, 'latin1').split('\n');
    lines.splice(9, 0, '# rtems-virt-config-disable-next-line automake-wiring -- networking comes later');
    writeFileSync(am, lines.join('\n'));
    const r = await check(loadTree(tree), { noConfig: true });
    expect(r.diagnostics.map((d) => `${d.ruleId}:${d.line}`)).toEqual(['automake-wiring:8']);
  });

  it('another rule id does not suppress; no id suppresses every rule', () => {
    const s = suppressions('/* rtems-virt-config-disable-next-line no-clock-passthrough, virt-cpu-model */\nx\n# rtems-virt-config-disable-next-line\ny\n');
    expect(isSuppressed(s, 2, 'virt-cpu-model')).toBe(true);
    expect(isSuppressed(s, 2, 'no-clock-passthrough')).toBe(true);
    expect(isSuppressed(s, 2, 'automake-wiring')).toBe(false);
    expect(isSuppressed(s, 1, 'virt-cpu-model')).toBe(false);
    expect(isSuppressed(s, 4, 'automake-wiring')).toBe(true);
    expect(isSuppressed(s, 3, 'automake-wiring')).toBe(false);
  });
});

describe('globs', () => {
  it('match as .gitignore users expect', () => {
    expect(globToRegExp('testsuites').test('testsuites/sptests/x.c')).toBe(true);
    expect(globToRegExp('*.am').test('c/src/Makefile.am')).toBe(true);
    expect(globToRegExp('c/src/*.am').test('c/src/lib/Makefile.am')).toBe(false);
    expect(globToRegExp('c/**/Makefile.am').test('c/Makefile.am')).toBe(true);
    expect(globToRegExp('c/**/Makefile.am').test('c/src/lib/Makefile.am')).toBe(true);
    expect(globToRegExp('/cpukit').test('c/cpukit/x')).toBe(false);
  });
});

describe('formats', () => {
  it('stylish groups by file, prints a summary, and has no escape codes without colors', async () => {
    const r = await check(loadTree(BAD_WIRING), { noConfig: true });
    const out = formatStylish(r, new Chalk({ level: 0 }));
    expect(out).not.toMatch(/\u001b\[/);
    expect(out.split('\n')[0]).toBe('c/src/lib/libbsp/i386/pc386/Makefile.am');
    expect(out).toMatch(/^ {2}8:1 {3}error {4}BSP pc386 links .* automake-wiring$/m);
    expect(out).toMatch(/✖ 2 problems \(2 errors, 0 warnings\)/);
    const colored = formatStylish(r, new Chalk({ level: 1 }));
    expect(colored).toMatch(/\u001b\[31merror/);
    const clean = formatStylish(await check(loadTree(GOOD), { noConfig: true }), new Chalk({ level: 0 }));
    expect(clean).toMatch(/^✔ no problems/);
  });

  it('sarif is valid against the SARIF 2.1.0 schema and has what GitHub code scanning needs', async () => {
    const r = await check(loadTree(BAD_WIRING), { noConfig: true });
    const log = toSarif(r, allRules);
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'sarif-2.1.0-subset.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s) && URL.canParse(s, 'file:///base/'));
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('rtems-virt-config');
    expect(run.tool.driver.rules!.map((x) => x.id)).toEqual(allRules.map((x) => x.meta.id));
    for (const rule of run.tool.driver.rules!) expect(rule.help!.text).toContain(`# ${rule.id}`);
    expect(run.results).toHaveLength(2);
    for (const res of run.results!) {
      expect(res.message.text.length).toBeGreaterThan(0);
      const loc = res.locations![0]!.physicalLocation!;
      expect(loc.artifactLocation!.uri).toBe('c/src/lib/libbsp/i386/pc386/Makefile.am');
      expect(loc.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
      expect(loc.region!.startLine).toBeGreaterThanOrEqual(1);
      expect(run.tool.driver.rules![res.ruleIndex!]!.id).toBe(res.ruleId);
    }
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toMatch(/^file:\/\/\/.*\/$/);
  });

  it('sarif rejects what the schema forbids (the validation is real)', () => {
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'sarif-2.1.0-subset.schema.json'), 'utf8'));
    const ajv = new Ajv({ strict: true });
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
    const validate = ajv.compile(schema);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'info' }] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } }] }] }] })).toBe(false);
  });
});

describe('a file a rule cannot read', () => {
  it('becomes a located finding of that rule; the other rules still run', async () => {
    const tree = copyOf(BAD_WIRING);
    const am = path.join(tree, 'c/src/lib/libbsp/i386/i386virt/Makefile.am');
    writeFileSync(am, `${readFileSync(am, 'latin1')}endif\n`);
    const r = await check(loadTree(tree), { noConfig: true });
    const broken = r.diagnostics.filter((d) => d.message.startsWith('cannot be checked'));
    expect(broken.length).toBeGreaterThan(0);
    expect(broken[0]).toMatchObject({ ruleId: 'automake-wiring', file: 'c/src/lib/libbsp/i386/i386virt/Makefile.am', line: 10 });
    expect(broken[0]!.message).toMatch(/`endif` without `if`/);
    // the findings of the healthy pc386 family are still there
    expect(r.diagnostics.filter((d) => d.file === 'c/src/lib/libbsp/i386/pc386/Makefile.am').map((d) => d.line)).toEqual([8, 10]);
  });
});
