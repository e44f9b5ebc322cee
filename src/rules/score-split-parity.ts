/**
 * Both score variants of a split arch define the same external symbols:
 * whatever `libcpu/<arch>/shared/score` provides to cpukit,
 * `libcpu/<arch>/<arch>virt/score` provides too (and the other way round),
 * or one of the two models does not link.
 */
import { defineRule, virtNameOf } from '../check/rule-helpers.js';
import { builtScoreCpuFiles, indexOf, sourcesUnder, virtArches } from '../check/sources.js';
import { definedSymbols, isDeadBranch, type DefinedSymbol } from '../source-index/index.js';

export default defineRule(
  {
    id: 'score-split-parity',
    severity: 'error',
    description: 'Both score variants of a split arch define the same external symbols.',
    discussion:
      'provide the existing score implementation of privileged/sensitive operations as a libcpu/${arch}/shared/score directory, and libcpu/${arch}/${arch}virt/score to contain the para-virtualized ISR handling and context switch code',
    fixable: false,
  },
  async (ctx) => {
    if (ctx.tree.layout === '5') return;
    for (const arch of virtArches(ctx)) {
      const v = virtNameOf(arch);
      const nativeDir = `c/src/lib/libcpu/${arch}/shared/score`;
      const virtDir = `c/src/lib/libcpu/${arch}/${v}/score`;
      const native = sourcesUnder(ctx, nativeDir).filter((f) => !f.endsWith('.h'));
      const virt = [...sourcesUnder(ctx, virtDir), ...sourcesUnder(ctx, 'c/src/lib/libcpu/shared/virt')].filter((f) => !f.endsWith('.h'));
      if (native.length === 0 || virt.length === 0) continue; // score-split-present reports the missing half
      const defs = async (files: string[]) => {
        const idx = await indexOf(ctx, arch, files);
        const m = new Map<string, DefinedSymbol>();
        for (const s of definedSymbols(idx)) if (!isDeadBranch(s.conditions) && !s.inline && !m.has(s.name)) m.set(s.name, s);
        return m;
      };
      const a = await defs(native);
      const b = await defs(virt);
      // what the score port needs from the split: names it calls (in functions, macros and assembler) and does not define itself
      const score = await indexOf(ctx, arch, builtScoreCpuFiles(ctx, arch));
      const own = new Set(definedSymbols(score).map((s) => s.name));
      const needed = new Set<string>();
      for (const f of score.files) {
        for (const fn of f.functions) for (const r of fn.refs) needed.add(r.name);
        for (const m of f.macros) for (const r of m.refs) needed.add(r.name);
        for (const st of f.asmFile?.statements ?? []) for (const w of st.operands.match(/[A-Za-z_.$][\w.$]*/g) ?? []) needed.add(w.replace(/^_(?=_?[A-Z])/, '_'));
      }
      for (const n of own) needed.delete(n);
      // native models may get a symbol from elsewhere: the arch's shared BSP code (sparc 4.11: the
      // context switch is in libbsp/sparc/shared/irq_asm.S) or other native libcpu code (powerpc 4.11:
      // libcpu/powerpc/new-exceptions). Look there, only for the names missing.
      const bspShared = [...sourcesUnder(ctx, `c/src/lib/libbsp/${arch}/shared`), ...sourcesUnder(ctx, `c/src/lib/libcpu/${arch}`)].filter(
        (f) => /\.(c|S|s)$/.test(f) && !f.startsWith(`${virtDir.replace(/\/score$/, '')}/`),
      );
      const inBspShared = async (name: string): Promise<boolean> => {
        const re = new RegExp(`\\b${name}\\b`);
        const files = bspShared.filter((f) => re.test(ctx.files.text(f) ?? ''));
        if (files.length === 0) return false;
        return (await defs(files)).has(name);
      };
      const missing = async (from: Map<string, DefinedSymbol>, to: Map<string, DefinedSymbol>, toDir: string, model: string) => {
        for (const [name, s] of from) {
          if (to.has(name) || !needed.has(name)) continue;
          if (model === 'native' && (await inBspShared(name))) continue;
          ctx.report({
            file: s.file,
            line: s.line,
            message: `${name}, which cpukit/score/cpu/${arch} calls, is defined here but not in ${toDir}/: the ${model} model would not link; give ${toDir} its own ${name}`,
          });
        }
      };
      await missing(a, b, virtDir, `${v}`);
      await missing(b, a, nativeDir, 'native');
    }
  },
);
