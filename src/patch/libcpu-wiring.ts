/**
 * libcpu/<arch>: the conditionals and `.rel` objects of the split score.
 *
 * - configure.ac: `shared` is true for every model of the arch except `<arch>virt`,
 *   `<arch>virt` is true for it alone (`AM_CONDITIONAL`s on `$RTEMS_CPU_MODEL`, the
 *   libcpu/sparc64 and libcpu/sh precedents);
 * - Makefile.am: the rels that were built before move under `if shared` (they hold the
 *   native, privileged code; per-model `if` blocks included), and two rels appear:
 *   `shared/shared-score.rel` (the native score moved out of cpukit) under `if shared`,
 *   `<arch>virt/<arch>virt-score.rel` (the paravirtualized score and libcpu/shared/virt)
 *   under `if <arch>virt`, which also installs the hypervisor interface header.
 */
import { parseAutomake, type AutomakeNode } from '../parse/automake.js';
import { parseM4 } from '../parse/m4.js';
import { evaluateShellTest } from '../resolve/shell-test.js';
import { canonicalName } from '../resolve/automake-eval.js';
import type { Draft } from './draft.js';
import { eolOf, insertAt, lines, offsets, replaceRange, lineEndAfter, lineStart } from './text-edit.js';

export interface ScoreRels {
  /** e.g. `shared/shared-score.rel` */
  shared: string;
  /** e.g. `i386virt/i386virt-score.rel` */
  virt: string;
}

export function scoreRels(arch: string): ScoreRels {
  return { shared: 'shared/shared-score.rel', virt: `${arch}virt/${arch}virt-score.rel` };
}

const MODEL_TEST = (virt: string, op: '=' | '!=') => `test x"$RTEMS_CPU_MODEL" ${op} x"${virt}"`;

/**
 * Edits libcpu/<arch>/configure.ac so that `shared` excludes the virt model and `<arch>virt` selects it.
 * Returns the conditional that builds the native code: `shared`, or `!<arch>virt` when the tree
 * already has a `shared` that is false for some of its models (libcpu/powerpc: `shared` lists the
 * models that build libcpu/powerpc/shared), whose meaning the patch must not change.
 */
export function wireLibcpuConfigure(draft: Draft, arch: string, models: () => string[] = () => []): string {
  const rel = `c/src/lib/libcpu/${arch}/configure.ac`;
  let text = draft.require(rel, `libcpu/${arch} is built by its configure.ac`);
  const virt = `${arch}virt`;
  const eol = eolOf(text);
  const virtEnv = (n: string) => (n === 'RTEMS_CPU_MODEL' ? virt : undefined);

  const doc = parseM4(text, rel);
  const conds = doc.calls('AM_CONDITIONAL');
  const shared = conds.find((c) => c.args[0]?.value.trim() === 'shared');
  const hasVirt = conds.some((c) => c.args[0]?.value.trim() === virt);

  const narrower = shared ? models().filter((m) => evaluateShellTest(shared.args[1]!.value, (n) => (n === 'RTEMS_CPU_MODEL' ? m : undefined)).value !== true) : [];
  if (shared && narrower.length > 0) {
    if (!hasVirt) {
      const last = conds[conds.length - 1]!;
      text = insertAt(text, lineEndAfter(text, last.end), lines(eol, '', `## the paravirtualized ${virt} model (the native score is built under !${virt}: \`shared\` is not every model)`, `AM_CONDITIONAL([${virt}],[${MODEL_TEST(virt, '=')}])`));
      draft.write(rel, text);
    }
    return `!${virt}`;
  }
  // `shared` must be false for the virt model; keep its test for the others
  if (shared) {
    const cond = shared.args[1]!;
    const r = evaluateShellTest(cond.value, virtEnv);
    if (r.value !== false) {
      const kept = cond.value.trim();
      const replacement = kept === 'true' || kept === ':' ? `[${MODEL_TEST(virt, '!=')}]` : `[${MODEL_TEST(virt, '!=')} && ( ${kept} )]`;
      text = replaceRange(text, cond.offset, cond.offset + cond.raw.length, replacement);
    }
  }
  const doc2 = parseM4(text, rel);
  const conds2 = doc2.calls('AM_CONDITIONAL');
  const add: string[] = [];
  if (!shared) {
    add.push('', `## the native score and code for every ${arch} model but ${virt}`, `AM_CONDITIONAL([shared],[${MODEL_TEST(virt, '!=')}])`);
  }
  if (!hasVirt) {
    add.push('', `## the paravirtualized ${virt} model`, `AM_CONDITIONAL([${virt}],[${MODEL_TEST(virt, '=')}])`);
  }
  if (add.length > 0) {
    const last = conds2[conds2.length - 1];
    const anchor = doc2.calls(/^(RTEMS_AMPOLISH3|AC_CONFIG_FILES|AC_OUTPUT)$/)[0];
    let at: number;
    let block: string;
    if (last) {
      at = lineEndAfter(text, last.end);
      block = lines(eol, ...add);
    } else if (anchor) {
      at = lineStart(text, anchor.start);
      block = lines(eol, ...add, '');
    } else {
      throw new Error(`${rel}: no AM_CONDITIONAL, RTEMS_AMPOLISH3, AC_CONFIG_FILES or AC_OUTPUT to place the conditionals near`);
    }
    text = insertAt(text, at, block);
  }
  draft.write(rel, text);
  return 'shared';
}

