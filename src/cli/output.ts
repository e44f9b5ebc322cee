/** Shared output helpers: JSON to stdout, colors only when stdout is a terminal. */
import { Chalk } from 'chalk';

export function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true && process.env.CI !== 'true';
}

export const color = new Chalk({ level: useColor() ? 1 : 0 });

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
