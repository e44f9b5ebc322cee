/**
 * One paravirtualized CPU model and one BSP per arch, both named
 * `<arch>virt`: any BSP, family or CPU model whose name says "virt" must be
 * exactly that, and there is one per arch.
 */
import { defineRule, bspBase, lineAt, mentionsVirt, resolveOrReport, subdirs, virtNameOf } from '../check/rule-helpers.js';

export default defineRule(
  {
    id: 'virt-bsp-naming',
    severity: 'error',
    description: 'A BSP, family or CPU model with "virt" in its name is exactly <arch>virt, one per arch.',
    discussion: 'It seems to me that there would only need to be one para-virtualized CPU model and BSP for each architecture? … We can make the name unique by doing something like… ${arch}virt.',
    fixable: false,
  },
  (ctx) => {
    const { tree, scope, files } = ctx;
    for (const arch of scope.arches) {
      const want = virtNameOf(arch);
      const base = bspBase(ctx, arch);
      const bad = (file: string, line: number, what: string, name: string) => {
        ctx.report({
          file,
          line,
          message: `${what} ${name} is named as a virtual one but is not ${want}: the one paravirtualized ${what} of ${arch} is called ${want}`,
        });
      };
      for (const fam of subdirs(ctx, base)) {
        if (!mentionsVirt(fam) || fam === want) continue;
        const specs = tree.families.find((f) => f.arch === arch && f.name === fam)?.bspSpecs;
        const cfgs = tree.bsps.filter((b) => b.arch === arch && b.family === fam);
        if (!specs && cfgs.length === 0) continue; // not a BSP family (e.g. a shared source directory)
        bad(specs ?? cfgs[0]!.cfg, 1, 'BSP family', fam);
      }
      for (const v of tree.bsps) {
        if (v.arch !== arch || !mentionsVirt(v.name) || v.name === want) continue;
        bad(v.cfg, 1, 'BSP', v.name);
      }
      // CPU models: what the cfgs set, and what libcpu's configure.ac tests for
      // only a cfg chain that mentions "virt" can set such a model: resolve just those
      const virtCfgs = new Set(tree.bsps.filter((b) => b.arch === arch && /virt/i.test(files.text(b.cfg) ?? '')).map((b) => b.cfg));
      if (virtCfgs.size > 0) {
        for (const v of scope.bsps()) {
          if (v.arch !== arch) continue;
          const r = resolveOrReport(ctx, v);
          if (!r) continue;
          if (!r.cfgChain.some((c) => virtCfgs.has(c))) continue;
          const model = r.cpuModel;
          const where: { file?: string; line?: number } = r.cfgVariables.RTEMS_CPU_MODEL ?? {};
          if (model && mentionsVirt(model) && model !== want) bad(where.file ?? v.cfg, where.line ?? 1, 'CPU model', model);
        }
      }
      const libcpu = tree.libcpu.find((l) => l.arch === arch);
      if (libcpu) {
        const text = files.text(libcpu.configureAc) ?? '';
        for (const m of text.matchAll(/RTEMS_CPU_MODEL"?\s*=\s*x?"?x?([A-Za-z0-9_.-]+)/g)) {
          const model = m[1]!;
          if (mentionsVirt(model) && model !== want) bad(libcpu.configureAc, lineAt(text, m.index), 'CPU model', model);
        }
      }
    }
  },
);
