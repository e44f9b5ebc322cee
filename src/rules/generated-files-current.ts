/**
 * `libbsp/<arch>/acinclude.m4` and every `preinstall.am` are what the tree's
 * own `bootstrap` (and `ampolish3`) would write from the current layout. A
 * stale one hides a new BSP from configure or installs the wrong headers.
 * A difference that changes nothing for configure (acinclude arms in another
 * locale's sort order) is not reported.
 */
import { generateAcinclude, acincludeArches, acincludeFamilies, sameArms } from '../generate/acinclude.js';
import { generatePreinstall, preinstallTargets, ampolish3Variant, sameUpToHashOrder, type PreinstallTarget } from '../generate/preinstall.js';
import { defineRule, filesNamed } from '../check/rule-helpers.js';
import type { RuleContext } from '../check/types.js';

export interface StaleFile {
  /** The generated file, relative to the root. */
  file: string;
  /** What it should hold, byte for byte (latin1). */
  expected: string;
  /** What it holds, or undefined when missing. */
  actual: string | undefined;
  /** The input it is generated from. */
  source: string;
  generator: 'bootstrap' | 'ampolish3';
}

/** The generated files of the run's scope that differ from what bootstrap would write. */
export function staleGeneratedFiles(ctx: Pick<RuleContext, 'tree' | 'files' | 'scope'> & Partial<Pick<RuleContext, 'memo'>>): StaleFile[] {
  const { tree, files, scope } = ctx;
  const out: StaleFile[] = [];
  for (const arch of acincludeArches(tree)) {
    if (!scope.hasArch(arch)) continue;
    const file = `c/src/lib/libbsp/${arch}/acinclude.m4`;
    const families = acincludeFamilies(tree, arch);
    const actual = files.text(file);
    const expected = generateAcinclude(tree, arch);
    if (actual === expected) continue;
    if (actual !== undefined && sameArms(actual, families)) continue;
    out.push({ file, expected, actual, source: `c/src/lib/libbsp/${arch}/configure.ac`, generator: 'bootstrap' });
  }
  const variant = ampolish3Variant(tree);
  if (variant !== undefined) {
    for (const t of preinstallTargetsOf(ctx)) {
      if (!scope.hasFile(t.preinstallAm)) continue;
      const am = files.text(t.makefileAm);
      if (am === undefined) continue;
      const expected = generatePreinstall(am, { variant });
      const actual = files.text(t.preinstallAm);
      if (actual === expected) continue;
      // 4.10's ampolish3 prints its header blocks in perl hash order: another order changes nothing for automake
      if (actual !== undefined && variant === 'perl-hash-order' && sameUpToHashOrder(actual, expected)) continue;
      out.push({ file: t.preinstallAm, expected, actual, source: t.makefileAm, generator: 'ampolish3' });
    }
  }
  return out;
}

/**
 * The Makefile.am files bootstrap -p regenerates a preinstall.am for, from
 * the run's one walk of the tree. Same selection as `preinstallTargets` of
 * src/generate (a line `include …/preinstall.am`), without a second walk.
 */
export function preinstallTargetsOf(ctx: Pick<RuleContext, 'tree' | 'files'> & Partial<Pick<RuleContext, 'memo'>>): PreinstallTarget[] {
  if (!ctx.memo) return preinstallTargets(ctx.tree);
  return filesNamed(ctx as RuleContext, 'Makefile.am')
    .filter((f) => /include [^\n]*\/preinstall\.am/.test(ctx.files.text(f) ?? ''))
    .map((f) => ({ makefileAm: f, preinstallAm: `${f.slice(0, -'Makefile.am'.length)}preinstall.am` }));
}

/** First line where two texts differ (1-based). */
function firstDifferentLine(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1;
  return 1;
}

export default defineRule(
  {
    id: 'generated-files-current',
    severity: 'error',
    description: "Every acinclude.m4 and preinstall.am equals what the tree's bootstrap (ampolish3) would generate.",
    discussion: 'With the --enable-virt flag the autoconf files can be notifed about the different directory structure. (Generated autoconf files must follow the layout.)',
    fixable: true,
  },
  (ctx) => {
    for (const s of staleGeneratedFiles(ctx)) {
      const how = s.generator === 'bootstrap' ? 'bootstrap' : 'bootstrap -p (ampolish3)';
      if (s.actual === undefined) {
        const amText = ctx.files.text(s.source) ?? '';
        const inc = amText.split('\n').findIndex((l) => /include [^\n]*\/preinstall\.am/.test(l));
        ctx.report({
          file: s.source,
          line: inc >= 0 ? inc + 1 : 1,
          message: `${s.file} is missing: run ${how} or check --fix to generate it from ${s.source}`,
        });
        continue;
      }
      const line = firstDifferentLine(s.actual, s.expected);
      const want = s.expected.split('\n')[line - 1];
      ctx.report({
        file: s.file,
        line,
        message: `stale: ${how} would write ${want === undefined ? 'nothing' : want.trim() === '' ? 'an empty line' : `\`${want.trim().slice(0, 60)}\``} here (from ${s.source}); run ${how} or check --fix`,
      });
    }
  },
);
