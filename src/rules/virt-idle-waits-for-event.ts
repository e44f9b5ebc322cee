/**
 * The `<arch>virt` model has its own `_CPU_Thread_Idle_body`, and it waits
 * for an event through the hypervisor interface (`virt_wait_for_event`,
 * `VIRT_CALL_WAIT_FOR_EVENT`, L4Re's `l4vcpu_wait_for_event`) instead of
 * halting the CPU.
 */
import { defineRule, virtNameOf } from '../check/rule-helpers.js';
import { indexOf, virtArches, virtModelFiles, definitionHeaders } from '../check/sources.js';
import { isDeadBranch } from '../source-index/index.js';
import type { FunctionDefinition, MacroDefinition } from '../source-index/index.js';

const WAIT = /wait_for_event|WAIT_FOR_EVENT/;
const IDLE = '_CPU_Thread_Idle_body';

export default defineRule(
  {
    id: 'virt-idle-waits-for-event',
    severity: 'error',
    description: 'The <arch>virt _CPU_Thread_Idle_body waits for an event through the hypervisor interface.',
    discussion: 'In L4RTEMS, using L4Re (L4 Runtime environment), I replaced "hlt"with a call to l4vcpu_wait_for_event() which stops the VM until the next interrupt.',
    fixable: false,
  },
  async (ctx) => {
    for (const arch of virtArches(ctx)) {
      const files = virtModelFiles(ctx, arch);
      if (files.length === 0) continue;
      const idx = await indexOf(ctx, arch, [...new Set([...files, ...definitionHeaders(ctx, arch)])].sort());
      const own = new Set(files);
      const fns = new Map<string, FunctionDefinition>();
      const macros = new Map<string, MacroDefinition>();
      for (const f of idx.files) {
        for (const fn of f.functions) if (!isDeadBranch(fn.conditions)) fns.set(fn.name, fn);
        for (const m of f.macros) macros.set(m.name, m);
      }
      /** Whether a name reaches a wait-for-event call through inline functions and macros. */
      const waits = (name: string, seen: Set<string>): boolean => {
        if (WAIT.test(name)) return true;
        if (seen.has(name)) return false;
        seen.add(name);
        const body = fns.get(name)?.refs ?? macros.get(name)?.refs ?? [];
        return body.some((r) => waits(r.name, seen));
      };
      const idleDefs = idx.files.filter((f) => own.has(f.file)).flatMap((f) => f.functions.filter((fn) => fn.name === IDLE && !isDeadBranch(fn.conditions)));
      const asmIdle = idx.files
        .filter((f) => own.has(f.file))
        .flatMap((f) => (f.asmFile?.labels ?? []).filter((l) => l.name === IDLE || l.name === `_${IDLE}`).map((l) => ({ f, l })));
      if (idleDefs.length === 0 && asmIdle.length === 0) {
        const anchor = files.find((f) => /\/score\//.test(f)) ?? files[0]!;
        ctx.report({
          file: anchor,
          line: 1,
          message: `the ${virtNameOf(arch)} model defines no ${IDLE}: the native one (which halts the CPU) would be used; define it in libcpu/${arch}/${virtNameOf(arch)}/score and call virt_wait_for_event() in its loop`,
        });
        continue;
      }
      for (const fn of idleDefs) {
        if (fn.refs.some((r) => waits(r.name, new Set()))) continue;
        ctx.report({
          file: fn.file,
          line: fn.span.line,
          message: `${IDLE} of ${virtNameOf(arch)} does not wait for an event through the hypervisor interface: loop on virt_wait_for_event() (VIRT_CALL_WAIT_FOR_EVENT) instead of spinning or halting`,
        });
      }
      for (const { f, l } of asmIdle) {
        const region = (f.asmFile?.statements ?? []).filter((s) => s.label === l.name);
        if (region.some((s) => WAIT.test(s.text) || s.text.split(/[\s,]+/).some((w) => waits(w, new Set())))) continue;
        ctx.report({
          file: f.file,
          line: l.line,
          message: `${IDLE} of ${virtNameOf(arch)} does not wait for an event through the hypervisor interface: call virt_wait_for_event (VIRT_CALL_WAIT_FOR_EVENT) in its loop`,
        });
      }
    }
  },
);