function isRelNode(n: AutomakeNode): boolean {
  if (n.kind !== 'assign') return false;
  if (n.name === 'noinst_PROGRAMS' && n.op === '+=' && /\.rel\b/.test(n.value)) return true;
  return /_rel_[A-Za-z]+$/.test(n.name);
}

/**
 * Edits libcpu/<arch>/Makefile.am: unconditional rels go under `if shared`, the two score rels are added.
 * `sources` are paths relative to libcpu/<arch>.
 */
export function wireLibcpuMakefile(
  draft: Draft,
  arch: string,
  sources: { shared: string[]; virt: string[]; virtHeaders: string[]; virtCppflags: string },
  nativeCond = 'shared',
): void {
  const rel = `c/src/lib/libcpu/${arch}/Makefile.am`;
  let text = draft.require(rel, `libcpu/${arch} is built by its Makefile.am`);
  const eol = eolOf(text);
  const virt = `${arch}virt`;
  const rels = scoreRels(arch);

  // 1. everything libcpu/<arch> built before is native code: runs of top-level rel assignments and
  //    `if` blocks that build rels (blank lines and comments inside a run stay in it) go under `if shared`;
  //    blocks already under `if shared` or `if <arch>virt` stay as they are.
  //    A top-level `noinst_PROGRAMS = a.rel …` is split first into `noinst_PROGRAMS =` (which stays
  //    outside, every later `+=` needs it) and `noinst_PROGRAMS += a.rel …` (which can be wrapped).
  {
    const nodes = parseAutomake(text, rel).nodes;
    const first = nodes.find((n) => n.kind === 'assign' && n.name === 'noinst_PROGRAMS' && n.conditions.length === 0);
    if (first && first.kind === 'assign' && first.op === '=' && /\.rel\b/.test(first.value)) {
      const at = offsets(nodes)[nodes.indexOf(first)]!;
      const plus = first.raw.replace(/^(\s*noinst_PROGRAMS\s*)=/, '$1+=');
      text = replaceRange(text, at, at + first.raw.length, `noinst_PROGRAMS =${eol}${plus}`);
    }
  }
  {
    const doc = parseAutomake(text, rel);
    const offs = offsets(doc.nodes);
    // an `if` block that is false for the virt model is native already (per-model blocks)
    const ac = draft.read(`c/src/lib/libcpu/${arch}/configure.ac`);
    const tests = new Map((ac ? parseM4(ac, `c/src/lib/libcpu/${arch}/configure.ac`).calls('AM_CONDITIONAL') : []).map((c) => [c.args[0]?.value.trim() ?? '', c.args[1]?.value ?? '']));
    const falseForVirt = (name: string, negated: boolean): boolean => {
      const t = tests.get(name);
      if (t === undefined || name === virt) return false;
      let v: ReturnType<typeof evaluateShellTest>['value'];
      try {
        v = evaluateShellTest(t, (n) => (n === 'RTEMS_CPU_MODEL' ? virt : undefined)).value;
      } catch {
        return false;
      }
      return v === 'unknown' ? false : negated ? v === true : v === false;
    };
    // top-level items: a node, or an if…endif block
    const items: { first: number; last: number; rel: boolean; shared: boolean; filler: boolean }[] = [];
    for (let i = 0; i < doc.nodes.length; i++) {
      const n = doc.nodes[i]!;
      if (n.conditions.length > 0) continue;
      if (n.kind === 'if') {
        let j = i + 1;
        while (j < doc.nodes.length && !(doc.nodes[j]!.kind === 'endif' && doc.nodes[j]!.conditions.length === 0)) j++;
        const inner = doc.nodes.slice(i + 1, j);
        const own = (!n.condition.negated && (n.condition.name === 'shared' || n.condition.name === virt)) || (n.condition.negated && `!${n.condition.name}` === nativeCond);
        // a block the virt model never builds needs no wrapping; inside a run it goes along (like a comment)
        const neverVirt = !own && falseForVirt(n.condition.name, n.condition.negated);
        items.push({ first: i, last: j, rel: !neverVirt && inner.some(isRelNode), shared: own, filler: neverVirt });
        i = j;
      } else {
        items.push({ first: i, last: i, rel: isRelNode(n), shared: false, filler: n.kind === 'blank' || n.kind === 'comment' });
      }
    }
    const runs: [number, number][] = [];
    let start = -1;
    let lastRel = -1;
    for (const it of items) {
      if (it.rel && !it.shared) {
        if (start < 0) start = it.first;
        lastRel = it.last;
      } else if (!it.filler && start >= 0) {
        runs.push([start, lastRel]);
        start = -1;
      }
    }
    if (start >= 0) runs.push([start, lastRel]);
    for (const [s, e] of runs.reverse()) {
      const endOff = offs[e]! + doc.nodes[e]!.raw.length;
      const tail = doc.nodes[e]!.raw.endsWith('\n') ? '' : eol;
      text = insertAt(text, endOff, `${tail}endif${eol}`);
      text = insertAt(text, offs[s]!, `if ${nativeCond}${eol}`);
    }
  }

  // 2. the score rels, before `include $(srcdir)/preinstall.am` (or at the end)
  const doc = parseAutomake(text, rel);
  const built = new Set(doc.assignments('noinst_PROGRAMS').flatMap((a) => a.value.split(/\s+/)));
  const block: string[] = [];
  const relBlock = (r: string, srcs: string[], cppflags: string) => {
    const c = canonicalName(r);
    return [
      `noinst_PROGRAMS += ${r}`,
      ...wrap(`${c}_SOURCES =`, srcs, 4),
      `${c}_CPPFLAGS = ${cppflags}`,
      `${c}_LDFLAGS = $(RTEMS_RELLDFLAGS)`,
    ];
  };
  if (!built.has(rels.shared) && sources.shared.length > 0) {
    block.push(`## the native score of every ${arch} model but ${virt}`, `if ${nativeCond}`, ...relBlock(rels.shared, sources.shared, '$(AM_CPPFLAGS)'), 'endif', '');
  }
  if (!built.has(rels.virt)) {
    block.push(`## the paravirtualized score of ${virt} and the code ${arch}virt shares with other virt models`, `if ${virt}`);
    if (sources.virtHeaders.length > 0) {
      block.push('include_libcpu_virtdir = $(includedir)/libcpu/virt', ...wrap('include_libcpu_virt_HEADERS =', sources.virtHeaders, 4), '');
    }
    block.push(...relBlock(rels.virt, sources.virt, sources.virtCppflags), 'endif', '');
  }
  if (block.length > 0) {
    const offs = offsets(doc.nodes);
    const inc = doc.nodes.findIndex((n) => n.kind === 'include' && /preinstall\.am$/.test(n.path));
    const at = inc >= 0 ? offs[inc]! : text.length;
    const pre = at === text.length && !text.endsWith('\n') && text !== '' ? eol : '';
    text = insertAt(text, at, pre + lines(eol, ...block));
  }
  draft.write(rel, text);
}

/** `name = a b \` continuation lines in the style of RTEMS Makefile.am files. */
export function wrap(head: string, words: string[], indent: number): string[] {
  if (words.length === 0) return [head.replace(/ =$/, ' =')];
  if (words.length <= 2) return [`${head} ${words.join(' ')}`];
  const pad = ' '.repeat(indent);
  return [`${head} ${words[0]} \\`, ...words.slice(1).map((w, i) => `${pad}${w}${i === words.length - 2 ? '' : ' \\'}`)];
}
