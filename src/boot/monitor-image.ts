/** Where the bundled hypervisor image is, and reading it once per process. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../cli/errors.js';

/**
 * monitor/build/rvc-monitor.elf at the package root (built by `npm run build:monitor`),
 * or the image named by RVC_MONITOR.
 */
export function monitorPath(): string {
  return process.env.RVC_MONITOR || fileURLToPath(new URL('../../monitor/build/rvc-monitor.elf', import.meta.url));
}

let cached: Uint8Array | undefined;

export function readMonitor(path = monitorPath()): Uint8Array {
  if (path === monitorPath() && cached) return cached;
  if (!existsSync(path)) {
    throw new UsageError(`the monitor image ${path} is missing`, 'build it with `npm run build:monitor` (needs gcc with -m32 support and binutils)');
  }
  const bytes = readFileSync(path);
  if (path === monitorPath()) cached = bytes;
  return bytes;
}
