/**
 * A paravirtualized BSP is the `<arch>virt` family of its own arch:
 * `c/src/lib/libbsp/<arch>/<arch>virt/` (RTEMS 5: `bsps/<arch>/<arch>virt/`),
 * never a separate `libbsp/virt/<arch>/<bsp>` tree.
 */
import { defineRule, bspBase, filesUnder, subdirs, virtNameOf, virtPrefix } from '../check/rule-helpers.js';

export default defineRule(
  {
    id: 'virt-bsp-location',
    severity: 'error',
    description: 'Paravirtualized BSPs live at libbsp/<arch>/<arch>virt; there is no libbsp/virt/ tree.',
    discussion: 'c/src/lib/libbsp/virt/<arch>/<bsp_name> … What goes in here ? … I think it would be better to add a single paravirt CPU and one BSP for that CPU to each architecture.',
    fixable: false,
  },
  (ctx) => {
    const { tree, scope } = ctx;
    const arches = new Set([...tree.arches, ...tree.bsps.map((b) => b.arch), ...tree.families.map((f) => f.arch)]);
    for (const top of tree.layout === '5' ? ['bsps', 'c/src/lib/libbsp'] : ['c/src/lib/libbsp']) {
      for (const name of subdirs(ctx, top)) {
        if (name.toLowerCase() !== 'virt' && name.toLowerCase() !== 'paravirt') continue;
        const dir = `${top}/${name}`;
        const inside = filesUnder(ctx, dir);
        const first = inside.find((f) => f.endsWith('/Makefile.am') || f.endsWith('/configure.ac')) ?? inside[0] ?? `${dir}/`;
        const archesInside = subdirs(ctx, dir).filter((a) => arches.has(a));
        ctx.report({
          file: first,
          line: 1,
          message: `${dir}/ is a separate tree for virtual BSPs: move each to ${top}/<arch>/<arch>virt/${archesInside.length ? ` (${archesInside.map((a) => `${top}/${a}/${virtNameOf(a)}`).join(', ')})` : ''} and delete ${dir}/`,
        });
      }
    }
    for (const arch of [...arches].sort()) {
      if (!scope.hasArch(arch)) continue;
      const base = bspBase(ctx, arch);
      // a family directory named for another arch's virt BSP
      for (const fam of subdirs(ctx, base)) {
        const p = virtPrefix(fam);
        if (p === undefined || p === arch || !arches.has(p)) continue;
        const inside = filesUnder(ctx, `${base}/${fam}`);
        ctx.report({
          file: inside.find((f) => f.endsWith('/Makefile.am')) ?? inside[0] ?? `${base}/${fam}/`,
          line: 1,
          message: `${fam} is the paravirtualized BSP of ${p} but lives under ${base}: move it to ${bspBase(ctx, p)}/${fam}`,
        });
      }
      // an <arch>virt cfg outside the <arch>virt family
      for (const v of tree.bsps) {
        if (v.arch !== arch) continue;
        const p = virtPrefix(v.name);
        if (p === undefined || !arches.has(p)) continue;
        if (v.family === virtNameOf(arch) && p === arch) continue;
        if (v.family === v.name) continue; // reported above as a misplaced family
        ctx.report({
          file: v.cfg,
          line: 1,
          message: `${v.name}.cfg is a paravirtualized BSP inside the ${v.family} family: it belongs in its own family ${bspBase(ctx, p)}/${v.name}/`,
        });
      }
    }
  },
);
