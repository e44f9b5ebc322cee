/**
 * Virtualization is switched on by choosing the `<arch>virt` BSP, not by a
 * configure option: no `--enable-virt` / `--enable-paravirt` (AC_ARG_ENABLE
 * or AC_ARG_WITH), no macro that adds one, no call of such a macro, and no
 * cpp define set from it.
 */
import type { M4Call } from '../parse/m4.js';
import { defineRule, aclocalFiles, filesNamed, mentionsVirt } from '../check/rule-helpers.js';

const OPTION_MACROS = /^(?:AC_ARG_ENABLE|AC_ARG_WITH)$/;
const DEFINE_MACROS = /^(?:AC_DEFINE|AC_DEFINE_UNQUOTED|RTEMS_CPUOPT|AC_SUBST|AM_CONDITIONAL)$/;

export default defineRule(
  {
    id: 'no-enable-virt-flag',
    severity: 'error',
    description: 'No configure option switches virtualization on (--enable-virt, --enable-paravirt): choosing the <arch>virt BSP does.',
    discussion: 'Then to enable virtualization you would just --enable-bsp=${arch}virt.',
    fixable: false,
  },
  (ctx) => {
    const { files } = ctx;
    const sources = [...aclocalFiles(ctx), ...filesNamed(ctx, 'configure.ac')].filter((f) => /virt/i.test(files.text(f) ?? ''));
    // 1. the options themselves, and the macros that add them
    const optionMacros = new Map<string, string>(); // macro name -> option
    const docs = sources.map((f) => ({ f, doc: files.m4(f)! })).filter((d) => d.doc);
    for (const { f, doc } of docs) {
      const deep = doc.deepCalls();
      for (const c of deep) {
        if (!OPTION_MACROS.test(c.name)) continue;
        const opt = (c.args[0]?.value ?? '').trim();
        if (!mentionsVirt(opt)) continue;
        const flag = c.name === 'AC_ARG_ENABLE' ? `--enable-${opt}` : `--with-${opt}`;
        ctx.report({
          file: f,
          line: c.line,
          message: `configure option ${flag} switches virtualization on: remove it; choosing the BSP (--enable-rtemsbsp=<arch>virt) is the switch`,
        });
        const owner = deep.find((d) => d.name === 'AC_DEFUN' && d.line <= c.line && d.endLine >= c.line);
        const name = owner ? (owner.args[0]?.value ?? '').trim() : '';
        if (name) optionMacros.set(name, flag);
      }
    }
    // 2. where those macros are called, and defines derived from the option
    for (const { f, doc } of docs) {
      const deep = doc.deepCalls();
      for (const c of deep) {
        const flag = optionMacros.get(c.name);
        if (flag && c.name !== 'AC_DEFUN') {
          ctx.report({ file: f, line: c.line, message: `${c.name} adds the configure option ${flag}: remove the call; the <arch>virt BSP needs no option` });
        }
        if (DEFINE_MACROS.test(c.name) && !f.includes('aclocal/') && definesFromVirtFlag(c)) {
          const sym = (c.args[0]?.value ?? '').trim();
          ctx.report({
            file: f,
            line: c.line,
            message: `${c.name}(${sym}) turns a virtualization option into a build-wide switch: drop it; code for the paravirtualized model lives in libcpu/<arch>/<arch>virt and is selected by RTEMS_CPU_MODEL`,
          });
        }
      }
    }
  },
);

function definesFromVirtFlag(c: M4Call): boolean {
  const sym = (c.args[0]?.value ?? '').trim();
  if (!mentionsVirt(sym)) return false;
  // the value or condition comes from the option's shell variable (RTEMS_HAS_PARAVIRT, enable_virt, …)
  return c.args.slice(1).some((a) => mentionsVirt(a.value)) || /VIRT$/i.test(sym);
}
