import { loadTree } from '../model/tree.js';
import { resolveBsp, type BspResolution } from '../resolve/resolve-bsp.js';
import { parseConfigureLine } from './configure-line.js';
import { UsageError } from './errors.js';
import { color, printJson } from './output.js';

export interface ExplainOptions {
  bsp?: string;
  arch?: string;
  configure?: string;
  json?: boolean;
}

export function explainCommand(treeArg: string | undefined, opts: ExplainOptions): number {
  let bsps: string[] = [];
  let arch = opts.arch;
  if (opts.configure) {
    const line = parseConfigureLine(opts.configure);
    bsps = line.bsps;
    arch ??= line.arch;
  }
  if (opts.bsp) bsps = opts.bsp.split(/[\s,]+/).filter(Boolean);
  if (bsps.length === 0) throw new UsageError('no BSP given', 'use --bsp NAME or --configure "--target=… --enable-rtemsbsp=NAME"');
  const tree = loadTree(treeArg ?? '.');
  const results = bsps.map((b) => resolveBsp(tree, b, arch ? { arch } : {}));
  if (opts.json) {
    printJson(results.length === 1 ? results[0] : results);
    return 0;
  }
  results.forEach((r, i) => {
    if (i > 0) console.log('');
    printHuman(r);
  });
  return 0;
}

function printHuman(r: BspResolution): void {
  const c = color;
  console.log(`${c.bold(r.bsp)}  ${c.dim(`${r.arch}, family ${r.family}`)}`);
  const width = Math.max(...r.steps.map((s) => `${s.file}:${s.line}`.length));
  r.steps.forEach((s, i) => {
    const n = String(i + 1).padStart(2);
    console.log(`${c.dim(n)} ${c.cyan(s.step.padEnd(11))} ${c.dim(`${s.file}:${s.line}`.padEnd(width))}  ${s.detail}`);
  });
  console.log('');
  const row = (k: string, v: string) => console.log(`${c.bold(k.padEnd(12))}${v}`);
  row('CPU model', r.cpuModel ?? c.yellow('(empty)'));
  row('cfg chain', r.cfgChain.map((p) => p.split('/').pop()).join(' → '));
  const conds = Object.entries(r.conditionals);
  row('conditions', conds.length ? conds.map(([k, v]) => (v ? c.green(k) : c.dim(`!${k}`))).join(' ') : c.dim('none'));
  row('libcpu', r.libcpu.rels.length ? '' : c.dim('none'));
  for (const rel of r.libcpu.rels) console.log(`  ${rel.padEnd(30)} ${c.dim((r.libcpu.sources[rel] ?? []).join(' '))}`);
  row('libbsp.a', r.libbspLibadd.length ? '' : c.dim('nothing linked'));
  for (const l of r.libbspLibadd) console.log(`  ${l}`);
  if (r.assumptions.length) {
    row('assumed', '');
    for (const a of r.assumptions) console.log(`  ${a.variable}=${a.value}  ${c.dim(`${a.why}${a.file ? ` (${a.file}:${a.line})` : ''}`)}`);
  }
  if (r.unknowns.length) {
    row('unknown', c.yellow(`${r.unknowns.length} fact(s) the model cannot decide`));
    for (const u of r.unknowns) console.log(`  ${c.dim(`${u.file}:${u.line}`)}  ${u.why}`);
  } else {
    row('unknown', c.green('none: fully resolved'));
  }
}
