/**
 * Builds the monitor and the guest programs with the host compiler, at test
 * time, from monitor/ and templates/ (the same files `patch` installs).
 */
import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const T = join(ROOT, 'templates');
const GUESTS = join(ROOT, 'test', 'boot', 'guests');

/** The BSP and score files a guest links, relative to templates/ (= c/src/lib/ in a tree). */
export const TEMPLATE_SOURCES = [
  'libbsp/i386/i386virt/start/start.S',
  'libbsp/i386/i386virt/startup/bspstart-virt.c',
  'libbsp/i386/i386virt/console/console-io.c',
  'libbsp/i386/i386virt/clock/clock-virt.c',
  'libcpu/i386/i386virt/score/virt-call.S',
  'libcpu/i386/i386virt/score/cpu.c',
  'libcpu/i386/i386virt/score/cpu_asm.S',
];

export interface BuiltGuests {
  dir: string;
  monitor: string;
  exe: (name: string) => string;
}

export async function buildMonitor(outDir: string): Promise<string> {
  await execa('node', [join(ROOT, 'monitor', 'build.mjs'), outDir]);
  return join(outDir, 'rvc-monitor.elf');
}

/**
 * Builds test/boot/guests/<name>.c for each name, plus the monitor. A name `src:variant` builds
 * `src.c` with -DSRC_variant (upper-cased source name) into `src-variant.exe`. `sources` is where the
 * BSP, score and interface files come from: templates/ or a patched tree's c/src/lib/.
 */
export async function buildGuests(names: string[], defines: Record<string, string[]> = {}, sources = T): Promise<BuiltGuests> {
  const dir = await mkdtemp(join(tmpdir(), 'rvc-guests-'));
  const inc = join(dir, 'include', 'libcpu', 'virt');
  await mkdir(inc, { recursive: true });
  await copyFile(join(sources, 'libcpu/shared/virt/hypervisor.h'), join(inc, 'hypervisor.h'));
  const monitor = await buildMonitor(join(dir, 'monitor'));
  const cflags = ['-m32', '-march=i486', '-ffreestanding', '-fno-pic', '-fno-pie', '-fno-stack-protector',
    '-fno-asynchronous-unwind-tables', '-O2', '-Wall', '-Wextra', '-Werror', '-I', join(dir, 'include'), '-I', GUESTS];
  await Promise.all(
    names.map((spec) => {
      const [src, variant] = spec.split(':') as [string, string | undefined];
      const name = variant ? `${src}-${variant}` : src;
      return execa('gcc', [
        ...cflags,
        ...(variant ? [`-D${src.toUpperCase()}_${variant}`] : []),
        ...(defines[name] ?? []),
        '-nostdlib', '-static', '-no-pie', '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments',
        '-Wl,-T', join(sources, 'libbsp/i386/i386virt/startup/linkcmds'),
        '-o', join(dir, `${name}.exe`),
        ...TEMPLATE_SOURCES.map((f) => join(sources, f)),
        join(GUESTS, 'rt.c'),
        join(GUESTS, `${src}.c`),
      ]);
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
