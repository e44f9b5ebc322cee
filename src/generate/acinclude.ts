/**
 * `c/src/lib/libbsp/<arch>/acinclude.m4` as the tree's `bootstrap` writes it.
 *
 * `generate_bspdir_acinclude` (4.10 and 4.11, the same here-document text in
 * both) runs in every directory whose configure.ac mentions
 * `RTEMS_CHECK_BSPDIR` and writes one case arm per directory holding a
 * `bsp_specs` file. The order of the arms:
 *
 * - 4.11: `LANG=C LC_COLLATE=C ls *\/bsp_specs | sort`. Only `ls` runs in the C
 *   locale; `sort` runs in the caller's. In the C locale (and C.UTF-8) that is
 *   byte order of the lines `<family>/bsp_specs`, which is not quite byte order
 *   of the names: `/` sorts after `-` and `.`, so `xilinx-zynq` comes before
 *   `xilinx`. In a glibc `en_US.UTF-8` locale `sort` ignores punctuation and
 *   case at first level and gives another order (`virtex4 virtex5 virtex` in
 *   4.11 powerpc, `bf537Stamp eZKit533 TLL6527M` in bfin).
 * - 4.10: the shell glob `*\/bsp_specs`: dash sorts it with strcmp, the same
 *   byte order.
 * - 5: bootstrap no longer writes the file (it is maintained by hand); the
 *   families are `bsps/<arch>/<family>/start/bsp_specs` and every committed
 *   file has exactly this text in byte order.
 *
 * Every committed `acinclude.m4` of 4.10, 4.11 and 5 equals this generator in
 * byte order, so byte order is what "current" means. The arms are disjoint
 * literal patterns, so an order produced under another locale selects the
 * same family for every BSP; `sameArms` tells such a file apart from a stale
 * one.
 */
import type { RtemsTree } from '../model/tree.js';

/**
 * The text for these family directory names, in the order given (see
 * `bootstrapOrder` for the order bootstrap gives them).
 */
export function renderAcinclude(familyNames: readonly string[]): string {
  let s = '# RTEMS_CHECK_BSPDIR(RTEMS_BSP_FAMILY)\nAC_DEFUN([RTEMS_CHECK_BSPDIR],\n[\n  case "$1" in\n';
  for (const d of familyNames) s += `  ${d} )\n    AC_CONFIG_SUBDIRS([${d}]);;\n`;
  s += '  *)\n    AC_MSG_ERROR([Invalid BSP]);;\n  esac\n])\n';
  return s;
}

/**
 * Family names in the order `ls *\/bsp_specs | sort` gives them in the C
 * locale: byte order of `<name>/bsp_specs` (the same for `<name>/start/bsp_specs`).
 */
export function bootstrapOrder(familyNames: readonly string[]): string[] {
  const key = new Map(familyNames.map((n) => [n, Buffer.from(`${n}/`, 'utf8')]));
  return [...familyNames].sort((a, b) => Buffer.compare(key.get(a)!, key.get(b)!));
}

/**
 * The families of one arch in the tree (dirs with `bsp_specs`), in bootstrap
 * order; a hidden directory is not one (the shell glob `*` skips it).
 */
export function acincludeFamilies(tree: RtemsTree, arch: string): string[] {
  return bootstrapOrder(tree.families.filter((f) => f.arch === arch && !f.name.startsWith('.')).map((f) => f.name));
}

/** What bootstrap writes (or, for 5, what the hand-kept file holds when current) for `libbsp/<arch>/acinclude.m4`. */
export function generateAcinclude(tree: RtemsTree, arch: string): string {
  return renderAcinclude(acincludeFamilies(tree, arch));
}

/**
 * The arches whose `libbsp/<arch>/acinclude.m4` bootstrap generates: those
 * whose `libbsp/<arch>/configure.ac` mentions `RTEMS_CHECK_BSPDIR` (the grep
 * bootstrap runs). In 5 the same configure.ac files say which arches keep one.
 */
export function acincludeArches(tree: RtemsTree): string[] {
  const out: string[] = [];
  for (const e of tree.files.list('c/src/lib/libbsp')) {
    if (!e.dir) continue;
    const ac = tree.files.text(`c/src/lib/libbsp/${e.name}/configure.ac`);
    if (ac !== undefined && ac.includes('RTEMS_CHECK_BSPDIR')) out.push(e.name);
  }
  return out;
}

/**
 * True when `text` is this generator's output for the same families in some
 * other order (what bootstrap writes when `sort` runs in a non-C locale):
 * configure behaves the same, only the bytes differ.
 */
export function sameArms(text: string, familyNames: readonly string[]): boolean {
  const m = /^# RTEMS_CHECK_BSPDIR\(RTEMS_BSP_FAMILY\)\nAC_DEFUN\(\[RTEMS_CHECK_BSPDIR\],\n\[\n {2}case "\$1" in\n((?: {2}\S+ \)\n {4}AC_CONFIG_SUBDIRS\(\[\S+\]\);;\n)*) {2}\*\)\n {4}AC_MSG_ERROR\(\[Invalid BSP\]\);;\n {2}esac\n\]\)\n$/.exec(text);
  if (!m) return false;
  const arms = [...m[1]!.matchAll(/ {2}(\S+) \)\n {4}AC_CONFIG_SUBDIRS\(\[(\S+)\]\);;\n/g)];
  if (arms.some((a) => a[1] !== a[2])) return false;
  const got = arms.map((a) => a[1]!).sort();
  const want = [...familyNames].sort();
  return got.length === want.length && got.every((g, i) => g === want[i]);
}
