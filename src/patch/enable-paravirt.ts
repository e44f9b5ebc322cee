/**
 * `--remove-enable-paravirt`: takes out the `--enable-paravirt` configure option that RTEMS
 * 4.11 added (aclocal/enable-paravirt.m4 defining RTEMS_ENABLE_PARAVIRT, its calls, and the
 * RTEMS_CPUOPT that turns it into RTEMS_PARAVIRT in cpuopts.h). Choosing the `<arch>virt`
 * BSP is the switch; no option is needed. Whole lines go, so the diff is what a maintainer
 * would write by hand.
 */
import { parseM4 } from '../parse/m4.js';
import type { RtemsTree } from '../model/tree.js';
import type { Draft } from './draft.js';

export interface ParavirtOption {
  /** Files that define RTEMS_ENABLE_PARAVIRT. */
  definitions: string[];
  /** configure.ac files that use it (a call of RTEMS_ENABLE_PARAVIRT or an RTEMS_CPUOPT of RTEMS_PARAVIRT). */
  uses: { file: string; line: number }[];
}

/** The configure.ac files of the tree (every directory), in byte order. */
function configureFiles(tree: RtemsTree): string[] {
  return tree.files.walk('.').filter((f) => f === 'configure.ac' || f.endsWith('/configure.ac'));
}

const CALL_LINE = /^[ \t]*RTEMS_ENABLE_PARAVIRT[ \t]*(?:\(\s*\))?[ \t]*(?:dnl.*|#.*)?\r?\n/gm;

export function findParavirtOption(tree: RtemsTree): ParavirtOption {
  const definitions: string[] = [];
  for (const dir of ['aclocal', 'cpukit/aclocal', 'c/aclocal', 'c/src/aclocal']) {
    for (const e of tree.files.list(dir)) {
      const rel = `${dir}/${e.name}`;
      if (!e.dir && e.name.endsWith('.m4') && /AC_DEFUN\(\s*\[?RTEMS_ENABLE_PARAVIRT\b/.test(tree.files.text(rel) ?? '')) definitions.push(rel);
    }
  }
  const uses: { file: string; line: number }[] = [];
  for (const f of configureFiles(tree)) {
    const text = tree.files.text(f);
    if (text === undefined || !/PARAVIRT/.test(text)) continue;
    for (const m of text.matchAll(CALL_LINE)) uses.push({ file: f, line: text.slice(0, m.index).split('\n').length });
    for (const c of parseM4(text, f).calls('RTEMS_CPUOPT')) {
      if (c.args[0]?.value.trim() === 'RTEMS_PARAVIRT') uses.push({ file: f, line: c.line });
    }
  }
  return { definitions, uses };
}

/** Removes the option from the draft; returns the files touched. */
export function removeParavirtOption(tree: RtemsTree, draft: Draft): string[] {
  const found = findParavirtOption(tree);
  const touched = new Set<string>();
  for (const d of found.definitions) {
    draft.remove(d);
    touched.add(d);
  }
  for (const f of new Set(found.uses.map((u) => u.file))) {
    let text = draft.require(f, 'configure.ac using RTEMS_ENABLE_PARAVIRT');
    text = text.replace(CALL_LINE, '');
    const calls = parseM4(text, f)
      .calls('RTEMS_CPUOPT')
      .filter((c) => c.args[0]?.value.trim() === 'RTEMS_PARAVIRT')
      .sort((a, b) => b.start - a.start);
    for (const c of calls) {
      const start = text.lastIndexOf('\n', c.start - 1) + 1;
      let end = text.indexOf('\n', c.end);
      end = end < 0 ? text.length : end + 1;
      // and one blank line that separated it from what follows, when one precedes it too
      const blankBefore = start >= 2 && text.slice(text.lastIndexOf('\n', start - 2) + 1, start).trim() === '';
      const nextEnd = text.indexOf('\n', end);
      if (blankBefore && nextEnd >= 0 && text.slice(end, nextEnd).trim() === '') end = nextEnd + 1;
      text = text.slice(0, start) + text.slice(end);
    }
    draft.write(f, text);
    touched.add(f);
  }
  return [...touched];
}
