/**
 * `libbsp/<arch>/acinclude.m4` (written by bootstrap) has one
 * `RTEMS_CHECK_BSPDIR` case arm per family directory holding a `bsp_specs`,
 * and no arm for anything else: a family missing there makes configure stop
 * with "Invalid BSP".
 */
import { defineRule } from '../check/rule-helpers.js';

export default defineRule(
  {
    id: 'bsp-registered',
    severity: 'error',
    description: "Every family directory with bsp_specs is in its arch's acinclude.m4, and nothing else is.",
    discussion: 'With the --enable-virt flag the autoconf files can be notifed about the different directory structure. (The autoconf files must know the layout.)',
    fixable: true,
  },
  (ctx) => {
    const { tree, scope, files } = ctx;
    for (const arch of scope.arches) {
      const families = tree.families.filter((f) => f.arch === arch);
      const acinc = tree.acinclude.find((a) => a.arch === arch);
      if (!acinc) {
        if (families.length > 0 && files.isDir(`c/src/lib/libbsp/${arch}`)) {
          ctx.report({
            file: `c/src/lib/libbsp/${arch}/${files.exists(`c/src/lib/libbsp/${arch}/configure.ac`) ? 'configure.ac' : 'Makefile.am'}`,
            line: 1,
            message: `c/src/lib/libbsp/${arch}/acinclude.m4 is missing: run bootstrap (or check --fix) to write RTEMS_CHECK_BSPDIR for ${families.map((f) => f.name).join(', ')}`,
          });
        }
        continue;
      }
      const registered = new Map(acinc.arms.filter((a) => a.subdir !== undefined).map((a) => [a.subdir!, a]));
      const errorArm = acinc.arms.find((a) => a.subdir === undefined);
      for (const f of families) {
        if (registered.has(f.name)) continue;
        ctx.report({
          file: acinc.file,
          line: errorArm?.line ?? 1,
          message: `family ${f.name} (${f.bspSpecs}) is not in RTEMS_CHECK_BSPDIR: configure stops with "Invalid BSP"; regenerate acinclude.m4 with bootstrap or check --fix`,
        });
      }
      const names = new Set(families.map((f) => f.name));
      for (const [dir, arm] of registered) {
        if (names.has(dir)) continue;
        ctx.report({
          file: acinc.file,
          line: arm.line,
          message: `RTEMS_CHECK_BSPDIR configures ${dir}/, which has no bsp_specs${files.isDir(`c/src/lib/libbsp/${arch}/${dir}`) ? '' : ' (the directory does not exist)'}: regenerate acinclude.m4 with bootstrap or check --fix`,
        });
      }
    }
  },
);
