/**
 * Every existing BSP family of the arch links the native score rel that the split
 * moved out of cpukit: `libbsp_a_LIBADD += ../../../libcpu/@RTEMS_CPU@/shared/shared-score.rel`,
 * written after the family's last unconditional `libbsp_a_LIBADD` line.
 */
import { parseAutomake } from '../parse/automake.js';
import type { Draft } from './draft.js';
import { eolOf, insertAt, offsets } from './text-edit.js';

export function libcpuLink(rel: string): string {
  return `../../../libcpu/@RTEMS_CPU@/${rel}`;
}

/** Adds the link to one family's Makefile.am unless some line already links it. Returns false when the family has no libbsp.a. */
export function linkScoreRel(draft: Draft, familyDir: string, rel: string): boolean {
  const file = `${familyDir}/Makefile.am`;
  const text = draft.read(file);
  if (text === undefined) return false;
  const doc = parseAutomake(text, file);
  const link = libcpuLink(rel);
  const adds = doc.assignments('libbsp_a_LIBADD');
  if (adds.some((a) => a.value.split(/\s+/).includes(link))) return true;
  const hasLib = doc.assignments('noinst_LIBRARIES').some((a) => /\blibbsp\.a\b/.test(a.value));
  if (!hasLib && adds.length === 0) return false;
  const eol = eolOf(text);
  const offs = offsets(doc.nodes);
  const top = adds.filter((a) => a.conditions.length === 0);
  let at: number;
  let line: string;
  if (top.length > 0) {
    const last = top[top.length - 1]!;
    const i = doc.nodes.indexOf(last);
    at = offs[i]! + last.raw.length;
    line = `${last.raw.endsWith('\n') ? '' : eol}libbsp_a_LIBADD += ${link}${eol}`;
  } else {
    // only conditional lines (or none): append after everything, before preinstall.am's include
    const inc = doc.nodes.findIndex((n) => n.kind === 'include' && /preinstall\.am$/.test(n.path));
    at = inc >= 0 ? offs[inc]! : text.length;
    line = `${at === text.length && !text.endsWith('\n') ? eol : ''}libbsp_a_LIBADD ${adds.length > 0 ? '+=' : '='} ${link}${eol}`;
  }
  draft.write(file, insertAt(text, at, line));
  return true;
}
