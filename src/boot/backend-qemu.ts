/**
 * The optional backend: qemu-system-i386 with the same monitor (`-kernel`) and
 * the guest as its multiboot module (`-initrd`). One process per boot, killed
 * the moment the result is known.
 */
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, BackendRun, BackendRunOptions } from './backend.js';

export const QEMU_BINARY = 'qemu-system-i386';

/** A stock BSP's executable booted directly (the pc386 way): its console on COM1, no reboot. */
export function qemuStockArgs(kernel: string, cmdline: string): string[] {
  return ['-nodefaults', '-machine', 'pc', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-kernel', kernel, '-append', cmdline];
}

export function qemuArgs(kernel: string, initrd: string, cmdline: string): string[] {
  return [
    '-nodefaults',
    '-machine', 'pc',
    '-m', '32',
    '-display', 'none',
    '-monitor', 'none',
    '-serial', 'stdio',
    '-serial', 'null', // COM2, a pass-through candidate the guest may request
    '-kernel', kernel,
    '-initrd', initrd,
    '-append', cmdline,
  ];
}

export const qemuBackend: Backend = {
  name: 'qemu',
  async run(options: BackendRunOptions): Promise<BackendRun> {
    const started = performance.now();
    const dir = await mkdtemp(join(tmpdir(), 'rvc-qemu-'));
    const stock = options.monitor === null;
    const kernel = join(dir, stock ? 'guest.elf' : 'rvc-monitor.elf');
    const initrd = join(dir, 'guest.elf');
    if (options.monitor) await writeFile(kernel, options.monitor);
    await writeFile(initrd, options.guest);
    const args = stock ? qemuStockArgs(kernel, options.cmdline) : qemuArgs(kernel, initrd, options.cmdline);
    try {
      return await new Promise<BackendRun>((resolve) => {
        let finished = false;
        const child = execa(QEMU_BINARY, args, {
          stdin: 'ignore',
          stdout: 'pipe',
          stderr: 'pipe',
          reject: false,
          buffer: false,
        });
        let stderr = '';
        const finish = (ending: BackendRun['ending'], error?: string) => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          child.kill('SIGKILL');
          const ms = performance.now() - started;
          resolve(error ? { ending, ms, error } : { ending, ms });
        };
        const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
        child.stdout?.on('data', (chunk: Buffer) => {
          if (finished) return;
          for (const b of chunk) {
            options.console.pushByte(b);
            if (options.console.done) {
              finish('done');
              return;
            }
          }
        });
        child.stderr?.on('data', (chunk: Buffer) => {
          if (stderr.length < 4096) stderr += chunk.toString('utf8');
        });
        void child.then((result) => {
          // Let the last stdout bytes arrive before deciding.
          setImmediate(() => {
            if (finished) return;
            if ((result as { code?: string }).code === 'ENOENT') {
              finish('exited', `${QEMU_BINARY} is not installed (Debian: apt-get install qemu-system-x86)`);
            } else if (options.console.done) finish('done');
            else if (result.exitCode === 0) finish('exited');
            else finish('exited', `${QEMU_BINARY} exited with status ${result.exitCode ?? result.signal}: ${stderr.trim().split('\n')[0] ?? ''}`);
          });
        });
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
