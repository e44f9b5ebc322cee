/**
 * `<arch>virt.cfg` selects the paravirtualized CPU model: make, run over its
 * cfg chain as configure runs it, reads back RTEMS_CPU=<arch> and
 * RTEMS_CPU_MODEL=<arch>virt. No other BSP selects that model.
 */
import { defineRule, virtNameOf } from '../check/rule-helpers.js';

export default defineRule(
  {
    id: 'virt-cpu-model',
    severity: 'error',
    description: '<arch>virt.cfg resolves to RTEMS_CPU=<arch> and RTEMS_CPU_MODEL=<arch>virt, and only it does.',
    discussion: 'Then to enable virtualization you would just --enable-bsp=${arch}virt. This BSP would set the CPU model to also be ${arch}virt.',
    fixable: false,
  },
  (ctx) => {
    const { tree, files, scope } = ctx;
    for (const arch of scope.arches) {
      const want = virtNameOf(arch);
      const variants = scope.bsps().filter((b) => b.arch === arch);
      // a cfg chain can reach <arch>virt only through text that says so: resolve only those
      const mentioning = new Set(tree.bsps.filter((b) => b.arch === arch && (files.text(b.cfg) ?? '').includes(want)).map((b) => b.cfg));
      for (const v of variants) {
        const isVirt = v.name === want;
        if (!isVirt && mentioning.size === 0) continue;
        const r = ctx.resolve(v);
        if (!isVirt && !r.cfgChain.some((c) => mentioning.has(c))) continue;
        const model = r.cfgVariables.RTEMS_CPU_MODEL;
        const cpu = r.cfgVariables.RTEMS_CPU;
        if (isVirt) {
          if (r.cpuModel !== want) {
            ctx.report({
              file: model?.file ?? v.cfg,
              line: model?.line ?? 1,
              message:
                r.cpuModel === null
                  ? `${v.name}.cfg leaves RTEMS_CPU_MODEL empty: set RTEMS_CPU_MODEL=${want} so configure builds the paravirtualized score`
                  : `${v.name}.cfg resolves to RTEMS_CPU_MODEL=${r.cpuModel}: set RTEMS_CPU_MODEL=${want} so the BSP and its CPU model share the name`,
            });
          }
          if (cpu && cpu.value !== '' && cpu.value !== arch) {
            ctx.report({
              file: cpu.file ?? v.cfg,
              line: cpu.line ?? 1,
              message: `${v.name}.cfg resolves to RTEMS_CPU=${cpu.value}: it must be ${arch}, the gcc target CPU the BSP is built with`,
            });
          }
        } else if (r.cpuModel === want) {
          ctx.report({
            file: model?.file ?? v.cfg,
            line: model?.line ?? 1,
            message: `BSP ${v.name} resolves to RTEMS_CPU_MODEL=${want}: only ${want}.cfg selects the paravirtualized CPU model; give ${v.name} its own model or make it ${want}`,
          });
        }
      }
    }
  },
);
