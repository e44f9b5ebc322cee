/**
 * Every file the tree's own generators own, with what they would write and
 * how the committed file compares: the one place `check`
 * (`generated-files-current`), `check --fix` and `patch` ask.
 */
import type { RtemsTree } from '../model/tree.js';
import { acincludeArches, acincludeFamilies, renderAcinclude, sameArms } from './acinclude.js';
import { ampolish3Variant, generatePreinstall, preinstallTargets, sameUpToHashOrder } from './preinstall.js';

export type GeneratedStatus =
  /** byte for byte what the generator writes */
  | 'current'
  /** the same content in another order (a non-C locale `sort`, perl hash order): configure and make see no difference */
  | 'reordered'
  /** different content: regenerate it */
  | 'stale'
  /** the file is not there */
  | 'missing';

export interface GeneratedFile {
  kind: 'acinclude.m4' | 'preinstall.am';
  /** The generated file, relative to the root. */
  file: string;
  /** What it is generated from: the Makefile.am, or the directory whose family dirs are listed. */
  from: string;
  /** What the generator writes. */
  text: string;
  /** The committed text (read as latin1), undefined when missing. */
  committed: string | undefined;
  status: GeneratedStatus;
  /** First line (1-based) where committed and generated text differ; undefined when equal or missing. */
  firstDifferentLine?: number;
}

/**
 * The generated files of the tree: each `libbsp/<arch>/acinclude.m4` whose
 * configure.ac calls `RTEMS_CHECK_BSPDIR`, and each `preinstall.am` of a
 * Makefile.am that includes one (none in 5, which has no ampolish3).
 */
export function generatedFiles(tree: RtemsTree): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (const arch of acincludeArches(tree)) {
    const families = acincludeFamilies(tree, arch);
    const dir = `c/src/lib/libbsp/${arch}`;
    const text = renderAcinclude(families);
    const committed = tree.files.text(`${dir}/acinclude.m4`);
    out.push(entry('acinclude.m4', `${dir}/acinclude.m4`, tree.layout === '5' ? `bsps/${arch}` : dir, text, committed, (c) => sameArms(c, families)));
  }
  const variant = ampolish3Variant(tree);
  if (variant !== undefined) {
    for (const t of preinstallTargets(tree)) {
      const am = tree.files.text(t.makefileAm);
      if (am === undefined) continue;
      const text = generatePreinstall(am, { variant });
      out.push(entry('preinstall.am', t.preinstallAm, t.makefileAm, text, tree.files.text(t.preinstallAm), (c) => sameUpToHashOrder(c, text)));
    }
  }
  return out;
}

function entry(
  kind: GeneratedFile['kind'],
  file: string,
  from: string,
  text: string,
  committed: string | undefined,
  reordered: (c: string) => boolean,
): GeneratedFile {
  if (committed === undefined) return { kind, file, from, text, committed, status: 'missing' };
  if (committed === text) return { kind, file, from, text, committed, status: 'current' };
  return {
    kind,
    file,
    from,
    text,
    committed,
    status: reordered(committed) ? 'reordered' : 'stale',
    firstDifferentLine: firstDifferentLine(committed, text),
  };
}

/** 1-based number of the first line where a and b differ (a and b not equal). */
export function firstDifferentLine(a: string, b: string): number {
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  let line = 1;
  for (let k = 0; k < i; k++) if (a.charCodeAt(k) === 10) line++;
  return line;
}
