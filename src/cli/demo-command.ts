/**
 * `rtems-virt-config demo`: the main job on the bundled default, end to end, in a scratch copy:
 * the fixture tree (fixtures/trees/rtems-4.11, written in RTEMS 4.11's layout) is checked,
 * patched for i386virt, checked again, explained, and the i386virt code the patch wrote into it
 * is compiled with the host gcc and booted on the bundled hypervisor (v86 by default).
 * Exit 0 when the patched arch checks clean and the guest passes.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkCommand } from './check-command.js';
import { patchCommand } from './patch-command.js';
import { explainCommand } from './explain-command.js';
import { bootAll } from '../boot/runner.js';
import { buildGuest, GUEST_PROGRAMS, PACKAGE_ROOT } from '../boot/guest-build.js';
import type { BackendName } from '../boot/backend.js';
import { summaryTable } from './boot-command.js';
import { color } from './output.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './errors.js';

export interface DemoOptions {
  backend?: string;
  keep?: boolean;
}

export const DEMO_TREE = path.join(PACKAGE_ROOT, 'fixtures', 'trees', 'rtems-4.11');

export async function demoCommand(opts: DemoOptions): Promise<number> {
  const backend = (opts.backend ?? 'v86') as BackendName;
  if (backend !== 'v86' && backend !== 'qemu') throw new UsageError(`unknown backend ${opts.backend}`, 'use --backend v86 or --backend qemu');
  const step = (n: number, what: string) => console.log(`\n${color.bold(`== ${n}/6`)} ${what}`);
  const work = mkdtempSync(path.join(tmpdir(), 'rvc-demo-'));
  const tree = path.join(work, 'rtems-4.11');
  cpSync(DEMO_TREE, tree, { recursive: true });

  step(1, `the bundled tree ${path.relative(process.cwd(), DEMO_TREE) || DEMO_TREE}, copied to ${tree}`);
  step(2, 'check: the rulebook over the stock tree');
  await checkCommand(tree, { format: 'stylish' });

  step(3, 'patch --arch i386 --remove-enable-paravirt: split the score, wire autotools, add the i386virt BSP');
  const patched = await patchCommand(tree, { arch: 'i386', removeEnableParavirt: true });
  if (patched !== EXIT_OK) return patched;

  step(4, 'check --arch i386: the patched arch');
  const clean = await checkCommand(tree, { format: 'stylish', arch: ['i386'] });

  step(5, 'explain --bsp i386virt: what --enable-rtemsbsp=i386virt selects now');
  explainCommand(tree, { bsp: 'i386virt' });

  step(6, `build the patched tree's i386virt code with the host gcc and boot it on the bundled hypervisor (${backend})`);
  const lib = path.join(tree, 'c/src/lib');
  const exe = await buildGuest({
    lib,
    programs: [path.join(GUEST_PROGRAMS, 'rt.c'), path.join(GUEST_PROGRAMS, 'ticker.c')],
    out: path.join(work, 'ticker.exe'),
    work,
    extra: ['-DTICKER_SPLIT'],
  });
  const run = await bootAll([exe], { bsp: 'i386virt', backend, timeoutSeconds: 30, logDir: path.join(work, 'logs') });
  console.log(summaryTable(run));
  const r = run.results[0]!;
  console.log(`console log: ${r.logFile}`);
  const ok = clean === EXIT_OK && r.result === 'passed';
  console.log(ok ? color.green('\ndemo passed: the patched tree checks clean and its i386virt guest boots to its end banner') : color.red('\ndemo failed'));
  return ok ? EXIT_OK : EXIT_FINDINGS;
}
