/**
 * The `<arch>virt` BSP family at c/src/lib/libbsp/<arch>/<arch>virt: the arch's own files from
 * templates/libbsp/<arch>/<arch>virt, the code every `<arch>virt` BSP shares from
 * c/src/lib/libcpu/shared/virt/bsp (built from there, `../../../libcpu/shared/virt/bsp/<file>`;
 * its `tm27.h` is installed as `<tm27.h>` and its other headers as `<bsp/<name>>`), and the
 * autotools files around them written here in
 * the shape of the tree's own families (AC_PREREQ, AC_INIT's bug address and the automake
 * version are taken from a sibling family, so the new family bootstraps with the same tools).
 */
import { parseM4 } from '../parse/m4.js';
import type { RtemsTree } from '../model/tree.js';
import type { Draft } from './draft.js';
import { templateFiles, SHARED_VIRT_BSP_DIR, type TemplateFile } from './templates.js';
import { wrap } from './libcpu-wiring.js';
import { libcpuLink } from './family-link.js';

export interface VirtBspOptions {
  arch: string;
  /** The rel of the paravirtualized score, relative to libcpu/<arch>. */
  virtScoreRel: string;
  /** CPU_CFLAGS of the virt cfg. */
  cpuCflags: string;
}

export function virtFamilyDir(arch: string): string {
  return `c/src/lib/libbsp/${arch}/${arch}virt`;
}

interface SiblingFacts {
  prereq: string;
  bugAddress: string;
  automakeOptions: string;
}

function siblingFacts(tree: RtemsTree, draft: Draft, arch: string): SiblingFacts {
  const fallback: SiblingFacts = { prereq: '2.69', bugAddress: 'https://devel.rtems.org/newticket', automakeOptions: 'no-define nostdinc foreign 1.12.2' };
  for (const fam of tree.families.filter((f) => f.arch === arch && f.name !== `${arch}virt`)) {
    const rel = `${fam.dir}/configure.ac`;
    const text = draft.read(rel);
    if (text === undefined) continue;
    const doc = parseM4(text, rel);
    const prereq = doc.calls('AC_PREREQ')[0]?.args[0]?.value.trim();
    const init = doc.calls('AC_INIT')[0];
    const am = doc.calls('AM_INIT_AUTOMAKE')[0]?.args[0]?.value.trim();
    if (prereq && init && am) return { prereq, bugAddress: init.args[2]?.value.trim() ?? fallback.bugAddress, automakeOptions: am };
  }
  return fallback;
}

