/**
 * The `<arch>virt` BSP uses the virtual timer: it builds no native clock or
 * timer driver and executes no instruction that reads or programs clock or
 * timer hardware (a time-stamp counter, the PIT, the RTC), because "you
 * can't pass through a clock or timer".
 */
import path from 'node:path';
import { defineRule, bspBase, virtNameOf } from '../check/rule-helpers.js';
import { definitionHeaders, usesIn, virtArches, virtModelFiles } from '../check/sources.js';
import type { PrivilegedUse } from '../source-index/index.js';

/** Source paths of native clock and timer drivers. */
const CLOCK_SOURCE = /(?:^|[/_-])(?:clock|clockdrv|ckinit|timer|tsc|pit|pit8254|i8254|rtc|tod|hpet|apic_timer)(?:[/_.-]|$)/i;
/** Hardware a guest must not program: timer and RTC ports and registers, by name or (x86) port number. */
const CLOCK_OPERAND = /TIMER|CLOCK|PIT\b|RTC|TSC|HPET|0x4[0-3]\b|0x61\b|0x7[01]\b/i;

function touchesClock(ctx: { files: { text(f: string): string | undefined } }, u: PrivilegedUse): boolean {
  if (/timer|clock|time-stamp|tsc/i.test(u.reason) && u.instruction.mnemonic.startsWith('rdtsc')) return true;
  if (CLOCK_OPERAND.test(u.instruction.operands)) return true;
  // a call such as outport_byte(TIMER_MODE, …): look at the arguments written at the call site
  if (u.kind === 'call') {
    const line = (ctx.files.text(u.file) ?? '').split('\n')[u.line - 1] ?? '';
    const args = line.slice(Math.max(0, u.column - 1));
    return CLOCK_OPERAND.test(args.slice(0, 120));
  }
  return false;
}

export default defineRule(
  {
    id: 'no-clock-passthrough',
    severity: 'error',
    description: 'The <arch>virt BSP touches no clock or timer hardware; it uses the virtual timer.',
    discussion: "If the hypervisor supports device-pass-through, you don't have to change much, but you can't pass through a clock or timer.",
    fixable: false,
  },
  async (ctx) => {
    for (const arch of virtArches(ctx)) {
      const v = virtNameOf(arch);
      const family = `${bspBase(ctx, arch)}/${v}`;
      // 1. native clock/timer drivers built into the BSP
      const am = ctx.files.automake(`${family}/Makefile.am`);
      for (const n of am?.assignments() ?? []) {
        if (!/_SOURCES$|_LIBADD$/.test(n.name)) continue;
        for (const w of n.value.split(/\s+/).filter(Boolean)) {
          const full = path.posix.normalize(path.posix.join(family, w.replace(/^\$\(srcdir\)\//, '')));
          if (!CLOCK_SOURCE.test(w) || full.startsWith(`${family}/`) && !/\.\./.test(w)) continue;
          if (full.includes(`/${v}/`) || full.startsWith('c/src/lib/libcpu/shared/virt/')) continue;
          ctx.report({
            file: `${family}/Makefile.am`,
            line: n.line,
            message: `${v} builds the native clock or timer driver ${w}: a clock or timer cannot be passed through; use the virtual timer (virt_timer_periodic, VIRT_EVENT_TIMER) in ${family}/clock`,
          });
        }
      }
      // 2. instructions that read or program clock and timer hardware
      for (const u of await usesIn(ctx, arch, virtModelFiles(ctx, arch), definitionHeaders(ctx, arch))) {
        if (!touchesClock(ctx, u)) continue;
        ctx.report({
          file: u.file,
          line: u.line,
          column: u.column,
          message: `${v} reads or programs clock/timer hardware (\`${u.instruction.text}\`${u.kind === 'call' ? ` through ${u.callee}()` : ''}): a clock or timer cannot be passed through; use the virtual timer (virt_timer_periodic, timer_ticks)`,
        });
      }
    }
  },
);
