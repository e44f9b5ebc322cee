/**
 * The i386virt code that `patch` generates into the fixture tree (not the
 * templates directly) compiles with the host compiler and boots to its end
 * banner: the ticker guest on top of the planned start code, console, clock,
 * event dispatch and paravirtualized score.
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/boot/backend.js';
import { bootAll, type BootRun } from '../../src/boot/runner.js';
import { loadTree } from '../../src/model/tree.js';
import { planPatch } from '../../src/patch/plan.js';
import { buildGuests, ROOT, SPLIT_SOURCE, TEMPLATE_SOURCES, type BuiltGuests } from './build-guests.js';

const qemu = (await execa('qemu-system-i386', ['--version'], { reject: false })).exitCode === 0 || process.env.RVC_REQUIRE_QEMU === '1';
const backends: BackendName[] = qemu ? ['v86', 'qemu'] : ['v86'];

let built: BuiltGuests;
let planned: string[];

beforeAll(async () => {
  const plan = await planPatch(loadTree(join(ROOT, 'fixtures/trees/rtems-4.11')), 'i386');
  const tree = await mkdtemp(join(tmpdir(), 'rvc-patched-'));
  planned = [];
  for (const e of plan.edits) {
    if (e.after === null || !/^c\/src\/lib\/(libbsp\/i386\/i386virt|libcpu\/i386\/i386virt|libcpu\/shared\/virt)\//.test(e.path)) continue;
    await mkdir(dirname(join(tree, e.path)), { recursive: true });
    await writeFile(join(tree, e.path), e.after, 'latin1');
    planned.push(e.path.slice('c/src/lib/'.length));
  }
  built = await buildGuests(['ticker'], {}, join(tree, 'c/src/lib'));
}, 120_000);

it('the plan holds every file the guest is built from', () => {
  for (const f of [...TEMPLATE_SOURCES, SPLIT_SOURCE, 'libcpu/shared/virt/hypervisor.h', 'libcpu/shared/virt/bsp/virt-bsp.h', 'libbsp/i386/i386virt/startup/linkcmds']) expect(planned).toContain(f);
});

describe.each(backends)('patched i386virt on %s', (backend) => {
  let run: BootRun;
  beforeAll(async () => {
    run = await bootAll([built.exe('ticker')], {
      bsp: 'i386virt',
      backend,
      timeoutSeconds: 30,
      logDir: await mkdtemp(join(tmpdir(), 'rvc-patched-logs-')),
      monitorPath: built.monitor,
    });
  }, 60_000);

  it('boots to its end banner', () => {
    expect(run.results[0]?.result, run.results[0]?.reason).toBe('passed');
  });
});
