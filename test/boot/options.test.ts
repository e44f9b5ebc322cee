import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { parseBootOptions, progressLine } from '../../src/cli/boot-command.js';
import { emptyCounts, selectShard } from '../../src/boot/runner.js';
import { junitReport, jsonReport } from '../../src/boot/report.js';
import { prepareGuest, InvalidGuestError } from '../../src/boot/guest-image.js';

describe('boot options', () => {
  it('accepts the documented options', () => {
    const o = parseBootOptions(['a.exe'], { bsp: 'i386virt', backend: 'qemu', timeout: '2.5', jobs: '3', shard: '2/4', report: 'junit', reportFile: 'r.xml' });
    expect(o).toMatchObject({ bsp: 'i386virt', backend: 'qemu', timeoutSeconds: 2.5, jobs: 3, shard: { index: 2, count: 4 }, report: { format: 'junit', file: 'r.xml' } });
  });

  it.each<[string, string[], Record<string, string>]>([
    ['no executable', [], { bsp: 'i386virt' }],
    ['no bsp', ['a.exe'], {}],
    ['a BSP the target does not run', ['a.exe'], { bsp: 'erc32' }],
    ['a stock BSP on v86', ['a.exe'], { bsp: 'pc386', backend: 'v86' }],
    ['unknown backend', ['a.exe'], { bsp: 'i386virt', backend: 'bochs' }],
    ['bad timeout', ['a.exe'], { bsp: 'i386virt', timeout: '-1' }],
    ['bad jobs', ['a.exe'], { bsp: 'i386virt', jobs: '0' }],
    ['shard out of range', ['a.exe'], { bsp: 'i386virt', shard: '5/4' }],
    ['shard not I/N', ['a.exe'], { bsp: 'i386virt', shard: 'half' }],
    ['report without file', ['a.exe'], { bsp: 'i386virt', report: 'json' }],
    ['unknown report format', ['a.exe'], { bsp: 'i386virt', report: 'xml', reportFile: 'x' }],
  ])('refuses %s with a usage error', (_n, exes, opts) => {
    expect(() => parseBootOptions(exes, opts)).toThrow(UsageError);
  });

  it('a stock pc386-family BSP defaults to qemu, an <arch>virt one to v86', () => {
    expect(parseBootOptions(['a.exe'], { bsp: 'pc586' }).backend).toBe('qemu');
    expect(parseBootOptions(['a.exe'], { bsp: 'i386virt' }).backend).toBe('v86');
  });

  it('shards round-robin, every item in exactly one shard', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    const shards = [1, 2, 3].map((i) => selectShard(items, i, 3));
    expect(shards[0]).toEqual([0, 3, 6, 9]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(items);
  });

  it('prints the tester-style progress line', () => {
    const counts = { ...emptyCounts(), passed: 2, 'fatal-error': 1 };
    expect(progressLine({ kind: 'end', index: 3, total: 20, exe: 'hello.exe', counts }, 'i386virt')).toBe(
      '[ 3/20] p:2  f:0  u:0  e:0  I:0  B:0  t:0  i:0  F:1  | i386virt/hello.exe',
    );
  });
});

describe('reports', () => {
  const run = {
    bsp: 'i386virt',
    backend: 'v86' as const,
    ms: 1234,
    counts: { ...emptyCounts(), passed: 1, 'fatal-error': 1, timeout: 1 },
    results: [
      { exe: 'a.exe', result: 'passed' as const, reason: 'begin and end banners', backend: 'v86' as const, ms: 100, logFile: '/l/a.log', consoleBytes: 10, logTruncated: false, exitStatus: null },
      { exe: 'b<&>.exe', result: 'fatal-error' as const, reason: 'privileged instruction hlt at 0x00400000', backend: 'v86' as const, ms: 200, logFile: '/l/b.log', consoleBytes: 10, logTruncated: false, exitStatus: null },
      { exe: 'c.exe', result: 'timeout' as const, reason: 'no banner before the timeout', backend: 'v86' as const, ms: 300, logFile: '/l/c.log', consoleBytes: 0, logTruncated: false, exitStatus: null },
    ],
  };

  it('junit: a failure for timeout, an error for fatal-error, escaped names', () => {
    const x = junitReport(run);
    expect(x).toContain('tests="3" failures="1" errors="1"');
    expect(x).toContain('name="b&lt;&amp;&gt;.exe"');
    expect(x).toContain('<error type="fatal-error" message="privileged instruction hlt at 0x00400000"/>');
    expect(x).toContain('<failure type="timeout" message="no banner before the timeout"/>');
  });

  it('json: summary and one entry per executable', () => {
    const j = jsonReport(run) as { summary: Record<string, number>; results: { exe: string; result: string }[] };
    expect(j.summary.total).toBe(3);
    expect(j.summary['fatal-error']).toBe(1);
    expect(j.results.map((r) => r.result)).toEqual(['passed', 'fatal-error', 'timeout']);
  });
});

describe('guest image check', () => {
  it('refuses what is not an i386 executable for guest RAM', () => {
    expect(() => prepareGuest(new TextEncoder().encode('#!/bin/sh\necho hi\n'.repeat(4)))).toThrow(InvalidGuestError);
    const elf = new Uint8Array(52 + 32);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    expect(() => prepareGuest(elf)).toThrow(/not a 32-bit ELF/);
    elf[4] = 1;
    const dv = new DataView(elf.buffer);
    dv.setUint16(16, 2, true);
    dv.setUint16(18, 3, true);
    dv.setUint32(24, 0x100000, true);
    dv.setUint32(28, 52, true);
    dv.setUint16(42, 32, true);
    dv.setUint16(44, 1, true);
    dv.setUint32(52, 1, true); // PT_LOAD
    dv.setUint32(52 + 12, 0x100000, true); // paddr: where pc386 links, below guest RAM
    dv.setUint32(52 + 20, 0x1000, true); // memsz
    expect(() => prepareGuest(elf)).toThrow(/outside guest RAM/);
  });
});