/** Writes the family; returns the created paths. */
export function createVirtFamily(tree: RtemsTree, draft: Draft, opts: VirtBspOptions): string[] {
  const { arch } = opts;
  const virt = `${arch}virt`;
  const dir = virtFamilyDir(arch);
  const drivers = templateFiles(`libbsp/${arch}/${virt}`);
  const facts = siblingFacts(tree, draft, arch);
  const created: string[] = [];
  const put = (rel: string, text: string, mode?: number) => {
    draft.write(`${dir}/${rel}`, text, mode);
    created.push(`${dir}/${rel}`);
  };
  const local = (t: TemplateFile) => t.rel.slice(`libbsp/${arch}/${virt}/`.length);

  for (const t of drivers) put(local(t), t.text, t.mode);

  const files = drivers.map(local);
  const start = files.filter((f) => /^start\/.*\.S$/.test(f));
  const linkcmds = files.filter((f) => /(^|\/)linkcmds[^/]*$/.test(f));
  const headers = files.filter((f) => /^include\/[^/]+\.h$/.test(f));
  const sources = files.filter((f) => /\.(c|S)$/.test(f) && !start.includes(f));
  // the shared BSP code, built from libcpu/shared/virt/bsp (plan.ts writes it there)
  const shared = templateFiles(SHARED_VIRT_BSP_DIR).map((t) => `../../../${t.rel}`);
  sources.push(...shared.filter((f) => /\.(c|S)$/.test(f)));
  headers.push(...shared.filter((f) => f.endsWith('/tm27.h')));
  const bspHeaders = shared.filter((f) => f.endsWith('.h') && !f.endsWith('/tm27.h'));

  put(
    'configure.ac',
    [
      '## Process this file with autoconf to produce a configure script.',
      '',
      `AC_PREREQ([${facts.prereq}])`,
      `AC_INIT([rtems-c-src-lib-libbsp-${arch}-${virt}],[_RTEMS_VERSION],[${facts.bugAddress}])`,
      'AC_CONFIG_SRCDIR([bsp_specs])',
      'RTEMS_TOP(../../../../../..)',
      '',
      'RTEMS_CANONICAL_TARGET_CPU',
      `AM_INIT_AUTOMAKE([${facts.automakeOptions}])`,
      'RTEMS_BSP_CONFIGURE',
      '',
      'RTEMS_PROG_CC_FOR_TARGET',
      'RTEMS_CANONICALIZE_TOOLS',
      'RTEMS_PROG_CCAS',
      '',
      'RTEMS_BSP_CLEANUP_OPTIONS(0, 0)',
      '',
      '# Explicitly list all Makefiles here',
      'AC_CONFIG_FILES([Makefile])',
      'AC_OUTPUT',
      '',
    ].join('\n'),
  );

  const am: string[] = [
    'ACLOCAL_AMFLAGS = -I ../../../../aclocal',
    '',
    'include $(top_srcdir)/../../../../automake/compile.am',
    'include $(top_srcdir)/../../bsp.am',
    '',
    `## ${virt}: the paravirtualized ${arch} BSP. It runs deprivileged under a hypervisor and`,
    '## reaches interrupts, the timer and devices only through libcpu/shared/virt.',
    '',
    'include_bspdir = $(includedir)/bsp',
    '',
    'dist_project_lib_DATA = bsp_specs',
    '',
  ];
  if (headers.length > 0) am.push(...wrap('include_HEADERS =', headers, 4));
  if (bspHeaders.length > 0) am.push(...wrap('include_bsp_HEADERS =', bspHeaders, 4));
  am.push('nodist_include_HEADERS = include/bspopts.h', 'nodist_include_bsp_HEADERS = ../../shared/include/bootcard.h', 'DISTCLEANFILES = include/bspopts.h', '');
  am.push('noinst_PROGRAMS =', '');
  if (start.length > 0) {
    am.push('noinst_LIBRARIES = libbspstart.a', ...wrap('libbspstart_a_SOURCES =', start, 4), 'project_lib_DATA = start.$(OBJEXT)', '');
  }
  if (linkcmds.length > 0) am.push(...wrap('dist_project_lib_DATA +=', linkcmds, 4), '');
  am.push(
    `noinst_LIBRARIES ${start.length > 0 ? '+=' : '='} libbsp.a`,
    ...wrap('libbsp_a_SOURCES =', sources, 4),
    `libbsp_a_CPPFLAGS = $(AM_CPPFLAGS)`,
    `libbsp_a_LIBADD = ${libcpuLink(opts.virtScoreRel)}`,
    '',
    'include $(srcdir)/preinstall.am',
    'include $(top_srcdir)/../../../../automake/local.am',
    '',
  );
  put('Makefile.am', am.join('\n'));

  put(
    'bsp_specs',
    [
      '%rename endfile old_endfile',
      '%rename startfile old_startfile',
      '%rename link old_link',
      '',
      '*endfile:',
      '%{!qrtems: %(old_endfile)} \\',
      '%{!nostdlib: %{qrtems: crtend.o%s crtn.o%s}}',
      '',
      '*startfile:',
      '%{!qrtems: %(old_startfile)} \\',
      '%{!nostdlib: %{qrtems: start.o%s crti.o%s crtbegin.o%s -e start}}',
      '',
      '*link:',
      '%{!qrtems: %(old_link)} %{qrtems: -dc -dp -N}',
      '',
    ].join('\n'),
  );

  put(
    `make/custom/${virt}.cfg`,
    [
      '#',
      `#  Config file for ${virt}, the paravirtualized ${arch} BSP`,
      '#',
      '',
      'include $(RTEMS_ROOT)/make/custom/default.cfg',
      '',
      `RTEMS_CPU=${arch}`,
      `RTEMS_CPU_MODEL=${virt}`,
      '',
      '#  This contains the compiler options necessary to select the CPU model',
      '#  and (hopefully) optimize for it.',
      `CPU_CFLAGS = ${opts.cpuCflags}`,
      '',
      '# optimize flag: typically -O2',
      'CFLAGS_OPTIMIZE_V = -O2 -g',
      '',
    ].join('\n'),
  );
  return created;
}
