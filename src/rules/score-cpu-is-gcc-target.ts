/**
 * `cpukit/score/cpu/<cpu>` is the SuperCore port for one gcc target CPU:
 * a virtual CPU there, or a `*virt*-rtems*` / `l4vcpu-rtems*` target in the
 * autoconf files, breaks the tie between the score port and the compiler.
 */
import { defineRule, aclocalFiles, lineAt, columnAt } from '../check/rule-helpers.js';

/**
 * The CPU part of every `<cpu>-rtems*` target RTEMS has had a score port for
 * (RTEMS_CPU as RTEMS_CANONICAL_TARGET_CPU computes it). `no_cpu` is the
 * template port, accepted by name in canonical-target-name.m4.
 */
const GCC_TARGET_CPUS: ReadonlySet<string> = new Set([
  'a29k', 'aarch64', 'arm', 'avr', 'bfin', 'c4x', 'epiphany', 'h8300', 'hppa1.1', 'i386', 'i960', 'lm32', 'm32c', 'm32r',
  'm68k', 'microblaze', 'mips', 'mips64orion', 'moxie', 'nios2', 'no_cpu', 'or1k', 'or32', 'powerpc', 'riscv', 'sh',
  'sparc', 'sparc64', 'unix', 'v850', 'x86_64',
]);

const VIRT_TARGET = /\b[A-Za-z0-9_*]*(?:virt|l4vcpu)[A-Za-z0-9_*]*-[A-Za-z0-9_*-]*rtems[A-Za-z0-9_.*]*/gi;

export default defineRule(
  {
    id: 'score-cpu-is-gcc-target',
    severity: 'error',
    description: 'Every cpukit/score/cpu/* directory names a gcc target CPU; no virtual CPU there and no *virt*-rtems* or l4vcpu-rtems* target.',
    discussion: 'The score/cpu is tied to the gcc target being used. … Are you going to create a new --target=virt-rtems4.11 target for gcc and RTEMS?',
    fixable: false,
  },
  (ctx) => {
    for (const e of ctx.files.list('cpukit/score/cpu')) {
      if (!e.dir || !ctx.scope.hasArch(e.name)) continue;
      const dir = `cpukit/score/cpu/${e.name}`;
      // point at a file of the port so editors and code scanning can open it
      const anchor = ['Makefile.am', 'cpu.c', 'rtems/score/cpu.h', 'include/rtems/score/cpu.h'].map((f) => `${dir}/${f}`).find((f) => ctx.files.exists(f)) ?? `${dir}/`;
      if (/virt|l4vcpu/i.test(e.name)) {
        ctx.report({
          file: anchor,
          line: 1,
          message: `${dir} is a virtual CPU, not a gcc target: keep score/cpu/<cpu> for the target CPU and put the paravirtualized score code in c/src/lib/libcpu/<cpu>/<cpu>virt/score`,
        });
      } else if (!GCC_TARGET_CPUS.has(e.name)) {
        ctx.report({
          file: anchor,
          line: 1,
          message: `${dir} does not name a gcc target CPU (<cpu>-rtems*): score/cpu directories are named after the target's CPU; a CPU model belongs in c/src/lib/libcpu/<cpu>/<model>`,
        });
      }
    }
    // targets spelled in the autoconf files
    const candidates = ['configure.ac', 'c/configure.ac', 'c/src/configure.ac', 'cpukit/configure.ac', ...aclocalFiles(ctx)];
    for (const f of candidates) {
      const text = ctx.files.text(f);
      if (text === undefined || !/virt|l4vcpu/i.test(text)) continue;
      for (const m of text.matchAll(VIRT_TARGET)) {
        ctx.report({
          file: f,
          line: lineAt(text, m.index),
          column: columnAt(text, m.index),
          message: `target ${m[0]} is not a gcc target: build the paravirtualized BSP with the CPU's own target (--target=<cpu>-rtems…) and --enable-rtemsbsp=<cpu>virt`,
        });
      }
    }
  },
);
