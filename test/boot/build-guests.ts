/**
 * Builds the monitor and the guest programs (guests/) with the host compiler, at test
 * time, through src/boot/guest-build.ts, from templates/ or a patched tree.
 */
import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PACKAGE_ROOT,
  TEMPLATES_LIB,
  GUEST_PROGRAMS,
  I386VIRT_SOURCES,
  SPLIT_SOURCE,
  buildGuest,
  buildMonitor,
} from '../../src/boot/guest-build.js';

export const ROOT = PACKAGE_ROOT;
/** The BSP and score files a guest links, relative to templates/ (= c/src/lib/ in a tree). */
export const TEMPLATE_SOURCES = I386VIRT_SOURCES;
export { SPLIT_SOURCE, buildMonitor };

export interface BuiltGuests {
  dir: string;
  monitor: string;
  exe: (name: string) => string;
}

/**
 * Builds guests/<name>.c for each name, plus the monitor. A name `src:variant` builds
 * `src.c` with -DSRC_variant (upper-cased source name) into `src-variant.exe`. `sources` is where the
 * BSP, score and interface files come from: templates/ or a patched tree's c/src/lib/ (which also has
 * the score split's split.c: the program is then built with -DSRC_SPLIT).
 */
export async function buildGuests(names: string[], defines: Record<string, string[]> = {}, sources = TEMPLATES_LIB): Promise<BuiltGuests> {
  const dir = await mkdtemp(join(tmpdir(), 'rvc-guests-'));
  const monitor = await buildMonitor(join(dir, 'monitor'));
  await Promise.all(
    names.map((spec) => {
      const [src, variant] = spec.split(':') as [string, string | undefined];
      const name = variant ? `${src}-${variant}` : src;
      return buildGuest({
        lib: sources,
        programs: [join(GUEST_PROGRAMS, 'rt.c'), join(GUEST_PROGRAMS, `${src}.c`)],
        out: join(dir, `${name}.exe`),
        work: dir,
        extra: [
          ...(variant ? [`-D${src.toUpperCase()}_${variant}`] : []),
          ...(sources === TEMPLATES_LIB ? [] : [`-D${src.toUpperCase()}_SPLIT`]),
          ...(defines[name] ?? []),
        ],
      });
    }),
  );
  return { dir, monitor, exe: (name) => join(dir, `${name}.exe`) };
}

/** Address of a symbol in a built executable (nm). */
export async function symbolAddress(exe: string, symbol: string): Promise<number> {
  const { stdout } = await execa('nm', [exe]);
  const line = stdout.split('\n').find((l) => l.endsWith(` ${symbol}`));
  if (!line) throw new Error(`${symbol} not in ${exe}`);
  return parseInt(line.split(' ')[0]!, 16);
}
