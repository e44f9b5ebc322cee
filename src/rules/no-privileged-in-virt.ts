/**
 * What is compiled into the `<arch>virt` model (the libcpu objects its BSP
 * links, its BSP family, libcpu/shared/virt) executes no privileged or
 * sensitive instruction, directly or through a macro or inline function:
 * each goes through the hypervisor interface.
 */
import { defineRule } from '../check/rule-helpers.js';
import { branchText, definitionHeaders, tableFor, usesIn, viaText, virtArches, virtModelFiles } from '../check/sources.js';

export default defineRule(
  {
    id: 'no-privileged-in-virt',
    severity: 'error',
    description: 'Nothing compiled into the <arch>virt model executes a privileged or sensitive instruction, except through the hypervisor interface.',
    discussion:
      '_CPU_Thread_Idle_body() is executing the privileged instruction "hlt" on i386. This is not allowed in a virtual environment, as it would impact other VMs using this CPU.',
    fixable: false,
  },
  async (ctx) => {
    for (const arch of virtArches(ctx)) {
      if (!tableFor(ctx, arch)) continue;
      const files = virtModelFiles(ctx, arch);
      for (const u of await usesIn(ctx, arch, files, definitionHeaders(ctx, arch))) {
        ctx.report({
          file: u.file,
          line: u.line,
          column: u.column,
          message: `the ${arch}virt model executes ${u.class} ${u.instruction.mnemonic} through ${viaText(u)}${branchText(u.conditions)}: ${u.reason}; use the hypervisor interface (virt_irq_disable/virt_irq_restore, virt_wait_for_event, virt_request_resource) instead`,
        });
      }
    }
  },
);
