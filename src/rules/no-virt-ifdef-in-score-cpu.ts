/**
 * `cpukit/score/cpu/<arch>` stays free of virtualization conditionals:
 * every `#if`/`#ifdef`/`#ifndef`/`#elif` there that tests `VIRT`,
 * `RTEMS_PARAVIRT`, `__VIRT__` or another name that says "virt" is a
 * second CPU model hidden inside the first.
 */
import { defineRule, mentionsVirt } from '../check/rule-helpers.js';
import { scoreCpuFiles, tableFor } from '../check/sources.js';
import { languageOf } from '../source-index/index.js';
import { LineMap, stripComments } from '../source-index/text.js';
import { preprocess } from '../source-index/preprocessor.js';

/** The identifiers of a directive's condition that name virtualization. */
function virtSymbols(expression: string): string[] {
  return [...new Set((expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((w) => w !== 'defined' && mentionsVirt(w)))];
}

/** A conditional directive line that names something virtual (cheap text test before indexing). */
const VIRT_DIRECTIVE = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif)\b[^\n]*virt/im;

export default defineRule(
  {
    id: 'no-virt-ifdef-in-score-cpu',
    severity: 'error',
    description: 'No VIRT / RTEMS_PARAVIRT / __VIRT__ conditionals under cpukit/score/cpu.',
    discussion: "if I add a new virtual BSP to an existing architecture, I use the corresponding cpu code in cpukit/score/cpu. So I would have to add code in every architecture, for example by adding '#ifdef VIRT'.",
    fixable: false,
  },
  (ctx) => {
    for (const arch of ctx.scope.arches) {
      // only files whose text names something virtual can have such a conditional: index just those
      const files = scoreCpuFiles(ctx, arch).filter((f) => {
        const t = ctx.files.text(f) ?? '';
        return /virt/i.test(t) && VIRT_DIRECTIVE.test(t);
      });
      if (files.length === 0) continue;
      // the directives are all this rule needs: the preprocessor layer of the index, without the C parser
      const syntax = tableFor(ctx, arch)?.syntax ?? { lineComment: ['#'], lineStartComment: [], separators: [';'] };
      for (const file of files) {
        const text = ctx.files.text(file)!;
        const code = stripComments(text, languageOf(file) === 'asm' ? syntax : null);
        const pp = preprocess(code, new LineMap(text));
        const dirs = pp.conditionals;
        for (const d of dirs) {
          if (d.kind === 'else' || d.kind === 'endif') continue;
          const syms = virtSymbols(d.expression);
          if (syms.length === 0) continue;
          // an include guard (`#ifndef X_H` then `#define X_H`) names the header, not a model
          if (d.kind === 'ifndef' && pp.macros.some((m) => m.name === syms[0] && m.span.line > d.line && m.span.line <= d.line + 3)) continue;
          const end = dirs.find((e) => e.kind === 'endif' && e.groupLine === d.groupLine && e.depth === d.depth);
          ctx.report({
            file,
            line: d.line,
            message: `\`${d.text.trim()}\`${end ? ` (to line ${end.line})` : ''} makes ${syms.join(', ')} a second CPU model inside cpukit/score/cpu/${arch}: move each branch into libcpu/${arch}/shared/score (native) and libcpu/${arch}/${arch}virt/score (paravirtualized) behind one function`,
          });
        }
      }
    }
  },
);
