/**
 * An arch with a paravirtualized model has its privileged score code split
 * out of cpukit: the native version in `libcpu/<arch>/shared/score`, the
 * paravirtualized one in `libcpu/<arch>/<arch>virt/score`, each compiled
 * by libcpu's Makefile.am under a conditional of its own.
 */
import type { AmCondition } from '../parse/automake.js';
import { defineRule, bspBase, virtNameOf } from '../check/rule-helpers.js';
import { virtArches } from '../check/sources.js';

export default defineRule(
  {
    id: 'score-split-present',
    severity: 'error',
    description: 'An arch with <arch>virt has libcpu/<arch>/shared/score and libcpu/<arch>/<arch>virt/score, each built under its own conditional.',
    discussion:
      'You can split the score layer between score and libcpu for each architecture that has a paravirt target … provide the existing score implementation of privileged/sensitive operations as a libcpu/${arch}/shared/score directory, and libcpu/${arch}/${arch}virt/score to contain the para-virtualized ISR handling and context switch code.',
    fixable: false,
  },
  (ctx) => {
    const { tree, files } = ctx;
    if (tree.layout === '5') return; // RTEMS 5 has no c/src/lib/libcpu: the split has no place there yet
    for (const arch of virtArches(ctx)) {
      const virt = virtNameOf(arch);
      const libcpuDir = `c/src/lib/libcpu/${arch}`;
      const anchor = tree.bsps.find((b) => b.arch === arch && b.name === virt)?.cfg ?? `${bspBase(ctx, arch)}/${virt}/Makefile.am`;
      const libcpu = tree.libcpu.find((l) => l.arch === arch);
      if (!libcpu) {
        ctx.report({
          file: anchor,
          line: 1,
          message: `${arch} has ${virt} but no ${libcpuDir}/configure.ac: create libcpu/${arch} with shared/score (native) and ${virt}/score (paravirtualized)`,
        });
        continue;
      }
      const am = files.automake(libcpu.makefileAm);
      const parts = [
        { dir: 'shared/score', what: 'native' },
        { dir: `${virt}/score`, what: 'paravirtualized' },
      ];
      const conds: (AmCondition[] | undefined)[] = [];
      for (const p of parts) {
        const full = `${libcpuDir}/${p.dir}`;
        if (!files.isDir(full)) {
          ctx.report({
            file: libcpu.makefileAm,
            line: 1,
            message: `${arch} has ${virt} but no ${full}/: move the ${p.what} score code that touches privileged state there`,
          });
          conds.push(undefined);
          continue;
        }
        const builds = (am?.assignments() ?? []).filter((n) => /_SOURCES$/.test(n.name) && n.value.split(/\s+/).some((w) => w.startsWith(`${p.dir}/`)));
        if (builds.length === 0) {
          ctx.report({ file: libcpu.makefileAm, line: 1, message: `no object in ${libcpu.makefileAm} is built from ${p.dir}/: add a ${p.dir.replace(/\//g, '-')}.rel with its sources under its own \`if\`` });
          conds.push(undefined);
          continue;
        }
        const first = builds[0]!;
        if (first.conditions.length === 0) {
          ctx.report({
            file: libcpu.makefileAm,
            line: first.line,
            message: `${p.dir}/ is built unconditionally: wrap it in \`if\` on a conditional that libcpu's configure.ac sets for the ${p.what === 'native' ? 'native CPU models' : `${virt} CPU model`} only`,
          });
        }
        conds.push(first.conditions);
      }
      const [a, b] = conds;
      if (a && b && a.length > 0 && b.length > 0) {
        const key = (c: AmCondition[]) => c.map((x) => `${x.negated ? '!' : ''}${x.name}`).join('&');
        if (key(a) === key(b)) {
          const bLine = (am?.assignments() ?? []).find((n) => /_SOURCES$/.test(n.name) && n.value.includes(`${virt}/score/`))?.line ?? 1;
          ctx.report({
            file: libcpu.makefileAm,
            line: bLine,
            message: `shared/score and ${virt}/score are built under the same condition (${key(a)}): each needs its own, so a CPU model links exactly one of them`,
          });
        }
      }
    }
  },
);
