/**
 * For an arch that is split (it has an `<arch>virt` model), the code left in
 * `cpukit/score/cpu/<arch>` is shared by the native and the paravirtualized
 * model, so it must not execute a privileged or sensitive instruction,
 * neither directly nor through a macro or inline function.
 */
import { defineRule } from '../check/rule-helpers.js';
import { branchText, builtScoreCpuFiles, definitionHeaders, tableFor, usesIn, viaText, virtArches } from '../check/sources.js';

export default defineRule(
  {
    id: 'no-privileged-in-score-cpu',
    severity: 'error',
    description: 'For a split arch, nothing under cpukit/score/cpu/<arch> executes a privileged or sensitive instruction, directly or through macros and inline functions.',
    discussion:
      'provide the existing score implementation of privileged/sensitive operations as a libcpu/${arch}/shared/score directory, and libcpu/${arch}/${arch}virt/score to contain the para-virtualized ISR handling and context switch code that needs to access privileged/sensitive resources.',
    fixable: false,
  },
  async (ctx) => {
    for (const arch of virtArches(ctx)) {
      if (!tableFor(ctx, arch)) continue; // no instruction table for this arch: nothing can be judged
      const dir = `cpukit/score/cpu/${arch}/`;
      const files = builtScoreCpuFiles(ctx, arch);
      for (const u of await usesIn(ctx, arch, files, definitionHeaders(ctx, arch))) {
        // a macro that only renames something defined elsewhere (`#define outport_byte(p, v) i386_outport_byte(p, v)`
        // with the inline function in a libcpu header) executes nothing in the score port: its users are reported where they are
        if (u.context.kind === 'macro' && u.kind === 'call' && u.via[0] && !u.via[0].file.startsWith(dir)) continue;
        ctx.report({
          file: u.file,
          line: u.line,
          column: u.column,
          message: `executes ${u.class} ${u.instruction.mnemonic} through ${viaText(u)}${branchText(u.conditions)}: ${u.reason}; cpukit/score/cpu/${arch} is shared with ${arch}virt, so move this into libcpu/${arch}/shared/score and give ${arch}virt/score its hypervisor version`,
        });
      }
    }
  },
);
