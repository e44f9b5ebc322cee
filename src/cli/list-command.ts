import { loadTree } from '../model/tree.js';
import { color, printJson } from './output.js';
import { UsageError } from './errors.js';
import { allRules } from '../rules/index.js';

export function listCommand(what: string, treeArg: string | undefined, opts: { json?: boolean }): number {
  if (what === 'rules') return listRules(opts);
  if (what !== 'bsps' && what !== 'arches') {
    throw new UsageError(`cannot list "${what}"`, 'use `list bsps`, `list arches` or `list rules`');
  }
  const tree = loadTree(treeArg ?? '.');
  if (what === 'arches') {
    const rows = tree.arches.map((arch) => ({
      arch,
      families: tree.families.filter((f) => f.arch === arch).map((f) => f.name),
      bsps: tree.bsps.filter((b) => b.arch === arch).length,
      libcpu: tree.libcpu.some((l) => l.arch === arch),
    }));
    if (opts.json) printJson({ root: tree.root, rtemsVersion: tree.version?.raw ?? null, arches: rows });
    else for (const r of rows) console.log(`${color.bold(r.arch.padEnd(10))} ${String(r.bsps).padStart(3)} BSPs  ${color.dim(r.families.join(' '))}`);
    return 0;
  }
  const rows = tree.bsps.map((b) => ({ bsp: b.name, arch: b.arch, family: b.family, cfg: b.cfg }));
  if (opts.json) {
    printJson({ root: tree.root, rtemsVersion: tree.version?.raw ?? null, bsps: rows });
    return 0;
  }
  let arch = '';
  for (const r of rows) {
    if (r.arch !== arch) {
      arch = r.arch;
      console.log(color.bold(arch));
    }
    console.log(`  ${r.bsp.padEnd(24)} ${color.dim(r.family)}`);
  }
  console.log(color.dim(`${rows.length} BSPs, ${new Set(rows.map((r) => r.arch)).size} CPUs, RTEMS ${tree.version?.raw ?? 'version unknown'}`));
  return 0;
}

/** The rulebook (no tree needed): id, default severity, fixable, description. */
function listRules(opts: { json?: boolean }): number {
  if (opts.json) {
    printJson(allRules.map((r) => r.meta));
    return 0;
  }
  const w = Math.max(...allRules.map((r) => r.meta.id.length));
  for (const r of allRules) {
    const sev = r.meta.severity === 'error' ? color.red(r.meta.severity.padEnd(7)) : color.yellow(r.meta.severity.padEnd(7));
    console.log(`${color.bold(r.meta.id.padEnd(w))}  ${sev}  ${r.meta.fixable ? color.green('fix') : '   '}  ${r.meta.description}`);
  }
  console.log(color.dim(`${allRules.length} rules; each has a page in rules/<id>.md`));
  return 0;
}
