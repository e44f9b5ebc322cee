/**
 * Code that several `<arch>virt` models share is written once, in
 * `c/src/lib/libcpu/shared/virt/`: the same file copied into two
 * `<arch>virt` directories is reported on every copy after the first.
 */
import { createHash } from 'node:crypto';
import { defineRule, filesUnder, virtNameOf } from '../check/rule-helpers.js';
import { indexOf } from '../check/sources.js';

const SOURCE = /\.(?:c|h|S|s|inl)$/;

/** The text with comments and all whitespace runs folded, so a re-indented copy is still a copy. */
function normalizedSource(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export default defineRule(
  {
    id: 'shared-virt-in-libcpu-shared',
    severity: 'warning',
    description: 'Code that two <arch>virt models share lives in libcpu/shared/virt, not copied into each.',
    discussion: 'Probably many para-virtualized targets could even be shared in libcpu/shared/virt/.',
    fixable: false,
  },
  async (ctx) => {
    const { tree, files, scope } = ctx;
    const arches = [...new Set([...tree.arches, ...tree.bsps.map((b) => b.arch)])].sort();
    const dirs: { arch: string; dir: string }[] = [];
    for (const arch of arches) {
      const v = virtNameOf(arch);
      for (const d of [`c/src/lib/libcpu/${arch}/${v}`, `c/src/lib/libbsp/${arch}/${v}`, `bsps/${arch}/${v}`]) if (files.isDir(d)) dirs.push({ arch, dir: d });
    }
    if (new Set(dirs.map((d) => d.arch)).size < 2) return;
    const first = new Map<string, { file: string; arch: string }>();
    const copied = new Set<string>();
    for (const { arch, dir } of dirs) {
      for (const f of filesUnder(ctx, dir)) {
        if (!SOURCE.test(f)) continue;
        const norm = normalizedSource(files.text(f) ?? '');
        if (norm.length < 80) continue; // a stub or an include line is not shared code
        const h = createHash('sha1').update(norm).digest('hex');
        const seen = first.get(h);
        if (!seen) {
          first.set(h, { file: f, arch });
          continue;
        }
        if (seen.arch === arch || !scope.hasArch(arch)) continue;
        copied.add(f);
        ctx.report({
          file: f,
          line: 1,
          message: `same code as ${seen.file}: move it to c/src/lib/libcpu/shared/virt/ and build it from there for both ${seen.arch} and ${arch}`,
        });
      }
    }
    // the same function in the C files of two arches (the files themselves differ)
    const firstFn = new Map<string, { file: string; line: number; arch: string }>();
    for (const arch of [...new Set(dirs.map((d) => d.arch))]) {
      const cFiles = dirs
        .filter((d) => d.arch === arch)
        .flatMap(({ dir }) => filesUnder(ctx, dir).filter((f) => f.endsWith('.c') && !copied.has(f)));
      if (cFiles.length === 0) continue;
      const idx = await indexOf(ctx, arch, cFiles);
      for (const fi of idx.files) {
        const text = files.text(fi.file) ?? '';
        for (const fn of fi.functions) {
          const body = normalizedSource(text.slice(fn.body.start, fn.body.end));
          if (body.length < 80) continue;
          const h = createHash('sha1').update(`${fn.name}\0${body}`).digest('hex');
          const seen = firstFn.get(h);
          if (!seen) {
            firstFn.set(h, { file: fi.file, line: fn.span.line, arch });
            continue;
          }
          if (seen.arch === arch || !scope.hasArch(arch)) continue;
          ctx.report({
            file: fi.file,
            line: fn.span.line,
            message: `${fn.name} is the same code as in ${seen.file}:${seen.line}: move it to c/src/lib/libcpu/shared/virt/ and build it from there for both ${seen.arch} and ${arch}`,
          });
        }
      }
    }
  },
);
