/** Reads the parts of a pasted configure line that select a BSP. */
import { UsageError } from './errors.js';

export interface ConfigureLine {
  bsps: string[];
  /** The CPU of `--target=<cpu>-rtems<version>`. */
  arch?: string;
}

export function parseConfigureLine(line: string): ConfigureLine {
  const words = line.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const unquote = (s: string) => s.replace(/["']/g, '');
  let bsps: string[] = [];
  let arch: string | undefined;
  for (const w0 of words) {
    const w = unquote(w0);
    let m = w.match(/^--?enable-(?:rtems)?bsp=(.*)$/);
    if (m) bsps = m[1]!.split(/\s+/).filter(Boolean);
    m = w.match(/^--?target=([^-]+)-/);
    if (m) arch = m[1]!;
  }
  if (bsps.length === 0) {
    throw new UsageError('the configure line names no BSP', 'include --enable-rtemsbsp=NAME (or --enable-bsp=NAME)');
  }
  return arch ? { bsps, arch } : { bsps };
}
