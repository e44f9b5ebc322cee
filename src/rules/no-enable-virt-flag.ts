/**
 * Virtualization is switched on by choosing the `<arch>virt` BSP, not by a
 * configure option: no `--enable-virt` / `--enable-paravirt` (AC_ARG_ENABLE
 * or AC_ARG_WITH), no macro that adds one, no call of such a macro, and no
 * cpp define set from it.
 */
import type { M4Call } from '../parse/m4.js';
import { defineRule, aclocalFiles, filesNamed, mentionsVirt, lineAt, columnAt } from '../check/rule-helpers.js';

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
    const optionVars = new Set<string>();
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
        // the shell variables the option sets: enable_<opt> and what its action assigns
        optionVars.add(`${c.name === 'AC_ARG_ENABLE' ? 'enable' : 'with'}_${opt.replace(/[^A-Za-z0-9]/g, '_')}`);
        for (const a of c.args.slice(1)) for (const m of a.value.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)=/g)) optionVars.add(m[1]!);
        const owner = deep.find((d) => d.name === 'AC_DEFUN' && d.line <= c.line && d.endLine >= c.line);
        const name = owner ? (owner.args[0]?.value ?? '').trim() : '';
        if (name) optionMacros.set(name, flag);
      }
    }
    // 2. where those macros are called (RTEMS macros are mostly called bare, without parentheses)
    for (const f of sources) {
      const text = files.text(f)!;
      for (const [name, flag] of optionMacros) {
        for (const m of text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
          const lineStart = text.lastIndexOf('\n', m.index) + 1;
          const before = text.slice(lineStart, m.index);
          if (/(?:^|\s)(?:dnl\b|#)/.test(before)) continue; // in a comment
          if (/AC_DEFUN\(\s*\[?\s*$/.test(text.slice(Math.max(0, m.index - 20), m.index))) continue; // the definition
          ctx.report({ file: f, line: lineAt(text, m.index), column: columnAt(text, m.index), message: `${name} adds the configure option ${flag}: remove the call; the <arch>virt BSP needs no option` });
        }
      }
    }
    // 3. defines derived from the option
    for (const { f, doc } of docs) {
      if (f.includes('aclocal/')) continue;
      for (const c of doc.deepCalls()) {
        if (DEFINE_MACROS.test(c.name) && readsOptionVariable(c, optionVars)) {
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

/** Whether a define's value or condition reads a shell variable that a virtualization option sets. */
function readsOptionVariable(c: M4Call, vars: ReadonlySet<string>): boolean {
  return c.args.slice(1).some((a) => [...a.value.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].some((m) => vars.has(m[1]!)));
}
